#!/usr/bin/env python3
"""tests/flag/flag_test.py HVPLAN FIXTURES -- `hvplan flag` on a generated
student-information-system export (seeded) whose flags are known: the
flagged set, the sibling grouping and the priority order are asserted, in
both export shapes (one row per student; one row per absence, which must
give the same rates), a trend flag, stable ids and merging on a second
export, and --explain."""
import csv, datetime, os, random, shutil, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, runner  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]
rng = random.Random(1414)


run = runner(hvplan)


TERM = datetime.date(2026, 1, 5)  # a Monday
AS_OF = datetime.date(2026, 3, 27)  # a Friday
days = [TERM + datetime.timedelta(days=k) for k in range((AS_OF - TERM).days + 1)]
school = [d for d in days if d.weekday() < 5]
ENROLLED = len(school)
recent = school[-30:]
STREETS = [("Oak Street", "oak st"), ("Elm Avenue", "Elm Ave."), ("Pine Road", "pine rd")]
LANGS = ["English", "Spanish", "Somali", "Vietnamese", "Arabic"]
GRADES = ["K", "1", "3", "5", "7", "9", "11"]

# Families of 1-3 students; each student gets an absence pattern.
families, students = [], []
sid = 20000
for f in range(120):
    n = rng.choice([1, 1, 1, 2, 2, 3])
    street, variant = rng.choice(STREETS)
    number = rng.randint(1, 999)
    fam = {"guardian": f"Guardian {f} Næss", "phone": f"612-555-{f:04d}",
           "language": rng.choice(LANGS), "students": []}
    for k in range(n):
        sid += rng.randint(1, 7)
        # Absence: a rate drawn around the threshold, some zero.
        rate = rng.choice([0.0, 0.02, 0.05, 0.08, 0.12, 0.18, 0.25, 0.4])
        absent = sorted(rng.sample(school, int(round(rate * ENROLLED))))
        st = {"id": str(sid), "name": f"Étudiant {sid} 学生", "grade": rng.choice(GRADES),
              "absent": absent,
              # siblings write the address differently
              "address": f"{number} {street if k % 2 == 0 else variant}"}
        fam["students"].append(st)
        students.append((fam, st))
    families.append(fam)
# One student trending: few absences all term, most of them recent.
tfam = families[0]
tst = tfam["students"][0]
tst["absent"] = recent[-5:]  # 5 of 59 days (8.5 %) but 5 of 30 recent (16.7 %)


def chronic(st):
    return len(st["absent"]) / ENROLLED >= 0.10


def trending(st):
    return not chronic(st) and sum(1 for d in st["absent"] if d in recent) / 30 >= 0.10


def write_per_student(path, with_recent):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, lineterminator="\r\n")
        head = ["Student ID", "Student Name", "Grade", "Guardian", "Phone",
                "Address", "Home Language", "Enrolled Days", "Absent Days"]
        if with_recent:
            head += ["recent_days", "recent_absent_days"]
        w.writerow(head)
        for fam, st in students:
            row = [st["id"], st["name"], st["grade"], fam["guardian"], fam["phone"],
                   st["address"], fam["language"], ENROLLED, len(st["absent"])]
            if with_recent:
                row += [30, sum(1 for d in st["absent"] if d in recent)]
            w.writerow(row)


def write_per_absence(path):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["student_id", "name", "grade", "guardian", "phone", "address",
                    "language", "date", "period", "code"])
        rows = []
        for fam, st in students:
            for d in st["absent"]:
                base = [st["id"], st["name"], st["grade"], fam["guardian"],
                        fam["phone"], st["address"], fam["language"], str(d)]
                if rng.random() < 0.3:
                    # a full day written as six period rows
                    rows += [base + [str(p), "U"] for p in range(1, 7)]
                else:
                    rows.append(base + ["full day", "A"])
        # The export's last day: every student present, one late arrival
        # by a flagged student so that the export ends on AS_OF.
        rng.shuffle(rows)
        w.writerows(rows)


def read_households(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


tmp = tempfile.mkdtemp(prefix="hv_flag_")
try:
    results = {}
    for shape in ("per_student", "per_absence"):
        prog = os.path.join(tmp, shape)
        os.makedirs(prog)
        shutil.copy(os.path.join(fixtures, "demo", "staff.csv"), prog)
        with open(os.path.join(fixtures, "demo", "scenario.json")) as f:
            sj = f.read()
        sj = sj.rstrip().rstrip("}") + (
            ', "attendance": {"term_start": "%s", "trend_days": 30}}\n' % TERM)
        open(os.path.join(prog, "scenario.json"), "w").write(sj)
        export = os.path.join(tmp, f"{shape}.csv")
        if shape == "per_student":
            write_per_student(export, with_recent=True)
        else:
            write_per_absence(export)
        out = run("flag", prog, "--attendance", export).stdout
        check(("one row per student" if shape == "per_student" else
               "one row per absence") in out, f"{shape}: shape detected: {out}")
        rows = read_households(os.path.join(prog, "households.csv"))
        results[shape] = rows
        by_students = {frozenset(s.strip() for s in r["student_ids"].split(";")): r
                       for r in rows}
        # The flagged set and the sibling grouping.
        want = [fam for fam in families
                if any(chronic(s) or trending(s) for s in fam["students"])]
        # A per-absence export names only students with absences.
        listed = (lambda s: True) if shape == "per_student" else (lambda s: s["absent"])
        check(len(rows) == len(want), f"{shape}: {len(rows)} households, want {len(want)}")
        for fam in want:
            ids = frozenset(s["id"] for s in fam["students"] if listed(s))
            check(ids in by_students, f"{shape}: family {sorted(ids)} not one household")
            if ids not in by_students:
                continue
            r = by_students[ids]
            flagged = [s for s in fam["students"] if chronic(s) or trending(s)]
            check(r["student"] == "; ".join(s["name"] for s in flagged),
                  f"{shape}: {r['id']} lists {r['student']!r}")
            worst = max(len(s["absent"]) / ENROLLED for s in fam["students"])
            check(abs(float(r["absence_rate"]) - 100 * worst) < 0.051,
                  f"{shape}: {r['id']} rate {r['absence_rate']} want {100 * worst:.1f}")
            check(r["id"] == "H" + min(ids), f"{shape}: id {r['id']}")
        # The trending student is flagged, though under the threshold.
        check(any(tst["id"] in r["student_ids"] for r in rows),
              f"{shape}: trending student not flagged")
        # Priority is monotone: among single-student households of the same
        # grade band, more absence never means a lower priority.
        singles = [(len(fam["students"][0]["absent"]), int(by_students[frozenset(
            [fam["students"][0]["id"]])]["priority"]), fam["students"][0]["grade"] in ("K", "9"))
            for fam in want if len(fam["students"]) == 1 and fam is not tfam]
        for a in singles:
            for b in singles:
                if a[2] == b[2] and a[0] > b[0]:
                    check(a[1] >= b[1], f"{shape}: priority not monotone {a} {b}")
        # Running again changes nothing.
        before = open(os.path.join(prog, "households.csv"), "rb").read()
        run("flag", prog, "--attendance", export)
        after = open(os.path.join(prog, "households.csv"), "rb").read()
        if after != before:
            import difflib
            print("".join(list(difflib.unified_diff(before.decode().splitlines(True), after.decode().splitlines(True)))[:12]))
        check(after == before, f"{shape}: a second run changed households.csv")
        # --explain shows the rule's steps and writes nothing.
        hid = rows[0]["id"]
        ex = run("flag", prog, "--attendance", export, "--explain", hid).stdout
        check(f"Household {hid}" in ex and "rate part:" in ex and
              f"Household priority: {rows[0]['priority']}" in ex,
              f"{shape}: --explain: {ex[:300]}")
    # Both shapes give the same households and priorities (the per-absence
    # trend is over the same last 30 school days).
    a = {r["student"]: r["priority"] for r in results["per_student"]}
    b = {r["student"]: r["priority"] for r in results["per_absence"]}
    check(a == b, "per-student and per-absence exports disagree: " +
          str(sorted(set(a.items()) ^ set(b.items()))[:4]))
    # Merging: coordinates and a note added by hand stay; a family whose
    # absences stop is reported and left out; a new family gets a new id.
    prog = os.path.join(tmp, "per_student")
    path = os.path.join(prog, "households.csv")
    rows = read_households(path)
    keep = rows[1]
    keep["lat"], keep["lon"], keep["notes"] = "44.95", "-93.25", "ring twice"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    gone = rows[2]
    gone_ids = [s.strip() for s in gone["student_ids"].split(";")]
    for fam, st in students:
        if st["id"] in gone_ids:
            st["absent"] = []
    export = os.path.join(tmp, "second.csv")
    write_per_student(export, with_recent=True)
    out = run("flag", prog, "--attendance", export).stdout
    check(f"{gone['id']}" in out and "no longer flagged" in out,
          f"merge: {gone['id']} not reported: {out}")
    rows2 = {r["id"]: r for r in read_households(path)}
    check(gone["id"] not in rows2, "merge: unflagged household still listed")
    check(keep["id"] in rows2 and rows2[keep["id"]]["lat"] == "44.95" and
          rows2[keep["id"]]["notes"] == "ring twice",
          "merge: coordinates or notes lost")
    check(all(r["id"] in rows2 for r in rows if r["id"] != gone["id"]),
          "merge: an id changed")
finally:
    shutil.rmtree(tmp)
done()
