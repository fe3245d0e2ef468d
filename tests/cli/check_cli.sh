#!/usr/bin/env bash
# tests/cli/check_cli.sh HVPLAN FIXTURES -- `hvplan check` and `hvplan
# packets` on a plan edited by hand (the planner's own plan passes; an edit
# that breaks the rules is refused, or printed marked "not checked" with
# --force), and `--help` for every command.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"

"$hvplan" plan "$fixtures/demo" -o "$tmp/out" --time-limit 1 -q >/dev/null 2>&1
expect "plan exits 0" test $? -eq 0
out=$("$hvplan" check "$tmp/out/plan.json" 2>&1)
expect "the planner's own plan passes" test $? -eq 0
expect "check says so" has "$out" "every planning rule holds"

# A hand edit: the first visit moved to 03:00, and the second route's first
# family also put in the first route (visited twice).
python3 - "$tmp/out/plan.json" "$tmp/edited.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r0, r1 = d["routes"][0], d["routes"][1]
s = r0["stops"][0]
s["arrive"], s["start"], s["end"] = "03:00", "03:00", "04:00"
r0["depart"] = "02:50"
r0["stops"].append(dict(r1["stops"][0]))
json.dump(d, open(sys.argv[2], "w"), indent=2)
print(r1["stops"][0]["household"], file=open(sys.argv[2] + ".twice", "w"))
EOF
cp "$tmp/edited.json" "$tmp/out/plan.json"
twice=$(cat "$tmp/edited.json.twice")
out=$("$hvplan" check "$tmp/out/plan.json" 2>&1)
rc=$?
expect "an edited plan fails the check (exit 4)" test "$rc" -eq 4
expect "the early visit is outside the family's windows" has "$out" "outside the family's windows"
expect "the doubled family is named" has "$out" "household '$twice' is visited twice this week"
expect "the route leaves the shared hours" has "$out" "leaves the pair's shared hours"
expect "errors name plan.json and the route" has "$out" "plan.json:routes[0].stops[0]: error:"

rm -f "$tmp/out/"*.pdf
out=$("$hvplan" packets "$tmp/out/plan.json" 2>&1)
rc=$?
expect "packets refuses a broken plan (exit 4)" test "$rc" -eq 4
expect "packets lists the broken rules" has "$out" "visited twice this week"
expect "nothing printed for a refused plan" test -z "$(ls "$tmp/out" | grep '\.pdf$')"
out=$("$hvplan" packets "$tmp/out/plan.json" --force 2>&1)
expect "--force prints anyway" test $? -eq 0
expect "--force warns" has "$out" "not checked"
expect "sheets written" test -s "$tmp/out/roster.pdf"
sheet=$(ls "$tmp/out"/routes/*.pdf 2>/dev/null | head -1)
expect "a route sheet written" test -n "$sheet"
if [ -n "$sheet" ] && command -v pdftotext >/dev/null; then
  expect "the sheet is marked not checked" grep -qi "not checked" <(pdftotext "$sheet" -)
fi

# Usage on every command, on stdout with exit 0.
for cmd in plan packets check whatif validate geocode solve; do
  u=$("$hvplan" "$cmd" --help 2>/dev/null)
  expect "$cmd --help exits 0" test $? -eq 0
  expect "$cmd --help shows its usage" has "$u" "usage: hvplan $cmd"
  u=$("$hvplan" "$cmd" -h 2>/dev/null)
  expect "$cmd -h shows its usage" has "$u" "usage: hvplan $cmd"
done
u=$("$hvplan" help plan)
expect "help plan lists --keep" has "$u" "--keep PLAN --from DAY"
u=$("$hvplan" --help)
expect "--help lists the commands" has "$u" "check     check a plan.json"
"$hvplan" help nosuch >/dev/null 2>&1
expect "help for an unknown command is a usage error" test $? -eq 64
"$hvplan" nosuch >/dev/null 2>&1
expect "an unknown command is a usage error" test $? -eq 64
finish
