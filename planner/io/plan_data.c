/* planner/io/plan_data.c -- an hv_plan as data: creating and freeing one,
 * reading it, and the unvisited-reason codes (the one table of them). */
#include <stdlib.h>
#include <string.h>

#include "plan_def.h"

hv_plan *hv__plan_new(const hv_scenario *s) {
  hv_plan *p = calloc(1, sizeof *p);
  if (p == NULL) return NULL;
  p->arena = hv__arena_create();
  if (p->arena == NULL) {
    free(p);
    return NULL;
  }
  p->scenario = s;
  p->priority_bound = -1;
  return p;
}

void hv_plan_free(hv_plan *p) {
  if (p == NULL) return;
  free(p->routes);
  free(p->calls);
  free(p->unvisited);
  free(p->pairs);
  hv__arena_free(p->arena);
  free(p);
}

size_t hv_plan_call_count(const hv_plan *p) {
  return p->ncalls;
}

const hv_plan_call *hv_plan_call_at(const hv_plan *p, size_t i) {
  return i < p->ncalls ? &p->calls[i] : NULL;
}

const hv_scenario *hv_plan_scenario(const hv_plan *p) {
  return p->scenario;
}

hv_plan_summary hv_plan_summary_of(const hv_plan *p) {
  return (hv_plan_summary){.households = p->households,
                           .visited = p->visited,
                           .priority_total = p->priority_total,
                           .priority_covered = p->priority_covered,
                           .priority_bound = p->priority_bound,
                           .travel_minutes = p->travel_minutes,
                           .seconds = p->seconds,
                           .iterations = p->iterations,
                           .pairs_formed = p->pairs_formed,
                           .interrupted = p->interrupted};
}

size_t hv_plan_route_count(const hv_plan *p) {
  return p->nroutes;
}

const hv_plan_route *hv_plan_route_at(const hv_plan *p, size_t i) {
  return i < p->nroutes ? &p->routes[i] : NULL;
}

size_t hv_plan_unvisited_count(const hv_plan *p) {
  return p->nunvisited;
}

const hv_unvisited *hv_plan_unvisited_at(const hv_plan *p, size_t i) {
  return i < p->nunvisited ? &p->unvisited[i] : NULL;
}

size_t hv_plan_pair_count(const hv_plan *p) {
  return p->npairs;
}

const hv_plan_pair *hv_plan_pair_at(const hv_plan *p, size_t i) {
  return i < p->npairs ? &p->pairs[i] : NULL;
}

void hv_plan_mark_interrupted(hv_plan *p) {
  p->interrupted = true;
}

void hv_plan_mark_unchecked(hv_plan *p) {
  p->unchecked = true;
}

/* Indexed by hv_unvisited_reason; written into plan.json and
 * unvisited.csv, so append only. */
static const char *const reason_codes[HV_WHY_COUNT] = {
    [HV_WHY_NO_COORDS] = "no_coordinates", [HV_WHY_LANGUAGE] = "language",
    [HV_WHY_WINDOWS] = "windows",          [HV_WHY_TOO_FAR] = "too_far",
    [HV_WHY_CAPACITY] = "capacity",        [HV_WHY_DONE] = "visited_earlier",
    [HV_WHY_SHORT_WINDOW] = "short_window"};

const char *hv_unvisited_code(hv_unvisited_reason r) {
  return (int)r > 0 && (int)r < HV_WHY_COUNT ? reason_codes[r] : "unknown";
}

hv_unvisited_reason hv_unvisited_reason_of(const char *code) {
  for (int r = 1; code && r < HV_WHY_COUNT; r++)
    if (strcmp(reason_codes[r], code) == 0) return (hv_unvisited_reason)r;
  return (hv_unvisited_reason)0;
}
