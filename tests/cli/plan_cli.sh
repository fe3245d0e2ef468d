#!/usr/bin/env bash
# tests/cli/plan_cli.sh HVPLAN FIXTURES -- `hvplan plan` from the command
# line: outputs written, summary printed, bad usage and bad input refused
# without touching the output folder.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"

out=$("$hvplan" plan "$fixtures/demo" -o "$tmp/out" --time-limit 1 2>"$tmp/err")
rc=$?
expect "plan exits 0" test "$rc" -eq 0
expect "summary line" has "$out" "Visited "
expect "pairs listed" has "$out" "Pairs (formed by hvplan):"
expect "unvisited explained" has "$out" "no staff member speaks Amharic (am)"
expect "plan.json written" test -s "$tmp/out/plan.json"
expect "roster.csv written" test -s "$tmp/out/roster.csv"
expect "unvisited.csv written" test -s "$tmp/out/unvisited.csv"
expect "no staging folder left" test -z "$(ls -A "$tmp/out" | grep staging)"
expect "warnings pointed out" has "$(cat "$tmp/err")" "6 warnings about"
before=$(md5sum "$tmp/out/plan.json")
# A scenario with errors: nothing planned, the old output untouched.
"$hvplan" plan "$fixtures/bad/latitude_out_of_range" -o "$tmp/out" >"$tmp/o2" 2>&1
rc=$?
expect "bad scenario exits non-zero" test "$rc" -ne 0
expect "bad scenario names file, line and field" has "$(cat "$tmp/o2")" "households.csv:4:lat: error: latitude 95.2 is outside [-90, 90]"
expect "old output untouched" test "$before" = "$(md5sum "$tmp/out/plan.json")"
"$hvplan" plan "$fixtures/demo" >/dev/null 2>&1
expect "missing -o is a usage error" test $? -eq 64
"$hvplan" plan "$fixtures/demo" -o "$tmp/x" --keep "$tmp/out/plan.json" --from funday >/dev/null 2>&1
expect "unknown --from day refused" test $? -eq 64
# Re-planning from the command line.
"$hvplan" plan "$fixtures/demo" -o "$tmp/re" --keep "$tmp/out/plan.json" --from thu --time-limit 1 >"$tmp/o3" 2>&1
expect "re-plan exits 0" test $? -eq 0
expect "kept routes marked" grep -q '"kept": true' "$tmp/re/plan.json"
# On a terminal, progress goes to stderr while solving; never into a pipe.
if command -v script >/dev/null; then
  script -qec "$hvplan plan $fixtures/small -o $tmp/tty --time-limit 2 --no-pdf" /dev/null >"$tmp/tty.log" 2>&1
  expect "progress shown on a terminal" grep -q "best so far: .*/6 households" "$tmp/tty.log"
fi
expect "no progress in a pipe" test -z "$(grep 'best so far' "$tmp/err")"
finish
