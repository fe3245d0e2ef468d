/* solver/exact_glpk.c -- placeholder until the compact MIP lands. */
#include "solver_int.h"

hv_status hv_solve_exact(const hv_problem *p, double time_limit_s,
                         hv_solution **out, hv_error *err) {
  (void)p;
  (void)time_limit_s;
  *out = NULL;
  return hv_error_set(err, HV_E_SOLVER, (hv_where){.source = "solver"},
                      "exact solver not built yet");
}
