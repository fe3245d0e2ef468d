/* solver/exact_glpk.c -- a compact mixed-integer model of the whole problem,
 * solved by GLPK's branch and cut: the proven optimum of tiny instances
 * (about a dozen jobs), used by the tests as an oracle for the heuristic.
 *
 * Variables: x[k,i,j] = 1 when vehicle k drives from i to j (i is k's start
 * or a job, j a job or k's end; start -> end directly means k stays home);
 * y[k,j] = 1 when k serves job j; t[j] the start of service at j; dep[k],
 * ret[k] the route's departure and return; z[j,w] the window used when a
 * job has several; o[j] the job's place in its route (subtour elimination
 * even where travel and service are zero).  Times are linked by big-M
 * constraints; the objective is the search's own folded objective. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_build.h"
#include "solver_int.h"

hv_status hv_solve_exact(const hv_problem *p, double time_limit_s,
                         hv_solution **out, hv_error *err) {
  *out = NULL;
  model md;
  hv_status st = hv__model_build(&md, p, err);
  if (st != HV_OK) return st;
  int n = md.n, m = md.m;
  size_t N = md.nloc;
  if (n > 40 || m > 20) {
    hv__model_free(&md);
    return hv_error_set(err, HV_E_RANGE, (hv_where){.source = "solver"},
                        "the exact model is for tiny instances (at most 40 "
                        "jobs and 20 vehicles; this one has %d and %d)",
                        n, m);
  }
  double t_lo = INFINITY, t_hi = -INFINITY, maxs = 0, maxT = 0;
  for (int k = 0; k < m; k++) {
    if (md.veh[k].open < t_lo) t_lo = md.veh[k].open;
    if (md.veh[k].close > t_hi) t_hi = md.veh[k].close;
  }
  for (int j = 0; j < n; j++)
    if (md.job[j].service > maxs) maxs = md.job[j].service;
  for (size_t i = 0; i < N * N; i++)
    if (md.T[i] < HV_SOLVER_UNREACHABLE && md.T[i] > maxT) maxT = md.T[i];
  double M = (t_hi - t_lo) + maxs + maxT + 1.0;

  glp_term_hook(hv__glp_quiet, NULL);
  hv__glp_builder b = {.lp = glp_create_prob()};
  glp_set_obj_dir(b.lp, GLP_MIN);
  bool all = md.obj != HV_OBJ_PRIZE;
  /* Columns.  Index maps: x at [k][i+1][j] with i = -1 for the start and
   * j = n for the end; 0 = no such arc. */
  size_t nx = (size_t)m * (n + 1) * (n + 1);
  int *x = calloc(nx, sizeof *x);
  int *y = calloc((size_t)m * n + 1, sizeof *y);
  int *t = calloc((size_t)n + 1, sizeof *t);
  int *o = calloc((size_t)n + 1, sizeof *o);
  double *tlo = calloc((size_t)n + 1, sizeof *tlo);
  double *thi = calloc((size_t)n + 1, sizeof *thi);
  int *dep = calloc((size_t)m + 1, sizeof *dep);
  int *ret = calloc((size_t)m + 1, sizeof *ret);
  if (!x || !y || !t || !o || !dep || !ret || !tlo || !thi) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
#define X(k, i, j) \
  x[((size_t)(k) * (n + 1) + (size_t)((i) + 1)) * (n + 1) + (size_t)(j)]
  for (int k = 0; k < m; k++) {
    const hv_vehicle *vh = &md.veh[k];
    for (int i = -1; i < n; i++) {
      if (i >= 0 && !md.compat[(size_t)i * m + k]) continue;
      size_t li = i < 0 ? vh->start : md.job[i].location;
      for (int j = 0; j <= n; j++) {
        if (j == i) continue;
        if (j < n && !md.compat[(size_t)j * m + k]) continue;
        size_t lj = j == n ? vh->end : md.job[j].location;
        if (md.T[li * N + lj] >= HV_SOLVER_UNREACHABLE) continue;
        double c = (i < 0 && j == n) ? 0.0 : md.D[li * N + lj];
        if (md.obj == HV_OBJ_VEHICLES && i < 0 && j < n) c += md.vehicle_cost;
        X(k, i, j) = hv__glp_add_col(&b, GLP_BV, 0, 1, c);
      }
    }
    for (int j = 0; j < n; j++) {
      if (!md.compat[(size_t)j * m + k]) continue;
      /* Serving a job earns its prize or saves the unserved-job penalty:
       * the search's folded objective, so both agree on what is best. */
      double c = 0;
      if (md.bonus) c -= md.bonus[(size_t)j * m + k];
      c -= all ? md.unassigned_penalty : md.job[j].prize * md.prize_weight;
      y[(size_t)k * n + j] = hv__glp_add_col(&b, GLP_BV, 0, 1, c);
    }
    dep[k] = hv__glp_add_col(&b, GLP_CV, vh->open, vh->close, 0);
    ret[k] = hv__glp_add_col(&b, GLP_CV, vh->open, vh->close, 0);
  }
  for (int j = 0; j < n; j++) {
    const hv_job *jb = &md.job[j];
    double lo = jb->ntw ? jb->tw[0].open : t_lo;
    double hi = jb->ntw ? jb->tw[jb->ntw - 1].close : t_hi;
    if (lo < t_lo - M) lo = t_lo - M;
    if (hi > t_hi + M) hi = t_hi + M;
    t[j] = hv__glp_add_col(&b, GLP_CV, lo, hi, 0);
    tlo[j] = lo;
    thi[j] = hi;
    o[j] = hv__glp_add_col(&b, GLP_CV, 0, n, 0);
    if (jb->ntw > 1) {
      /* Several windows: choose one; t inside it. */
      int rs = hv__glp_add_row(&b, GLP_FX, 1, 1);
      int rlo = hv__glp_add_row(&b, GLP_LO, 0, 0); /* t - sum open z >= 0 */
      int rhi = hv__glp_add_row(&b, GLP_UP, 0, 0); /* t - sum close z <= 0 */
      hv__glp_coef(&b, rlo, t[j], 1);
      hv__glp_coef(&b, rhi, t[j], 1);
      for (size_t w = 0; w < jb->ntw; w++) {
        int z = hv__glp_add_col(&b, GLP_BV, 0, 1, 0);
        hv__glp_coef(&b, rs, z, 1);
        hv__glp_coef(&b, rlo, z, -jb->tw[w].open);
        hv__glp_coef(&b, rhi, z, -jb->tw[w].close);
      }
    }
  }
  /* Each job served at most once. */
  for (int j = 0; j < n; j++) {
    int r = hv__glp_add_row(&b, GLP_UP, 0, 1);
    for (int k = 0; k < m; k++)
      if (y[(size_t)k * n + j]) hv__glp_coef(&b, r, y[(size_t)k * n + j], 1);
  }
  for (int k = 0; k < m; k++) {
    const hv_vehicle *vh = &md.veh[k];
    /* One path from start to end. */
    int rs = hv__glp_add_row(&b, GLP_FX, 1, 1),
        re = hv__glp_add_row(&b, GLP_FX, 1, 1);
    for (int j = 0; j <= n; j++)
      if (X(k, -1, j)) hv__glp_coef(&b, rs, X(k, -1, j), 1);
    for (int i = -1; i < n; i++)
      if (X(k, i, n)) hv__glp_coef(&b, re, X(k, i, n), 1);
    int rcap =
        vh->capacity > 0 ? hv__glp_add_row(&b, GLP_UP, 0, vh->capacity) : 0;
    int rmax =
        vh->max_jobs > 0 ? hv__glp_add_row(&b, GLP_UP, 0, vh->max_jobs) : 0;
    for (int j = 0; j < n; j++) {
      int yj = y[(size_t)k * n + j];
      if (!yj) continue;
      int rin = hv__glp_add_row(&b, GLP_FX, 0, 0),
          rout = hv__glp_add_row(&b, GLP_FX, 0, 0);
      hv__glp_coef(&b, rin, yj, -1);
      hv__glp_coef(&b, rout, yj, -1);
      for (int i = -1; i < n; i++)
        if (i != j && X(k, i, j)) hv__glp_coef(&b, rin, X(k, i, j), 1);
      for (int i = 0; i <= n; i++)
        if (i != j && X(k, j, i)) hv__glp_coef(&b, rout, X(k, j, i), 1);
      if (rcap) hv__glp_coef(&b, rcap, yj, md.job[j].demand);
      if (rmax) hv__glp_coef(&b, rmax, yj, 1);
      const hv_job *jb = &md.job[j];
      /* Leaving the start: t_j >= dep + T - M (1 - x), with the smallest
       * M that is still valid (a tight relaxation matters here). */
      if (X(k, -1, j)) {
        double T = md.T[vh->start * N + jb->location];
        double Mk = fmax(0.0, vh->close + T - tlo[j]);
        int r = hv__glp_add_row(&b, GLP_LO, T - Mk, 0);
        hv__glp_coef(&b, r, t[j], 1);
        hv__glp_coef(&b, r, dep[k], -1);
        hv__glp_coef(&b, r, X(k, -1, j), -Mk);
      }
      /* Reaching the end: ret >= t_j + s_j + T - M (1 - x). */
      if (X(k, j, n)) {
        double T = md.T[jb->location * N + vh->end];
        double Mk = fmax(0.0, thi[j] + jb->service + T - vh->open);
        int r = hv__glp_add_row(&b, GLP_LO, jb->service + T - Mk, 0);
        hv__glp_coef(&b, r, ret[k], 1);
        hv__glp_coef(&b, r, t[j], -1);
        hv__glp_coef(&b, r, X(k, j, n), -Mk);
      }
    }
    /* Staying home: ret >= dep. */
    int r = hv__glp_add_row(&b, GLP_LO, 0, 0);
    hv__glp_coef(&b, r, ret[k], 1);
    hv__glp_coef(&b, r, dep[k], -1);
  }
  /* Identical vehicles are interchangeable: use them in order, so that the
   * search does not visit every permutation (vehicle k stays home if the
   * previous vehicle of its type does). */
  for (int k = 1; k < m; k++) {
    int prev = -1;
    for (int q = k - 1; q >= 0 && prev < 0; q--)
      if (md.vtype[q] == md.vtype[k]) prev = q;
    if (prev < 0 || !X(k, -1, n) || !X(prev, -1, n)) continue;
    int r = hv__glp_add_row(&b, GLP_LO, 0, 0);
    hv__glp_coef(&b, r, X(k, -1, n), 1);
    hv__glp_coef(&b, r, X(prev, -1, n), -1);
  }
  /* Job to job, over all vehicles: t_j >= t_i + s_i + T_ij - M (1 - sum x)
   * and o_j >= o_i + 1 - (n + 1)(1 - sum x). */
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      if (i == j) continue;
      bool any = false;
      for (int k = 0; k < m; k++)
        any |= X(k, i, j) != 0;
      if (!any) continue;
      double T = md.T[md.job[i].location * N + md.job[j].location];
      double Mij = fmax(0.0, thi[i] + md.job[i].service + T - tlo[j]);
      int rt = hv__glp_add_row(&b, GLP_LO, md.job[i].service + T - Mij, 0);
      int ro = hv__glp_add_row(&b, GLP_LO, 1.0 - (n + 1), 0);
      hv__glp_coef(&b, rt, t[j], 1);
      hv__glp_coef(&b, rt, t[i], -1);
      hv__glp_coef(&b, ro, o[j], 1);
      hv__glp_coef(&b, ro, o[i], -1);
      for (int k = 0; k < m; k++)
        if (X(k, i, j)) {
          hv__glp_coef(&b, rt, X(k, i, j), -Mij);
          hv__glp_coef(&b, ro, X(k, i, j), -(double)(n + 1));
        }
    }
  if (b.oom) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  hv__glp_load(&b);
  glp_iocp iocp;
  glp_init_iocp(&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_ON;
  iocp.mip_gap = 0.0;
  iocp.tm_lim = (int)(time_limit_s * 1000.0) + 1;
  iocp.gmi_cuts = GLP_ON;
  iocp.mir_cuts = GLP_ON;
  double t0 = hv__now();
  int rc = glp_intopt(b.lp, &iocp);
  int ms = glp_mip_status(b.lp);
  sol s;
  if (!hv__sol_init(&s, &md)) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  if (ms == GLP_OPT || ms == GLP_FEAS) {
    for (int k = 0; k < m; k++) {
      int cur = -1, guard = 0;
      while (guard++ <= n) {
        int nxt = -1;
        for (int j = 0; j <= n; j++)
          if (j != cur && X(k, cur, j) &&
              glp_mip_col_val(b.lp, X(k, cur, j)) > 0.5)
            nxt = j;
        if (nxt < 0 || nxt == n) break;
        hv__route_reserve(&s.r[k], s.r[k].n + 1);
        s.r[k].job[s.r[k].n++] = nxt;
        cur = nxt;
      }
      hv__route_update(&md, &s.r[k]);
    }
  }
  hv__sol_recount(&md, &s);
  hv_solution *res = hv__sol_export(&md, &s);
  hv__sol_free(&s);
  if (res == NULL) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  res->seconds = hv__now() - t0;
  res->proven_optimal = rc == 0 && ms == GLP_OPT;
  if (ms == GLP_NOFEAS) res->proven_optimal = rc == 0; /* nothing feasible */
  *out = res;
#undef X
done:
  free(x), free(y), free(t), free(o), free(dep), free(ret), free(tlo),
      free(thi);
  hv__glp_builder_free(&b);
  glp_delete_prob(b.lp);
  glp_term_hook(NULL, NULL);
  hv__model_free(&md);
  return st;
}
