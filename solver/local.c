/* solver/local.c -- the classic neighbourhoods, on a job j and one of its
 * nearest neighbours k, every one of them placing j next to k:
 *
 *   between two routes
 *     cross-exchange  a string of 1-3 jobs starting at j swaps with a string
 *                     of 0-3 jobs right after (or right before) k; with 0 it
 *                     is relocate (one job) or or-opt (two or three), with
 *                     one job on each side it is swap;
 *     2-opt*          the routes swap tails after j and k (or j's tail goes
 *                     after k's head);
 *   inside one route
 *     or-opt          a string of 1-3 jobs starting at j moves next to k,
 *                     forwards or reversed (one job: relocate);
 *     2-opt           the part between j and k is reversed.
 *
 * Every candidate is costed exactly (its two new sequences, bonuses and
 * the balance term included) and checked exactly for feasibility only when
 * it would improve.  hv__local_search() takes first improvements until none
 * is left; hv__perturb() applies random feasible moves whatever their cost
 * (the fleet minimisation's diversification). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* Neighbours of a job tried as k. */
#define LS_NEIGHBOURS 15
#define MAX_SEG 3

enum { K_CROSS, K_TWO_OPT_STAR, K_OR_OPT, K_TWO_OPT };

typedef struct move {
  int kind;
  int la, lb;   /* string lengths (CROSS: from j, from k's side; OR_OPT: la) */
  int after;    /* next to k: after it (1) or before it (0); 2-opt* variant */
  int reversed; /* OR_OPT: the string goes in reversed */
} move;

/* Moves between two routes: 2 x MAX_SEG x (MAX_SEG + 1) cross-exchanges
 * then two 2-opt*; inside one route: the or-opt variants then 2-opt. */
#define N_INTER (2 * MAX_SEG * (MAX_SEG + 1) + 2)
#define N_INTRA (2 * (2 * MAX_SEG - 1) + 1)

/* The i-th move of its list (numbered rather than tabulated, so there is
 * no table to build or share). */
static move inter_move(int i) {
  int ncross = 2 * MAX_SEG * (MAX_SEG + 1);
  if (i >= ncross) return (move){K_TWO_OPT_STAR, 0, 0, i - ncross, 0};
  return (move){K_CROSS, i / (2 * (MAX_SEG + 1)) + 1, i / 2 % (MAX_SEG + 1),
                !(i % 2), 0};
}

static move intra_move(int i) {
  /* per length: after and before, each forwards and (from two jobs)
   * reversed */
  for (int la = 1; la <= MAX_SEG; la++) {
    int variants = la > 1 ? 4 : 2;
    if (i < variants)
      return (move){K_OR_OPT, la, 0, !(i / (la > 1 ? 2 : 1)), la > 1 && i % 2};
    i -= variants;
  }
  return (move){K_TWO_OPT, 0, 0, 0, 0};
}

/* A candidate route is a concatenation of up to five pieces of the two
 * current routes, some reversed; it is costed from the pieces (prefix sums
 * of the distances along each route) and only written out as a job list
 * when it is worth checking for feasibility. */
typedef struct piece {
  const route *r;
  int from, to; /* jobs r->job[from .. to-1] */
  int rev;
} piece;

typedef struct seq {
  piece p[5];
  int np, n;
} seq;

static void put(seq *s, const route *r, int from, int to) {
  if (to <= from) return;
  s->p[s->np++] = (piece){r, from, to, 0};
  s->n += to - from;
}

static void put_rev(seq *s, const route *r, int from, int to) {
  if (to <= from) return;
  s->p[s->np++] = (piece){r, from, to, 1};
  s->n += to - from;
}

/* Builds the new sequences of routes A (j at pj) and B (k at pk).  For a
 * move inside one route (A == B) only a is used.  Returns false when the
 * move does not apply at these positions. */
static bool build(const move *mv, const route *A, int pj, const route *B,
                  int pk, seq *a, seq *b) {
  a->np = a->n = b->np = b->n = 0;
  switch (mv->kind) {
    case K_CROSS: {
      int la = mv->la, lb = mv->lb;
      if (pj + la > A->n) return false;
      int bs = mv->after ? pk + 1 : pk - lb; /* k's side string: [bs, bs+lb) */
      if (bs < 0 || bs + lb > B->n) return false;
      put(a, A, 0, pj);
      put(a, B, bs, bs + lb);
      put(a, A, pj + la, A->n);
      put(b, B, 0, bs);
      put(b, A, pj, pj + la);
      put(b, B, bs + lb, B->n);
      return true;
    }
    case K_TWO_OPT_STAR:
      if (mv->after) { /* j, then k and its tail */
        put(a, A, 0, pj + 1);
        put(a, B, pk, B->n);
        put(b, B, 0, pk);
        put(b, A, pj + 1, A->n);
      } else { /* j, then k's tail; k, then j's tail */
        put(a, A, 0, pj + 1);
        put(a, B, pk + 1, B->n);
        put(b, B, 0, pk + 1);
        put(b, A, pj + 1, A->n);
      }
      return true;
    case K_OR_OPT: {
      int la = mv->la, e = pj + la;
      if (e > A->n || (pk >= pj && pk < e)) return false;
      /* The string [pj, e) goes in front of index `at` of the route. */
      int at = mv->after ? pk + 1 : pk;
      if (at == pj || at == e) return false; /* where it already is */
      if (at < pj) {
        put(a, A, 0, at);
        (mv->reversed ? put_rev : put)(a, A, pj, e);
        put(a, A, at, pj);
        put(a, A, e, A->n);
      } else {
        put(a, A, 0, pj);
        put(a, A, e, at);
        (mv->reversed ? put_rev : put)(a, A, pj, e);
        put(a, A, at, A->n);
      }
      return true;
    }
    case K_TWO_OPT: {
      int lo = pj < pk ? pj + 1 : pk + 1, hi = pj < pk ? pk + 1 : pj;
      /* pj < pk: j, then k ... back to j's old successor; otherwise k's old
       * successors reversed, so that k precedes j */
      if (hi - lo < 2) return false;
      put(a, A, 0, lo);
      put_rev(a, A, lo, hi);
      put(a, A, hi, A->n);
      return true;
    }
  }
  return false;
}

/* Distances along a route: fw[q] from its first job to job q, bw[q] the
 * same walked backwards (they differ when the matrix is asymmetric). */
typedef struct prefix {
  const route *r;
  double *fw, *bw;
} prefix;

static void prefix_fill(const model *md, prefix *P, const route *r) {
  P->r = r;
  size_t N = md->nloc;
  if (r->n > 0) P->fw[0] = P->bw[0] = 0;
  for (int q = 1; q < r->n; q++) {
    size_t x = md->job[r->job[q - 1]].location, y = md->job[r->job[q]].location;
    P->fw[q] = P->fw[q - 1] + md->D[x * N + y];
    P->bw[q] = P->bw[q - 1] + md->D[y * N + x];
  }
}

/* Cost of a candidate on vehicle v as the search counts it, without
 * checking feasibility (distance less bonuses, the balance term, and the
 * vehicle cost under VEHICLES). */
static double seq_cost(const model *md, int v, const seq *s, const prefix *P) {
  if (s->n == 0) return 0.0;
  const hv_vehicle *vh = &md->veh[v];
  size_t N = md->nloc, prev = vh->start;
  double c = 0;
  for (int i = 0; i < s->np; i++) {
    const piece *pc = &s->p[i];
    const prefix *pf = pc->r == P[0].r ? &P[0] : &P[1];
    const int *job = pc->r->job;
    int first = pc->rev ? pc->to - 1 : pc->from,
        last = pc->rev ? pc->from : pc->to - 1;
    c += md->D[prev * N + md->job[job[first]].location];
    c += pc->rev ? pf->bw[pc->to - 1] - pf->bw[pc->from]
                 : pf->fw[pc->to - 1] - pf->fw[pc->from];
    if (md->bonus)
      for (int q = pc->from; q < pc->to; q++)
        c -= md->bonus[(size_t)job[q] * md->m + v];
    prev = md->job[job[last]].location;
  }
  c += md->D[prev * N + vh->end];
  return c + md->balance * (double)s->n * (double)s->n +
         (md->obj == HV_OBJ_VEHICLES ? md->vehicle_cost : 0.0);
}

/* Writes a candidate out as a job list; returns its length. */
static int seq_write(const seq *s, int *out) {
  int n = 0;
  for (int i = 0; i < s->np; i++) {
    const piece *pc = &s->p[i];
    if (pc->rev)
      for (int q = pc->to; q-- > pc->from;)
        out[n++] = pc->r->job[q];
    else
      for (int q = pc->from; q < pc->to; q++)
        out[n++] = pc->r->job[q];
  }
  return n;
}

static double route_cost(const model *md, const route *r) {
  return r->n == 0
             ? 0.0
             : r->cost + (md->obj == HV_OBJ_VEHICLES ? md->vehicle_cost : 0.0);
}

/* Whether every job of the sequence may ride on v, and the whole is
 * feasible; *cost is its exact cost as route_cost() counts it. */
static bool feasible(const model *md, int v, const int *jobs, int n,
                     double *cost) {
  *cost = 0;
  if (n == 0) return true;
  if (!hv__sequence_feasible(md, v, jobs, n, cost)) return false;
  if (md->obj == HV_OBJ_VEHICLES) *cost += md->vehicle_cost;
  return true;
}

bool hv__sol_set_route(const model *md, sol *s, int v, const int *jobs, int n) {
  route *r = &s->r[v];
  bool was = r->n > 0;
  if (!hv__route_reserve(r, n)) return false;
  memmove(r->job, jobs, (size_t)n * sizeof *jobs);
  r->n = n;
  hv__route_update(md, r);
  for (int k = 0; k < n; k++)
    s->where[jobs[k]] = v;
  s->nused += (n > 0) - was;
  return true;
}

static int position_of(const route *r, int j) {
  for (int k = 0; k < r->n; k++)
    if (r->job[k] == j) return k;
  return -1;
}

typedef struct scratch {
  int *a, *b;
  double *pf; /* four prefix arrays */
  int cap;
} scratch;

static bool scratch_fit(scratch *sc, const sol *s) {
  int maxn = 0;
  for (int v = 0; v < s->m; v++)
    maxn = s->r[v].n > maxn ? s->r[v].n : maxn;
  int need = 2 * maxn + 2 * MAX_SEG + 4;
  if (need <= sc->cap) return true;
  int *a = realloc(sc->a, (size_t)need * sizeof *a);
  if (a) sc->a = a;
  int *b = realloc(sc->b, (size_t)need * sizeof *b);
  if (b) sc->b = b;
  double *pf = realloc(sc->pf, 4 * (size_t)need * sizeof *pf);
  if (pf) sc->pf = pf;
  if (!a || !b || !pf) return false;
  sc->cap = need;
  return true;
}

static void scratch_free(scratch *sc) {
  free(sc->a);
  free(sc->b);
  free(sc->pf);
}

/* Tries moves first .. first+count-1 of the list for (j, k); applies the
 * first that improves (or, when `any` is set, the first feasible one).
 * Returns 1 when a move was applied, 0 when none, -1 when out of memory. */
static int try_moves(const model *md, sol *s, scratch *sc, int j, int k,
                     int first, int count, bool any) {
  int ra = s->where[j], rb = s->where[k];
  if (ra < 0 || rb < 0 || j == k) return 0;
  bool same = ra == rb;
  const route *A = &s->r[ra], *B = &s->r[rb];
  int pj = position_of(A, j), pk = position_of(B, k);
  if (pj < 0 || pk < 0) return 0;
  if (!scratch_fit(sc, s)) return -1;
  prefix P[2] = {{NULL, sc->pf, sc->pf + sc->cap},
                 {NULL, sc->pf + 2 * sc->cap, sc->pf + 3 * sc->cap}};
  prefix_fill(md, &P[0], A);
  prefix_fill(md, &P[1], B);
  double old = route_cost(md, A) + (ra != rb ? route_cost(md, B) : 0.0);
  for (int i = first; i < first + count; i++) {
    seq a, b;
    move mv = same ? intra_move(i) : inter_move(i);
    if (!build(&mv, A, pj, B, pk, &a, &b)) continue;
    if (!any) {
      double c =
          seq_cost(md, ra, &a, P) + (ra != rb ? seq_cost(md, rb, &b, P) : 0.0);
      if (!(c < old - 1e-7)) continue;
    }
    int na = seq_write(&a, sc->a), nb = seq_write(&b, sc->b);
    double ca, cb = 0;
    if (!feasible(md, ra, sc->a, na, &ca) ||
        (ra != rb && !feasible(md, rb, sc->b, nb, &cb)))
      continue;
    /* seq_cost() leaves out idle returns (they depend on the schedule),
     * so it is a lower bound there: the exact cost decides. */
    if (!any && md->idle_returns && !(ca + cb < old - 1e-7)) continue;
    if (!hv__sol_set_route(md, s, ra, sc->a, na)) return -1;
    if (ra != rb && !hv__sol_set_route(md, s, rb, sc->b, nb)) return -1;
    return 1;
  }
  return 0;
}

/* The moves of a job j and its neighbour k depend on their two routes'
 * contents and vehicles alone (route.id names both), so when j and k
 * had no improving move, the memory keeps the two routes' ids in j's
 * slot for k; while both routes still hold that content the pair is
 * skipped, in this descent and the next ones, and the descent takes the
 * same moves as without the memory.  On a district's week most routes are
 * unchanged from one new best to the next, and a descent's last sweep
 * finds nothing where nothing changed. */
uint64_t *hv__local_memo(const model *md) {
  return calloc((size_t)md->n * LS_NEIGHBOURS * 2 + 1, sizeof(uint64_t));
}

bool hv__local_search(const model *md, sol *s, uint64_t *memo) {
  scratch sc = {0};
  int knb = md->knb < LS_NEIGHBOURS ? md->knb : LS_NEIGHBOURS;
  bool ok = true, improved = true;
  for (int sweep = 0; improved && ok && sweep < 50; sweep++) {
    improved = false;
    for (int j = 0; j < md->n && ok; j++) {
      int rj = s->where[j];
      if (rj < 0) continue;
      for (int t = 0; t < knb && ok; t++) {
        int k = md->nb[(size_t)j * md->knb + t];
        int rk = s->where[k];
        if (rk < 0) continue;
        uint64_t *slot =
            memo ? memo + ((size_t)j * LS_NEIGHBOURS + t) * 2 : NULL;
        uint64_t ia = s->r[rj].id, ib = s->r[rk].id;
        if (slot && slot[0] == ia && slot[1] == ib) continue;
        int r =
            try_moves(md, s, &sc, j, k, 0, rj == rk ? N_INTRA : N_INTER, false);
        if (r < 0) ok = false;
        if (r > 0) improved = true;
        if (r == 0 && slot) slot[0] = ia, slot[1] = ib;
        rj = s->where[j];
      }
    }
  }
  s->cost = hv__sol_objective(md, s);
  scratch_free(&sc);
  return ok;
}

bool hv__perturb(const model *md, sol *s, rng *g, int moves) {
  scratch sc = {0};
  int knb = md->knb < LS_NEIGHBOURS ? md->knb : LS_NEIGHBOURS;
  bool ok = true;
  for (int i = 0; i < moves && ok && knb > 0; i++) {
    int j = rng_int(g, md->n);
    int k = md->nb[(size_t)j * md->knb + rng_int(g, knb)];
    if (s->where[j] < 0 || s->where[k] < 0) continue;
    bool same = s->where[j] == s->where[k];
    int r = try_moves(md, s, &sc, j, k, rng_int(g, same ? N_INTRA : N_INTER), 1,
                      true);
    if (r < 0) ok = false;
  }
  s->cost = hv__sol_objective(md, s);
  scratch_free(&sc);
  return ok;
}
