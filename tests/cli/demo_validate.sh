#!/usr/bin/env bash
# tests/cli/demo_validate.sh HVPLAN FIXTURES -- the demo district validates
# (exit 0) and its summary and warnings say what the data holds.
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/lib.sh"
out=$("$hvplan" validate "$fixtures/demo" 2>"$tmp/err")
rc=$?
err=$(cat "$tmp/err")
expect "exit status 0" test "$rc" -eq 0
expect "households counted" has "$out" "Households: 120 (120 with coordinates, 14 available any time)"
expect "languages counted" has "$out" "by language: en 44 (English), es 34 (Spanish), so 24 (Somali), vi 12 (Vietnamese), am 6 (Amharic) [no staff speaks it]"
expect "staff languages" has "$out" "Staff: 12; pairs: formed by hvplan when planning"
expect "saturday staff hours" has "$out" "staff hours       93.5    93.5   102.0    93.5    93.5    15.0"
expect "six Amharic warnings" test "$(grep -c "no staff member speaks 'am' (Amharic)" <<<"$err")" -eq 6
expect "warning names line and field" has "$err" "households.csv:21:language: warning: no staff member speaks 'am' (Amharic): household 'H0020' cannot be visited"
expect "no errors" has "$err" "0 errors, 6 warnings"
# Privacy: diagnostics name households by id, never by a person's name.
expect "no guardian names in diagnostics" bash -c "! grep -qE 'Tesfaye|Bekele|Haile|Girma|Alemu|Kebede' <<<\"\$0\"" "$err"
finish
