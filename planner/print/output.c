/* planner/print/output.c -- a plan's output folder: the data files (io)
 * and the printed outputs written together through one staging folder. */
#include "hv/print.h"
#include "plan_def.h"
#include "printed.h"

hv_status hv_plan_write_printed(const hv_plan *p, const char *dir, bool a4,
                                hv_error *err) {
  char staging[4096];
  hv_status st = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  st = hv__print_outputs(p, staging, a4, err);
  if (st == HV_OK) st = hv__write_calendars(p, staging, err);
  if (st == HV_OK) st = hv__write_letters(p, staging, a4, err);
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, dir, err);
}

hv_status hv_plan_write(const hv_plan *p, const char *dir,
                        const hv_write_options *o, hv_error *err) {
  char staging[4096];
  /* Owner-only: the plan names children's families. */
  hv_status st = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  st = hv__plan_write_data(p, staging, err);
  if (st == HV_OK && o && o->printed)
    st = hv__print_outputs(p, staging, o->a4, err);
  if (st == HV_OK && o && o->printed) st = hv__write_calendars(p, staging, err);
  if (st == HV_OK && o && o->printed)
    st = hv__write_letters(p, staging, o->a4, err);
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, dir, err);
}
