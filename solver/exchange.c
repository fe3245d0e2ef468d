/* solver/exchange.c -- the prize-collecting neighbourhood (HV_OBJ_PRIZE):
 * unserved jobs in, less valuable served ones out.
 *
 * For each unserved job u, most valuable first: insert it where it costs
 * least, if it fits anywhere; else exchange it for a served job a worth
 * less, in a route where u fits once a has left (the routes of u's
 * nearest jobs are tried, and every position), the largest prize gained
 * first and then the cheapest.  The job taken out is inserted elsewhere
 * at once when it fits.  Passes repeat while they gain.  Ruin and
 * recreate reaches such exchanges only when a ruin happens to take out
 * the cheap job near the valuable one and the recreate happens to take
 * the valuable one first; at district scale, with hundreds of families
 * left out, that is rare. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

#define EX_NEIGHBOURS 60 /* routes of this many nearest jobs */
#define EX_PASSES 4

/* Cheapest plain insertion of j over every route that may serve it. */
static bool insert_anywhere(const model *md, sol *s, int j, bool *oom) {
  double best = INFINITY;
  int bv = -1, bp = -1;
  for (int v = 0; v < md->m; v++) {
    if (!md->compat[(size_t)j * md->m + v]) continue;
    int p;
    double d = hv__route_best_insert(md, &s->r[v], j, &p);
    if (d < best) best = d, bv = v, bp = p;
  }
  if (bv < 0) return false;
  /* Worth its travel, as the recreate judges it. */
  if (best >= md->job[j].prize * md->prize_weight) return false;
  if (s->r[bv].n == 0) s->nused++;
  if (!hv__route_insert(md, &s->r[bv], j, bp)) return *oom = true, false;
  s->where[j] = bv;
  return true;
}

bool hv__prize_exchange(const model *md, sol *s, double until) {
  if (md->obj != HV_OBJ_PRIZE || md->n == 0) return true;
  int n = md->n;
  int *out = malloc((size_t)n * sizeof *out);
  route tmp = {0};
  double *prize = malloc(((size_t)n + 1) * sizeof *prize);
  uint8_t *seen = calloc((size_t)md->m + 1, 1);
  int *cand = malloc(((size_t)md->m + 1) * sizeof *cand);
  bool oom = out == NULL || seen == NULL || cand == NULL || prize == NULL ||
             !hv__route_init(&tmp, 0, 8);
  for (int j = 0; j < n && prize; j++)
    prize[j] = md->job[j].prize;
  for (int pass = 0; pass < EX_PASSES && !oom; pass++) {
    int nout = 0;
    for (int j = 0; j < n; j++)
      if (s->where[j] < 0 && md->job[j].prize > 0) out[nout++] = j;
    hv__sort_desc(out, nout, prize); /* most valuable first */
    bool gained = false;
    for (int i = 0; i < nout && !oom; i++) {
      if ((i & 63) == 0 && hv__now() > until) break;
      int u = out[i];
      if (s->where[u] >= 0) continue;
      if (insert_anywhere(md, s, u, &oom)) {
        gained = true;
        continue;
      }
      /* The routes near u. */
      int nc = 0, k = md->knb < EX_NEIGHBOURS ? md->knb : EX_NEIGHBOURS;
      for (int q = 0; q < k; q++) {
        int w = s->where[md->nb[(size_t)u * md->knb + q]];
        if (w >= 0 && !seen[w] && md->compat[(size_t)u * md->m + w]) {
          seen[w] = 1;
          cand[nc++] = w;
        }
      }
      for (int c = 0; c < nc; c++)
        seen[cand[c]] = 0;
      double pu = md->job[u].prize, best_gain = 0, best_cost = INFINITY;
      int bv = -1, bk = -1, bp = -1;
      for (int c = 0; c < nc && !oom; c++) {
        const route *r = &s->r[cand[c]];
        for (int a = 0; a < r->n; a++) {
          double gain = pu - md->job[r->job[a]].prize;
          if (gain <= 0 || gain < best_gain) continue;
          /* r without a (times recomputed), then u at its cheapest. */
          if (!hv__route_copy(&tmp, r)) {
            oom = true;
            break;
          }
          hv__route_remove_range(md, &tmp, a, 1);
          if (!route_ok(&tmp)) continue;
          int p;
          double d = hv__route_best_insert(md, &tmp, u, &p);
          if (!isfinite(d)) continue;
          double dc = tmp.cost + d - r->cost;
          if (gain > best_gain || dc < best_cost) {
            best_gain = gain, best_cost = dc;
            bv = cand[c], bk = a, bp = p;
          }
        }
      }
      if (bv < 0 || oom) continue;
      route *r = &s->r[bv];
      int a = r->job[bk];
      hv__route_remove_range(md, r, bk, 1);
      s->where[a] = -1;
      if (!hv__route_insert(md, r, u, bp)) {
        oom = true;
        break;
      }
      s->where[u] = bv;
      gained = true;
      insert_anywhere(md, s, a, &oom);
    }
    if (!gained) break;
  }
  hv__route_free(&tmp);
  free(out), free(seen), free(cand), free(prize);
  s->cost = hv__sol_objective(md, s);
  return !oom;
}
