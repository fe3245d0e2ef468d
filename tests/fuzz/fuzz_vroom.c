/* tests/fuzz/fuzz_vroom.c -- the VROOM input reader on arbitrary bytes: a
 * problem read is whole (jobs, vehicles, windows in order) and its output
 * for the empty solution is JSON; anything else is refused with a message;
 * never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/solver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  hv_problem *p = NULL;
  hv_vroom *ctx = NULL;
  hv_error err = {0};
  hv_status st =
      hv_vroom_parse((const char *)data, size, "fuzz.json", &p, &ctx, &err);
  if (st == HV_OK) {
    if (hv_problem_vehicles(p) == 0) abort();
    for (size_t j = 0; j < hv_problem_jobs(p); j++) {
      const hv_job *jb = hv_problem_job(p, j);
      for (size_t w = 1; w < jb->ntw; w++)
        if (jb->tw[w].open <= jb->tw[w - 1].close) abort();
    }
    /* Nothing served: every job unassigned. */
    size_t n = hv_problem_jobs(p);
    size_t *un = malloc((n + 1) * sizeof *un);
    for (size_t j = 0; un && j < n; j++)
      un[j] = j;
    hv_solution s = {.nunassigned = un ? n : 0, .unassigned = un};
    char *out = hv_vroom_output(ctx, p, &s, 0, 0);
    if (out == NULL || out[0] != '{') abort();
    free(out);
    free(un);
  } else if (err.text[0] == '\0') {
    abort();
  }
  hv_problem_free(p);
  hv_vroom_free(ctx);
  return 0;
}
