/* tests/fuzz/fuzz_attendance.c -- the attendance export reader on
 * arbitrary bytes, both shapes: every student read is whole (an id, rates
 * that make sense), every other row reported, never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>

#include "hv/attendance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  hv_attendance_rules rules;
  hv_attendance_rules_init(&rules);
  /* The first byte decides whether the term start is known (shape b needs
   * it to count enrolled days). */
  if (data[0] % 2 == 0) {
    rules.has_term_start = true;
    rules.term_start = (hv_date){2026, 1, 5};
  }
  hv_diags *d = hv_diags_create();
  hv_attendance *a = NULL;
  hv_status st = hv_attendance_parse((const char *)data + 1, size - 1,
                                     "export.csv", &rules, &a, d);
  if (st == HV_OK && hv_diags_errors(d) == 0) {
    for (size_t i = 0; i < hv_attendance_count(a); i++) {
      const hv_att_student *s = hv_attendance_student(a, i);
      if (s->id == NULL || s->id[0] == '\0') abort();
      if (s->absent < 0 || s->absent > s->enrolled) abort();
      if (s->has_recent && s->recent_absent > s->recent_days) abort();
    }
  }
  hv_attendance_free(a);
  hv_diags_free(d);
  return 0;
}
