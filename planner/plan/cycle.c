/* planner/plan/cycle.c -- the weekly cycle: plans stored in the program
 * database, outcomes recorded against the week's plan, and the next week
 * written from the history (docs/cycle.md states the rules). */
#include "hv/cycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hv/nextweek.h"
#include "scenario_def.h"

/* ---- the database of a scenario ------------------------------------- */

bool hv_cycle_db_path(const hv_scenario *s, char *buf, size_t size) {
  char dir[4096];
  if (!hv_scenario_program_dir(s, dir, sizeof dir)) return false;
  return hv_path_join(buf, size, dir, HV_STORE_FILE);
}

bool hv_cycle_has_program(const hv_scenario *s) {
  char path[4200];
  struct stat sb;
  return hv_cycle_db_path(s, path, sizeof path) && stat(path, &sb) == 0;
}

hv_status hv_cycle_open(const hv_scenario *s, bool create, hv_store **out,
                        hv_error *err) {
  char path[4200];
  if (!hv_cycle_db_path(s, path, sizeof path))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = hv_scenario_dir(s)},
                        "path too long");
  return hv_store_open(path, create, out, err);
}

/* The time of a change, ISO 8601 in UTC. */
static void now_text(char *buf, size_t size) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *visit_type_name(hv_visit_type t) {
  return t == HV_VISIT_RELATIONAL  ? "relational"
         : t == HV_VISIT_FOLLOW_UP ? "follow_up"
                                   : "attendance";
}

/* ---- importing and storing plans ------------------------------------ */

hv_status hv_cycle_import(hv_store *st, const hv_scenario *s, hv_error *err) {
  char today[HV_DATE_TEXT];
  hv_date_format(hv_date_today(), today);
  hv_status rc = HV_OK;
  for (size_t i = 0; rc == HV_OK && i < hv_scenario_household_count(s); i++) {
    const hv_household *h = hv_scenario_household(s, i);
    char avail[1024];
    hv_avail_format(hv_household_family_avail(h), avail, sizeof avail);
    hv_store_household sh = {.id = h->id,
                             .guardian = h->guardian,
                             .address = h->address,
                             .language = h->language,
                             .phone = h->phone,
                             .availability = avail,
                             .notes = h->notes,
                             .visit_type = visit_type_name(h->visit_type),
                             .preferred_staff = h->preferred_staff,
                             .students = h->student,
                             .has_coords = h->has_coords,
                             .lat = h->lat,
                             .lon = h->lon,
                             .priority = h->priority};
    rc = hv_store_put_household(st, &sh, today, err);
  }
  for (size_t i = 0; rc == HV_OK && i < hv_scenario_staff_count(s); i++) {
    const hv_staff *p = hv_scenario_staff(s, i);
    char langs[256] = "", avail[1024];
    for (size_t k = 0; k < p->nlang; k++) {
      size_t l = strlen(langs);
      snprintf(langs + l, sizeof langs - l, "%s%s", k ? ";" : "",
               p->languages[k]);
    }
    hv_avail_format(&p->avail, avail, sizeof avail);
    hv_store_staff ss = {.id = p->id,
                         .name = p->name,
                         .languages = langs,
                         .phone = p->phone,
                         .availability = avail,
                         .max_visits_per_day = p->max_visits_per_day};
    rc = hv_store_put_staff(st, &ss, err);
  }
  return rc;
}

/* Stores the plan's visits (inside the caller's transaction). */
static hv_status store_plan(hv_store *st, const hv_plan *p,
                            const char *plan_path, hv_cycle_stored *out,
                            hv_error *err) {
  const hv_scenario *s = hv_plan_scenario(p);
  char week[HV_DATE_TEXT], now[32];
  hv_date_format(hv_scenario_monday(s), week);
  now_text(now, sizeof now);
  hv_cycle_stored got = {0};
  hv_status rc = hv_cycle_import(st, s, err);
  if (rc == HV_OK)
    rc = hv_store_replan_week(st, week, plan_path, now, &got.kept, err);
  for (size_t r = 0; rc == HV_OK && r < hv_plan_route_count(p); r++) {
    const hv_plan_route *pr = hv_plan_route_at(p, r);
    char date[HV_DATE_TEXT];
    hv_date_format(pr->date, date);
    for (size_t k = 0; rc == HV_OK && k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      const hv_household *h = ps->household < hv_scenario_household_count(s)
                                  ? hv_scenario_household(s, ps->household)
                                  : NULL;
      if (h == NULL) continue; /* kept from a plan, since removed */
      char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
      hv_store_visit v = {
          .week_of = week,
          .household = h->id,
          .date = date,
          .pair = pr->pair,
          .staff_a = pr->staff[0],
          .staff_b = pr->staff[1],
          .start = hv_hhmm_format(ps->start, a),
          .end = hv_hhmm_format(ps->end, b),
          .visit_type = visit_type_name(h->visit_type),
          .mode = h->mode == HV_MODE_PLACE ? "community" : "home",
          .attempt = h->attempts + 1};
      bool added;
      rc = hv_store_add_visit(st, &v, &added, err);
      got.visits += added;
    }
  }
  /* Video calls: one staff member, no pair. */
  for (size_t c = 0; rc == HV_OK && c < hv_plan_call_count(p); c++) {
    const hv_plan_call *pc = hv_plan_call_at(p, c);
    if (pc->household >= hv_scenario_household_count(s)) continue;
    const hv_household *h = hv_scenario_household(s, pc->household);
    char date[HV_DATE_TEXT], a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
    hv_store_visit v = {.week_of = week,
                        .household = h->id,
                        .date = hv_date_format(pc->date, date),
                        .pair = "",
                        .staff_a = pc->staff,
                        .staff_b = "",
                        .start = hv_hhmm_format(pc->start, a),
                        .end = hv_hhmm_format(pc->end, b),
                        .visit_type = visit_type_name(h->visit_type),
                        .mode = "video",
                        .attempt = h->attempts + 1};
    bool added;
    rc = hv_store_add_visit(st, &v, &added, err);
    got.visits += added;
  }
  if (out) *out = got;
  return rc;
}

hv_status hv_cycle_store_plan(hv_store *st, const hv_plan *p,
                              const char *plan_path, hv_cycle_stored *out,
                              hv_error *err) {
  return hv_cycle_store_plan_as(st, p, plan_path, "command line", out, err);
}

hv_status hv_cycle_store_plan_as(hv_store *st, const hv_plan *p,
                                 const char *plan_path, const char *who,
                                 hv_cycle_stored *out, hv_error *err) {
  hv_status rc = hv_store_begin(st, err);
  if (rc != HV_OK) return rc;
  rc = store_plan(st, p, plan_path, out, err);
  if (rc == HV_OK) {
    char now[32], week[HV_DATE_TEXT], detail[200];
    now_text(now, sizeof now);
    hv_date_format(hv_scenario_monday(hv_plan_scenario(p)), week);
    snprintf(detail, sizeof detail, "week of %s: %zu visits, %zu calls", week,
             out ? out->visits : 0, hv_plan_call_count(p));
    rc = hv_store_audit(st, now, who, "plan made", detail, err);
  }
  if (rc != HV_OK) {
    hv_store_rollback(st);
    return rc;
  }
  return hv_store_commit(st, err);
}

/* ---- recording ------------------------------------------------------ */

static void row_error(hv_diags *d, const char *file, uint32_t line,
                      const char *field, const char *fmt, ...) HV_PRINTF(5, 6);
static void row_error(hv_diags *d, const char *file, uint32_t line,
                      const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = file, .line = line, .field = field}, fmt,
                ap);
  va_end(ap);
}

/* Whether household id is planned in p; its route's date through *date. */
static bool planned_in(const hv_plan *p, const char *id, hv_date *date) {
  for (size_t r = 0; r < hv_plan_route_count(p); r++) {
    const hv_plan_route *pr = hv_plan_route_at(p, r);
    for (size_t k = 0; k < pr->nstops; k++)
      if (strcmp(pr->stops[k].household_id, id) == 0) {
        *date = pr->date;
        return true;
      }
  }
  for (size_t c = 0; c < hv_plan_call_count(p); c++)
    if (strcmp(hv_plan_call_at(p, c)->household_id, id) == 0) {
      *date = hv_plan_call_at(p, c)->date;
      return true;
    }
  return false;
}

static hv_status record_visits(hv_store *st, const hv_plan *week,
                               const hv_visit_log *log, const char *now,
                               hv_record_summary *sum, hv_diags *d,
                               hv_error *err) {
  const hv_scenario *s = hv_plan_scenario(week);
  hv_date monday = hv_scenario_monday(s), sunday = hv_date_add(monday, 6);
  char wk[HV_DATE_TEXT], last[HV_DATE_TEXT];
  hv_date_format(monday, wk);
  hv_date_format(sunday, last);
  const char *file = hv_visit_log_name(log);
  /* First every check, then (only when all pass) every write. */
  for (size_t i = 0; i < hv_visit_log_visits(log); i++) {
    const hv_log_visit *v = hv_visit_log_visit(log, i);
    char date[HV_DATE_TEXT];
    hv_date_format(v->date, date);
    hv_date planned;
    hv_store_status status;
    bool known;
    hv_status rc = hv_store_get_status(st, v->household, &status, &known, err);
    if (rc != HV_OK) return rc;
    if (!known && hv_scenario_find_household(s, v->household) < 0) {
      row_error(d, file, v->line, "household",
                "unknown household '%s' (not in households.csv or the "
                "program database)",
                v->household);
    } else if (!planned_in(week, v->household, &planned)) {
      row_error(d, file, v->line, "household",
                "household '%s' has no visit in the plan for the week of %s",
                v->household, wk);
    } else if (hv_date_cmp(v->date, monday) < 0 ||
               hv_date_cmp(v->date, sunday) > 0) {
      row_error(d, file, v->line, "date",
                "%s is outside the week of %s (%s to %s)", date, wk, wk, last);
    }
  }
  /* Errors the reader found count too: all or nothing. */
  if (hv_diags_errors(d) > 0) return HV_E_INPUT;
  for (size_t i = 0; i < hv_visit_log_visits(log); i++) {
    const hv_log_visit *v = hv_visit_log_visit(log, i);
    hv_store_planned pv;
    bool found;
    hv_status rc = hv_store_find_visit(st, wk, v->household, &pv, &found, err);
    if (rc != HV_OK) return rc;
    if (!found)
      return hv_error_set(err, HV_E_STORE, (hv_where){.source = file},
                          "household '%s': the week's visit is missing from "
                          "the database",
                          v->household);
    char date[HV_DATE_TEXT], fu[HV_DATE_TEXT] = "";
    hv_date_format(v->date, date);
    if (v->has_follow_up) hv_date_format(v->follow_up, fu);
    hv_store_outcome o = {.visit_id = pv.id,
                          .household = v->household,
                          .date = date,
                          .outcome = hv_outcome_name(v->outcome),
                          .barriers = v->barriers,
                          .referrals = v->referrals,
                          .next_step = v->next_step,
                          .follow_up_date = fu,
                          .notes = v->notes,
                          .staff = v->staff,
                          .source = file};
    hv_store_change ch;
    hv_store_status before, after;
    if ((rc = hv_store_get_status(st, v->household, &before, &found, err)) !=
            HV_OK ||
        (rc = hv_store_put_outcome(st, &o, now, &ch, err)) != HV_OK ||
        (rc = hv_store_refresh_status(st, v->household, &after, err)) != HV_OK)
      return rc;
    sum->recorded += ch == HV_STORE_NEW;
    sum->unchanged += ch == HV_STORE_SAME;
    sum->corrected += ch == HV_STORE_CORRECTED;
    sum->declined += after == HV_HH_DECLINED && before != HV_HH_DECLINED;
    sum->moved += after == HV_HH_MOVED && before != HV_HH_MOVED;
  }
  return HV_OK;
}

static hv_status record_contacts(hv_store *st, const hv_scenario *s,
                                 const hv_visit_log *log, const char *now,
                                 hv_record_summary *sum, hv_diags *d,
                                 hv_error *err) {
  const char *file = hv_visit_log_name(log);
  hv_date today = hv_date_today();
  for (size_t i = 0; i < hv_visit_log_contacts(log); i++) {
    const hv_log_contact *c = hv_visit_log_contact(log, i);
    hv_store_status status;
    bool known;
    hv_status rc = hv_store_get_status(st, c->household, &status, &known, err);
    if (rc != HV_OK) return rc;
    if (!known &&
        (s == NULL || hv_scenario_find_household(s, c->household) < 0))
      row_error(d, file, c->line, "household",
                "unknown household '%s' (not in the program database)",
                c->household);
    if (hv_date_cmp(c->date, today) > 0) {
      char date[HV_DATE_TEXT];
      row_error(d, file, c->line, "date", "%s is in the future",
                hv_date_format(c->date, date));
    }
  }
  /* Errors the reader found count too: all or nothing. */
  if (hv_diags_errors(d) > 0) return HV_E_INPUT;
  for (size_t i = 0; i < hv_visit_log_contacts(log); i++) {
    const hv_log_contact *c = hv_visit_log_contact(log, i);
    char date[HV_DATE_TEXT];
    hv_store_contact sc = {.household = c->household,
                           .date = hv_date_format(c->date, date),
                           .kind = c->kind,
                           .result = c->result,
                           .staff = c->staff,
                           .notes = c->notes,
                           .source = file};
    hv_store_change ch;
    hv_status rc = hv_store_put_contact(st, &sc, now, &ch, err);
    if (rc != HV_OK) return rc;
    sum->calls_recorded += ch == HV_STORE_NEW;
    sum->calls_unchanged += ch == HV_STORE_SAME;
    sum->calls_corrected += ch == HV_STORE_CORRECTED;
  }
  return HV_OK;
}

hv_status hv_cycle_record(hv_store *st, const hv_plan *week,
                          const hv_visit_log *visits,
                          const hv_visit_log *contacts, hv_record_summary *sum,
                          hv_diags *diags, hv_error *err) {
  return hv_cycle_record_as(st, week, visits, contacts, "command line", sum,
                            diags, err);
}

hv_status hv_cycle_record_as(hv_store *st, const hv_plan *week,
                             const hv_visit_log *visits,
                             const hv_visit_log *contacts, const char *who,
                             hv_record_summary *sum, hv_diags *diags,
                             hv_error *err) {
  memset(sum, 0, sizeof *sum);
  if (visits && week == NULL)
    return hv_error_set(err, HV_E_RANGE, (hv_where){0},
                        "a visit log needs the week's plan");
  char now[32];
  now_text(now, sizeof now);
  hv_status rc = hv_store_begin(st, err);
  if (rc != HV_OK) return rc;
  if (visits) {
    /* The week's plan goes in first when it is not there yet (planned
     * before the program database existed). */
    char wk[HV_DATE_TEXT];
    bool have;
    hv_date_format(hv_scenario_monday(hv_plan_scenario(week)), wk);
    rc = hv_store_has_week(st, wk, &have, err);
    if (rc == HV_OK && !have) rc = store_plan(st, week, "", NULL, err);
    if (rc == HV_OK) rc = record_visits(st, week, visits, now, sum, diags, err);
  }
  if (rc == HV_OK && contacts)
    rc = record_contacts(st, week ? hv_plan_scenario(week) : NULL, contacts,
                         now, sum, diags, err);
  if (rc == HV_OK && (sum->recorded || sum->corrected)) {
    /* The audit trail, in the same transaction: ids and counts only. */
    char detail[400];
    int n = snprintf(detail, sizeof detail, "%zu new, %zu corrected (%s)",
                     sum->recorded, sum->corrected,
                     visits ? hv_visit_log_name(visits) : "");
    for (size_t i = 0; visits && i < hv_visit_log_visits(visits) && n > 0 &&
                       (size_t)n < sizeof detail - 24;
         i++)
      n += snprintf(detail + n, sizeof detail - (size_t)n, "%s%s",
                    i ? " " : ": ", hv_visit_log_visit(visits, i)->household);
    rc = hv_store_audit(st, now, who, "outcomes recorded", detail, err);
  }
  if (rc == HV_OK && (sum->calls_recorded || sum->calls_corrected)) {
    char detail[160];
    snprintf(detail, sizeof detail, "%zu new, %zu corrected",
             sum->calls_recorded, sum->calls_corrected);
    rc = hv_store_audit(st, now, who, "contacts recorded", detail, err);
  }
  if (rc != HV_OK) {
    hv_store_rollback(st);
    memset(sum, 0, sizeof *sum);
    if (rc == HV_E_INPUT)
      return hv_error_set(err, HV_E_INPUT, (hv_where){0},
                          "%zu problems in the logs: nothing recorded",
                          hv_diags_errors(diags));
    return rc;
  }
  return hv_store_commit(st, err);
}

/* ---- next week ------------------------------------------------------ */

void hv_next_options_init(hv_next_options *o) {
  memset(o, 0, sizeof *o);
  o->max_attempts = 3;
  o->priority_step = 15;
}

const char *hv_next_kind_name(hv_next_kind k) {
  static const char *const names[] = {"new",    "retry", "follow_up", "again",
                                      "office", "met",   "declined",  "moved"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* The family's windows without the one the last attempt fell in (same
 * weekday, containing its start time).  Without windows (any time), every
 * planned day but that weekday.  "" when nothing else is left. */
static void other_windows(const hv_scenario *s, const hv_avail *a, hv_date last,
                          int last_start, char *buf, size_t size) {
  int wd = hv_date_weekday(last);
  hv_window w[HV_DAYS * 8];
  hv_avail rest = {0, w};
  if (a->n == 0) {
    for (int d = 0; d < HV_DAYS; d++)
      if ((hv_scenario_days(s) & (1u << d)) && d != wd)
        rest.w[rest.n++] = (hv_window){d, 0, 24 * 60};
  } else {
    for (size_t i = 0; i < a->n && rest.n < sizeof w / sizeof w[0]; i++) {
      const hv_window *x = &a->w[i];
      if (x->day == wd && x->start_min <= last_start && last_start < x->end_min)
        continue;
      rest.w[rest.n++] = *x;
    }
  }
  hv_avail_format(&rest, buf, size);
}

/* Whether households.csv says the family was flagged (column flagged_on)
 * after date: then it is visited again although it was met. */
static bool flagged_after(const hv_scenario *s, const hv_household *h,
                          const char *date) {
  for (size_t i = 0; h && i < s->nhh_extra; i++)
    if (strcmp(s->hh_extra_names[i], "flagged_on") == 0) {
      hv_date f, d;
      return hv_date_parse(h->extra[i], &f) && hv_date_parse(date, &d) &&
             hv_date_cmp(f, d) > 0;
    }
  return false;
}

typedef struct next_ctx {
  hv_next_change *ch;
  size_t nch;
  hv_next_row *rows;
  size_t nrows;
  char (*texts)[512]; /* per row: availability, preferred, last visit and
                         its outcome */
} next_ctx;

static hv_next_change *change(next_ctx *c, const char *id, hv_next_kind k,
                              bool planned) {
  hv_next_change *x = &c->ch[c->nch++];
  memset(x, 0, sizeof *x);
  snprintf(x->household, sizeof x->household, "%s", id);
  x->kind = k;
  x->planned = planned;
  return x;
}

static const hv_store_standing *standing_of(const hv_store_standing *a,
                                            size_t n, const char *id) {
  size_t lo = 0, hi = n;
  while (lo < hi) { /* sorted by id (SQLite's BINARY order = strcmp) */
    size_t mid = (lo + hi) / 2;
    int c = strcmp(a[mid].id, id);
    if (c == 0) return &a[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

hv_status hv_cycle_next(hv_store *st, const hv_scenario *s,
                        const hv_next_options *o, const char *out_dir,
                        hv_next_change **changes, size_t *nchanges,
                        hv_error *err) {
  *changes = NULL;
  *nchanges = 0;
  hv_next_options defaults;
  if (o == NULL) {
    hv_next_options_init(&defaults);
    o = &defaults;
  }
  char now[32], wk[HV_DATE_TEXT], wk_end[HV_DATE_TEXT];
  now_text(now, sizeof now);
  hv_date monday = hv_date_add(o->week_of, -hv_date_weekday(o->week_of));
  hv_date sunday = hv_date_add(monday, 6);
  hv_date_format(monday, wk);
  hv_date_format(sunday, wk_end);
  hv_status rc = hv_store_begin(st, err);
  if (rc != HV_OK) return rc;
  rc = hv_cycle_import(st, s, err);
  hv_store_standing *sd = NULL;
  size_t nsd = 0;
  if (rc == HV_OK) rc = hv_store_standings(st, &sd, &nsd, err);
  size_t H = hv_scenario_household_count(s), cap = H + nsd + 1;
  next_ctx c = {.ch = calloc(cap, sizeof *c.ch),
                .rows = calloc(cap, sizeof *c.rows),
                .texts = calloc(4 * cap, sizeof *c.texts)};
  if (rc == HV_OK && (!c.ch || !c.rows || !c.texts))
    rc = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  /* The flagged list, in file order, then families the history brings
   * back (a follow-up due) that are no longer flagged. */
  for (size_t i = 0; rc == HV_OK && i < H + nsd; i++) {
    const hv_household *h = i < H ? hv_scenario_household(s, i) : NULL;
    const char *id = h ? h->id : sd[i - H].id;
    if (!h && hv_scenario_find_household(s, id) >= 0) continue;
    const hv_store_standing *g = standing_of(sd, nsd, id);
    bool fu_due = g && g->follow_up[0] && !g->follow_up_done &&
                  strcmp(g->follow_up, wk) >= 0 &&
                  strcmp(g->follow_up, wk_end) <= 0;
    if (!h && !(fu_due && g->status == HV_HH_ACTIVE)) continue;
    hv_next_row *row = &c.rows[c.nrows];
    char(*tx)[512] = &c.texts[4 * c.nrows];
    memset(row, 0, sizeof *row);
    row->id = id;
    if (g && g->last_date[0]) {
      snprintf(tx[2], sizeof tx[2], "%s", g->last_date);
      row->last_visit = tx[2];
      /* As the packet says it: "not home". */
      snprintf(tx[3], sizeof tx[3], "%s", g->last_outcome);
      for (char *u = tx[3]; *u; u++)
        if (*u == '_') *u = ' ';
      row->last_outcome = tx[3];
      row->next_step = g->next_step;
    }
    if (g && g->status == HV_HH_DECLINED) {
      snprintf(change(&c, id, HV_NEXT_DECLINED, false)->text, sizeof c.ch->text,
               "declined on %s: not planned again automatically", g->last_date);
      continue;
    }
    if (g && g->status == HV_HH_MOVED) {
      char text[300];
      snprintf(text, sizeof text,
               "moved (visit on %s): update the address, or close the case",
               g->last_date);
      rc = hv_store_add_office_task(st, id, wk, "moved", text, now, err);
      snprintf(change(&c, id, HV_NEXT_MOVED, false)->text, sizeof c.ch->text,
               "%s; listed for the office", text);
      continue;
    }
    if (fu_due) {
      /* The agreed follow-up: the same pair, in the family's windows. */
      row->visit_type = "follow_up";
      snprintf(tx[1], sizeof tx[1], "%s;%s", g->last_staff_a, g->last_staff_b);
      row->preferred_staff = tx[1];
      if (!h) {
        hv_store_details det;
        bool found;
        rc = hv_store_get_household(st, id, &det, &found, err);
        if (rc != HV_OK) break;
        row->new_row = true;
        /* Copies into the texts: det is on the stack. */
        snprintf(tx[0], sizeof tx[0], "%s", det.availability);
        row->availability = tx[0];
        row->guardian = strdup(det.guardian);
        row->student = strdup(det.students);
        row->address = strdup(det.address);
        row->language = strdup(det.language);
        row->phone = strdup(det.phone);
        row->notes = strdup(det.notes);
        row->has_coords = det.has_coords;
        row->lat = det.lat;
        row->lon = det.lon;
        row->priority = det.priority > 0 ? det.priority : 50;
      }
      c.nrows++;
      snprintf(change(&c, id, HV_NEXT_FOLLOW_UP, true)->text, sizeof c.ch->text,
               "follow-up agreed for %s with %s + %s (pair %s on %s)%s",
               g->follow_up, g->last_staff_a, g->last_staff_b, g->last_pair,
               g->last_date, h ? "" : "; no longer flagged, planned anyway");
      continue;
    }
    if (g && g->not_home >= o->max_attempts) {
      char text[300];
      snprintf(text, sizeof text,
               "%d visits with nobody home (last %s): reach the family by "
               "letter or phone, and note the attempts for SARB",
               g->not_home, g->last_date);
      rc = hv_store_add_office_task(st, id, wk, "attempts", text, now, err);
      snprintf(change(&c, id, HV_NEXT_OFFICE, false)->text, sizeof c.ch->text,
               "%s; listed for the office instead of another drive", text);
      continue;
    }
    if (g && g->not_home > 0 && strcmp(g->last_outcome, "not_home") == 0) {
      hv_date last;
      hv_date_parse(g->last_date, &last);
      other_windows(s, hv_household_family_avail(h), last,
                    hv_hhmm_parse(g->last_start, (size_t)-1), tx[0],
                    sizeof tx[0]);
      if (tx[0][0]) row->availability = tx[0];
      row->attempts = g->not_home;
      int p = h->priority + o->priority_step * g->not_home;
      row->priority = p > 100 ? 100 : p;
      c.nrows++;
      snprintf(
          change(&c, id, HV_NEXT_RETRY, true)->text, sizeof c.ch->text,
          "nobody home on %s at %s (%d time%s): attempt %d, %s; "
          "priority %d -> %d",
          g->last_date, g->last_start, g->not_home, g->not_home == 1 ? "" : "s",
          g->not_home + 1,
          tx[0][0] ? "on another day or window" : "same windows (no other)",
          h->priority, row->priority);
      continue;
    }
    if (g && strcmp(g->last_outcome, "met") == 0 &&
        !flagged_after(s, h, g->last_date)) {
      snprintf(change(&c, id, HV_NEXT_MET, false)->text, sizeof c.ch->text,
               "met on %s%s%s: not visited again unless flagged again",
               g->last_date, g->follow_up[0] ? "; follow-up agreed for " : "",
               g->follow_up[0] ? g->follow_up : "");
      continue;
    }
    c.nrows++;
    if (g && g->last_outcome[0])
      snprintf(change(&c, id, HV_NEXT_AGAIN, true)->text, sizeof c.ch->text,
               "last visit on %s: %s; planned again", g->last_date,
               g->last_outcome);
    else
      snprintf(change(&c, id, HV_NEXT_NEW, true)->text, sizeof c.ch->text,
               "flagged, not visited yet");
  }
  if (rc == HV_OK) {
    char prog[4096];
    if (hv_scenario_program_dir(s, prog, sizeof prog))
      rc = hv_next_scenario_write(s, o->week_of, prog, c.rows, c.nrows, out_dir,
                                  err);
    else
      rc = hv_error_set(err, HV_E_IO, (hv_where){.source = hv_scenario_dir(s)},
                        "path too long");
  }
  for (size_t i = 0; i < c.nrows; i++)
    if (c.rows[i].new_row) {
      free((char *)c.rows[i].guardian);
      free((char *)c.rows[i].student);
      free((char *)c.rows[i].address);
      free((char *)c.rows[i].language);
      free((char *)c.rows[i].phone);
      free((char *)c.rows[i].notes);
    }
  free(c.rows);
  free(c.texts);
  free(sd);
  if (rc != HV_OK) {
    hv_store_rollback(st);
    free(c.ch);
    return rc;
  }
  rc = hv_store_commit(st, err);
  if (rc != HV_OK) {
    free(c.ch);
    return rc;
  }
  *changes = c.ch;
  *nchanges = c.nch;
  return HV_OK;
}
