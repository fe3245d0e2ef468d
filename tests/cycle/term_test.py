#!/usr/bin/env python3
"""tests/cycle/term_test.py HVPLAN FIXTURES -- a term of six weeks on the
demo district (fixtures/term/term.json): plan -> record -> next, six times,
with a seeded visit log per week.  Checks, every week:

  * no family is visited twice in a week;
  * every family not home is tried again on another day or window when it
    has one;
  * every follow-up due falls in its week, with the same pair when both
    work that week;
  * declined and moved families never reappear;
  * attempts and priorities follow the rule (priority + 15 per not-home
    visit since the last meeting, at most 100; the office after 3);
  * the three scripted families' histories equal fixtures/term/expected.
"""
import csv, datetime, io, json, os, random, shutil, sqlite3, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, runner  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]
term = json.load(open(os.path.join(fixtures, "term", "term.json")))
rng = random.Random(term["seed"])


run = runner(hvplan)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def windows(text):
    """'mon,wed 11:30-13:30; sat 09:00-12:00' -> [(day, start, end)]."""
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        ds, hours = part.rsplit(" ", 1)
        a, b = hours.split("-")
        start = int(a[:-3]) * 60 + int(a[-2:])
        end = int(b[:-3]) * 60 + int(b[-2:])
        for item in ds.split(","):
            if "-" in item:
                x, y = item.split("-")
                for d in range(days.index(x[:3]), days.index(y[:3]) + 1):
                    out.append((d, start, end))
            else:
                out.append((days.index(item[:3]), start, end))
    return out


def minutes(hhmm):
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


tmp = tempfile.mkdtemp(prefix="hv_term_")
try:
    prog = os.path.join(tmp, "prog")
    shutil.copytree(os.path.join(fixtures, "demo"), prog)
    original = {r["id"]: r for r in read_csv(os.path.join(prog, "households.csv"))}
    run("init", prog)
    scenario = prog
    script_pos = {h: 0 for h in term["scripted"]}
    gone = {}  # household -> week it declined or moved
    last_attempt = {}  # household -> (weekday, start) of the last not-home
    due = {}  # household -> (follow-up date, staff pair)
    outcomes, probs = zip(*term["outcomes"].items())
    for wi, week in enumerate(term["weeks"]):
        out = os.path.join(tmp, f"w{wi + 1}")
        run("plan", scenario, "-o", out, "--no-pdf", "-q",
            "--time-limit", "60", "--iterations", "20000")
        plan = json.load(open(os.path.join(out, "plan.json")))
        hh = {r["id"]: r for r in read_csv(os.path.join(scenario, "households.csv"))}
        staff = {r["id"] for r in read_csv(os.path.join(scenario, "staff.csv"))}
        visits = {}
        for r in plan["routes"]:
            for s in r["stops"]:
                check(s["household"] not in visits,
                      f"week {week}: {s['household']} visited twice")
                visits[s["household"]] = (r, s)
        for h in visits:
            check(h not in gone, f"week {week}: {h} reappears after "
                  f"{gone.get(h)}")
        monday = datetime.date.fromisoformat(week)
        # Retries elsewhen; follow-ups in their week with the same pair.
        for h, (wd, start) in last_attempt.items():
            if h not in visits:
                continue
            r, s = visits[h]
            day = datetime.date.fromisoformat(r["date"]).weekday()
            own = windows(original[h]["availability"]) or [
                (d, 0, 1440) for d in range(6)]
            same = [w for w in own if w[0] == wd and w[1] <= start < w[2]]
            others = [w for w in own if w not in same]
            if others:
                inside = any(w[0] == day and w[1] <= minutes(s["start"]) < w[2]
                             for w in same)
                check(not inside, f"week {week}: {h} retried in the window "
                      f"of its last attempt")
        for h, (date, pair) in due.items():
            if not (monday <= date <= monday + datetime.timedelta(days=6)):
                continue
            if h in gone:
                continue
            check(h in hh and hh[h]["visit_type"] == "follow_up",
                  f"week {week}: follow-up of {h} not in households.csv")
            check(h in visits, f"week {week}: follow-up of {h} not visited")
            if h in visits and all(p in staff for p in pair):
                check(set(visits[h][0]["staff"]) == set(pair),
                      f"week {week}: follow-up of {h} by "
                      f"{visits[h][0]['staff']}, not {pair}")
        # Attempts and priorities as the rule says.
        for h, row in hh.items():
            n = int(row.get("attempts") or 0)
            if n > 0:
                want = min(100, int(original[h]["priority"]) + 15 * n)
                check(int(row["priority"]) == want,
                      f"week {week}: {h} priority {row['priority']}, "
                      f"want {want} after {n} not-home visits")
                check(n < 3, f"week {week}: {h} planned after {n} attempts")
        # The week's visit log.
        log = io.StringIO()
        w = csv.writer(log)
        w.writerow(["household", "date", "outcome", "barriers", "referrals",
                    "next_step", "follow_up_date", "notes", "staff"])
        for h, (r, s) in sorted(visits.items()):
            follow = ""
            if h in term["scripted"]:
                steps = term["scripted"][h]
                step = steps[script_pos[h]] if script_pos[h] < len(steps) else ["met"]
                script_pos[h] += 1
                o = step[0]
                if len(step) > 1:
                    follow = str(datetime.date.fromisoformat(r["date"]) +
                                 datetime.timedelta(days=step[1]))
            else:
                o = rng.choices(outcomes, probs)[0]
                if o == "met" and rng.random() < term["follow_up_share"]:
                    follow = str(datetime.date.fromisoformat(r["date"]) +
                                 datetime.timedelta(days=rng.choice([7, 14])))
            w.writerow([h, r["date"], o, "transportation" if o == "met" else "",
                        "", "call in a week" if follow else "", follow, "", ""])
            if o in ("declined", "moved"):
                gone[h] = week
            if o == "not_home":
                last_attempt[h] = (datetime.date.fromisoformat(r["date"]).weekday(),
                                   minutes(s["start"]))
            else:
                last_attempt.pop(h, None)
            if follow:
                due[h] = (datetime.date.fromisoformat(follow), tuple(r["staff"]))
        logpath = os.path.join(tmp, f"visits{wi + 1}.csv")
        open(logpath, "w", newline="").write(log.getvalue())
        out_rec = run("record", prog, "--week", os.path.join(out, "plan.json"),
                      "--log", logpath).stdout
        check(f"{len(visits)} recorded" in out_rec, f"week {week}: {out_rec}")
        nxt = os.path.join(tmp, f"n{wi + 2}")
        next_week = str(monday + datetime.timedelta(days=7))
        run("next", prog, "--week-of", next_week, "-o", nxt)
        scenario = nxt
    # The scripted families, against their histories written by hand.
    for h in term["scripted"]:
        got = list(csv.DictReader(io.StringIO(run("history", prog, "--household",
                                                  h, "--csv").stdout)))
        got = [(e["kind"], e["result"], e["attempt"]) for e in got
               if e["kind"] != "planned"]
        want = [(e["kind"], e["result"], e["attempt"]) for e in
                read_csv(os.path.join(fixtures, "term", "expected", f"{h}.csv"))]
        check(got == want, f"history of {h}: {got} != {want}")
    db = sqlite3.connect(os.path.join(prog, "program.sqlite"))
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
          "integrity_check")
    check(db.execute("PRAGMA foreign_key_check").fetchall() == [],
          "foreign_key_check")
    n_out = db.execute("SELECT count(*) FROM outcome").fetchone()[0]
    print(f"term: {len(term['weeks'])} weeks, {n_out} outcomes recorded")
finally:
    shutil.rmtree(tmp)
done()
