/* planner/plan/plan_int.h -- pieces of planning shared by the planner's files.
 */
#ifndef HV_PLAN_INT_H
#define HV_PLAN_INT_H

#include <stdbool.h>

#include "hv/planning.h"
#include "plan_def.h"

/* The longest interval both staff members work on `day`; false if none.
 * A pair makes one route a day, within this shift. */
bool hv__pair_shift(const hv_scenario *s, size_t a, size_t b, int day,
                    int *start, int *end);

/* Longest overlap, in minutes, of a household's windows (empty: any time)
 * with [start, end) on `day`. */
int hv__household_overlap(const hv_household *h, int day, int start, int end);

/* Travel minutes between n points (pts[0] the school) with the
 * scenario's travel model, whole minutes rounded up; unreachable pairs are
 * HV_SOLVER_UNREACHABLE.  *out (n x n) is the caller's to free(). */
#include "hv/geo.h"
hv_status hv__travel_minutes(const hv_scenario *s, const hv_latlon *pts,
                             size_t n, double **out, hv_error *err);

#endif /* HV_PLAN_INT_H */
