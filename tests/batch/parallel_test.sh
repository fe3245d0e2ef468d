#!/usr/bin/env bash
# tests/batch/parallel_test.sh HVPLAN FIXTURES -- a district's schools as a
# batch with GNU parallel (docs/scale.md): three school folders and a
# broken one planned two at a time; each good school's plan passes `hvplan
# check`, the broken one fails alone with exit 4 (its message on its own
# stderr), and a second run gives byte-identical plans (a fixed iteration
# budget, nothing shared between the jobs).
set -u
hvplan=$1
fixtures=$2
. "$(dirname "$0")/../cli/lib.sh"

if ! command -v parallel >/dev/null; then
  echo "FAIL: GNU parallel is not installed (Debian's 'parallel')"
  exit 1
fi
schools=$tmp/schools
mkdir -p "$schools"
cp -r "$fixtures/small" "$schools/lincoln"
cp -r "$fixtures/modes" "$schools/riverside"
cp -r "$fixtures/plan/reasons" "$schools/hillside"
cp -r "$fixtures/small" "$schools/broken"
sed -i '2s/,90,/,abc,/' "$schools/broken/households.csv"

run_batch() {
  parallel -j2 --halt never --joblog "$tmp/jobs-$1.log" \
    "'$hvplan' plan {} -o {}/out-$1 --no-pdf -q --time-limit 60 --iterations 20000 \
       > {}/stdout-$1 2> {}/stderr-$1" ::: "$schools"/*/
}
run_batch 1
rc=$?
expect "parallel reports one failed job" test "$rc" -eq 1
for s in lincoln riverside hillside; do
  expect "$s planned" test -f "$schools/$s/out-1/plan.json"
  "$hvplan" check "$schools/$s/out-1/plan.json" >/dev/null 2>&1
  expect "$s's plan passes check" test $? -eq 0
done
expect "the broken school has no plan" test ! -e "$schools/broken/out-1"
expect "its message names file, line and field" \
  grep -q "households.csv:2:priority" "$schools/broken/stderr-1"
expect "the job log has its exit code 4" \
  awk -F'\t' 'NR > 1 && $9 ~ /broken/ && $7 == 4 {found = 1} END {exit !found}' "$tmp/jobs-1.log"
expect "the others exit 0" \
  awk -F'\t' 'NR > 1 && $9 !~ /broken/ && $7 != 0 {bad = 1} END {exit bad}' "$tmp/jobs-1.log"
run_batch 2
for s in lincoln riverside hillside; do
  expect "$s: the same plan twice" \
    cmp -s <(grep -v '"scenario_dir"' "$schools/$s/out-1/plan.json") \
           <(grep -v '"scenario_dir"' "$schools/$s/out-2/plan.json")
done
finish
