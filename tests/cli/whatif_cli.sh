#!/usr/bin/env bash
# tests/cli/whatif_cli.sh HVPLAN FIXTURES -- `hvplan whatif`: coverage never
# falls as pairs are added, the table holds the variants' measured values,
# the plots exist, and an extra Somali speaker reaches the Somali families.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"
out=$("$hvplan" whatif "$fixtures/whatif" -o "$tmp/w" --pairs 1..2 \
  --add-staff "so mon-fri 12:00-19:30" --count 1 --time-limit 4 2>"$tmp/err")
rc=$?
expect "whatif exits 0" test "$rc" -eq 0
expect "table written" test -s "$tmp/w/whatif.csv"
expect "svg written" grep -q "<svg" "$tmp/w/whatif.svg"
expect "png written" test "$(head -c 4 "$tmp/w/whatif.png" | od -An -c | tr -d ' ')" = "211PNG"
# Monotone coverage, and every row equal to its variant's plan.json.
expect "rows agree with the plans and coverage is monotone" python3 - "$tmp/w" <<'PY'
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/whatif.csv")))
prev = -1
ok = True
for r in rows:
    p = json.load(open(f"{d}/variants/{r['variant']}/plan.json"))["summary"]
    if int(r["priority_covered"]) != p["priority_covered"] or int(r["households_visited"]) != p["visited"]:
        print("mismatch", r["variant"]); ok = False
    if r["variant"].startswith("pairs-"):
        if int(r["priority_covered"]) < prev:
            print("coverage fell at", r["variant"]); ok = False
        prev = int(r["priority_covered"])
sys.exit(0 if ok else 1)
PY
base_lang=$(python3 -c "import csv,sys; print([r for r in csv.DictReader(open('$tmp/w/whatif.csv')) if r['variant']=='base'][0]['unvisited_language'])")
expect "base leaves the four Somali families out for language" test "$base_lang" = 4
somali=$(grep -c '^add-1-1,base,S[0-9],[0-9]*,so$' "$tmp/w/whatif_marginal.csv")
expect "the Somali speaker reaches Somali families ($somali)" test "$somali" -ge 3
expect "marginal value printed" grep -q "add-1-1    vs base" <<<"$out"
# An output folder whose variants/ path does not fit: refused before
# anything is made (a cut name would be another folder).
long=$tmp/$(printf 'x%.0s' $(seq 4090))
err=$("$hvplan" whatif "$fixtures/whatif" -o "$long" --pairs 1..2 2>&1 >/dev/null)
rc=$?
expect "a too long output path exits 64 ($rc)" test "$rc" -eq 64
expect "and says so" grep -q "path too long" <<<"$err"
finish
