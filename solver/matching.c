/* solver/matching.c -- hv_match_solve(): choosing edges of a graph (pairs of
 * members), each member in at most one, when the chosen edges then serve
 * groups of demand within their capacities.  The planner forms staff pairs
 * with it; the model itself knows nothing of staff or households.
 *
 * A greedy matching by weight is both GLPK's warm start and the fallback
 * when no integer solution is found in time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "glpk_build.h"
#include "hv/solver.h"

/* Greedy matching by weight over the edges with cand[e] set: fixed edges
 * first, then the heaviest whose members are free (positive weight only).
 * Insertion sort: stable, so ties keep the edges' order. */
static bool greedy(size_t nmembers, const hv_match_edge *e, size_t n,
                   const uint8_t *cand, int max_edges, bool *chosen) {
  uint8_t *busy = calloc(nmembers + 1, 1);
  size_t *order = malloc((n + 1) * sizeof *order);
  if (!busy || !order) {
    free(busy), free(order);
    return false;
  }
  size_t k = 0;
  for (size_t q = 0; q < n; q++)
    if (cand[q]) order[k++] = q;
  for (size_t i = 1; i < k; i++)
    for (size_t j = i; j > 0; j--) {
      size_t a = order[j - 1], b = order[j];
      double wa = e[a].fixed ? 1e18 : e[a].weight;
      double wb = e[b].fixed ? 1e18 : e[b].weight;
      if (wa >= wb) break;
      order[j - 1] = b, order[j] = a;
    }
  int used = 0;
  for (size_t i = 0; i < k; i++) {
    size_t q = order[i];
    if (busy[e[q].a] || busy[e[q].b] || (!e[q].fixed && e[q].weight <= 0))
      continue;
    if (max_edges > 0 && used >= max_edges) break;
    chosen[q] = true;
    busy[e[q].a] = busy[e[q].b] = 1;
    used++;
  }
  free(busy);
  free(order);
  return true;
}

/* Members left unmatched (time ran out) can only add value: match them
 * greedily among themselves, within max_edges. */
static bool complete(size_t nmembers, const hv_match_edge *e, size_t n,
                     int max_edges, bool *chosen) {
  uint8_t *busy = calloc(nmembers + 1, 1), *rest = calloc(n + 1, 1);
  bool *more = calloc(n + 1, sizeof *more);
  bool ok = busy && rest && more;
  int used = 0;
  for (size_t q = 0; ok && q < n; q++)
    if (chosen[q]) busy[e[q].a] = busy[e[q].b] = 1, used++;
  for (size_t q = 0; ok && q < n; q++)
    rest[q] = !busy[e[q].a] && !busy[e[q].b];
  if (ok && (max_edges <= 0 || used < max_edges)) {
    ok = greedy(nmembers, e, n, rest, max_edges > 0 ? max_edges - used : 0,
                more);
    for (size_t q = 0; ok && q < n; q++)
      chosen[q] |= more[q];
  }
  free(busy), free(rest), free(more);
  return ok;
}

hv_status hv_match_solve(size_t nmembers, const hv_match_group *g, size_t ng,
                         const hv_match_edge *e, size_t n, int max_edges,
                         double time_limit_s, bool *chosen, hv_error *err) {
  double t0 = hv__now();
  hv_where here = {.source = "solver"};
  for (size_t q = 0; q < n; q++) {
    chosen[q] = false;
    if (e[q].a >= nmembers || e[q].b >= nmembers || e[q].a == e[q].b)
      return hv_error_set(err, HV_E_RANGE, here,
                          "matching: edge %zu joins members %zu and %zu of %zu",
                          q, e[q].a, e[q].b, nmembers);
    for (size_t k = 0; k < e[q].nreach; k++)
      if (e[q].reach[k] >= ng)
        return hv_error_set(err, HV_E_RANGE, here,
                            "matching: edge %zu reaches group %zu of %zu", q,
                            e[q].reach[k], ng);
  }
  if (nmembers > (size_t)INT32_MAX / 4 || ng > (size_t)INT32_MAX / 4)
    return hv_error_set(err, HV_E_RANGE, here, "matching: model too large");
  uint8_t *all = malloc(n + 1);
  int *xcol = calloc(n + 1, sizeof *xcol), *grow = calloc(ng + 1, sizeof *grow);
  double *start = NULL;
  hv__glp_builder b = {.lp = NULL};
  hv_status st = HV_OK;
  if (!all || !xcol || !grow) goto oom;
  memset(all, 1, n + 1);
  if (!greedy(nmembers, e, n, all, max_edges, chosen)) goto oom;

  glp_term_hook(hv__glp_quiet, NULL);
  b.lp = glp_create_prob();
  glp_set_obj_dir(b.lp, GLP_MAX);
  int member_row = 0;
  for (size_t i = 0; i < nmembers; i++) {
    int r = hv__glp_add_row(&b, GLP_UP, 0, 1);
    if (i == 0) member_row = r;
  }
  for (size_t k = 0; k < ng; k++)
    grow[k] = hv__glp_add_row(&b, GLP_UP, 0, g[k].count);
  int kmax_row = max_edges > 0 ? hv__glp_add_row(&b, GLP_UP, 0, max_edges) : 0;
  for (size_t q = 0; q < n; q++) {
    int x = hv__glp_add_col(&b, GLP_BV, 0, 1, e[q].value);
    xcol[q] = x;
    if (e[q].fixed) glp_set_col_bnds(b.lp, x, GLP_FX, 1, 1);
    hv__glp_coef(&b, member_row + (int)e[q].a, x, 1);
    hv__glp_coef(&b, member_row + (int)e[q].b, x, 1);
    if (kmax_row) hv__glp_coef(&b, kmax_row, x, 1);
    int row[2];
    for (int r = 0; r < 2; r++) {
      row[r] = hv__glp_add_row(&b, GLP_UP, 0, 0);
      hv__glp_coef(&b, row[r], x, -e[q].capacity[r]);
    }
    for (size_t i = 0; i < e[q].nreach; i++) {
      /* No link row z <= count x: the resource rows already force z = 0
       * when x = 0, and fewer rows keep large models fast. */
      const hv_match_group *gk = &g[e[q].reach[i]];
      int z = hv__glp_add_col(&b, GLP_CV, 0, gk->count, gk->value);
      hv__glp_coef(&b, grow[e[q].reach[i]], z, 1);
      for (int r = 0; r < 2; r++)
        hv__glp_coef(&b, row[r], z, gk->use[r]);
    }
  }
  if (b.oom) goto oom;
  if (b.nz > 0) {
    hv__glp_load(&b);
    /* The greedy matching, with nothing assigned, is feasible: GLPK starts
     * from it and can only improve. */
    int ncols = glp_get_num_cols(b.lp);
    start = calloc((size_t)ncols + 1, sizeof *start);
    if (start == NULL) goto oom;
    for (size_t q = 0; q < n; q++)
      start[xcol[q]] = chosen[q] ? 1.0 : 0.0;
    hv__glp_start hd = {.x = start};
    /* The LP relaxation first, under its own share of the time (glp_intopt's
     * limit does not cover its root LP); then branch and bound. */
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    double left = time_limit_s - (hv__now() - t0);
    smcp.tm_lim = left > 0.05 ? (int)(left * 600) : 30;
    int rc = glp_simplex(b.lp, &smcp);
    int ms = GLP_UNDEF;
    if (rc == 0 && glp_get_status(b.lp) == GLP_OPT) {
      glp_iocp iocp;
      glp_init_iocp(&iocp);
      iocp.msg_lev = GLP_MSG_OFF;
      left = time_limit_s - (hv__now() - t0);
      iocp.tm_lim = left > 0.05 ? (int)(left * 1000) : 50;
      iocp.mip_gap = 1e-4;
      iocp.cb_func = hv__glp_start_cb;
      iocp.cb_info = &hd;
      rc = glp_intopt(b.lp, &iocp);
      ms = glp_mip_status(b.lp);
    } else {
      rc = 0; /* no time for the LP: the greedy matching stands */
    }
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP && rc != GLP_ENOPFS &&
        rc != GLP_ESTOP) {
      st = hv_error_set(err, HV_E_SOLVER, here,
                        "GLPK failed on the matching model (code %d)", rc);
      goto done;
    }
    if (ms == GLP_OPT || ms == GLP_FEAS)
      for (size_t q = 0; q < n; q++)
        chosen[q] = glp_mip_col_val(b.lp, xcol[q]) > 0.5;
    /* Otherwise (no integer solution in time) the greedy matching stands. */
  }
  if (!complete(nmembers, e, n, max_edges, chosen)) goto oom;
  goto done;
oom:
  st = hv_error_set(err, HV_E_NOMEM, here, "out of memory");
done:
  if (b.lp) glp_delete_prob(b.lp);
  glp_term_hook(NULL, NULL);
  hv__glp_builder_free(&b);
  free(all), free(xcol), free(grow), free(start);
  return st;
}
