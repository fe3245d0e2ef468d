/* web/api.c -- the JSON API of `hvplan serve` (docs/api.md).  Every
 * endpoint checks the caller's role; staff see only their own visits and
 * calls, viewers only what carries no name, address or phone. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hv/cycle.h"
#include "hv/path.h"
#include "hv/plan.h"
#include "hv/scenario.h"
#include "hv/visitlog.h"
#include "web_int.h"

const char *hv__arg(hv_request *q, const char *name) {
  return MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
}

static bool is(hv_request *q, const char *method, const char *url) {
  return strcmp(q->method, method) == 0 && strcmp(q->url, url) == 0;
}

/* The date an argument names (YYYY-MM-DD), else today (local time). */
static bool date_arg(hv_request *q, const char *name, hv_date *out) {
  const char *v = hv__arg(q, name);
  if (v) return hv_date_parse(v, out);
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  *out = (hv_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
  return true;
}

/* ---- the week's plan ------------------------------------------------ */

typedef struct week_data {
  char week[11], path[4096];
  hv_scenario *s; /* borrowed from the server's cache */
  hv_plan *p;
} week_data;

static void week_free(week_data *w) {
  (void)w;
}

void hv__api_end(hv_server *sv) {
  hv_plan_free(sv->cache.p);
  hv_scenario_free(sv->cache.s);
  memset(&sv->cache, 0, sizeof sv->cache);
}

/* The change times and sizes of the files a week's data comes from,
 * mixed into one number (unsigned: it wraps). */
static unsigned long long stamp_of(const char *plan_path, const char *dir) {
  static const char *const names[] = {"scenario.json", "households.csv",
                                      "staff.csv", "pairs.csv", "places.csv"};
  struct stat sb;
  unsigned long long x = 0;
  if (stat(plan_path, &sb) == 0)
    x = (unsigned long long)sb.st_mtim.tv_sec * 1000003ULL +
        (unsigned long long)sb.st_mtim.tv_nsec + (unsigned long long)sb.st_size;
  for (size_t i = 0; dir[0] && i < sizeof names / sizeof names[0]; i++) {
    char path[4200];
    if (hv_path_join(path, sizeof path, dir, names[i]) && stat(path, &sb) == 0)
      x = x * 31ULL + (unsigned long long)sb.st_mtim.tv_sec * 1000003ULL +
          (unsigned long long)sb.st_mtim.tv_nsec +
          (unsigned long long)sb.st_size;
  }
  return x;
}

hv_status hv__week_plan(hv_server *sv, const hv_date *d, char *monday,
                        char *path, size_t size, bool *found) {
  char wk[HV_DATE_TEXT] = "", stored[11];
  if (d) hv_date_format(hv_date_add(*d, -hv_date_weekday(*d)), wk);
  hv_error err = {0};
  hv_status st =
      hv_store_week_plan(sv->db, wk, stored, path, size, found, &err);
  *found = st == HV_OK && *found && path[0] != '\0';
  snprintf(monday, HV_DATE_TEXT, "%s", d ? wk : stored);
  return st;
}

/* The plan stored for the week holding date d (db lock held): 404 when the
 * week was never planned.  The scenario and plan are read once and kept
 * while their files do not change. */
static bool load_week(hv_server *sv, hv_date d, week_data *w, bool need_plan,
                      hv_reply *r) {
  memset(w, 0, sizeof *w);
  char wk[HV_DATE_TEXT];
  bool found;
  hv_error err = {0};
  if (hv__week_plan(sv, &d, wk, w->path, sizeof w->path, &found) != HV_OK) {
    hv__reply_error(r, 500, NULL, "the program database failed");
    return false;
  }
  snprintf(w->week, sizeof w->week, "%s", wk);
  if (!found) {
    hv__reply_error(r, 404, "week_of", "the week of %s has no plan", wk);
    return false;
  }
  if (!need_plan) return true;
  if (sv->cache.p && strcmp(sv->cache.path, w->path) == 0 &&
      stamp_of(w->path, sv->cache.dir) == sv->cache.stamp) {
    w->s = sv->cache.s;
    w->p = sv->cache.p;
    return true;
  }
  hv__api_end(sv);
  char dir[4096];
  hv_scenario *s = NULL;
  hv_plan *p = NULL;
  hv_diags *dg = hv_diags_create();
  bool ok = dg && hv_plan_scenario_dir(w->path, dir, sizeof dir, &err) == HV_OK;
  unsigned long long stamp = ok ? stamp_of(w->path, dir) : 0;
  ok = ok && hv_scenario_load(dir, &s, dg) == HV_OK &&
       hv_plan_load(s, w->path, &p, &err) == HV_OK;
  hv_diags_free(dg);
  if (!ok) {
    hv_plan_free(p);
    hv_scenario_free(s);
    hv__reply_error(r, 500, NULL,
                    "the plan of the week of %s cannot be read: re-plan it",
                    wk);
    return false;
  }
  snprintf(sv->cache.path, sizeof sv->cache.path, "%s", w->path);
  snprintf(sv->cache.dir, sizeof sv->cache.dir, "%s", dir);
  sv->cache.stamp = stamp;
  sv->cache.s = w->s = s;
  sv->cache.p = w->p = p;
  return true;
}

/* GET /api/week: plan.json, filtered to what the caller may see. */
static void api_week(hv_server *sv, hv_request *q, hv_reply *r) {
  hv_date d;
  if (!date_arg(q, "week_of", &d)) {
    hv__reply_error(r, 400, "week_of", "give a date YYYY-MM-DD");
    return;
  }
  week_data w;
  if (!load_week(sv, d, &w, false, r)) return;
  json_error_t je;
  json_t *plan = json_load_file(w.path, 0, &je);
  if (plan == NULL) {
    hv__reply_error(r, 500, NULL, "the week's plan.json cannot be read");
    return;
  }
  json_object_del(plan, "scenario_dir");
  const hv_user *u = &q->session.user;
  if (u->role != HV_ROLE_COORDINATOR) {
    /* Staff: their routes and calls; viewers: times without families. */
    json_t *routes = json_object_get(plan, "routes"), *keep = json_array();
    size_t i;
    json_t *rt;
    json_array_foreach(routes, i, rt) {
      json_t *staff = json_object_get(rt, "staff");
      bool mine = false;
      for (size_t k = 0; k < json_array_size(staff); k++) {
        const char *id = json_string_value(json_array_get(staff, k));
        mine |= id && strcmp(id, u->staff) == 0;
      }
      if (u->role == HV_ROLE_STAFF && !mine) continue;
      if (u->role == HV_ROLE_VIEWER) {
        size_t k;
        json_t *stop;
        json_array_foreach(json_object_get(rt, "stops"), k, stop)
            json_object_set_new(stop, "household", json_string(""));
      }
      json_array_append(keep, rt);
    }
    json_object_set_new(plan, "routes", keep);
    json_t *calls = json_object_get(plan, "virtual_visits"), *kc = json_array();
    json_array_foreach(calls, i, rt) {
      const char *who = json_string_value(json_object_get(rt, "staff"));
      if (u->role == HV_ROLE_STAFF && (!who || strcmp(who, u->staff) != 0))
        continue;
      if (u->role == HV_ROLE_VIEWER)
        json_object_set_new(rt, "household", json_string(""));
      json_array_append(kc, rt);
    }
    if (calls)
      json_object_set_new(plan, "virtual_visits", kc);
    else
      json_decref(kc);
    json_object_set_new(plan, "unvisited", json_array());
  }
  hv__reply_json(r, 200, plan);
}

/* The family's window holding [start, end) on day, as text. */
static void window_of(const hv_household *h, int day, int start, char *buf,
                      size_t size) {
  snprintf(buf, size, "any time");
  for (size_t i = 0; i < h->avail.n; i++) {
    const hv_window *w = &h->avail.w[i];
    if (w->day == day && w->start_min <= start && start < w->end_min) {
      char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
      snprintf(buf, size, "%s-%s", hv_hhmm_format(w->start_min, a),
               hv_hhmm_format(w->end_min, b));
    }
  }
}

static json_t *stop_json(const hv_scenario *s, const hv_household *h, int day,
                         int start, int end) {
  char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT], win[32], site[512], map[160];
  window_of(h, day, start, win, sizeof win);
  hv_household_site_text(s, h, site, sizeof site);
  double lat, lon;
  if (hv_household_site(s, h, &lat, &lon))
    snprintf(
        map, sizeof map,
        "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f",
        lat, lon, lat, lon);
  else
    map[0] = '\0';
  char mode[160];
  /* First names only, as on the route sheet. */
  char first[256];
  hv_student_first_names(h->student, ", ", first, sizeof first);
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                   "household", h->id, "start", hv_hhmm_format(start, a), "end",
                   hv_hhmm_format(end, b), "window", win, "guardian",
                   h->guardian, "students", first, "address", site, "map", map,
                   "phone", h->phone, "language", hv_language_name(h->language),
                   "mode", hv_household_mode_text(s, h, mode, sizeof mode));
}

/* GET /api/today: the caller's stops of a day, in order, with what the
 * door needs. */
static void api_today(hv_server *sv, hv_request *q, hv_reply *r) {
  const hv_user *u = &q->session.user;
  if (u->role == HV_ROLE_VIEWER) {
    hv__reply_error(r, 403, NULL, "viewers see summaries only");
    return;
  }
  hv_date d;
  if (!date_arg(q, "date", &d)) {
    hv__reply_error(r, 400, "date", "give a date YYYY-MM-DD");
    return;
  }
  week_data w;
  if (!load_week(sv, d, &w, true, r)) return;
  const hv_scenario *s = w.s;
  int day = hv_date_weekday(d);
  char date[HV_DATE_TEXT];
  json_t *routes = json_array(), *calls = json_array();
  for (size_t i = 0; i < hv_plan_route_count(w.p); i++) {
    const hv_plan_route *pr = hv_plan_route_at(w.p, i);
    if (pr->day != day) continue;
    if (u->role == HV_ROLE_STAFF && strcmp(pr->staff[0], u->staff) != 0 &&
        strcmp(pr->staff[1], u->staff) != 0)
      continue;
    json_t *stops = json_array();
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      if (ps->household >= hv_scenario_household_count(s)) continue;
      json_t *st = stop_json(s, hv_scenario_household(s, ps->household), day,
                             ps->start, ps->end);
      if (ps->school_from >= 0) {
        char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
        json_object_set_new(
            st, "back_at_school",
            json_pack("[ss]", hv_hhmm_format(ps->school_from, a),
                      hv_hhmm_format(ps->school_to, b)));
      }
      json_array_append_new(stops, st);
    }
    char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
    const char *na =
        pr->staff_index[0] >= 0
            ? hv_scenario_staff(s, (size_t)pr->staff_index[0])->name
            : pr->staff[0];
    const char *nb =
        pr->staff_index[1] >= 0
            ? hv_scenario_staff(s, (size_t)pr->staff_index[1])->name
            : pr->staff[1];
    json_array_append_new(
        routes,
        json_pack("{s:s, s:[ss], s:s, s:s, s:o}", "pair", pr->pair, "staff", na,
                  nb, "depart", hv_hhmm_format(pr->depart, a), "return",
                  hv_hhmm_format(pr->back, b), "stops", stops));
  }
  for (size_t c = 0; c < hv_plan_call_count(w.p); c++) {
    const hv_plan_call *pc = hv_plan_call_at(w.p, c);
    if (pc->day != day || pc->household >= hv_scenario_household_count(s))
      continue;
    if (u->role == HV_ROLE_STAFF && strcmp(pc->staff, u->staff) != 0) continue;
    json_t *st = stop_json(s, hv_scenario_household(s, pc->household), day,
                           pc->start, pc->end);
    char link[512];
    json_object_set_new(
        st, "join",
        json_string(hv_plan_call_link(s, pc, link, sizeof link) + 12));
    json_object_set_new(st, "staff", json_string(pc->staff));
    json_array_append_new(calls, st);
  }
  const hv_base *base = hv_scenario_base(s);
  json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:{s:s, s:s}}", "date",
                        hv_date_format(d, date), "week_of", w.week, "routes",
                        routes, "calls", calls, "school", "name", base->name,
                        "phone", base->phone);
  week_free(&w);
  hv__reply_json(r, 200, j);
}

/* POST /api/outcome: one visit's outcome, as the visit log has it. */
static void api_outcome(hv_server *sv, hv_request *q, hv_reply *r) {
  const hv_user *u = &q->session.user;
  if (u->role == HV_ROLE_VIEWER) {
    hv__reply_error(r, 403, NULL, "viewers cannot record outcomes");
    return;
  }
  static hv_outcome_body body_buf; /* large: not on a thread's stack */
  hv_outcome_body *ob = &body_buf;
  const char *bad;
  char msg[200];
  pthread_mutex_lock(&sv->db_lock);
  if (!hv__outcome_body(q->body, q->body_len, ob, &bad, msg, sizeof msg)) {
    pthread_mutex_unlock(&sv->db_lock);
    hv__reply_error(r, 400, bad, "%s", msg);
    return;
  }
  char(*vals)[2048] = ob->v;
  hv_date d;
  if (!hv_date_parse(vals[1], &d)) {
    pthread_mutex_unlock(&sv->db_lock);
    hv__reply_error(r, 400, "date", "'%s' is not a date (YYYY-MM-DD)", vals[1]);
    return;
  }
  week_data w;
  if (!load_week(sv, d, &w, true, r)) {
    pthread_mutex_unlock(&sv->db_lock);
    return;
  }
  /* Staff record only their own visits and calls. */
  bool mine = u->role == HV_ROLE_COORDINATOR, planned = false;
  for (size_t i = 0; i < hv_plan_route_count(w.p); i++) {
    const hv_plan_route *pr = hv_plan_route_at(w.p, i);
    for (size_t k = 0; k < pr->nstops; k++)
      if (strcmp(pr->stops[k].household_id, vals[0]) == 0) {
        planned = true;
        mine |= strcmp(pr->staff[0], u->staff) == 0 ||
                strcmp(pr->staff[1], u->staff) == 0;
      }
  }
  for (size_t c = 0; c < hv_plan_call_count(w.p); c++)
    if (strcmp(hv_plan_call_at(w.p, c)->household_id, vals[0]) == 0) {
      planned = true;
      mine |= strcmp(hv_plan_call_at(w.p, c)->staff, u->staff) == 0;
    }
  if (planned && !mine) {
    week_free(&w);
    pthread_mutex_unlock(&sv->db_lock);
    hv__reply_error(r, 403, "household", "this visit is not one of yours");
    return;
  }
  /* The same checks as a visit log: one row of visits.csv. */
  static char csv[20000];
  size_t n = hv__outcome_csv(ob, u->staff, csv, sizeof csv);
  char household[64];
  snprintf(household, sizeof household, "%s", vals[0]);
  if (n == 0) {
    week_free(&w);
    pthread_mutex_unlock(&sv->db_lock);
    hv__reply_error(r, 413, NULL, "the outcome's fields are too long");
    return;
  }
  hv_diags *dg = hv_diags_create();
  hv_visit_log *log = NULL;
  hv_record_summary sum;
  hv_error err = {0};
  hv_status st =
      dg ? hv_visit_log_parse(csv, n, "outcome", &log, dg) : HV_E_NOMEM;
  if (st == HV_OK && hv_diags_errors(dg) == 0)
    st = hv_cycle_record_as(sv->db, w.p, log, NULL, u->login, &sum, dg, &err);
  else if (st == HV_OK)
    st = HV_E_INPUT;
  week_free(&w);
  pthread_mutex_unlock(&sv->db_lock);
  if (st == HV_E_INPUT) {
    hv__reply_json(
        r, 400,
        json_pack(
            "{s:s, s:o}", "error", "the outcome was not recorded", "problems",
            hv__problems_json(dg, "outcome",
                              HV_PROBLEMS_ERRORS | HV_PROBLEMS_NO_LINE, NULL)));
  } else if (st != HV_OK) {
    hv__reply_error(r, 500, NULL, "the program database failed");
  } else {
    hv__reply_json(r, 200,
                   json_pack("{s:s, s:s}", "household", household, "status",
                             sum.recorded    ? "recorded"
                             : sum.corrected ? "corrected"
                                             : "unchanged"));
  }
  hv_visit_log_free(log);
  hv_diags_free(dg);
}

/* GET /api/outcomes: the week's (or a range's) counts, no names. */
static void api_outcomes(hv_server *sv, hv_request *q, hv_reply *r) {
  hv_date d;
  if (!date_arg(q, "week_of", &d)) {
    hv__reply_error(r, 400, "week_of", "give a date YYYY-MM-DD");
    return;
  }
  hv_date monday = hv_date_add(d, -hv_date_weekday(d));
  char from[HV_DATE_TEXT], to[HV_DATE_TEXT];
  hv_date_format(monday, from);
  hv_date_format(hv_date_add(monday, 6), to);
  hv_store_summary sum;
  hv_store_standing *stand = NULL;
  size_t nst = 0;
  hv_error err = {0};
  pthread_mutex_lock(&sv->db_lock);
  hv_status st = hv_store_summarise(sv->db, from, to, &sum, &err);
  if (st == HV_OK) st = hv_store_standings(sv->db, &stand, &nst, &err);
  pthread_mutex_unlock(&sv->db_lock);
  if (st != HV_OK) {
    free(stand);
    hv__reply_error(r, 500, NULL, "the program database failed");
    return;
  }
  json_t *outcomes = json_object(), *barriers = json_object();
  for (size_t i = 0; i < sum.noutcomes; i++)
    json_object_set_new(outcomes, sum.outcomes[i].name,
                        json_integer(sum.outcomes[i].n));
  for (size_t i = 0; i < sum.nbarriers; i++)
    json_object_set_new(barriers, sum.barriers[i].name,
                        json_integer(sum.barriers[i].n));
  long due = 0, three = 0;
  json_t *due_ids = json_array(), *three_ids = json_array();
  bool names = q->session.user.role == HV_ROLE_COORDINATOR;
  for (size_t i = 0; i < nst; i++) {
    if (stand[i].follow_up[0] && !stand[i].follow_up_done &&
        strcmp(stand[i].follow_up, to) <= 0) {
      due++;
      if (names) json_array_append_new(due_ids, json_string(stand[i].id));
    }
    if (stand[i].not_home >= 3) {
      three++;
      if (names) json_array_append_new(three_ids, json_string(stand[i].id));
    }
  }
  free(stand);
  json_t *j = json_pack(
      "{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I}", "from", from, "to",
      to, "planned", (json_int_t)sum.planned, "attempted",
      (json_int_t)sum.attempted, "families_met", (json_int_t)sum.households_met,
      "referrals", (json_int_t)sum.referrals, "outcomes", outcomes, "barriers",
      barriers, "follow_ups_due", (json_int_t)due, "three_attempts_or_more",
      (json_int_t)three);
  if (names) {
    json_object_set_new(j, "follow_ups_due_households", due_ids);
    json_object_set_new(j, "three_attempts_households", three_ids);
  } else {
    json_decref(due_ids);
    json_decref(three_ids);
  }
  hv__reply_json(r, 200, j);
}

static void audit_row(const hv_store_audit_row *a, void *ud) {
  json_array_append_new(
      ud, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "at",
                    a->at, "login", a->login, "action", a->action, "detail",
                    a->detail));
}

void hv__api(hv_server *sv, hv_request *q, hv_reply *r) {
  hv_role role = q->session.user.role;
  if (is(q, "GET", "/api/session")) {
    hv__reply_json(
        r, 200,
        json_pack("{s:s, s:s, s:s, s:s}", "login", q->session.user.login,
                  "role", hv_role_name(role), "staff", q->session.user.staff,
                  "csrf", q->session.csrf));
  } else if (is(q, "GET", "/api/week")) {
    pthread_mutex_lock(&sv->db_lock);
    api_week(sv, q, r);
    pthread_mutex_unlock(&sv->db_lock);
  } else if (is(q, "GET", "/api/today")) {
    pthread_mutex_lock(&sv->db_lock);
    api_today(sv, q, r);
    pthread_mutex_unlock(&sv->db_lock);
  } else if (is(q, "POST", "/api/outcome")) {
    api_outcome(sv, q, r);
  } else if (is(q, "GET", "/api/outcomes")) {
    if (role == HV_ROLE_STAFF)
      hv__reply_error(r, 403, NULL,
                      "the program's counts are for "
                      "coordinators and viewers");
    else
      api_outcomes(sv, q, r);
  } else if (is(q, "POST", "/api/plan") || is(q, "GET", "/api/plan")) {
    if (role != HV_ROLE_COORDINATOR)
      hv__reply_error(r, 403, NULL, "planning is for coordinators");
    else if (strcmp(q->method, "POST") == 0)
      hv__job_start(sv, q, r, 0);
    else
      hv__job_status(sv, r);
  } else if (is(q, "POST", "/api/replan") || is(q, "POST", "/api/pin")) {
    if (role != HV_ROLE_COORDINATOR)
      hv__reply_error(r, 403, NULL, "planning is for coordinators");
    else if (strcmp(q->url, "/api/pin") == 0)
      hv__pin(sv, q, r);
    else
      hv__job_start(sv, q, r, 1);
  } else if (is(q, "POST", "/api/send")) {
    hv__send(sv, q, r);
  } else if (is(q, "POST", "/api/whatif")) {
    if (role != HV_ROLE_COORDINATOR)
      hv__reply_error(r, 403, NULL, "what-if is for coordinators");
    else
      hv__job_start(sv, q, r, 2);
  } else if (is(q, "POST", "/api/import")) {
    hv__import(sv, q, r);
  } else if (is(q, "POST", "/api/move/check")) {
    hv__move(sv, q, r, false);
  } else if (is(q, "POST", "/api/move")) {
    hv__move(sv, q, r, true);
  } else if (is(q, "GET", "/api/plan/events")) {
    if (role != HV_ROLE_COORDINATOR)
      hv__reply_error(r, 403, NULL, "planning is for coordinators");
    else
      r->events = true;
  } else if (is(q, "GET", "/api/files")) {
    hv__files_list(sv, q, r);
  } else if (is(q, "GET", "/api/audit")) {
    if (role != HV_ROLE_COORDINATOR) {
      hv__reply_error(r, 403, NULL, "the audit trail is for coordinators");
      return;
    }
    json_t *rows = json_array();
    hv_error err = {0};
    pthread_mutex_lock(&sv->db_lock);
    hv_status st = hv_store_audit_each(sv->db, audit_row, rows, &err);
    pthread_mutex_unlock(&sv->db_lock);
    if (st != HV_OK) {
      json_decref(rows);
      hv__reply_error(r, 500, NULL, "the program database failed");
    } else {
      hv__reply_json(r, 200, json_pack("{s:o}", "audit", rows));
    }
  } else {
    static const char *const known[] = {
        "/api/session",  "/api/week",       "/api/today",  "/api/outcome",
        "/api/outcomes", "/api/audit",      "/api/plan",   "/api/files",
        "/api/move",     "/api/move/check", "/api/import", "/api/replan",
        "/api/pin",      "/api/whatif",     "/api/send",   "/api/plan/events"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
      if (strcmp(q->url, known[i]) == 0) {
        hv__reply_error(r, 405, NULL, "method %s not allowed here", q->method);
        return;
      }
    hv__reply_error(r, 404, NULL, "no such endpoint");
  }
}
