// The coordinator's dashboard: the week's outcomes (visits done and
// attempted, outcomes, barriers, follow-ups due, families at three or more
// attempts) and the roster per day and pair.  Viewers see the same without
// families' identities (the server leaves them out).
"use strict";
let csrf = "";
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
  const o = await fetch("/api/outcomes" + q, { credentials: "same-origin" });
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
  const w = await fetch("/api/week" + q, { credentials: "same-origin" });
  if (!w.ok) { ros.append(el("p", { class: "note" }, "No plan for this week.")); return; }
  const p = await w.json();
  const t = el("table", { id: "roster-table" });
  t.append(el("tr", {}, el("th", {}, "Day"), el("th", {}, "Pair"), el("th", {}, "Staff"), el("th", {}, "Visits")));
  for (const r of p.routes) {
    const stops = r.stops.map((s) => s.start + (s.household ? " " + s.household : "")).join(", ");
    t.append(el("tr", {}, el("td", {}, r.day + " " + r.date), el("td", {}, r.pair),
      el("td", {}, r.staff.join(" + ")), el("td", {}, stops)));
  }
  for (const c of p.virtual_visits || [])
    t.append(el("tr", {}, el("td", {}, c.day + " " + c.date), el("td", {}, "call"),
      el("td", {}, c.staff), el("td", {}, c.start + (c.household ? " " + c.household : ""))));
  ros.append(el("h2", {}, "Roster"), t);
}
async function main() {
  const s = await fetch("/api/session", { credentials: "same-origin" });
  if (s.status === 401) { window.location = "/login"; return; }
  const me = await s.json();
  csrf = me.csrf;
  document.getElementById("who").textContent = me.login + " (" + me.role + ")";
  const week = new URLSearchParams(window.location.search).get("week_of") || "";
  document.getElementById("week").value = week;
  show(week);
}
document.getElementById("pick").addEventListener("submit", (ev) => {
  ev.preventDefault();
  show(document.getElementById("week").value);
});
document.getElementById("logout").addEventListener("click", async () => {
  await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  window.location = "/login";
});
main();
