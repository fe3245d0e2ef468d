/* solver/route.c -- routes with cached earliest starts, latest arrivals
 * and loads, so that inserting a job anywhere is checked and costed in
 * O(windows); and solutions made of one route per vehicle. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "solver_int.h"

bool hv__route_init(route *r, int v, int cap) {
  memset(r, 0, sizeof *r);
  r->v = v;
  return hv__route_reserve(r, cap < 4 ? 4 : cap);
}

void hv__route_free(route *r) {
  free(r->job);
  free(r->e);
  free(r->L);
  memset(r, 0, sizeof *r);
}

bool hv__route_reserve(route *r, int n) {
  if (n <= r->cap) return true;
  int cap = r->cap ? r->cap : 4;
  while (cap < n)
    cap *= 2;
  int *job = realloc(r->job, (size_t)cap * sizeof *job);
  if (job == NULL) return false;
  r->job = job;
  double *e = realloc(r->e, ((size_t)cap + 2) * sizeof *e);
  if (e == NULL) return false;
  r->e = e;
  double *L = realloc(r->L, ((size_t)cap + 2) * sizeof *L);
  if (L == NULL) return false;
  r->L = L;
  r->cap = cap;
  return true;
}

bool hv__route_copy(route *dst, const route *src) {
  if (!hv__route_reserve(dst, src->n)) return false;
  dst->v = src->v;
  dst->n = src->n;
  dst->id = src->id;
  memcpy(dst->job, src->job, (size_t)src->n * sizeof *src->job);
  memcpy(dst->e, src->e, ((size_t)src->n + 2) * sizeof *src->e);
  memcpy(dst->L, src->L, ((size_t)src->n + 2) * sizeof *src->L);
  dst->cost = src->cost;
  dst->dist = src->dist;
  dst->load = src->load;
  return true;
}

/* Distance, load and cost of r (idle time given) in one pass, the sums in
 * route order. */
static void route_sums(const model *md, route *r, double idle) {
  const hv_vehicle *vh = &md->veh[r->v];
  size_t N = md->nloc, prev = vh->start;
  double dist = 0, bonus = 0, load = 0;
  for (int p = 0; p < r->n; p++) {
    const hv_job *j = &md->job[r->job[p]];
    load += j->demand;
    dist += md->D[prev * N + j->location];
    if (md->bonus) bonus += md->bonus[(size_t)r->job[p] * md->m + r->v];
    prev = j->location;
  }
  dist += r->n > 0 ? md->D[prev * N + vh->end] : 0;
  r->dist = dist;
  r->load = load;
  r->cost = dist + idle - bonus + md->balance * (double)r->n * (double)r->n;
}

/* The schedule after a change to positions lo + 1 .. hi alone (lo == hi:
 * only the link from lo to lo + 1 changed), e[0] and, where whole is
 * false, e[] and L[] already holding the unchanged positions' values
 * (shifted with the jobs): earliest starts forwards from lo + 1 and latest
 * arrivals backwards from hi, each, unless whole, until it meets its
 * stored value past the change (from there on nothing differs, the same
 * arithmetic giving the same values). */
static void route_times(const model *md, route *r, int lo, int hi, bool whole) {
  /* Shared by every search in the process (threads too): ids stay unique. */
  static _Atomic uint64_t last_id;
  r->id = atomic_fetch_add_explicit(&last_id, 1, memory_order_relaxed) + 1;
  const hv_vehicle *vh = &md->veh[r->v];
  int n = r->n;
  size_t N = md->nloc;
  size_t prev = lo == 0 ? vh->start : md->job[r->job[lo - 1]].location;
  for (int p = lo + 1; p <= n + 1; p++) {
    double x;
    if (p <= n) {
      const hv_job *j = &md->job[r->job[p - 1]];
      x = tw_start(j, r->e[p - 1] + route_svc(md, r, p - 1) +
                          md->T[prev * N + j->location]);
      prev = j->location;
    } else {
      x = r->e[n] + route_svc(md, r, n) + md->T[prev * N + vh->end];
    }
    if (!whole && p > hi && x == r->e[p]) break;
    r->e[p] = x;
  }
  r->L[n + 1] = vh->close;
  size_t next = hi == n ? vh->end : md->job[r->job[hi]].location;
  for (int p = hi; p >= 1; p--) {
    const hv_job *j = &md->job[r->job[p - 1]];
    double x =
        tw_latest(j, r->L[p + 1] - j->service - md->T[j->location * N + next]);
    next = j->location;
    if (!whole && p <= lo && x == r->L[p]) return; /* L[0] unchanged too */
    r->L[p] = x;
  }
  r->L[0] = r->L[1] - md->T[vh->start * N + next];
}

void hv__route_update(const model *md, route *r) {
  const hv_vehicle *vh = &md->veh[r->v];
  int n = r->n;
  r->e[0] = vh->open;
  route_times(md, r, 0, n, true);
  double idle = 0;
  if (vh->max_wait > 0)
    for (int p = 2; p <= n; p++) {
      const hv_job *a = &md->job[r->job[p - 2]], *b = &md->job[r->job[p - 1]];
      bool back;
      idle += leg_extra(md, vh, a->location, b->location,
                        r->e[p - 1] + a->service, r->e[p], &back);
    }
  route_sums(md, r, idle);
}

/* hv__route_update after a change to positions lo + 1 .. hi alone, e[]
 * and L[] shifted with the jobs (see route_times); with idle time priced
 * (max_wait), the whole update. */
static void route_update_span(const model *md, route *r, int lo, int hi) {
  if (md->veh[r->v].max_wait > 0) {
    hv__route_update(md, r);
    return;
  }
  route_times(md, r, lo, hi, false);
  route_sums(md, r, 0.0);
}

double hv__route_best_insert(const model *md, const route *r, int j, int *pos) {
  double best = INFINITY;
  double lc = md->latest_close[j];
  if (!route_has_room(md, r, j)) return best;
  for (int p = route_first_position(r, &md->job[j]); p <= r->n; p++) {
    /* Later positions start later still: past j's last window. */
    if (r->e[p] + route_svc(md, r, p) > lc + EPS) break;
    double d;
    if (route_insert_below(md, r, j, p, best, &d)) {
      best = d;
      *pos = p;
    }
  }
  return best;
}

bool hv__route_insert(const model *md, route *r, int j, int p) {
  if (!hv__route_reserve(r, r->n + 1)) return false;
  memmove(r->job + p + 1, r->job + p, (size_t)(r->n - p) * sizeof *r->job);
  r->job[p] = j;
  /* Positions p + 1 .. n + 1 move one on; j is position p + 1. */
  size_t tail = (size_t)(r->n - p + 1);
  memmove(r->e + p + 2, r->e + p + 1, tail * sizeof *r->e);
  memmove(r->L + p + 2, r->L + p + 1, tail * sizeof *r->L);
  r->n++;
  route_update_span(md, r, p, p + 1);
  return true;
}

void hv__route_remove_range(const model *md, route *r, int from, int count) {
  memmove(r->job + from, r->job + from + count,
          (size_t)(r->n - from - count) * sizeof *r->job);
  /* Positions from + count + 1 .. n + 1 move back to from + 1. */
  size_t tail = (size_t)(r->n - from - count + 1);
  memmove(r->e + from + 1, r->e + from + count + 1, tail * sizeof *r->e);
  memmove(r->L + from + 1, r->L + from + count + 1, tail * sizeof *r->L);
  r->n -= count;
  route_update_span(md, r, from, from);
}

void hv__route_keep(const model *md, route *r, const int *where, int v) {
  int n = r->n, k = 0, first = -1, last = -1;
  for (int i = 0; i < n; i++) {
    if (where[r->job[i]] == v)
      r->job[k++] = r->job[i];
    else if (first < 0)
      first = last = i;
    else
      last = i;
  }
  if (first < 0) return;
  /* Jobs first .. last (0-based) were the changed stretch; those kept of it
   * are positions first + 1 .. hi now, and old positions last + 2 .. n + 1
   * follow from hi + 1. */
  int hi = k - (n - 1 - last);
  size_t tail = (size_t)(n - last);
  memmove(r->e + hi + 1, r->e + last + 2, tail * sizeof *r->e);
  memmove(r->L + hi + 1, r->L + last + 2, tail * sizeof *r->L);
  r->n = k;
  route_update_span(md, r, first, hi);
}

bool hv__sequence_feasible(const model *md, int v, const int *jobs, int n,
                           double *cost) {
  const hv_vehicle *vh = &md->veh[v];
  size_t N = md->nloc;
  if (vh->max_jobs > 0 && n > vh->max_jobs) return false;
  double t = vh->open, load = 0, dist = 0, bonus = 0;
  size_t prev = vh->start;
  double svc = 0;
  for (int k = 0; k < n; k++) {
    int j = jobs[k];
    if (!md->compat[(size_t)j * md->m + v]) return false;
    const hv_job *jb = &md->job[j];
    double tt = md->T[prev * N + jb->location];
    if (tt >= HV_SOLVER_UNREACHABLE) return false;
    double free_at = t + svc;
    t = tw_start(jb, free_at + tt);
    if (!isfinite(t)) return false;
    if (k > 0 && vh->max_wait > 0) {
      bool back;
      dist += leg_extra(md, vh, prev, jb->location, free_at, t, &back);
    }
    load += jb->demand;
    dist += md->D[prev * N + jb->location];
    if (md->bonus) bonus += md->bonus[(size_t)j * md->m + v];
    svc = jb->service;
    prev = jb->location;
  }
  if (vh->capacity > 0 && load > vh->capacity + EPS) return false;
  if (n > 0) {
    double tt = md->T[prev * N + vh->end];
    if (tt >= HV_SOLVER_UNREACHABLE || t + svc + tt > vh->close + EPS)
      return false;
    dist += md->D[prev * N + vh->end];
  }
  *cost = dist - bonus + md->balance * (double)n * (double)n;
  return true;
}

/* ---- solutions ------------------------------------------------------ */

bool hv__sol_init(sol *s, const model *md) {
  memset(s, 0, sizeof *s);
  s->n = md->n;
  s->m = md->m;
  s->r = calloc((size_t)md->m + 1, sizeof *s->r);
  s->where = malloc(((size_t)md->n + 1) * sizeof *s->where);
  if (s->r == NULL || s->where == NULL) {
    hv__sol_free(s);
    return false;
  }
  for (int v = 0; v < md->m; v++) {
    if (!hv__route_init(&s->r[v], v, 8)) {
      hv__sol_free(s);
      return false;
    }
    hv__route_update(md, &s->r[v]);
  }
  for (int j = 0; j < md->n; j++)
    s->where[j] = -1;
  hv__sol_recount(md, s);
  return true;
}

void hv__sol_free(sol *s) {
  if (s->r)
    for (int v = 0; v < s->m; v++)
      hv__route_free(&s->r[v]);
  free(s->r);
  free(s->where);
  memset(s, 0, sizeof *s);
}

bool hv__sol_copy(sol *dst, const sol *src) {
  for (int v = 0; v < src->m; v++)
    if (!hv__route_copy(&dst->r[v], &src->r[v])) return false;
  memcpy(dst->where, src->where, (size_t)src->n * sizeof *src->where);
  dst->nused = src->nused;
  dst->cost = src->cost;
  return true;
}

double hv__sol_objective(const model *md, const sol *s) {
  return hv__sol_objective_at(md, s, md->prize_weight);
}

double hv__sol_objective_at(const model *md, const sol *s,
                            double prize_weight) {
  double c = 0;
  for (int v = 0; v < s->m; v++) {
    c += s->r[v].cost;
    if (md->obj == HV_OBJ_VEHICLES && s->r[v].n > 0) c += md->vehicle_cost;
  }
  for (int j = 0; j < md->n; j++) {
    if (s->where[j] >= 0) continue;
    c += md->obj == HV_OBJ_PRIZE ? md->job[j].prize * prize_weight
                                 : md->unassigned_penalty;
  }
  return c;
}

void hv__sol_recount(const model *md, sol *s) {
  for (int j = 0; j < md->n; j++)
    s->where[j] = -1;
  s->nused = 0;
  for (int v = 0; v < s->m; v++) {
    for (int k = 0; k < s->r[v].n; k++)
      s->where[s->r[v].job[k]] = v;
    s->nused += s->r[v].n > 0;
  }
  s->cost = hv__sol_objective(md, s);
}

/* Whether x goes after y: descending key, then ascending index. */
static inline bool sorts_after(const double *key, int x, int y) {
  return key[x] < key[y] || (key[x] == key[y] && x > y);
}

/* Moves a[i] down the max-heap a[0..n) (the root: the one that goes last). */
static void sift_down(int *a, int i, int n, const double *key) {
  int x = a[i];
  for (;;) {
    int c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && sorts_after(key, a[c + 1], a[c])) c++;
    if (!sorts_after(key, a[c], x)) break;
    a[i] = a[c];
    i = c;
  }
  a[i] = x;
}

/* Descending key, then ascending index: a total order, so the result is
 * the one sorted sequence whatever the algorithm (heapsort here: in place,
 * n log n; the insertion sort it replaced was 7 % of an orienteering run
 * with 150 jobs left out), and identical across C libraries. */
void hv__sort_desc(int *a, int n, const double *key) {
  for (int i = n / 2 - 1; i >= 0; i--)
    sift_down(a, i, n, key);
  for (int end = n - 1; end > 0; end--) {
    int t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end, key);
  }
}
