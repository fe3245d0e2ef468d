/* solver/colgen.c -- a tighter prize bound (HV_OBJ_PRIZE) by column
 * generation over routes.
 *
 * The master LP: one column per route of a vehicle type (its prize), each
 * job covered at most once, each type used at most as often as it has
 * vehicles.  Its duals pi_j price the jobs; for any pi >= 0,
 *
 *   sum_j pi_j + sum_t count_t * max(0, P_t(pi))
 *
 * is an upper bound on every solution's prize (Lagrangian relaxation of
 * the job rows), where P_t(pi) is the best reduced prize, sum over the
 * route's jobs of prize_j - pi_j, of any route type t can drive.  The
 * pricing computes P_t over a relaxation of the real routes, so that the
 * bound stays valid: travel times closed under shortest paths (so that
 * leaving out a job never makes a route late, and only jobs whose reduced
 * prize is positive need to be tried), and ng-routes (a job may come back
 * once it has left the memory of its nearest neighbours) instead of
 * elementary ones.  Windows, the vehicle's hours and return, max_jobs and
 * capacity are kept exactly.  The bound is the smallest value met over
 * the rounds whose pricing finished; routes found go into the master and
 * the next round prices again.
 *
 * Only for instances small enough to close the travel matrix (cubic in the
 * locations, up to 2,500 of them) and price every type within the time
 * given; otherwise the assignment bound of bound.c stands. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_build.h"
#include "solver_int.h"

#define NG 8               /* memory: the nearest jobs of each job */
#define MAX_LOCATIONS 2500 /* distinct locations for the cubic closure */
#define LABEL_CAP 600000   /* per pricing of one type */
#define COLS_PER_TYPE 12   /* routes added per type and round */

typedef struct label {
  int node;      /* job, or -1 at the start */
  int parent;    /* label index, -1 at the start */
  int k;         /* jobs on the path */
  uint16_t mask; /* memory: bits over ng[node] (bit 0: node itself) */
  bool dead;
  double t; /* departure (service finished) */
  double c; /* reduced prize collected */
  double load;
} label;

typedef struct cg {
  const model *md;
  int n, L;           /* jobs, distinct locations */
  int *loc;           /* job -> compact location */
  int *vstart, *vend; /* type -> compact locations */
  double *C;          /* L x L closed travel times */
  int *ng;            /* n x NG: job's memory set, ng[j*NG] == j */
  double *rp;         /* reduced prize of each job this round */
  label *lab;
  int nlab, labcap;
  int **at; /* per job: live labels ending there */
  int *nat, *capat;
  double t_end; /* clock limit */
  bool oom;
} cg;

/* Floyd-Warshall over the compact locations: the shortest travel time
 * between every two, never more than the direct one. */
static bool close_matrix(double *C, int L, double until) {
  for (int k = 0; k < L; k++) {
    if (hv__now() > until) return false; /* no time for this bound */
    for (int i = 0; i < L; i++) {
      double ik = C[(size_t)i * L + k];
      if (ik >= HV_SOLVER_UNREACHABLE) continue;
      double *ci = C + (size_t)i * L;
      const double *ck = C + (size_t)k * L;
      for (int j = 0; j < L; j++)
        if (ik + ck[j] < ci[j]) ci[j] = ik + ck[j];
    }
  }
  return true;
}

static int compact(int *map, size_t loc, int *L) {
  if (map[loc] < 0) map[loc] = (*L)++;
  return map[loc];
}

static bool cg_init(cg *g, const model *md, double until) {
  memset(g, 0, sizeof *g);
  g->md = md;
  g->n = md->n;
  int n = md->n, T = md->ntypes;
  int *map = malloc((md->nloc + 1) * sizeof *map);
  g->loc = malloc(((size_t)n + 1) * sizeof *g->loc);
  g->vstart = malloc(((size_t)T + 1) * sizeof *g->vstart);
  g->vend = malloc(((size_t)T + 1) * sizeof *g->vend);
  if (!map || !g->loc || !g->vstart || !g->vend) {
    free(map);
    return false;
  }
  for (size_t i = 0; i < md->nloc; i++)
    map[i] = -1;
  int L = 0;
  for (int j = 0; j < n; j++)
    g->loc[j] = compact(map, md->job[j].location, &L);
  for (int t = 0; t < T; t++) {
    const hv_vehicle *vh = &md->veh[md->type_first[t]];
    g->vstart[t] = compact(map, vh->start, &L);
    g->vend[t] = compact(map, vh->end, &L);
  }
  g->L = L;
  if (L > MAX_LOCATIONS) {
    free(map);
    return true; /* too large: the caller sees g->C == NULL */
  }
  int *back = malloc(((size_t)L + 1) * sizeof *back);
  g->C = malloc((size_t)L * L * sizeof *g->C);
  g->ng = malloc(((size_t)n * NG + 1) * sizeof *g->ng);
  g->rp = malloc(((size_t)n + 1) * sizeof *g->rp);
  g->at = calloc((size_t)n + 1, sizeof *g->at);
  g->nat = calloc((size_t)n + 1, sizeof *g->nat);
  g->capat = calloc((size_t)n + 1, sizeof *g->capat);
  if (!back || !g->C || !g->ng || !g->rp || !g->at || !g->nat || !g->capat) {
    free(map), free(back);
    free(g->C);
    g->C = NULL;
    return false;
  }
  for (size_t i = 0; i < md->nloc; i++)
    if (map[i] >= 0) back[map[i]] = (int)i;
  for (int a = 0; a < L; a++)
    for (int b = 0; b < L; b++)
      g->C[(size_t)a * L + b] =
          a == b ? 0 : md->T[(size_t)back[a] * md->nloc + back[b]];
  free(map), free(back);
  if (!close_matrix(g->C, L, until)) {
    free(g->C);
    g->C = NULL; /* the caller sees no matrix: no bound in time */
    return true;
  }
  /* ng sets: each job and its nearest others by round trip. */
  double *key = malloc(((size_t)n + 1) * sizeof *key);
  if (!key) return false;
  for (int j = 0; j < n; j++) {
    int *s = g->ng + (size_t)j * NG, cnt = 1;
    s[0] = j;
    for (int q = 1; q < NG; q++)
      s[q] = -1;
    for (int k = 0; k < n; k++)
      key[k] = k == j ? INFINITY
                      : g->C[(size_t)g->loc[j] * L + g->loc[k]] +
                            g->C[(size_t)g->loc[k] * L + g->loc[j]];
    for (; cnt < NG && cnt < n; cnt++) {
      int best = -1;
      for (int k = 0; k < n; k++)
        if (isfinite(key[k]) && (best < 0 || key[k] < key[best])) best = k;
      if (best < 0) break;
      s[cnt] = best;
      key[best] = INFINITY;
    }
  }
  free(key);
  return true;
}

static void cg_free(cg *g) {
  free(g->loc), free(g->vstart), free(g->vend), free(g->C), free(g->ng);
  free(g->rp), free(g->lab);
  if (g->at)
    for (int j = 0; j < g->n; j++)
      free(g->at[j]);
  free(g->at), free(g->nat), free(g->capat);
}

static int ng_pos(const cg *g, int of, int job) {
  const int *s = g->ng + (size_t)of * NG;
  for (int q = 0; q < NG; q++)
    if (s[q] == job) return q;
  return -1;
}

/* Whether a dominates b (same node): no later, no less collected, no more
 * jobs or load, and a memory that forbids no more. */
static bool dominates(const label *a, const label *b, bool count, bool cap) {
  return a->t <= b->t + EPS && a->c >= b->c - 1e-9 &&
         (!count || a->k <= b->k) && (!cap || a->load <= b->load + EPS) &&
         (a->mask & ~b->mask) == 0;
}

/* Adds label x at its node unless dominated; kills labels it dominates.
 * Returns false when it was not kept (or memory ran out). */
static bool push_label(cg *g, const label *x, bool count, bool cap) {
  int j = x->node;
  int *at = g->at[j];
  int w = 0;
  for (int i = 0; i < g->nat[j]; i++) {
    label *o = &g->lab[at[i]];
    if (dominates(o, x, count, cap)) return false;
  }
  for (int i = 0; i < g->nat[j]; i++) {
    label *o = &g->lab[at[i]];
    if (dominates(x, o, count, cap))
      o->dead = true;
    else
      at[w++] = at[i];
  }
  g->nat[j] = w;
  if (g->nlab == g->labcap) {
    int nc = g->labcap ? 2 * g->labcap : 4096;
    label *nl = realloc(g->lab, (size_t)nc * sizeof *nl);
    if (!nl) return g->oom = true, false;
    g->lab = nl, g->labcap = nc;
  }
  if (g->nat[j] == g->capat[j]) {
    int nc = g->capat[j] ? 2 * g->capat[j] : 16;
    int *na = realloc(g->at[j], (size_t)nc * sizeof *na);
    if (!na) return g->oom = true, false;
    g->at[j] = na, g->capat[j] = nc;
  }
  g->lab[g->nlab] = *x;
  g->at[j][g->nat[j]++] = g->nlab++;
  return true;
}

/* The best reduced prize of a route of type t (*best, >= 0), and up to
 * COLS_PER_TYPE end labels whose reduced prize beats mu (indices into
 * g->lab, valid until the next call).  Returns false when the pricing did
 * not finish (labels or time ran out): then *best is no bound. */
static bool price(cg *g, int t, double mu, double *best, int *ends,
                  int *nends) {
  const model *md = g->md;
  const hv_vehicle *vh = &md->veh[md->type_first[t]];
  int v = md->type_first[t], L = g->L;
  bool count = vh->max_jobs > 0, cap = vh->capacity > 0;
  g->nlab = 0;
  for (int j = 0; j < g->n; j++)
    g->nat[j] = 0;
  *best = 0;
  *nends = 0;
  bool done = true;
  /* Label 0 is the start; it stays outside the per-job lists. */
  label s0 = {.node = -1, .parent = -1, .t = vh->open};
  if (g->labcap == 0) {
    g->lab = malloc(4096 * sizeof *g->lab);
    if (!g->lab) return g->oom = true, false;
    g->labcap = 4096;
  }
  g->lab[g->nlab++] = s0;
  for (int i = 0; i < g->nlab; i++) {
    if ((i & 63) == 0 && hv__now() > g->t_end) {
      done = false;
      break;
    }
    if (g->nlab > LABEL_CAP) {
      done = false;
      break;
    }
    label cur = g->lab[i];
    if (cur.dead) continue;
    if (count && cur.k >= vh->max_jobs) continue;
    int from = cur.node < 0 ? g->vstart[t] : g->loc[cur.node];
    for (int j = 0; j < g->n; j++) {
      if (g->rp[j] <= 1e-9 || !md->compat[(size_t)j * md->m + v]) continue;
      int pj = cur.node < 0 ? -1 : ng_pos(g, cur.node, j);
      if (pj >= 0 && (cur.mask >> pj & 1)) continue;
      const hv_job *jb = &md->job[j];
      if (cap && cur.load + jb->demand > vh->capacity + EPS) continue;
      double d = g->C[(size_t)from * L + g->loc[j]];
      if (d >= HV_SOLVER_UNREACHABLE) continue;
      double s = tw_start(jb, cur.t + d);
      if (!isfinite(s)) continue;
      double fin = s + jb->service;
      double home = g->C[(size_t)g->loc[j] * L + g->vend[t]];
      if (fin + home > vh->close + EPS) continue;
      label x = {.node = j,
                 .parent = i,
                 .k = cur.k + 1,
                 .mask = 1,
                 .t = fin,
                 .c = cur.c + g->rp[j],
                 .load = cur.load + jb->demand};
      if (cur.node >= 0)
        for (int q = 0; q < NG; q++)
          if (cur.mask >> q & 1) {
            int y = g->ng[(size_t)cur.node * NG + q];
            int py = y == j ? -1 : ng_pos(g, j, y);
            if (py > 0) x.mask |= (uint16_t)(1u << py);
          }
      if (!push_label(g, &x, count, cap)) {
        if (g->oom) return false;
        continue;
      }
      if (x.c > *best) *best = x.c;
      if (x.c > mu + 1e-6) {
        int at = g->nlab - 1;
        if (*nends < COLS_PER_TYPE) {
          ends[(*nends)++] = at;
        } else {
          int worst = 0;
          for (int q = 1; q < *nends; q++)
            if (g->lab[ends[q]].c < g->lab[ends[worst]].c) worst = q;
          if (g->lab[ends[worst]].c < x.c) ends[worst] = at;
        }
      }
    }
  }
  return done;
}

hv_status hv__colgen_bound(const model *md, double until, const double *pi0,
                           double *out, bool *improved) {
  *improved = false;
  int n = md->n, T = md->ntypes;
  if (n == 0 || T == 0) return HV_OK;
  cg g;
  if (!cg_init(&g, md, until)) {
    cg_free(&g);
    return HV_E_NOMEM;
  }
  if (g.C == NULL) {
    cg_free(&g);
    return HV_OK; /* too many locations, or no time to close the matrix */
  }
  g.t_end = until;
  hv_status st = HV_OK;
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  glp_add_rows(lp, n + T);
  for (int j = 0; j < n; j++)
    glp_set_row_bnds(lp, j + 1, GLP_UP, 0, 1);
  for (int t = 0; t < T; t++)
    glp_set_row_bnds(lp, n + t + 1, GLP_UP, 0, md->type_count[t]);
  int *ind = malloc(((size_t)n + 2) * sizeof *ind);
  double *val = malloc(((size_t)n + 2) * sizeof *val);
  double *pi = malloc(((size_t)n + 1) * sizeof *pi);
  int *ends = malloc(((size_t)T * COLS_PER_TYPE + 1) * sizeof *ends);
  int *cnt = calloc((size_t)n + 1, sizeof *cnt);
  if (!ind || !val || !pi || !ends || !cnt) {
    st = HV_E_NOMEM;
    goto done;
  }
  /* First columns: each job alone, on the first type that can serve it. */
  for (int j = 0; j < n; j++)
    for (int t = 0; t < T; t++)
      if (md->compat[(size_t)j * md->m + md->type_first[t]]) {
        int c = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, c, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, c, md->job[j].prize);
        ind[1] = j + 1, val[1] = 1;
        ind[2] = n + t + 1, val[2] = 1;
        glp_set_mat_col(lp, c, 2, ind, val);
        break;
      }
  double best = INFINITY;
  bool first = pi0 != NULL;
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  while (hv__now() < until) {
    if (glp_get_num_cols(lp) == 0) break;
    double left = until - hv__now();
    smcp.tm_lim = left > 0.01 ? (int)(left * 1000) : 10;
    if (glp_simplex(lp, &smcp) != 0 || glp_get_status(lp) != GLP_OPT) break;
    /* The first round may use given prices (the assignment LP's): a bound
     * at once, and routes for the master whatever their reduced prize. */
    bool given = first;
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double d = first ? pi0[j] : glp_get_row_dual(lp, j + 1);
      pi[j] = d > 0 ? d : 0;
      g.rp[j] = md->job[j].prize - pi[j];
      sum += pi[j];
    }
    first = false;
    double lagr = sum;
    bool complete = true;
    int nends_all = 0;
    for (int t = 0; t < T && complete; t++) {
      double mu = glp_get_row_dual(lp, n + t + 1), P;
      int ne;
      complete =
          price(&g, t, given ? 0 : fmax(mu, 0), &P, ends + nends_all, &ne);
      if (g.oom) {
        st = HV_E_NOMEM;
        goto done;
      }
      lagr += md->type_count[t] * P;
      /* Columns now: the labels are overwritten by the next type. */
      for (int e = 0; e < ne; e++) {
        int nz = 0;
        double prize = 0;
        for (int i = ends[nends_all + e]; i > 0; i = g.lab[i].parent) {
          int j = g.lab[i].node;
          if (cnt[j]++ == 0) ind[++nz] = j + 1;
          prize += md->job[j].prize;
        }
        for (int q = 1; q <= nz; q++) {
          val[q] = cnt[ind[q] - 1];
          cnt[ind[q] - 1] = 0;
        }
        ind[++nz] = n + t + 1, val[nz] = 1;
        int c = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, c, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, c, prize);
        glp_set_mat_col(lp, c, nz, ind, val);
      }
      nends_all += ne;
    }
    if (!complete) break;
    if (lagr < best) best = lagr;
    /* No route prices out: the master's LP is the bound. */
    if (nends_all == 0 && !given) break;
  }
  if (isfinite(best)) {
    *out = best + 1e-6 * fmax(1, fabs(best));
    *improved = true;
  }
done:
  glp_delete_prob(lp);
  free(ind), free(val), free(pi), free(ends), free(cnt);
  cg_free(&g);
  return st;
}
