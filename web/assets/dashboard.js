// The coordinator's dashboard: the week's outcomes (visits done and
// attempted, outcomes, barriers, follow-ups due, families at three or more
// attempts) and the roster per day and pair.  Viewers see the same without
// families' identities (the server leaves them out).
"use strict";
let csrf = "";
let currentWeek = "";
// Every call to the server: a session that has ended (12 hours idle, a
// logout elsewhere, the account changed) leads to the login page rather than
// to a message about it in whatever box asked.
async function api(url, opts) {
  const r = await fetch(url, Object.assign({ credentials: "same-origin" }, opts || {}));
  if (r.status === 401) window.location = "/login";
  return r;
}
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function dl(obj) {
  const d = el("dl", {});
  for (const [k, v] of Object.entries(obj)) d.append(el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, String(v)));
  return d;
}
async function show(week) {
  const q = week ? "?week_of=" + encodeURIComponent(week) : "";
  const sum = document.getElementById("summary");
  const ros = document.getElementById("roster");
  sum.replaceChildren();
  ros.replaceChildren();
  const o = await api("/api/outcomes" + q);
  if (o.ok) {
    const j = await o.json();
    document.getElementById("title").textContent = "Week of " + j.from;
    sum.append(el("h2", {}, "Outcomes"));
    sum.append(dl({ planned: j.planned, attempted: j.attempted, families_met: j.families_met,
      referrals: j.referrals, follow_ups_due: j.follow_ups_due,
      three_attempts_or_more: j.three_attempts_or_more }));
    sum.append(el("h3", {}, "By outcome"), dl(j.outcomes));
    sum.append(el("h3", {}, "Barriers found"), dl(j.barriers));
  }
  const w = await api("/api/week" + q);
  if (!w.ok) { ros.append(el("p", { class: "note" }, "No plan for this week.")); return; }
  const p = await w.json();
  currentWeek = p.week_of;
  const t = el("table", { id: "roster-table" });
  t.append(el("tr", {}, el("th", {}, "Day"), el("th", {}, "Pair"), el("th", {}, "Staff"), el("th", {}, "Visits")));
  for (const r of p.routes) {
    const stops = r.stops.map((s) => s.start + (s.household ? " " + s.household : "") +
      (s.pinned ? " (pinned)" : "")).join(", ");
    t.append(el("tr", {}, el("td", {}, r.day + " " + r.date), el("td", {}, r.pair),
      el("td", {}, r.staff.join(" + ")), el("td", {}, stops)));
  }
  for (const c of p.virtual_visits || [])
    t.append(el("tr", {}, el("td", {}, c.day + " " + c.date), el("td", {}, "call"),
      el("td", {}, c.staff), el("td", {}, c.start + (c.household ? " " + c.household : ""))));
  ros.append(el("h2", {}, "Roster"), t);
  showFiles(p.week_of);
}

// The week's map and the files to download (the server lists only what the
// caller may have).
async function showFiles(week) {
  const box = document.getElementById("files");
  box.replaceChildren();
  const r = await api("/api/files?week_of=" + encodeURIComponent(week));
  if (!r.ok) return;
  const j = await r.json();
  if (j.files.includes("week.svg"))
    box.append(el("h2", {}, "Map"), el("img", { src: "/files/" + week + "/week.svg", alt: "the week's routes", id: "week-map", class: "map" }));
  const list = el("ul", { id: "file-list" });
  for (const f of j.files)
    list.append(el("li", {}, el("a", { href: "/files/" + week + "/" + f, download: f.split("/").pop() }, f)));
  box.append(el("h2", {}, "Downloads"), list);
}

// Planning: start the job, then poll its progress every half second.
async function plan(replan) {
  const status = document.getElementById("plan-status");
  const bar = document.getElementById("plan-progress");
  const res = document.getElementById("plan-result");
  res.replaceChildren();
  status.textContent = "Starting…";
  const limit = Number(document.getElementById("limit").value) || 20;
  const body = { time_limit_s: limit };
  if (replan === true) {
    body.week_of = document.getElementById("week").value || currentWeek;
    body.from = document.getElementById("rp-from").value;
  }
  const r = await api(replan === true ? "/api/replan" : "/api/plan", { method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body) });
  if (!r.ok) {
    const j = await r.json().catch(() => ({}));
    status.textContent = j.error || "Planning could not start.";
    return;
  }
  document.getElementById("plan-button").disabled = true;
  // The progress, streamed by the server (server-sent events); polling if
  // the stream breaks.
  const render = (s) => {
    bar.value = Math.min(100, 100 * s.elapsed_s / limit);
    if (s.state === "running") {
      status.textContent = "Planning… " + s.elapsed_s.toFixed(1) + " s: " + s.visited + " of " +
        s.households + " families visited so far (priority " + s.priority + ")";
      return false;
    }
    document.getElementById("plan-button").disabled = false;
    bar.value = 100;
    if (s.state === "failed") { status.textContent = "Planning failed: " + s.error; return true; }
    const x = s.result;
    status.textContent = "Planned the week of " + x.week_of + " in " + s.elapsed_s.toFixed(1) + " s.";
    res.append(dl({ visited: x.visited + " of " + x.households, priority_covered: x.priority_covered + " of " + x.priority_total,
      video_calls: x.calls, travel_hours: x.travel_hours.toFixed(1) }));
    if (x.priority_bound > 0) {
      const gap = Math.max(0, x.priority_bound - x.priority_covered);
      res.append(el("p", { id: "plan-bound" }, "No plan can cover more than " + x.priority_bound +
        " priority: " + (gap === 0 ? "this one covers the most any plan can."
          : "this one is within " + (100 * gap / x.priority_bound).toFixed(1) + " % of the best possible.")));
    }
    if (x.unvisited.length) {
      const t = el("table", { id: "unvisited-table" });
      t.append(el("tr", {}, el("th", {}, "Family"), el("th", {}, "Priority"), el("th", {}, "Why not visited")));
      for (const u of x.unvisited)
        t.append(el("tr", {}, el("td", {}, u.household), el("td", {}, String(u.priority)),
          el("td", {}, u.reason + (u.virtual_option ? " — a video call could reach them (" + u.virtual_option + ")" : ""))));
      res.append(el("h3", {}, "Not visited"), t);
    }
    document.getElementById("week").value = x.week_of;
    show(x.week_of);
    return true;
  };
  const poll = async () => {
    const s = await (await api("/api/plan")).json();
    if (!render(s)) setTimeout(poll, 500);
  };
  let done = false;
  const src = new EventSource("/api/plan/events");
  src.onmessage = (ev) => {
    if (done) return;
    if (render(JSON.parse(ev.data))) { done = true; src.close(); }
  };
  src.onerror = () => { src.close(); if (!done) { done = true; poll(); } };
}
async function main() {
  const s = await fetch("/api/session", { credentials: "same-origin" });
  if (s.status === 401) { window.location = "/login"; return; }
  const me = await s.json();
  csrf = me.csrf;
  document.getElementById("who").textContent = me.login + " (" + me.role + ")";
  if (me.role !== "coordinator") {
    document.getElementById("planning").hidden = true;
    document.getElementById("move").hidden = true;
    document.getElementById("import").hidden = true;
    document.getElementById("replan").hidden = true;
    document.getElementById("whatif").hidden = true;
    document.getElementById("send").hidden = true;
  }
  const week = new URLSearchParams(window.location.search).get("week_of") || "";
  document.getElementById("week").value = week;
  show(week);
}
// Moving a visit: the server checks every rule and says what would break.
async function move(apply) {
  const out = document.getElementById("move-result");
  out.replaceChildren();
  const body = { household: document.getElementById("mv-household").value.trim(),
    week_of: document.getElementById("week").value || currentWeek,
    pair: document.getElementById("mv-pair").value.trim(),
    day: document.getElementById("mv-day").value,
    start: document.getElementById("mv-start").value };
  const r = await api(apply ? "/api/move" : "/api/move/check", { method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({}));
  if (j.ok) {
    out.append(el("p", { class: "ok" }, apply ? "Saved: the week's sheets and calendars are written again." :
      "This move breaks no planning rule."));
    if (apply) show(body.week_of);
  } else if (j.problems) {
    const ul = el("ul", { id: "broken-rules" });
    for (const b of j.problems) ul.append(el("li", { class: "error" }, b.message + " (" + b.field + ")"));
    out.append(el("p", {}, "This move would break:"), ul);
  } else {
    out.append(el("p", { class: "error" }, j.error || ("Error " + r.status)));
  }
}
// Importing a list: nothing is imported while the server finds an error;
// each problem is shown next to the row it names.
async function importList(ev) {
  ev.preventDefault();
  const out = document.getElementById("import-result");
  out.replaceChildren();
  const file = document.getElementById("imp-file").files[0];
  if (!file) return;
  const kind = document.getElementById("imp-kind").value;
  const r = await api("/api/import?file=" + kind, { method: "POST",
    headers: { "Content-Type": "text/csv", "X-CSRF-Token": csrf }, body: await file.text() });
  const j = await r.json().catch(() => ({}));
  if (r.ok) {
    out.append(el("p", { class: "ok", id: "import-ok" }, "Imported " + j.file +
      (j.students_flagged !== undefined ? ": " + j.students_flagged + " students flagged, " + j.new +
        " new households, " + j.no_longer_flagged + " no longer flagged" : "") + "."));
  } else if (j.problems) {
    out.append(el("p", { class: "error" }, "Not imported: fix these rows and upload the file again."));
    const byLine = new Map();
    for (const p of j.problems) {
      if (!byLine.has(p.line)) byLine.set(p.line, []);
      byLine.get(p.line).push(p);
    }
    const t = el("table", { id: "import-problems" });
    t.append(el("tr", {}, el("th", {}, "Line"), el("th", {}, "Row"), el("th", {}, "Problem")));
    for (const [line, ps] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
      const row = line > 0 && j.lines ? (j.lines[line - 1] || "") : "";
      const msgs = el("ul", {});
      for (const p of ps) msgs.append(el("li", { class: p.severity }, p.file + ":" + line + ":" + p.field + ": " + p.message));
      t.append(el("tr", {}, el("td", {}, String(line)), el("td", { class: "raw" }, row), el("td", {}, msgs)));
    }
    out.append(t);
  } else {
    out.append(el("p", { class: "error" }, j.error || ("Error " + r.status)));
  }
}
document.getElementById("import-form").addEventListener("submit", importList);
document.getElementById("move-form").addEventListener("submit", (ev) => { ev.preventDefault(); move(false); });
document.getElementById("mv-save").addEventListener("click", () => move(true));
document.getElementById("plan-button").addEventListener("click", () => plan(false));
document.getElementById("rp-button").addEventListener("click", () => plan(true));
async function pin(on) {
  const out = document.getElementById("move-result");
  out.replaceChildren();
  const r = await api("/api/pin", { method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ household: document.getElementById("mv-household").value.trim(),
      week_of: document.getElementById("week").value || currentWeek, pinned: on }) });
  const j = await r.json().catch(() => ({}));
  out.append(el("p", { class: r.ok ? "ok" : "error", id: "pin-result" }, r.ok ?
    (j.pinned ? "Pinned: a re-plan keeps " + j.household + " where it is." : "Unpinned " + j.household + ".") :
    (j.error || ("Error " + r.status))));
  if (r.ok) show(document.getElementById("week").value || currentWeek);
}
// What if: the pair sweep as a table and the coverage chart.
async function whatif() {
  const status = document.getElementById("wi-status");
  const out = document.getElementById("wi-result");
  out.replaceChildren();
  status.textContent = "Starting…";
  const limit = Number(document.getElementById("limit").value) || 20;
  const r = await api("/api/whatif", { method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ pairs: document.getElementById("wi-pairs").value.trim(), time_limit_s: limit }) });
  if (!r.ok) {
    const j = await r.json().catch(() => ({}));
    status.textContent = j.error || "Could not start.";
    return;
  }
  const tick = async () => {
    const s = await (await api("/api/plan")).json();
    if (s.state === "running") {
      status.textContent = "Comparing… " + s.elapsed_s.toFixed(1) + " s";
      setTimeout(tick, 500);
      return;
    }
    if (s.state === "failed") { status.textContent = "Failed: " + s.error; return; }
    const x = s.result;
    status.textContent = "Compared " + x.variants.length + " staffing levels.";
    const t = el("table", { id: "whatif-table" });
    t.append(el("tr", {}, el("th", {}, "Variant"), el("th", {}, "Pairs"), el("th", {}, "Families visited"),
      el("th", {}, "Priority covered"), el("th", {}, "Travel h")));
    x.variants.forEach((v, i) => t.append(el("tr", {}, el("td", {}, v.label + (i === x.knee ? " (the knee)" : "")),
      el("td", {}, String(v.pairs)), el("td", {}, v.visited + " of " + v.households),
      el("td", {}, (100 * v.priority / Math.max(1, v.priority_total)).toFixed(0) + " %"),
      el("td", {}, v.travel_h.toFixed(1)))));
    out.append(t, el("img", { src: "/whatif/" + x.whatif + "/whatif.svg", alt: "coverage by pairs", id: "whatif-chart", class: "map" }));
  };
  tick();
}
document.getElementById("wi-button").addEventListener("click", whatif);
async function send(dry) {
  const out = document.getElementById("send-result");
  out.replaceChildren(el("p", {}, dry ? "Checking…" : "Sending…"));
  const r = await api("/api/send", { method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ week_of: document.getElementById("week").value || currentWeek, dry_run: dry }) });
  const j = await r.json().catch(() => ({}));
  out.replaceChildren();
  if (!j.staff) { out.append(el("p", { class: "error" }, j.error || ("Error " + r.status))); return; }
  out.append(el("p", {}, dry ? "Would send to " + j.staff.length + " staff members:" :
    j.sent + " sent, " + j.not_sent + " not sent, " + j.failed + " failed."));
  const t = el("table", {});
  for (const x of j.staff) t.append(el("tr", {}, el("td", {}, x.staff), el("td", {}, x.to), el("td", {}, x.status), el("td", {}, x.files)));
  out.append(t);
}
document.getElementById("send-dry").addEventListener("click", () => send(true));
document.getElementById("send-go").addEventListener("click", () => send(false));
document.getElementById("mv-pin").addEventListener("click", () => pin(true));
document.getElementById("mv-unpin").addEventListener("click", () => pin(false));
document.getElementById("pick").addEventListener("submit", (ev) => {
  ev.preventDefault();
  show(document.getElementById("week").value);
});
document.getElementById("logout").addEventListener("click", async () => {
  await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  window.location = "/login";
});
main();
