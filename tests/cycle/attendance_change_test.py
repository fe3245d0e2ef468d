#!/usr/bin/env python3
"""tests/cycle/attendance_change_test.py HVPLAN FIXTURES -- attendance before
and after the visits.  A program flags students from an export (absences up
to Friday 27 February), plans and records the week of 2 March (half the
visited families met, half not at home), imports the export of 27 March,
and `hvplan report --from --to` must give, for families met and for
families never met, exactly the absence rates computed here from the
generated absences: before = absences to 27 Feb over the school days to
27 Feb, after = absences 2-27 March over those 20 school days; students who
improved below the threshold (so no longer flagged) still count."""
import csv, datetime, json, os, random, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, runner  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]
rng = random.Random(2027)


run = runner(hvplan)


def school_days(a, b):
    d, out = a, []
    while d <= b:
        if d.weekday() < 5:
            out.append(d)
        d += datetime.timedelta(days=1)
    return out


TERM = datetime.date(2026, 1, 5)
CUT1 = datetime.date(2026, 2, 27)
CUT2 = datetime.date(2026, 3, 27)
before_days = school_days(TERM, CUT1)
after_days = school_days(datetime.date(2026, 3, 2), CUT2)

students = []
for f in range(16):
    for k in range(rng.choice([1, 1, 2])):
        sid = 5000 + 10 * f + k
        nb = rng.randint(6, 14)  # chronic before: 6..14 of 40 days
        ab = sorted(rng.sample(before_days[:-1], nb))
        na = rng.randint(0, 6)
        aa = sorted(rng.sample(after_days[:-1], na))
        students.append({"id": str(sid), "family": f, "before": ab, "after": aa,
                         "name": f"Kid{sid} Fam{f}", "guardian": f"Guardian {f}",
                         "address": f"{100 + f} Maple Street"})
# Each export ends on its cut date.
students[0]["before"].append(CUT1)
students[0]["after"].append(CUT2)


def export(path, upto):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Student ID", "Student Name", "Grade", "Guardian", "Phone", "Address",
                    "Home Language", "Date", "Period", "Code"])
        for s in students:
            days = s["before"] + (s["after"] if upto == CUT2 else [])
            for d in days:
                w.writerow([s["id"], s["name"], "5", s["guardian"], "612-555-0000",
                            s["address"], "en", d.isoformat(), "full day", "A"])


work = tempfile.mkdtemp(prefix="hv-att-")
try:
    prog = os.path.join(work, "prog")
    os.makedirs(prog)
    shutil.copy(os.path.join(fixtures, "demo", "staff.csv"), prog)
    sc = json.load(open(os.path.join(fixtures, "demo", "scenario.json")))
    sc["attendance"] = {"term_start": TERM.isoformat()}
    sc["solver"] = {"time_limit_s": 2, "seed": 3}
    json.dump(sc, open(os.path.join(prog, "scenario.json"), "w"), indent=2)
    e1, e2 = os.path.join(work, "feb.csv"), os.path.join(work, "mar.csv")
    export(e1, CUT1)
    export(e2, CUT2)
    run("flag", prog, "--attendance", e1)
    run("init", prog)
    out = run("flag", prog, "--attendance", e1).stdout
    check("attendance in program.sqlite" in out, "the February export is stored")
    # Coordinates near the school, any time (the test is about attendance).
    hpath = os.path.join(prog, "households.csv")
    rows = list(csv.DictReader(open(hpath, encoding="utf-8-sig")))
    fields = list(rows[0].keys())
    for c in ("lat", "lon"):
        if c not in fields:
            fields.append(c)
    for i, r in enumerate(rows):
        r["lat"] = f"{44.965 + 0.002 * (i % 5):.5f}"
        r["lon"] = f"{-93.25 + 0.002 * (i // 5):.5f}"
    with open(hpath, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    check(len(rows) == 16, f"16 households flagged ({len(rows)})")
    week = os.path.join(work, "week")
    run("plan", prog, "-o", week, "--no-pdf")
    plan = json.load(open(os.path.join(week, "plan.json")))
    visited = [(s["household"], r["date"]) for r in plan["routes"] for s in r["stops"]]
    check(len(visited) >= 8, f"at least 8 families visited ({len(visited)})")
    log = os.path.join(work, "visits.csv")
    met_h = set()
    with open(log, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["household", "date", "outcome"])
        for i, (h, d) in enumerate(visited):
            oc = "met" if i % 2 == 0 else "not_home"
            if oc == "met":
                met_h.add(h)
            w.writerow([h, d, oc])
    run("record", prog, "--week", os.path.join(week, "plan.json"), "--log", log)
    run("flag", prog, "--attendance", e2)
    rep = os.path.join(work, "rep")
    run("report", prog, "--from", "2026-03-02", "--to", "2026-03-31", "-o", rep)
    got = {r["measure"]: r["value"] for r in csv.DictReader(open(os.path.join(rep, "summary.csv")))}

    # Expected, from the generated absences.
    hh_of = {}
    for r in rows:
        for sid in r["student_ids"].split(";"):
            hh_of[sid.strip()] = r["id"]
    visited_h = {h for h, _ in visited}
    for group, members in (("met", met_h), ("not_met", visited_h - met_h)):
        sel = [s for s in students if hh_of.get(s["id"]) in members]
        ab = sum(len(s["before"]) for s in sel)
        eb = len(before_days) * len(sel)
        aa = sum(len(s["after"]) for s in sel)
        ea = len(after_days) * len(sel)
        check(int(got.get(f"attendance_{group}_students", -1)) == len(sel),
              f"{group}: {len(sel)} students (got {got.get(f'attendance_{group}_students')})")
        if not sel:
            continue
        check(abs(float(got[f"attendance_{group}_absence_before_pct"]) - 100 * ab / eb) < 0.051,
              f"{group}: before {100 * ab / eb:.1f} % (got {got[f'attendance_{group}_absence_before_pct']})")
        check(abs(float(got[f"attendance_{group}_absence_after_pct"]) - 100 * aa / ea) < 0.051,
              f"{group}: after {100 * aa / ea:.1f} % (got {got[f'attendance_{group}_absence_after_pct']})")
        imp = sum(1 for s in sel if len(s["after"]) / len(after_days) < len(s["before"]) / len(before_days))
        check(int(got[f"attendance_{group}_improved"]) == imp, f"{group}: {imp} improved")
        cb = sum(1 for s in sel if len(s["before"]) / len(before_days) >= 0.10)
        ca = sum(1 for s in sel if len(s["after"]) / len(after_days) >= 0.10)
        check(int(got[f"attendance_{group}_chronic_before"]) == cb, f"{group}: {cb} chronic before")
        check(int(got[f"attendance_{group}_chronic_after"]) == ca, f"{group}: {ca} chronic after")
    text = subprocess.run(["pdftotext", os.path.join(rep, "summary.pdf"), "-"],
                          capture_output=True, text=True).stdout
    check("Families met:" in " ".join(text.split()), "summary.pdf shows the families met")
    check("not that the visits caused it" in " ".join(text.split()), "and says what it does not prove")
    # A range with no first visit: no students, no crash.
    rep2 = os.path.join(work, "rep2")
    run("report", prog, "--from", "2026-01-01", "--to", "2026-01-31", "-o", rep2)
    got2 = {r["measure"]: r["value"] for r in csv.DictReader(open(os.path.join(rep2, "summary.csv")))}
    check(got2.get("attendance_met_students") == "0", "no first visit in January")
finally:
    shutil.rmtree(work, ignore_errors=True)

done()
