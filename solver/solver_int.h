/* solver/solver_int.h -- the routing engine's internal model and the
 * pieces shared by its files.  Indices are int inside the search (instances
 * stay far below INT_MAX; hv_problem_create refuses larger ones). */
#ifndef HV_SOLVER_INT_H
#define HV_SOLVER_INT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "common_int.h" /* hv__now */
#include "hv/solver.h"

#define EPS 1e-7 /* slack for comparing times and loads */

typedef struct override {
  size_t job, vehicle;
  bool allowed;
  double bonus;
} override;

struct hv_problem {
  size_t nloc;
  double *time, *dist;
  size_t njobs, jobs_cap;
  hv_job *jobs;
  size_t nveh, veh_cap;
  hv_vehicle *veh;
  hv_objective obj;
  size_t nov, ov_cap;
  override *ov;
  double balance;   /* cost per route: balance x jobs^2 */
  size_t *ov_table; /* open addressing over ov: index + 1, 0 = empty */
  size_t ov_tsize;  /* a power of two, at least twice nov */
};

/* Everything the search reads, laid out for speed. */
typedef struct model {
  const hv_problem *p;
  int n, m; /* jobs, vehicles */
  size_t nloc;
  const double *T, *D; /* time and cost matrices (nloc x nloc) */
  hv_objective obj;
  const hv_job *job;
  const hv_vehicle *veh;
  double *latest_close; /* per job: last window close (INF if none) */
  uint8_t *compat;      /* n x m: job may go on vehicle */
  double *bonus;        /* n x m, or NULL when no bonus is set */
  int *vtype;           /* per vehicle: its type (identical vehicles) */
  int ntypes;
  int *type_count; /* vehicles per type */
  int *type_first; /* a representative vehicle of each type */
  int *nb;         /* n x knb: nearest other jobs, nearest first */
  int knb;
  double unassigned_penalty; /* per job, DISTANCE/VEHICLES modes */
  double prize_weight;       /* cost units per unit of prize (PRIZE) */
  double vehicle_cost;       /* per used route (VEHICLES) */
  double balance;            /* per route: balance x jobs^2 */
  bool idle_returns;         /* some vehicle has max_wait > 0 */
} model;

hv_status hv__model_build(model *md, const hv_problem *p, hv_error *err);
/* The column-generation prize bound (colgen.c), by the clock time until,
 * with first prices pi0 for the jobs (or NULL); *improved says whether
 * *out holds a bound (it may be above another bound already known). */
hv_status hv__colgen_bound(const model *md, double until, const double *pi0,
                           double *out, bool *improved);
/* Whether an override forbids job j on vehicle v. */
bool hv__allowed(const hv_problem *p, size_t j, size_t v);
void hv__model_free(model *md);

/* Earliest service start at or after arrival a within job j's windows, or
 * INFINITY when a is past its last window. */
static inline double tw_start(const hv_job *j, double a) {
  if (j->ntw == 0) return a;
  for (size_t w = 0; w < j->ntw; w++) {
    if (a <= j->tw[w].close + EPS) return a > j->tw[w].open ? a : j->tw[w].open;
  }
  return 1.0 / 0.0;
}

/* Latest arrival at job j such that service can start by bound b: the
 * largest a with tw_start(j, a) <= b, or -INFINITY. */
static inline double tw_latest(const hv_job *j, double b) {
  if (j->ntw == 0) return b;
  for (size_t w = j->ntw; w-- > 0;) {
    if (j->tw[w].open <= b + EPS)
      return b < j->tw[w].close ? b : j->tw[w].close;
  }
  return -1.0 / 0.0;
}

/* Idle returns (hv_vehicle.max_wait): the leg from location `from`, free
 * at time `free_at`, to job location `to` whose service starts at `start`.
 * Returns what the leg costs beyond the direct drive: the detour through
 * the vehicle's start location when the wait exceeds max_wait and the
 * detour fits (*back set), a penalty per time unit beyond max_wait when it
 * does not fit, else 0.  Never negative. */
static inline double leg_extra(const model *md, const hv_vehicle *vh,
                               size_t from, size_t to, double free_at,
                               double start, bool *back) {
  *back = false;
  if (vh->max_wait <= 0) return 0.0;
  size_t N = md->nloc, b = vh->start;
  double wait = start - (free_at + md->T[from * N + to]);
  if (wait <= vh->max_wait + EPS) return 0.0;
  double detour = md->T[from * N + b] + md->T[b * N + to];
  if (free_at + detour <= start + EPS && detour < HV_SOLVER_UNREACHABLE) {
    *back = true;
    double extra =
        md->D[from * N + b] + md->D[b * N + to] - md->D[from * N + to];
    return extra > 0 ? extra : 0.0;
  }
  return wait - vh->max_wait;
}

/* ---- routes --------------------------------------------------------- */

/* A route of one vehicle.  Position 0 is the start, 1..n the jobs, n+1 the
 * end.  e[p]: earliest service start (departure at 0, arrival at n+1);
 * L[p]: latest arrival at p that keeps the rest feasible.  Recomputed by
 * hv__route_update() after every change; hv__route_insert(),
 * hv__route_remove_range() and hv__route_keep() recompute only where the
 * change reaches, so they need the cache current before (every route
 * made by hv__sol_init, hv__route_copy or hv__route_update is). */
typedef struct route {
  int v;
  int n, cap;
  /* Names the route's content: new whenever its schedule is recomputed
   * (every change does that), kept by hv__route_copy; never 0 once the
   * route has been updated.  The search remembers by it where a job did
   * not fit. */
  uint64_t id;
  int *job;
  double *e, *L;
  double cost; /* distance cost (idle returns included), minus bonuses */
  double dist; /* plain distance */
  double load;
} route;

bool hv__route_init(route *r, int v, int cap);
void hv__route_free(route *r);
bool hv__route_reserve(route *r, int n);
void hv__route_update(const model *md, route *r);
bool hv__route_copy(route *dst, const route *src);
/* True when the route's schedule is feasible (after removals, a route can
 * turn infeasible where travel times break the triangle inequality). */
static inline bool route_ok(const route *r) {
  return r->L[0] >= r->e[0] - EPS;
}

static inline size_t route_loc(const model *md, const route *r, int p) {
  if (p == 0) return md->veh[r->v].start;
  if (p == r->n + 1) return md->veh[r->v].end;
  return md->job[r->job[p - 1]].location;
}

static inline double route_svc(const model *md, const route *r, int p) {
  return p == 0 || p == r->n + 1 ? 0.0 : md->job[r->job[p - 1]].service;
}

/* Whether r has room for job j: its job count and its capacity. */
static inline bool route_has_room(const model *md, const route *r, int j) {
  const hv_vehicle *vh = &md->veh[r->v];
  if (vh->max_jobs > 0 && r->n >= vh->max_jobs) return false;
  return !(vh->capacity > 0 &&
           r->load + md->job[j].demand > vh->capacity + EPS);
}

/* Whether job j, inserted after position p (0..n) of r, costs less than
 * bound and keeps every window (room is not checked: route_has_room); on
 * success *delta is the change in cost (distance, less any bonus).  The
 * cost comes first: it is cheaper than the schedule and rules out most
 * positions.  Inline: the insertion searches call it for every position
 * of every route. */
static inline bool route_insert_below(const model *md, const route *r, int j,
                                      int p, double bound, double *delta) {
  const hv_job *jb = &md->job[j];
  size_t N = md->nloc;
  size_t lp = route_loc(md, r, p), ln = route_loc(md, r, p + 1);
  double d = md->D[lp * N + jb->location] + md->D[jb->location * N + ln];
  if (r->n > 0) d -= md->D[lp * N + ln];
  if (md->bonus) d -= md->bonus[(size_t)j * md->m + r->v];
  d += md->balance * (2.0 * r->n + 1.0);
  if (!(d < bound)) return false;
  double t1 = md->T[lp * N + jb->location], t2 = md->T[jb->location * N + ln];
  if (t1 >= HV_SOLVER_UNREACHABLE || t2 >= HV_SOLVER_UNREACHABLE) return false;
  double a = r->e[p] + route_svc(md, r, p) + t1;
  double s = tw_start(jb, a);
  if (!(s + jb->service + t2 <= r->L[p + 1] + EPS)) return false;
  *delta = d;
  return true;
}

/* The first position p of r after which job j might go: latest arrivals
 * L[] never decrease along a feasible route, and after j the next stop is
 * reached no earlier than j's first window opens plus its service, so
 * every earlier position is infeasible (binary search). */
static inline int route_first_position(const route *r, const hv_job *jb) {
  if (jb->ntw == 0) return 0;
  double need = jb->tw[0].open + jb->service - EPS;
  int lo = 0, hi = r->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (r->L[mid + 1] >= need)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* The cheapest position for job j in r (no other route considered): its
 * cost, with the position through *pos, or INFINITY where it fits nowhere. */
double hv__route_best_insert(const model *md, const route *r, int j, int *pos);
bool hv__route_insert(const model *md, route *r, int j, int p);
void hv__route_remove_range(const model *md, route *r, int from, int count);
/* Keeps the jobs of r whose where[] is v, in order. */
void hv__route_keep(const model *md, route *r, const int *where, int v);

/* Full feasibility of a job sequence on vehicle v (used by the pool and the
 * set-partitioning step); returns its cost through *cost. */
bool hv__sequence_feasible(const model *md, int v, const int *jobs, int n,
                           double *cost);

/* Whether hv_solve's insertion remembers where a job did not fit
 * (search.c, best_insertion), read when a solve starts; on unless a test
 * compares the search without it. */
extern bool hv__insertion_memo;

/* ---- solutions ------------------------------------------------------ */

typedef struct sol {
  int n; /* jobs */
  int m; /* routes: one per vehicle */
  route *r;
  int *where;  /* per job: route index, or -1 when unassigned */
  int nused;   /* non-empty routes */
  double cost; /* total, penalties included */
} sol;

bool hv__sol_init(sol *s, const model *md);
void hv__sol_free(sol *s);
bool hv__sol_copy(sol *dst, const sol *src);
void hv__sol_recount(const model *md, sol *s); /* where[], nused, cost */
double hv__sol_objective(const model *md, const sol *s);
/* The same with a unit of prize left out costing prize_weight (PRIZE). */
double hv__sol_objective_at(const model *md, const sol *s, double prize_weight);

/* Converts to the public form (schedules each route). */
hv_solution *hv__sol_export(const model *md, const sol *s);
/* Loads a public solution (dropping anything infeasible). */
bool hv__sol_import(const model *md, sol *s, const hv_solution *in);

/* ---- random numbers (xoshiro256**, seeded by splitmix64) ------------ */

typedef struct rng {
  uint64_t s[4];
} rng;

void hv__rng_seed(rng *g, uint64_t seed);
static inline uint64_t rng_rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
/* Inline: the search draws millions of numbers a second. */
static inline uint64_t rng_next(rng *g) {
  uint64_t *s = g->s;
  uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rng_rotl(s[3], 45);
  return result;
}
static inline double rng_unit(rng *g) { /* [0, 1) */
  return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}
static inline int rng_int(rng *g, int n) { /* [0, n) */
  return (int)(rng_unit(g) * n);
}
/* Fisher-Yates over a[0..n). */
static inline void rng_shuffle(rng *g, int *a, int n) {
  for (int i = n - 1; i > 0; i--) {
    int k = rng_int(g, i + 1), x = a[i];
    a[i] = a[k];
    a[k] = x;
  }
}

/* Replaces route v's jobs (a feasible sequence); updates where[] and nused. */
bool hv__sol_set_route(const model *md, sol *s, int v, const int *jobs, int n);

/* ---- local search (local.c) ----------------------------------------- */

/* First-improvement descent with relocate, swap, or-opt, cross-exchange,
 * 2-opt* and 2-opt over each job's nearest neighbours; false when out of
 * memory.  memo, NULL or from hv__local_memo (one per search, kept from
 * call to call), remembers the pairs of routes in which a job and its
 * neighbour had no improving move: they are not tried again while both
 * routes are unchanged (the same result, sooner; see local.c). */
bool hv__local_search(const model *md, sol *s, uint64_t *memo);
/* A memory for hv__local_search, all clear; NULL when out of memory.
 * Released with free(). */
uint64_t *hv__local_memo(const model *md);
/* Sorts a[0..n) by key[a[i]] descending, ties by index ascending. */
void hv__sort_desc(int *a, int n, const double *key);
/* PRIZE mode: unserved jobs inserted, or exchanged for served ones worth
 * less (exchange.c), until a pass gains nothing or the clock passes
 * until.  False when memory ran out. */
bool hv__prize_exchange(const model *md, sol *s, double until);
/* Up to `moves` random feasible moves from the same neighbourhoods,
 * whatever their cost. */
bool hv__perturb(const model *md, sol *s, rng *g, int moves);

/* ---- a local search through infeasible routes (twls.c) ------------- */

typedef struct twls twls;
/* NULL when the model has what its summaries do not price (several
 * windows per job, bonuses, idle returns, a balance term, job limits,
 * vehicles with different depots or hours, incompatible jobs) or when
 * memory ran out (*nomem then true). */
twls *hv__twls_create(const model *md, bool *nomem);
void hv__twls_free(twls *t);
/* Puts s's unassigned jobs in at their cheapest priced position and
 * descends with time warp and excess load priced (see twls.c), then writes
 * the routes back: 1 when every job is served, 2 when some routes had to
 * leave jobs out to be feasible (they are unassigned in s), 0 when s had
 * no route (unchanged), -1 when memory ran out. */
int hv__twls_educate(twls *t, sol *s, rng *g);
/* Whether hv_solve educates the population's children with it (when the
 * model allows), read when a solve starts; on unless a test or a
 * benchmark compares the search without it. */
extern bool hv__twls_on;
/* Whether the descent skips pairs it found no move for while their two
 * routes are unchanged (the same moves, sooner); off only in the test that
 * checks exactly that. */
extern bool hv__twls_memo_on;

/* ---- insertion with ejections (ejection.c) -------------------------- */

/* Puts job j (unassigned) into one of the used routes, ejecting at most
 * kmax other jobs, the set with the least total pen[] (ties at random).
 * The ejected jobs are unassigned and written to out[].  Returns their
 * number, -1 when there is no way, -2 when out of memory. */
int hv__eject_insert(const model *md, sol *s, int j, const long *pen, int kmax,
                     rng *g, int *out);

/* ---- route pool and set partitioning -------------------------------- */

typedef struct pool pool;
pool *hv__pool_create(const model *md, size_t max_routes);
void hv__pool_free(pool *pl);
/* Adds a route (its type and job set); keeps the cheaper sequence when the
 * same set is already there. */
void hv__pool_add(pool *pl, const route *r);
size_t hv__pool_size(const pool *pl);
/* Adds every route of `from`, a pool of the same model (as hv__pool_add). */
void hv__pool_merge(pool *pl, const pool *from);

/* Chooses the best combination of pool routes with GLPK.  `incumbent`
 * warm-starts it (its routes are added first).  On improvement writes the
 * result into *out and returns true.  node_limit bounds the branch and
 * bound so that results do not depend on the machine's speed. */
bool hv__pool_solve(const model *md, pool *pl, const sol *incumbent,
                    double time_limit_s, int node_limit, sol *out,
                    hv_error *err, hv_status *st);

/* Parses Solomon text in place (NUL-terminated; lines are split). */
/* hv_toptw_read on text (modified in place); also for the fuzzer. */
hv_status hv__toptw_parse(char *text, const char *path, int tours, int decimals,
                          hv_problem **out, hv_error *err);
hv_status hv__solomon_parse(char *text, const char *path, size_t max_customers,
                            bool trunc1, hv_problem **out, char *name,
                            size_t name_size, hv_error *err);

#endif /* HV_SOLVER_INT_H */
