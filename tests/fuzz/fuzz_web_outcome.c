/* tests/fuzz/fuzz_web_outcome.c -- the body of POST /api/outcome on
 * arbitrary bytes: read as JSON, turned into a row of visits.csv, and that
 * row read by the visit log's reader: every step succeeds or says why,
 * never a crash, an overflow or a leak; a row read back names the same
 * household. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/visitlog.h"
#include "web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static hv_outcome_body b;
  static char csv[20000];
  const char *bad;
  char msg[200];
  if (!hv__outcome_body((const char *)data, size, &b, &bad, msg, sizeof msg))
    return msg[0] ? 0 : (abort(), 0);
  size_t n = hv__outcome_csv(&b, "S01", csv, sizeof csv);
  if (n == 0) return 0;
  if (n >= sizeof csv || csv[n] != '\0') abort();
  hv_diags *d = hv_diags_create();
  hv_visit_log *log = NULL;
  if (hv_visit_log_parse(csv, n, "outcome", &log, d) == HV_OK &&
      hv_diags_errors(d) == 0 && hv_visit_log_visits(log) == 1 &&
      strcmp(hv_visit_log_visit(log, 0)->household, b.v[0]) != 0 &&
      strchr(b.v[0], ' ') == NULL && strchr(b.v[0], '\t') == NULL)
    abort(); /* the row read back is another household */
  hv_visit_log_free(log);
  hv_diags_free(d);
  return 0;
}
