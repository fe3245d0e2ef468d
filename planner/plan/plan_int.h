/* planner/plan/plan_int.h -- pieces of planning shared by the planner's files.
 */
#ifndef HV_PLAN_INT_H
#define HV_PLAN_INT_H

#include <stdbool.h>
#include <stdint.h>

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

/* Video calls (virtual.c). */
/* When staff member k is busy on `day`: out on a route (each trip from
 * the school), or in a call and its notes; intervals into iv (at most
 * cap), how many returned; *visits counts the visits and calls. */
size_t hv__staff_busy(const hv_plan *p, size_t k, int day, int (*iv)[2],
                      size_t cap, int *visits);
/* Plans the week's calls around plan's routes: kept calls, then every
 * virtual household not done, most urgent first; the ones that found no
 * slot go to plan->unvisited with their reason. */
hv_status hv__plan_calls(const hv_scenario *s, hv_plan *plan, unsigned days,
                         const uint8_t *done, const hv_plan_call *kept,
                         size_t nkept, hv_error *err);
/* For an in-person household: when a call could reach it ("tue 15:00
 * S01"), or "" (the planner never makes that change itself). */
void hv__virtual_option(const hv_scenario *s, const hv_plan *plan,
                        unsigned days, size_t h, char *buf, size_t size);

#endif /* HV_PLAN_INT_H */
