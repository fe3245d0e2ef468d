// The staff page, for a phone at the door: today's stops in order and, at
// each, the visit-log form.  An entry is kept in the phone's storage until
// the server has it, so a form filled in without signal is sent later (the
// server keeps one outcome per visit and date: sending twice is harmless).
// With no session (expired, logged out, the account changed) it
// waits for a login, never dropped.
"use strict";
const OUTCOMES = ["met", "not_home", "declined", "moved", "rescheduled", "other"];
const BARRIERS = ["transportation", "health", "housing", "childcare", "work_schedule",
  "safety", "school_climate", "other"];
// Each login's entries apart: on a phone two people share, one person's
// entries are never sent (and refused) under the other's session.
let QUEUE = "hvplan-queue";
let csrf = "";

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function label(text) { return text.replace(/_/g, " "); }
// Where the phone's storage refuses (full, or a private window), entries
// are kept in the page instead, and the page says they go if it is closed.
let inPage = null;
function queue() {
  if (inPage) return inPage.slice();
  try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
}
function saveQueue(q) {
  if (!inPage) {
    try { localStorage.setItem(QUEUE, JSON.stringify(q)); } catch (e) { inPage = []; }
  }
  if (inPage) inPage = q.slice();
  showQueue();
}
let loggedOut = false;  // the server ended the session: entries wait for a login
function showQueue() {
  const n = queue().length;
  const box = document.getElementById("queue");
  box.textContent = !n ? "" : n + " entr" + (n === 1 ? "y" : "ies") +
    (inPage ? " kept in this page only (the phone's storage is full or off): keep the page open, " :
      " saved on this phone, ") +
    (loggedOut ? "to be sent once you log in again: " : "to be sent when there is signal.");
  if (n && loggedOut) box.append(el("a", { href: "/login" }, "log in"));
}

function post(item) {
  const sent = Object.assign({}, item);
  delete sent.id;  // the phone's own key of the entry
  return fetch("/api/outcome", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(sent) });
}

// The session's CSRF token again (after a login in another tab, the one
// this page holds is stale); false when there is no session.
async function renewCsrf() {
  const s = await fetch("/api/session", { credentials: "same-origin" });
  if (!s.ok) return false;
  csrf = (await s.json()).csrf;
  return true;
}

// Each entry carries an id of its own, so that a flush drops from storage
// exactly the entries it settled, never one saved while it ran.
function newId() { return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2); }

// One flush at a time; one asked for while another runs follows it.
let flushing = false, flushAgain = false;
async function flush() {
  if (flushing) { flushAgain = true; return; }
  flushing = true;
  try {
    do {
      flushAgain = false;
      await flushOnce();
    } while (flushAgain);
  } finally {
    flushing = false;
  }
}

async function flushOnce() {
  const settled = new Set();
  let noSession = false;
  for (const item of queue()) {
    try {
      let r = await post(item);
      let j = await r.json().catch(() => ({}));
      if (r.status === 403 && j.field === "X-CSRF-Token" && await renewCsrf()) {
        r = await post(item);
        j = await r.json().catch(() => ({}));
      }
      const status = document.getElementById("status-" + item.household);
      if (r.status === 401 || (r.status === 403 && j.field === "X-CSRF-Token")) {
        // No session (it expired, it was logged out, the account
        // changed): kept until the next login sends it.
        noSession = true;
        if (status) { status.textContent = "Saved on this phone; log in again to send it"; status.className = "error"; }
      } else if (r.ok) {
        settled.add(item.id);
        if (status) { status.textContent = "Recorded (" + j.status + ")"; status.className = "ok"; }
      } else if (r.status === 400 || r.status === 403 || r.status === 404) {
        settled.add(item.id);
        const why = (j.problems || []).map((x) => x.field + ": " + x.message).join("; ") || j.error;
        if (status) { status.textContent = "Not recorded: " + why; status.className = "error"; }
      }
      // Anything else (a server error): kept, tried again later.
    } catch (e) {
      // No signal: kept.
    }
  }
  loggedOut = noSession;
  saveQueue(queue().filter((x) => !settled.has(x.id)));
}

function visitForm(stop, date) {
  const f = el("form", { class: "log", id: "form-" + stop.household });
  const oc = el("select", { name: "outcome", required: "" });
  for (const o of OUTCOMES) oc.append(el("option", { value: o }, label(o)));
  f.append(el("label", {}, "Outcome ", oc));
  const bs = el("fieldset", {}, el("legend", {}, "Barriers"));
  for (const b of BARRIERS)
    bs.append(el("label", { class: "check" }, el("input", { type: "checkbox", name: "barriers", value: b }), " " + label(b)));
  f.append(bs);
  f.append(el("label", {}, "Referrals ", el("input", { name: "referrals" })));
  f.append(el("label", {}, "Next step ", el("input", { name: "next_step" })));
  f.append(el("label", {}, "Follow-up date ", el("input", { name: "follow_up_date", type: "date" })));
  f.append(el("label", {}, "Notes ", el("textarea", { name: "notes", rows: "3" })));
  f.append(el("button", { type: "submit" }, "Save"));
  f.append(el("p", { id: "status-" + stop.household, role: "status" }));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = new FormData(f);
    const item = { household: stop.household, date: date, outcome: d.get("outcome"),
      barriers: d.getAll("barriers"), referrals: d.get("referrals"), next_step: d.get("next_step"),
      follow_up_date: d.get("follow_up_date"), notes: d.get("notes") };
    item.id = newId();
    const q = queue().filter((x) => !(x.household === item.household && x.date === item.date));
    q.push(item);
    saveQueue(q);
    document.getElementById("status-" + stop.household).textContent = "Saved; sending…";
    flush();
  });
  return f;
}

function stopCard(stop, n, date) {
  const c = el("section", { class: "card stop", id: "stop-" + stop.household });
  c.append(el("h2", {}, (n ? n + ". " : "") + stop.start + "–" + stop.end + "  " + stop.guardian));
  if (stop.back_at_school) c.append(el("p", { class: "note" }, "Back at school " + stop.back_at_school[0] + "–" + stop.back_at_school[1] + " before this visit"));
  c.append(el("p", {}, "For " + stop.students + " · " + stop.language + " · family's window " + stop.window));
  if (stop.join) c.append(el("p", {}, "Video call: ", el("a", { href: stop.join }, stop.join)));
  else if (stop.map) c.append(el("p", {}, el("a", { href: stop.map }, stop.address)));
  else c.append(el("p", {}, stop.address));
  if (stop.phone) c.append(el("p", {}, el("a", { href: "tel:" + stop.phone.replace(/[^0-9+]/g, "") }, stop.phone)));
  c.append(visitForm(stop, date));
  return c;
}

async function main() {
  const s = await fetch("/api/session", { credentials: "same-origin" });
  if (s.status === 401) { window.location = "/login"; return; }
  const me = await s.json();
  csrf = me.csrf;
  QUEUE = "hvplan-queue-" + me.login;
  try {  // entries from before queues per login (storage may be off altogether)
    const old = localStorage.getItem("hvplan-queue");
    if (old) {
      localStorage.removeItem("hvplan-queue");
      saveQueue(queue().concat(JSON.parse(old)));
    }
  } catch (e) { /* storage off, or unreadable: nothing to take over */ }
  // Entries saved by an older page have no id yet.
  if (queue().some((x) => !x.id)) saveQueue(queue().map((x) => x.id ? x : Object.assign(x, { id: newId() })));
  document.getElementById("who").textContent = me.login + " (" + me.role + ")";
  const date = new URLSearchParams(window.location.search).get("date") || "";
  const r = await fetch("/api/today" + (date ? "?date=" + encodeURIComponent(date) : ""), { credentials: "same-origin" });
  const box = document.getElementById("stops");
  if (!r.ok) {
    const j = await r.json().catch(() => ({}));
    box.append(el("p", { class: "note" }, j.error || "No plan for this day."));
    showQueue();
    return;
  }
  const t = await r.json();
  document.getElementById("title").textContent = "Visits on " + t.date;
  const ci = document.getElementById("checkin");
  for (const rt of t.routes)
    ci.append(el("p", {}, "Pair " + rt.pair + " (" + rt.staff.join(" + ") + "): leave " + rt.depart +
      ", back by " + rt.return + ". Call " + t.school.name + " at " + t.school.phone +
      " when you leave, after each visit and when you are back."));
  if (!t.routes.length && !t.calls.length) box.append(el("p", { class: "note" }, "No visits for you on this day."));
  // Visits (numbered in route order) and calls, by time of day.
  const items = [];
  for (const rt of t.routes) rt.stops.forEach((st, i) => items.push([st, i + 1]));
  for (const c of t.calls) items.push([c, 0]);
  items.sort((a, b) => a[0].start.localeCompare(b[0].start));
  for (const [st, n] of items) box.append(stopCard(st, n, t.date));
  showQueue();
  flush();
}

document.getElementById("logout").addEventListener("click", async () => {
  await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  window.location = "/login";
});
window.addEventListener("online", flush);
setInterval(() => { if (queue().length) flush(); }, 20000);
main();
