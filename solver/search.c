/* solver/search.c -- hv_solve(): ruin and recreate under simulated
 * annealing (after Christiaens & Vanden Berghe's "slack induction by string
 * removals": adjacent strings of jobs are removed from several routes and
 * put back by greedy insertion with blinks), a fleet-minimisation phase for
 * the VEHICLES objective, a small population whose members' routes are
 * recombined (the VRPTW objectives and orienteering tours), and the route
 * pool whose GLPK set-partitioning model picks the best combination of
 * routes seen and re-seeds the search.
 *
 * Reproducibility: all randomness comes from the seed; the annealing
 * schedule and the pool calls are driven by the iteration count when
 * max_iterations is set, so a run that ends on its iteration budget gives
 * the same result on any machine. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* SISR's published parameters: average removed jobs, longest string,
 * split-string probability and depth, blink rate. */
#define AVG_REMOVED 10.0
#define MAX_STRING 10
#define SPLIT_RATE 0.5
#define SPLIT_DEPTH 0.01
#define BLINK_RATE 0.01
/* Routes whose jobs are searched for a job's insertion on large VRPTW
 * instances: those of its nearest neighbours (granular neighbourhood;
 * 1,000 customers, 30 s: 3 x the steps and 0.9 % less distance than every
 * route).  Not in PRIZE mode, where the focused recreate (FOCUS_FROM)
 * already keeps far-away families out of a step: there the granular
 * insertion only missed places, and every route is tried (district of
 * 2,000 families at 30 s: 0.7-1.3 % more priority; bench/README). */
#define GRANULAR_FROM 200
#define GRANULAR_K 40
/* PRIZE mode with long routes (in the best solution so far, on average at
 * least MAX_STRING jobs, so that a ruin takes out only part of a route;
 * set_trade): the annealing prices a job of average prize left out at
 * TRADE first temperatures, so that it can give up a job to make room for
 * better ones (the best solution stays lexicographic: prize first), and
 * the recreate sometimes orders the jobs by prize over insertion cost.
 * Without these the search never accepts a step that loses prize and
 * stalls on orienteering instances (Cordeau's pr06 with one tour: 10 %
 * below the best known).  On a district's week (at most six visits a
 * pair-day) the ruin empties whole routes anyway, and trading measured no
 * better there (bench/README). */
#define TRADE 1.0
/* With trading on, the pool also keeps the routes of accepted solutions
 * within POOL_PRIZE_SLACK of the best's prize, so that the
 * set-partitioning model can combine a tour of one member of the
 * population (see POP_SIZE) with a tour of another. */
#define POOL_PRIZE_SLACK 0.1
/* With trading on, a job that an accepted step took out of a route (to
 * another route or out of the plan) may not go back into that route for
 * TABU_TENURE of the budget (progress: iterations under an iteration
 * budget).  Without it the search undoes a trade before the tours around
 * it have changed: on Cordeau's pr06 with two tours a first tour of equal
 * prize that frees four customers for a better second tour was given up
 * at once (1,041 on most seeds).  Over Cordeau's 40 runs x 8 seeds at
 * 10 s: mean gap 0.786 % against 0.801 %, 5 runs over 3 % against 9,
 * pr06 with two tours 1,051 mean against 1,043; longer tenures fix pr06
 * more often but cost on four tours (bench/README). */
#define TABU_TENURE 0.0005

typedef struct search {
  const model *md;
  const hv_solve_options *opt;
  rng g;
  sol cur, best, tmp;
  int *removed, nremoved;
  int *order;          /* jobs to insert */
  double *key;         /* sort keys */
  uint8_t *touched;    /* per route: changed in this iteration */
  int *stamp;          /* per route: candidate mark */
  uint8_t *tried_type; /* per vehicle type: an empty route was tried */
  int *jmark;          /* per job: candidate mark (focused recreate) */
  int *fbuf;           /* the focused candidates */
  int jmark_now;
  int stamp_now;
  int blink;         /* positions until the next blink */
  int kmax;          /* most non-empty routes allowed */
  double t0, tlimit; /* start time and limit (seconds) */
  uint64_t iter;
  double temp0, tempf;
  double trade; /* PRIZE: the annealing's price of a unit of prize */
  pool *pl;
  size_t sp_improvements;
  hv_status st;
  hv_error *err;
  double last_progress;
  int *tabu_route;     /* per job: the route it may not go back into */
  double *tabu_until;  /* per job: until this progress (see TABU_TENURE) */
  double now;          /* progress at the step's start */
  uint64_t *nofit;     /* per job and route: see best_insertion */
  uint64_t skipped;    /* scans skipped by it */
  int *by_key[3];      /* every job by order_jobs' fixed keys (see there) */
  twls *tw;            /* the crossover's education, or NULL (see twls.c) */
  uint64_t *lsmemo;    /* hv__local_search's memory (see there) */
  struct exchange *ex; /* the threads' populations' exchange, or NULL */
  int id;              /* this search's thread (0: the caller's) */
  uint64_t *ex_seen;   /* per thread: the last of its members taken */
} search;

static double elapsed(const search *S) {
  return hv__now() - S->t0;
}

static bool stop_requested(const search *S) {
  return S->opt->stop && *S->opt->stop;
}

/* Fraction of the budget used.  With an iteration budget the schedule
 * follows iterations only, so that it does not depend on the machine's
 * speed; the time limit then only stops the search (see time_left). */
static double progress(const search *S) {
  if (S->opt->max_iterations > 0)
    return (double)S->iter / (double)S->opt->max_iterations;
  return elapsed(S) / S->tlimit;
}

/* ---- recreate ------------------------------------------------------- */

static bool best_insertion(search *S, sol *s, int j, int *bv, int *bp,
                           double *bdelta);

/* order_jobs' fixed keys of job j: o = 0 its prize (PRIZE mode) or
 * demand, 1 its distance from the depot, 2 its nearness to it. */
static double fixed_key(const model *md, int o, int j) {
  const hv_job *jb = &md->job[j];
  if (o == 0) return md->obj == HV_OBJ_PRIZE ? jb->prize : jb->demand;
  size_t depot = md->m > 0 ? md->veh[0].start : 0;
  double far = md->T[depot * md->nloc + jb->location];
  return o == 1 ? far : -far;
}

/* Orders the jobs to insert as SISR does: random, largest demand first,
 * farthest first, or closest first.  In PRIZE mode the most valuable
 * first stands in for demand; with long routes (see TRADE), in two cases
 * of eleven the jobs go by prize squared over the cost of their best
 * insertion into s (the orienteering heuristics' ratio, after Vansteenwegen
 * et al.). */
static void order_jobs(search *S, sol *s, int *jobs, int n) {
  const model *md = S->md;
  double u = rng_unit(&S->g) * 11.0;
  rng_shuffle(&S->g, jobs, n);
  if (u < 4.0) return;
  bool ratio = S->trade > 0 && u >= 6.0 && u < 8.0;
  int o = u < 8.0 ? 0 : u < 10.0 ? 1 : 2; /* see fixed_key */
  if (!ratio && 16 * n >= md->n) {
    /* Many jobs (orienteering: every one left out): pick them from every
     * job in the key's order, worked out once (fixed_orders), rather than
     * sort them; the same sequence, the order being total. */
    const int *all = S->by_key[o];
    S->jmark_now++;
    for (int i = 0; i < n; i++)
      S->jmark[jobs[i]] = S->jmark_now;
    int k = 0;
    for (int i = 0; i < md->n; i++)
      if (S->jmark[all[i]] == S->jmark_now) jobs[k++] = all[i];
    return;
  }
  for (int i = 0; i < n; i++) {
    int j = jobs[i];
    const hv_job *jb = &md->job[j];
    int v, p;
    double d;
    if (ratio)
      S->key[j] = best_insertion(S, s, j, &v, &p, &d)
                      ? jb->prize * jb->prize / (d > 0 ? d + 1e-3 : 1e-3)
                      : -1.0;
    else
      S->key[j] = fixed_key(md, o, j);
  }
  hv__sort_desc(jobs, n, S->key);
}

/* Every job by each of order_jobs' fixed keys (prize or demand, distance
 * from the depot, nearness to it), descending, ties by index; key: scratch
 * of md->n.  False when out of memory. */
static bool fixed_orders(search *S) {
  const model *md = S->md;
  for (int o = 0; o < 3; o++) {
    S->by_key[o] = malloc(((size_t)md->n + 1) * sizeof *S->by_key[o]);
    if (S->by_key[o] == NULL) return false;
    for (int j = 0; j < md->n; j++) {
      S->key[j] = fixed_key(md, o, j);
      S->by_key[o][j] = j;
    }
    hv__sort_desc(S->by_key[o], md->n, S->key);
  }
  return true;
}

/* Positions until the next blink: each position is skipped with
 * probability BLINK_RATE, so the gaps are geometric (one draw per blink,
 * not one per position). */
static int next_blink(rng *g) {
  return (int)(log1p(-rng_unit(g)) / log1p(-BLINK_RATE));
}

/* Best insertion of job j over the candidate routes, with blinks.
 *
 * Where j fits in no position of a route, the search remembers it by the
 * route's content (route.id) with the number of positions scanned, in
 * S->nofit[j * m + v] as id << NOFIT_BITS | count: the next time j meets
 * the same content (the routes a step did not touch, on every step), the
 * scan is skipped when no blink would have fallen in it, its positions
 * counted off the blink as the scan would have.  So the result is the
 * same, to the bit, as without the memory.  Only scans made with no bound
 * yet (no position found in an earlier route, so each position failed on
 * its schedule, not its cost) and without a blink are remembered.  On
 * orienteering instances most left-out jobs fit nowhere and every step
 * tried each of them in every route (Cordeau's pr10 with four tours:
 * best_insertion 85 % of the time).  Up to NOFIT_MAX jobs x routes (64
 * MiB); beyond, or with hv__insertion_memo off, no memory (S->nofit
 * NULL). */
#define NOFIT_BITS 16
#define NOFIT_MAX ((size_t)8 << 20)
bool hv__insertion_memo = true;

static bool best_insertion(search *S, sol *s, int j, int *bv, int *bp,
                           double *bdelta) {
  const model *md = S->md;
  double best = INFINITY;
  int m = md->m;
  bool granular = md->n > GRANULAR_FROM && md->obj != HV_OBJ_PRIZE;
  if (granular) {
    S->stamp_now++;
    int k = md->knb < GRANULAR_K ? md->knb : GRANULAR_K;
    /* Unassigned neighbours mark the spare slot m: no branch to
     * mispredict when half of them are left out (orienteering). */
    const int *nb = md->nb + (size_t)j * md->knb;
    for (int i = 0; i < k; i++) {
      int w = s->where[nb[i]];
      S->stamp[w < 0 ? m : w] = S->stamp_now;
    }
  }
  /* One empty route per vehicle type is enough: they are identical. */
  uint8_t *tried_empty = S->tried_type;
  memset(tried_empty, 0, (size_t)md->ntypes);
  double lc = md->latest_close[j];
  rng g = S->g; /* a local copy stays in registers */
  for (int v = 0; v < m; v++) {
    if (!md->compat[(size_t)j * m + v]) continue;
    if (S->trade > 0 && S->tabu_route[j] == v && S->tabu_until[j] > S->now)
      continue;
    route *r = &s->r[v];
    if (r->n == 0) {
      if (s->nused >= S->kmax) continue;
      int t = md->vtype[v];
      if (tried_empty[t]) continue;
      tried_empty[t] = 1;
    } else if (granular && S->stamp[v] != S->stamp_now) {
      continue;
    }
    if (!route_has_room(md, r, j)) continue;
    uint64_t *memo = S->nofit ? &S->nofit[(size_t)j * m + v] : NULL;
    if (memo && r->n > 0 && *memo >> NOFIT_BITS == r->id) {
      int count = (int)(*memo & ((1u << NOFIT_BITS) - 1));
      if (S->blink >= count) {
        S->blink -= count;
        S->skipped++;
        continue;
      }
    }
    bool clean = !isfinite(best);
    int count = 0;
    for (int p = route_first_position(r, &md->job[j]); p <= r->n; p++) {
      if (r->e[p] + route_svc(md, r, p) > lc + EPS) break;
      count++;
      if (S->blink-- == 0) {
        S->blink = next_blink(&g);
        clean = false;
        continue;
      }
      double d;
      if (route_insert_below(md, r, j, p, best, &d)) {
        best = d;
        *bv = v;
        *bp = p;
      }
    }
    if (memo && clean && !isfinite(best) && r->n > 0 &&
        count < (1 << NOFIT_BITS))
      *memo = r->id << NOFIT_BITS | (uint64_t)count;
  }
  S->g = g;
  *bdelta = best;
  return isfinite(best);
}

/* Inserts the given jobs (in the given order) where they cost least. */
static void recreate(search *S, sol *s, int *jobs, int n) {
  const model *md = S->md;
  order_jobs(S, s, jobs, n);
  for (int i = 0; i < n; i++) {
    int j = jobs[i], v = -1, p = -1;
    double d;
    if (!best_insertion(S, s, j, &v, &p, &d)) continue;
    /* Optional jobs are served only when worth their travel. */
    if (md->obj == HV_OBJ_PRIZE && d >= md->job[j].prize * md->prize_weight)
      continue;
    if (s->r[v].n == 0) s->nused++;
    if (!hv__route_insert(md, &s->r[v], j, p)) {
      S->st = HV_E_NOMEM;
      return;
    }
    s->where[j] = v;
    S->touched[v] = 1;
  }
}

/* Regret-2 construction of a first solution: repeatedly insert the job
 * whose best route beats its second best by the most (in PRIZE mode the
 * most valuable job first, regret breaking ties), keeping a table of each
 * job's best insertion per route and refreshing only the route that
 * changed.  Quadratic in jobs times routes: larger instances use greedy
 * insertion instead.  Returns false when it did not run. */
static bool construct_regret(search *S, sol *s, int *jobs, int n) {
  const model *md = S->md;
  int m = md->m;
  if ((double)n * n * m > 2e8 || n == 0) return false;
  double *c = malloc((size_t)n * m * sizeof *c);
  int *pos = malloc((size_t)n * m * sizeof *pos);
  uint8_t *done = calloc((size_t)n, 1);
  if (!c || !pos || !done) {
    free(c), free(pos), free(done);
    return false;
  }
  for (int i = 0; i < n; i++)
    for (int v = 0; v < m; v++) {
      size_t k = (size_t)i * m + v;
      c[k] = md->compat[(size_t)jobs[i] * m + v]
                 ? hv__route_best_insert(md, &s->r[v], jobs[i], &pos[k])
                 : INFINITY;
    }
  for (;;) {
    int pick = -1, pv = -1;
    double pkey = -INFINITY, pbest = INFINITY;
    for (int i = 0; i < n; i++) {
      if (done[i]) continue;
      double b1 = INFINITY, b2 = INFINITY;
      int bv = -1;
      for (int v = 0; v < m; v++) {
        double x = c[(size_t)i * m + v];
        if (s->r[v].n == 0 && s->nused >= S->kmax) continue;
        if (x < b1) {
          b2 = b1, b1 = x, bv = v;
        } else if (x < b2) {
          b2 = x;
        }
      }
      if (bv < 0) {
        done[i] = 1; /* fits nowhere: stays unassigned */
        continue;
      }
      const hv_job *jb = &md->job[jobs[i]];
      if (md->obj == HV_OBJ_PRIZE && b1 >= jb->prize * md->prize_weight) {
        done[i] = 1; /* not worth its travel */
        continue;
      }
      double regret = isfinite(b2) ? b2 - b1 : 1e12;
      double key = md->obj == HV_OBJ_PRIZE ? jb->prize * 1e15 + regret : regret;
      if (key > pkey || (key == pkey && b1 < pbest)) {
        pkey = key, pbest = b1, pick = i, pv = bv;
      }
    }
    if (pick < 0) break;
    int j = jobs[pick];
    if (s->r[pv].n == 0) s->nused++;
    if (!hv__route_insert(md, &s->r[pv], j, pos[(size_t)pick * m + pv])) {
      S->st = HV_E_NOMEM;
      break;
    }
    s->where[j] = pv;
    done[pick] = 1;
    for (int i = 0; i < n; i++)
      if (!done[i]) {
        size_t k = (size_t)i * m + pv;
        c[k] = md->compat[(size_t)jobs[i] * m + pv]
                   ? hv__route_best_insert(md, &s->r[pv], jobs[i], &pos[k])
                   : INFINITY;
      }
  }
  free(c), free(pos), free(done);
  return true;
}

/* ---- ruin ----------------------------------------------------------- */

static void remove_job_mark(search *S, sol *s, int j) {
  s->where[j] = -1;
  S->removed[S->nremoved++] = j;
}

/* Drops the jobs whose where[] is -1 from route v, then repairs the route
 * if removals made it infeasible (possible when travel times break the
 * triangle inequality): jobs are dropped from the end until it fits. */
static void compact_route(search *S, sol *s, int v) {
  const model *md = S->md;
  route *r = &s->r[v];
  bool was_used = r->n > 0;
  hv__route_keep(md, r, s->where, v);
  while (r->n > 0 && !route_ok(r)) {
    int p = 1;
    while (p <= r->n && isfinite(r->e[p]))
      p++;
    p = p > r->n ? r->n : p;
    remove_job_mark(S, s, r->job[p - 1]);
    hv__route_remove_range(md, r, p - 1, 1);
  }
  if (was_used && r->n == 0) s->nused--;
  S->touched[v] = 1;
}

static void ruin(search *S, sol *s) {
  const model *md = S->md;
  S->nremoved = 0;
  int assigned = 0;
  for (int v = 0; v < s->m; v++)
    assigned += s->r[v].n;
  if (assigned == 0) return;
  double avg = (double)assigned / (s->nused > 0 ? s->nused : 1);
  double lsmax = avg < MAX_STRING ? avg : MAX_STRING;
  double ksmax = 4.0 * AVG_REMOVED / (1.0 + lsmax) - 1.0;
  int ks = (int)(rng_unit(&S->g) * ksmax) + 1;
  /* A random served job seeds the removal. */
  int seed = rng_int(&S->g, md->n);
  while (s->where[seed] < 0)
    seed = (seed + 1) % md->n;
  int strings = 0;
  S->stamp_now++;
  for (int i = -1; i < md->knb && strings < ks; i++) {
    int c = i < 0 ? seed : md->nb[(size_t)seed * md->knb + i];
    int v = s->where[c];
    if (v < 0 || S->stamp[v] == S->stamp_now) continue;
    S->stamp[v] = S->stamp_now;
    route *r = &s->r[v];
    int card = r->n;
    int lmax = card < lsmax ? card : (int)lsmax;
    if (lmax < 1) lmax = 1;
    int l = (int)(rng_unit(&S->g) * lmax) + 1;
    int pc = 0;
    while (r->job[pc] != c)
      pc++;
    if (rng_unit(&S->g) < SPLIT_RATE || l >= card) {
      /* A string of l jobs containing c. */
      int lo = pc - l + 1 < 0 ? 0 : pc - l + 1;
      int hi = pc < card - l ? pc : card - l;
      int start = lo + rng_int(&S->g, hi - lo + 1);
      for (int k = start; k < start + l; k++)
        remove_job_mark(S, s, r->job[k]);
    } else {
      /* A string of l + m jobs containing c, of which m in a row stay. */
      int mkeep = 1;
      while (l + mkeep < card && rng_unit(&S->g) > SPLIT_DEPTH)
        mkeep++;
      int len = l + mkeep;
      int lo = pc - len + 1 < 0 ? 0 : pc - len + 1;
      int hi = pc < card - len ? pc : card - len;
      int start = lo + rng_int(&S->g, hi - lo + 1);
      int keep_at = start + rng_int(&S->g, l + 1);
      for (int k = start; k < start + len; k++)
        if (k < keep_at || k >= keep_at + mkeep)
          remove_job_mark(S, s, r->job[k]);
    }
    strings++;
    compact_route(S, s, v);
  }
}

/* ---- the annealing loop --------------------------------------------- */

static int unassigned_jobs(const search *S, const sol *s, int *out) {
  int n = 0;
  for (int j = 0; j < S->md->n; j++)
    if (s->where[j] < 0) out[n++] = j;
  return n;
}

/* The jobs to insert after a ruin.  Usually every unassigned one; but in
 * PRIZE mode with many unassigned (a district where a third of the
 * families cannot be visited), the removed jobs, the unassigned nearest
 * to them and a few random others: the granular insertion only places a
 * job near its neighbours' routes anyway, and trying every far-away job
 * each iteration made the search slow without making it better. */
#define FOCUS_FROM 200 /* unassigned jobs */
#define FOCUS_NEAR 8   /* neighbours of each removed job */
#define FOCUS_RANDOM 16
/* The prize exchange (exchange.c) on new bests with this many jobs left
 * out: on districts (hundreds left out) it brings valuable families in
 * that ruin and recreate rarely reaches; on 100-customer orienteering
 * instances (fewer left out, one long tour) it pushed the search into
 * worse optima (bench/README). */
#define EXCHANGE_FROM 100

static int focused_jobs(search *S, const sol *s, int *out) {
  const model *md = S->md;
  int n = unassigned_jobs(S, s, out);
  if (md->obj != HV_OBJ_PRIZE || n < FOCUS_FROM || S->jmark == NULL ||
      S->fbuf == NULL)
    return n;
  int k = 0;
  S->jmark_now++;
  for (int i = 0; i < S->nremoved; i++) {
    int j = S->removed[i];
    if (s->where[j] < 0 && S->jmark[j] != S->jmark_now) {
      S->jmark[j] = S->jmark_now;
      S->fbuf[k++] = j;
    }
    int near = md->knb < FOCUS_NEAR ? md->knb : FOCUS_NEAR;
    for (int q = 0; q < near; q++) {
      int c = md->nb[(size_t)j * md->knb + q];
      if (s->where[c] < 0 && S->jmark[c] != S->jmark_now) {
        S->jmark[c] = S->jmark_now;
        S->fbuf[k++] = c;
      }
    }
  }
  /* out[] holds every unassigned job: pick a few at random. */
  for (int t = 0; t < FOCUS_RANDOM; t++) {
    int c = out[rng_int(&S->g, n)];
    if (S->jmark[c] != S->jmark_now) {
      S->jmark[c] = S->jmark_now;
      S->fbuf[k++] = c;
    }
  }
  memcpy(out, S->fbuf, (size_t)k * sizeof *out);
  return k;
}

static void add_touched_to_pool(search *S, const sol *s) {
  if (S->pl == NULL) return;
  for (int v = 0; v < s->m; v++)
    if (S->touched[v] && s->r[v].n > 0) hv__pool_add(S->pl, &s->r[v]);
}

static void report(search *S, bool force) {
  const hv_solve_options *o = S->opt;
  if (o->progress == NULL || o->progress_every_s <= 0) return;
  double now = elapsed(S);
  if (!force && now - S->last_progress < o->progress_every_s) return;
  S->last_progress = now;
  hv_progress pr = {.seconds = now, .iterations = S->iter};
  double prize = 0;
  for (int j = 0; j < S->md->n; j++)
    if (S->best.where[j] >= 0) {
      pr.served++;
      prize += S->md->job[j].prize;
    }
  pr.routes = (size_t)S->best.nused;
  for (int v = 0; v < S->best.m; v++)
    pr.cost += S->best.r[v].dist;
  pr.prize = prize;
  pr.pool_routes = S->pl ? hv__pool_size(S->pl) : 0;
  o->progress(&pr, o->progress_ud);
}

/* Makes tmp a copy of cur.  When synced, they differ only in the routes
 * the last step touched (whichever of the two was kept), so only those
 * are copied: on a week of hundreds of routes a step changes a few. */
static bool copy_cur(search *S, bool synced) {
  if (!synced) return hv__sol_copy(&S->tmp, &S->cur);
  for (int v = 0; v < S->cur.m; v++)
    if (S->touched[v] && !hv__route_copy(&S->tmp.r[v], &S->cur.r[v]))
      return false;
  memcpy(S->tmp.where, S->cur.where, (size_t)S->cur.n * sizeof *S->cur.where);
  S->tmp.nused = S->cur.nused;
  S->tmp.cost = S->cur.cost;
  return true;
}

/* One ruin-and-recreate step from cur into tmp (its cost set); synced as
 * for copy_cur. */
static void step(search *S, bool synced) {
  if (!copy_cur(S, synced)) {
    S->st = HV_E_NOMEM;
    return;
  }
  memset(S->touched, 0, (size_t)S->md->m);
  if (S->trade > 0) S->now = progress(S);
  ruin(S, &S->tmp);
  int n = focused_jobs(S, &S->tmp, S->order);
  recreate(S, &S->tmp, S->order, n);
  S->tmp.cost = hv__sol_objective(S->md, &S->tmp);
  S->iter++;
}

static void swap_sol(sol *a, sol *b) {
  sol t = *a;
  *a = *b;
  *b = t;
}

static bool time_left(search *S, double until) {
  return S->st == HV_OK && !stop_requested(S) && progress(S) < until &&
         elapsed(S) < S->tlimit;
}

/* Runs the pool's set-partitioning model and adopts an improvement. */
static void pool_step(search *S, double budget_s) {
  if (S->pl == NULL || hv__pool_size(S->pl) == 0) return;
  double left = S->tlimit - elapsed(S);
  if (budget_s > left) budget_s = left;
  if (budget_s < 0.05) return;
  hv_status st = HV_OK;
  /* The node bound keeps runs reproducible; the time bound keeps the
   * limit.  GLPK rarely needs many nodes on these models. */
  if (hv__pool_solve(S->md, S->pl, &S->best, budget_s, 2000, &S->tmp, S->err,
                     &st)) {
    if (S->tmp.cost < S->best.cost - 1e-9) {
      hv__sol_copy(&S->best, &S->tmp);
      hv__sol_copy(&S->cur, &S->tmp);
      S->sp_improvements++;
    }
  }
  if (st != HV_OK) S->st = st;
}

/* Sets S->trade from s (see TRADE): on when s's routes are long. */
static void set_trade(search *S, const sol *s) {
  const model *md = S->md;
  S->trade = 0;
  if (md->obj != HV_OBJ_PRIZE || s->nused == 0) return;
  int served = 0;
  double prize = 0;
  for (int j = 0; j < md->n; j++) {
    served += s->where[j] >= 0;
    prize += md->job[j].prize;
  }
  if (served < MAX_STRING * s->nused) return;
  if (prize > 0) S->trade = TRADE * S->temp0 / (prize / md->n);
  if (S->trade > md->prize_weight) S->trade = md->prize_weight;
}

/* The cost the annealing compares: the objective, but in PRIZE mode with
 * prize priced at S->trade. */
static double anneal_cost(const search *S, const sol *s) {
  return S->trade > 0 ? hv__sol_objective_at(S->md, s, S->trade) : s->cost;
}

/* The prize s serves. */
static double served_prize(const model *md, const sol *s) {
  double prize = 0;
  for (int j = 0; j < md->n; j++)
    if (s->where[j] >= 0) prize += md->job[j].prize;
  return prize;
}

/* Whether the routes of an accepted solution go into the pool: when its
 * cost is close to the best's, or with trading on, when its prize is
 * (see POOL_PRIZE_SLACK). */
static bool pool_worthy(const search *S, const sol *s) {
  double dist_best = 0;
  for (int v = 0; v < S->best.m; v++)
    dist_best += S->best.r[v].dist;
  if (s->cost - S->best.cost <= 0.02 * (dist_best + 1.0)) return true;
  return S->trade > 0 &&
         served_prize(S->md, s) >=
             (1.0 - POOL_PRIZE_SLACK) * served_prize(S->md, &S->best);
}

/* After an accepted step with trading on (cur the new solution, tmp the
 * one before the step): the jobs it took out of a route may not go back
 * into it for a while (see TABU_TENURE). */
static void forbid_returns(search *S) {
  double until = progress(S) + TABU_TENURE;
  for (int i = 0; i < S->nremoved; i++) {
    int j = S->removed[i], v = S->tmp.where[j];
    if (v >= 0 && S->cur.where[j] != v) {
      S->tabu_route[j] = v;
      S->tabu_until[j] = until;
    }
  }
}

/* Anneals up to progress `until`, the temperature falling from ta to tb
 * at progress `cool_end`.  With lbest (a member of the population), the
 * run's own best is kept there too and the pool's model is not called. */
static void anneal(search *S, double until, double cool_end, double ta,
                   double tb, sol *lbest) {
  /* The temperature falls from ta to tb over the rest of the budget
   * (to cool_end: see improve), however much of it the fleet
   * minimisation used: started where the whole budget's schedule would be
   * by then (cold), the annealing could not leave the fleet search's
   * solution (RC2_2_2, 70 % of the budget on the fleet: 1.8-6.1 % above
   * the best known on four seeds, 0.3-1.1 % with the schedule rescaled). */
  double p0 = progress(S);
  /* Pool calls at fixed points of the budget. */
  double next_pool = S->pl && !lbest ? p0 + (until - p0) / 4.0 : 2.0;
  double pool_gap = (until - p0) / 4.0;
  /* Whether tmp equals cur but for the routes the last step touched. */
  bool synced = false;
  while (time_left(S, until)) {
    double pr = progress(S), sp = (pr - p0) / (cool_end - p0);
    double temp = ta * pow(tb / ta, sp > 1 ? 1 : sp);
    step(S, synced);
    if (S->st != HV_OK) break;
    synced = true;
    double threshold =
        anneal_cost(S, &S->cur) - temp * log(rng_unit(&S->g) + 1e-300);
    if (anneal_cost(S, &S->tmp) < threshold) {
      swap_sol(&S->cur, &S->tmp);
      if (S->trade > 0) forbid_returns(S);
      if (S->pl && pool_worthy(S, &S->cur)) add_touched_to_pool(S, &S->cur);
      if (S->cur.cost < S->best.cost - 1e-9) {
        /* A new best: polish it with the classic moves first (and, when
         * families are left out, the exchanges that bring them in). */
        if (S->md->obj == HV_OBJ_PRIZE &&
            unassigned_jobs(S, &S->cur, S->order) >= EXCHANGE_FROM &&
            !hv__prize_exchange(S->md, &S->cur, S->t0 + S->tlimit))
          S->st = HV_E_NOMEM;
        if (!hv__local_search(S->md, &S->cur, S->lsmemo)) S->st = HV_E_NOMEM;
        if (S->pl) {
          memset(S->touched, 1, (size_t)S->md->m);
          add_touched_to_pool(S, &S->cur);
        }
        if (!hv__sol_copy(&S->best, &S->cur)) S->st = HV_E_NOMEM;
        set_trade(S, &S->best);
        synced = false; /* the polish changed cur */
      }
      if (lbest && S->cur.cost < lbest->cost - 1e-9 &&
          !hv__sol_copy(lbest, &S->cur))
        S->st = HV_E_NOMEM;
    }
    if (pr >= next_pool) {
      pool_step(S, S->tlimit * pool_gap * 0.15);
      next_pool += pool_gap;
      synced = false; /* the pool writes tmp and may replace cur */
    }
    if ((S->iter & 255) == 0) report(S, false);
  }
}

/* ---- a population for the fixed-fleet search ------------------------- */

/* VRPTW objectives (DISTANCE, VEHICLES after the fleet search) and
 * orienteering tours (PRIZE with trading on; see improve): instead of one
 * annealing run, POP_SIZE runs (POP_SIZE_FEW: see there) from the same
 * start share POP_FIRST of what is left of the budget; then, to the end,
 * two random members are crossed and the child is annealed for
 * CHILD_SHARE of it, from CHILD_COOL of the way down the schedule (log
 * scale); the child replaces the worst member when better and of a cost
 * no member has.  One annealing run settles in one basin early, and
 * neither its parameters, its length nor restarts from the same solution
 * moved that (bench/README, fourth to seventh sessions); recombining
 * routes of runs that settled in different basins does (G&H 200 at 30 s,
 * seeds 1-4: see bench/README, ninth session).  Where the model allows (twls.c:
 * one window per job, one depot and working day), the crossover's child is
 * educated instead of repaired by insertion alone: its left-out customers go in
 * at their cheapest position with lateness and excess load priced, and a local
 * search through such infeasible routes (after Vidal et al.'s HGS) takes
 * it to a feasible local optimum; children are then annealed for
 * CHILD_SHARE_TW each, so that twice as many are educated (bench/README,
 * thirteenth session). */
#define POP_SIZE 4
/* Orienteering with at most FEW_TOURS tours (PRIZE with trading on) runs
 * POP_SIZE_FEW: twice as many annealing runs, each half as long, in the
 * same POP_FIRST.  There a run settles on its tours within a few per cent
 * of the budget (Cordeau's pr06 with two tours: at 1,041, 3.3 % below the
 * best known, on some seeds), and more runs give the crossover more
 * to choose from: pr06 with two tours, one thread, iteration budget,
 * seeds 1-160: 12 under 1,044 (3 % below) against 30 with four runs.
 * With four tours a run has a quarter of the iterations and needs them
 * all (pr05 with four tours, four seeds: 2.3-3.2 % below with eight runs,
 * 1.8-2.3 % with four; bench/README, twenty-first session). */
#define FEW_TOURS 2
#define POP_SIZE_FEW 8
_Static_assert(POP_SIZE_FEW >= POP_SIZE, "population() holds either");
#define POP_FIRST 0.5
#define CHILD_SHARE 0.02
#define CHILD_SHARE_TW 0.01
#define CHILD_COOL 0.5
/* The crossover takes from 1 to this share of the second parent's routes. */
#define CROSS_ROUTES 0.25

/* Route-exchange crossover (after Nagata & Kobayashi's SREX): C becomes A
 * with k of its routes swapped for the k routes of B nearest a random
 * customer (A's routes that share the most customers with them go, and
 * their customers leave A's other routes); the customers left out are
 * inserted again, by the education where there is one (S->tw), and by the
 * recreate for those it could not place feasibly.  ov and sb: scratch of
 * md->m ints. */
static bool crossover(search *S, const sol *A, const sol *B, sol *C, int *ov,
                      int *sb) {
  const model *md = S->md;
  int m = md->m;
  if (!hv__sol_copy(C, A)) return false;
  int most = (int)(B->nused * CROSS_ROUTES);
  int kb = 1 + rng_int(&S->g, most < 1 ? 1 : most);
  int seed = rng_int(&S->g, md->n);
  for (int t = 0; t < md->n && B->where[seed] < 0; t++)
    seed = (seed + 1) % md->n;
  if (B->where[seed] < 0) return true; /* B serves nobody */
  S->stamp_now++;
  int nsb = 0;
  for (int i = -1; i < md->knb && nsb < kb; i++) {
    int c = i < 0 ? seed : md->nb[(size_t)seed * md->knb + i];
    int v = B->where[c];
    if (v < 0 || S->stamp[v] == S->stamp_now) continue;
    S->stamp[v] = S->stamp_now;
    sb[nsb++] = v;
  }
  memset(ov, 0, (size_t)m * sizeof *ov);
  for (int i = 0; i < nsb; i++) {
    const route *r = &B->r[sb[i]];
    for (int k = 0; k < r->n; k++)
      if (A->where[r->job[k]] >= 0) ov[A->where[r->job[k]]]++;
  }
  memset(S->touched, 0, (size_t)m);
  S->nremoved = 0;
  for (int i = 0; i < nsb; i++) {
    int w = -1;
    for (int v = 0; v < m; v++)
      if (C->r[v].n > 0 && ov[v] >= 0 && (w < 0 || ov[v] > ov[w])) w = v;
    if (w < 0) break;
    ov[w] = -1;
    route *r = &C->r[w];
    for (int k = 0; k < r->n; k++)
      C->where[r->job[k]] = -1;
    r->n = 0;
    hv__route_update(md, r);
    C->nused--;
  }
  for (int i = 0; i < nsb; i++) {
    const route *r = &B->r[sb[i]];
    for (int k = 0; k < r->n; k++) {
      int v = C->where[r->job[k]];
      if (v >= 0) {
        C->where[r->job[k]] = -1;
        S->touched[v] = 1;
      }
    }
  }
  for (int v = 0; v < m; v++)
    if (S->touched[v]) compact_route(S, C, v);
  /* B's routes go in, each on an empty vehicle of its type. */
  for (int i = 0; i < nsb; i++) {
    const route *r = &B->r[sb[i]];
    int w = C->r[r->v].n == 0 ? r->v : -1;
    for (int v = 0; v < m && w < 0; v++)
      if (C->r[v].n == 0 && md->vtype[v] == md->vtype[r->v]) w = v;
    if (w < 0 || C->nused >= S->kmax) continue;
    if (!hv__route_reserve(&C->r[w], r->n)) return false;
    memcpy(C->r[w].job, r->job, (size_t)r->n * sizeof *r->job);
    C->r[w].n = r->n;
    hv__route_update(md, &C->r[w]);
    for (int k = 0; k < r->n; k++)
      C->where[r->job[k]] = w;
    C->nused++;
    S->touched[w] = 1;
  }
  if (S->tw) {
    int ed = hv__twls_educate(S->tw, C, &S->g);
    if (ed < 0) return false;
    if (ed == 1) return true;
  }
  recreate(S, C, S->order, unassigned_jobs(S, C, S->order));
  C->cost = hv__sol_objective(md, C);
  return S->st == HV_OK;
}

/* ---- the populations of threads side by side (see hv_solve) ---------- */

/* With several threads each runs its own population (an island); every
 * MIGRATE_EVERY children each publishes its best member and takes the best
 * another published, when better than its own worst and of a cost none of
 * its members has.  Under an iteration budget the islands meet in rounds
 * (each waits for the others, who publish at the same point of their own
 * run), so that the run stays reproducible; under a time limit alone
 * nobody waits: each takes what the others last published. */
#define MIGRATE_EVERY 2

typedef struct exchange {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool rounds;       /* meet in rounds (iteration budget) */
  int nth, n;        /* threads; those still taking part */
  int arrived;       /* at the current meeting */
  uint64_t meeting;  /* meetings completed */
  sol *slot;         /* per thread: its best member, as published */
  uint64_t *version; /* per thread: publications so far */
  bool *in;          /* per thread: taking part */
} exchange;

/* Waits, holding ex->mu, until every thread taking part has come. */
static void ex_meet(exchange *ex) {
  uint64_t m = ex->meeting;
  if (++ex->arrived >= ex->n) {
    ex->arrived = 0;
    ex->meeting++;
    pthread_cond_broadcast(&ex->cv);
    return;
  }
  while (ex->meeting == m)
    pthread_cond_wait(&ex->cv, &ex->mu);
}

/* S takes no more part (its population ended, or it has none). */
static void ex_leave(search *S) {
  exchange *ex = S->ex;
  if (ex == NULL) return;
  pthread_mutex_lock(&ex->mu);
  if (ex->in[S->id]) {
    ex->in[S->id] = false;
    ex->n--;
    if (ex->arrived > 0 && ex->arrived >= ex->n) {
      ex->arrived = 0;
      ex->meeting++;
      pthread_cond_broadcast(&ex->cv);
    }
  }
  pthread_mutex_unlock(&ex->mu);
}

/* Publishes S's best member and takes another thread's best into pop
 * (see MIGRATE_EVERY); false when out of memory. */
static bool ex_trade(search *S, sol *pop, int npop) {
  exchange *ex = S->ex;
  int best = 0, worst = 0;
  for (int i = 1; i < npop; i++) {
    if (pop[i].cost < pop[best].cost) best = i;
    if (pop[i].cost > pop[worst].cost) worst = i;
  }
  bool ok = true;
  pthread_mutex_lock(&ex->mu);
  if (hv__sol_copy(&ex->slot[S->id], &pop[best]))
    ex->version[S->id]++;
  else
    ok = false;
  if (ex->rounds) ex_meet(ex);
  int from = -1;
  for (int k = 0; k < ex->nth; k++) {
    if (k == S->id || !ex->in[k] || ex->version[k] == S->ex_seen[k]) continue;
    const sol *c = &ex->slot[k];
    bool seen = false;
    for (int i = 0; i < npop; i++)
      seen = seen || fabs(pop[i].cost - c->cost) < 1e-6;
    if (!seen && c->cost < pop[worst].cost - 1e-9 &&
        (from < 0 || c->cost < ex->slot[from].cost - 1e-9))
      from = k;
  }
  if (from >= 0) {
    S->ex_seen[from] = ex->version[from];
    ok = ok && hv__sol_copy(&pop[worst], &ex->slot[from]);
  }
  if (ex->rounds) ex_meet(ex);
  pthread_mutex_unlock(&ex->mu);
  return ok;
}

static bool ex_init(exchange *ex, const model *md) {
  int n = ex->nth;
  pthread_mutex_init(&ex->mu, NULL);
  pthread_cond_init(&ex->cv, NULL);
  ex->slot = calloc((size_t)n, sizeof *ex->slot);
  ex->version = calloc((size_t)n, sizeof *ex->version);
  ex->in = calloc((size_t)n, sizeof *ex->in);
  bool ok = ex->slot && ex->version && ex->in;
  for (int k = 0; ok && k < n; k++) {
    ex->in[k] = true;
    ok = hv__sol_init(&ex->slot[k], md);
  }
  return ok;
}

static void ex_free(exchange *ex) {
  for (int k = 0; ex->slot && k < ex->nth; k++)
    hv__sol_free(&ex->slot[k]);
  free(ex->slot), free(ex->version), free(ex->in);
  pthread_mutex_destroy(&ex->mu);
  pthread_cond_destroy(&ex->cv);
}

/* The population's search up to progress `until` (see POP_SIZE). */
static void population(search *S, double until) {
  const model *md = S->md;
  sol pop[POP_SIZE_FEW] = {{0}}, start = {0}, child = {0};
  int npop = S->trade > 0 && md->m <= FEW_TOURS ? POP_SIZE_FEW : POP_SIZE;
  int *ov = malloc(((size_t)md->m + 1) * sizeof *ov);
  int *sb = malloc(((size_t)md->m + 1) * sizeof *sb);
  bool ok = ov && sb && hv__sol_init(&start, md) && hv__sol_init(&child, md) &&
            hv__sol_copy(&start, &S->cur);
  for (int i = 0; ok && i < npop; i++)
    ok = hv__sol_init(&pop[i], md);
  if (!ok) S->st = HV_E_NOMEM;
  double p0 = progress(S), left = until - p0;
  for (int i = 0; i < npop && S->st == HV_OK; i++) {
    double end = p0 + left * POP_FIRST * (i + 1) / npop;
    if (!hv__sol_copy(&S->cur, &start) || !hv__sol_copy(&pop[i], &start))
      S->st = HV_E_NOMEM;
    anneal(S, end, end, S->temp0, S->tempf, &pop[i]);
  }
  double tc = S->temp0 * pow(S->tempf / S->temp0, CHILD_COOL);
  for (int gen = 0; time_left(S, until); gen++) {
    if (S->ex && gen % MIGRATE_EVERY == 0 && !ex_trade(S, pop, npop)) {
      S->st = HV_E_NOMEM;
      break;
    }
    int a = rng_int(&S->g, npop), b = rng_int(&S->g, npop - 1);
    b += b >= a;
    if (!crossover(S, &pop[a], &pop[b], &S->cur, ov, sb) ||
        !hv__sol_copy(&child, &S->cur)) {
      if (S->st == HV_OK) S->st = HV_E_NOMEM;
      break;
    }
    double end = progress(S) + left * (S->tw ? CHILD_SHARE_TW : CHILD_SHARE);
    if (end > until) end = until;
    anneal(S, end, end, tc, S->tempf, &child);
    int worst = 0;
    bool seen = false;
    for (int i = 0; i < npop; i++) {
      if (pop[i].cost > pop[worst].cost) worst = i;
      seen = seen || fabs(pop[i].cost - child.cost) < 1e-6;
    }
    if (!seen && child.cost < pop[worst].cost) swap_sol(&pop[worst], &child);
  }
  ex_leave(S);
  for (int i = 0; i < npop; i++)
    hv__sol_free(&pop[i]);
  hv__sol_free(&start);
  hv__sol_free(&child);
  free(ov), free(sb);
}

/* The improvement up to `until`: for the VRPTW objectives, and in PRIZE
 * mode with trading on (orienteering tours), by the population (see
 * POP_SIZE); else (a district's week of short routes) in one annealing
 * run whose temperature would reach tempf at the end of the budget.  On
 * orienteering instances one run settles on its first tour and builds the
 * others around it (Cordeau's pr06 with two tours: 1,041 of 1,076 on most
 * seeds, where a variant of the first tour of equal prize frees four
 * customers for a better second); the crossover recombines tours of runs
 * that settled differently.  Cordeau's 40 runs x seeds 1-8 at 10 s: mean
 * gap 0.80 %, 6 runs of 320 over 3 %, against 0.96 % and 14 the same day
 * for the annealing in cycles with a noisy prize that it replaced
 * (bench/README, tenth session). */
static void improve(search *S, double until) {
  if (S->md->obj != HV_OBJ_PRIZE || S->trade > 0) {
    population(S, until);
  } else {
    ex_leave(S);
    anneal(S, until, 1.0, S->temp0, S->tempf, NULL);
  }
}

/* Fleet minimisation (after Nagata & Braysy): take a route away and put
 * its jobs into an ejection pool; take jobs from the pool one at a time
 * and insert each where it fits, or, where it fits nowhere, insert it
 * anyway and eject the cheapest set of other jobs (by penalty: how often
 * each failed) back into the pool, then shake the solution with random
 * feasible moves.  An empty pool means one route fewer; take the next.
 * Each pool step counts as an iteration. */
#define EJECT_MAX 3
#define EJECT_WIDE 5
#define STUCK_LIMIT 50
#define ATTEMPT_ITERS_PER_JOB 20
#define PERTURB_MOVES 100

/* Empties route v of cur; its jobs go onto the pool (random order). */
static void drop_route(search *S, int v, int *ep, int *nep) {
  route *r = &S->cur.r[v];
  int base = *nep;
  for (int k = 0; k < r->n; k++) {
    S->cur.where[r->job[k]] = -1;
    ep[(*nep)++] = r->job[k];
  }
  rng_shuffle(&S->g, ep + base, r->n);
  r->n = 0;
  hv__route_update(S->md, r);
  S->cur.nused--;
}

static void minimise_fleet(search *S, double until) {
  const model *md = S->md;
  long *pen = malloc(((size_t)md->n + 1) * sizeof *pen);
  int *ep = malloc(((size_t)md->n + 1) * sizeof *ep);
  int *bank = malloc(((size_t)md->n + 1) * sizeof *bank);
  if (pen == NULL || ep == NULL || bank == NULL) {
    free(pen), free(ep), free(bank);
    S->st = HV_E_NOMEM;
    return;
  }
  double demand = 0, cap = 0;
  for (int j = 0; j < md->n; j++)
    demand += md->job[j].demand;
  for (int v = 0; v < md->m; v++)
    if (md->veh[v].capacity > cap) cap = md->veh[v].capacity;
  int lower = cap > 0 ? (int)ceil(demand / cap - 1e-9) : 1;
  if (lower < 1) lower = 1;
  /* Start from few routes: insert everything with one route open, then
   * open one more at a time while jobs are left over (routes filled in
   * turn), when that needs fewer routes than the first solution. */
  {
    sol *t = &S->tmp;
    for (int v = 0; v < md->m; v++) {
      t->r[v].n = 0;
      hv__route_update(md, &t->r[v]);
    }
    for (int j = 0; j < md->n; j++)
      t->where[j] = -1;
    t->nused = 0;
    int left = md->n;
    for (S->kmax = lower; S->kmax <= md->m && left > 0 && S->st == HV_OK;
         S->kmax++) {
      left = unassigned_jobs(S, t, bank);
      recreate(S, t, bank, left);
      left = unassigned_jobs(S, t, bank);
    }
    t->cost = hv__sol_objective(md, t);
    if (left == 0 && t->nused < S->cur.nused) swap_sol(&S->cur, &S->tmp);
  }
  /* Jobs the first solution could not serve at all stay out of the pool:
   * they fit nowhere even with every vehicle available. */
  hv__sol_copy(&S->best, &S->cur);
  int nep = 0, stuck = 0;
  uint64_t attempt_start = S->iter;
  bool restart = false;
  while (time_left(S, until)) {
    /* An attempt that runs long is given up: back to the best, and
     * another route, chosen at random, goes instead. */
    if (nep > 0 &&
        S->iter - attempt_start > (uint64_t)ATTEMPT_ITERS_PER_JOB * md->n) {
      hv__sol_copy(&S->cur, &S->best);
      nep = 0;
      restart = true;
    }
    if (nep == 0) {
      S->cur.cost = hv__sol_objective(md, &S->cur);
      if (S->cur.cost < S->best.cost) hv__sol_copy(&S->best, &S->cur);
      if (S->cur.nused <= lower) break;
      /* The smallest route half the time, else (and after a restart) a
       * random one. */
      int v;
      do
        v = rng_int(&S->g, md->m);
      while (S->cur.r[v].n == 0);
      if (!restart && rng_unit(&S->g) < 0.5)
        for (int w = 0; w < md->m; w++)
          if (S->cur.r[w].n > 0 && S->cur.r[w].n < S->cur.r[v].n) v = w;
      drop_route(S, v, ep, &nep);
      attempt_start = S->iter;
      restart = false;
      S->kmax = S->cur.nused;
      for (int j = 0; j < md->n; j++)
        pen[j] = 1;
    }
    int j = ep[--nep];
    S->iter++;
    int v = -1, p = -1;
    double d;
    if (best_insertion(S, &S->cur, j, &v, &p, &d)) {
      if (!hv__route_insert(md, &S->cur.r[v], j, p)) S->st = HV_E_NOMEM;
      S->cur.where[j] = v;
    } else {
      pen[j]++;
      int k = hv__eject_insert(md, &S->cur, j, pen, EJECT_MAX, &S->g, ep + nep);
      if (k == -1) /* a wider search: more ejections */
        k = hv__eject_insert(md, &S->cur, j, pen, EJECT_WIDE, &S->g, ep + nep);
      if (k == -2) {
        S->st = HV_E_NOMEM;
      } else if (k == -1) {
        /* No way in for this job now: it waits at the bottom of the pool
         * while the others go in and the routes are shaken; after too many
         * such turns in a row this route is given up for another. */
        memmove(ep + 1, ep, (size_t)nep * sizeof *ep);
        ep[0] = j;
        nep++;
        if (++stuck > STUCK_LIMIT) {
          hv__sol_copy(&S->cur, &S->best);
          nep = 0;
          stuck = 0;
          restart = true;
          continue;
        }
        if (!hv__perturb(md, &S->cur, &S->g, PERTURB_MOVES)) S->st = HV_E_NOMEM;
      } else {
        stuck = 0;
        nep += k;
        if (!hv__perturb(md, &S->cur, &S->g, PERTURB_MOVES)) S->st = HV_E_NOMEM;
        /* A route the moves emptied stays closed. */
        if (S->cur.nused < S->kmax) S->kmax = S->cur.nused;
      }
    }
    if ((S->iter & 255) == 0) report(S, false);
  }
  /* Continue from the smallest full fleet found. */
  hv__sol_copy(&S->cur, &S->best);
  S->cur.cost = hv__sol_objective(md, &S->cur);
  S->best.cost = S->cur.cost;
  S->kmax = S->best.nused;
  free(pen), free(ep), free(bank);
}

void hv_solve_options_init(hv_solve_options *o) {
  memset(o, 0, sizeof *o);
  o->time_limit_s = 10.0;
  o->seed = 1;
  o->use_pool = true;
}

static void search_free(search *S) {
  free(S->ex_seen);
  hv__sol_free(&S->cur);
  hv__sol_free(&S->best);
  hv__sol_free(&S->tmp);
  free(S->removed);
  free(S->order);
  free(S->key);
  free(S->touched);
  free(S->stamp);
  free(S->tried_type);
  free(S->jmark);
  free(S->fbuf);
  free(S->tabu_route);
  free(S->tabu_until);
  free(S->lsmemo);
  free(S->nofit);
  for (int o = 0; o < 3; o++)
    free(S->by_key[o]);
  hv__pool_free(S->pl);
  hv__twls_free(S->tw);
}

/* Temperatures relative to the average edge of the first solution: SISR's
 * 100 -> 1 on Solomon's scale, where an edge is about 10. */
static void set_temperatures(search *S) {
  double dist = 0;
  int edges = 0;
  for (int v = 0; v < S->cur.m; v++)
    if (S->cur.r[v].n > 0) {
      dist += S->cur.r[v].dist;
      edges += S->cur.r[v].n + 1;
    }
  double avg = edges > 0 ? dist / edges : 1.0;
  if (avg <= 0) avg = 1.0;
  S->temp0 = 10.0 * avg;
  S->tempf = 0.1 * avg;
  set_trade(S, &S->cur);
}

/* Allocates S's working memory over md; false when out of memory (S is
 * then freed by search_free as usual). */
static bool search_init(search *S, const model *md) {
  size_t n1 = (size_t)md->n + 1, m1 = (size_t)md->m + 1;
  S->removed = malloc(n1 * sizeof *S->removed);
  S->order = malloc(n1 * sizeof *S->order);
  S->key = malloc(n1 * sizeof *S->key);
  S->touched = calloc(m1, 1);
  S->stamp = calloc(m1, sizeof *S->stamp);
  S->tried_type = calloc(m1, 1);
  S->jmark = calloc(n1, sizeof *S->jmark);
  S->fbuf = malloc(n1 * sizeof *S->fbuf);
  S->tabu_route = malloc(n1 * sizeof *S->tabu_route);
  S->tabu_until = calloc(n1, sizeof *S->tabu_until);
  S->lsmemo = hv__local_memo(md);
  bool memo = hv__insertion_memo && n1 * m1 <= NOFIT_MAX;
  if (memo) S->nofit = calloc(n1 * m1, sizeof *S->nofit);
  if (S->tabu_route)
    for (size_t j = 0; j < n1; j++)
      S->tabu_route[j] = -1;
  bool ok = S->tried_type && S->tabu_route && S->tabu_until && S->lsmemo &&
            (S->nofit || !memo) && S->removed && S->order && S->key &&
            S->touched && S->stamp && hv__sol_init(&S->cur, md) &&
            hv__sol_init(&S->best, md) && hv__sol_init(&S->tmp, md) &&
            S->jmark && fixed_orders(S);
  if (ok && hv__twls_on) {
    bool nomem;
    S->tw = hv__twls_create(md, &nomem);
    ok = !nomem;
  }
  if (ok && S->opt->use_pool) {
    S->pl = hv__pool_create(md, 60000);
    ok = S->pl != NULL;
  }
  return ok;
}

/* VEHICLES with several threads: the threads after the first anneal the
 * first solution for distance, every vehicle open, for this share of the
 * budget before the fleet search, which then takes routes away from short
 * routes rather than from the first solution's.  Where the fleet is tight
 * and the routes long, the fleet search's last solution sets the basin
 * the population's members all settle in (G&H R2_2_1, four routes of
 * about 50 customers each sweeping the day, one thread at 30 s, seeds
 * 1-6: 4,529-4,760, mean 4,616; started this way 4,502-4,573, mean
 * 4,537); on short routes (RC1) the same start cost distance (bench/README,
 * fourth session), so the first thread keeps the plain start and the
 * threads' starts differ in kind, not just in seed.  Ten G&H instances,
 * two threads, seeds 1 and 3: mean gap 0.480 %, worst 1.20 %, against
 * 0.772 % and 5.89 % (bench/README, nineteenth session).  The fleet
 * search still ends at 0.7 of the budget, so on these threads it has 0.6;
 * and its greedy few-route start still replaces the annealed solution
 * when that start needs fewer routes (the share is then spent for
 * nothing; on R2_2_1 it does not happen: 7 routes against 6). */
#define DISTANCE_FIRST 0.1

/* One whole search: the first solution, the fleet search (VEHICLES), the
 * improvement and the final pool call; the result in S->best, S->st. */
static void search_run(search *S) {
  const model *md = S->md;
  S->kmax = md->m;
  S->blink = next_blink(&S->g);
  /* First solution: the given one, then greedy insertion of the rest. */
  if (S->opt->initial) hv__sol_import(md, &S->cur, S->opt->initial);
  memset(S->touched, 0, (size_t)md->m + 1);
  int n = unassigned_jobs(S, &S->cur, S->order);
  if (!construct_regret(S, &S->cur, S->order, n))
    recreate(S, &S->cur, S->order, n);
  S->cur.cost = hv__sol_objective(md, &S->cur);
  hv__sol_copy(&S->best, &S->cur);
  set_temperatures(S);
  if (S->pl)
    for (int v = 0; v < md->m; v++)
      if (S->cur.r[v].n > 0) hv__pool_add(S->pl, &S->cur.r[v]);

  if (md->n > 0 && md->m > 0) {
    if (md->obj == HV_OBJ_VEHICLES) {
      if (S->id > 0) {
        /* See DISTANCE_FIRST. */
        anneal(S, DISTANCE_FIRST, DISTANCE_FIRST, S->temp0, S->tempf, NULL);
        if (!hv__sol_copy(&S->cur, &S->best)) S->st = HV_E_NOMEM;
      }
      minimise_fleet(S, 0.7);
    }
    /* Leave the last part of the budget to a final pool call. */
    improve(S, S->pl ? 0.93 : 1.0);
    if (S->pl && S->st == HV_OK && !stop_requested(S))
      /* Keep a margin: building and reading back the model is not under
       * GLPK's own clock. */
      pool_step(S, (S->tlimit - elapsed(S)) * 0.8 - 0.05);
  }
  ex_leave(S);
  report(S, true);
}

/* ---- several searches at once (threads) ------------------------------ */

/* With threads > 1 the searches run side by side, each from its own seed
 * (the first from the given one) with its own working memory and route
 * pool; their populations trade members (see MIGRATE_EVERY), and the best
 * result is kept (ties: the lowest thread).  Under an iteration budget the
 * trades happen at fixed points of each run, so the result is
 * reproducible.  Only the first reports progress. */
typedef struct worker {
  search S;
  hv_solve_options opt;
  hv_error err;
  pthread_t th;
  bool started;
} worker;

static void *worker_main(void *arg) {
  worker *w = arg;
  search_run(&w->S);
  hv_solver_thread_done();
  return NULL;
}

/* The seed of thread k > 0: the given seed's stream moved far along. */
static uint64_t thread_seed(uint64_t seed, int k) {
  uint64_t z = seed + (uint64_t)k * 0x9E3779B97F4A7C15u;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/* With several threads, the best thread's search makes one more
 * set-partitioning call, over the routes of every thread's pool, in what
 * is left of the limit (under a time limit, hardly any with the VRPTW
 * objectives, whose own final calls use it): a tour one thread kept can
 * join a tour of another.
 * Never worse, it only changes the end of the run (Cordeau's pr06 with two
 * tours, two threads, iteration budget, seeds 1-160: 1 to 5 more prize on
 * 7 of them; bench/README, twenty-first session). */
static void merged_pool_step(worker *w, int nth, int b) {
  search *S = &w[b].S;
  if (S->pl == NULL || stop_requested(S)) return;
  for (int k = 0; k < nth; k++)
    if (k != b && (k == 0 || w[k].started) && w[k].S.pl)
      hv__pool_merge(S->pl, w[k].S.pl);
  pool_step(S, (S->tlimit - elapsed(S)) * 0.8 - 0.05);
}

/* The thread whose result stands: the lowest cost among those that ran,
 * the first on a tie; -1, with *st and *err set, when one ended in an
 * error other than the solver's (a GLPK failure leaves its search's best
 * standing).  A thread that could not start leaves its search unrun: the
 * others' results stand. */
static int best_thread(const worker *w, int nth, hv_status *st, hv_error *err) {
  int b = -1;
  for (int k = 0; k < nth; k++) {
    const search *S = &w[k].S;
    if (k > 0 && !w[k].started) continue;
    if (S->st != HV_OK && S->st != HV_E_SOLVER) {
      *st = S->st;
      *err = w[k].err;
      return -1;
    }
    if (b < 0 || S->best.cost < w[b].S.best.cost - 1e-9) b = k;
  }
  return b;
}

hv_status hv_solve(const hv_problem *p, const hv_solve_options *o,
                   hv_solution **out, hv_error *err) {
  *out = NULL;
  hv_solve_options defaults;
  if (o == NULL) {
    hv_solve_options_init(&defaults);
    o = &defaults;
  }
  model md;
  hv_status st = hv__model_build(&md, p, err);
  if (st != HV_OK) return st;
  int nth = o->threads < 1                ? 1
            : o->threads > HV_THREADS_MAX ? HV_THREADS_MAX
                                          : (int)o->threads;
  worker *w = calloc((size_t)nth, sizeof *w);
  if (w == NULL) {
    hv__model_free(&md);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                        "out of memory");
  }
  double t0 = hv__now();
  exchange ex = {.nth = nth, .n = nth, .rounds = o->max_iterations > 0};
  bool ok = nth == 1 || ex_init(&ex, &md);
  for (int k = 0; k < nth; k++) {
    w[k].opt = *o;
    if (k > 0) {
      w[k].opt.seed = thread_seed(o->seed, k);
      w[k].opt.progress = NULL;
    }
    search *S = &w[k].S;
    *S = (search){
        .md = &md, .opt = &w[k].opt, .err = &w[k].err, .st = HV_OK, .t0 = t0};
    S->tlimit = o->time_limit_s > 0 ? o->time_limit_s : 1e-3;
    hv__rng_seed(&S->g, w[k].opt.seed);
    ok = ok && search_init(S, &md);
    if (nth > 1) {
      S->ex = &ex;
      S->id = k;
      S->ex_seen = calloc((size_t)nth, sizeof *S->ex_seen);
      ok = ok && S->ex_seen;
    }
  }
  for (int k = 1; ok && k < nth; k++) {
    w[k].started = pthread_create(&w[k].th, NULL, worker_main, &w[k]) == 0;
    if (!w[k].started) ex_leave(&w[k].S); /* nobody waits for it */
  }
  if (ok) search_run(&w[0].S);
  for (int k = 1; k < nth; k++)
    if (w[k].started) pthread_join(w[k].th, NULL);
  int b = ok ? best_thread(w, nth, &st, err) : -1;
  if (b >= 0 && nth > 1 && w[b].S.st == HV_OK) {
    merged_pool_step(w, nth, b);
    b = best_thread(w, nth, &st, err); /* only b's cost fell, or it failed */
  }
  if (!ok)
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                      "out of memory");
  else if (b >= 0) {
    search *S = &w[b].S;
    hv_solution *res = hv__sol_export(&md, &S->best);
    if (res == NULL) {
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                        "out of memory");
    } else {
      res->seconds = elapsed(&w[0].S);
      for (int k = 0; k < nth; k++) {
        res->iterations += w[k].S.iter;
        res->pool_routes += w[k].S.pl ? hv__pool_size(w[k].S.pl) : 0;
        res->sp_improvements += w[k].S.sp_improvements;
        res->scans_skipped += w[k].S.skipped;
      }
      *out = res;
      st = HV_OK;
    }
  }
  for (int k = 0; k < nth; k++)
    search_free(&w[k].S);
  free(w);
  if (nth > 1) ex_free(&ex);
  hv__model_free(&md);
  return st;
}
