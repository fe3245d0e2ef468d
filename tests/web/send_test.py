#!/usr/bin/python3
"""tests/web/send_test.py HVPLAN FIXTURES -- `hvplan send` against a local
SMTP server (aiosmtpd, started here): one message per staff member with a
visit or call, to that person only, with their route sheets, packets and
calendar attached (and no family's data in the body); --dry-run sends
nothing; a staff member without an address is reported and the exit
status says so; off loopback a server without STARTTLS gets nothing."""
import csv, email, email.policy, json, os, shutil, socket, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]


try:
    from aiosmtpd.controller import Controller
except ImportError as e:
    print("SKIP: python3-aiosmtpd is not installed:", e)
    sys.exit(77)


class Box:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


work = tempfile.mkdtemp(prefix="hv-send-")
controllers = []
try:
    sdir = os.path.join(work, "modes")
    shutil.copytree(os.path.join(fixtures, "modes"), sdir)
    out = os.path.join(work, "out")
    subprocess.run([hvplan, "plan", sdir, "-o", out], check=True, capture_output=True)
    plan = json.load(open(os.path.join(out, "plan.json")))
    staff = {r["id"]: r for r in csv.DictReader(open(os.path.join(sdir, "staff.csv")))}
    busy = {s for r in plan["routes"] for s in r["staff"]} | \
           {c["staff"] for c in plan.get("virtual_visits", [])}
    box = Box()
    port = free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    controllers.append(ctl)
    url = f"smtp://127.0.0.1:{port}"
    r = subprocess.run([hvplan, "send", out, "--smtp", url, "--from", "visits@lincoln.example.org",
                        "--dry-run"], capture_output=True, text=True)
    check(r.returncode == 0 and "would send" in r.stdout and not box.messages,
          f"dry run lists and sends nothing: {r.stdout[-300:]} {r.stderr[-300:]}")
    check(all(s in r.stdout for s in busy), "the dry run names everyone with a visit")
    r = subprocess.run([hvplan, "send", out, "--smtp", url, "--from", "visits@lincoln.example.org"],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"send exits 0: {r.stdout[-300:]} {r.stderr[-300:]}")
    check(len(box.messages) == len(busy), f"one message per busy staff member ({len(box.messages)} for {len(busy)})")
    families = [h for h in csv.DictReader(open(os.path.join(sdir, "households.csv")))]
    to_seen = set()
    for mail_from, rcpts, content in box.messages:
        check(mail_from == "visits@lincoln.example.org", "from the school's address")
        check(len(rcpts) == 1, "one recipient per message")
        sid = next(k for k, v in staff.items() if v["email"] == rcpts[0])
        to_seen.add(sid)
        msg = email.message_from_bytes(content, policy=email.policy.default)
        check(rcpts[0] in str(msg["To"]), f"To: is that person ({msg['To']})")
        names = sorted(p.get_filename() for p in msg.iter_attachments())
        want = set()
        for rt in plan["routes"]:
            if sid in rt["staff"]:
                want |= {f"{rt['date']}_{rt['pair']}.pdf"}
        for c in plan.get("virtual_visits", []):
            if c["staff"] == sid:
                want.add(f"{c['date']}_calls_{sid}.pdf")
        want.add(f"{sid}.ics")
        check(set(names) == want, f"{sid}'s attachments {names} (want {sorted(want)})")
        for p in msg.iter_attachments():
            data = p.get_content()
            if p.get_filename().endswith(".pdf"):
                check(data[:5] == b"%PDF-", f"{p.get_filename()} is a PDF")
            else:
                text = data if isinstance(data, str) else data.decode()
                check("BEGIN:VCALENDAR" in text, "the calendar is attached")
        body = msg.get_body(preferencelist=("plain",)).get_content()
        check("week of " + plan["week_of"] in body, "the body names the week")
        for h in families:
            check(h["guardian"] not in body and h["address"] not in body,
                  "no family's data in the body")
    check(to_seen == busy, f"everyone busy got theirs, nobody else: {sorted(to_seen)}")

    # The same from the dashboard: POST /api/send with scenario.json's mail.
    import http.cookiejar, sqlite3, urllib.parse, urllib.request
    prog = os.path.join(work, "prog")
    shutil.copytree(os.path.join(fixtures, "modes"), prog)
    sc = json.load(open(os.path.join(prog, "scenario.json")))
    subprocess.run([hvplan, "init", prog], check=True, capture_output=True)
    subprocess.run([hvplan, "plan", prog, "-o", os.path.join(prog, "week")], check=True,
                   capture_output=True)
    for login, role, extra in (("cora", "coordinator", []), ("ana", "staff", ["--staff", "S01"])):
        subprocess.run([hvplan, "users", "add", prog, "--login", login, "--role", role, *extra],
                       input="a-long-password\n", check=True, capture_output=True, text=True)
    wport = free_port()
    server = subprocess.Popen([hvplan, "serve", prog, "--listen", f"127.0.0.1:{wport}"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    server.stdout.readline()

    def session(login):
        jar = http.cookiejar.CookieJar()
        op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        op.open(f"http://127.0.0.1:{wport}/login",
                urllib.parse.urlencode({"login": login, "password": "a-long-password"}).encode())
        tok = json.loads(op.open(f"http://127.0.0.1:{wport}/api/session").read())["csrf"]
        return op, tok

    def post(op, tok, body):
        rq = urllib.request.Request(f"http://127.0.0.1:{wport}/api/send", data=json.dumps(body).encode(),
                                    method="POST", headers={"Content-Type": "application/json",
                                                            "X-CSRF-Token": tok})
        try:
            with op.open(rq) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
    try:
        op, tok = session("cora")
        st, j = post(op, tok, {"week_of": plan["week_of"]})
        check(st == 409 and "mail.smtp" in j.get("error", ""), f"no mail settings: {st} {j}")
        sc["mail"] = {"smtp": url, "from": "visits@lincoln.example.org"}
        json.dump(sc, open(os.path.join(prog, "scenario.json"), "w"))
        box.messages.clear()
        st, j = post(op, tok, {"week_of": plan["week_of"], "dry_run": True})
        check(st == 200 and j["dry_run"] and not box.messages and
              {x["staff"] for x in j["staff"]} == busy, f"dashboard dry run: {st} {j.get('staff')}")
        st, j = post(op, tok, {"week_of": plan["week_of"]})
        check(st == 200 and j["sent"] == len(busy) and len(box.messages) == len(busy),
              f"dashboard send: {st} sent {j.get('sent')}, received {len(box.messages)}")
        aop, atok = session("ana")
        st, _ = post(aop, atok, {"week_of": plan["week_of"]})
        check(st == 403, "staff cannot send")
        db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
        check(db.execute("SELECT count(*) FROM audit WHERE action = 'week sent' AND login = 'cora'")
              .fetchone()[0] == 1, "sending is audited")
        db.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    # A staff member without an address: reported, the rest sent, exit 4.
    box.messages.clear()
    rows = list(csv.DictReader(open(os.path.join(sdir, "staff.csv"))))
    victim = sorted(busy)[0]
    for row in rows:
        if row["id"] == victim:
            row["email"] = ""
    with open(os.path.join(sdir, "staff.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = subprocess.run([hvplan, "send", out, "--smtp", url, "--from", "visits@lincoln.example.org"],
                       capture_output=True, text=True)
    check(r.returncode == 4 and "no e-mail address" in r.stdout,
          f"a missing address is reported ({r.returncode}): {r.stdout[-300:]}")
    check(len(box.messages) == len(busy) - 1, "the others are still sent")
    r = subprocess.run([hvplan, "send", out, "--smtp", "http://x", "--from", "a@b.c"],
                       capture_output=True, text=True)
    check(r.returncode != 0 and "--smtp" in r.stderr, "only smtp:// or smtps://")

    # Off loopback: STARTTLS is required, so a server without it gets nothing.
    ip = None
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("10.255.255.255", 1))
        ip = s.getsockname()[0]
        s.close()
    except OSError:
        pass
    if ip and not ip.startswith("127."):
        box2 = Box()
        port2 = free_port()
        ctl2 = Controller(box2, hostname=ip, port=port2)
        ctl2.start()
        controllers.append(ctl2)
        r = subprocess.run([hvplan, "send", out, "--smtp", f"smtp://{ip}:{port2}",
                            "--from", "visits@lincoln.example.org"], capture_output=True, text=True)
        check(r.returncode != 0 and not box2.messages,
              f"no TLS off loopback: refused ({r.returncode}), nothing received")
    else:
        print("note: no address other than loopback here; the STARTTLS check is not run")
finally:
    for c in controllers:
        c.stop()
    shutil.rmtree(work, ignore_errors=True)

done()
