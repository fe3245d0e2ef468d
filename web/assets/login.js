// The login form: posted with fetch so that a wrong password is shown on
// the page; the server answers a good one with a redirect to the home page.
"use strict";
document.getElementById("login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = new URLSearchParams(new FormData(ev.target));
  const msg = document.getElementById("message");
  msg.textContent = "";
  try {
    const r = await fetch("/login", { method: "POST", body: form, credentials: "same-origin" });
    if (r.redirected || r.ok) { window.location = r.url; return; }
    const j = await r.json().catch(() => ({}));
    msg.textContent = j.error || ("Login failed (" + r.status + ")");
  } catch (e) {
    msg.textContent = "No connection to the server.";
  }
});
