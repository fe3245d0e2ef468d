/* solver/bound.c -- an upper bound on the prize any solution can collect
 * (HV_OBJ_PRIZE): the LP relaxation, solved with GLPK, of an assignment of
 * jobs to vehicles where each vehicle's working time must hold, for every
 * job it serves, the job's service plus the shortest drive into it, and at
 * most max_jobs jobs; each job at most once, only on vehicles it could be
 * served by alone (skills, windows, the drive there and back, the
 * overrides).  Every real route satisfies these constraints, so the LP
 * optimum is a valid bound; it ignores the order of visits and how the
 * windows fall within the day, so it can be loose when windows, not time,
 * are what binds.  When the LP does not finish in its time, the bound is
 * the prize of every job some vehicle could serve alone.  With time left,
 * column generation over routes (colgen.c) tightens it. */
#include <math.h>
#include <stdlib.h>

#include "glpk_build.h"
#include "solver_int.h"

hv_status hv_prize_bound(const hv_problem *p, double time_limit_s,
                         hv_bound *out, hv_error *err) {
  *out = (hv_bound){0};
  model md;
  hv_status st = hv__model_build(&md, p, err);
  if (st != HV_OK) return st;
  int n = md.n, m = md.m;
  double t0 = hv__now();
  /* The shortest drive into each job, from the vehicles' starts or other
   * jobs. */
  double *in = malloc(((size_t)n + 1) * sizeof *in);
  int *col = malloc(((size_t)n * m + 1) * sizeof *col);
  if (!in || !col) {
    free(in), free(col);
    hv__model_free(&md);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                        "out of memory");
  }
  double reachable = 0;
  for (int j = 0; j < n; j++) {
    size_t lj = md.job[j].location;
    double best = INFINITY;
    for (int v = 0; v < m; v++)
      best = fmin(best, md.T[md.veh[v].start * md.nloc + lj]);
    for (int k = 0; k < n; k++)
      if (k != j) best = fmin(best, md.T[md.job[k].location * md.nloc + lj]);
    in[j] = isfinite(best) ? best : 0;
    bool any = false;
    for (int v = 0; v < m && !any; v++)
      any = md.compat[(size_t)j * m + v];
    if (any) reachable += md.job[j].prize;
  }
  out->bound = reachable;
  out->reachable = reachable;
  glp_term_hook(hv__glp_quiet, NULL);
  hv__glp_builder b = {.lp = glp_create_prob()};
  glp_set_obj_dir(b.lp, GLP_MAX);
  int job_row0 = 0, veh_row0 = 0, cnt_row0 = 0;
  for (int j = 0; j < n; j++) {
    int r = hv__glp_add_row(&b, GLP_UP, 0, 1);
    if (j == 0) job_row0 = r;
  }
  for (int v = 0; v < m; v++) {
    int r = hv__glp_add_row(&b, GLP_UP, 0, md.veh[v].close - md.veh[v].open);
    if (v == 0) veh_row0 = r;
  }
  for (int v = 0; v < m; v++) {
    int mx = md.veh[v].max_jobs;
    int r = mx > 0 ? hv__glp_add_row(&b, GLP_UP, 0, mx)
                   : hv__glp_add_row(&b, GLP_FR, 0, 0);
    if (v == 0) cnt_row0 = r;
  }
  for (int j = 0; j < n; j++)
    for (int v = 0; v < m; v++) {
      size_t k = (size_t)j * m + v;
      col[k] = 0;
      if (!md.compat[k]) continue;
      int c = hv__glp_add_col(&b, GLP_CV, 0, 1, md.job[j].prize);
      col[k] = c;
      hv__glp_coef(&b, job_row0 + j, c, 1);
      hv__glp_coef(&b, veh_row0 + v, c, md.job[j].service + in[j]);
      hv__glp_coef(&b, cnt_row0 + v, c, 1);
    }
  /* Window bands: the visits whose start window, within a vehicle's
   * hours, lies inside [A, B] all start within it, one after another, so
   * sum(service + drive in) <= (B - A) + the longest service + the longest
   * drive in among them.  One band per distinct window of the vehicle's
   * jobs: the afternoon families compete for the afternoon's minutes, not
   * the whole shift's. */
  double *lo = malloc(((size_t)n + 1) * sizeof *lo),
         *hi = malloc(((size_t)n + 1) * sizeof *hi);
  if (!lo || !hi) b.oom = true;
  for (int v = 0; v < m && !b.oom; v++) {
    const hv_vehicle *vh = &md.veh[v];
    int cnt = 0;
    for (int j = 0; j < n; j++) {
      lo[j] = INFINITY, hi[j] = -INFINITY;
      if (!md.compat[(size_t)j * m + v]) continue;
      const hv_job *jb = &md.job[j];
      if (jb->ntw == 0) {
        lo[j] = vh->open, hi[j] = vh->close;
      }
      for (size_t w = 0; w < jb->ntw; w++) {
        double a = fmax(jb->tw[w].open, vh->open);
        double c = fmin(jb->tw[w].close, vh->close);
        if (a > c) continue;
        lo[j] = fmin(lo[j], a), hi[j] = fmax(hi[j], c);
      }
      cnt += isfinite(lo[j]);
    }
    for (int j = 0; j < n && cnt > 1; j++) {
      if (!isfinite(lo[j])) continue;
      bool seen = false; /* one band per distinct window */
      for (int k = 0; k < j && !seen; k++)
        seen = lo[k] == lo[j] && hi[k] == hi[j];
      if (seen) continue;
      double A = lo[j], B = hi[j], ms = 0, mi = 0;
      int members = 0;
      for (int k = 0; k < n; k++)
        if (isfinite(lo[k]) && lo[k] >= A && hi[k] <= B) {
          ms = fmax(ms, md.job[k].service), mi = fmax(mi, in[k]);
          members++;
        }
      if (members < 2) continue;
      int r = hv__glp_add_row(&b, GLP_UP, 0, (B - A) + ms + mi);
      for (int k = 0; k < n; k++)
        if (isfinite(lo[k]) && lo[k] >= A && hi[k] <= B)
          hv__glp_coef(&b, r, col[(size_t)k * m + v],
                       md.job[k].service + in[k]);
    }
  }
  free(lo);
  free(hi);
  if (b.oom) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "solver"},
                      "out of memory");
  } else if (glp_get_num_cols(b.lp) > 0) {
    hv__glp_load(&b);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    double left = time_limit_s - (hv__now() - t0);
    smcp.tm_lim = left > 0.01 ? (int)(left * 1000) : 10;
    int rc = glp_simplex(b.lp, &smcp);
    if (rc == 0 && glp_get_status(b.lp) == GLP_OPT) {
      double lp = glp_get_obj_val(b.lp);
      /* A whisker above, for the simplex's rounding. */
      out->bound = fmin(reachable, lp + 1e-6 * fmax(1, fabs(lp)));
      out->from_lp = true;
      /* Then routes priced by column generation, starting from this LP's
       * prices of the families (colgen.c), in the time that is left. */
      for (int j = 0; j < n; j++)
        in[j] = glp_get_row_dual(b.lp, job_row0 + j);
      double cgb;
      bool better;
      st = hv__colgen_bound(&md, t0 + time_limit_s, in, &cgb, &better);
      if (st != HV_OK)
        st = hv_error_set(err, st, (hv_where){.source = "solver"},
                          "out of memory");
      else if (better && cgb <= out->bound + 1e-5 * fmax(1, out->bound)) {
        out->bound = fmin(out->bound, cgb);
        out->from_columns = true;
      }
    }
  }
  out->seconds = hv__now() - t0;
  hv__glp_builder_free(&b);
  glp_delete_prob(b.lp);
  glp_term_hook(NULL, NULL);
  free(in);
  free(col);
  hv__model_free(&md);
  return st;
}
