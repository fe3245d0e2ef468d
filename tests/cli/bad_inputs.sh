#!/usr/bin/env bash
# tests/cli/bad_inputs.sh HVPLAN FIXTURES -- every case in fixtures/bad/ must
# make `hvplan validate` exit non-zero and print exactly the error lines in
# the case's expected.txt (each line verbatim, and no other error).
set -u
hvplan=$1
fixtures=$2
pass=0
fail=0
for dir in "$fixtures"/bad/*/; do
  name=$(basename "$dir")
  out=$("$hvplan" validate --quiet "$dir" 2>&1)
  rc=$?
  ok=1
  if [ "$rc" -eq 0 ]; then
    echo "FAIL $name: exit status 0"
    ok=0
  fi
  if [ "$rc" -ge 64 ] && [ "$rc" -ne 64 ]; then
    echo "FAIL $name: crashed (exit $rc)"
    ok=0
  fi
  while IFS= read -r want; do
    [ -z "$want" ] && continue
    if ! grep -qxF -- "$want" <<<"$out"; then
      echo "FAIL $name: missing line: $want"
      ok=0
    fi
  done <"$dir/expected.txt"
  want_n=$(grep -c . "$dir/expected.txt")
  got_n=$(grep -c ': error: ' <<<"$out")
  if [ "$want_n" -ne "$got_n" ]; then
    echo "FAIL $name: $got_n errors printed, expected $want_n"
    ok=0
  fi
  if [ $ok -eq 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    printf '%s\n' "$out" | sed 's/^/    | /'
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
