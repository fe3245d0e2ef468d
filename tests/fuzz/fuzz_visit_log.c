/* tests/fuzz/fuzz_visit_log.c -- the visit log (visits.csv) and contact
 * log (calls.csv) readers (the first byte picks which) on arbitrary bytes:
 * every row either read or reported, never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/visitlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  hv_diags *d = hv_diags_create();
  hv_visit_log *log = NULL;
  hv_status st = data[0] % 2 == 0
                     ? hv_visit_log_parse((const char *)data + 1, size - 1,
                                          "visits.csv", &log, d)
                     : hv_contact_log_parse((const char *)data + 1, size - 1,
                                            "calls.csv", &log, d);
  if (st == HV_OK) {
    /* Every row read is whole: a household, a known outcome or kind. */
    for (size_t i = 0; i < hv_visit_log_visits(log); i++) {
      const hv_log_visit *v = hv_visit_log_visit(log, i);
      if (v->household[0] == '\0' || v->barriers == NULL) abort();
      if (strcmp(hv_outcome_name(v->outcome), "") == 0) abort();
    }
    for (size_t i = 0; i < hv_visit_log_contacts(log); i++)
      if (hv_visit_log_contact(log, i)->kind == NULL) abort();
  }
  hv_visit_log_free(log);
  hv_diags_free(d);
  return 0;
}
