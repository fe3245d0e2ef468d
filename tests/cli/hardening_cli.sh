#!/usr/bin/env bash
# tests/cli/hardening_cli.sh HVPLAN FIXTURES -- interruption, resource
# bounds, an unreachable road service, and privacy of what hvplan prints.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"

# A finished plan to protect.
"$hvplan" plan "$fixtures/demo" -o "$tmp/out" --time-limit 1 --no-pdf -q 2>/dev/null
before=$(cd "$tmp/out" && md5sum plan.json roster.csv unvisited.csv)

# SIGTERM mid-search: the previous output stays exactly as it was.
"$hvplan" plan "$fixtures/demo" -o "$tmp/out" --time-limit 120 --iterations 100000000 -q 2>"$tmp/err1" &
pid=$!
sleep 1.5
kill -TERM $pid
wait $pid
rc=$?
expect "interrupted run exits 130" test "$rc" -eq 130
expect "previous output untouched" test "$before" = "$(cd "$tmp/out" && md5sum plan.json roster.csv unvisited.csv)"
expect "no staging folder left" test -z "$(ls -A "$tmp/out" | grep staging)"
expect "says what happened" grep -q "interrupted; .* was left as it was" "$tmp/err1"

# Ctrl-C with --on-interrupt=save: the best plan so far, clearly marked.
"$hvplan" plan "$fixtures/demo" -o "$tmp/saved" --time-limit 120 --iterations 100000000 \
  --on-interrupt=save --no-pdf -q 2>"$tmp/err2" &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
expect "saved run exits 130" test "$rc" -eq 130
expect "plan marked interrupted" grep -q '"interrupted": "planning was stopped early' "$tmp/saved/plan.json"
expect "saved plan is complete JSON" python3 -c "import json; json.load(open('$tmp/saved/plan.json'))"

# 100,000 households: refused with a clear message, in bounded memory.
python3 - "$tmp/big" "$fixtures/demo" <<'PY'
import os, random, shutil, sys
d, demo = sys.argv[1], sys.argv[2]
os.makedirs(d)
shutil.copy(f"{demo}/scenario.json", d)
shutil.copy(f"{demo}/staff.csv", d)
r = random.Random(1)
with open(f"{d}/households.csv", "w") as f:
    f.write("id,guardian,lat,lon,language,priority,availability\n")
    for i in range(100000):
        f.write(f"B{i:06d},Guardian {i},{44.9 + r.random() * 0.1:.6f},{-93.3 + r.random() * 0.1:.6f},en,{r.randint(1, 100)},mon-fri 15:00-18:00\n")
PY
/usr/bin/time -f "%M" -o "$tmp/rss" "$hvplan" plan "$tmp/big" -o "$tmp/bigout" --no-pdf >"$tmp/o3" 2>&1
rc=$?
expect "100,000 households refused (exit 4)" test "$rc" -eq 4
expect "refusal says why and what to do" grep -q "100000 households to plan; hvplan plans at most 3000 at once: split the list" "$tmp/o3"
rss=$(cat "$tmp/rss" | tail -1)
expect "bounded memory (${rss} KB < 600 MB)" test "$rss" -lt 614400
expect "nothing written" test ! -e "$tmp/bigout/plan.json"
"$hvplan" validate -q "$tmp/big" >/dev/null 2>&1
expect "validate reads 100,000 rows" test $? -eq 0

# OSRM configured but unreachable: a clear error, exit 8, output untouched.
mkdir -p "$tmp/osrm"
cp "$fixtures/small/"*.csv "$tmp/osrm/"
python3 - "$fixtures/small/scenario.json" "$tmp/osrm/scenario.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["travel"]["matrix"] = "osrm"
s["travel"]["osrm_url"] = "http://127.0.0.1:9"
json.dump(s, open(sys.argv[2], "w"))
PY
"$hvplan" plan "$tmp/osrm" -o "$tmp/out" --time-limit 1 >"$tmp/o4" 2>&1
rc=$?
expect "unreachable OSRM exits 8" test "$rc" -eq 8
expect "message names the server" grep -q "http://127.0.0.1:9/table/v1/driving (block of sources 0-6, destinations 0-6): OSRM server could not be used" "$tmp/o4"
expect "output untouched after OSRM failure" test "$before" = "$(cd "$tmp/out" && md5sum plan.json roster.csv unvisited.csv)"

# Privacy: nothing hvplan prints names a person, a phone or a note.
logs=$tmp/logs
{
  "$hvplan" validate "$fixtures/demo" 2>&1
  "$hvplan" validate "$fixtures/small" 2>&1
  "$hvplan" plan "$fixtures/demo" -o "$tmp/p" --time-limit 1 2>&1
  for b in "$fixtures"/bad/*/; do "$hvplan" validate -q "$b" 2>&1; done
} >"$logs"
expect "no names, phones or notes in what hvplan prints" python3 - "$fixtures" "$logs" <<'PY'
import csv, re, sys, glob
fx, logs = sys.argv[1], open(sys.argv[2], encoding="utf-8", errors="replace").read()
bad = []
for path in [f"{fx}/demo/households.csv", f"{fx}/small/households.csv"]:
    for row in csv.DictReader(open(path, encoding="utf-8-sig")):
        for col in ("student", "guardian", "phone", "notes"):
            v = (row.get(col) or "").strip()
            if len(v) >= 4 and re.search(r"(?<![\w])" + re.escape(v) + r"(?![\w])", logs):
                bad.append(f"{col}={v}")
if bad:
    print("found in logs:", bad[:5])
sys.exit(1 if bad else 0)
PY
finish
