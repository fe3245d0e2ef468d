/* tests/fuzz/fuzz_toptw.c -- the TOPTW reader on arbitrary bytes: an
 * instance read is whole (a depot, jobs with windows open <= close),
 * anything else is refused with a message; never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/solver.h"
#include "solver_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0; /* N is bounded by the text's length */
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  hv_problem *p = NULL;
  hv_error err = {0};
  hv_status st = hv__toptw_parse(text, "fuzz.txt", 2, 1, &p, &err);
  if (st == HV_OK) {
    if (hv_problem_vehicles(p) != 2) abort();
    for (size_t j = 0; j < hv_problem_jobs(p); j++) {
      const hv_job *jb = hv_problem_job(p, j);
      if (jb->ntw != 1 || jb->tw[0].open > jb->tw[0].close) abort();
    }
  } else if (err.text[0] == '\0') {
    abort();
  }
  hv_problem_free(p);
  free(text);
  return 0;
}
