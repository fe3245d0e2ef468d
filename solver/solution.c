/* solver/solution.c -- public solutions: export from the search's form with
 * a schedule per route, import as a starting point, an independent check
 * against the problem, and the random number generator's seeding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

void hv__rng_seed(rng *g, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) {
    x += 0x9E3779B97F4A7C15ull;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    g->s[i] = z ^ (z >> 31);
  }
}

void hv_solution_free(hv_solution *s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->nroutes; i++) {
    free(s->routes[i].jobs);
    free(s->routes[i].arrival);
    free(s->routes[i].start);
    free(s->routes[i].via_start);
  }
  free(s->routes);
  free(s->unassigned);
  free(s);
}

/* Schedules a feasible route: earliest service starts, with the departure
 * delayed so that nobody waits at the first stop, and a return to the
 * start location wherever a wait would exceed the vehicle's max_wait. */
static void schedule(const model *md, hv_route *rt) {
  const hv_problem *p = md->p;
  const hv_vehicle *vh = &p->veh[rt->vehicle];
  for (int pass = 0; pass < 2; pass++) {
    double t = pass == 0 ? vh->open : rt->depart, svc = 0;
    size_t prev = vh->start;
    rt->distance = rt->travel_time = 0;
    for (size_t k = 0; k < rt->njobs; k++) {
      const hv_job *j = &p->jobs[rt->jobs[k]];
      double tt = hv_problem_time(p, prev, j->location);
      double dd = hv_problem_dist(p, prev, j->location);
      rt->arrival[k] = t + svc + tt;
      rt->start[k] = tw_start(j, rt->arrival[k]);
      bool back = false;
      if (k > 0)
        (void)leg_extra(md, vh, prev, j->location, t + svc, rt->start[k],
                        &back);
      rt->via_start[k] = back;
      if (back) {
        tt = hv_problem_time(p, prev, vh->start) +
             hv_problem_time(p, vh->start, j->location);
        dd = hv_problem_dist(p, prev, vh->start) +
             hv_problem_dist(p, vh->start, j->location);
        rt->arrival[k] = rt->start[k];
      }
      t = rt->start[k];
      svc = j->service;
      rt->distance += dd;
      rt->travel_time += tt;
      prev = j->location;
    }
    double tt = hv_problem_time(p, prev, vh->end);
    rt->back = t + svc + tt;
    rt->distance += hv_problem_dist(p, prev, vh->end);
    rt->travel_time += tt;
    if (pass == 0) {
      double wait = rt->njobs ? rt->start[0] - rt->arrival[0] : 0;
      rt->depart = vh->open + (wait > 0 ? wait : 0);
      if (wait <= 0) break;
    }
  }
}

hv_solution *hv__sol_export(const model *md, const sol *s) {
  hv_solution *out = calloc(1, sizeof *out);
  if (out == NULL) return NULL;
  out->routes = calloc((size_t)s->nused + 1, sizeof *out->routes);
  out->unassigned = malloc(((size_t)md->n + 1) * sizeof *out->unassigned);
  if (!out->routes || !out->unassigned) goto oom;
  for (int v = 0; v < s->m; v++) {
    const route *r = &s->r[v];
    if (r->n == 0) continue;
    hv_route *rt = &out->routes[out->nroutes++];
    rt->vehicle = (size_t)v;
    rt->njobs = (size_t)r->n;
    rt->jobs = malloc((size_t)r->n * sizeof *rt->jobs);
    rt->arrival = malloc((size_t)r->n * sizeof *rt->arrival);
    rt->start = malloc((size_t)r->n * sizeof *rt->start);
    rt->via_start = calloc((size_t)r->n, sizeof *rt->via_start);
    if (!rt->jobs || !rt->arrival || !rt->start || !rt->via_start) goto oom;
    for (int k = 0; k < r->n; k++)
      rt->jobs[k] = (size_t)r->job[k];
    schedule(md, rt);
    out->distance += rt->distance;
    out->travel_time += rt->travel_time;
    for (int k = 0; k < r->n; k++)
      out->prize += md->job[r->job[k]].prize;
  }
  for (int j = 0; j < md->n; j++)
    if (s->where[j] < 0) out->unassigned[out->nunassigned++] = (size_t)j;
  return out;
oom:
  hv_solution_free(out);
  return NULL;
}

bool hv__sol_import(const model *md, sol *s, const hv_solution *in) {
  uint8_t *seen = calloc((size_t)md->n + 1, 1);
  int *buf = malloc(((size_t)md->n + 1) * sizeof *buf);
  if (seen == NULL || buf == NULL) {
    free(seen);
    free(buf);
    return false;
  }
  for (size_t i = 0; i < in->nroutes; i++) {
    const hv_route *rt = &in->routes[i];
    if (rt->vehicle >= (size_t)md->m || s->r[rt->vehicle].n > 0) continue;
    int n = 0;
    for (size_t k = 0; k < rt->njobs; k++)
      if (rt->jobs[k] < (size_t)md->n && !seen[rt->jobs[k]])
        buf[n++] = (int)rt->jobs[k];
    double cost;
    /* Keep the longest feasible prefix: a start that no longer fits (a
     * changed problem) still helps as far as it goes. */
    while (n > 0 && !hv__sequence_feasible(md, (int)rt->vehicle, buf, n, &cost))
      n--;
    route *r = &s->r[rt->vehicle];
    if (n == 0 || !hv__route_reserve(r, n)) continue;
    memcpy(r->job, buf, (size_t)n * sizeof *buf);
    r->n = n;
    for (int k = 0; k < n; k++)
      seen[buf[k]] = 1;
    hv__route_update(md, r);
  }
  free(seen);
  free(buf);
  hv__sol_recount(md, s);
  return true;
}

double hv_solution_cost(const hv_problem *p, const hv_solution *s) {
  model md;
  if (hv__model_build(&md, p, NULL) != HV_OK) return NAN;
  double c = 0;
  for (size_t i = 0; i < s->nroutes; i++) {
    c += s->routes[i].distance;
    if (md.bonus)
      for (size_t k = 0; k < s->routes[i].njobs; k++)
        c -= md.bonus[s->routes[i].jobs[k] * (size_t)md.m +
                      s->routes[i].vehicle];
    if (p->obj == HV_OBJ_VEHICLES) c += md.vehicle_cost;
    c += md.balance * (double)s->routes[i].njobs * (double)s->routes[i].njobs;
  }
  for (size_t i = 0; i < s->nunassigned; i++)
    c += p->obj == HV_OBJ_PRIZE
             ? p->jobs[s->unassigned[i]].prize * md.prize_weight
             : md.unassigned_penalty;
  hv__model_free(&md);
  return c;
}

/* ---- the checker ---------------------------------------------------- */

static hv_status bad(hv_error *err, const char *fmt, size_t a, size_t b)
    HV_PRINTF(2, 0);
static hv_status bad(hv_error *err, const char *fmt, size_t a, size_t b) {
  char text[256];
  snprintf(text, sizeof text, fmt, a, b);
  return hv_error_set(err, HV_E_INPUT, (hv_where){.source = "solution"}, "%s",
                      text);
}

hv_status hv_solution_check(const hv_problem *p, const hv_solution *s,
                            hv_error *err) {
  const double eps = 1e-6;
  uint8_t *served = calloc(p->njobs + 1, 1);
  uint8_t *used = calloc(p->nveh + 1, 1);
  hv_status st = HV_OK;
  if (!served || !used) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < s->nroutes && st == HV_OK; i++) {
    const hv_route *rt = &s->routes[i];
    if (rt->vehicle >= p->nveh) {
      st = bad(err, "route %zu uses vehicle %zu, which does not exist", i,
               rt->vehicle);
      break;
    }
    if (used[rt->vehicle]++) {
      st = bad(err, "vehicle %zu has two routes (route %zu)", rt->vehicle, i);
      break;
    }
    const hv_vehicle *vh = &p->veh[rt->vehicle];
    if (vh->max_jobs > 0 && rt->njobs > (size_t)vh->max_jobs) {
      st =
          bad(err, "route %zu has more than %zu jobs", i, (size_t)vh->max_jobs);
      break;
    }
    double t = vh->open, load = 0, svc = 0;
    size_t prev = vh->start;
    for (size_t k = 0; k < rt->njobs && st == HV_OK; k++) {
      size_t jn = rt->jobs[k];
      if (jn >= p->njobs) {
        st = bad(err, "route %zu visits job %zu, which does not exist", i, jn);
        break;
      }
      if (served[jn]++) {
        st = bad(err, "job %zu is served twice (route %zu)", jn, i);
        break;
      }
      const hv_job *j = &p->jobs[jn];
      if ((j->skills & ~vh->skills) != 0) {
        st =
            bad(err, "job %zu needs skills vehicle %zu lacks", jn, rt->vehicle);
        break;
      }
      if (!hv__allowed(p, jn, rt->vehicle))
        st = bad(err, "job %zu may not go on vehicle %zu", jn, rt->vehicle);
      double arrive = t + svc + hv_problem_time(p, prev, j->location);
      if (rt->via_start && rt->via_start[k]) {
        if (k == 0) {
          st = bad(err, "route %zu goes back to its start before job %zu", i,
                   jn);
          break;
        }
        arrive = t + svc + hv_problem_time(p, prev, vh->start) +
                 hv_problem_time(p, vh->start, j->location);
      }
      double start = arrive;
      bool in = j->ntw == 0;
      for (size_t w = 0; w < j->ntw && !in; w++) {
        if (arrive <= j->tw[w].close + eps) {
          start = arrive > j->tw[w].open ? arrive : j->tw[w].open;
          in = true;
        }
      }
      if (!in) {
        st = bad(err, "job %zu is reached after its last window (route %zu)",
                 jn, i);
        break;
      }
      t = start;
      svc = j->service;
      load += j->demand;
      prev = j->location;
    }
    if (st != HV_OK) break;
    if (vh->capacity > 0 && load > vh->capacity + eps) {
      st = bad(err, "route %zu carries more than vehicle %zu's capacity", i,
               rt->vehicle);
      break;
    }
    if (t + svc + hv_problem_time(p, prev, vh->end) > vh->close + eps) {
      st = bad(err, "route %zu returns after vehicle %zu's end of work", i,
               rt->vehicle);
      break;
    }
  }
  for (size_t i = 0; st == HV_OK && i < s->nunassigned; i++)
    if (s->unassigned[i] >= p->njobs || served[s->unassigned[i]]++)
      st = bad(err, "job %zu is listed unassigned but served (entry %zu)",
               s->unassigned[i], i);
  for (size_t j = 0; st == HV_OK && j < p->njobs; j++)
    if (!served[j])
      st = bad(err, "job %zu is neither served nor unassigned", j, 0);
done:
  free(served);
  free(used);
  return st;
}
