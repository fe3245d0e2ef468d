# tests/cli/lib.sh -- helpers shared by the CLI test scripts (sourced).
# $tmp is a fresh folder removed on exit, after the commands a script adds
# to on_exit (e.g. stopping a server it started).  expect DESCRIPTION
# COMMAND... counts a check; has TEXT NEEDLE is a fixed-string search;
# finish prints the "N passed, N failed" line CI reads and sets the exit
# status.
tmp=$(mktemp -d)
on_exit=()
trap 'for c in "${on_exit[@]}"; do eval "$c"; done; rm -rf "$tmp"' EXIT
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
