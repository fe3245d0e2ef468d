#!/usr/bin/env python3
"""tests/cycle/kill_test.py HVPLAN FIXTURES [ROUNDS] -- `hvplan record` and
`hvplan next` killed (SIGKILL) at random points, many times: afterwards
PRAGMA integrity_check is ok and the database equals either the state
before the command or the state after it (timestamps aside)."""
import csv, json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

hvplan, fixtures = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 25
rng = random.Random(7)
failures = 0


def state(path):
    """The database's content without the times of the changes."""
    db = sqlite3.connect(path)
    ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    out = []
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for t in tables:
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({t})")
                if not r[1].endswith("_at")]
        rows = db.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1, 2")
        out.append((t, [tuple(r) for r in rows]))
    db.close()
    return ok, out


def copy_db(src_dir, dst_dir):
    os.makedirs(dst_dir, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        p = os.path.join(src_dir, "program.sqlite" + suffix)
        if os.path.exists(p):
            shutil.copy(p, os.path.join(dst_dir, "program.sqlite" + suffix))


def trial(name, base, args_for, want_before, want_after, duration):
    global failures
    seen = {"before": 0, "after": 0}
    for i in range(rounds):
        work = os.path.join(tmp, f"{name}{i}")
        shutil.copytree(base, work)
        p = subprocess.Popen([hvplan, *args_for(work)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        ok, got = state(os.path.join(work, "program.sqlite"))
        if ok != "ok":
            print(f"FAIL: {name} round {i}: integrity_check says {ok}")
            failures += 1
        elif got == want_before:
            seen["before"] += 1
        elif got == want_after:
            seen["after"] += 1
        else:
            print(f"FAIL: {name} round {i}: neither the before nor the after "
                  f"state")
            failures += 1
        shutil.rmtree(work)
    print(f"{name}: {rounds} kills, {seen['before']} left as before, "
          f"{seen['after']} as after")


tmp = tempfile.mkdtemp(prefix="hv_kill_")
try:
    base = os.path.join(tmp, "base")
    shutil.copytree(os.path.join(fixtures, "demo"), base)
    subprocess.run([hvplan, "init", base], check=True, capture_output=True)
    subprocess.run([hvplan, "plan", base, "-o", os.path.join(base, "w1"),
                    "--no-pdf", "-q", "--time-limit", "60", "--iterations",
                    "20000"], check=True, capture_output=True)
    plan = json.load(open(os.path.join(base, "w1", "plan.json")))
    with open(os.path.join(base, "visits.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["household", "date", "outcome", "follow_up_date"])
        for k, (r, s) in enumerate((r, s) for r in plan["routes"]
                                   for s in r["stops"]):
            w.writerow([s["household"], r["date"],
                        ["met", "not_home", "declined", "moved"][k % 4], ""])
    record = lambda d: ["record", d, "--week", os.path.join(d, "w1", "plan.json"),
                        "--log", os.path.join(d, "visits.csv")]
    nxt = lambda d: ["next", d, "--week-of", "2026-03-09", "-o",
                     os.path.join(d, "n2")]
    # The before and after states, and how long each command takes.
    for name, args in (("record", record), ("next", nxt)):
        probe = os.path.join(tmp, "probe")
        shutil.copytree(base, probe)
        _, before = state(os.path.join(probe, "program.sqlite"))
        t0 = time.monotonic()
        subprocess.run([hvplan, *args(probe)], check=True, capture_output=True)
        duration = time.monotonic() - t0
        _, after = state(os.path.join(probe, "program.sqlite"))
        if before == after:
            print(f"FAIL: {name} changes nothing: the test would prove nothing")
            failures += 1
        shutil.rmtree(probe)
        trial(name, base, args, before, after, duration)
        if name == "record":
            # next runs on the recorded week.
            subprocess.run([hvplan, *record(base)], check=True,
                           capture_output=True)
finally:
    shutil.rmtree(tmp)
print(f"{'0 failed' if failures == 0 else f'{failures} failed'}")
sys.exit(1 if failures else 0)
