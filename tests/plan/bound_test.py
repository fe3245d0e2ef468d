#!/usr/bin/env python3
"""tests/plan/bound_test.py HVPLAN FIXTURES -- the proof of quality: on every
planning fixture (and generated districts with seeds not tuned on) the
bound plan.json carries (summary.priority_bound) is never below the
priority the plan covers nor above the total; the plan's summary says how
close to the best possible it is; the what-if table has the bound per
staffing level.  (tests/solver checks the bound against proven optima.)"""
import csv, json, os, random, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]


work = tempfile.mkdtemp(prefix="hv-bound-")
try:
    folders = [os.path.join(fixtures, f) for f in ("demo", "small", "modes", "plan/reasons",
                                                    "plan/nobody")]
    for seed in (71, 72, 73):
        rng = random.Random(seed)
        g = os.path.join(work, f"gen{seed}")
        shutil.copytree(os.path.join(fixtures, "small"), g)
        with open(os.path.join(g, "households.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "student", "guardian", "phone", "address", "lat", "lon", "language",
                        "priority", "availability", "duration_min"])
            for i in range(rng.randint(15, 40)):
                w.writerow([f"G{i}", "Kid", "Parent", "555", "1 Main", f"{44.94 + rng.random() * 0.06:.5f}",
                            f"{-93.28 + rng.random() * 0.07:.5f}", rng.choice(["en", "es", "so", "vi"]),
                            rng.randint(1, 100),
                            rng.choice(["", "mon-fri 15:00-18:00", "tue,thu 12:00-14:00", "wed 08:00-09:30"]),
                            rng.choice(["", "30", "60"])])
        folders.append(g)
    for d in folders:
        out = os.path.join(work, "out-" + os.path.basename(d))
        r = subprocess.run([hvplan, "plan", d, "-o", out, "--no-pdf", "--time-limit", "3"],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{d} planned: {r.stderr[-200:]}")
        s = json.load(open(os.path.join(out, "plan.json")))["summary"]
        b = s.get("priority_bound")
        check(b is not None, f"{d}: a bound")
        if b is None:
            continue
        check(s["priority_covered"] <= b <= s["priority_total"],
              f"{d}: covered {s['priority_covered']} <= bound {b} <= total {s['priority_total']}")
        if b > 0:
            check("No plan can cover more than %d priority" % b in r.stdout,
                  f"{d}: the summary says so")
        # These weeks are small enough for column generation over routes.
        check(s.get("priority_bound_from") == "columns" or b == 0,
              f"{d}: bound from priced routes ({s.get('priority_bound_from')})")
    wi = os.path.join(work, "wi")
    r = subprocess.run([hvplan, "whatif", os.path.join(fixtures, "demo"), "-o", wi, "--pairs", "3..4",
                        "--time-limit", "4"], capture_output=True, text=True)
    check(r.returncode == 0, "what-if ran: " + r.stderr[-200:])
    rows = list(csv.DictReader(open(os.path.join(wi, "whatif.csv"))))
    check(rows and all(int(x["priority_bound"]) >= int(x["priority_covered"]) for x in rows),
          f"the what-if table carries a bound per staffing level: {[(x['variant'], x['priority_covered'], x.get('priority_bound')) for x in rows]}")
finally:
    shutil.rmtree(work, ignore_errors=True)

done()
