/* planner/internal/plan_def.h -- the inside of an hv_plan, and io's helpers
 * for plans, for the library's layers (planning builds plans, io reads and
 * writes them, print prints them); the public header keeps it opaque. */
#ifndef HV_PLAN_DEF_H
#define HV_PLAN_DEF_H

#include "common_int.h"
#include "hv/plan.h"
#include "scenario_def.h"

struct hv_plan {
  hv_arena *arena; /* strings and stops */
  const hv_scenario *scenario;
  size_t nroutes;
  hv_plan_route *routes; /* by day, then pair */
  size_t ncalls;
  hv_plan_call *calls; /* video calls, by day then start */
  size_t nunvisited;
  hv_unvisited *unvisited; /* by priority, highest first */
  size_t npairs;
  hv_plan_pair *pairs;
  bool pairs_formed; /* formed by hvplan (no pairs.csv) */
  /* summary */
  size_t households, visited;
  long priority_total, priority_covered;
  long priority_bound;     /* no plan covers more (-1: not known) */
  bool bound_from_lp;      /* from the LP relaxation (else every reachable) */
  bool bound_from_columns; /* tightened by column generation */
  double travel_minutes;
  double seconds;   /* solving time */
  bool interrupted; /* stopped early (Ctrl-C): the best plan found so far */
  bool unchecked;   /* printed although it breaks planning rules */
  uint64_t iterations;
};

/* An empty plan over s (NULL when memory runs out). */
hv_plan *hv__plan_new(const hv_scenario *s);

/* Reads the routes of days before from_day from a plan.json into an array
 * (freed with free(); strings and stops in p's arena).  Errors name the
 * file and the route. */
hv_status hv__plan_read_routes(hv_plan *p, const char *path, int from_day,
                               hv_plan_route **out, size_t *nout,
                               hv_error *err);

/* Reads the video calls of days before from_day from a plan.json (as
 * hv__plan_read_routes). */
hv_status hv__plan_read_calls(hv_plan *p, const char *path, int from_day,
                              hv_plan_call **out, size_t *nout, hv_error *err);

/* Writes plan.json, roster.csv and unvisited.csv into a staging folder. */
hv_status hv__plan_write_data(const hv_plan *p, const char *staging,
                              hv_error *err);

/* Writes the coordinates found back into the scenario's folder: each
 * household with have[h] set gets at[h] in households.csv (every other
 * column kept; households.csv.bak holds the previous file). */
hv_status hv__scenario_save_coords(const hv_scenario *s, const bool *have,
                                   const double *lat, const double *lon,
                                   hv_error *err);
/* Writes base.lat and base.lon into scenario.json, keeping everything
 * else (scenario.json.bak holds the previous file). */
hv_status hv__scenario_save_base(const hv_scenario *s, double lat, double lon,
                                 hv_error *err);

#endif /* HV_PLAN_DEF_H */
