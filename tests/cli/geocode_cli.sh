#!/usr/bin/env bash
# tests/cli/geocode_cli.sh HVPLAN FIXTURES SOURCE -- `hvplan geocode` against
# the tests' local server: coordinates filled in, failures listed, a second
# run sends nothing, requests carry addresses only, and a run killed
# mid-way loses nothing already received.
set -u
hvplan=$1
fixtures=$2
src=$3
. "$(dirname "$0")/lib.sh"
log=$tmp/requests.log
python3 "$src/tests/geo/fake_server.py" "$fixtures/geo/services.json" "$log" >"$tmp/port" &
server=$!
on_exit+=('kill $server 2>/dev/null; wait $server 2>/dev/null')
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -1 "$tmp/port")
setup() {
  rm -rf "$tmp/s"
  cp -r "$fixtures/geo/scenario" "$tmp/s"
  sed -i "s/PORT/$port/" "$tmp/s/scenario.json"
}
setup
out=$("$hvplan" geocode "$tmp/s" 2>"$tmp/err")
rc=$?
err=$(cat "$tmp/err")
expect "geocode exits 0" test "$rc" -eq 0
expect "school located" grep -q '"lat": 44.9695' "$tmp/s/scenario.json"
expect "scenario.json backed up" test -s "$tmp/s/scenario.json.bak"
expect "the backup is the file as it was" cmp -s "$tmp/s/scenario.json.bak" <(sed "s/PORT/$port/" "$fixtures/geo/scenario/scenario.json")
expect "summary" has "$out" "12 addresses looked up: 9 found (0 from the cache), 3 to fix by hand; 12 requests sent"
expect "not found listed with line" has "$err" "households.csv:5:address: 'G4': not found; fix the address or enter lat/lon by hand"
expect "ambiguous listed" has "$err" "households.csv:4:address: 'G3': ambiguous (2 matches far apart"
expect "far listed" has "$err" "households.csv:6:address: 'G5': implausibly far from the school"
expect "backup kept" test -s "$tmp/s/households.csv.bak"
expect "coordinates written" grep -q '^G1,Lan,Nguyễn Thị Hoa,612-555-0101,"100 Cedar Ave, Minneapolis, MN",vi,90,Prefers mornings,44.970100,-93.247100' "$tmp/s/households.csv"
expect "BOM kept" test "$(head -c 3 "$tmp/s/households.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf"
expect "CRLF kept" grep -q $'\r$' "$tmp/s/households.csv"
expect "failed ones left empty" grep -q '^G4,Sam,Pat Jones,612-555-0104,999 Nowhere Ln,en,40,,,$' <(tr -d '\r' <"$tmp/s/households.csv")
v=$("$hvplan" validate "$tmp/s" 2>&1)
expect "validate then warns about the three" test "$(grep -c "has no coordinates yet" <<<"$v")" -eq 3
# Second run: everything from the cache.
out=$("$hvplan" geocode "$tmp/s" 2>/dev/null)
expect "second run sends nothing" has "$out" "3 addresses looked up: 0 found (3 from the cache), 3 to fix by hand; 0 requests sent"
# Privacy: the requests carry addresses, never names, phones or notes.
leaks=0
for word in Lan Nguyễn Nguy Hoa Amina Hodan Warsame Diego García Pat Jones Noor Karim Haddad 612-555 Prefers "Dog" mornings; do
  if grep -qiw -- "$word" "$log"; then echo "request log contains '$word'"; leaks=1; fi
done
expect "no names, phones or notes sent" test "$leaks" -eq 0
expect "user agent identifies the district" grep -q "| hvplan-test/1 (tests@example.org)" "$log"
# Killed mid-run: every answer received so far is in the cache, the CSV is
# the old one or the new one, and a rerun asks only for the rest.
setup
curl -s "http://127.0.0.1:$port/__mode?set=slow&count=100" >/dev/null
"$hvplan" geocode "$tmp/s" >/dev/null 2>&1 &
victim=$!
sleep 1.5
kill -9 $victim 2>/dev/null
wait $victim 2>/dev/null
curl -s "http://127.0.0.1:$port/__mode?set=ok&count=0" >/dev/null
expect "cache is valid JSON" python3 -c "import json,sys; d=json.load(open('$tmp/s/geocode_cache.json')); sys.exit(0 if len(d['entries']) >= 2 else 1)"
kept=$(python3 -c "import json; print(len(json.load(open('$tmp/s/geocode_cache.json'))['entries']))")
expect "households.csv intact" "$hvplan" validate -q "$tmp/s"
out=$("$hvplan" geocode "$tmp/s" 2>/dev/null)
expect "rerun uses what was received ($kept entries)" has "$out" "from the cache"
sent=$(grep -o '[0-9]* requests sent' <<<"$out" | cut -d' ' -f1)
expect "rerun asks only for the rest" test "$sent" -le $((13 - kept))
expect "rerun finishes the job" grep -q '^G12,.*,-93.260000' <(tr -d '\r' <"$tmp/s/households.csv")
finish
