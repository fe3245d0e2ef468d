#!/usr/bin/env python3
"""tests/cli/vroom_test.py HVPLAN FIXTURES -- `hvplan solve --vroom`: VROOM's
input format in, VROOM's output format out.  The output is checked by a
validator written here from VROOM's documented format (keys, steps, each
job once, loads within capacity, arrivals and waits from the matrix,
windows, skills, summary totals) and against the hand-checked answer of
fixtures/vroom/small.json; coordinates become a geodesic matrix;
unsupported keys are refused by name; invalid JSON by line."""
import copy, json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pyhelp import check, done  # noqa: E402

hvplan, fixtures = sys.argv[1], sys.argv[2]


def solve(problem, ok=True):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(problem, f)
        path = f.name
    r = subprocess.run([hvplan, "solve", "--vroom", path, "--time-limit", "2", "--iterations", "20000"],
                       capture_output=True, text=True)
    os.unlink(path)
    if ok and r.returncode != 0:
        print(r.stderr)
    return r


def validate(problem, out, label):
    """VROOM's output rules, against the input's matrix."""
    for k in ("code", "summary", "unassigned", "routes"):
        check(k in out, f"{label}: output has '{k}'")
    dur = next(iter(problem["matrices"].values()))["durations"]
    jobs = {j["id"]: j for j in problem["jobs"]}
    vehs = {v["id"]: v for v in problem["vehicles"]}
    served = []
    tot = {"cost": 0, "service": 0, "duration": 0, "waiting_time": 0, "priority": 0}
    for r in out["routes"]:
        v = vehs[r["vehicle"]]
        steps = r["steps"]
        check(steps[0]["type"] == "start" and steps[-1]["type"] == "end", f"{label}: start ... end")
        t = steps[0]["arrival"]
        prev = v.get("start_index")
        travel = service = wait = prio = 0
        load = sum(jobs[s["id"]].get("delivery", [0])[0] for s in steps if s["type"] == "job")
        cap = v.get("capacity", [None])[0]
        if cap is not None:
            check(load <= cap, f"{label}: vehicle {v['id']} loads {load} <= {cap}")
        tw = v.get("time_window", [0, 10 ** 12])
        check(t >= tw[0], f"{label}: vehicle {v['id']} leaves in its window")
        for s in steps[1:-1]:
            check(s["type"] == "job", f"{label}: only job steps inside")
            j = jobs[s["id"]]
            served.append(s["id"])
            loc = j["location_index"]
            leg = dur[prev][loc] if prev is not None else 0
            travel += leg
            check(s["arrival"] == t + leg, f"{label}: job {s['id']} arrival {s['arrival']} == {t + leg}")
            start = s["arrival"] + s["waiting_time"]
            wins = j.get("time_windows", [[0, 10 ** 12]])
            check(any(a <= start <= b for a, b in wins), f"{label}: job {s['id']} starts in a window")
            check(set(j.get("skills", [])) <= set(v.get("skills", [])), f"{label}: skills of {s['id']}")
            check(s["duration"] == travel, f"{label}: cumulative duration at {s['id']}")
            t = start + j.get("service", 0)
            service += j.get("service", 0)
            wait += s["waiting_time"]
            prio += j.get("priority", 0)
            prev = loc
        end = steps[-1]
        leg = dur[prev][v["end_index"]] if "end_index" in v and prev is not None else 0
        travel += leg
        check(end["arrival"] == t + leg and end["arrival"] <= tw[1], f"{label}: vehicle {v['id']} back in time")
        check((r["duration"], r["service"], r["waiting_time"], r["priority"]) == (travel, service, wait, prio),
              f"{label}: route {v['id']} totals")
        for k, x in (("cost", r["cost"]), ("service", service), ("duration", travel),
                     ("waiting_time", wait), ("priority", prio)):
            tot[k] += x
    un = [u["id"] for u in out["unassigned"]]
    check(len(served) == len(set(served)), f"{label}: each job at most once")
    check(sorted(served + un) == sorted(jobs), f"{label}: every job served or unassigned")
    for k, x in tot.items():
        check(out["summary"][k] == x, f"{label}: summary {k} {out['summary'][k]} == {x}")
    check(out["summary"]["routes"] == len(out["routes"]) and out["summary"]["unassigned"] == len(un),
          f"{label}: summary counts")
    return served, un


small = json.load(open(os.path.join(fixtures, "vroom", "small.json")))
r = solve(small)
check(r.returncode == 0, "small.json solved")
out = json.loads(r.stdout) if r.returncode == 0 else {"routes": [], "unassigned": [], "summary": {}}
served, un = validate(small, out, "small")
# Hand-checked: vehicle 1 (capacity 4) carries job 14 (4 units, priority 10)
# rather than job 13 (3 units, priority 0); vehicle 2 (skill 7, no end)
# takes 12 (skill 7, priority 50), 10 and 11 (4 units).
check(un == [13], f"job 13 is the one left: {un}")
byveh = {r["vehicle"]: [s["id"] for s in r["steps"] if s["type"] == "job"] for r in out["routes"]}
check(byveh.get(1) == [14], f"vehicle 1 carries job 14: {byveh.get(1)}")
check(sorted(byveh.get(2, [])) == [10, 11, 12], f"vehicle 2: 10, 11, 12: {byveh.get(2)}")
check(out["summary"].get("priority") == 60, "priority served: 60")
check(out["routes"] and out["routes"][0].get("description") == "van A", "descriptions carried")

# Coordinates instead of a matrix: a geodesic matrix is made.
coords = {"vehicles": [{"id": 1, "start": [-93.247, 44.9695], "end": [-93.247, 44.9695]}],
          "jobs": [{"id": i, "location": [-93.247 + 0.01 * i, 44.9695 + 0.005 * i], "service": 300}
                   for i in range(1, 5)]}
r = solve(coords)
check(r.returncode == 0, "coordinates solved: " + r.stderr)
if r.returncode == 0:
    o = json.loads(r.stdout)
    check(o["summary"]["unassigned"] == 0 and o["summary"]["duration"] > 0, "all four visited, some driving")

# Unsupported keys are refused by name, never ignored.
for label, edit, name in (
        ("shipments", lambda p: p.update(shipments=[]), "'shipments'"),
        ("breaks", lambda p: p["vehicles"][0].update(breaks=[]), "'breaks'"),
        ("setup", lambda p: p["jobs"][0].update(setup=5), "'setup'"),
        ("two dimensions", lambda p: p["jobs"][0].update(delivery=[1, 2]), "one dimension"),
        ("bad index", lambda p: p["jobs"][0].update(location_index=9), "location_index must be an index"),
        ("duplicate id", lambda p: p["jobs"][1].update(id=10), "job id 10 twice")):
    bad = copy.deepcopy(small)
    edit(bad)
    r = solve(bad, ok=False)
    check(r.returncode == 4 and name in r.stderr, f"{label}: refused ({r.returncode}) {r.stderr.strip()}")
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    f.write('{"jobs": [\n  {"id": 1,\n}')
    path = f.name
r = subprocess.run([hvplan, "solve", "--vroom", path], capture_output=True, text=True)
os.unlink(path)
check(r.returncode == 3 and ":3:" in r.stderr, f"invalid JSON names the line: {r.stderr.strip()}")

done()
