/* tests/fuzz/fuzz_solomon.c -- the Solomon reader on arbitrary text; small
 * instances it accepts are also solved briefly and checked, so that the
 * solver meets odd data too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  hv_problem *p = NULL;
  hv_error err;
  if (hv__solomon_parse(text, "fuzz", 0, size % 2, &p, NULL, 0, &err) ==
          HV_OK &&
      hv_problem_jobs(p) <= 30 && hv_problem_vehicles(p) <= 30) {
    hv_solve_options o;
    hv_solve_options_init(&o);
    o.max_iterations = 40;
    o.time_limit_s = 5;
    o.use_pool = false;
    hv_solution *s = NULL;
    if (hv_solve(p, &o, &s, &err) == HV_OK &&
        hv_solution_check(p, s, &err) != HV_OK)
      abort(); /* the solver returned an infeasible solution */
    hv_solution_free(s);
  }
  hv_problem_free(p);
  free(text);
  return 0;
}
