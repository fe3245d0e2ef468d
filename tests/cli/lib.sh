# tests/cli/lib.sh -- helpers shared by the CLI test scripts (sourced).
# expect DESCRIPTION COMMAND... counts a check; has TEXT NEEDLE is a
# fixed-string search; finish prints the "N passed, N failed" line CI reads
# and sets the exit status.
pass=0
fail=0
expect() {
  local what=$1
  shift
  if "$@"; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL: $what"
  fi
}
has() { grep -qF -- "$2" <<<"$1"; }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
