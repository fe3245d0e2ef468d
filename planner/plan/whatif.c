/* planner/plan/whatif.c -- hv_whatif_run(): what coverage do we get with 2,
 * 3, ... pairs, or with an extra evening Somali speaker?
 *
 * Pair sweeps are nested: the pairs for k+1 are those for k plus one more,
 * chosen by the same GLPK model with the earlier pairs fixed, so the plan
 * for k is a valid plan for k+1.  Variants are planned in worker threads,
 * `jobs` at a time, each with the same share of the limit; afterwards any k
 * whose coverage fell below k-1's is planned again starting from k-1's plan,
 * which the search never makes worse: coverage is monotone by construction.
 * Results are computed from the plans in memory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/planning.h"
#include "hv/solver.h"
#include "plan_def.h"

typedef struct variant {
  hv_whatif_variant pub;
  const char *spec;    /* extra staff: "es;so mon-fri 12:00-19:30" */
  int extra;           /* how many extra staff */
  hv_plan_pair *pairs; /* sweep: the nested pairs */
  hv_scenario *own;    /* extra staff: the scenario with them */
  hv_plan *plan;       /* the variant's plan (kept for the repair) */
  uint8_t *visited;    /* by household */
  size_t *gained;
} variant;

struct hv_whatif {
  const hv_scenario *s;
  hv_whatif_options o;
  double each_s;
  size_t n;
  variant v[HV_WHATIF_MAX_VARIANTS];
  size_t nsweep;
  size_t sweep[HV_WHATIF_MAX_VARIANTS];
  long knee;
  /* work queue */
  pthread_mutex_t lock;
  size_t next;
  bool threaded; /* workers run in threads of their own */
};

void hv_whatif_options_init(hv_whatif_options *o) {
  memset(o, 0, sizeof *o);
  o->time_limit_s = -1;
  o->jobs = 2;
}

static void fail(variant *v, const hv_error *e) {
  char msg[sizeof v->pub.error];
  hv_error_format(e, msg, sizeof msg);
  snprintf(v->pub.error, sizeof v->pub.error, "%s", msg);
  v->pub.ok = false;
}

/* The variant's figures from its plan. */
static void measure(const hv_whatif *w, variant *v) {
  const hv_plan *p = v->plan;
  hv_whatif_variant *r = &v->pub;
  r->priority = p->priority_covered;
  r->priority_total = p->priority_total;
  r->priority_bound = p->priority_bound;
  r->households = p->households;
  r->visited = p->visited;
  r->travel_h = p->travel_minutes / 60.0;
  r->routes = p->nroutes;
  r->pairs_used = p->npairs;
  r->visits = 0;
  r->staff_h = 0;
  memset(r->unvisited, 0, sizeof r->unvisited);
  memset(v->visited, 0, w->s->nhouseholds + 1);
  for (size_t i = 0; i < p->nroutes; i++) {
    const hv_plan_route *pr = &p->routes[i];
    r->staff_h += 2.0 * (pr->back - pr->depart) / 60.0;
    r->visits += pr->nstops;
    for (size_t k = 0; k < pr->nstops; k++)
      if (pr->stops[k].household < w->s->nhouseholds)
        v->visited[pr->stops[k].household] = 1;
  }
  for (size_t i = 0; i < p->nunvisited; i++)
    if ((int)p->unvisited[i].reason < HV_WHY_COUNT)
      r->unvisited[p->unvisited[i].reason]++;
  r->ok = true;
}

/* Plans variant v (starting from `initial` when given). */
static void run_variant(hv_whatif *w, variant *v, const hv_plan *initial) {
  hv_error err = {0};
  const hv_scenario *s = w->s;
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = w->each_s;
  o.seed = w->o.seed_set ? w->o.seed : s->solver.seed;
  o.seed_set = true;
  o.initial = initial;
  hv_plan_pair *formed = NULL;
  if (v->pub.kind == HV_WHATIF_EXTRA_STAFF) {
    /* A scenario of its own: the staff plus the extra ones. */
    hv_diags *d = hv_diags_create();
    hv_status st = d ? hv_scenario_load(s->dir, &v->own, d) : HV_E_NOMEM;
    hv_diags_free(d);
    if (st != HV_OK) {
      hv_error_set(&err, st, (hv_where){.source = s->dir},
                   "the scenario could not be read again");
      fail(v, &err);
      return;
    }
    s = v->own;
    const char *sp = strchr(v->spec, ' ');
    char langs[64];
    snprintf(langs, sizeof langs, "%.*s", sp ? (int)(sp - v->spec) : 0,
             v->spec);
    for (int i = 0; i < v->extra; i++) {
      char id[32], name[96];
      snprintf(id, sizeof id, "X%02d", i + 1);
      snprintf(name, sizeof name, "Extra staff %d (%s)", i + 1, langs);
      if (hv_scenario_add_staff(v->own, id, name, langs, sp ? sp + 1 : "",
                                &err) != HV_OK) {
        fail(v, &err);
        return;
      }
    }
  }
  if (v->pub.kind == HV_WHATIF_PAIRS) {
    o.pairs = v->pairs;
    o.npairs = v->pub.npairs;
  } else {
    /* Base and extra-staff variants: pairs as auto-pairing forms them. */
    size_t nformed = 0;
    if (hv_plan_form_pairs(s, NULL, &formed, &nformed, &err) != HV_OK) {
      fail(v, &err);
      return;
    }
    o.pairs = formed;
    o.npairs = nformed;
    v->pub.npairs = nformed;
  }
  hv_plan *p = NULL;
  hv_status st = hv_plan_build(s, &o, &p, &err);
  hv_plan_pairs_free(formed);
  if (st == HV_OK && w->o.variants_dir) {
    char dir[4200];
    if (hv_path_join(dir, sizeof dir, w->o.variants_dir, v->pub.name))
      st = hv_plan_write_data(p, dir, &err);
    else
      st = hv_error_set(&err, HV_E_IO, (hv_where){.source = w->o.variants_dir},
                        "folder path too long for variant %s", v->pub.name);
  }
  if (st != HV_OK) {
    hv_plan_free(p);
    fail(v, &err);
    return;
  }
  hv_plan_free(v->plan);
  v->plan = p;
  measure(w, v);
}

static void *worker(void *arg) {
  hv_whatif *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->lock);
    size_t i = w->next++;
    pthread_mutex_unlock(&w->lock);
    if (i >= w->n) break;
    run_variant(w, &w->v[i], NULL);
  }
  if (w->threaded) hv_solver_thread_done();
  return NULL;
}

/* The knee of the sweep (Kneedle): on axes scaled to [0, 1], the point
 * farthest above the straight line from the first point to the last. */
static long knee(const hv_whatif *w) {
  size_t n = w->nsweep;
  if (n < 3) return -1;
  const hv_whatif_variant *first = &w->v[w->sweep[0]].pub;
  const hv_whatif_variant *last = &w->v[w->sweep[n - 1]].pub;
  double x0 = (double)first->npairs, x1 = (double)last->npairs;
  double y0 = (double)first->priority, y1 = (double)last->priority;
  if (x1 <= x0 || y1 <= y0) return -1;
  long best = -1;
  double bd = 0.02;
  for (size_t i = 1; i + 1 < n; i++) {
    const hv_whatif_variant *v = &w->v[w->sweep[i]].pub;
    double x = ((double)v->npairs - x0) / (x1 - x0);
    double y = ((double)v->priority - y0) / (y1 - y0);
    if (y - x > bd) {
      bd = y - x;
      best = (long)w->sweep[i];
    }
  }
  return best;
}

/* Households each variant reaches that its baseline does not. */
static hv_status marginal(hv_whatif *w, hv_error *err) {
  for (size_t i = 0; i < w->n; i++) {
    variant *v = &w->v[i];
    int b = v->pub.baseline;
    if (!v->pub.ok || b < 0 || !w->v[b].pub.ok) continue;
    v->gained = calloc(w->s->nhouseholds + 1, sizeof *v->gained);
    if (v->gained == NULL)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    for (size_t h = 0; h < w->s->nhouseholds; h++)
      if (v->visited[h] && !w->v[b].visited[h]) {
        v->gained[v->pub.ngained++] = h;
        v->pub.gained_priority += w->s->households[h].priority;
      }
    v->pub.gained = v->gained;
  }
  return HV_OK;
}

hv_status hv_whatif_run(const hv_scenario *s, const hv_whatif_options *o,
                        hv_whatif **out, hv_error *err) {
  *out = NULL;
  hv_where opt = {.source = "whatif"};
  if (o->jobs < 1 || o->nextra > HV_WHATIF_MAX_EXTRA)
    return hv_error_set(err, HV_E_RANGE, opt,
                        "jobs must be at least 1 and "
                        "at most %d extra-staff kinds",
                        HV_WHATIF_MAX_EXTRA);
  hv_whatif *w = calloc(1, sizeof *w);
  if (w == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  w->s = s;
  w->o = *o;
  w->knee = -1;
  int plo = o->pairs_lo, phi = o->pairs_hi;
  if (plo <= 0 && o->nextra == 0) {
    plo = 1;
    phi = (int)(s->nstaff / 2);
  }
  hv_status st = HV_OK;
  /* The base: auto-pairing, the staff as they are. */
  variant *base = &w->v[w->n++];
  snprintf(base->pub.name, sizeof base->pub.name, "base");
  snprintf(base->pub.label, sizeof base->pub.label,
           "current staff, pairs formed by hvplan");
  base->pub.baseline = -1;
  /* Nested pair sweep. */
  const hv_plan_pair *prev = NULL;
  size_t nprev = 0;
  for (int k = plo; plo > 0 && k <= phi && w->n < HV_WHATIF_MAX_VARIANTS; k++) {
    variant *v = &w->v[w->n];
    hv_pair_options po;
    hv_pair_options_init(&po);
    po.max_pairs = k;
    po.fixed = prev;
    po.nfixed = nprev;
    st = hv_plan_form_pairs(s, &po, &v->pairs, &v->pub.npairs, err);
    if (st != HV_OK) goto fail;
    if (w->nsweep > 0 && v->pub.npairs == nprev) {
      hv_plan_pairs_free(v->pairs);
      v->pairs = NULL;
      v->pub.npairs = 0;
      break; /* no more pairs can be formed */
    }
    v->pub.kind = HV_WHATIF_PAIRS;
    v->pub.baseline = w->nsweep > 0 ? (int)w->sweep[w->nsweep - 1] : -1;
    snprintf(v->pub.name, sizeof v->pub.name, "pairs-%02d", k);
    snprintf(v->pub.label, sizeof v->pub.label, "%zu pairs", v->pub.npairs);
    prev = v->pairs;
    nprev = v->pub.npairs;
    w->sweep[w->nsweep++] = w->n++;
  }
  for (size_t i = 0; i < o->nextra; i++)
    for (int c = o->extra[i].count_lo;
         c <= o->extra[i].count_hi && w->n < HV_WHATIF_MAX_VARIANTS; c++) {
      variant *v = &w->v[w->n++];
      v->pub.kind = HV_WHATIF_EXTRA_STAFF;
      v->spec = o->extra[i].spec;
      v->extra = c;
      v->pub.baseline = 0;
      snprintf(v->pub.name, sizeof v->pub.name, "add-%zu-%d", i + 1, c);
      snprintf(v->pub.label, sizeof v->pub.label, "+%d staff: %s", c,
               o->extra[i].spec);
    }
  for (size_t i = 0; i < w->n; i++) {
    w->v[i].visited = calloc(s->nhouseholds + 1, 1);
    if (w->v[i].visited == NULL) {
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
      goto fail;
    }
  }
  /* Time: the scenario's limit across runs, `jobs` at once. */
  double limit =
      o->time_limit_s >= 0 ? o->time_limit_s : s->solver.time_limit_s;
  w->each_s = hv_whatif_variant_limit(limit, o->jobs, w->n);
  pthread_mutex_init(&w->lock, NULL);
  int nthreads = o->jobs < (int)w->n ? o->jobs : (int)w->n;
  pthread_t threads[16];
  if (nthreads > 16) nthreads = 16;
  int started = 0;
  w->threaded = true;
  for (int t = 0; t < nthreads; t++)
    started += pthread_create(&threads[started], NULL, worker, w) == 0;
  if (started == 0) { /* no thread could start: plan here */
    w->threaded = false;
    worker(w);
  }
  for (int t = 0; t < started; t++)
    pthread_join(threads[t], NULL);
  pthread_mutex_destroy(&w->lock);
  /* Repair: coverage must not fall as pairs are added. */
  for (size_t i = 1; i < w->nsweep; i++) {
    variant *v = &w->v[w->sweep[i]], *u = &w->v[w->sweep[i - 1]];
    if (!v->pub.ok || !u->pub.ok || v->pub.priority >= u->pub.priority)
      continue;
    run_variant(w, v, u->plan);
  }
  /* Only planned sweep variants count for the curve. */
  size_t k = 0;
  for (size_t i = 0; i < w->nsweep; i++)
    if (w->v[w->sweep[i]].pub.ok) w->sweep[k++] = w->sweep[i];
  w->nsweep = k;
  w->knee = knee(w);
  st = marginal(w, err);
  if (st != HV_OK) goto fail;
  *out = w;
  return HV_OK;
fail:
  hv_whatif_free(w);
  return st;
}

void hv_whatif_free(hv_whatif *w) {
  if (w == NULL) return;
  for (size_t i = 0; i < w->n; i++) {
    hv_plan_free(w->v[i].plan);
    hv_plan_pairs_free(w->v[i].pairs);
    free(w->v[i].visited);
    free(w->v[i].gained);
  }
  /* Plans borrow their scenario: free the extra-staff copies last. */
  for (size_t i = 0; i < w->n; i++)
    hv_scenario_free(w->v[i].own);
  free(w);
}

size_t hv_whatif_count(const hv_whatif *w) {
  return w->n;
}

const hv_whatif_variant *hv_whatif_variant_at(const hv_whatif *w, size_t i) {
  return i < w->n ? &w->v[i].pub : NULL;
}

size_t hv_whatif_sweep(const hv_whatif *w, const size_t **indices) {
  *indices = w->sweep;
  return w->nsweep;
}

long hv_whatif_knee(const hv_whatif *w) {
  return w->knee;
}
double hv_whatif_seconds_each(const hv_whatif *w) {
  return w->each_s;
}
const hv_scenario *hv_whatif_scenario(const hv_whatif *w) {
  return w->s;
}
