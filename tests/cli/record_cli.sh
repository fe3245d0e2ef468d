#!/usr/bin/env bash
# tests/cli/record_cli.sh HVPLAN FIXTURES -- the program database from the
# command line: init, plan stores the week, record (a clean log, the same
# log again, a correction, contact attempts), history, and every defect of
# fixtures/logs/bad refused with its exact message and nothing written.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"

prog=$tmp/prog
cp -r "$fixtures/demo" "$prog"
"$hvplan" plan "$prog" -o "$tmp/w0" --time-limit 1 --no-pdf -q >/dev/null 2>&1
expect "no database: plan stores nothing" test ! -e "$prog/program.sqlite"
"$hvplan" history "$prog" --household H0001 >"$tmp/o" 2>&1
expect "history without a database is refused" test $? -ne 0
expect "and says to run init" grep -q "run 'hvplan init" "$tmp/o"

out=$("$hvplan" init "$prog")
expect "init exits 0" test $? -eq 0
expect "init reports the lists" has "$out" "120 households, 12 staff"
out=$("$hvplan" plan "$prog" -o "$tmp/w1" --time-limit 1 --no-pdf 2>/dev/null)
expect "plan stores the week" has "$out" "Stored in program.sqlite"
db() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])' "$prog/program.sqlite" "$1"; }
planned=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(r["stops"]) for r in d["routes"]))' "$tmp/w1/plan.json")
expect "every planned visit stored" test "$(db "SELECT count(*) FROM visit")" = "$planned"

# A planned household and its date, for the log fixtures.
read -r H D < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["routes"][0]; print(r["stops"][0]["household"], r["date"])' "$tmp/w1/plan.json")
snapshot() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\n".join(c.iterdump()))' "$prog/program.sqlite" | md5sum; }
before=$(snapshot)
for f in "$fixtures"/logs/bad/*.csv; do
  name=$(basename "$f")
  sed "s/@H@/$H/g; s/@D@/$D/g" "$f" >"$tmp/$name"
  if head -1 "$f" | grep -q kind; then
    "$hvplan" record "$prog" --contacts "$tmp/$name" >"$tmp/o" 2>&1
  else
    "$hvplan" record "$prog" --week "$tmp/w1/plan.json" --log "$tmp/$name" >"$tmp/o" 2>&1
  fi
  rc=$?
  expect "$name refused (exit 4)" test "$rc" -eq 4
  while IFS= read -r want; do
    want=${want//@H@/$H}
    want=${want//@D@/$D}
    expect "$name: $want" grep -qF -- "$want" "$tmp/o"
  done <"${f%.csv}.expected"
  expect "$name: nothing recorded" grep -q "nothing recorded" "$tmp/o"
done
expect "the database is as before every refused log" test "$before" = "$(snapshot)"

# A clean log: every planned visit, cycling through the outcomes.
python3 - "$tmp/w1/plan.json" "$tmp/visits.csv" <<'EOF'
import csv, json, sys
d = json.load(open(sys.argv[1]))
outs = ["met", "not_home", "declined", "moved", "rescheduled"]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["household", "date", "outcome", "barriers", "referrals",
            "next_step", "follow_up_date", "notes", "staff"])
i = 0
for r in d["routes"]:
    for s in r["stops"]:
        o = outs[i % len(outs)]
        w.writerow([s["household"], r["date"], o,
                    "Transportation; work schedule" if o == "met" else "",
                    "food shelf" if o == "met" else "", "", "", "", ""])
        i += 1
EOF
out=$("$hvplan" record "$prog" --week "$tmp/w1/plan.json" --log "$tmp/visits.csv" 2>&1)
expect "record exits 0" test $? -eq 0
expect "every row recorded" has "$out" "Visits: $planned recorded, 0 unchanged, 0 corrected"
expect "barriers stored in the form's order" test "$(db "SELECT count(*) FROM outcome WHERE barriers = 'transportation;work_schedule'")" -gt 0
after=$(snapshot)
out=$("$hvplan" record "$prog" --week "$tmp/w1/plan.json" --log "$tmp/visits.csv" 2>&1)
expect "the same log again changes nothing" has "$out" "0 recorded, $planned unchanged, 0 corrected"
expect "the database is unchanged" test "$after" = "$(snapshot)"
# A correction: the first row's outcome changes.
python3 - "$tmp/visits.csv" "$tmp/fixed.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
rows[1][2] = "not_home" if rows[1][2] != "not_home" else "met"
rows[1][7] = "corrected: nobody answered"
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows[:2])
EOF
out=$("$hvplan" record "$prog" --week "$tmp/w1/plan.json" --log "$tmp/fixed.csv" 2>&1)
expect "a corrected row replaces the earlier one" has "$out" "0 recorded, 0 unchanged, 1 corrected"
expect "the earlier version is kept" test "$(db "SELECT count(*) FROM outcome_revision")" = 1
# Contact attempts.
printf 'household,date,kind,result,staff,notes\n%s,%s,phone,no answer,S01,\n%s,%s,letter,sent,S02,in Spanish\n' "$H" "$D" "$H" "$D" >"$tmp/calls.csv"
out=$("$hvplan" record "$prog" --contacts "$tmp/calls.csv" 2>&1)
expect "contacts recorded" has "$out" "Contact attempts: 2 recorded"
out=$("$hvplan" history "$prog" --household "$H")
expect "history names the household" has "$out" "Household $H"
expect "history shows the corrected visit" has "$out" "corrected: nobody answered"
expect "history shows the call" has "$out" "phone    no answer"
expect "history shows the letter" has "$out" "letter   sent"
csvout=$("$hvplan" history "$prog" --household "$H" --csv)
expect "history --csv has a header" has "$csvout" "date,time,kind,result,staff,pair,attempt"
expect "history --csv: visit, then the two contacts" test "$(printf '%s\n' "$csvout" | wc -l)" -eq 4
"$hvplan" history "$prog" --household NOPE >/dev/null 2>&1
expect "unknown household in history is an error" test $? -eq 4
# Statuses follow the outcomes.
expect "declined families marked" test "$(db "SELECT count(*) FROM household WHERE status = 'declined'")" -gt 0
expect "moved families marked" test "$(db "SELECT count(*) FROM household WHERE status = 'moved'")" -gt 0
# Next week: the packets carry the attempt and the last visit, the route
# sheets never do.
out=$("$hvplan" next "$prog" --week-of 2026-03-09 -o "$tmp/n2" 2>&1)
expect "next exits 0" test $? -eq 0
expect "next lists retries" has "$out" "retry"
expect "next lists the office's families" has "$out" "listed for the office"
"$hvplan" plan "$tmp/n2" -o "$tmp/w2" --time-limit 1 -q >/dev/null 2>&1
expect "the next week plans" test -s "$tmp/w2/plan.json"
packets=$(for f in "$tmp"/w2/packets/*.pdf; do pdftotext "$f" -; done)
sheets=$(for f in "$tmp"/w2/routes/*.pdf; do pdftotext "$f" -; done)
expect "a packet shows the attempt" has "$packets" "Attempt: 2 (nobody was home 1 time before)"
expect "a packet shows the last outcome" has "$packets" "Last outcome: not home"
expect "no route sheet shows an attempt" test -z "$(grep -E 'Attempt|Last visit|Last outcome|not_home' <<<"$sheets")"
expect "the next week is stored too" test "$(db "SELECT count(*) FROM week")" = 2

# Reports: the family's SARB record, and the program summary.
out=$("$hvplan" report "$prog" --household "$H" -o "$tmp/sarb.pdf" 2>&1)
expect "report --household exits 0" test $? -eq 0
sarb=$(pdftotext -layout "$tmp/sarb.pdf" - | tr -s ' \n' ' ')
expect "SARB record titled" has "$sarb" "Contact-attempt record — household $H"
expect "SARB record has the visit" has "$sarb" "$D"
expect "SARB record has the call" has "$sarb" "Phone call: no answer"
expect "SARB record has the letter" has "$sarb" "Letter: sent"
expect "SARB record names the staff" has "$sarb" "(S01)"
expect "SARB record totals" has "$sarb" "1 home visit attempted"
expect "SARB record has the sign-off" has "$sarb" "Reviewed by (attendance office):"
"$hvplan" report "$prog" --household NOPE -o "$tmp/x.pdf" >/dev/null 2>&1
expect "an unknown household's report is refused" test $? -eq 4
expect "and no file is left" test ! -e "$tmp/x.pdf" -a ! -e "$tmp/x.pdf.tmp"
# The record is written in one go beside nothing of a fixed name: a folder
# called like the old temporary file is no obstacle, and a folder that does
# not exist is an error with no file left.
mkdir "$tmp/sarb2.pdf.tmp"
"$hvplan" report "$prog" --household "$H" -o "$tmp/sarb2.pdf" >/dev/null 2>&1
expect "the record is written beside a folder named like a temporary file" test $? -eq 0
expect "and it is the record" test "$(pdftotext "$tmp/sarb2.pdf" - | grep -c "Contact-attempt record")" = 1
expect "and nothing else is left beside it" test "$(ls "$tmp" | grep -c '^sarb2\.pdf')" = 2
out=$("$hvplan" report "$prog" --household "$H" -o "$tmp/none/sarb.pdf" 2>&1)
rc=$?
expect "a record into a missing folder fails" test $rc -ne 0
expect "naming the file" has "$out" "$tmp/none/sarb.pdf"
expect "and leaves nothing" test ! -e "$tmp/none"
out=$("$hvplan" report "$prog" --from 2026-03-01 --to 2026-03-31 -o "$tmp/rep" 2>&1)
expect "report --from --to exits 0" test $? -eq 0
sum=$(cat "$tmp/rep/summary.csv")
expect "summary: visits attempted" has "$sum" "visits_attempted,$(db "SELECT count(*) FROM outcome")"
expect "summary: families met" has "$sum" "households_met,$(db "SELECT count(DISTINCT household_id) FROM outcome WHERE outcome = 'met'")"
expect "summary: barriers counted one by one" has "$sum" "barrier_transportation,$(db "SELECT count(*) FROM outcome WHERE barriers LIKE '%transportation%'")"
expect "summary: calls" has "$sum" "contact_phone,1"
expect "the chart as PNG" test "$(head -c 4 "$tmp/rep/barriers.png" | tail -c 3)" = PNG
expect "the chart as SVG" grep -q "<svg" "$tmp/rep/barriers.svg"
expect "summary PDF" has "$(pdftotext "$tmp/rep/summary.pdf" - | tr -s ' \n' ' ')" "Barriers found at visits"
"$hvplan" report "$prog" --from 2026-04-01 --to 2026-03-01 -o "$tmp/rep2" >/dev/null 2>&1
expect "a backwards date range is a usage error" test $? -eq 64
expect "integrity_check ok" test "$(db "PRAGMA integrity_check")" = ok
finish
