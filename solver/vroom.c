/* solver/vroom.c -- VROOM's documented JSON, in and out, so that anyone
 * who runs VROOM can try this engine on their own files.
 *
 * In: "jobs" (id, location_index, service, delivery and pickup of one
 * dimension, skills, priority 0..100, time_windows, description) and
 * "vehicles" (id, start_index, end_index, capacity of one dimension,
 * skills, time_window, max_tasks, profile, description) over one profile
 * of "matrices" (durations, and costs when given).  Coordinates are turned
 * into a matrix by the caller (the solver knows no geography).  Anything
 * else (shipments, breaks, setup times, several amount dimensions, ...) is
 * refused with its name, never ignored.
 *
 * The objective is VROOM's order: the priority of the jobs served first,
 * then how many, then the cost.  Out: "code", "summary", "unassigned" and
 * "routes" with "steps", as VROOM writes them. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

#define MAX_SKILLS 64

struct hv_vroom {
  size_t nloc;  /* the matrix's size (plus a free "anywhere" location) */
  size_t dummy; /* the free location, or SIZE_MAX */
  size_t njobs, nveh;
  long long *job_id, *veh_id;
  long *job_loc;               /* location_index as given */
  long *veh_start, *veh_end;   /* -1: none */
  double *delivery, *pickup;   /* per job */
  int *priority;               /* per job */
  char **job_desc, **veh_desc; /* or NULL */
  double *cost;                /* nloc x nloc: the cost matrix */
  bool has_capacity;
};

void hv_vroom_free(hv_vroom *v) {
  if (v == NULL) return;
  for (size_t i = 0; v->job_desc && i < v->njobs; i++)
    free(v->job_desc[i]);
  for (size_t i = 0; v->veh_desc && i < v->nveh; i++)
    free(v->veh_desc[i]);
  free(v->job_id), free(v->veh_id), free(v->job_loc), free(v->veh_start);
  free(v->veh_end), free(v->delivery), free(v->pickup), free(v->priority);
  free(v->job_desc), free(v->veh_desc), free(v->cost);
  free(v);
}

typedef struct rd {
  const char *name;
  hv_error *err;
  hv_status st;
} rd;

static bool bad(rd *r, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool bad(rd *r, const char *field, const char *fmt, ...) {
  if (r->st != HV_OK) return false;
  char text[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  r->st =
      hv_error_set(r->err, HV_E_INPUT,
                   (hv_where){.source = r->name, .field = field}, "%s", text);
  return false;
}

/* Every key of o is one of known; else refused by name. */
static bool keys_ok(rd *r, json_t *o, const char *where,
                    const char *const *known) {
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    bool ok = false;
    for (size_t i = 0; known[i] && !ok; i++)
      ok = strcmp(k, known[i]) == 0;
    if (!ok)
      return bad(r, where,
                 "'%s' is not supported by hvplan's engine (it is not "
                 "ignored: remove it to solve without it)",
                 k);
  }
  return true;
}

static bool int_of(json_t *v, long long lo, long long hi, long long *out) {
  if (!json_is_integer(v)) return false;
  long long x = json_integer_value(v);
  if (x < lo || x > hi) return false;
  *out = x;
  return true;
}

/* A one-dimension amount ([n]) into *out; [] or absent is 0. */
static bool amount(rd *r, json_t *v, const char *field, double *out) {
  *out = 0;
  if (v == NULL) return true;
  long long x = 0;
  if (!json_is_array(v) || json_array_size(v) > 1 ||
      (json_array_size(v) == 1 &&
       !int_of(json_array_get(v, 0), 0, 1LL << 40, &x)))
    return bad(r, field,
               "only amounts of one dimension are supported ([n] with n >= "
               "0)");
  if (json_array_size(v) == 1) *out = (double)x;
  return true;
}

static bool skills_of(rd *r, json_t *v, const char *field, long long *map,
                      size_t *nmap, uint64_t *bits) {
  *bits = 0;
  if (v == NULL) return true;
  if (!json_is_array(v)) return bad(r, field, "expected a list of integers");
  size_t i;
  json_t *s;
  json_array_foreach(v, i, s) {
    long long x;
    if (!int_of(s, 0, 1LL << 40, &x))
      return bad(r, field, "expected a list of integers");
    size_t k = 0;
    while (k < *nmap && map[k] != x)
      k++;
    if (k == *nmap) {
      if (*nmap == MAX_SKILLS)
        return bad(r, field, "at most %d distinct skills", MAX_SKILLS);
      map[(*nmap)++] = x;
    }
    *bits |= (uint64_t)1 << k;
  }
  return true;
}

static bool index_of(rd *r, json_t *o, const char *key, const char *field,
                     size_t n, long *out) {
  json_t *v = json_object_get(o, key);
  *out = -1;
  if (v == NULL) return true;
  long long x;
  if (!int_of(v, 0, (long long)n - 1, &x))
    return bad(r, field, "%s must be an index into the matrices (0..%zu)", key,
               n - 1);
  *out = (long)x;
  return true;
}

/* A matrix (n x n, integers >= 0) into m. */
static bool matrix(rd *r, json_t *v, const char *field, size_t *n, double **m) {
  if (!json_is_array(v) || json_array_size(v) == 0)
    return bad(r, field, "expected a square matrix of integers");
  size_t size = json_array_size(v);
  if (*n != 0 && *n != size)
    return bad(r, field, "durations and costs must have the same size");
  if (size > 20000) return bad(r, field, "at most 20,000 locations");
  *n = size;
  *m = malloc(size * size * sizeof **m);
  if (*m == NULL) return bad(r, field, "out of memory");
  for (size_t i = 0; i < size; i++) {
    json_t *row = json_array_get(v, i);
    if (!json_is_array(row) || json_array_size(row) != size)
      return bad(r, field, "row %zu has not %zu entries", i, size);
    for (size_t j = 0; j < size; j++) {
      json_t *x = json_array_get(row, j);
      if (!json_is_number(x) || json_number_value(x) < 0)
        return bad(r, field, "entry [%zu][%zu] is not a number >= 0", i, j);
      (*m)[i * size + j] = json_number_value(x);
    }
  }
  return true;
}

hv_status hv_vroom_parse(const char *text, size_t len, const char *name,
                         hv_problem **out, hv_vroom **ctx, hv_error *err) {
  *out = NULL;
  *ctx = NULL;
  rd r = {name, err, HV_OK};
  json_error_t je;
  json_t *root = json_loadb(text, len, 0, &je);
  if (!json_is_object(root)) {
    json_decref(root);
    return hv_error_set(
        err, HV_E_PARSE,
        (hv_where){.source = name,
                   .line = (uint32_t)(je.line > 0 ? je.line : 0),
                   .column = (uint32_t)(je.column > 0 ? je.column : 0)},
        "invalid JSON: %s", je.text);
  }
  hv_vroom *v = calloc(1, sizeof *v);
  double *dur = NULL, *cost = NULL;
  hv_problem *p = NULL;
  long long skill_map[MAX_SKILLS];
  size_t nskills = 0;
  static const char *const root_keys[] = {"jobs", "vehicles", "matrices", NULL};
  json_t *jobs = json_object_get(root, "jobs"),
         *vehs = json_object_get(root, "vehicles"),
         *mats = json_object_get(root, "matrices");
  const char *profile = NULL;
  size_t n = 0;
  if (v == NULL) bad(&r, NULL, "out of memory");
  if (!keys_ok(&r, root, "(top level)", root_keys)) goto done;
  if (!json_is_array(jobs) || !json_is_array(vehs) ||
      json_array_size(vehs) == 0) {
    bad(&r, "jobs", "give \"jobs\" and at least one of \"vehicles\"");
    goto done;
  }
  if (!json_is_object(mats) || json_object_size(mats) != 1) {
    bad(&r, "matrices",
        "give one profile of \"matrices\" with \"durations\" (and "
        "\"costs\"), or coordinates for hvplan to compute them");
    goto done;
  }
  {
    json_t *pm;
    json_object_foreach(mats, profile, pm) {
      static const char *const mkeys[] = {"durations", "costs", NULL};
      if (!json_is_object(pm) || !keys_ok(&r, pm, "matrices", mkeys)) break;
      if (!matrix(&r, json_object_get(pm, "durations"), "matrices.durations",
                  &n, &dur))
        break;
      if (json_object_get(pm, "costs") &&
          !matrix(&r, json_object_get(pm, "costs"), "matrices.costs", &n,
                  &cost))
        break;
    }
  }
  if (r.st != HV_OK) goto done;
  size_t nj = json_array_size(jobs), nv = json_array_size(vehs);
  v->njobs = nj, v->nveh = nv;
  v->job_id = calloc(nj + 1, sizeof *v->job_id);
  v->veh_id = calloc(nv + 1, sizeof *v->veh_id);
  v->job_loc = calloc(nj + 1, sizeof *v->job_loc);
  v->veh_start = calloc(nv + 1, sizeof *v->veh_start);
  v->veh_end = calloc(nv + 1, sizeof *v->veh_end);
  v->delivery = calloc(nj + 1, sizeof *v->delivery);
  v->pickup = calloc(nj + 1, sizeof *v->pickup);
  v->priority = calloc(nj + 1, sizeof *v->priority);
  v->job_desc = calloc(nj + 1, sizeof *v->job_desc);
  v->veh_desc = calloc(nv + 1, sizeof *v->veh_desc);
  if (!v->job_id || !v->veh_id || !v->job_loc || !v->veh_start || !v->veh_end ||
      !v->delivery || !v->pickup || !v->priority || !v->job_desc ||
      !v->veh_desc) {
    bad(&r, NULL, "out of memory");
    goto done;
  }
  /* Vehicles first: whether a free "anywhere" location is needed. */
  bool need_dummy = false;
  for (size_t i = 0; i < nv && r.st == HV_OK; i++) {
    json_t *o = json_array_get(vehs, i);
    char field[48];
    snprintf(field, sizeof field, "vehicles[%zu]", i);
    static const char *const vkeys[] = {
        "id",          "start_index", "end_index", "capacity",    "skills",
        "time_window", "max_tasks",   "profile",   "description", NULL};
    if (!json_is_object(o) || !keys_ok(&r, o, field, vkeys)) break;
    long long id;
    if (!int_of(json_object_get(o, "id"), 0, 1LL << 53, &id)) {
      bad(&r, field, "every vehicle needs an integer id");
      break;
    }
    for (size_t k = 0; k < i; k++)
      if (v->veh_id[k] == id) bad(&r, field, "vehicle id %lld twice", id);
    v->veh_id[i] = id;
    index_of(&r, o, "start_index", field, n, &v->veh_start[i]);
    index_of(&r, o, "end_index", field, n, &v->veh_end[i]);
    if (v->veh_start[i] < 0 && v->veh_end[i] < 0)
      bad(&r, field, "a vehicle needs start_index or end_index");
    need_dummy |= v->veh_start[i] < 0 || v->veh_end[i] < 0;
    json_t *pf = json_object_get(o, "profile");
    if (pf &&
        (!json_is_string(pf) || strcmp(json_string_value(pf), profile) != 0))
      bad(&r, field, "profile must be \"%s\", the matrices' profile", profile);
    json_t *d = json_object_get(o, "description");
    if (d && json_is_string(d)) v->veh_desc[i] = strdup(json_string_value(d));
  }
  if (r.st != HV_OK) goto done;
  /* The travel matrices, with the free location appended. */
  v->nloc = n + (need_dummy ? 1 : 0);
  v->dummy = need_dummy ? n : SIZE_MAX;
  size_t N = v->nloc;
  double *T = calloc(N * N, sizeof *T);
  v->cost = calloc(N * N, sizeof *v->cost);
  if (!T || !v->cost) {
    free(T);
    bad(&r, NULL, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      T[i * N + j] = dur[i * n + j];
      v->cost[i * N + j] = cost ? cost[i * n + j] : dur[i * n + j];
    }
  p = hv_problem_create(N, T, v->cost, err);
  free(T);
  if (p == NULL) {
    r.st = err ? err->code : HV_E_NOMEM;
    goto done;
  }
  /* Jobs. */
  long long kprio = (long long)nj + 1; /* priority first, then count */
  for (size_t i = 0; i < nj && r.st == HV_OK; i++) {
    json_t *o = json_array_get(jobs, i);
    char field[48];
    snprintf(field, sizeof field, "jobs[%zu]", i);
    static const char *const jkeys[] = {
        "id",     "location_index", "service",      "delivery",    "pickup",
        "skills", "priority",       "time_windows", "description", NULL};
    if (!json_is_object(o) || !keys_ok(&r, o, field, jkeys)) break;
    long long id, x = 0;
    if (!int_of(json_object_get(o, "id"), 0, 1LL << 53, &id)) {
      bad(&r, field, "every job needs an integer id");
      break;
    }
    for (size_t k = 0; k < i; k++)
      if (v->job_id[k] == id) bad(&r, field, "job id %lld twice", id);
    v->job_id[i] = id;
    index_of(&r, o, "location_index", field, n, &v->job_loc[i]);
    if (v->job_loc[i] < 0) bad(&r, field, "a job needs location_index");
    hv_job j = {.location = (size_t)(v->job_loc[i] < 0 ? 0 : v->job_loc[i])};
    json_t *sv = json_object_get(o, "service");
    if (sv && !int_of(sv, 0, 1LL << 40, &x))
      bad(&r, field, "service must be an integer >= 0");
    else if (sv)
      j.service = (double)x;
    amount(&r, json_object_get(o, "delivery"), field, &v->delivery[i]);
    amount(&r, json_object_get(o, "pickup"), field, &v->pickup[i]);
    json_t *pr = json_object_get(o, "priority");
    if (pr && !int_of(pr, 0, 100, &x))
      bad(&r, field, "priority must be an integer from 0 to 100");
    else
      v->priority[i] = pr ? (int)x : 0;
    skills_of(&r, json_object_get(o, "skills"), field, skill_map, &nskills,
              &j.skills);
    json_t *tws = json_object_get(o, "time_windows");
    if (tws) {
      if (!json_is_array(tws) || json_array_size(tws) > HV_MAX_TW)
        bad(&r, field, "time_windows: at most %d windows [start, end]",
            HV_MAX_TW);
      size_t w;
      json_t *tw;
      json_array_foreach(tws, w, tw) {
        long long a, b;
        if (!json_is_array(tw) || json_array_size(tw) != 2 ||
            !int_of(json_array_get(tw, 0), 0, 1LL << 40, &a) ||
            !int_of(json_array_get(tw, 1), 0, 1LL << 40, &b) || a > b ||
            (w > 0 && a <= j.tw[w - 1].close)) {
          bad(&r, field,
              "time_windows must be sorted, disjoint [start, end] pairs");
          break;
        }
        j.tw[j.ntw++] = (hv_tw){(double)a, (double)b};
      }
    }
    j.demand = v->delivery[i] + v->pickup[i];
    j.prize = (double)(v->priority[i] * kprio + 1);
    json_t *d = json_object_get(o, "description");
    if (d && json_is_string(d)) v->job_desc[i] = strdup(json_string_value(d));
    if (r.st == HV_OK) r.st = hv_problem_add_job(p, &j, NULL, err);
  }
  for (size_t i = 0; i < nv && r.st == HV_OK; i++) {
    json_t *o = json_array_get(vehs, i);
    char field[48];
    snprintf(field, sizeof field, "vehicles[%zu]", i);
    hv_vehicle vh = {
        .start = v->veh_start[i] >= 0 ? (size_t)v->veh_start[i] : v->dummy,
        .end = v->veh_end[i] >= 0 ? (size_t)v->veh_end[i] : v->dummy,
        .open = 0,
        .close = 1e12};
    double cap = 0;
    json_t *c = json_object_get(o, "capacity");
    if (c) {
      amount(&r, c, field, &cap);
      vh.capacity = cap > 0 ? cap : 1e-9; /* [0]: nothing fits */
      v->has_capacity = true;
    }
    skills_of(&r, json_object_get(o, "skills"), field, skill_map, &nskills,
              &vh.skills);
    json_t *tw = json_object_get(o, "time_window");
    long long a = 0, b = 0, mt = 0;
    if (tw && (!json_is_array(tw) || json_array_size(tw) != 2 ||
               !int_of(json_array_get(tw, 0), 0, 1LL << 40, &a) ||
               !int_of(json_array_get(tw, 1), 0, 1LL << 40, &b) || a > b))
      bad(&r, field, "time_window must be [start, end]");
    else if (tw)
      vh.open = (double)a, vh.close = (double)b;
    json_t *m = json_object_get(o, "max_tasks");
    if (m && !int_of(m, 0, 1 << 30, &mt))
      bad(&r, field, "max_tasks must be an integer >= 0");
    else if (m)
      vh.max_jobs = mt > 0 ? (int)mt : -1;
    if (vh.max_jobs < 0) {
      bad(&r, field, "max_tasks 0: drop the vehicle instead");
      break;
    }
    if (r.st == HV_OK) r.st = hv_problem_add_vehicle(p, &vh, NULL, err);
  }
  /* Pickups ride back with the deliveries' room: with both, hvplan's
   * single load would be wrong. */
  for (size_t i = 0; i < nj && r.st == HV_OK; i++)
    if (v->pickup[i] > 0 && v->has_capacity)
      bad(&r, "jobs",
          "pickup amounts with vehicle capacities are not "
          "supported (deliveries are)");
  if (r.st == HV_OK) hv_problem_set_objective(p, HV_OBJ_PRIZE);
done:
  json_decref(root);
  free(dur);
  free(cost);
  if (r.st != HV_OK) {
    hv_problem_free(p);
    hv_vroom_free(v);
    return r.st;
  }
  *out = p;
  *ctx = v;
  return HV_OK;
}

static json_t *loc_json(const hv_vroom *v, size_t loc) {
  return loc == v->dummy ? NULL : json_integer((json_int_t)loc);
}

char *hv_vroom_output(const hv_vroom *v, const hv_problem *p,
                      const hv_solution *s, double load_ms, double solve_ms) {
  json_t *routes = json_array(), *unassigned = json_array();
  double tot_cost = 0, tot_service = 0, tot_duration = 0, tot_wait = 0,
         tot_delivery = 0, tot_pickup = 0;
  long long tot_prio = 0;
  for (size_t i = 0; i < s->nroutes; i++) {
    const hv_route *rt = &s->routes[i];
    const hv_vehicle *vh = hv_problem_vehicle(p, rt->vehicle);
    double load = 0, service = 0, wait = 0, cost = 0, travel = 0;
    long long prio = 0;
    for (size_t k = 0; k < rt->njobs; k++)
      load += v->delivery[rt->jobs[k]];
    json_t *steps = json_array();
    json_t *st = json_pack("{s:s}", "type", "start");
    json_t *li = loc_json(v, vh->start);
    if (li) json_object_set_new(st, "location_index", li);
    json_object_set_new(st, "setup", json_integer(0));
    json_object_set_new(st, "service", json_integer(0));
    json_object_set_new(st, "waiting_time", json_integer(0));
    if (v->has_capacity)
      json_object_set_new(st, "load", json_pack("[I]", (json_int_t)load));
    json_object_set_new(st, "arrival", json_integer((json_int_t)rt->depart));
    json_object_set_new(st, "duration", json_integer(0));
    json_array_append_new(steps, st);
    size_t prev = vh->start;
    double t = rt->depart;
    for (size_t k = 0; k < rt->njobs; k++) {
      size_t j = rt->jobs[k];
      const hv_job *jb = hv_problem_job(p, j);
      double leg = hv_problem_time(p, prev, jb->location);
      travel += leg;
      cost += v->cost[prev * v->nloc + jb->location];
      double w = rt->start[k] - rt->arrival[k];
      wait += w;
      service += jb->service;
      prio += v->priority[j];
      load += v->pickup[j] - v->delivery[j];
      json_t *js =
          json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "type", "job", "id",
                    (json_int_t)v->job_id[j], "location_index",
                    (json_int_t)jb->location, "setup", (json_int_t)0, "service",
                    (json_int_t)jb->service, "waiting_time", (json_int_t)w);
      if (v->job_desc[j])
        json_object_set_new(js, "description", json_string(v->job_desc[j]));
      if (v->has_capacity)
        json_object_set_new(js, "load", json_pack("[I]", (json_int_t)load));
      json_object_set_new(js, "arrival",
                          json_integer((json_int_t)rt->arrival[k]));
      json_object_set_new(js, "duration", json_integer((json_int_t)travel));
      json_array_append_new(steps, js);
      t = rt->start[k] + jb->service;
      prev = jb->location;
    }
    double leg = hv_problem_time(p, prev, vh->end);
    travel += leg;
    cost += v->cost[prev * v->nloc + vh->end];
    json_t *en = json_pack("{s:s}", "type", "end");
    li = loc_json(v, vh->end);
    if (li) json_object_set_new(en, "location_index", li);
    json_object_set_new(en, "setup", json_integer(0));
    json_object_set_new(en, "service", json_integer(0));
    json_object_set_new(en, "waiting_time", json_integer(0));
    if (v->has_capacity)
      json_object_set_new(en, "load", json_pack("[I]", (json_int_t)load));
    json_object_set_new(en, "arrival", json_integer((json_int_t)(t + leg)));
    json_object_set_new(en, "duration", json_integer((json_int_t)travel));
    json_array_append_new(steps, en);
    double del = 0, pick = 0;
    for (size_t k = 0; k < rt->njobs; k++)
      del += v->delivery[rt->jobs[k]], pick += v->pickup[rt->jobs[k]];
    json_t *ro =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "vehicle",
                  (json_int_t)v->veh_id[rt->vehicle], "cost", (json_int_t)cost,
                  "setup", (json_int_t)0, "service", (json_int_t)service,
                  "duration", (json_int_t)travel, "waiting_time",
                  (json_int_t)wait, "priority", (json_int_t)prio);
    if (v->veh_desc[rt->vehicle])
      json_object_set_new(ro, "description",
                          json_string(v->veh_desc[rt->vehicle]));
    if (v->has_capacity) {
      json_object_set_new(ro, "delivery", json_pack("[I]", (json_int_t)del));
      json_object_set_new(ro, "pickup", json_pack("[I]", (json_int_t)pick));
    }
    json_object_set_new(ro, "steps", steps);
    json_array_append_new(routes, ro);
    tot_cost += cost, tot_service += service, tot_duration += travel;
    tot_wait += wait, tot_prio += prio, tot_delivery += del, tot_pickup += pick;
  }
  for (size_t u = 0; u < s->nunassigned; u++) {
    size_t j = s->unassigned[u];
    json_t *uo =
        json_pack("{s:I, s:s, s:I}", "id", (json_int_t)v->job_id[j], "type",
                  "job", "location_index", (json_int_t)v->job_loc[j]);
    if (v->job_desc[j])
      json_object_set_new(uo, "description", json_string(v->job_desc[j]));
    json_array_append_new(unassigned, uo);
  }
  json_t *sum = json_pack(
      "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}}", "cost",
      (json_int_t)tot_cost, "routes", (json_int_t)s->nroutes, "unassigned",
      (json_int_t)s->nunassigned, "setup", (json_int_t)0, "service",
      (json_int_t)tot_service, "duration", (json_int_t)tot_duration,
      "waiting_time", (json_int_t)tot_wait, "priority", (json_int_t)tot_prio,
      "computing_times", "loading", (json_int_t)load_ms, "solving",
      (json_int_t)solve_ms, "routing", (json_int_t)0);
  if (v->has_capacity) {
    json_object_set_new(sum, "delivery",
                        json_pack("[I]", (json_int_t)tot_delivery));
    json_object_set_new(sum, "pickup",
                        json_pack("[I]", (json_int_t)tot_pickup));
  }
  json_t *root = json_pack("{s:i, s:o, s:o, s:o}", "code", 0, "summary", sum,
                           "unassigned", unassigned, "routes", routes);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  return text;
}
