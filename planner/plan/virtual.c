/* planner/plan/virtual.c -- video calls: households whose mode is virtual
 * are called by one staff member who speaks the family's language, inside
 * the family's window and that person's hours, never while that person is
 * out on a route (time back at school between trips is free) nor in
 * another call, with visits.buffer_minutes for notes after each call.
 *
 * The routes are planned first (they are the scarce resource: two people
 * and a car); calls then take the free time, most urgent family first,
 * each at the earliest free slot, preferring the staff the family asked
 * for.  The planner never turns an in-person visit into a call: for an
 * in-person family left unvisited it only says when a call could reach it
 * (hv__virtual_option), for the coordinator to decide. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

#define SLOT_STEP 5 /* calls start on a five-minute mark */
#define MAX_BUSY 256

size_t hv__staff_busy(const hv_plan *p, size_t k, int day, int (*iv)[2],
                      size_t cap, int *visits) {
  const hv_scenario *s = p->scenario;
  size_t n = 0;
  int count = 0;
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    if (pr->day != day ||
        (pr->staff_index[0] != (long)k && pr->staff_index[1] != (long)k))
      continue;
    count += (int)pr->nstops;
    int from = pr->depart;
    for (size_t i = 0; i < pr->nstops; i++) {
      const hv_plan_stop *ps = &pr->stops[i];
      if (ps->school_from < 0) continue;
      if (n < cap) iv[n][0] = from, iv[n][1] = ps->school_from, n++;
      from = ps->school_to;
    }
    if (n < cap) iv[n][0] = from, iv[n][1] = pr->back, n++;
  }
  for (size_t c = 0; c < p->ncalls; c++) {
    const hv_plan_call *pc = &p->calls[c];
    if (pc->day != day || pc->staff_index != (long)k) continue;
    count++;
    if (n < cap)
      iv[n][0] = pc->start, iv[n][1] = pc->end + s->visits.buffer_minutes, n++;
  }
  if (visits) *visits = count;
  return n;
}

/* The earliest start in [lo, hi - dur] on a five-minute mark at which a
 * call of dur minutes plus notes meets none of the busy intervals; -1 if
 * none. */
static int earliest(int lo, int hi, int dur, int notes, int (*iv)[2],
                    size_t n) {
  int t = (lo + SLOT_STEP - 1) / SLOT_STEP * SLOT_STEP;
  for (;;) {
    if (t + dur > hi) return -1;
    bool moved = false;
    for (size_t i = 0; i < n; i++)
      if (t < iv[i][1] && t + dur + notes > iv[i][0]) {
        t = (iv[i][1] + SLOT_STEP - 1) / SLOT_STEP * SLOT_STEP;
        moved = true;
      }
    if (!moved) return t;
  }
}

/* A slot for household h: staff *who, day *day, start *start.  The
 * family's preferred staff first, then the earliest day and time, then
 * whoever has fewer calls this week.  False when none. */
typedef struct slot {
  long who;
  int day, start;
} slot;

static int calls_of(const hv_plan *p, size_t k) {
  int n = 0;
  for (size_t c = 0; c < p->ncalls; c++)
    n += p->calls[c].staff_index == (long)k;
  return n;
}

static bool find_slot(const hv_scenario *s, const hv_plan *p, unsigned days,
                      const hv_household *hh, slot *best) {
  long pref[2];
  size_t npref = hv_household_preferred(s, hh, pref);
  int dur = hv_household_minutes(s, hh), notes = s->visits.buffer_minutes;
  bool found = false;
  int best_pref = 0, best_calls = 0;
  int iv[MAX_BUSY][2];
  for (size_t k = 0; k < s->nstaff; k++) {
    const hv_staff *st = &s->staff[k];
    if (strcmp(hh->language, "en") != 0 && !hv_staff_speaks(st, hh->language))
      continue;
    int preferred = 0;
    for (size_t i = 0; i < npref; i++)
      preferred |= pref[i] == (long)k;
    int ncalls = calls_of(p, k);
    for (int d = 0; d < HV_DAYS; d++) {
      if (!(days & (1u << d))) continue;
      int visits;
      size_t nb = hv__staff_busy(p, k, d, iv, MAX_BUSY, &visits);
      if (st->max_visits_per_day > 0 && visits >= st->max_visits_per_day)
        continue;
      for (size_t w = 0; w < st->avail.n; w++) {
        const hv_window *sw = &st->avail.w[w];
        if (sw->day != d) continue;
        size_t nf = hh->avail.n ? hh->avail.n : 1;
        for (size_t f = 0; f < nf; f++) {
          int lo = sw->start_min, hi = sw->end_min;
          if (hh->avail.n) {
            const hv_window *fw = &hh->avail.w[f];
            if (fw->day != d) continue;
            if (fw->start_min > lo) lo = fw->start_min;
            if (fw->end_min < hi) hi = fw->end_min;
          }
          int t = earliest(lo, hi, dur, notes, iv, nb);
          if (t < 0) continue;
          bool better =
              !found || preferred > best_pref ||
              (preferred == best_pref &&
               (d < best->day || (d == best->day && t < best->start) ||
                (d == best->day && t == best->start && ncalls < best_calls)));
          if (better) {
            *best = (slot){(long)k, d, t};
            best_pref = preferred;
            best_calls = ncalls;
            found = true;
          }
        }
      }
    }
  }
  return found;
}

/* Why no call could be planned for household h. */
static void explain_call(const hv_scenario *s, unsigned days, size_t h,
                         hv_unvisited *u) {
  const hv_household *hh = &s->households[h];
  const char *lang = hh->language;
  bool en = strcmp(lang, "en") == 0, anyone = en, window = false;
  int dur = hv_household_minutes(s, hh);
  for (size_t k = 0; k < s->nstaff; k++) {
    const hv_staff *st = &s->staff[k];
    if (!en && !hv_staff_speaks(st, lang)) continue;
    anyone = true;
    for (int d = 0; d < HV_DAYS && !window; d++)
      window = (days & (1u << d)) &&
               (hh->avail.n == 0 ? hv_avail_minutes(&st->avail, d) >= dur
                                 : hv_avail_overlap(&hh->avail, &st->avail, d,
                                                    NULL, NULL) >= dur);
  }
  u->household = h;
  if (!anyone) {
    u->reason = HV_WHY_LANGUAGE;
    snprintf(u->text, sizeof u->text,
             "no staff member speaks %s (%s) for the video call",
             hv_language_name(lang), lang);
  } else if (!window) {
    u->reason = HV_WHY_WINDOWS;
    snprintf(u->text, sizeof u->text,
             "no staff member%s%s works during the family's windows for a "
             "%d-minute video call",
             en ? "" : " who speaks ", en ? "" : hv_language_name(lang), dur);
  } else {
    u->reason = HV_WHY_CAPACITY;
    snprintf(u->text, sizeof u->text,
             "no free time for the %d-minute video call: every staff "
             "member%s%s is on a route or in another call during the "
             "family's windows",
             dur, en ? "" : " who speaks ", en ? "" : hv_language_name(lang));
  }
}

static int cmp_call(const void *a, const void *b) {
  const hv_plan_call *x = a, *y = b;
  if (x->day != y->day) return x->day - y->day;
  if (x->start != y->start) return x->start - y->start;
  return strcmp(x->staff, y->staff);
}

hv_status hv__plan_calls(const hv_scenario *s, hv_plan *plan, unsigned days,
                         const uint8_t *done, const hv_plan_call *kept,
                         size_t nkept, hv_error *err) {
  size_t H = s->nhouseholds, want = 0;
  for (size_t h = 0; h < H; h++)
    want += s->households[h].mode == HV_MODE_VIRTUAL && !done[h];
  size_t *order = malloc((want + 1) * sizeof *order);
  plan->calls = calloc(want + nkept + 1, sizeof *plan->calls);
  if (order == NULL || plan->calls == NULL) {
    free(order);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  for (size_t i = 0; i < nkept; i++)
    plan->calls[plan->ncalls++] = kept[i];
  size_t n = 0;
  for (size_t h = 0; h < H; h++)
    if (s->households[h].mode == HV_MODE_VIRTUAL && !done[h]) order[n++] = h;
  /* Most urgent first, then file order (insertion sort: stable). */
  for (size_t i = 1; i < n; i++) {
    size_t x = order[i], j = i;
    while (j > 0 &&
           s->households[order[j - 1]].priority < s->households[x].priority) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = x;
  }
  for (size_t i = 0; i < n; i++) {
    size_t h = order[i];
    const hv_household *hh = &s->households[h];
    slot sl;
    if (!find_slot(s, plan, days, hh, &sl)) {
      explain_call(s, days, h, &plan->unvisited[plan->nunvisited++]);
      continue;
    }
    hv_plan_call *pc = &plan->calls[plan->ncalls++];
    *pc = (hv_plan_call){.household = h,
                         .household_id = hh->id,
                         .day = sl.day,
                         .date = hv_scenario_date(s, sl.day),
                         .staff = s->staff[sl.who].id,
                         .staff_index = sl.who,
                         .start = sl.start,
                         .end = sl.start + hv_household_minutes(s, hh)};
  }
  free(order);
  qsort(plan->calls, plan->ncalls, sizeof *plan->calls, cmp_call);
  return HV_OK;
}

void hv__virtual_option(const hv_scenario *s, const hv_plan *plan,
                        unsigned days, size_t h, char *buf, size_t size) {
  buf[0] = '\0';
  const hv_household *hh = &s->households[h];
  if (hh->mode == HV_MODE_VIRTUAL) return;
  /* As a call: the call's length, within the family's own windows. */
  hv_household call = *hh;
  call.mode = HV_MODE_VIRTUAL;
  call.avail = *hv_household_family_avail(hh);
  call.duration_min = 0;
  slot sl;
  if (!find_slot(s, plan, days, &call, &sl)) return;
  char t[HV_HHMM_TEXT];
  snprintf(buf, size, "%s %s %s", hv_day_name(sl.day),
           hv_hhmm_format(sl.start, t), s->staff[sl.who].id);
}
