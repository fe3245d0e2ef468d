#!/usr/bin/env python3
"""tests/plan/pin_test.py HVPLAN FIXTURES -- pinned visits.  On the demo
week, visits marked "pinned" in plan.json stay with the same pair, on the
same day, at the same time when the week is re-planned with --keep (from
Monday and from Wednesday, with another seed), also a visit moved to a new
time before it was pinned; every re-planned week passes hvplan check; a
pin to a pair that no longer works that day is refused with a clear
message."""
import json, os, shutil, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done, runner  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]


run = runner(hvplan)


def stops(plan):
    return {s["household"]: (r["pair"], r["day"], s["start"]) for r in plan["routes"]
            for s in r["stops"]}


work = tempfile.mkdtemp(prefix="hv-pin-")
try:
    demo = os.path.join(fixtures, "demo")
    out = os.path.join(work, "w1")
    run("plan", demo, "-o", out, "--no-pdf", "--time-limit", "2")
    path = os.path.join(out, "plan.json")
    plan = json.load(open(path))
    # Pin the last visit of three routes on different days.
    pinned, days = {}, set()
    for r in plan["routes"]:
        if r["day"] in days or len(r["stops"]) < 2:
            continue
        s = r["stops"][-1]
        s["pinned"] = True
        pinned[s["household"]] = (r["pair"], r["day"], s["start"])
        days.add(r["day"])
        if len(pinned) == 3:
            break
    json.dump(plan, open(path, "w"), indent=2)
    check(len(pinned) == 3, f"three visits pinned: {pinned}")
    for frm, seed in (("mon", "11"), ("wed", "12")):
        o2 = os.path.join(work, "re-" + frm)
        run("plan", demo, "-o", o2, "--no-pdf", "--time-limit", "2", "--seed", seed,
            "--keep", path, "--from", frm)
        p2 = json.load(open(os.path.join(o2, "plan.json")))
        got = stops(p2)
        for h, where in pinned.items():
            check(got.get(h) == where, f"from {frm}: {h} stays {where} (got {got.get(h)})")
        flags = {s["household"] for r in p2["routes"] for s in r["stops"] if s.get("pinned")}
        check(set(pinned) <= flags, f"from {frm}: the pins are kept in the new plan.json")
        r = run("check", os.path.join(o2, "plan.json"), ok=False)
        check(r.returncode == 0, f"from {frm}: the re-planned week passes check: {r.stderr[-300:]}")
    # A pin to a pair that does not work that day: refused.
    bad = json.load(open(path))
    r0 = next(r for r in bad["routes"] if any(s.get("pinned") for s in r["stops"]))
    r0["pair"] = "P99"
    bp = os.path.join(work, "bad.json")
    json.dump(bad, open(bp, "w"), indent=2)
    r = run("plan", demo, "-o", os.path.join(work, "bad"), "--no-pdf", "--time-limit", "1",
            "--keep", bp, "--from", "mon", ok=False)
    check(r.returncode != 0 and "pinned to pair P99" in r.stderr,
          f"a pin to an absent pair is refused: {r.stderr[-300:]}")
    check(not os.path.exists(os.path.join(work, "bad")), "and nothing is written")
finally:
    shutil.rmtree(work, ignore_errors=True)

done()
