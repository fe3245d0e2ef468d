/* solver/problem.c -- building an hv_problem and deriving the search's
 * model from it: compatibility of jobs and vehicles, vehicle types,
 * neighbour lists and the weights that fold lexicographic objectives into
 * one number. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

static hv_where nowhere(void) {
  return (hv_where){.source = "solver"};
}

hv_problem *hv_problem_create(size_t nloc, const double *time,
                              const double *dist, hv_error *err) {
  if (nloc == 0 || nloc > 100000 || time == NULL) {
    hv_error_set(err, HV_E_RANGE, nowhere(),
                 "a problem needs 1 to 100000 locations and a time matrix");
    return NULL;
  }
  for (size_t k = 0; k < nloc * nloc; k++) {
    if (!(time[k] >= 0) || (dist && !(dist[k] >= 0)) || isnan(time[k])) {
      hv_error_set(err, HV_E_RANGE, nowhere(),
                   "matrix entry %zu -> %zu is negative or not a number",
                   k / nloc, k % nloc);
      return NULL;
    }
  }
  hv_problem *p = calloc(1, sizeof *p);
  if (p == NULL) goto oom;
  p->nloc = nloc;
  /* Without a distance matrix, distance is time: one matrix serves both. */
  p->time = malloc(nloc * nloc * sizeof *p->time);
  p->dist = dist ? malloc(nloc * nloc * sizeof *p->dist) : p->time;
  if (p->time == NULL || p->dist == NULL) goto oom;
  memcpy(p->time, time, nloc * nloc * sizeof *time);
  if (dist) memcpy(p->dist, dist, nloc * nloc * sizeof *dist);
  for (size_t k = 0; k < nloc * nloc; k++) {
    if (p->time[k] > HV_SOLVER_UNREACHABLE) p->time[k] = HV_SOLVER_UNREACHABLE;
    if (p->dist[k] > HV_SOLVER_UNREACHABLE) p->dist[k] = HV_SOLVER_UNREACHABLE;
  }
  p->obj = HV_OBJ_PRIZE;
  return p;
oom:
  hv_problem_free(p);
  hv_error_set(err, HV_E_NOMEM, nowhere(), "out of memory");
  return NULL;
}

void hv_problem_free(hv_problem *p) {
  if (p == NULL) return;
  if (p->dist != p->time) free(p->dist);
  free(p->time);
  free(p->jobs);
  free(p->veh);
  free(p->ov);
  free(p->ov_table);
  free(p);
}

static bool grow(void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return true;
  size_t nc = *cap ? *cap * 2 : 64;
  void *na = realloc(*arr, nc * elem);
  if (na == NULL) return false;
  *arr = na;
  *cap = nc;
  return true;
}

hv_status hv_problem_add_job(hv_problem *p, const hv_job *job, size_t *index,
                             hv_error *err) {
  if (job->location >= p->nloc)
    return hv_error_set(err, HV_E_RANGE, nowhere(),
                        "job location %zu is not in the matrix", job->location);
  if (job->ntw > HV_MAX_TW)
    return hv_error_set(err, HV_E_RANGE, nowhere(),
                        "a job has more than %d time windows", HV_MAX_TW);
  if (!(job->service >= 0) || !(job->demand >= 0) || !(job->prize >= 0))
    return hv_error_set(err, HV_E_RANGE, nowhere(),
                        "service, demand and prize must be >= 0");
  for (size_t w = 0; w < job->ntw; w++) {
    if (!(job->tw[w].open <= job->tw[w].close))
      return hv_error_set(err, HV_E_RANGE, nowhere(),
                          "time window %zu ends before it opens", w);
    if (w > 0 && !(job->tw[w - 1].close < job->tw[w].open))
      return hv_error_set(err, HV_E_RANGE, nowhere(),
                          "time windows must be sorted and disjoint");
  }
  if (p->njobs >= (size_t)1 << 24)
    return hv_error_set(err, HV_E_RANGE, nowhere(), "too many jobs");
  if (!grow((void **)&p->jobs, &p->jobs_cap, p->njobs, sizeof *p->jobs))
    return hv_error_set(err, HV_E_NOMEM, nowhere(), "out of memory");
  p->jobs[p->njobs] = *job;
  if (index) *index = p->njobs;
  p->njobs++;
  return HV_OK;
}

hv_status hv_problem_add_vehicle(hv_problem *p, const hv_vehicle *v,
                                 size_t *index, hv_error *err) {
  if (v->start >= p->nloc || v->end >= p->nloc)
    return hv_error_set(err, HV_E_RANGE, nowhere(),
                        "vehicle start/end is not in the matrix");
  if (!(v->open <= v->close) || v->max_jobs < 0 || !(v->max_wait >= 0))
    return hv_error_set(err, HV_E_RANGE, nowhere(),
                        "vehicle window ends before it opens");
  if (p->nveh >= 100000)
    return hv_error_set(err, HV_E_RANGE, nowhere(), "too many vehicles");
  if (!grow((void **)&p->veh, &p->veh_cap, p->nveh, sizeof *p->veh))
    return hv_error_set(err, HV_E_NOMEM, nowhere(), "out of memory");
  p->veh[p->nveh] = *v;
  if (index) *index = p->nveh;
  p->nveh++;
  return HV_OK;
}

void hv_problem_set_balance(hv_problem *p, double w) {
  p->balance = w > 0 ? w : 0;
}

void hv_problem_set_objective(hv_problem *p, hv_objective obj) {
  p->obj = obj;
}

static size_t ov_slot(const hv_problem *p, size_t job, size_t vehicle) {
  uint64_t h = (uint64_t)job * 0x9E3779B97F4A7C15ull ^
               (uint64_t)vehicle * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  return (size_t)h & (p->ov_tsize - 1);
}

/* The (job, vehicle) override, created on first use; a hash table keeps a
 * planner's hundreds of thousands of preferences linear to set. */
static override *find_override(hv_problem *p, size_t job, size_t vehicle) {
  if (p->ov_table) {
    for (size_t i = ov_slot(p, job, vehicle); p->ov_table[i];
         i = (i + 1) & (p->ov_tsize - 1)) {
      override *o = &p->ov[p->ov_table[i] - 1];
      if (o->job == job && o->vehicle == vehicle) return o;
    }
  }
  if (!grow((void **)&p->ov, &p->ov_cap, p->nov, sizeof *p->ov)) return NULL;
  if (2 * (p->nov + 1) > p->ov_tsize) {
    size_t ts = p->ov_tsize ? p->ov_tsize * 2 : 1024;
    size_t *t = calloc(ts, sizeof *t);
    if (t == NULL) return NULL;
    free(p->ov_table);
    p->ov_table = t;
    p->ov_tsize = ts;
    for (size_t k = 0; k < p->nov; k++) {
      size_t i = ov_slot(p, p->ov[k].job, p->ov[k].vehicle);
      while (t[i])
        i = (i + 1) & (ts - 1);
      t[i] = k + 1;
    }
  }
  size_t i = ov_slot(p, job, vehicle);
  while (p->ov_table[i])
    i = (i + 1) & (p->ov_tsize - 1);
  p->ov_table[i] = p->nov + 1;
  p->ov[p->nov] = (override){job, vehicle, true, 0.0};
  return &p->ov[p->nov++];
}

bool hv__allowed(const hv_problem *p, size_t job, size_t vehicle) {
  if (p->ov_table == NULL) return true;
  for (size_t i = ov_slot(p, job, vehicle); p->ov_table[i];
       i = (i + 1) & (p->ov_tsize - 1)) {
    const override *o = &p->ov[p->ov_table[i] - 1];
    if (o->job == job && o->vehicle == vehicle) return o->allowed;
  }
  return true;
}

hv_status hv_problem_set_allowed(hv_problem *p, size_t job, size_t vehicle,
                                 bool allowed) {
  if (job >= p->njobs || vehicle >= p->nveh) return HV_E_RANGE;
  override *o = find_override(p, job, vehicle);
  if (o == NULL) return HV_E_NOMEM;
  o->allowed = allowed;
  return HV_OK;
}

hv_status hv_problem_set_bonus(hv_problem *p, size_t job, size_t vehicle,
                               double bonus) {
  if (job >= p->njobs || vehicle >= p->nveh || !(bonus >= 0)) return HV_E_RANGE;
  override *o = find_override(p, job, vehicle);
  if (o == NULL) return HV_E_NOMEM;
  o->bonus = bonus;
  return HV_OK;
}

size_t hv_problem_jobs(const hv_problem *p) {
  return p->njobs;
}
size_t hv_problem_vehicles(const hv_problem *p) {
  return p->nveh;
}
const hv_job *hv_problem_job(const hv_problem *p, size_t j) {
  return j < p->njobs ? &p->jobs[j] : NULL;
}
const hv_vehicle *hv_problem_vehicle(const hv_problem *p, size_t v) {
  return v < p->nveh ? &p->veh[v] : NULL;
}
hv_objective hv_problem_objective(const hv_problem *p) {
  return p->obj;
}
double hv_problem_time(const hv_problem *p, size_t from, size_t to) {
  return p->time[from * p->nloc + to];
}
double hv_problem_dist(const hv_problem *p, size_t from, size_t to) {
  return p->dist[from * p->nloc + to];
}

/* ---- the model ------------------------------------------------------ */

/* Whether job j alone fits on vehicle v (windows, capacity). */
static bool alone_fits(const hv_problem *p, const hv_job *j,
                       const hv_vehicle *v) {
  if (v->capacity > 0 && j->demand > v->capacity + EPS) return false;
  double t1 = p->time[v->start * p->nloc + j->location];
  double t2 = p->time[j->location * p->nloc + v->end];
  if (t1 >= HV_SOLVER_UNREACHABLE || t2 >= HV_SOLVER_UNREACHABLE) return false;
  double s = tw_start(j, v->open + t1);
  return isfinite(s) && s + j->service + t2 <= v->close + EPS;
}

typedef struct nb_key {
  double d;
  int k;
} nb_key;

static int cmp_nb(const void *a, const void *b) {
  const nb_key *x = a, *y = b;
  if (x->d != y->d) return x->d < y->d ? -1 : 1;
  return x->k - y->k;
}

static bool same_vehicle(const model *md, int a, int b) {
  const hv_vehicle *x = &md->veh[a], *y = &md->veh[b];
  if (x->start != y->start || x->end != y->end || x->open != y->open ||
      x->close != y->close || x->skills != y->skills ||
      x->capacity != y->capacity || x->max_jobs != y->max_jobs ||
      x->max_wait != y->max_wait)
    return false;
  for (int j = 0; j < md->n; j++) {
    if (md->compat[(size_t)j * md->m + a] != md->compat[(size_t)j * md->m + b])
      return false;
    if (md->bonus &&
        md->bonus[(size_t)j * md->m + a] != md->bonus[(size_t)j * md->m + b])
      return false;
  }
  return true;
}

void hv__model_free(model *md) {
  free(md->latest_close);
  free(md->compat);
  free(md->bonus);
  free(md->vtype);
  free(md->type_count);
  free(md->type_first);
  free(md->nb);
  memset(md, 0, sizeof *md);
}

hv_status hv__model_build(model *md, const hv_problem *p, hv_error *err) {
  memset(md, 0, sizeof *md);
  md->p = p;
  md->n = (int)p->njobs;
  md->m = (int)p->nveh;
  md->nloc = p->nloc;
  md->T = p->time;
  md->D = p->dist;
  md->obj = p->obj;
  md->balance = p->balance;
  for (size_t v = 0; v < p->nveh; v++)
    md->idle_returns |= p->veh[v].max_wait > 0;
  md->job = p->jobs;
  md->veh = p->veh;
  int n = md->n, m = md->m;
  md->latest_close = malloc(((size_t)n + 1) * sizeof *md->latest_close);
  md->compat = calloc((size_t)n * m + 1, 1);
  md->vtype = malloc(((size_t)m + 1) * sizeof *md->vtype);
  md->type_count = calloc((size_t)m + 1, sizeof *md->type_count);
  md->type_first = malloc(((size_t)m + 1) * sizeof *md->type_first);
  md->knb = n - 1 < 100 ? n - 1 : 100;
  if (md->knb < 0) md->knb = 0;
  md->nb = malloc(((size_t)n * md->knb + 1) * sizeof *md->nb);
  if (!md->latest_close || !md->compat || !md->vtype || !md->type_count ||
      !md->type_first || !md->nb)
    goto oom;
  for (size_t i = 0; i < p->nov; i++)
    if (p->ov[i].bonus > 0 && md->bonus == NULL) {
      md->bonus = calloc((size_t)n * m + 1, sizeof *md->bonus);
      if (md->bonus == NULL) goto oom;
    }
  for (int j = 0; j < n; j++) {
    const hv_job *jb = &p->jobs[j];
    md->latest_close[j] = jb->ntw ? jb->tw[jb->ntw - 1].close : INFINITY;
    for (int v = 0; v < m; v++) {
      const hv_vehicle *vh = &p->veh[v];
      md->compat[(size_t)j * m + v] =
          (jb->skills & ~vh->skills) == 0 && alone_fits(p, jb, vh);
    }
  }
  for (size_t i = 0; i < p->nov; i++) {
    size_t k = p->ov[i].job * (size_t)m + p->ov[i].vehicle;
    if (!p->ov[i].allowed) md->compat[k] = 0;
    if (md->bonus) md->bonus[k] = p->ov[i].bonus;
  }
  /* Vehicle types: identical vehicles share one, so that the search tries
   * one empty route per type rather than every empty vehicle. */
  md->ntypes = 0;
  for (int v = 0; v < m; v++) {
    int t = -1;
    for (int k = 0; k < md->ntypes && t < 0; k++)
      if (same_vehicle(md, md->type_first[k], v)) t = k;
    if (t < 0) {
      t = md->ntypes++;
      md->type_first[t] = v;
    }
    md->vtype[v] = t;
    md->type_count[t]++;
  }
  /* Nearest neighbours by round-trip travel time. */
  if (md->knb > 0) {
    nb_key *keys = malloc((size_t)n * sizeof *keys);
    if (keys == NULL) goto oom;
    for (int j = 0; j < n; j++) {
      size_t lj = p->jobs[j].location;
      int c = 0;
      for (int k = 0; k < n; k++) {
        if (k == j) continue;
        size_t lk = p->jobs[k].location;
        keys[c++] = (nb_key){
            p->time[lj * p->nloc + lk] + p->time[lk * p->nloc + lj], k};
      }
      qsort(keys, (size_t)c, sizeof *keys, cmp_nb);
      for (int k = 0; k < md->knb; k++)
        md->nb[(size_t)j * md->knb + k] = keys[k].k;
    }
    free(keys);
  }
  /* A bound on any solution's distance: every job and route end adds at
   * most the largest finite edge.  Penalties and weights above it make
   * the folded objective lexicographic. */
  double maxd = 0;
  for (size_t k = 0; k < p->nloc * p->nloc; k++)
    if (p->dist[k] < HV_SOLVER_UNREACHABLE && p->dist[k] > maxd)
      maxd = p->dist[k];
  double maxbonus = 0;
  for (size_t i = 0; i < p->nov; i++)
    if (p->ov[i].bonus > maxbonus) maxbonus = p->ov[i].bonus;
  double bound = (maxd + 1.0 + maxbonus) * ((double)n + 2.0 * m + 1.0) +
                 p->balance * (double)n * (double)n;
  md->unassigned_penalty = 10.0 * bound;
  md->vehicle_cost = bound;
  double unit = INFINITY;
  for (int j = 0; j < n; j++)
    if (p->jobs[j].prize > 0 && p->jobs[j].prize < unit)
      unit = p->jobs[j].prize;
  md->prize_weight = isfinite(unit) ? bound / unit : bound;
  return HV_OK;
oom:
  hv__model_free(md);
  return hv_error_set(err, HV_E_NOMEM, nowhere(), "out of memory");
}
