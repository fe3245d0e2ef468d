/* planner/plan/plan.c -- hv_plan_build(): a scenario to a week of routes.
 *
 * The model handed to the solver: location 0 is the school, then one per
 * household; time runs in minutes from Monday 00:00 of the week, so a
 * family's windows on several days are several windows of one job, and each
 * pair's day is a vehicle whose working window is that day's shared shift.
 * A visit's service time is its length plus the note-taking buffer; its
 * window bounds the start so that the visit itself ends inside the family's
 * window.  Languages are skills; priority is the prize.  Soft preferences
 * (continuity with a preferred staff member, urgent families early in the
 * week) are small savings in travel minutes. */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv/geo.h"
#include "hv/planning.h"
#include "hv/solver.h"
#include "plan_def.h"
#include "plan_int.h"

/* Soft preferences, in travel minutes. */
#define CONTINUITY_BONUS 20.0
/* A fair spread: a route of n visits costs n^2 / 2 travel minutes extra,
 * enough to share work out among near-equal plans, never to drop a visit. */
#define BALANCE_MINUTES 0.5
#define EARLY_BONUS_PER_DAY 1.0
/* A pinned visit outweighs every other family: the search never drops it
 * while it fits. */
#define PIN_PRIZE 1e7

void hv_planning_thread_done(void) {
  hv_solver_thread_done();
}

void hv_plan_options_init(hv_plan_options *o) {
  memset(o, 0, sizeof *o);
  o->time_limit_s = -1;
}

/* ---- travel times --------------------------------------------------- */

hv_status hv__travel_minutes(const hv_scenario *s, const hv_latlon *pts,
                             size_t n, double **out, hv_error *err) {
  *out = NULL;
  hv_travel *tr = NULL;
  hv_status st;
  if (s->travel.matrix == HV_MATRIX_OSRM) {
    /* Road times from the configured server; failing to reach it is an
     * error, never a silent switch to straight lines. */
    hv_http_options http;
    hv_http_options_init(&http);
    http.user_agent = s->geocoder.user_agent;
    st = hv_travel_osrm(s->travel.osrm_url, s->travel.osrm_profile, pts, n, 100,
                        &http, &tr, err);
  } else {
    st = hv_travel_geodesic(pts, n, pts[0], s->travel.speed_kmh,
                            s->travel.detour_factor, &tr, err);
  }
  if (st != HV_OK) return st;
  double *T = malloc(n * n * sizeof *T + 1);
  if (T == NULL) {
    hv_travel_free(tr);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  /* Whole minutes, rounded up: route sheets show minutes, and every time
   * printed is then exactly feasible. */
  for (size_t k = 0; k < n * n; k++)
    T[k] = tr->seconds[k] >= HV_TRAVEL_UNROUTABLE
               ? HV_SOLVER_UNREACHABLE
               : ceil(tr->seconds[k] / 60.0 - 1e-9);
  hv_travel_free(tr);
  *out = T;
  return HV_OK;
}

/* ---- building the model --------------------------------------------- */

/* Everything that maps the solver's indices back to the scenario. */
typedef struct mapping {
  size_t njobs;
  size_t *job_household; /* job -> household */
  long *household_job;   /* household -> job, or -1 */
  size_t *household_loc; /* household -> location, or 0 when none */
  size_t nveh;
  size_t *veh_pair; /* vehicle -> index into pairs */
  int *veh_day;
  int *veh_start, *veh_end; /* shift, minutes of the day */
  const hv_problem *prob;   /* travel minutes between locations (borrowed) */
  size_t nloc;
  char langs[64][4]; /* skill bit -> language code */
  int nlangs;
} mapping;

static void mapping_free(mapping *m) {
  free(m->job_household);
  free(m->household_job);
  free(m->household_loc);
  free(m->veh_pair);
  free(m->veh_day);
  free(m->veh_start);
  free(m->veh_end);
}

/* Travel minutes from location a to b (the solver problem's matrix: the
 * planner keeps no copy). */
static double travel(const mapping *m, size_t a, size_t b) {
  return hv_problem_time(m->prob, a, b);
}

/* ---- starting from an earlier plan ---------------------------------- */

/* The routes of a plan.json as a solution of this problem: each route goes
 * to the vehicle of the same pair and day; stops that are not jobs here
 * are dropped (the solver drops whatever no longer fits). */
static hv_solution *initial_solution(const hv_scenario *s, const hv_plan *plan,
                                     const mapping *m, const hv_plan *prev) {
  hv_solution *sol = calloc(1, sizeof *sol);
  if (sol) sol->routes = calloc(prev->nroutes + 1, sizeof *sol->routes);
  for (size_t r = 0; sol && sol->routes && r < prev->nroutes; r++) {
    const hv_plan_route *pr = &prev->routes[r];
    long veh = -1;
    for (size_t v = 0; v < m->nveh && veh < 0; v++)
      if (m->veh_day[v] == pr->day &&
          strcmp(plan->pairs[m->veh_pair[v]].id, pr->pair) == 0)
        veh = (long)v;
    if (veh < 0) continue;
    hv_route *rt = &sol->routes[sol->nroutes];
    rt->vehicle = (size_t)veh;
    rt->jobs = calloc(pr->nstops + 1, sizeof *rt->jobs);
    if (rt->jobs == NULL) break;
    for (size_t k = 0; k < pr->nstops; k++) {
      size_t h = pr->stops[k].household;
      if (h < s->nhouseholds && m->household_job[h] >= 0)
        rt->jobs[rt->njobs++] = (size_t)m->household_job[h];
    }
    sol->nroutes++;
  }
  return sol;
}

/* The skill bit of a language, -1 when it has none. */
static int lang_find(const mapping *m, const char *code) {
  for (int i = 0; i < m->nlangs; i++)
    if (strcmp(m->langs[i], code) == 0) return i;
  return -1;
}

/* The skill bit of a language, given one if it has none yet; -1 when the
 * 64 bits are taken. */
static int lang_bit(mapping *m, const char *code) {
  int b = lang_find(m, code);
  if (b >= 0 || m->nlangs >= 64) return b;
  snprintf(m->langs[m->nlangs], sizeof m->langs[0], "%s", code);
  return m->nlangs++;
}

/* The bits of the languages a staff member speaks that some family
 * needs (see build_problem). */
static uint64_t staff_skills(const mapping *m, const hv_staff *st) {
  uint64_t bits = 0;
  for (size_t k = 0; k < st->nlang; k++) {
    int b = lang_find(m, st->languages[k]);
    if (b >= 0) bits |= (uint64_t)1 << b;
  }
  return bits;
}

static bool pair_speaks(const hv_scenario *s, const hv_plan_pair *pp,
                        const char *lang);

_Static_assert(HV_WEEK_WINDOWS_MAX == HV_MAX_TW,
               "a family's windows in a week are a job's windows");
_Static_assert(HV_SCENARIO_THREADS_MAX == HV_THREADS_MAX,
               "solver.threads is the solver's threads");

/* Start-of-visit windows of household h on the planned days (the earliest
 * HV_MAX_TW: hvplan validate warns about more). */
static size_t visit_windows(const hv_scenario *s, const hv_household *h,
                            unsigned days, hv_tw *tw) {
  int dur = hv_household_minutes(s, h);
  size_t n = 0;
  for (int d = 0; d < HV_DAYS && n < HV_MAX_TW; d++) {
    if (!(days & (1u << d))) continue;
    double base = d * 1440.0;
    if (h->avail.n == 0) {
      tw[n++] = (hv_tw){base, base + 1440.0 - dur};
      continue;
    }
    for (size_t i = 0; i < h->avail.n && n < HV_MAX_TW; i++) {
      const hv_window *w = &h->avail.w[i];
      if (w->day != d || !hv_window_usable(w, days, dur)) continue;
      tw[n++] = (hv_tw){base + w->start_min, base + w->end_min - dur};
    }
  }
  return n;
}

typedef struct bound_job {
  const hv_problem *p;
  double limit;
  pthread_t thread;
  hv_bound b;
  hv_status st;
  hv_error err;
} bound_job;

static void *bound_thread(void *arg) {
  bound_job *bj = arg;
  bj->st = hv_prize_bound(bj->p, bj->limit, &bj->b, &bj->err);
  hv_solver_thread_done();
  return NULL;
}

typedef struct progress_ctx {
  const hv_plan_options *o;
  size_t total, npins;
} progress_ctx;

static void on_progress(const hv_progress *pr, void *ud) {
  progress_ctx *c = ud;
  /* Pinned visits weigh PIN_PRIZE more in the search, not in the plan. */
  double prize = fmod(pr->prize, PIN_PRIZE);
  c->o->progress(pr->seconds, pr->served, c->total, (long)prize, pr->cost,
                 c->o->progress_ud);
}

/* Builds the solver's problem from the scenario. */
/* A visit pinned by the coordinator (from the kept plan): this household
 * with this pair, on this day, at this time. */
typedef struct pin {
  size_t household;
  char pair[64];
  int day, start;
} pin;

static hv_status build_problem(const hv_scenario *s, const hv_plan *plan,
                               unsigned days, const uint8_t *done,
                               const pin *pins, size_t npins, mapping *m,
                               hv_problem **out, hv_error *err) {
  *out = NULL;
  size_t H = s->nhouseholds;
  m->household_job = malloc((H + 1) * sizeof *m->household_job);
  m->job_household = malloc((H + 1) * sizeof *m->job_household);
  m->household_loc = calloc(H + 1, sizeof *m->household_loc);
  hv_latlon *pts = malloc((H + 1) * sizeof *pts);
  if (!m->household_job || !m->job_household || !m->household_loc || !pts) {
    free(pts);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  pts[0] = (hv_latlon){s->base.lat, s->base.lon};
  m->nloc = 1;
  for (size_t h = 0; h < H; h++) {
    m->household_job[h] = -1;
    const hv_household *hh = &s->households[h];
    double lat, lon;
    /* The home, or the place of a place visit; a video call is not a
     * stop of any route (virtual.c plans it). */
    if (done[h] || !hv_household_site(s, hh, &lat, &lon)) continue;
    m->household_loc[h] = m->nloc;
    pts[m->nloc++] = (hv_latlon){lat, lon};
  }
  double *T = NULL;
  hv_status st = hv__travel_minutes(s, pts, m->nloc, &T, err);
  free(pts);
  if (st != HV_OK) return st;
  size_t N = m->nloc;
  hv_problem *p = hv_problem_create(N, T, NULL, err);
  free(T);
  if (p == NULL) return err ? err->code : HV_E_NOMEM;
  hv_problem_set_objective(p, HV_OBJ_PRIZE);
  hv_problem_set_balance(p, BALANCE_MINUTES);

  for (size_t h = 0; h < H && st == HV_OK; h++) {
    const hv_household *hh = &s->households[h];
    if (m->household_loc[h] == 0) continue;
    hv_job j = {
        .location = m->household_loc[h],
        .service = hv_household_minutes(s, hh) + s->visits.buffer_minutes,
        .prize = hh->priority,
        .demand = 0};
    j.ntw = visit_windows(s, hh, days, j.tw);
    for (size_t k = 0; k < npins; k++)
      if (pins[k].household == h) {
        /* Exactly then, and worth more than any other family. */
        double t = pins[k].day * 1440.0 + pins[k].start;
        j.ntw = 1;
        j.tw[0] = (hv_tw){t, t};
        j.prize = hh->priority + PIN_PRIZE;
      }
    if (j.ntw == 0) continue; /* explained as "windows" later */
    if (strcmp(hh->language, "en") != 0) {
      /* A bit only for a language some pair of the week speaks: no pair
       * can serve the others anyway (all bits), and a district's families
       * may speak more than 64 languages between them. */
      int b = lang_find(m, hh->language); /* a bit: spoken, no scan */
      bool spoken = b >= 0;
      for (size_t q = 0; q < plan->npairs && !spoken; q++)
        spoken = pair_speaks(s, &plan->pairs[q], hh->language);
      if (spoken && b < 0) b = lang_bit(m, hh->language);
      if (spoken && b < 0) {
        st = hv_error_set(err, HV_E_INPUT,
                          (hv_where){.source = "households.csv",
                                     .line = (uint32_t)hh->line,
                                     .field = "language"},
                          "more than 64 languages are spoken both by families "
                          "and by the week's pairs: plan the families in "
                          "parts (by area or urgency)");
        break;
      }
      j.skills = b >= 0 ? (uint64_t)1 << b : ~(uint64_t)0;
    }
    size_t idx;
    st = hv_problem_add_job(p, &j, &idx, err);
    m->job_household[idx] = h;
    m->household_job[h] = (long)idx;
    m->njobs = idx + 1;
  }
  size_t maxveh = plan->npairs * HV_DAYS + 1;
  m->veh_pair = malloc(maxveh * sizeof *m->veh_pair);
  m->veh_day = malloc(maxveh * sizeof *m->veh_day);
  m->veh_start = malloc(maxveh * sizeof *m->veh_start);
  m->veh_end = malloc(maxveh * sizeof *m->veh_end);
  if (!m->veh_pair || !m->veh_day || !m->veh_start || !m->veh_end) {
    hv_problem_free(p);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  for (int d = 0; d < HV_DAYS && st == HV_OK; d++) {
    if (!(days & (1u << d))) continue;
    for (size_t q = 0; q < plan->npairs && st == HV_OK; q++) {
      const hv_plan_pair *pp = &plan->pairs[q];
      int a0, a1;
      if (!hv__pair_shift(s, pp->a, pp->b, d, &a0, &a1)) continue;
      const hv_staff *sa = &s->staff[pp->a], *sb = &s->staff[pp->b];
      int mx = sa->max_visits_per_day;
      if (sb->max_visits_per_day > 0 &&
          (mx == 0 || sb->max_visits_per_day < mx))
        mx = sb->max_visits_per_day;
      hv_vehicle v = {.start = 0,
                      .end = 0,
                      .open = d * 1440.0 + a0,
                      .close = d * 1440.0 + a1,
                      .skills = staff_skills(m, sa) | staff_skills(m, sb),
                      .max_jobs = mx,
                      .max_wait = s->visits.max_wait_minutes};
      size_t idx;
      st = hv_problem_add_vehicle(p, &v, &idx, err);
      m->veh_pair[idx] = q;
      m->veh_day[idx] = d;
      m->veh_start[idx] = a0;
      m->veh_end[idx] = a1;
      m->nveh = idx + 1;
    }
  }
  /* Pinned visits: only their pair's route of that day. */
  for (size_t k = 0; k < npins && st == HV_OK; k++) {
    long j = m->household_job[pins[k].household];
    if (j < 0) continue;
    long veh = -1;
    for (size_t v = 0; v < m->nveh; v++)
      if (m->veh_day[v] == pins[k].day &&
          strcmp(plan->pairs[m->veh_pair[v]].id, pins[k].pair) == 0)
        veh = (long)v;
    if (veh < 0) {
      hv_problem_free(p);
      return hv_error_set(
          err, HV_E_INPUT, (hv_where){.source = "plan.json", .field = "pinned"},
          "household '%s' is pinned to pair %s on %s, but that pair does not "
          "work together that day this week: unpin it or change the pairs",
          s->households[pins[k].household].id, pins[k].pair,
          hv_day_name(pins[k].day));
    }
    for (size_t v = 0; v < m->nveh && st == HV_OK; v++)
      if ((long)v != veh) st = hv_problem_set_allowed(p, (size_t)j, v, false);
  }
  /* Soft preferences. */
  int last_day = 0;
  for (int d = 0; d < HV_DAYS; d++)
    if (days & (1u << d)) last_day = d;
  for (size_t j = 0; j < m->njobs && st == HV_OK; j++) {
    const hv_household *hh = &s->households[m->job_household[j]];
    long pref[2];
    size_t npref = hv_household_preferred(s, hh, pref);
    for (size_t v = 0; v < m->nveh; v++) {
      const hv_plan_pair *pp = &plan->pairs[m->veh_pair[v]];
      double bonus = EARLY_BONUS_PER_DAY * (hh->priority / 100.0) *
                     (double)(last_day - m->veh_day[v]);
      /* Continuity: each preferred person in the pair; the same pair as
       * last time (a follow-up) counts three times as much. */
      size_t match = 0;
      for (size_t i = 0; i < npref; i++)
        match += pp->a == (size_t)pref[i] || pp->b == (size_t)pref[i];
      if (match > 0) bonus += CONTINUITY_BONUS * (match == 2 ? 3 : 1);
      if (bonus > 0) st = hv_problem_set_bonus(p, j, v, bonus);
    }
  }
  if (st != HV_OK) {
    hv_problem_free(p);
    return st == HV_E_NOMEM
               ? hv_error_set(err, st, (hv_where){0}, "out of memory")
               : st;
  }
  *out = p;
  m->prob = p;
  return HV_OK;
}

/* ---- reasons -------------------------------------------------------- */

static void days_of(const hv_household *h, unsigned planned, char *buf,
                    size_t size) {
  if (h->avail.n == 0) {
    snprintf(buf, size, "any time");
    return;
  }
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < h->avail.n && n < size; i++) {
    const hv_window *w = &h->avail.w[i];
    if (!(planned & (1u << w->day))) continue;
    char a[6], b[6];
    hv_hhmm_format(w->start_min, a);
    hv_hhmm_format(w->end_min, b);
    n += (size_t)snprintf(buf + n, size - n, "%s%s %s-%s", n ? ", " : "",
                          hv_day_name(w->day), a, b);
  }
  if (n == 0) snprintf(buf, size, "no planned day");
}

/* Whether vehicle v alone could visit household h: leave at the start of
 * the shift, visit within a window, be back by its end. */
static bool fits_alone(const hv_scenario *s, const mapping *m, unsigned days,
                       size_t v, size_t h) {
  size_t L = m->household_loc[h];
  if (L == 0) return false;
  const hv_household *hh = &s->households[h];
  hv_tw tw[HV_MAX_TW];
  size_t n = visit_windows(s, hh, days, tw);
  double open = m->veh_day[v] * 1440.0 + m->veh_start[v];
  double close = m->veh_day[v] * 1440.0 + m->veh_end[v];
  double go = travel(m, 0, L), back = travel(m, L, 0);
  double svc = hv_household_minutes(s, hh) + s->visits.buffer_minutes;
  for (size_t w = 0; w < n; w++) {
    double start = open + go > tw[w].open ? open + go : tw[w].open;
    if (start <= tw[w].close && start + svc + back <= close) return true;
  }
  return false;
}

static bool pair_speaks(const hv_scenario *s, const hv_plan_pair *pp,
                        const char *lang) {
  return strcmp(lang, "en") == 0 || hv_staff_speaks(&s->staff[pp->a], lang) ||
         hv_staff_speaks(&s->staff[pp->b], lang);
}

/* Why household h was not visited.  visited_by[v] lists, through vprio,
 * the lowest priority vehicle v visited (INT_MAX when none). */
static void explain(const hv_scenario *s, const hv_plan *plan, const mapping *m,
                    unsigned days, const int *vprio, size_t h,
                    hv_unvisited *u) {
  const hv_household *hh = &s->households[h];
  u->household = h;
  double lat, lon;
  if (!hv_household_site(s, hh, &lat, &lon)) {
    u->reason = HV_WHY_NO_COORDS;
    snprintf(u->text, sizeof u->text,
             "no coordinates: run 'hvplan geocode' or fill in lat/lon");
    return;
  }
  const char *lang = hh->language;
  bool anyone = strcmp(lang, "en") == 0, in_pair = false;
  for (size_t k = 0; k < s->nstaff && !anyone; k++)
    anyone = hv_staff_speaks(&s->staff[k], lang);
  for (size_t q = 0; q < plan->npairs && !in_pair; q++)
    in_pair = pair_speaks(s, &plan->pairs[q], lang);
  if (!anyone || !in_pair) {
    u->reason = HV_WHY_LANGUAGE;
    snprintf(u->text, sizeof u->text,
             anyone ? "no pair includes a speaker of %s (%s)"
                    : "no staff member speaks %s (%s)",
             hv_language_name(lang), lang);
    return;
  }
  int dur = hv_household_minutes(s, hh);
  bool window = false, reach = false;
  int cutoff = INT_MAX, overlap = 0;
  for (size_t v = 0; v < m->nveh; v++) {
    if (!pair_speaks(s, &plan->pairs[m->veh_pair[v]], lang)) continue;
    int o = hv__household_overlap(hh, m->veh_day[v], m->veh_start[v],
                                  m->veh_end[v]);
    if (o < dur) continue;
    if (o > overlap) overlap = o;
    window = true;
    if (!fits_alone(s, m, days, v, h)) continue;
    reach = true;
    if (vprio[v] < cutoff) cutoff = vprio[v];
  }
  bool en = strcmp(lang, "en") == 0;
  if (!window && hh->avail.n > 0) {
    bool planned = false;
    for (size_t i = 0; i < hh->avail.n; i++)
      planned |= (days >> hh->avail.w[i].day) & 1u;
    if (!planned) {
      char w[160];
      days_of(hh, 0x7Fu, w, sizeof w);
      u->reason = HV_WHY_WINDOWS;
      snprintf(u->text, sizeof u->text,
               "the family is available only on days not planned this week "
               "(%s)",
               w);
      return;
    }
  }
  if (!window) {
    char w[160];
    days_of(hh, days, w, sizeof w);
    u->reason = HV_WHY_WINDOWS;
    snprintf(u->text, sizeof u->text,
             "no pair%s%s works during the family's windows (%s)",
             en ? "" : " that speaks ", en ? "" : hv_language_name(lang), w);
    return;
  }
  size_t L0 = m->household_loc[h];
  if (!reach && L0 > 0 &&
      (travel(m, 0, L0) >= HV_SOLVER_UNREACHABLE ||
       travel(m, L0, 0) >= HV_SOLVER_UNREACHABLE)) {
    u->reason = HV_WHY_TOO_FAR;
    snprintf(u->text, sizeof u->text,
             "the road service found no route between the school and this "
             "address; check its coordinates");
    return;
  }
  if (!reach) {
    /* Both the drive and a short overlap can be the cause.  Name the
     * drive when it is long (an hour there and back), or when a family
     * 15 minutes from the school would fit; otherwise the overlap. */
    double go = travel(m, 0, L0), back = travel(m, L0, 0);
    int notes = s->visits.buffer_minutes;
    bool far = go + back >= 60 || overlap >= dur + notes + 30;
    u->reason = far ? HV_WHY_TOO_FAR : HV_WHY_SHORT_WINDOW;
    if (far)
      snprintf(u->text, sizeof u->text,
               "too far: the drive from and back to the school (%.0f + %.0f "
               "min) with the %d-minute visit and %d min for notes fits in "
               "no shared shift during the family's windows",
               go, back, dur, notes);
    else
      snprintf(u->text, sizeof u->text,
               "window too short: the family's windows and the shared hours "
               "of the pairs%s%s overlap by at most %d min, too little for "
               "the %d-minute visit with the drive there (%.0f min), %d min "
               "for notes and the drive back (%.0f min) inside the shared "
               "hours",
               en ? "" : " that speak ", en ? "" : hv_language_name(lang),
               overlap, dur, go, notes, back);
    return;
  }
  u->reason = HV_WHY_CAPACITY;
  if (cutoff == INT_MAX || cutoff <= hh->priority)
    snprintf(u->text, sizeof u->text,
             "no room left: the pairs that could reach this family were fully "
             "booked during its windows (priority %d%s%d)",
             hh->priority,
             cutoff == INT_MAX ? "" : "; lowest priority they visited: ",
             cutoff == INT_MAX ? hh->priority : cutoff);
  else
    snprintf(u->text, sizeof u->text,
             "capacity went to more urgent families: the pairs that could "
             "reach this family visited priority %d and above (this family: "
             "%d)",
             cutoff, hh->priority);
}

/* ---- the plan ------------------------------------------------------- */

/* Highest priority first, then file order (insertion sort: stable, no
 * global state for a comparator). */
static void sort_unvisited(const hv_scenario *s, hv_unvisited *u, size_t n) {
  for (size_t i = 1; i < n; i++) {
    hv_unvisited x = u[i];
    int px = s->households[x.household].priority;
    size_t k = i;
    while (k > 0) {
      int pk = s->households[u[k - 1].household].priority;
      if (pk > px || (pk == px && u[k - 1].household < x.household)) break;
      u[k] = u[k - 1];
      k--;
    }
    u[k] = x;
  }
}

static int cmp_route(const void *a, const void *b) {
  const hv_plan_route *x = a, *y = b;
  if (x->day != y->day) return x->day - y->day;
  return strcmp(x->pair, y->pair);
}

/* The pairs of the week: given, or formed (at most max_pairs). */
static hv_status week_pairs(const hv_scenario *s, const hv_plan_options *o,
                            const hv_time_budget *budget, unsigned days,
                            hv_plan *plan, hv_error *err) {
  if (o->pairs) {
    plan->pairs = calloc(o->npairs + 1, sizeof *plan->pairs);
    if (plan->pairs == NULL)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    memcpy(plan->pairs, o->pairs, o->npairs * sizeof *o->pairs);
    plan->npairs = o->npairs;
    plan->pairs_formed = true;
    /* The plan keeps its own copy of the ids. */
    for (size_t q = 0; q < plan->npairs; q++)
      if ((plan->pairs[q].id = hv__arena_strdup(plan->arena, o->pairs[q].id)) ==
          NULL)
        return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return HV_OK;
  }
  if (s->has_pairs) {
    plan->pairs = calloc(s->npairs + 1, sizeof *plan->pairs);
    if (plan->pairs == NULL)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    for (size_t q = 0; q < s->npairs; q++) {
      hv_plan_pair *pp = &plan->pairs[plan->npairs++];
      pp->id = s->pairs[q].id;
      pp->a = s->pairs[q].a;
      pp->b = s->pairs[q].b;
      double mins = 0;
      for (int d = 0; d < HV_DAYS; d++) {
        int a0, a1;
        if ((s->days & (1u << d)) &&
            hv__pair_shift(s, pp->a, pp->b, d, &a0, &a1))
          mins += a1 - a0;
      }
      pp->shared_hours = mins / 60.0;
      snprintf(pp->why, sizeof pp->why, "from pairs.csv");
    }
  } else {
    hv_pair_options po;
    hv_pair_options_init(&po);
    po.in_file_order = o->pairs_in_file_order;
    po.max_pairs = o->max_pairs;
    po.time_limit_s = budget->pairing_s;
    po.days = days;
    /* Follow-ups go to the pair that made the last visit: such pairs are
     * kept when both work this week (most urgent first, each person in
     * one pair). */
    hv_plan_pair *keep = calloc(s->nhouseholds + 1, sizeof *keep);
    char(*keep_id)[24] = calloc(s->nhouseholds + 1, sizeof *keep_id);
    if (keep == NULL || keep_id == NULL) {
      free(keep);
      free(keep_id);
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    }
    size_t nkeep = 0;
    if (!o->pairs_in_file_order)
      for (int pass = 100; pass >= 1; pass--)
        for (size_t h = 0; h < s->nhouseholds; h++) {
          const hv_household *hh = &s->households[h];
          long pref[2];
          if (hh->priority != pass || hh->visit_type != HV_VISIT_FOLLOW_UP ||
              hv_household_preferred(s, hh, pref) != 2 || pref[0] == pref[1])
            continue;
          bool busy = false, works = false;
          for (size_t k = 0; k < nkeep; k++)
            for (int i = 0; i < 2; i++)
              busy |= (long)keep[k].a == pref[i] || (long)keep[k].b == pref[i];
          for (int d = 0; d < HV_DAYS && !busy; d++) {
            int a0, a1;
            works |= (days & (1u << d)) &&
                     hv__pair_shift(s, (size_t)pref[0], (size_t)pref[1], d, &a0,
                                    &a1) &&
                     a1 - a0 >= 60;
          }
          if (busy || !works) continue;
          snprintf(keep_id[nkeep], sizeof keep_id[0], "P%02zu", nkeep + 1);
          keep[nkeep] = (hv_plan_pair){
              .id = keep_id[nkeep], .a = (size_t)pref[0], .b = (size_t)pref[1]};
          nkeep++;
        }
    po.fixed = keep;
    po.nfixed = nkeep;
    hv_plan_pair *formed = NULL;
    size_t nformed = 0;
    hv_status st = hv_plan_form_pairs(s, &po, &formed, &nformed, err);
    free(keep);
    free(keep_id);
    if (st != HV_OK) return st;
    plan->pairs = calloc(nformed + 1, sizeof *plan->pairs);
    for (size_t q = 0; plan->pairs && q < nformed; q++) {
      plan->pairs[q] = formed[q];
      plan->pairs[q].id = hv__arena_strdup(plan->arena, formed[q].id);
      if (plan->pairs[q].id == NULL) break;
      plan->npairs = q + 1;
    }
    hv_plan_pairs_free(formed);
    if (plan->npairs != nformed)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    plan->pairs_formed = true;
  }
  if (o->max_pairs > 0 && plan->npairs > (size_t)o->max_pairs)
    plan->npairs = (size_t)o->max_pairs;
  return HV_OK;
}

/* Re-planning: a pair id names the same two people all week.  A pair
 * formed again from the kept days keeps its id; a new pair whose id a kept
 * pair already uses (for other people) gets a fresh one. */
static bool same_staff(const hv_plan_route *r, size_t a, size_t b) {
  long x = r->staff_index[0], y = r->staff_index[1];
  return (x == (long)a && y == (long)b) || (x == (long)b && y == (long)a);
}

static bool id_taken(const hv_plan *plan, size_t upto,
                     const hv_plan_route *kept, size_t nkept, const char *id) {
  for (size_t r = 0; r < nkept; r++)
    if (strcmp(kept[r].pair, id) == 0) return true;
  for (size_t q = 0; q < upto; q++)
    if (strcmp(plan->pairs[q].id, id) == 0) return true;
  return false;
}

static hv_status align_pair_ids(hv_plan *plan, const hv_plan_route *kept,
                                size_t nkept, hv_error *err) {
  for (size_t q = 0; q < plan->npairs; q++) {
    hv_plan_pair *pp = &plan->pairs[q];
    const char *id = NULL;
    for (size_t r = 0; r < nkept && id == NULL; r++)
      if (same_staff(&kept[r], pp->a, pp->b)) id = kept[r].pair;
    char fresh[32];
    if (id == NULL) {
      bool clash = id_taken(plan, q, NULL, 0, pp->id);
      for (size_t r = 0; r < nkept && !clash; r++)
        clash = strcmp(kept[r].pair, pp->id) == 0;
      if (!clash) continue;
      for (size_t n = 1;; n++) {
        snprintf(fresh, sizeof fresh, "P%02zu", n);
        if (!id_taken(plan, plan->npairs, kept, nkept, fresh)) break;
      }
      id = fresh;
    }
    if ((pp->id = hv__arena_strdup(plan->arena, id)) == NULL)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  return HV_OK;
}

/* plan.json lists every pair that appears in a route: the kept days'
 * pairs that are not formed again come after the week's. */
static hv_status add_kept_pairs(const hv_scenario *s, hv_plan *plan,
                                const hv_plan_route *kept, size_t nkept,
                                int from_day, hv_error *err) {
  for (size_t r = 0; r < nkept; r++) {
    const hv_plan_route *kr = &kept[r];
    if (kr->staff_index[0] < 0 || kr->staff_index[1] < 0) continue;
    if (id_taken(plan, plan->npairs, NULL, 0, kr->pair)) continue;
    hv_plan_pair *grown =
        realloc(plan->pairs, (plan->npairs + 2) * sizeof *plan->pairs);
    if (grown == NULL)
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    plan->pairs = grown;
    hv_plan_pair *pp = &plan->pairs[plan->npairs++];
    memset(pp, 0, sizeof *pp);
    pp->id = kr->pair;
    pp->a = (size_t)kr->staff_index[0];
    pp->b = (size_t)kr->staff_index[1];
    double mins = 0;
    for (int d = 0; d < from_day; d++) {
      int a0, a1;
      if ((s->days & (1u << d)) && hv__pair_shift(s, pp->a, pp->b, d, &a0, &a1))
        mins += a1 - a0;
    }
    pp->shared_hours = mins / 60.0;
    snprintf(pp->why, sizeof pp->why,
             "kept from the earlier plan (days before %s); not paired again "
             "from %s",
             hv_day_name(from_day), hv_day_name(from_day));
  }
  return HV_OK;
}

hv_status hv_plan_build(const hv_scenario *s, const hv_plan_options *o,
                        hv_plan **out, hv_error *err) {
  *out = NULL;
  hv_plan_options defaults;
  if (o == NULL) {
    hv_plan_options_init(&defaults);
    o = &defaults;
  }
  if (!s->base.has_coords)
    return hv_error_set(err, HV_E_INPUT,
                        (hv_where){.source = "scenario.json", .field = "base"},
                        "the school has no coordinates: run 'hvplan geocode' "
                        "or give base.lat and base.lon");
  hv_plan *plan = hv__plan_new(s);
  if (plan == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  double t_begin = hv__now();
  hv_time_budget budget = hv_time_budget_for(
      o->time_limit_s >= 0 ? o->time_limit_s : s->solver.time_limit_s,
      o->iterations);
  size_t H = s->nhouseholds;
  mapping m = {0};
  hv_problem *prob = NULL;
  hv_solution *sol = NULL;
  uint8_t *done = calloc(H + 1, 1);
  int *vprio = NULL;
  hv_plan_route *kept = NULL;
  hv_plan_call *kept_calls = NULL;
  size_t nkept = 0, nkept_calls = 0;
  pin *pins = NULL;
  size_t npins = 0;
  hv_status st =
      done ? HV_OK
           : hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  unsigned days = s->days;
  if (st == HV_OK && o->keep_path) {
    st = hv__plan_read_routes(plan, o->keep_path, o->from_day, &kept, &nkept,
                              err);
    if (st == HV_OK)
      st = hv__plan_read_calls(plan, o->keep_path, o->from_day, &kept_calls,
                               &nkept_calls, err);
    for (size_t r = 0; st == HV_OK && r < nkept; r++)
      for (size_t k = 0; k < kept[r].nstops; k++)
        if (kept[r].stops[k].household < H)
          done[kept[r].stops[k].household] = 1;
    for (size_t c = 0; st == HV_OK && c < nkept_calls; c++)
      if (kept_calls[c].household < H) done[kept_calls[c].household] = 1;
    for (int d = 0; d < o->from_day; d++)
      days &= ~(1u << d);
    /* Visits pinned on the days re-planned stay where they are. */
    hv_plan_route *all = NULL;
    size_t nall = 0;
    if (st == HV_OK)
      st = hv__plan_read_routes(plan, o->keep_path, HV_DAYS, &all, &nall, err);
    for (size_t r = 0; st == HV_OK && r < nall; r++) {
      if (all[r].day < o->from_day) continue;
      for (size_t k = 0; k < all[r].nstops; k++) {
        const hv_plan_stop *ps = &all[r].stops[k];
        if (!ps->pinned || ps->household >= H) continue;
        pin *np = realloc(pins, (npins + 1) * sizeof *pins);
        if (np == NULL) {
          st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
          break;
        }
        pins = np;
        pins[npins].household = ps->household;
        snprintf(pins[npins].pair, sizeof pins[npins].pair, "%s", all[r].pair);
        pins[npins].day = all[r].day;
        pins[npins++].start = ps->start;
      }
    }
    free(all);
  }
  if (st == HV_OK) {
    size_t n = 0;
    double lat, lon;
    for (size_t h = 0; h < H; h++)
      n += s->households[h].mode == HV_MODE_VIRTUAL ||
           (hv_household_site(s, &s->households[h], &lat, &lon) && !done[h]);
    if (n > HV_PLAN_MAX_HOUSEHOLDS)
      st = hv_error_set(err, HV_E_INPUT, (hv_where){.source = "households.csv"},
                        "%zu households to plan; hvplan plans at most %d at "
                        "once: split the list (by school, area or urgency) and "
                        "plan each part",
                        n, HV_PLAN_MAX_HOUSEHOLDS);
  }
  if (st == HV_OK) st = week_pairs(s, o, &budget, days, plan, err);
  if (st == HV_OK && nkept > 0) st = align_pair_ids(plan, kept, nkept, err);
  if (st == HV_OK)
    st = build_problem(s, plan, days, done, pins, npins, &m, &prob, err);
  hv_solution *start = NULL;
  if (st == HV_OK && o->initial) {
    start = initial_solution(s, plan, &m, o->initial);
    if (start == NULL)
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  if (st == HV_OK) {
    hv_solve_options so;
    hv_solve_options_init(&so);
    so.initial = start;
    /* The limit covers the whole plan: pairing and travel times first. */
    double reserve = 0;
    if (o->reserve_output) {
      /* At most every job, at most what the routes can hold. */
      size_t room = 0;
      for (size_t v = 0; v < m.nveh; v++) {
        int mx = hv_problem_vehicle(prob, v)->max_jobs;
        room += mx > 0 ? (size_t)mx : m.njobs;
      }
      reserve = hv_time_budget_output(&budget, room < m.njobs ? room : m.njobs);
    }
    so.time_limit_s =
        hv_time_budget_search(&budget, hv__now() - t_begin + reserve);
    so.max_iterations = budget.iterations;
    so.seed = o->seed_set ? o->seed : s->solver.seed;
    so.threads = (unsigned)s->solver.threads;
    so.stop = o->stop;
    progress_ctx pc = {o, H, npins};
    if (o->progress) {
      so.progress = on_progress;
      so.progress_ud = &pc;
      so.progress_every_s = 0.5;
    }
    /* The bound on what any plan could cover, in a second thread while the
     * search runs (GLPK keeps one environment per thread), and in no more
     * time than the search has: the column generation uses what it gets. */
    bound_job bj = {.p = prob,
                    .limit = fmin(60.0, fmax(1.0, 0.95 * so.time_limit_s))};
    bool threaded =
        npins == 0 && pthread_create(&bj.thread, NULL, bound_thread, &bj) == 0;
    st = hv_solve(prob, &so, &sol, err);
    if (threaded) pthread_join(bj.thread, NULL);
    plan->priority_bound = -1;
    if (threaded && bj.st == HV_OK) {
      long visited_before = 0;
      /* Plus what is outside the routing problem: families visited
       * earlier this week, and the video calls (at most all of them). */
      for (size_t h = 0; h < H; h++)
        if (done[h] || s->households[h].mode == HV_MODE_VIRTUAL)
          visited_before += s->households[h].priority;
      plan->priority_bound = (long)floor(bj.b.bound + 1e-6) + visited_before;
      plan->bound_from_lp = bj.b.from_lp;
      plan->bound_from_columns = bj.b.from_columns;
    }
  }
  if (st == HV_OK) {
    hv_error cerr;
    if (hv_solution_check(prob, sol, &cerr) != HV_OK)
      st = hv_error_set(err, HV_E_SOLVER, (hv_where){.source = "solver"},
                        "internal error: the solver returned an infeasible "
                        "plan (%s)",
                        cerr.text);
  }
  if (st == HV_OK) {
    plan->routes = calloc(nkept + sol->nroutes + 1, sizeof *plan->routes);
    plan->unvisited = calloc(H + 1, sizeof *plan->unvisited);
    vprio = malloc((m.nveh + 1) * sizeof *vprio);
    if (!plan->routes || !plan->unvisited || !vprio)
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  if (st == HV_OK) {
    uint8_t *visited = calloc(H + 1, 1);
    if (visited == NULL) {
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
      goto done;
    }
    for (size_t r = 0; r < nkept; r++)
      plan->routes[plan->nroutes++] = kept[r];
    for (size_t v = 0; v < m.nveh; v++)
      vprio[v] = INT_MAX;
    for (size_t r = 0; r < sol->nroutes; r++) {
      const hv_route *rt = &sol->routes[r];
      hv_plan_route *pr = &plan->routes[plan->nroutes++];
      size_t v = rt->vehicle;
      const hv_plan_pair *pp = &plan->pairs[m.veh_pair[v]];
      int d = m.veh_day[v];
      double base = d * 1440.0;
      pr->day = d;
      pr->date = hv_scenario_date(s, d);
      pr->pair = pp->id;
      pr->staff[0] = s->staff[pp->a].id;
      pr->staff[1] = s->staff[pp->b].id;
      pr->staff_index[0] = (long)pp->a;
      pr->staff_index[1] = (long)pp->b;
      pr->depart = (int)lround(rt->depart - base);
      pr->back = (int)lround(rt->back - base);
      pr->travel_min = rt->travel_time;
      pr->stops = hv__arena_alloc(plan->arena, rt->njobs * sizeof *pr->stops);
      if (pr->stops == NULL) {
        free(visited);
        st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
        goto done;
      }
      size_t prev = 0;
      for (size_t k = 0; k < rt->njobs; k++) {
        size_t h = m.job_household[rt->jobs[k]];
        hv_plan_stop *ps = &pr->stops[pr->nstops++];
        ps->household = h;
        ps->household_id = s->households[h].id;
        ps->arrive = (int)lround(rt->arrival[k] - base);
        ps->start = (int)lround(rt->start[k] - base);
        ps->end = ps->start + hv_household_minutes(s, &s->households[h]);
        ps->travel_min = travel(&m, prev, m.household_loc[h]);
        ps->school_from = ps->school_to = -1;
        for (size_t q = 0; q < npins; q++)
          ps->pinned |= pins[q].household == h;
        if (rt->via_start[k] && k > 0) {
          /* Back to school after the notes, out again in time. */
          ps->school_from =
              (int)lround(rt->start[k - 1] - base +
                          hv_household_minutes(
                              s, &s->households[pr->stops[k - 1].household]) +
                          s->visits.buffer_minutes + travel(&m, prev, 0));
          ps->school_to = (int)lround(rt->start[k] - base -
                                      travel(&m, 0, m.household_loc[h]));
          ps->travel_min =
              travel(&m, prev, 0) + travel(&m, 0, m.household_loc[h]);
        }
        prev = m.household_loc[h];
        visited[h] = 1;
        if (s->households[h].priority < vprio[v])
          vprio[v] = s->households[h].priority;
      }
    }
    qsort(plan->routes, plan->nroutes, sizeof *plan->routes, cmp_route);
    plan->households = H;
    for (size_t h = 0; h < H; h++) {
      plan->priority_total += s->households[h].priority;
      if (visited[h] || done[h]) {
        plan->visited++;
        plan->priority_covered += s->households[h].priority;
        continue;
      }
      if (s->households[h].mode == HV_MODE_VIRTUAL) continue; /* below */
      explain(s, plan, &m, days, vprio, h,
              &plan->unvisited[plan->nunvisited++]);
    }
    /* Video calls around the routes, then, for the in-person families
     * left out, whether a call could reach them. */
    size_t in_person = plan->nunvisited;
    st = hv__plan_calls(s, plan, days, done, kept_calls, nkept_calls, err);
    for (size_t c = 0; st == HV_OK && c < plan->ncalls; c++) {
      size_t h = plan->calls[c].household;
      if (plan->calls[c].kept || h >= H) continue;
      plan->visited++;
      plan->priority_covered += s->households[h].priority;
    }
    for (size_t i = 0; st == HV_OK && i < in_person; i++) {
      hv_unvisited *u = &plan->unvisited[i];
      hv__virtual_option(s, plan, days, u->household, u->virtual_option,
                         sizeof u->virtual_option);
    }
    for (size_t r = 0; r < plan->nroutes; r++)
      plan->travel_minutes += plan->routes[r].travel_min;
    sort_unvisited(s, plan->unvisited, plan->nunvisited);
    if (nkept > 0) st = add_kept_pairs(s, plan, kept, nkept, o->from_day, err);
    plan->seconds = sol->seconds;
    plan->iterations = sol->iterations;
    free(visited);
  }
done:
  hv_solution_free(start);
  free(kept);
  free(kept_calls);
  free(pins);
  free(done);
  free(vprio);
  hv_solution_free(sol);
  hv_problem_free(prob);
  mapping_free(&m);
  if (st != HV_OK) {
    hv_plan_free(plan);
    return st;
  }
  *out = plan;
  return HV_OK;
}
