/* solver/twls.c -- a local search that may pass through infeasible routes
 * (after Vidal et al.'s hybrid genetic search, HGS): a route may arrive
 * after a window closes ("time warp": the lateness is taken back, and
 * priced) and carry more than its capacity (the excess priced).  Each route
 * keeps, for every position, a summary of its prefix and of its suffix
 * (duration, time warp, earliest and latest start, distance, load) that
 * concatenates in constant time, so that a move's new routes are costed
 * from a few pieces without walking them.
 *
 * hv__twls_educate() puts a solution's unassigned jobs in at their
 * cheapest priced position and descends with relocate (one job, two,
 * two reversed), swap (1-1, 2-1, 2-2) and 2-opt* between each job and its
 * nearest neighbours, and relocate, swap and 2-opt inside a route; when
 * the local optimum still breaks a window or a capacity it descends again
 * with the prices ten and a hundred times higher (repair).  Every route
 * goes back into the solution checked job by job, as the search checks
 * routes; one still infeasible keeps the jobs a schedule without time
 * warp reaches (filter), and the caller inserts the others as after a
 * ruin.  The prices adapt so that about a fifth of the descents end
 * feasible before repair, as in HGS.
 *
 * The summaries price one window per job, one depot and one working day
 * shared by every vehicle, and distance alone: twls_create() refuses a
 * model with more (several windows, bonuses, idle returns, a balance
 * term, job limits, vehicles with different depots or hours, incompatible
 * jobs), and the search then does without it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* Nearest neighbours tried as v for each job u. */
#define TW_NEIGHBOURS 20
/* Most passes of one descent. */
#define TW_PASSES 50
/* Share of descents meant to end feasible before repair: after each, a
 * price rises by TW_UP when some route breaks what it prices and falls by
 * what settles it at that share when none does. */
#define TW_TARGET 0.2
#define TW_UP 1.2
/* Largest problem (vehicles x positions: 132 bytes each) the summaries are
 * kept for. */
#define TW_MAX_CELLS 500000
#define BIG 1e12

typedef struct seg {
  double dur, tw; /* duration, time warp */
  double e, l;    /* earliest and latest start */
  double dist, load;
  size_t first, last; /* locations */
} seg;

/* Positions from..to of route r (0: the start, len + 1: the end), in
 * reverse when rev (jobs only); empty when from > to. */
typedef struct piece {
  int r, from, to;
  bool rev;
} piece;

struct twls {
  const model *md;
  size_t N;
  int cap;    /* positions per route: n + 2 */
  int nr;     /* routes loaded */
  int *veh;   /* per route: its vehicle */
  int *len;   /* per route: jobs */
  int *job;   /* route r, position p: job[r * cap + p] (1..len) */
  seg *F, *B; /* prefix 0..p and suffix p..len+1 */
  double *pc; /* per route: priced cost */
  int *rt, *pos;
  seg *node; /* per job */
  seg start, end;
  int *order, *buf;
  double wq, wt; /* prices of a unit of load over capacity, of time warp */
  /* Route ids: new whenever a route changes, and for every route at the
   * start of a descent (the prices may have changed).  memo[u * K + k]
   * holds the ids of u's and its k-th neighbour's routes when no move
   * between the two lowered the priced cost; the pair is not tried again
   * while both are unchanged (a move reads only those two routes), so the
   * descent takes the same moves. */
  uint64_t *rid, next_id;
  uint64_t *memo; /* 2 per pair */
};

bool hv__twls_on = true;
bool hv__twls_memo_on = true;

static seg cat(const twls *t, const seg *a, const seg *b) {
  size_t k = a->last * t->N + b->first;
  double tt = t->md->T[k];
  double delta = a->dur - a->tw + tt;
  double wait = b->e - delta - a->l, warp = a->e + delta - b->l;
  if (wait < 0) wait = 0;
  if (warp < 0) warp = 0;
  seg c;
  c.dur = a->dur + b->dur + tt + wait;
  c.tw = a->tw + b->tw + warp;
  c.e = fmax(b->e - delta, a->e) - wait;
  c.l = fmin(b->l - delta, a->l) + warp;
  c.dist = a->dist + b->dist + t->md->D[k];
  c.load = a->load + b->load;
  c.first = a->first;
  c.last = b->last;
  return c;
}

static double priced(const twls *t, int r, const seg *s) {
  double cap = t->md->veh[t->veh[r]].capacity;
  double over = cap > 0 && s->load > cap ? s->load - cap : 0;
  return s->dist + t->wq * over + t->wt * s->tw;
}

/* The summary of route r as it stands. */
static const seg *whole(const twls *t, int r) {
  return &t->F[(size_t)r * t->cap + t->len[r] + 1];
}

static void update(twls *t, int r) {
  int n = t->len[r], *J = t->job + (size_t)r * t->cap;
  seg *F = t->F + (size_t)r * t->cap, *B = t->B + (size_t)r * t->cap;
  F[0] = t->start;
  for (int p = 1; p <= n; p++) {
    F[p] = cat(t, &F[p - 1], &t->node[J[p]]);
    t->rt[J[p]] = r;
    t->pos[J[p]] = p;
  }
  F[n + 1] = cat(t, &F[n], &t->end);
  B[n + 1] = t->end;
  for (int p = n; p >= 1; p--)
    B[p] = cat(t, &t->node[J[p]], &B[p + 1]);
  B[0] = cat(t, &t->start, &B[1]);
  t->pc[r] = priced(t, r, whole(t, r));
  t->rid[r] = ++t->next_id;
}

/* The summary of a piece; false when it is empty. */
static bool piece_seg(const twls *t, const piece *pc, seg *out) {
  if (pc->from > pc->to) return false;
  size_t base = (size_t)pc->r * t->cap;
  const int *J = t->job + base;
  int n = t->len[pc->r];
  if (pc->rev) {
    *out = t->node[J[pc->to]];
    for (int p = pc->to - 1; p >= pc->from; p--)
      *out = cat(t, out, &t->node[J[p]]);
  } else if (pc->from == 0) {
    *out = t->F[base + pc->to];
  } else if (pc->to == n + 1) {
    *out = t->B[base + pc->from];
  } else {
    *out = t->node[J[pc->from]];
    for (int p = pc->from + 1; p <= pc->to; p++)
      *out = cat(t, out, &t->node[J[p]]);
  }
  return true;
}

/* The priced cost of route r made of pieces pc[0..np). */
static double eval(const twls *t, int r, const piece *pc, int np) {
  seg s, x;
  bool any = false;
  for (int i = 0; i < np; i++) {
    if (!piece_seg(t, &pc[i], &x)) continue;
    s = any ? cat(t, &s, &x) : x;
    any = true;
  }
  return priced(t, r, &s);
}

/* Writes the jobs of pieces pc[0..np) to out; returns their number. */
static int write(const twls *t, const piece *pc, int np, int *out) {
  int k = 0;
  for (int i = 0; i < np; i++) {
    const int *J = t->job + (size_t)pc[i].r * t->cap;
    int n = t->len[pc[i].r];
    int from = pc[i].from < 1 ? 1 : pc[i].from;
    int to = pc[i].to > n ? n : pc[i].to;
    if (pc[i].rev)
      for (int p = to; p >= from; p--)
        out[k++] = J[p];
    else
      for (int p = from; p <= to; p++)
        out[k++] = J[p];
  }
  return k;
}

static void set_route(twls *t, int r, const int *jobs, int n) {
  memcpy(t->job + (size_t)r * t->cap + 1, jobs, (size_t)n * sizeof *jobs);
  t->len[r] = n;
  update(t, r);
}

/* Applies a move: route ra becomes pa[0..na), and, when rb >= 0, route
 * rb becomes pb[0..nb). */
static void apply(twls *t, int ra, const piece *pa, int na, int rb,
                  const piece *pb, int nb) {
  int *A = t->buf, *Bf = t->buf + t->cap;
  int ka = write(t, pa, na, A), kb = rb >= 0 ? write(t, pb, nb, Bf) : 0;
  set_route(t, ra, A, ka);
  if (rb >= 0) set_route(t, rb, Bf, kb);
}

#define P(r, a, b) ((piece){(r), (a), (b), false})
#define PR(r, a, b) ((piece){(r), (a), (b), true})

/* Tries the moves between job u and its neighbour v in another route;
 * applies the first that lowers the priced cost. */
static bool try_inter(twls *t, int u, int v) {
  int ru = t->rt[u], rv = t->rt[v], pu = t->pos[u], pv = t->pos[v];
  int nu = t->len[ru], nv = t->len[rv];
  double old = t->pc[ru] + t->pc[rv];
  piece a[3], b[3];
  int na, nb;
  for (int mv = 0; mv < 9; mv++) {
    switch (mv) {
      case 0: /* u after v */
        a[0] = P(ru, 0, pu - 1), a[1] = P(ru, pu + 1, nu + 1), na = 2;
        b[0] = P(rv, 0, pv), b[1] = P(ru, pu, pu), b[2] = P(rv, pv + 1, nv + 1);
        nb = 3;
        break;
      case 1: /* u before v */
        a[0] = P(ru, 0, pu - 1), a[1] = P(ru, pu + 1, nu + 1), na = 2;
        b[0] = P(rv, 0, pv - 1), b[1] = P(ru, pu, pu), b[2] = P(rv, pv, nv + 1);
        nb = 3;
        break;
      case 2: /* u and the job after it, after v */
      case 3: /* the same reversed */
        if (pu + 1 > nu) continue;
        a[0] = P(ru, 0, pu - 1), a[1] = P(ru, pu + 2, nu + 1), na = 2;
        b[0] = P(rv, 0, pv);
        b[1] = mv == 2 ? P(ru, pu, pu + 1) : PR(ru, pu, pu + 1);
        b[2] = P(rv, pv + 1, nv + 1), nb = 3;
        break;
      case 4: /* swap u and v */
        a[0] = P(ru, 0, pu - 1), a[1] = P(rv, pv, pv),
        a[2] = P(ru, pu + 1, nu + 1);
        b[0] = P(rv, 0, pv - 1), b[1] = P(ru, pu, pu),
        b[2] = P(rv, pv + 1, nv + 1);
        na = nb = 3;
        break;
      case 5: /* u and the job after it for v */
        if (pu + 1 > nu) continue;
        a[0] = P(ru, 0, pu - 1), a[1] = P(rv, pv, pv),
        a[2] = P(ru, pu + 2, nu + 1);
        b[0] = P(rv, 0, pv - 1), b[1] = P(ru, pu, pu + 1);
        b[2] = P(rv, pv + 1, nv + 1), na = nb = 3;
        break;
      case 6: /* u and the job after it for v and the job after it */
        if (pu + 1 > nu || pv + 1 > nv) continue;
        a[0] = P(ru, 0, pu - 1), a[1] = P(rv, pv, pv + 1);
        a[2] = P(ru, pu + 2, nu + 1);
        b[0] = P(rv, 0, pv - 1), b[1] = P(ru, pu, pu + 1);
        b[2] = P(rv, pv + 2, nv + 1), na = nb = 3;
        break;
      case 7: /* 2-opt*: the tails after u and after v swap */
        a[0] = P(ru, 0, pu), a[1] = P(rv, pv + 1, nv + 1), na = 2;
        b[0] = P(rv, 0, pv), b[1] = P(ru, pu + 1, nu + 1), nb = 2;
        break;
      default: /* 2-opt*: v's tail from v after u */
        a[0] = P(ru, 0, pu), a[1] = P(rv, pv, nv + 1), na = 2;
        b[0] = P(rv, 0, pv - 1), b[1] = P(ru, pu + 1, nu + 1), nb = 2;
        break;
    }
    /* a route's priced cost is never negative */
    double c = eval(t, ru, a, na);
    if (c >= old - 1e-6) continue;
    c += eval(t, rv, b, nb);
    if (c < old - 1e-6) {
      apply(t, ru, a, na, rv, b, nb);
      return true;
    }
  }
  return false;
}

/* The moves between u and v in one route. */
static bool try_intra(twls *t, int u, int v) {
  int r = t->rt[u], pu = t->pos[u], pv = t->pos[v], n = t->len[r];
  piece a[5];
  int na;
  for (int mv = 0; mv < 4; mv++) {
    int lo = pu < pv ? pu : pv, hi = pu < pv ? pv : pu;
    switch (mv) {
      case 0: /* u after v */
        if (pv == pu - 1) continue;
        if (pu < pv) {
          a[0] = P(r, 0, pu - 1), a[1] = P(r, pu + 1, pv), a[2] = P(r, pu, pu);
          a[3] = P(r, pv + 1, n + 1);
        } else {
          a[0] = P(r, 0, pv), a[1] = P(r, pu, pu), a[2] = P(r, pv + 1, pu - 1);
          a[3] = P(r, pu + 1, n + 1);
        }
        na = 4;
        break;
      case 1: /* u before v */
        if (pv == pu + 1) continue;
        if (pu < pv) {
          a[0] = P(r, 0, pu - 1), a[1] = P(r, pu + 1, pv - 1),
          a[2] = P(r, pu, pu);
          a[3] = P(r, pv, n + 1);
        } else {
          a[0] = P(r, 0, pv - 1), a[1] = P(r, pu, pu), a[2] = P(r, pv, pu - 1);
          a[3] = P(r, pu + 1, n + 1);
        }
        na = 4;
        break;
      case 2: /* swap */
        a[0] = P(r, 0, lo - 1), a[1] = P(r, hi, hi),
        a[2] = P(r, lo + 1, hi - 1);
        a[3] = P(r, lo, lo), a[4] = P(r, hi + 1, n + 1), na = 5;
        break;
      default: /* 2-opt: the stretch after the first of u, v up to the
                  second is reversed, joining u and v */
        a[0] = P(r, 0, lo), a[1] = PR(r, lo + 1, hi),
        a[2] = P(r, hi + 1, n + 1);
        na = 3;
        break;
    }
    if (eval(t, r, a, na) < t->pc[r] - 1e-6) {
      apply(t, r, a, na, -1, NULL, 0);
      return true;
    }
  }
  return false;
}

static void descend(twls *t, rng *g) {
  const model *md = t->md;
  int n = 0, K = md->knb < TW_NEIGHBOURS ? md->knb : TW_NEIGHBOURS;
  for (int j = 0; j < md->n; j++)
    if (t->rt[j] >= 0) t->order[n++] = j;
  for (int r = 0; r < t->nr; r++) {
    t->pc[r] = priced(t, r, whole(t, r));
    t->rid[r] = ++t->next_id;
  }
  bool improved = true;
  for (int pass = 0; improved && pass < TW_PASSES; pass++) {
    improved = false;
    rng_shuffle(g, t->order, n);
    for (int i = 0; i < n; i++) {
      int u = t->order[i];
      for (int k = 0; k < K; k++) {
        int v = md->nb[(size_t)u * md->knb + k];
        if (t->rt[v] < 0) continue;
        uint64_t *mm = t->memo + 2 * ((size_t)u * TW_NEIGHBOURS + k);
        uint64_t iu = t->rid[t->rt[u]], iv = t->rid[t->rt[v]];
        if (mm[0] == iu && mm[1] == iv && hv__twls_memo_on) continue;
        bool moved =
            t->rt[u] == t->rt[v] ? try_intra(t, u, v) : try_inter(t, u, v);
        if (!moved) mm[0] = iu, mm[1] = iv;
        improved = improved || moved;
      }
    }
  }
}

/* Whether every route keeps its capacity (*load_ok) and its windows
 * (*time_ok). */
static bool all_ok(const twls *t, bool *load_ok, bool *time_ok) {
  *load_ok = *time_ok = true;
  for (int r = 0; r < t->nr; r++) {
    const seg *x = whole(t, r);
    double cap = t->md->veh[t->veh[r]].capacity;
    *load_ok = *load_ok && !(cap > 0 && x->load > cap + EPS);
    *time_ok = *time_ok && x->tw <= EPS;
  }
  return *load_ok && *time_ok;
}

/* After a descent: each price goes up when a route breaks what it
 * prices, down when none does, settling where about TW_TARGET of the
 * descents end feasible. */
static void adapt(twls *t, bool load_ok, bool time_ok) {
  double up = TW_UP, down = pow(TW_UP, -(1 - TW_TARGET) / TW_TARGET);
  t->wq = fmin(fmax(t->wq * (load_ok ? down : up), 0.1), 1e6);
  t->wt = fmin(fmax(t->wt * (time_ok ? down : up), 0.1), 1e6);
}

twls *hv__twls_create(const model *md, bool *nomem) {
  *nomem = false;
  if ((md->obj != HV_OBJ_DISTANCE && md->obj != HV_OBJ_VEHICLES) || md->bonus ||
      md->balance != 0 || md->idle_returns || md->n < 2 || md->m < 1 ||
      (double)md->m * (md->n + 2) > TW_MAX_CELLS)
    return NULL;
  const hv_vehicle *v0 = &md->veh[0];
  for (int v = 0; v < md->m; v++) {
    const hv_vehicle *vh = &md->veh[v];
    if (vh->max_jobs > 0 || vh->start != v0->start || vh->end != v0->end ||
        vh->open != v0->open || vh->close != v0->close)
      return NULL;
  }
  for (int j = 0; j < md->n; j++) {
    if (md->job[j].ntw > 1) return NULL;
    for (int v = 0; v < md->m; v++)
      if (!md->compat[(size_t)j * md->m + v]) return NULL;
  }
  size_t N = md->nloc;
  double maxd = 0, maxq = 0;
  for (int i = -1; i < md->n; i++) {
    size_t a = i < 0 ? v0->start : md->job[i].location;
    for (int k = -2; k < md->n; k++) {
      size_t b = k == -2 ? v0->end : k == -1 ? v0->start : md->job[k].location;
      if (md->T[a * N + b] >= HV_SOLVER_UNREACHABLE ||
          md->T[b * N + a] >= HV_SOLVER_UNREACHABLE)
        return NULL;
      if (md->D[a * N + b] > maxd) maxd = md->D[a * N + b];
    }
    if (i >= 0 && md->job[i].demand > maxq) maxq = md->job[i].demand;
  }
  twls *t = calloc(1, sizeof *t);
  if (!t) {
    *nomem = true;
    return NULL;
  }
  t->md = md;
  t->N = N;
  t->cap = md->n + 2;
  size_t cells = (size_t)md->m * t->cap, n = (size_t)md->n;
  t->veh = malloc((size_t)md->m * sizeof *t->veh);
  t->len = malloc((size_t)md->m * sizeof *t->len);
  t->pc = malloc((size_t)md->m * sizeof *t->pc);
  t->job = malloc(cells * sizeof *t->job);
  t->F = malloc(cells * sizeof *t->F);
  t->B = malloc(cells * sizeof *t->B);
  t->rt = malloc(n * sizeof *t->rt);
  t->pos = malloc(n * sizeof *t->pos);
  t->node = malloc(n * sizeof *t->node);
  t->order = malloc(n * sizeof *t->order);
  t->buf = malloc(2 * (size_t)t->cap * sizeof *t->buf);
  t->rid = malloc((size_t)md->m * sizeof *t->rid);
  t->memo = calloc(2 * n * TW_NEIGHBOURS, sizeof *t->memo);
  if (!t->rid || !t->memo || !t->veh || !t->len || !t->pc || !t->job || !t->F ||
      !t->B || !t->rt || !t->pos || !t->node || !t->order || !t->buf) {
    hv__twls_free(t);
    *nomem = true;
    return NULL;
  }
  for (int j = 0; j < md->n; j++) {
    const hv_job *jb = &md->job[j];
    t->node[j] = (seg){.dur = jb->service,
                       .e = jb->ntw ? jb->tw[0].open : -BIG,
                       .l = jb->ntw ? jb->tw[0].close : BIG,
                       .load = jb->demand,
                       .first = jb->location,
                       .last = jb->location};
  }
  t->start = (seg){
      .e = v0->open, .l = v0->close, .first = v0->start, .last = v0->start};
  t->end =
      (seg){.e = v0->open, .l = v0->close, .first = v0->end, .last = v0->end};
  t->wt = 1.0;
  t->wq = maxq > 0 ? fmax(0.1, fmin(1000.0, maxd / maxq)) : 1.0;
  return t;
}

void hv__twls_free(twls *t) {
  if (!t) return;
  free(t->veh), free(t->len), free(t->pc), free(t->job);
  free(t->F), free(t->B), free(t->rt), free(t->pos), free(t->node);
  free(t->order), free(t->buf), free(t->rid), free(t->memo);
  free(t);
}

/* Puts job j at its cheapest priced position. */
static void insert_cheapest(twls *t, int j) {
  int br = -1, bp = 0;
  double best = INFINITY;
  for (int r = 0; r < t->nr; r++) {
    const seg *F = t->F + (size_t)r * t->cap, *B = t->B + (size_t)r * t->cap;
    for (int p = 0; p <= t->len[r]; p++) {
      seg s = cat(t, &F[p], &t->node[j]);
      s = cat(t, &s, &B[p + 1]);
      double c = priced(t, r, &s) - t->pc[r];
      if (c < best) best = c, br = r, bp = p;
    }
  }
  if (br < 0) return; /* no finite price: left to the caller */
  piece a[2] = {P(br, 0, bp), P(br, bp + 1, t->len[br] + 1)};
  int *A = t->buf;
  int k = write(t, a, 1, A);
  A[k++] = j;
  k += write(t, a + 1, 1, A + k);
  set_route(t, br, A, k);
}

/* Keeps the jobs of route r that a schedule without time warp reaches in
 * their window and within capacity, in order, dropping from the end those
 * after which the end is reached too late. */
static void filter(twls *t, int r) {
  const model *md = t->md;
  const hv_vehicle *vh = &md->veh[t->veh[r]];
  int *J = t->job + (size_t)r * t->cap + 1, k = 0;
  double *st = malloc(((size_t)t->len[r] + 1) * sizeof *st);
  if (!st) {
    t->len[r] = 0;
    return;
  }
  double time = vh->open, svc = 0, load = 0;
  size_t prev = vh->start;
  for (int i = 0; i < t->len[r]; i++) {
    const hv_job *jb = &md->job[J[i]];
    double s0 = tw_start(jb, time + svc + md->T[prev * t->N + jb->location]);
    if (!isfinite(s0) ||
        (vh->capacity > 0 && load + jb->demand > vh->capacity + EPS))
      continue;
    st[k] = s0;
    J[k++] = J[i];
    time = s0, svc = jb->service, prev = jb->location, load += jb->demand;
  }
  while (k > 0) {
    const hv_job *jb = &md->job[J[k - 1]];
    if (st[k - 1] + jb->service + md->T[jb->location * t->N + vh->end] <=
        vh->close + EPS)
      break;
    k--;
  }
  free(st);
  double c;
  if (k > 0 && !hv__sequence_feasible(md, t->veh[r], J, k, &c)) k = 0;
  t->len[r] = k;
}

int hv__twls_educate(twls *t, sol *s, rng *g) {
  const model *md = t->md;
  t->nr = 0;
  for (int j = 0; j < md->n; j++)
    t->rt[j] = -1;
  for (int v = 0; v < s->m; v++) {
    if (s->r[v].n == 0) continue;
    int r = t->nr++;
    t->veh[r] = v;
    set_route(t, r, s->r[v].job, s->r[v].n);
  }
  if (t->nr == 0) return 0;
  int nout = 0;
  for (int j = 0; j < md->n; j++)
    if (s->where[j] < 0) t->order[nout++] = j;
  rng_shuffle(g, t->order, nout);
  for (int i = 0; i < nout; i++)
    insert_cheapest(t, t->order[i]);
  descend(t, g);
  bool load_ok, time_ok, ok = all_ok(t, &load_ok, &time_ok);
  adapt(t, load_ok, time_ok);
  double wq = t->wq, wt = t->wt;
  for (int k = 0; !ok && k < 2; k++) {
    t->wq *= 10, t->wt *= 10;
    descend(t, g);
    ok = all_ok(t, &load_ok, &time_ok);
  }
  t->wq = wq, t->wt = wt;
  /* Routes still infeasible keep what they can (filter); every route is
   * checked in full, as the rest of the search sees routes. */
  bool full = true;
  for (int r = 0; r < t->nr; r++) {
    double c;
    const int *J = t->job + (size_t)r * t->cap + 1;
    if (t->len[r] > 0 &&
        !hv__sequence_feasible(md, t->veh[r], J, t->len[r], &c)) {
      filter(t, r);
      full = false;
    }
  }
  for (int j = 0; j < md->n; j++)
    s->where[j] = -1;
  for (int r = 0; r < t->nr; r++)
    if (!hv__sol_set_route(md, s, t->veh[r], t->job + (size_t)r * t->cap + 1,
                           t->len[r]))
      return -1;
  for (int j = 0; j < md->n && full; j++)
    full = s->where[j] >= 0;
  s->cost = hv__sol_objective(md, s);
  return full ? 1 : 2;
}
