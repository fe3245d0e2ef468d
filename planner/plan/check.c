/* planner/plan/check.c -- hv_plan_check(): a plan, perhaps edited by hand,
 * against every planning rule the planner itself obeys.  Each broken rule
 * becomes one error-severity diagnostic naming the route or stop
 * ("routes[3].stops[1]") and what it breaks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/solver.h"
#include "plan_int.h"

typedef struct checker {
  const hv_plan *p;
  const hv_scenario *s;
  const char *source;
  hv_diags *d;
} checker;

static void broken(checker *c, size_t r, long k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void broken(checker *c, size_t r, long k, const char *fmt, ...) {
  char field[64], text[320];
  if (k == -2)
    snprintf(field, sizeof field, "virtual_visits[%zu]", r);
  else if (k < 0)
    snprintf(field, sizeof field, "routes[%zu]", r);
  else
    snprintf(field, sizeof field, "routes[%zu].stops[%ld]", r, k);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  hv_diags_add(c->d, HV_SEV_ERROR, HV_E_INPUT,
               (hv_where){.source = c->source, .field = field}, "%s", text);
}

/* Whether [start, end) on `day` lies inside one window of a. */
static bool inside(const hv_avail *a, int day, int start, int end) {
  for (size_t i = 0; i < a->n; i++)
    if (a->w[i].day == day && a->w[i].start_min <= start &&
        end <= a->w[i].end_min)
      return true;
  return false;
}

/* Whether [start, end) on `day` lies inside one of the family's windows
 * (none given: any time). */
static bool in_window(const hv_household *h, int day, int start, int end) {
  return h->avail.n == 0 || inside(&h->avail, day, start, end);
}

static void check_route(checker *c, size_t r, const double *T, size_t nloc,
                        const size_t *loc, long *route_of_staff_day,
                        long *visit_of) {
  const hv_scenario *s = c->s;
  const hv_plan_route *pr = &c->p->routes[r];
  char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
  if (pr->day < 0 || pr->day >= HV_DAYS || !(s->days & (1u << pr->day))) {
    broken(c, r, -1, "pair %s's route is on a day not planned this week",
           pr->pair);
    return;
  }
  const hv_staff *st[2] = {NULL, NULL};
  for (int m = 0; m < 2; m++) {
    long i = pr->staff_index[m];
    if (i < 0) {
      broken(c, r, -1, "staff member '%s' is not in staff.csv", pr->staff[m]);
      continue;
    }
    st[m] = &s->staff[i];
    long *seen = &route_of_staff_day[(size_t)i * HV_DAYS + (size_t)pr->day];
    if (*seen >= 0)
      broken(c, r, -1, "staff member '%s' is also in routes[%ld] on %s",
             pr->staff[m], *seen, hv_day_name(pr->day));
    else
      *seen = (long)r;
  }
  if (st[0] == NULL || st[1] == NULL) return;
  int shift0, shift1;
  if (!hv__pair_shift(s, (size_t)pr->staff_index[0], (size_t)pr->staff_index[1],
                      pr->day, &shift0, &shift1)) {
    broken(c, r, -1, "%s and %s do not both work on %s", st[0]->id, st[1]->id,
           hv_day_name(pr->day));
    return;
  }
  if (pr->depart < shift0 || pr->back > shift1)
    broken(c, r, -1, "the route (%s-%s) leaves the pair's shared hours (%s-%s)",
           hv_hhmm_format(pr->depart, a), hv_hhmm_format(pr->back, b),
           hv_hhmm_format(shift0, (char[HV_HHMM_TEXT]){0}),
           hv_hhmm_format(shift1, (char[HV_HHMM_TEXT]){0}));
  int most = st[0]->max_visits_per_day;
  if (st[1]->max_visits_per_day > 0 &&
      (most == 0 || st[1]->max_visits_per_day < most))
    most = st[1]->max_visits_per_day;
  if (most > 0 && pr->nstops > (size_t)most)
    broken(c, r, -1, "%zu visits, more than the %d a day the pair may make",
           pr->nstops, most);
  /* The day's timeline: leave the school, drive, visit, note, drive... */
  size_t prev_loc = 0;
  int free_at = pr->depart;
  bool timeline = T != NULL;
  for (size_t k = 0; k < pr->nstops; k++) {
    const hv_plan_stop *ps = &pr->stops[k];
    if (ps->household >= s->nhouseholds) {
      broken(c, r, (long)k, "household '%s' is not in households.csv",
             ps->household_id);
      timeline = false;
      continue;
    }
    const hv_household *h = &s->households[ps->household];
    long *v = &visit_of[ps->household];
    if (*v >= 0)
      broken(c, r, (long)k,
             "household '%s' is visited twice this week (also in "
             "routes[%ld])",
             h->id, *v);
    *v = (long)r;
    if (strcmp(h->language, "en") != 0 &&
        !hv_staff_speaks(st[0], h->language) &&
        !hv_staff_speaks(st[1], h->language))
      broken(c, r, (long)k,
             "neither %s nor %s speaks %s, household '%s''s "
             "language",
             st[0]->id, st[1]->id, hv_language_name(h->language), h->id);
    int minutes = hv_household_minutes(s, h);
    if (ps->end - ps->start != minutes)
      broken(c, r, (long)k, "the visit to '%s' lasts %d minutes; it takes %d",
             h->id, ps->end - ps->start, minutes);
    if (!in_window(h, pr->day, ps->start, ps->end))
      broken(c, r, (long)k,
             "the visit to '%s' (%s-%s) is outside the "
             "family's windows on %s",
             h->id, hv_hhmm_format(ps->start, a), hv_hhmm_format(ps->end, b),
             hv_day_name(pr->day));
    double lat, lon;
    if (h->mode == HV_MODE_VIRTUAL) {
      broken(c, r, (long)k,
             "household '%s' asked for a video call (mode virtual), not a "
             "visit",
             h->id);
      timeline = false;
      continue;
    }
    if (!hv_household_site(s, h, &lat, &lon)) {
      broken(c, r, (long)k, "household '%s' has no coordinates", h->id);
      timeline = false;
      continue;
    }
    if (timeline && loc[ps->household] < nloc && ps->school_from >= 0) {
      /* Back at school in between: the drive there, the drive out. */
      double in = T[prev_loc * nloc + 0],
             out = T[0 * nloc + loc[ps->household]];
      if (k == 0 || ps->school_to < ps->school_from ||
          free_at + in > ps->school_from + 1e-9 ||
          ps->school_to + out > ps->start + 1e-9)
        broken(c, r, (long)k,
               "back at school %s-%s does not fit between the visits "
               "(%.0f min drive back, %.0f min out to '%s')",
               hv_hhmm_format(ps->school_from, a),
               hv_hhmm_format(ps->school_to, b), in, out, h->id);
      prev_loc = loc[ps->household];
    } else if (timeline && loc[ps->household] < nloc) {
      double drive = T[prev_loc * nloc + loc[ps->household]];
      double wait = ps->start - (free_at + drive);
      double detour = T[prev_loc * nloc + 0] + T[0 * nloc + loc[ps->household]];
      int max_wait = s->visits.max_wait_minutes;
      if (k > 0 && max_wait > 0 && wait > max_wait + 1e-9 &&
          free_at + detour <= ps->start + 1e-9)
        broken(c, r, (long)k,
               "the pair waits %.0f min before the visit to '%s', more than "
               "visits.max_wait_minutes (%d): back to school in between",
               wait, h->id, max_wait);
      if (free_at + drive > ps->start + 1e-9)
        broken(c, r, (long)k,
               "the visit to '%s' starts at %s, but the pair "
               "cannot be there before %s (%.0f min drive)",
               h->id, hv_hhmm_format(ps->start, a),
               hv_hhmm_format(free_at + (int)drive, b), drive);
      prev_loc = loc[ps->household];
    }
    int leave = ps->end + s->visits.buffer_minutes;
    free_at = leave > ps->start ? leave : ps->start;
  }
  if (timeline) {
    double drive = T[prev_loc * nloc + 0];
    if (free_at + drive > pr->back + 1e-9)
      broken(c, r, -1, "the pair is back at %s, not by %s as the route says",
             hv_hhmm_format(free_at + (int)drive, a),
             hv_hhmm_format(pr->back, b));
  }
}

static void check_call(checker *c, size_t i, long *visit_of) {
  const hv_scenario *s = c->s;
  const hv_plan *p = c->p;
  const hv_plan_call *pc = &p->calls[i];
  char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
  if (pc->household >= s->nhouseholds) {
    broken(c, i, -2, "household '%s' is not in households.csv",
           pc->household_id);
    return;
  }
  const hv_household *h = &s->households[pc->household];
  if (h->mode != HV_MODE_VIRTUAL)
    broken(c, i, -2,
           "household '%s' is to be visited in person: a video call needs "
           "mode 'virtual' in households.csv (the coordinator's choice)",
           h->id);
  long *v = &visit_of[pc->household];
  if (*v >= 0)
    broken(c, i, -2, "household '%s' is visited twice this week", h->id);
  *v = (long)(p->nroutes + i);
  if (pc->day < 0 || pc->day >= HV_DAYS || !(s->days & (1u << pc->day))) {
    broken(c, i, -2, "the call to '%s' is on a day not planned this week",
           h->id);
    return;
  }
  if (pc->staff_index < 0) {
    broken(c, i, -2, "staff member '%s' is not in staff.csv", pc->staff);
    return;
  }
  const hv_staff *st = &s->staff[pc->staff_index];
  if (strcmp(h->language, "en") != 0 && !hv_staff_speaks(st, h->language))
    broken(c, i, -2, "%s does not speak %s, household '%s''s language", st->id,
           hv_language_name(h->language), h->id);
  int minutes = hv_household_minutes(s, h);
  if (pc->end - pc->start != minutes)
    broken(c, i, -2, "the call to '%s' lasts %d minutes; it takes %d", h->id,
           pc->end - pc->start, minutes);
  hv_hhmm_format(pc->start, a);
  hv_hhmm_format(pc->end, b);
  if (!in_window(h, pc->day, pc->start, pc->end))
    broken(c, i, -2,
           "the call to '%s' (%s-%s) is outside the family's windows on %s",
           h->id, a, b, hv_day_name(pc->day));
  if (!inside(&st->avail, pc->day, pc->start, pc->end))
    broken(c, i, -2, "the call to '%s' (%s-%s) is outside %s's hours on %s",
           h->id, a, b, st->id, hv_day_name(pc->day));
  /* Never during the person's route, nor in another call. */
  int iv[256][2];
  int visits;
  size_t n =
      hv__staff_busy(p, (size_t)pc->staff_index, pc->day, iv, 256, &visits);
  int notes = s->visits.buffer_minutes;
  bool self_seen = false;
  for (size_t k = 0; k < n; k++) {
    if (!self_seen && iv[k][0] == pc->start && iv[k][1] == pc->end + notes) {
      self_seen = true; /* the call itself */
      continue;
    }
    if (pc->start < iv[k][1] && pc->end + notes > iv[k][0]) {
      char x[HV_HHMM_TEXT], y[HV_HHMM_TEXT];
      broken(c, i, -2,
             "the call to '%s' (%s-%s, then %d min for notes) overlaps %s's "
             "route or another call (%s-%s)",
             h->id, a, b, notes, st->id, hv_hhmm_format(iv[k][0], x),
             hv_hhmm_format(iv[k][1], y));
      break;
    }
  }
  if (st->max_visits_per_day > 0 && visits > st->max_visits_per_day)
    broken(c, i, -2, "%s has %d visits and calls on %s, more than %d", st->id,
           visits, hv_day_name(pc->day), st->max_visits_per_day);
}

hv_status hv_plan_check(const hv_plan *p, const char *source, hv_diags *d,
                        hv_error *err) {
  const hv_scenario *s = p->scenario;
  checker c = {p, s, source ? source : "plan.json", d};
  size_t H = s->nhouseholds;
  long *route_of = malloc((s->nstaff * HV_DAYS + 1) * sizeof *route_of);
  long *visit_of = malloc((H + 1) * sizeof *visit_of);
  size_t *loc = malloc((H + 1) * sizeof *loc);
  hv_latlon *pts = malloc((H + 1) * sizeof *pts);
  double *T = NULL;
  hv_status st = HV_OK;
  if (!route_of || !visit_of || !loc || !pts) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < s->nstaff * HV_DAYS; i++)
    route_of[i] = -1;
  for (size_t h = 0; h < H; h++)
    visit_of[h] = -1, loc[h] = SIZE_MAX;
  /* Travel times between the school and the households the plan visits. */
  size_t n = 0;
  if (s->base.has_coords) {
    pts[n++] = (hv_latlon){s->base.lat, s->base.lon};
    for (size_t r = 0; r < p->nroutes; r++)
      for (size_t k = 0; k < p->routes[r].nstops; k++) {
        size_t h = p->routes[r].stops[k].household;
        double lat, lon;
        if (h < H && loc[h] == SIZE_MAX &&
            hv_household_site(s, &s->households[h], &lat, &lon)) {
          loc[h] = n;
          pts[n++] = (hv_latlon){lat, lon};
        }
      }
    st = hv__travel_minutes(s, pts, n, &T, err);
    if (st != HV_OK) goto done;
  } else {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                 (hv_where){.source = "scenario.json", .field = "base"},
                 "the school has no coordinates: travel times cannot be "
                 "checked");
  }
  for (size_t r = 0; r < p->nroutes; r++)
    check_route(&c, r, T, n, loc, route_of, visit_of);
  for (size_t i = 0; i < p->ncalls; i++)
    check_call(&c, i, visit_of);
done:
  free(route_of), free(visit_of), free(loc), free(pts), free(T);
  return st;
}

/* ---- timing a hand-edited plan ---------------------------------------- */

hv_status hv_plan_retime(hv_plan *p, hv_error *err) {
  const hv_scenario *s = p->scenario;
  if (!s->base.has_coords)
    return hv_error_set(err, HV_E_INPUT,
                        (hv_where){.source = "scenario.json", .field = "base"},
                        "the school has no coordinates");
  int notes = s->visits.buffer_minutes, max_wait = s->visits.max_wait_minutes;
  p->travel_minutes = 0;
  for (size_t r = 0; r < p->nroutes; r++) {
    hv_plan_route *pr = &p->routes[r];
    size_t n = pr->nstops;
    hv_latlon *pts = malloc((n + 1) * sizeof *pts);
    size_t *loc = malloc((n + 1) * sizeof *loc);
    if (!pts || !loc) {
      free(pts), free(loc);
      return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    }
    size_t m = 0;
    pts[m++] = (hv_latlon){s->base.lat, s->base.lon};
    for (size_t k = 0; k < n; k++) {
      size_t h = pr->stops[k].household;
      double lat, lon;
      loc[k] = 0;
      if (h < s->nhouseholds &&
          hv_household_site(s, &s->households[h], &lat, &lon)) {
        loc[k] = m;
        pts[m++] = (hv_latlon){lat, lon};
      }
    }
    double *T = NULL;
    hv_status st = hv__travel_minutes(s, pts, m, &T, err);
    free(pts);
    if (st != HV_OK) {
      free(loc);
      return st;
    }
    double travel = 0;
    size_t prev = 0;
    int free_at = 0;
    for (size_t k = 0; k < n; k++) {
      hv_plan_stop *ps = &pr->stops[k];
      double drive = T[prev * m + loc[k]];
      if (k == 0) {
        pr->depart = ps->start - (int)drive;
        free_at = pr->depart;
      }
      ps->school_from = ps->school_to = -1;
      double back = T[prev * m + 0], out = T[0 * m + loc[k]];
      double wait = ps->start - (free_at + drive);
      if (k > 0 && max_wait > 0 && wait > max_wait &&
          free_at + back + out <= ps->start) {
        ps->school_from = free_at + (int)back;
        ps->school_to = ps->start - (int)out;
        drive = back + out;
        ps->arrive = ps->start;
      } else {
        int at = free_at + (int)drive;
        ps->arrive = at < ps->start ? at : ps->start;
      }
      ps->travel_min = drive;
      travel += drive;
      int leave = ps->end + notes;
      free_at = leave > ps->start ? leave : ps->start;
      prev = loc[k];
    }
    double home = T[prev * m + 0];
    if (n > 0) pr->back = free_at + (int)home;
    pr->travel_min = travel + home;
    p->travel_minutes += pr->travel_min;
    free(T);
    free(loc);
  }
  return HV_OK;
}
