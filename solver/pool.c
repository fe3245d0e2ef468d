/* solver/pool.c -- the route pool and the set-partitioning integer program
 * that GLPK solves over it.
 *
 * Every distinct good route the search meets is kept, keyed by its vehicle
 * type and its set of jobs (the cheapest order of that set wins).  The
 * model: one binary column per pool route; one row per job, covered at most
 * once (at least once for jobs the incumbent serves, when every job must be
 * served: see drop_repeats); one row per vehicle type, at most as many
 * routes as vehicles.
 * Jobs left out cost what the search's objective says (their prize, or the
 * penalty for an unserved job).  The incumbent is handed to GLPK as its
 * first integer solution, so the answer is never worse. */
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_build.h"
#include "solver_int.h"

typedef struct entry {
  uint64_t h1, h2; /* set hashes: sum and xor of per-job keys */
  int type, n;
  size_t at;   /* offset of its jobs in pool->jobs */
  double cost; /* route cost (distance, less bonuses) */
} entry;

struct pool {
  const model *md;
  uint64_t *key1, *key2; /* per job */
  entry *e;
  size_t n, max;
  int *jobs;
  size_t njobs, jobs_cap;
  size_t *table; /* open addressing: index + 1, 0 = empty */
  size_t tsize;
};

static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

pool *hv__pool_create(const model *md, size_t max_routes) {
  pool *pl = calloc(1, sizeof *pl);
  if (pl == NULL) return NULL;
  pl->md = md;
  pl->max = max_routes;
  pl->tsize = 1;
  while (pl->tsize < max_routes * 2)
    pl->tsize <<= 1;
  pl->key1 = malloc(((size_t)md->n + 1) * sizeof *pl->key1);
  pl->key2 = malloc(((size_t)md->n + 1) * sizeof *pl->key2);
  pl->e = malloc(max_routes * sizeof *pl->e);
  pl->table = calloc(pl->tsize, sizeof *pl->table);
  if (!pl->key1 || !pl->key2 || !pl->e || !pl->table) {
    hv__pool_free(pl);
    return NULL;
  }
  for (int j = 0; j < md->n; j++) {
    pl->key1[j] = mix((uint64_t)j * 2 + 1);
    pl->key2[j] = mix(((uint64_t)j << 32) ^ 0x5DEECE66Dull);
  }
  return pl;
}

void hv__pool_free(pool *pl) {
  if (pl == NULL) return;
  free(pl->key1);
  free(pl->key2);
  free(pl->e);
  free(pl->jobs);
  free(pl->table);
  free(pl);
}

size_t hv__pool_size(const pool *pl) {
  return pl->n;
}

/* The table slot where the entry with these hashes, type and size is or
 * would go. */
static size_t slot_of(const pool *pl, uint64_t h1, uint64_t h2, int type,
                      int n) {
  size_t mask = pl->tsize - 1, i = (size_t)(h1 ^ (h2 >> 7)) & mask;
  while (pl->table[i] != 0) {
    const entry *e = &pl->e[pl->table[i] - 1];
    if (e->h1 == h1 && e->h2 == h2 && e->type == type && e->n == n) break;
    i = (i + 1) & mask;
  }
  return i;
}

/* The hashes of a route's vehicle type and job set (order does not
 * matter), and the table slot where it is or would go. */
static size_t locate(const pool *pl, const route *r, uint64_t *h1p,
                     uint64_t *h2p, int *typep) {
  uint64_t h1 = 0, h2 = 0;
  for (int k = 0; k < r->n; k++) {
    h1 += pl->key1[r->job[k]];
    h2 ^= pl->key2[r->job[k]];
  }
  int type = pl->md->vtype[r->v];
  h1 += mix((uint64_t)type + 77);
  *h1p = h1, *h2p = h2, *typep = type;
  return slot_of(pl, h1, h2, type, r->n);
}

/* Stores the route `key` describes (its `at` ignored), jobs in `job`, at
 * table slot i; where that set is already, keeps the cheaper sequence. */
static void put(pool *pl, size_t i, const entry *key, const int *job) {
  size_t bytes = (size_t)key->n * sizeof *job;
  if (pl->table[i] != 0) {
    entry *e = &pl->e[pl->table[i] - 1];
    if (key->cost < e->cost - 1e-9) {
      memcpy(pl->jobs + e->at, job, bytes);
      e->cost = key->cost;
    }
    return;
  }
  if (pl->n >= pl->max) return; /* full: keep what we have */
  if (pl->njobs + (size_t)key->n > pl->jobs_cap) {
    size_t cap = pl->jobs_cap ? pl->jobs_cap * 2 : 4096;
    while (cap < pl->njobs + (size_t)key->n)
      cap *= 2;
    int *nj = realloc(pl->jobs, cap * sizeof *nj);
    if (nj == NULL) return; /* the pool is an aid: skip on low memory */
    pl->jobs = nj;
    pl->jobs_cap = cap;
  }
  entry *e = &pl->e[pl->n];
  *e = *key;
  e->at = pl->njobs;
  memcpy(pl->jobs + pl->njobs, job, bytes);
  pl->njobs += (size_t)key->n;
  pl->table[i] = ++pl->n;
}

void hv__pool_add(pool *pl, const route *r) {
  if (r->n == 0) return;
  entry key = {.n = r->n, .cost = r->cost};
  size_t i = locate(pl, r, &key.h1, &key.h2, &key.type);
  put(pl, i, &key, r->job);
}

void hv__pool_merge(pool *pl, const pool *from) {
  for (size_t k = 0; k < from->n; k++) {
    const entry *f = &from->e[k];
    put(pl, slot_of(pl, f->h1, f->h2, f->type, f->n), f, from->jobs + f->at);
  }
}

/* ---- the GLPK model ------------------------------------------------- */

/* When every job must be served the model covers rather than partitions:
 * a job may be in several chosen routes, and stays in one of them here,
 * leaving each other where that saves the most while the route stays
 * feasible.  Routes of different solutions that overlap in a few jobs then
 * combine, where a partition needs routes that fit exactly.  Leaving a
 * stop shortens a route and cannot make it late where travel times keep
 * the triangle inequality; where they do not, another copy goes, and when
 * none can, false (the caller keeps its incumbent).  count and buf:
 * scratch of md->n + 1 ints. */
static bool drop_repeats(const model *md, sol *s, int *count, int *buf) {
  memset(count, 0, (size_t)md->n * sizeof *count);
  for (int v = 0; v < s->m; v++)
    for (int k = 0; k < s->r[v].n; k++)
      count[s->r[v].job[k]]++;
  for (int j = 0; j < md->n; j++)
    while (count[j] > 1) {
      int bv = -1, bp = -1;
      double bsave = -INFINITY;
      for (int v = 0; v < s->m; v++) {
        const route *r = &s->r[v];
        for (int p = 0; p < r->n; p++) {
          if (r->job[p] != j) continue;
          memcpy(buf, r->job, (size_t)p * sizeof *buf);
          memcpy(buf + p, r->job + p + 1, (size_t)(r->n - p - 1) * sizeof *buf);
          double c;
          if (hv__sequence_feasible(md, v, buf, r->n - 1, &c) &&
              r->cost - c > bsave) {
            bsave = r->cost - c;
            bv = v;
            bp = p;
          }
        }
      }
      if (bv < 0) return false;
      hv__route_remove_range(md, &s->r[bv], bp, 1);
      count[j]--;
    }
  return true;
}

bool hv__pool_solve(const model *md, pool *pl, const sol *inc,
                    double time_limit_s, int node_limit, sol *out,
                    hv_error *err, hv_status *st) {
  *st = HV_OK;
  /* One clock for everything, building the model included. */
  double t_begin = hv__now();
  /* Make sure the incumbent's routes are columns. */
  for (int v = 0; v < inc->m; v++)
    hv__pool_add(pl, &inc->r[v]);
  size_t ncols = pl->n;
  if (ncols == 0 || ncols > (size_t)INT_MAX / 4) return false;
  int n = md->n, nt = md->ntypes;
  bool all = md->obj != HV_OBJ_PRIZE;
  double vcost = md->obj == HV_OBJ_VEHICLES ? md->vehicle_cost : 0.0;

  glp_term_hook(hv__glp_quiet, NULL);
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  /* Under the vehicles objective the fleet is the incumbent's: a row fixes
   * the number of routes, so that the vehicles' cost, a constant then, does
   * not leave the LP bound to fractional fleets far below any distance. */
  bool fleet = md->obj == HV_OBJ_VEHICLES;
  glp_add_rows(lp, n + nt + fleet);
  if (fleet) glp_set_row_bnds(lp, n + nt + 1, GLP_FX, inc->nused, inc->nused);
  for (int j = 0; j < n; j++) {
    /* Covered for jobs the incumbent serves when all must be served. */
    if (all && inc->where[j] >= 0)
      glp_set_row_bnds(lp, j + 1, GLP_LO, 1.0, 0.0);
    else
      glp_set_row_bnds(lp, j + 1, GLP_UP, 0.0, 1.0);
  }
  for (int t = 0; t < nt; t++)
    glp_set_row_bnds(lp, n + t + 1, GLP_UP, 0.0, md->type_count[t]);
  glp_add_cols(lp, (int)ncols);
  size_t nz = pl->njobs + (size_t)(1 + fleet) * ncols; /* jobs, type, fleet */
  int *ia = malloc((nz + 1) * sizeof *ia), *ja = malloc((nz + 1) * sizeof *ja);
  double *ar = malloc((nz + 1) * sizeof *ar);
  double *warm = calloc(ncols + 1, sizeof *warm);
  if (!ia || !ja || !ar || !warm) {
    free(ia), free(ja), free(ar), free(warm);
    glp_delete_prob(lp);
    *st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                       "out of memory");
    return false;
  }
  size_t k = 0;
  for (size_t c = 0; c < ncols; c++) {
    const entry *e = &pl->e[c];
    int col = (int)c + 1;
    /* Serving a job removes its penalty (or earns its prize): folded
     * into the column's cost so the model matches the search. */
    double cost = e->cost + vcost;
    for (int i = 0; i < e->n; i++) {
      int j = pl->jobs[e->at + (size_t)i];
      if (!(all && inc->where[j] >= 0))
        cost -=
            all ? md->unassigned_penalty : md->job[j].prize * md->prize_weight;
      k++;
      ia[k] = j + 1, ja[k] = col, ar[k] = 1.0;
    }
    k++;
    ia[k] = n + e->type + 1, ja[k] = col, ar[k] = 1.0;
    if (fleet) {
      k++;
      ia[k] = n + nt + 1, ja[k] = col, ar[k] = 1.0;
    }
    glp_set_col_kind(lp, col, GLP_BV);
    glp_set_obj_coef(lp, col, cost);
  }
  glp_load_matrix(lp, (int)k, ia, ja, ar);
  free(ia), free(ja), free(ar);

  /* The incumbent as a column vector: find each of its routes' columns. */
  for (int v = 0; v < inc->m; v++) {
    const route *r = &inc->r[v];
    if (r->n == 0) continue;
    uint64_t h1, h2;
    int type;
    size_t i = locate(pl, r, &h1, &h2, &type);
    if (pl->table[i] != 0) warm[pl->table[i]] = 1.0;
  }

  /* One budget for the LP and the branch and bound together. */
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  double spent = hv__now() - t_begin;
  smcp.tm_lim =
      time_limit_s - spent > 0.01 ? (int)((time_limit_s - spent) * 1000.0) : 10;
  bool improved = false;
  bool lp_ok = glp_simplex(lp, &smcp) == 0 && glp_get_status(lp) == GLP_OPT;
  double left = time_limit_s - (hv__now() - t_begin);
  /* No branch and bound once the LP has used the budget up. */
  if (lp_ok && left > 0.01) {
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.tm_lim = (int)(left * 1000.0);
    iocp.cb_func = hv__glp_start_cb;
    hv__glp_start cb = {.x = warm,
                        .node_limit = node_limit,
                        .deadline = t_begin + time_limit_s};
    iocp.cb_info = &cb;
    iocp.mip_gap = 1e-9;
    iocp.clq_cuts = GLP_ON;
    int ret = glp_intopt(lp, &iocp);
    int ms = glp_mip_status(lp);
    (void)ret;
    if (ms == GLP_OPT || ms == GLP_FEAS) {
      /* Rebuild a solution: each chosen column on a free vehicle of its
       * type. */
      for (int v = 0; v < out->m; v++) {
        out->r[v].n = 0;
      }
      int *next_free = calloc((size_t)nt + 1, sizeof *next_free);
      int *count = malloc(((size_t)n + 1) * sizeof *count);
      int *buf = malloc(((size_t)n + 1) * sizeof *buf);
      bool okb = next_free != NULL && count != NULL && buf != NULL;
      for (size_t c = 0; okb && c < ncols; c++) {
        if (glp_mip_col_val(lp, (int)c + 1) < 0.5) continue;
        const entry *e = &pl->e[c];
        int v = -1;
        for (int w = next_free[e->type]; w < md->m; w++)
          if (md->vtype[w] == e->type && out->r[w].n == 0) {
            v = w;
            next_free[e->type] = w + 1;
            break;
          }
        if (v < 0 || !hv__route_reserve(&out->r[v], e->n)) {
          okb = false;
          break;
        }
        memcpy(out->r[v].job, pl->jobs + e->at, (size_t)e->n * sizeof(int));
        out->r[v].n = e->n;
      }
      free(next_free);
      if (okb) {
        for (int v = 0; v < out->m; v++)
          hv__route_update(md, &out->r[v]);
        okb = drop_repeats(md, out, count, buf);
      }
      free(count), free(buf);
      if (okb) {
        hv__sol_recount(md, out);
        /* Every job is in at most one route now: a valid solution; accept
         * it only when it is better. */
        improved = out->cost < inc->cost - 1e-9;
      }
    }
  }
  free(warm);
  glp_delete_prob(lp);
  glp_term_hook(NULL, NULL);
  return improved;
}
