/* solver/ejection.c -- insertion with ejections, for the fleet
 * minimisation (after Nagata & Braysy's route-minimisation heuristic): a
 * job that fits nowhere is put into a route anyway and up to a few other
 * jobs are taken out so that the route is feasible again.  Of all the ways
 * to do that (route, position, which jobs leave), the one whose ejected
 * jobs have the smallest total penalty wins; a job's penalty counts how
 * often it could not be placed, so hard jobs stay in and easy ones move.
 *
 * For one route and one insertion position the ejection sets are searched
 * depth first along the route: each job is kept or ejected, the schedule
 * runs forward, and as soon as the rest of the route can follow unchanged
 * (arrival no later than its latest feasible arrival, known from the
 * route's backward pass) the set is complete.  Branches whose penalty
 * cannot beat the best are cut. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "solver_int.h"

/* Depth-first nodes allowed per route and position: a bound on the work
 * (the penalty bound usually cuts far earlier). */
#define NODE_LIMIT 20000

typedef struct ctx {
  const model *md;
  const route *r;
  const long *pen;
  rng *g;
  const int *b; /* the route's jobs with j inserted */
  int nb;       /* their number */
  int j;
  const double *Lb;   /* per b[i]: latest arrival keeping the rest unchanged */
  const long *minpen; /* per i: the least penalty of b[i..] but j's */
  double excess;      /* load over capacity with j inserted (<= 0: none) */
  int over;           /* jobs over the vehicle's limit with j inserted */
  int kmax;
  int cur[8], ncur;
  /* best so far */
  long best_pen;
  long ties;
  int best_set[8], nbest;
  int best_v, best_pos;
  int pos;
  long nodes;
} ctx;

static void record(ctx *c, long psum) {
  if (psum < c->best_pen) {
    c->best_pen = psum;
    c->ties = 1;
  } else if (psum == c->best_pen) {
    /* Equal penalties: each candidate equally likely (reservoir). */
    c->ties++;
    if (rng_int(c->g, (int)(c->ties < 1000000 ? c->ties : 1000000)) != 0)
      return;
  } else {
    return;
  }
  c->nbest = c->ncur;
  for (int i = 0; i < c->ncur; i++)
    c->best_set[i] = c->cur[i];
  c->best_v = c->r->v;
  c->best_pos = c->pos;
}

/* Position i of b, leaving the previous kept stop (location prev) at time
 * t, with psum penalty and `removed` load ejected so far. */
static void dfs(ctx *c, int i, size_t prev, double t, long psum,
                double removed) {
  if (++c->nodes > NODE_LIMIT) return;
  const model *md = c->md;
  size_t N = md->nloc;
  bool load_ok = c->excess - removed <= EPS && c->ncur >= c->over;
  if (i == c->nb) {
    const hv_vehicle *vh = &md->veh[c->r->v];
    double tt = md->T[prev * N + vh->end];
    if (load_ok && tt < HV_SOLVER_UNREACHABLE && t + tt <= vh->close + EPS)
      record(c, psum);
    return;
  }
  int x = c->b[i];
  const hv_job *jb = &md->job[x];
  double tt = md->T[prev * N + jb->location];
  if (tt < HV_SOLVER_UNREACHABLE) {
    double a = t + tt;
    if (load_ok && a <= c->Lb[i] + EPS) {
      /* The rest follows unchanged: ejecting more only adds penalty. */
      record(c, psum);
      return;
    }
    /* The rest cannot follow unchanged, so some job from here on must go:
     * with no ejection left, or none cheap enough to tie the best, nothing
     * below can be recorded (the same sets as a full search, far fewer
     * nodes: R2_2_1's fleet search four times faster). */
    if (c->ncur >= c->kmax || c->minpen[i] > c->best_pen - psum) return;
    double s = tw_start(jb, a);
    if (isfinite(s))
      dfs(c, i + 1, jb->location, s + jb->service, psum, removed);
  }
  if (x != c->j && c->ncur < c->kmax && psum + c->pen[x] <= c->best_pen) {
    c->cur[c->ncur++] = x;
    dfs(c, i + 1, prev, t, psum + c->pen[x], removed + jb->demand);
    c->ncur--;
  }
}

int hv__eject_insert(const model *md, sol *s, int j, const long *pen, int kmax,
                     rng *g, int *out) {
  if (kmax > 8) kmax = 8;
  int maxn = 0;
  for (int v = 0; v < s->m; v++)
    maxn = s->r[v].n > maxn ? s->r[v].n : maxn;
  int *b = malloc(((size_t)maxn + 2) * sizeof *b);
  double *Lb = malloc(((size_t)maxn + 2) * sizeof *Lb);
  long *minpen = malloc(((size_t)maxn + 2) * sizeof *minpen);
  if (b == NULL || Lb == NULL || minpen == NULL) {
    free(b), free(Lb), free(minpen);
    return -2;
  }
  ctx c = {.md = md,
           .pen = pen,
           .g = g,
           .b = b,
           .Lb = Lb,
           .minpen = minpen,
           .j = j,
           .best_pen = LONG_MAX,
           .best_v = -1};
  const hv_job *jj = &md->job[j];
  size_t N = md->nloc;
  for (int v = 0; v < md->m; v++) {
    const route *r = &s->r[v];
    if (r->n == 0 || !md->compat[(size_t)j * md->m + v]) continue;
    const hv_vehicle *vh = &md->veh[v];
    c.r = r;
    c.nb = r->n + 1;
    c.excess = vh->capacity > 0 ? r->load + jj->demand - vh->capacity : -1.0;
    c.over = vh->max_jobs > 0 ? r->n + 1 - (int)vh->max_jobs : 0;
    /* Long routes: one ejection fewer, or the search grows too wide. */
    c.kmax = r->n > 30 && kmax > 1 ? kmax - 1 : kmax;
    if (c.over > c.kmax) continue;
    for (int pos = 0; pos <= r->n; pos++) {
      /* b = the route with j at index pos. */
      for (int q = 0, i = 0; q <= r->n; q++) {
        if (q == pos) b[i++] = j;
        if (q < r->n) b[i++] = r->job[q];
      }
      /* Latest arrivals: after j those of the route; j and before it by
       * a backward pass from there. */
      for (int i = pos + 1; i < c.nb; i++)
        Lb[i] = r->L[i];
      size_t next = route_loc(md, r, pos + 1);
      Lb[pos] = tw_latest(
          jj, r->L[pos + 1] - jj->service - md->T[jj->location * N + next]);
      for (int i = pos - 1; i >= 0; i--) {
        const hv_job *x = &md->job[b[i]];
        Lb[i] = tw_latest(
            x, Lb[i + 1] - x->service -
                   md->T[x->location * N + md->job[b[i + 1]].location]);
      }
      minpen[c.nb] = LONG_MAX;
      for (int i = c.nb - 1; i >= 0; i--)
        minpen[i] =
            b[i] != j && pen[b[i]] < minpen[i + 1] ? pen[b[i]] : minpen[i + 1];
      c.pos = pos;
      c.ncur = 0;
      c.nodes = 0;
      dfs(&c, 0, vh->start, vh->open, 0, 0.0);
    }
  }
  int res = -1;
  if (c.best_v >= 0) {
    route *r = &s->r[c.best_v];
    int n = 0;
    for (int q = 0; q <= r->n; q++) {
      if (q == c.best_pos) b[n++] = j;
      if (q == r->n) break;
      int x = r->job[q], drop = 0;
      for (int e = 0; e < c.nbest; e++)
        drop |= c.best_set[e] == x;
      if (!drop) b[n++] = x;
    }
    for (int e = 0; e < c.nbest; e++) {
      s->where[c.best_set[e]] = -1;
      out[e] = c.best_set[e];
    }
    res = hv__sol_set_route(md, s, c.best_v, b, n) ? c.nbest : -2;
  }
  free(b);
  free(Lb);
  free(minpen);
  return res;
}
