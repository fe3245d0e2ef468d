/* hv/solver.h -- a general routing engine: jobs with several time windows,
 * skills, prizes and demands; vehicles (routes) with start and end places,
 * working windows, skills, capacity and a maximum number of jobs; travel
 * time and distance matrices.  It knows nothing of households or maps.
 *
 * The search is a ruin-and-recreate (string removals, greedy insertion with
 * blinks) under simulated annealing; every good route it meets goes into a
 * pool, and a GLPK set-partitioning model picks the best combination of pool
 * routes, whose solution re-seeds the search.  A compact GLPK MIP solves tiny
 * instances exactly.
 *
 * Ownership: hv_problem copies what it is given; solutions are owned by the
 * caller and released with hv_solution_free(). */
#ifndef HV_SOLVER_H
#define HV_SOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"

typedef enum hv_objective {
  HV_OBJ_PRIZE = 0, /* jobs optional: most total prize, then least cost */
  HV_OBJ_DISTANCE,  /* serve every job, least total distance */
  HV_OBJ_VEHICLES   /* serve every job, fewest routes, then distance */
} hv_objective;

#define HV_MAX_TW 16 /* time windows per job */

/* A window bounds the start of service: open <= start <= close. */
typedef struct hv_tw {
  double open, close;
} hv_tw;

typedef struct hv_job {
  size_t location;     /* row/column in the matrices */
  double service;      /* time spent at the job */
  size_t ntw;          /* 0: no window (any time the vehicle works) */
  hv_tw tw[HV_MAX_TW]; /* disjoint, sorted by open */
  uint64_t skills;     /* every bit set here must be set on the vehicle */
  double prize;        /* value of serving it (HV_OBJ_PRIZE) */
  double demand;       /* load it takes */
} hv_job;

typedef struct hv_vehicle {
  size_t start, end;  /* locations the route leaves from and returns to */
  double open, close; /* leave no earlier than open, be back by close */
  uint64_t skills;
  double capacity; /* <= 0: unlimited */
  int max_jobs;    /* 0: unlimited */
  /* > 0: between two jobs, a wait longer than this sends the vehicle back
   * to its start location and out again (when that detour fits in the
   * wait); the detour's extra distance counts in the route's cost, and a
   * longer wait with no time to go back costs 1 per time unit beyond
   * max_wait.  0: waits of any length, no returns.  hv_solve_exact
   * ignores it. */
  double max_wait;
} hv_vehicle;

typedef struct hv_problem hv_problem; /* opaque */

/* Creates a problem over nloc locations with travel times time[i*nloc+j]
 * and distances dist[i*nloc+j] (dist may be NULL: distance = time).
 * Values must be finite and >= 0; use HV_SOLVER_UNREACHABLE (or any value
 * >= it) for pairs with no route.  The matrices are copied.  Returns NULL
 * on bad arguments (err says why) or when memory runs out. */
#define HV_SOLVER_UNREACHABLE 1e15
hv_problem *hv_problem_create(size_t nloc, const double *time,
                              const double *dist, hv_error *err);
void hv_problem_free(hv_problem *p);

/* Adds a job or a vehicle (copied); returns its index through *index. */
hv_status hv_problem_add_job(hv_problem *p, const hv_job *job, size_t *index,
                             hv_error *err);
hv_status hv_problem_add_vehicle(hv_problem *p, const hv_vehicle *v,
                                 size_t *index, hv_error *err);
void hv_problem_set_objective(hv_problem *p, hv_objective obj);
/* Forbids (allowed = false) serving job j with vehicle v, beyond skills. */
hv_status hv_problem_set_allowed(hv_problem *p, size_t job, size_t vehicle,
                                 bool allowed);
/* A saving, in cost units (like distance), when job j is served by vehicle
 * v: a soft preference below the prize (continuity with a preferred staff
 * member, say).  It never makes the search give up prize. */
hv_status hv_problem_set_bonus(hv_problem *p, size_t job, size_t vehicle,
                               double bonus);

/* A fair spread: each route costs w x (its number of jobs)^2 on top of its
 * distance, so that among near-equal solutions the work is shared out.
 * In cost units; 0 (the default) turns it off.  hv_solve_exact ignores it. */
void hv_problem_set_balance(hv_problem *p, double w);

size_t hv_problem_jobs(const hv_problem *p);
size_t hv_problem_vehicles(const hv_problem *p);
const hv_job *hv_problem_job(const hv_problem *p, size_t j);
const hv_vehicle *hv_problem_vehicle(const hv_problem *p, size_t v);
hv_objective hv_problem_objective(const hv_problem *p);
double hv_problem_time(const hv_problem *p, size_t from, size_t to);
double hv_problem_dist(const hv_problem *p, size_t from, size_t to);

/* Progress report, called from the solving thread. */
typedef struct hv_progress {
  double seconds;
  size_t iterations;
  size_t served, routes;
  double cost, prize;
  size_t pool_routes;
} hv_progress;

typedef struct hv_solve_options {
  double time_limit_s;     /* wall-clock limit (default 10) */
  uint64_t max_iterations; /* 0: none; with it the search is reproducible
                              whenever it ends before the time limit */
  uint64_t seed;           /* default 1 */
  bool use_pool;           /* GLPK set partitioning on the route pool
                              (default true) */
  double progress_every_s; /* 0: no progress callback */
  void (*progress)(const hv_progress *p, void *ud);
  void *progress_ud;
  const struct hv_solution *initial; /* optional start (copied) */
  volatile const int *stop;          /* optional: stop as soon as *stop != 0 */
  unsigned threads; /* searches side by side, the best kept (0 or 1: one;
                       at most HV_THREADS_MAX); each holds its own working
                       memory and route pool; under HV_OBJ_VEHICLES all but
                       the first anneal for distance before the fleet
                       search (see DISTANCE_FIRST in solver/search.c) */
} hv_solve_options;

#define HV_THREADS_MAX 64

void hv_solve_options_init(hv_solve_options *o);

typedef struct hv_route {
  size_t vehicle;
  size_t njobs;
  size_t *jobs;       /* in visit order */
  double *arrival;    /* per job: arrival time */
  double *start;      /* per job: service start (after any wait) */
  bool *via_start;    /* per job: went back to the start location since the
                         previous job (max_wait); arrival = start then */
  double depart;      /* leaves the start location */
  double back;        /* arrives at the end location */
  double distance;    /* sum of distances */
  double travel_time; /* sum of travel times */
} hv_route;

typedef struct hv_solution {
  size_t nroutes; /* non-empty routes only */
  hv_route *routes;
  size_t nunassigned;
  size_t *unassigned; /* jobs not served, ascending */
  double distance, travel_time, prize;
  double seconds; /* time taken */
  uint64_t iterations;
  size_t pool_routes;     /* routes the pool held at the end */
  size_t sp_improvements; /* times the set-partitioning model improved */
  uint64_t scans_skipped; /* insertion scans skipped, known to fail */
  bool proven_optimal;    /* hv_solve_exact only */
} hv_solution;

/* Solves p.  Always returns a solution that satisfies every constraint
 * (with unassigned jobs where none could be served); for DISTANCE and
 * VEHICLES, nunassigned > 0 means no full solution was found.  Errors only
 * for bad problems, memory, or GLPK failures. */
hv_status hv_solve(const hv_problem *p, const hv_solve_options *o,
                   hv_solution **out, hv_error *err);

/* Solves a tiny instance (about a dozen jobs) to proven optimality with a
 * compact MIP in GLPK; sol->proven_optimal says whether it finished within
 * time_limit_s. */
hv_status hv_solve_exact(const hv_problem *p, double time_limit_s,
                         hv_solution **out, hv_error *err);

void hv_solution_free(hv_solution *s);

/* Objective value of s for p, lexicographic objectives folded into one
 * number as the search sees them (lower is better). */
double hv_solution_cost(const hv_problem *p, const hv_solution *s);

/* Checks s against p from scratch (windows, capacity, skills, max jobs,
 * each job at most once, vehicle used at most once) and recomputes its
 * totals; returns HV_OK or HV_E_INPUT with err naming the violation. */
hv_status hv_solution_check(const hv_problem *p, const hv_solution *s,
                            hv_error *err);

/* Reads a Solomon-format VRPTW instance.  max_customers > 0 keeps only the
 * first customers (the 25/50 variants); trunc1 truncates each edge to one
 * decimal for time and cost.  Objective DISTANCE by default. */
/* An upper bound on the prize any solution of p can collect (HV_OBJ_PRIZE):
 * an LP relaxation solved with GLPK within time_limit_s (each vehicle's
 * working time holding the service and shortest drive into each job it
 * serves, at most max_jobs, each job once, only where it fits alone);
 * without time for the LP, the prize of every job some vehicle can serve
 * alone.  With time left after the LP, and up to 2,500 distinct locations,
 * column generation over routes (windows, hours, max_jobs and capacity
 * exact; ng-routes over travel times closed under shortest paths)
 * tightens it. */
typedef struct hv_bound {
  double bound;      /* no solution collects more */
  double reachable;  /* prize of the jobs some vehicle can serve alone */
  bool from_lp;      /* the LP finished (else bound == reachable) */
  bool from_columns; /* column generation over routes finished no higher */
  double seconds;
} hv_bound;
hv_status hv_prize_bound(const hv_problem *p, double time_limit_s,
                         hv_bound *out, hv_error *err);

/* VROOM's JSON input (jobs, vehicles, one profile of matrices; anything
 * unsupported refused by name) as a problem: the priority of the jobs
 * served first, then their number, then the cost.  ctx keeps what the
 * output needs; free with hv_vroom_free. */
typedef struct hv_vroom hv_vroom;
hv_status hv_vroom_parse(const char *text, size_t len, const char *name,
                         hv_problem **out, hv_vroom **ctx, hv_error *err);
/* VROOM's output format for solution s of the problem read (malloc'd
 * text, or NULL when memory runs out). */
char *hv_vroom_output(const hv_vroom *ctx, const hv_problem *p,
                      const hv_solution *s, double load_ms, double solve_ms);
void hv_vroom_free(hv_vroom *ctx);

/* A TOPTW instance (KU Leuven format: the depot, then every vertex with
 * service, score and window) as a prize-collecting problem with `tours`
 * vehicles; travel times are distances truncated to `decimals` decimals
 * (1 for the Solomon-based sets, 2 for pr01-pr20).  Job j is vertex j+1. */
hv_status hv_toptw_read(const char *path, int tours, int decimals,
                        hv_problem **out, hv_error *err);

hv_status hv_solomon_read(const char *path, size_t max_customers, bool trunc1,
                          hv_problem **out, char *name, size_t name_size,
                          hv_error *err);

/* ---- choosing pairs: a matching with capacitated assignment ---------- */

/* A kind of demand that chosen edges serve: up to `count` units, each worth
 * `value` and using `use[r]` of an edge's resource r. */
typedef struct hv_match_group {
  double count;
  double value;
  double use[2];
} hv_match_group;

/* A candidate edge between members a and b.  Choosing it earns `value`
 * and opens capacity[r] of each resource for the groups listed in `reach`
 * (indices into the groups).  `weight` orders edges for the greedy start
 * (heaviest first; fixed edges before all); fixed edges are always chosen. */
typedef struct hv_match_edge {
  size_t a, b;
  double value;
  double weight;
  bool fixed;
  double capacity[2];
  size_t nreach;
  const size_t *reach;
} hv_match_edge;

/* Chooses edges so that each member is in at most one chosen edge and at
 * most max_edges (> 0) are chosen, maximising the chosen edges' values plus
 * the value of the group units assigned to them within their capacities
 * (each group's units at most once over all edges):
 *   max  sum_e value_e x_e + sum_{g,e} value_g z_ge
 *   s.t. sum_{e at member i} x_e <= 1,  sum_e x_e <= max_edges,
 *        sum_e z_ge <= count_g,  sum_g use_g[r] z_ge <= capacity_e[r] x_e,
 *        x binary, 0 <= z_ge <= count_g for g in reach(e).
 * A greedy matching by weight starts GLPK; within time_limit_s (the LP
 * relaxation and branch and bound together) the best integer solution found
 * stands, else the greedy one; members left unmatched are then matched
 * greedily among themselves.  chosen[e] (nedges entries) receives the
 * result.  Errors only for memory or a GLPK failure. */
hv_status hv_match_solve(size_t nmembers, const hv_match_group *groups,
                         size_t ngroups, const hv_match_edge *edges,
                         size_t nedges, int max_edges, double time_limit_s,
                         bool *chosen, hv_error *err);

/* GLPK keeps one environment per thread.  A thread that solved anything
 * calls this before it ends, so that its memory is released. */
void hv_solver_thread_done(void);

#endif /* HV_SOLVER_H */
