#!/usr/bin/env python3
"""tests/web/web_test.py HVPLAN FIXTURES -- `hvplan serve` over a real
program database, through HTTP: every endpoint with every role (and none),
CSRF, outcomes recorded once (and corrected), staff limited to their own
visits, the audit trail, passwords only as Argon2id hashes, no family's
name, address or phone in the server's log, lockout after 10 wrong
passwords, throttling per address, TLS required off loopback (and working
with a certificate), SIGTERM.  The browser test is tests/web/browser_test.py."""
import http.cookiejar, json, os, shutil, socket, sqlite3, ssl, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.parse, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, failures  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


class Client:
    def __init__(self, base, ctx=None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()]
        if ctx:
            handlers.append(urllib.request.HTTPSHandler(context=ctx))
        self.op = urllib.request.build_opener(*handlers)
        self.csrf = None

    def req(self, method, path, body=None, csrf=True, form=False, headers=None):
        data = None
        h = dict(headers or {})
        if body is not None:
            data = (urllib.parse.urlencode(body) if form else json.dumps(body)).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        if csrf and self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        r = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with self.op.open(r, timeout=30) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def login(self, user, pw):
        st, body, hd = self.req("POST", "/login", {"login": user, "password": pw}, form=True)
        if st == 303:
            s2, b2, _ = self.req("GET", "/api/session")
            self.csrf = json.loads(b2)["csrf"]
        return st, body, hd


PW = {"cora": "coordinator-pass-1", "ana": "ana-staff-pass-1", "cali": "cali-staff-pass-1",
      "vic": "viewer-pass-1234"}
work = tempfile.mkdtemp(prefix="hv-web-")
server = None
try:
    prog = os.path.join(work, "prog")
    shutil.copytree(os.path.join(fixtures, "modes"), prog)
    subprocess.run([hvplan, "init", prog], check=True, capture_output=True)
    subprocess.run([hvplan, "plan", prog, "-o", os.path.join(prog, "week"), "--no-pdf"],
                   check=True, capture_output=True)
    plan = json.load(open(os.path.join(prog, "week", "plan.json")))
    for login, role, staff in (("cora", "coordinator", None), ("ana", "staff", "S01"),
                               ("cali", "staff", "S03"), ("vic", "viewer", None)):
        args = [hvplan, "users", "add", prog, "--login", login, "--role", role]
        if staff:
            args += ["--staff", staff]
        r = subprocess.run(args, input=PW[login] + "\n", capture_output=True, text=True)
        check(r.returncode == 0, f"users add {login}: {r.stderr}")
    r = subprocess.run([hvplan, "users", "add", prog, "--login", "x", "--role", "staff"],
                       input="long-enough-pass\n", capture_output=True, text=True)
    check(r.returncode != 0 and "--staff" in r.stderr, "a staff account needs --staff")
    r = subprocess.run([hvplan, "users", "add", prog, "--login", "y", "--role", "viewer"],
                       input="short\n", capture_output=True, text=True)
    check(r.returncode != 0 and "10 characters" in r.stderr, "short passwords refused")

    # Off loopback without TLS: refused before listening.
    r = subprocess.run([hvplan, "serve", prog, "--listen", f"0.0.0.0:{free_port()}"],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode != 0 and "TLS" in r.stderr, "no plain HTTP off loopback: " + r.stderr)

    port = free_port()
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([hvplan, "serve", prog, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    line = server.stdout.readline()
    check("listening on http://127.0.0.1:" in line, "server listening: " + line)
    base = f"http://127.0.0.1:{port}"

    clients = {"none": Client(base)}
    for u in ("cora", "ana", "cali", "vic"):
        c = Client(base)
        st, _, hd = c.login(u, PW[u])
        check(st == 303, f"{u} logs in ({st})")
        ck = hd.get("Set-Cookie", "")
        check("HttpOnly" in ck and "SameSite=Strict" in ck, f"{u}'s cookie HttpOnly, SameSite=Strict")
        clients[u] = c
    check(clients["ana"].login("ana", PW["ana"])[2].get("Location") == "/staff", "staff land on /staff")
    check(clients["cora"].login("cora", PW["cora"])[2].get("Location") == "/dashboard",
          "coordinators land on /dashboard")

    # Every endpoint x every role.
    ana_stop = next(s["household"] for r in plan["routes"] if "S01" in r["staff"] for s in r["stops"])
    other = next(s["household"] for r in plan["routes"] if "S01" not in r["staff"]
                 for s in r["stops"])
    date_of = {s["household"]: r["date"] for r in plan["routes"] for s in r["stops"]}
    matrix = [
        ("GET", "/api/session", None, {"none": 401, "cora": 200, "ana": 200, "vic": 200}),
        ("GET", "/api/week?week_of=2026-03-04", None, {"none": 401, "cora": 200, "ana": 200, "vic": 200}),
        ("GET", "/api/today?date=2026-03-02", None, {"none": 401, "cora": 200, "ana": 200, "vic": 403}),
        ("GET", "/api/outcomes?week_of=2026-03-02", None, {"none": 401, "cora": 200, "ana": 403, "vic": 200}),
        ("GET", "/api/audit", None, {"none": 401, "cora": 200, "ana": 403, "vic": 403}),
        ("POST", "/api/outcome", {"household": ana_stop, "date": date_of[ana_stop], "outcome": "met"},
         {"none": 401, "cora": 200, "ana": 200, "vic": 403}),
        ("POST", "/api/outcome", {"household": other, "date": date_of[other], "outcome": "not_home"},
         {"none": 401, "cora": 200, "ana": 403, "vic": 403}),
        ("GET", "/staff", None, {"none": 303, "cora": 200, "ana": 200, "vic": 403}),
        ("GET", "/dashboard", None, {"none": 303, "cora": 200, "ana": 403, "vic": 200}),
        ("GET", "/api/nothing", None, {"none": 401, "cora": 404, "ana": 404, "vic": 404}),
        ("DELETE", "/api/week", None, {"none": 401, "cora": 405, "ana": 405, "vic": 405}),
        # The coordinator's actions, with bodies that change nothing (400
        # for the coordinator means the role passed and the body was read).
        ("POST", "/api/plan", {"time_limit_s": 0}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("GET", "/api/plan", None, {"none": 401, "cora": 200, "ana": 403, "vic": 403}),
        ("GET", "/api/plan/events", None, {"none": 401, "cora": 200, "ana": 403, "vic": 403}),
        ("POST", "/api/replan", {"week_of": "2026-03-02", "from": "xx"},
         {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/move/check", {}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/move", {}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/pin", {}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/import?file=bogus", {}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/whatif", {"pairs": "x"}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("POST", "/api/send", {}, {"none": 401, "cora": 400, "ana": 403, "vic": 403}),
        ("GET", "/api/files?week_of=2026-03-02", None, {"none": 401, "cora": 200, "ana": 200, "vic": 200}),
        ("GET", "/files/2026-03-02/roster.csv", None, {"none": 303, "cora": 200, "ana": 403, "vic": 403}),
        ("GET", "/whatif/1/whatif.svg", None, {"none": 303, "cora": 404, "ana": 403, "vic": 403}),
        ("POST", "/logout", None, {"none": 303}),
    ]
    for method, path, body, want in matrix:
        for who, code in want.items():
            st, b, _ = clients[who].req(method, path, body)
            check(st == code, f"{method} {path} as {who}: {st}, want {code} {b[:120]!r}")
    # Without the CSRF token, or with a wrong one: 403, nothing stored.
    st, _, _ = clients["ana"].req("POST", "/api/outcome",
                                  {"household": ana_stop, "date": date_of[ana_stop],
                                   "outcome": "declined"}, csrf=False)
    check(st == 403, f"POST without CSRF token: {st}")
    st, _, _ = clients["ana"].req("POST", "/api/outcome",
                                  {"household": ana_stop, "date": date_of[ana_stop], "outcome": "declined"},
                                  csrf=False, headers={"X-CSRF-Token": "0" * 64})
    check(st == 403, f"POST with a wrong CSRF token: {st}")
    # What each role sees.
    _, b, _ = clients["ana"].req("GET", "/api/week?week_of=2026-03-02")
    w = json.loads(b)
    check(all("S01" in r["staff"] for r in w["routes"]) and w["routes"], "staff see only their routes")
    check(all(c["staff"] == "S01" for c in w.get("virtual_visits", [])), "and their calls")
    check("scenario_dir" not in w and w["unvisited"] == [], "no paths, no unvisited list")
    _, b, _ = clients["vic"].req("GET", "/api/week?week_of=2026-03-02")
    w = json.loads(b)
    check(all(s["household"] == "" for r in w["routes"] for s in r["stops"]), "viewers see no households")
    _, b, _ = clients["vic"].req("GET", "/api/outcomes?week_of=2026-03-02")
    check("follow_ups_due_households" not in json.loads(b), "viewer counts without ids")
    _, b, _ = clients["cora"].req("GET", "/api/week?week_of=2026-03-02")
    check(len(json.loads(b)["routes"]) == len(plan["routes"]), "coordinators see every route")
    _, b, _ = clients["ana"].req("GET", "/api/today?date=" + date_of[ana_stop])
    t = json.loads(b)
    stops = [s for r in t["routes"] for s in r["stops"]]
    check(any(s["household"] == ana_stop for s in stops), "today lists ana's stop")
    check(all(s["phone"] and s["map"] for s in stops), "with phone and map link")
    # Outcomes: once, then corrected; bad rows name the field.
    body = {"household": ana_stop, "date": date_of[ana_stop], "outcome": "met",
            "barriers": ["transportation", "work_schedule"], "next_step": "bus pass"}
    st, b, _ = clients["ana"].req("POST", "/api/outcome", body)
    check(st == 200 and json.loads(b)["status"] in ("recorded", "corrected"), f"recorded {b!r}")
    st, b, _ = clients["ana"].req("POST", "/api/outcome", body)
    check(st == 200 and json.loads(b)["status"] == "unchanged", f"the same again changes nothing {b!r}")
    body["notes"] = "corrected later"
    st, b, _ = clients["ana"].req("POST", "/api/outcome", body)
    check(st == 200 and json.loads(b)["status"] == "corrected", f"a correction {b!r}")
    for bad, field in (({"household": ana_stop, "date": date_of[ana_stop], "outcome": "partied"}, "outcome"),
                       ({"household": ana_stop, "date": date_of[ana_stop], "outcome": "met",
                         "barriers": ["aliens"]}, "barriers"),
                       ({"household": ana_stop, "date": "2026-03-40", "outcome": "met"}, "date"),
                       ({"household": ana_stop, "date": date_of[ana_stop], "outcome": 3}, "outcome"),
                       ({"household": "\n" + ana_stop, "date": date_of[ana_stop], "outcome": "met"},
                        "household")):
        st, b, _ = clients["ana"].req("POST", "/api/outcome", bad)
        j = json.loads(b)
        fields = [e["field"] for e in j.get("problems", [])] + [j.get("field")]
        check(st == 400 and field in fields, f"bad {field}: {st} {b[:200]!r}")
        check(all(e["severity"] == "error" and e["file"] == "outcome" and "line" not in e
                  for e in j.get("problems", [])),
              f"the problems in the API's one shape (no line: the body is not a file): {b[:200]!r}")
    st, b, _ = clients["ana"].req("POST", "/api/outcome", None, headers={"Content-Type": "application/json"})
    check(st == 400, "an empty body is a 400")
    st, b, _ = clients["ana"].req("POST", "/api/outcome", {"x": "y" * 70000})
    check(st == 413, f"a body over 64 KiB: {st}")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    n = db.execute("SELECT count(*) FROM outcome WHERE household_id = ?", (ana_stop,)).fetchone()[0]
    check(n == 1, f"one outcome for the visit ({n})")
    check(db.execute("SELECT count(*) FROM outcome_revision").fetchone()[0] >= 1, "the correction kept")
    audit = db.execute("SELECT login, action, detail FROM audit").fetchall()
    check(any(a[0] == "ana" and a[1] == "outcomes recorded" and ana_stop in a[2] for a in audit),
          "the audit names ana and the household")
    check(any(a[1] == "user added" for a in audit) and any(a[1] == "plan made" for a in audit),
          "users added and plans made are audited")
    r = subprocess.run([hvplan, "audit", prog], capture_output=True, text=True)
    check(r.returncode == 0 and "outcomes recorded" in r.stdout, "hvplan audit prints it")
    hashes = [h for (h,) in db.execute("SELECT password_hash FROM app_user")]
    check(len(hashes) == 4 and all(h.startswith("$argon2id$") for h in hashes), "Argon2id hashes")
    db.close()
    raw = b"".join(open(os.path.join(prog, f), "rb").read() for f in os.listdir(prog)
                   if f.startswith("program.sqlite"))
    check(not any(p.encode() in raw for p in PW.values()), "no password in the database files")
    # Planning from the dashboard: a job with progress, its files by role.
    st, _, _ = clients["ana"].req("POST", "/api/plan", {"time_limit_s": 2})
    check(st == 403, f"staff cannot plan ({st})")
    st, _, _ = clients["cora"].req("POST", "/api/plan", {"time_limit_s": 0})
    check(st == 400, f"a bad time limit is a 400 ({st})")
    st, b, _ = clients["cora"].req("POST", "/api/plan", {"time_limit_s": 2})
    check(st == 202, f"planning starts ({st} {b[:100]!r})")
    st2, _, _ = clients["cora"].req("POST", "/api/plan", {"time_limit_s": 2})
    check(st2 == 409, f"one plan at a time ({st2})")
    # The progress, streamed as server-sent events until the job ends.
    import http.client as _hc
    hc = _hc.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = "; ".join(f"{c.name}={c.value}" for c in clients["cora"].jar)
    hc.request("GET", "/api/plan/events", headers={"Cookie": cookie})
    resp = hc.getresponse()
    check(resp.status == 200 and resp.getheader("Content-Type") == "text/event-stream",
          f"the event stream ({resp.status})")
    events = []
    while True:
        line = resp.readline()
        if not line:
            break
        if line.startswith(b"data: "):
            events.append(json.loads(line[6:]))
    hc.close()
    check(len(events) >= 2 and events[0]["state"] == "running" and events[-1]["state"] == "done",
          f"running events, then done: {[e['state'] for e in events]}")
    check(all(b["elapsed_s"] >= a["elapsed_s"] for a, b in zip(events, events[1:]) if b["state"] == "running"),
          "elapsed time grows")
    seen_running = True
    for _ in range(120):
        _, b, _ = clients["cora"].req("GET", "/api/plan")
        job = json.loads(b)
        seen_running |= job["state"] == "running"
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.25)
    check(seen_running and job["state"] == "done", f"the job runs and ends: {job.get('state')} {job.get('error')}")
    res = job.get("result", {})
    check(res.get("visited", 0) > 0 and res.get("week_of") == "2026-03-02", f"a plan: {res}")
    check(any(u["household"] == "H110" for u in res.get("unvisited", [])), "with the unvisited and reasons")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    check(any(a == ("cora", "plan made") for a in db.execute("SELECT login, action FROM audit")),
          "the plan is audited with the coordinator's login")
    db.close()
    _, b, _ = clients["cora"].req("GET", "/api/files?week_of=2026-03-02")
    cfiles = json.loads(b)["files"]
    check("roster.pdf" in cfiles and "week.svg" in cfiles and any(f.startswith("letters/") for f in cfiles),
          f"the coordinator gets every file ({len(cfiles)})")
    _, b, _ = clients["ana"].req("GET", "/api/files?week_of=2026-03-02")
    afiles = json.loads(b)["files"]
    newplan = json.load(open(os.path.join(prog, "weeks", "2026-03-02", "plan.json")))
    pairs = {r["pair"] for r in newplan["routes"] if "S01" in r["staff"]}
    check(afiles and all(f == "calendars/S01.ics" or "_calls_S01" in f or
                         any(f.endswith("_" + p + ".pdf") for p in pairs) for f in afiles),
          f"staff get only their own files: {afiles}")
    _, b, _ = clients["vic"].req("GET", "/api/files?week_of=2026-03-02")
    check(json.loads(b)["files"] == ["week.svg"], "viewers get the map only")
    # A district's week has a letter per visit: the list holds them all.
    ldir = os.path.join(prog, "weeks", "2026-03-02", "letters")
    extra = [f"2026-03-06_Z{i:04d}.pdf" for i in range(700)]
    for name in extra:
        open(os.path.join(ldir, name), "wb").close()
    _, b, _ = clients["cora"].req("GET", "/api/files?week_of=2026-03-02")
    many = json.loads(b)["files"]
    check(len(many) == len(cfiles) + 700 and all("letters/" + n in many for n in extra),
          f"every file listed ({len(many)} of {len(cfiles) + 700})")
    letters = [f for f in many if f.startswith("letters/")]
    check(letters == sorted(letters), "in order by name")
    _, b, _ = clients["ana"].req("GET", "/api/files?week_of=2026-03-02")
    check(json.loads(b)["files"] == afiles, "staff still get only their own")
    for name in extra:
        os.unlink(os.path.join(ldir, name))
    st, b, hd = clients["cora"].req("GET", "/files/2026-03-02/roster.pdf")
    check(st == 200 and b[:5] == b"%PDF-" and hd.get("Content-Type") == "application/pdf", "a download")
    other_pdf = next(f for f in cfiles if f.startswith("routes/") and not any(f.endswith("_" + p + ".pdf") for p in pairs))
    st, _, _ = clients["ana"].req("GET", "/files/2026-03-02/" + other_pdf)
    check(st == 403, f"another pair's route sheet is refused ({st})")
    for bad in ("/files/2026-03-02/../program.sqlite", "/files/2026-03-02/%2e%2e/program.sqlite",
                "/files/2026-03-02/plan.json/../../x", "/files/2026-03-02/letters/../../program.sqlite"):
        st, _, _ = clients["cora"].req("GET", bad)
        check(st in (403, 404), f"{bad}: {st}")
    st, _, _ = clients["none"].req("GET", "/files/2026-03-02/roster.pdf")
    check(st == 303, "no session, no file")

    # Moving a visit: every rule it would break, and only a clean move saved.
    _, b, _ = clients["cora"].req("GET", "/api/week?week_of=2026-03-02")
    wk = json.loads(b)
    rt0 = wk["routes"][0]
    st0 = rt0["stops"][0]
    mv = {"household": st0["household"], "week_of": "2026-03-02", "pair": rt0["pair"],
          "day": rt0["day"], "start": "03:00"}
    st, b, _ = clients["cora"].req("POST", "/api/move/check", mv)
    j = json.loads(b)
    check(st == 409 and not j["ok"] and any("window" in x["message"] or "hours" in x["message"]
                                            for x in j["problems"])
          and all(x["severity"] == "error" and x["file"] == "plan.json" for x in j["problems"]),
          f"a visit at 03:00 breaks the window and the shift: {j}")
    st, _, _ = clients["cora"].req("POST", "/api/move", mv)
    check(st == 409, "and is not saved")
    st, _, _ = clients["ana"].req("POST", "/api/move/check", mv)
    check(st == 403, "staff cannot move visits")
    bad = dict(mv, pair="P9", start=st0["start"])
    st, b, _ = clients["cora"].req("POST", "/api/move/check", bad)
    check(st == 400, f"no such route: {st} {b[:120]!r}")
    # Into a pair's day without a route: a new route, its times worked out.
    have = {(r["pair"], r["day"]) for r in wk["routes"]}
    newroute = None
    for rt in wk["routes"]:
        for stp in rt["stops"]:
            for d in ("mon", "tue", "wed", "thu", "fri"):
                if (rt["pair"], d) in have or newroute:
                    continue
                cand = {"household": stp["household"], "week_of": "2026-03-02", "pair": rt["pair"],
                        "day": d, "start": stp["start"]}
                st, b, _ = clients["cora"].req("POST", "/api/move/check", cand)
                if st == 200 and json.loads(b)["ok"]:
                    newroute = cand
    check(newroute is not None, "a visit can move to a day its pair has no route yet")
    good = None
    for rt in wk["routes"]:
        for stp in rt["stops"]:
            for delta in (5, 10, -5, -10):
                t = int(stp["start"][:2]) * 60 + int(stp["start"][3:]) + delta
                cand = {"household": stp["household"], "week_of": "2026-03-02", "pair": rt["pair"],
                        "day": rt["day"], "start": "%02d:%02d" % divmod(t, 60)}
                st, b, _ = clients["cora"].req("POST", "/api/move/check", cand)
                if st == 200 and json.loads(b)["ok"]:
                    good = cand
                    break
            if good:
                break
        if good:
            break
    check(good is not None, "some visit can move by a few minutes")
    if good:
        st, b, _ = clients["cora"].req("POST", "/api/move", good)
        check(st == 200 and json.loads(b)["ok"], f"a clean move is saved: {b[:200]!r}")
        newp = json.load(open(os.path.join(prog, "weeks", "2026-03-02", "plan.json")))
        starts = {x["household"]: x["start"] for r in newp["routes"] for x in r["stops"]}
        check(starts.get(good["household"]) == good["start"], "plan.json has the new time")
        r = subprocess.run([hvplan, "check", os.path.join(prog, "weeks", "2026-03-02", "plan.json")],
                           capture_output=True, text=True)
        check(r.returncode == 0, "and hvplan check agrees: " + r.stderr[-300:])
        db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
        row = db.execute("SELECT start FROM visit WHERE household_id = ? AND week_of = '2026-03-02'",
                         (good["household"],)).fetchone()
        check(row and row[0] == good["start"], f"the database has the new time: {row}")
        check(db.execute("SELECT count(*) FROM audit WHERE action = 'visit moved' AND login = 'cora'")
              .fetchone()[0] == 1, "the move is audited")
        db.close()

    # Pin a visit, re-plan the rest: the pinned visit stays where it is.
    cur = json.load(open(os.path.join(prog, "weeks", "2026-03-02", "plan.json")))
    prt = cur["routes"][-1]
    pst = prt["stops"][-1]
    where = (prt["pair"], prt["day"], pst["start"])
    st, _, _ = clients["ana"].req("POST", "/api/pin", {"household": pst["household"],
                                                       "week_of": "2026-03-02", "pinned": True})
    check(st == 403, "staff cannot pin")
    st, b, _ = clients["cora"].req("POST", "/api/pin", {"household": pst["household"],
                                                        "week_of": "2026-03-02", "pinned": True})
    check(st == 200 and json.loads(b)["pinned"], f"pinned ({st} {b[:100]!r})")
    st, _, _ = clients["cora"].req("POST", "/api/pin", {"household": "H404",
                                                        "week_of": "2026-03-02", "pinned": True})
    check(st == 404, "an unknown visit cannot be pinned")
    st, b, _ = clients["cora"].req("POST", "/api/replan", {"week_of": "2026-03-02", "from": "mon",
                                                           "time_limit_s": 2})
    check(st == 202, f"re-planning starts ({st} {b[:100]!r})")
    # Its end writes the week's folder: a pin or a move meanwhile would be
    # lost, so both are refused until it ends.
    st, _, _ = clients["cora"].req("POST", "/api/pin", {"household": pst["household"],
                                                        "week_of": "2026-03-02", "pinned": False})
    check(st == 409, f"no pin while a plan is being made ({st})")
    if good:
        st, _, _ = clients["cora"].req("POST", "/api/move", good)
        check(st == 409, f"no move while a plan is being made ({st})")
    for _ in range(120):
        _, b, _ = clients["cora"].req("GET", "/api/plan")
        job = json.loads(b)
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.25)
    check(job["state"] == "done", f"re-planned: {job.get('error')}")
    new = json.load(open(os.path.join(prog, "weeks", "2026-03-02", "plan.json")))
    got = {s["household"]: (r["pair"], r["day"], s["start"], s.get("pinned", False))
           for r in new["routes"] for s in r["stops"]}
    check(got.get(pst["household"]) == where + (True,),
          f"the pinned visit stays {where}: {got.get(pst['household'])}")
    r = subprocess.run([hvplan, "check", os.path.join(prog, "weeks", "2026-03-02", "plan.json")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "the re-planned week passes check: " + r.stderr[-200:])
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    check(db.execute("SELECT count(*) FROM audit WHERE action = 'visit pinned'").fetchone()[0] == 1,
          "the pin is audited")
    db.close()

    # What if: a sweep of pairs, its table and chart.
    st, _, _ = clients["ana"].req("POST", "/api/whatif", {"pairs": "1..2"})
    check(st == 403, "staff cannot run what-ifs")
    st, _, _ = clients["cora"].req("POST", "/api/whatif", {"pairs": "3..1"})
    check(st == 400, "a bad range is a 400")
    st, b, _ = clients["cora"].req("POST", "/api/whatif", {"pairs": "1..2", "time_limit_s": 2})
    check(st == 202, f"what-if starts ({st} {b[:100]!r})")
    for _ in range(160):
        _, b, _ = clients["cora"].req("GET", "/api/plan")
        job = json.loads(b)
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.25)
    res = job.get("result", {})
    check(job["state"] == "done" and len(res.get("variants", [])) >= 2,
          f"what-if variants: {job.get('error')} {res}")
    sweep = [v for v in res.get("variants", []) if v["name"].startswith("pairs-")]
    check(len(sweep) == 2 and sweep[1]["priority"] >= sweep[0]["priority"],
          f"coverage never falls as pairs are added: {[(v['pairs'], v['priority']) for v in sweep]}")
    st, b, hd = clients["cora"].req("GET", f"/whatif/{res.get('whatif')}/whatif.svg")
    check(st == 200 and b"<svg" in b[:300], f"the chart ({st})")
    st, _, _ = clients["vic"].req("GET", f"/whatif/{res.get('whatif')}/whatif.svg")
    check(st == 403, "viewers do not get what-ifs")
    st, _, _ = clients["cora"].req("GET", f"/whatif/{res.get('whatif')}/../program.sqlite")
    check(st == 404, "nothing else under /whatif/")

    # A list kept elsewhere behind a relative symbolic link: an upload's
    # check reads it through the link.
    spath = os.path.join(prog, "staff.csv")
    os.makedirs(os.path.join(prog, "lists"), exist_ok=True)
    os.replace(spath, os.path.join(prog, "lists", "staff.csv"))
    os.symlink(os.path.join("lists", "staff.csv"), spath)
    # Importing lists: nothing while an error remains; problems by line.
    hpath = os.path.join(prog, "households.csv")
    original = open(hpath, "rb").read()
    lines = original.decode().splitlines()
    broken_rows = lines[:]
    broken_rows[2] = broken_rows[2].replace(",70,", ",abc,")  # H102 priority
    broken_rows.append("H199,Zed,Pat Q,555-9999,1 Nowhere,44.97,-93.25,xx,50,,,,,")
    st, _, _ = clients["ana"].req("POST", "/api/import?file=households", None,
                                  headers={"Content-Type": "text/csv"})
    check(st == 403, "staff cannot import")
    body = ("\n".join(broken_rows) + "\n").encode()
    r0 = urllib.request.Request(base + "/api/import?file=households", data=body, method="POST",
                                headers={"Content-Type": "text/csv",
                                         "X-CSRF-Token": clients["cora"].csrf})
    try:
        with clients["cora"].op.open(r0, timeout=30) as resp:
            st, b = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        st, b = e.code, e.read()
    j = json.loads(b)
    check(st == 422 and not j["imported"], f"a list with errors is not imported ({st})")
    probs = {(p["line"], p["field"]) for p in j["problems"] if p["severity"] == "error"}
    check((3, "priority") in probs, f"the bad priority is named by line and field: {probs}")
    check((len(broken_rows), "language") in probs, "the unknown language too")
    check(j["lines"][2] == broken_rows[2], "the page gets the row's text to show beside it")
    check(open(hpath, "rb").read() == original, "households.csv untouched")
    good_rows = lines + ["H199,Zed,Pat Q,555-9999,1 Nowhere,44.97,-93.25,en,50,,,,,"]
    r0 = urllib.request.Request(base + "/api/import?file=households",
                                data=("\n".join(good_rows) + "\n").encode(), method="POST",
                                headers={"Content-Type": "text/csv",
                                         "X-CSRF-Token": clients["cora"].csrf})
    with clients["cora"].op.open(r0, timeout=30) as resp:
        st, b = resp.status, resp.read()
    check(st == 200 and json.loads(b)["imported"], f"a clean list is imported ({st})")
    check(b"H199" in open(hpath, "rb").read(), "households.csv replaced")
    # Two coordinators uploading the list at once: each upload is written
    # whole under a temporary name of its own; the file is one of them.
    bodies = [("\n".join(good_rows) + "\n").encode(), ("\n".join(lines) + "\n").encode()]

    def upload(k, codes):
        for i in range(6):
            rq = urllib.request.Request(base + "/api/import?file=households",
                                        data=bodies[(k + i) % 2], method="POST",
                                        headers={"Content-Type": "text/csv",
                                                 "X-CSRF-Token": clients["cora"].csrf})
            try:
                with clients["cora"].op.open(rq, timeout=30) as resp:
                    codes.append(resp.status)
            except urllib.error.HTTPError as e:
                codes.append(e.code)
    codes = []
    ts = [threading.Thread(target=upload, args=(k, codes)) for k in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    check(codes == [200] * 18, f"uploads at once all land: {codes}")
    check(open(hpath, "rb").read() in bodies, "households.csv is one upload, whole")
    check(not [f for f in os.listdir(prog) if ".tmp." in f], "no temporary file left")
    with clients["cora"].op.open(urllib.request.Request(
            base + "/api/import?file=households", data=bodies[0], method="POST",
            headers={"Content-Type": "text/csv", "X-CSRF-Token": clients["cora"].csrf}),
            timeout=30) as resp:
        check(resp.status == 200, "the list with H199 again")
    export = ("Student ID,Student Name,Grade,Guardian,Phone,Address,Home Language,"
              "Enrolled Days,Absent Days\n"
              "7001,Nora Ali,K,Amal Ali,612-555-7001,5 Elm St,ar,100,22\n"
              "7002,Sam Ali,3,Amal Ali,612-555-7001,5 elm street,ar,100,4\n")
    r0 = urllib.request.Request(base + "/api/import?file=attendance", data=export.encode(),
                                method="POST", headers={"Content-Type": "text/csv",
                                                        "X-CSRF-Token": clients["cora"].csrf})
    with clients["cora"].op.open(r0, timeout=30) as resp:
        st, b = resp.status, resp.read()
    j = json.loads(b)
    check(st == 200 and j["students_flagged"] >= 1 and j["new"] == 1,
          f"an attendance export is flagged and merged: {j}")
    check(b"H7001" in open(hpath, "rb").read(), "the new household is in households.csv")
    r0 = urllib.request.Request(base + "/api/import?file=attendance",
                                data=b"Student ID,Name\n1,x\n", method="POST",
                                headers={"Content-Type": "text/csv",
                                         "X-CSRF-Token": clients["cora"].csrf})
    try:
        with clients["cora"].op.open(r0, timeout=30) as resp:
            st = resp.status
    except urllib.error.HTTPError as e:
        st, b = e.code, e.read()
    check(st == 422 and json.loads(b)["problems"], f"a bad export is refused with its problems ({st})")
    st, _, _ = clients["cora"].req("POST", "/api/import?file=bogus", {})
    check(st == 400, "an unknown list is a 400")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    acts = [a for (a,) in db.execute("SELECT action FROM audit WHERE login = 'cora'")]
    check("list imported" in acts and "attendance imported" in acts, f"imports audited: {acts}")
    db.close()

    # Logout ends the session.
    c = clients["cali"]
    st, _, _ = c.req("POST", "/logout", {})
    check(st == 200, "logout")
    st, _, _ = c.req("GET", "/api/session")
    check(st == 401, "the session is gone")
    # Accounts change under a running server (hvplan users, another
    # process): a new role or password, or a removed account, ends the
    # account's sessions at their next request; other sessions go on.
    def users(*args, pw=None):
        return subprocess.run([hvplan, "users", args[0], prog] + list(args[1:]),
                              input=pw, capture_output=True, text=True)
    for login in ("dan", "eve"):
        check(users("add", "--login", login, "--role", "viewer", pw="first-password-1\n").returncode == 0,
              f"users add {login}")
    dan, eve = Client(base), Client(base)
    check(dan.login("dan", "first-password-1")[0] == 303 and eve.login("eve", "first-password-1")[0] == 303,
          "dan and eve log in")
    r = users("add", "--login", "dan", "--role", "staff", "--staff", "S03", pw="second-password-2\n")
    check(r.returncode == 0, "dan becomes staff: " + r.stderr)
    st, _, _ = dan.req("GET", "/api/session")
    check(st == 401, f"dan's viewer session ends with the change ({st})")
    st, b, _ = eve.req("GET", "/api/session")
    check(st == 200 and json.loads(b)["role"] == "viewer", f"eve's session goes on ({st})")
    check(dan.login("dan", "first-password-1")[0] == 401, "the old password no longer works")
    st, _, _ = dan.login("dan", "second-password-2")
    _, b, _ = dan.req("GET", "/api/session")
    check(st == 303 and json.loads(b)["role"] == "staff", f"dan logs in again as staff ({st} {b[:80]!r})")
    r = users("remove", "--login", "eve")
    check(r.returncode == 0 and "removed" in r.stdout, "eve removed: " + r.stderr)
    st, _, _ = eve.req("GET", "/api/week?week_of=2026-03-02")
    check(st == 401, f"a removed account's session ends ({st})")
    check(Client(base).login("eve", "first-password-1")[0] == 401, "and it cannot log in")
    r = users("remove", "--login", "eve")
    check(r.returncode != 0 and "--login" in r.stderr and "eve" in r.stderr,
          "removing an unknown account names it: " + r.stderr)
    r = users("list")
    rows = {ln.split()[0]: ln.split()[1:] for ln in r.stdout.splitlines()[1:]}
    check(r.returncode == 0 and rows.get("dan", [])[:2] == ["staff", "S03"] and "eve" not in rows and
          rows.get("cora", [])[:2] == ["coordinator", "-"] and "argon2" not in r.stdout,
          f"users list: {r.stdout}")
    st, _, _ = clients["cora"].req("GET", "/api/session")
    check(st == 200, "the coordinator's session is untouched")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    acts = [tuple(a) for a in db.execute("SELECT action, detail FROM audit WHERE action IN "
                                         "('user changed', 'user removed')")]
    check(("user removed", "eve") in acts and any(a == "user changed" and d.startswith("dan:") for a, d in acts),
          f"changes audited: {acts}")
    db.close()
    # Lockout: 10 wrong passwords lock the account, even for the right one.
    c = Client(base)
    codes = [c.login("cali", "wrong-password-%d" % i)[0] for i in range(10)]
    check(codes[:9] == [401] * 9 and codes[9] == 423, f"locked after 10 failures: {codes}")
    check(c.login("cali", PW["cali"])[0] == 423, "still locked with the right password")
    # Per address: 30 failures in 15 minutes, then 429 for anyone.
    codes = [c.login("nobody%d" % i, "x")[0] for i in range(25)]
    check(codes[-1] == 429, f"throttled per address: {codes[-3:]}")
    # The log: requests only, never a family's data or a password.
    server.send_signal(15)
    out, _ = server.communicate(timeout=30)
    check(server.returncode == 0 and "stopped" in out, f"SIGTERM stops it cleanly ({server.returncode})")
    server = None
    log.close()
    text = open(os.path.join(work, "server.log")).read()
    check("POST /api/outcome 200" in text, "the log has the requests")
    import csv as _csv
    for h in _csv.DictReader(open(os.path.join(prog, "households.csv"), encoding="utf-8-sig")):
        for v in (h["guardian"], h["address"], h["phone"], h["student"]):
            check(v not in text, f"no '{v}' in the server log")
    for p in PW.values():
        check(p not in text, "no password in the log")
    check("ana" not in text and "cora" not in text, "no login names in the log")

    # Sessions live in the program database: a restart signs nobody out,
    # and the file holds the tokens' digests only.
    def token_of(c):
        return next(k.value for k in c.jar if k.name == "hv_session")
    tokens = {u: token_of(clients[u]) for u in ("cora", "ana", "vic")}
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    rows = dict(db.execute("SELECT digest, login FROM app_session"))
    db.close()
    check(all(len(d) == 64 for d in rows) and {"cora", "ana", "vic"} <= set(rows.values()),
          f"sessions stored: {sorted(rows.values())}")
    raw = b"".join(open(os.path.join(prog, f), "rb").read() for f in os.listdir(prog)
                   if f.startswith("program.sqlite"))
    check(not any(t.encode() in raw or t in rows for t in tokens.values()),
          "no token in the database files, only digests")
    port = free_port()
    log = open(os.path.join(work, "server2.log"), "w")
    server = subprocess.Popen([hvplan, "serve", prog, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    check("listening on" in server.stdout.readline(), "the server starts again")
    base = f"http://127.0.0.1:{port}"
    for u in ("cora", "ana", "vic"):
        clients[u].base = base
        st, b, _ = clients[u].req("GET", "/api/session")
        check(st == 200 and json.loads(b)["login"] == u and json.loads(b)["csrf"] == clients[u].csrf,
              f"{u} is still signed in after the restart, same CSRF token ({st})")
    # A session idle for longer than 12 hours ends (its stored last request
    # moved back, as a night without requests would).
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    db.execute("UPDATE app_session SET last_seen = last_seen - 13 * 3600 WHERE login = 'vic'")
    db.commit()
    db.close()
    st, _, _ = clients["vic"].req("GET", "/api/session")
    check(st == 401, f"an idle session ends ({st})")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    left = sorted(login for (login,) in db.execute("SELECT login FROM app_session"))
    db.close()
    check("vic" not in left and "cora" in left, f"and its row is gone: {left}")
    # Logout is kept across a restart too: the old cookie stays dead.
    old = token_of(clients["ana"])
    st, _, _ = clients["ana"].req("POST", "/logout", {})
    check(st == 200, "ana logs out (CSRF token from before the restart)")
    replay = Client(base)
    replay.jar.set_cookie(http.cookiejar.Cookie(
        0, "hv_session", old, None, False, "127.0.0.1", False, False, "/", True, False, None,
        False, None, None, {}))
    st, _, _ = replay.req("GET", "/api/session")
    check(st == 401, f"a logged-out token is refused ({st})")
    server.send_signal(15)
    server.communicate(timeout=30)
    server = None
    log.close()

    # TLS: a self-signed certificate; the cookie is Secure.
    key, crt = os.path.join(work, "k.pem"), os.path.join(work, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([hvplan, "serve", prog, "--listen", f"127.0.0.1:{port}",
                               "--tls-cert", crt, "--tls-key", key],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    check("https://" in line, "TLS listening: " + line)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    c = Client(f"https://127.0.0.1:{port}", ctx)
    st, _, hd = c.login("cora", PW["cora"])
    check(st == 303 and "Secure" in hd.get("Set-Cookie", ""), "over TLS the cookie is Secure")
    st, _, _ = c.req("GET", "/api/audit")
    check(st == 200, "the API over TLS")
    server.send_signal(15)
    server.communicate(timeout=30)
    server = None
finally:
    if server:
        server.kill()
    if failures() or sys.exc_info()[0]:
        try:
            print("server log (tail):")
            print(open(os.path.join(work, "server.log")).read()[-3000:])
        except OSError:
            pass
    shutil.rmtree(work, ignore_errors=True)

done()
