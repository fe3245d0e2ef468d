#!/usr/bin/env bash
# tests/cli/flag_cli.sh HVPLAN FIXTURES -- `hvplan flag` refuses every
# defect of fixtures/attendance/bad with its exact message (file, line,
# field) and writes nothing; a good export into a program with a database
# stores the attendance there.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"

prog=$tmp/prog
mkdir -p "$prog"
cp "$fixtures/demo/staff.csv" "$prog/"
python3 - "$fixtures/demo/scenario.json" "$prog/scenario.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["attendance"] = {"term_start": "2026-01-05"}
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
for f in "$fixtures"/attendance/bad/*.csv; do
  name=$(basename "$f")
  base=${f%.csv}
  cp "$f" "$tmp/$name"
  rm -f "$prog/households.csv"
  [ -e "$base.households" ] && cp "$base.households" "$prog/households.csv"
  before=$(cat "$prog/households.csv" 2>/dev/null | md5sum)
  "$hvplan" flag "$prog" --attendance "$tmp/$name" >"$tmp/o" 2>&1
  rc=$?
  expect "$name refused (exit 4)" test "$rc" -eq 4
  while IFS= read -r want; do
    expect "$name: $want" grep -qF -- "$want" "$tmp/o"
  done <"$base.expected"
  expect "$name: households.csv not written" grep -q "households.csv not written" "$tmp/o"
  expect "$name: nothing changed" test "$before" = "$(cat "$prog/households.csv" 2>/dev/null | md5sum)"
done

# A good export, into a program with a database.
rm -f "$prog/households.csv"
cat >"$tmp/export.csv" <<'CSV'
Student ID,Student Name,Grade,Guardian,Phone,Address,Home Language,Enrolled Days,Absent Days
1001,Camila López,K,Luis López,612-555-0001,"12 Oak Street, Apt. 3",Spanish,100,15
1002,Mateo López,3,Luis López,612-555-0001,12 oak st apt 3,Spanish,100,4
1003,Ayaan Hassan,9,Hodan Ali,612-555-0002,40 Elm Ave,Somali,100,9
1004,Mia Chen,5,Wei Chen,612-555-0003,7 Pine Rd,English,100,30
CSV
"$hvplan" flag "$prog" --attendance "$tmp/export.csv" >/dev/null 2>&1
"$hvplan" init "$prog" >/dev/null 2>&1
expect "init after flag" test -e "$prog/program.sqlite"
out=$("$hvplan" flag "$prog" --attendance "$tmp/export.csv" 2>&1)
expect "flag exits 0" test $? -eq 0
expect "flag reports the households" has "$out" "3 flagged in 2 households"
expect "flag stores the attendance" has "$out" "attendance in program.sqlite"
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM attendance").fetchone()[0])' "$prog/program.sqlite")
expect "every student of a household stored" test "$n" = 3
ex=$("$hvplan" flag "$prog" --attendance "$tmp/export.csv" --explain H1001)
expect "--explain names the rule" has "$ex" "priority = 1 + 99 x"
expect "--explain shows the kindergarten part" has "$ex" "grade K is in attendance.grades"
"$hvplan" flag "$prog" --attendance "$tmp/export.csv" --explain H9 >/dev/null 2>&1
expect "--explain of an unknown household fails" test $? -eq 4
finish
