/* planner/io/plan_files.c -- a plan's files, read and written in this one
 * place: plan.json (the itinerary), roster.csv (one row per visit for the
 * coordinator) and unvisited.csv (who could not be visited and why). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "hv/letter.h"
#include "plan_def.h"

/* ---- reading -------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A plan.json's JSON; errors name the file, line and column. */
static hv_status load_json(const char *path, json_t **root, hv_error *err) {
  json_error_t je;
  *root = json_load_file(path, 0, &je);
  if (*root != NULL) return HV_OK;
  return hv_error_set(
      err, HV_E_PARSE,
      (hv_where){.source = path,
                 .line = (uint32_t)(je.line > 0 ? je.line : 0),
                 .column = (uint32_t)(je.column > 0 ? je.column : 0)},
      "invalid JSON: %s", je.text);
}

hv_status hv__plan_read_routes(hv_plan *p, const char *path, int from_day,
                               hv_plan_route **out, size_t *nout,
                               hv_error *err) {
  const hv_scenario *s = p->scenario;
  *out = NULL;
  *nout = 0;
  json_t *root;
  hv_status jst = load_json(path, &root, err);
  if (jst != HV_OK) return jst;
  hv_status st = HV_OK;
  json_t *routes = json_object_get(root, "routes");
  if (!json_is_array(routes)) {
    st = hv_error_set(err, HV_E_INPUT,
                      (hv_where){.source = path, .field = "routes"},
                      "not an hvplan plan.json: no \"routes\" array");
    goto done;
  }
  *out = calloc(json_array_size(routes) + 1, sizeof **out);
  if (*out == NULL) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  size_t i;
  json_t *r;
  json_array_foreach(routes, i, r) {
    const char *day = jstr(r, "day"), *pair = jstr(r, "pair"),
               *date = jstr(r, "date");
    json_t *staff = json_object_get(r, "staff"),
           *stops = json_object_get(r, "stops");
    int d = day ? hv_day_parse(day) : -1;
    int dep = hv_hhmm_parse(jstr(r, "depart"), (size_t)-1),
        back = hv_hhmm_parse(jstr(r, "return"), (size_t)-1);
    char field[96];
    snprintf(field, sizeof field, "routes[%zu]", i);
    if (d < 0 || !pair || !json_is_array(staff) ||
        json_array_size(staff) != 2 || !json_is_array(stops) || dep < 0 ||
        back < 0) {
      st = hv_error_set(err, HV_E_INPUT,
                        (hv_where){.source = path, .field = field},
                        "route is missing day, pair, staff, depart, return or "
                        "stops");
      goto done;
    }
    if (d >= from_day) continue;
    hv_plan_route *pr = &(*out)[(*nout)++];
    pr->day = d;
    pr->kept = true;
    pr->depart = dep;
    pr->back = back;
    if (date == NULL || !hv_date_parse(date, &pr->date))
      pr->date = hv_scenario_date(s, d);
    pr->pair = hv__arena_strdup(p->arena, pair);
    for (int k = 0; k < 2; k++) {
      const char *sid = json_string_value(json_array_get(staff, (size_t)k));
      pr->staff[k] = hv__arena_strdup(p->arena, sid ? sid : "");
      pr->staff_index[k] = sid ? hv_scenario_find_staff(s, sid) : -1;
    }
    json_t *tm = json_object_get(r, "travel_minutes");
    pr->travel_min = json_is_number(tm) ? json_number_value(tm) : 0;
    pr->stops = hv__arena_alloc(
        p->arena, (json_array_size(stops) + 1) * sizeof *pr->stops);
    if (pr->stops == NULL || pr->pair == NULL) {
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
      goto done;
    }
    size_t k;
    json_t *stop;
    json_array_foreach(stops, k, stop) {
      const char *hid = jstr(stop, "household");
      hv_plan_stop *ps = &pr->stops[pr->nstops++];
      ps->household = SIZE_MAX;
      for (size_t h = 0; hid && h < s->nhouseholds; h++)
        if (strcmp(s->households[h].id, hid) == 0) ps->household = h;
      ps->household_id = hv__arena_strdup(p->arena, hid ? hid : "");
      ps->arrive = hv_hhmm_parse(jstr(stop, "arrive"), (size_t)-1);
      ps->start = hv_hhmm_parse(jstr(stop, "start"), (size_t)-1);
      ps->end = hv_hhmm_parse(jstr(stop, "end"), (size_t)-1);
      json_t *t = json_object_get(stop, "travel_minutes");
      ps->travel_min = json_is_number(t) ? json_number_value(t) : 0;
      ps->school_from = ps->school_to = -1;
      ps->pinned = json_is_true(json_object_get(stop, "pinned"));
      json_t *bs = json_object_get(stop, "back_at_school");
      if (bs != NULL) {
        ps->school_from =
            json_is_array(bs) && json_array_size(bs) == 2
                ? hv_hhmm_parse(json_string_value(json_array_get(bs, 0)),
                                (size_t)-1)
                : -1;
        ps->school_to =
            ps->school_from >= 0
                ? hv_hhmm_parse(json_string_value(json_array_get(bs, 1)),
                                (size_t)-1)
                : -1;
        if (ps->school_to < 0) {
          snprintf(field, sizeof field, "routes[%zu].stops[%zu].back_at_school",
                   i, k);
          st = hv_error_set(err, HV_E_INPUT,
                            (hv_where){.source = path, .field = field},
                            "expected [\"HH:MM\", \"HH:MM\"] (back at school "
                            "from, until)");
          goto done;
        }
      }
      if (hid == NULL || ps->start < 0 || ps->end < 0) {
        snprintf(field, sizeof field, "routes[%zu].stops[%zu]", i, k);
        st = hv_error_set(err, HV_E_INPUT,
                          (hv_where){.source = path, .field = field},
                          "stop is missing household, start or end");
        goto done;
      }
    }
  }
done:
  json_decref(root);
  if (st != HV_OK) {
    free(*out);
    *out = NULL;
    *nout = 0;
  }
  return st;
}

hv_status hv__plan_read_calls(hv_plan *p, const char *path, int from_day,
                              hv_plan_call **out, size_t *nout, hv_error *err) {
  const hv_scenario *s = p->scenario;
  *out = NULL;
  *nout = 0;
  json_t *root;
  hv_status st = load_json(path, &root, err);
  if (st != HV_OK) return st;
  json_t *calls = json_object_get(root, "virtual_visits");
  if (calls != NULL && !json_is_array(calls))
    st = hv_error_set(err, HV_E_INPUT,
                      (hv_where){.source = path, .field = "virtual_visits"},
                      "expected an array of video calls");
  if (st == HV_OK) {
    *out = calloc(json_array_size(calls) + 1, sizeof **out);
    if (*out == NULL)
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  size_t i;
  json_t *c;
  json_array_foreach(calls, i, c) {
    if (st != HV_OK) break;
    const char *day = jstr(c, "day"), *hid = jstr(c, "household"),
               *staff = jstr(c, "staff"), *date = jstr(c, "date");
    int d = day ? hv_day_parse(day) : -1;
    int a = hv_hhmm_parse(jstr(c, "start"), (size_t)-1),
        b = hv_hhmm_parse(jstr(c, "end"), (size_t)-1);
    if (d < 0 || !hid || !staff || a < 0 || b < 0) {
      char field[64];
      snprintf(field, sizeof field, "virtual_visits[%zu]", i);
      st = hv_error_set(err, HV_E_INPUT,
                        (hv_where){.source = path, .field = field},
                        "video call is missing day, household, staff, start "
                        "or end");
      break;
    }
    if (d >= from_day) continue;
    hv_plan_call *pc = &(*out)[(*nout)++];
    pc->day = d;
    pc->kept = true;
    if (date == NULL || !hv_date_parse(date, &pc->date))
      pc->date = hv_scenario_date(s, d);
    long h = hv_scenario_find_household(s, hid);
    pc->household = h >= 0 ? (size_t)h : SIZE_MAX;
    pc->household_id = hv__arena_strdup(p->arena, hid);
    pc->staff = hv__arena_strdup(p->arena, staff);
    pc->staff_index = hv_scenario_find_staff(s, staff);
    pc->start = a;
    pc->end = b;
    if (!pc->household_id || !pc->staff)
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  json_decref(root);
  if (st != HV_OK) {
    free(*out);
    *out = NULL;
    *nout = 0;
  }
  return st;
}

hv_status hv_plan_load(const hv_scenario *s, const char *path, hv_plan **out,
                       hv_error *err) {
  *out = NULL;
  hv_plan *p = hv__plan_new(s);
  if (p == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  hv_status st =
      hv__plan_read_routes(p, path, HV_DAYS, &p->routes, &p->nroutes, err);
  if (st == HV_OK)
    st = hv__plan_read_calls(p, path, HV_DAYS, &p->calls, &p->ncalls, err);
  if (st == HV_OK) {
    p->households = s->nhouseholds;
    uint8_t *seen = calloc(s->nhouseholds + 1, 1);
    if (seen == NULL)
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    for (size_t r = 0; st == HV_OK && r < p->nroutes; r++) {
      hv_plan_route *pr = &p->routes[r];
      pr->kept = false;
      p->travel_minutes += pr->travel_min;
      for (size_t k = 0; k < pr->nstops; k++) {
        size_t h = pr->stops[k].household;
        if (h < s->nhouseholds && !seen[h]) {
          seen[h] = 1;
          p->visited++;
          p->priority_covered += s->households[h].priority;
        }
      }
    }
    for (size_t c = 0; st == HV_OK && c < p->ncalls; c++) {
      size_t h = p->calls[c].household;
      p->calls[c].kept = false;
      if (h < s->nhouseholds && !seen[h]) {
        seen[h] = 1;
        p->visited++;
        p->priority_covered += s->households[h].priority;
      }
    }
    for (size_t h = 0; h < s->nhouseholds; h++)
      p->priority_total += s->households[h].priority;
    /* Pairs as the routes name them. */
    p->pairs = calloc(p->nroutes + 1, sizeof *p->pairs);
    for (size_t r = 0; st == HV_OK && p->pairs && r < p->nroutes; r++) {
      bool known = false;
      for (size_t q = 0; q < p->npairs; q++)
        known |= strcmp(p->pairs[q].id, p->routes[r].pair) == 0;
      if (known || p->routes[r].staff_index[0] < 0 ||
          p->routes[r].staff_index[1] < 0)
        continue;
      hv_plan_pair *pp = &p->pairs[p->npairs++];
      pp->id = p->routes[r].pair;
      pp->a = (size_t)p->routes[r].staff_index[0];
      pp->b = (size_t)p->routes[r].staff_index[1];
    }
    free(seen);
  }
  if (st != HV_OK) {
    hv_plan_free(p);
    return st;
  }
  *out = p;
  return HV_OK;
}

/* ---- writing -------------------------------------------------------- */

/* Rounds to a tenth of a minute for the outputs. */
static double tenth(double x) {
  return (double)(long long)(x * 10.0 + (x >= 0 ? 0.5 : -0.5)) / 10.0;
}

static json_t *plan_json(const hv_plan *p) {
  const hv_scenario *s = p->scenario;
  json_t *root = json_object();
  char date[HV_DATE_TEXT], t[HV_HHMM_TEXT];
  hv_date_format(s->monday, date);
  json_object_set_new(root, "scenario", json_string(s->name));
  json_object_set_new(root, "week_of", json_string(date));
  if (p->interrupted)
    json_object_set_new(
        root, "interrupted",
        json_string("planning was stopped early: this is the "
                    "best plan found so far, not a finished one"));
  json_object_set_new(root, "timezone", json_string(s->timezone));
  /* Where the scenario lives, so `hvplan packets` can find it again. */
  char *abs = realpath(s->dir, NULL);
  json_object_set_new(root, "scenario_dir", json_string(abs ? abs : s->dir));
  free(abs);
  json_t *pairs = json_array();
  for (size_t q = 0; q < p->npairs; q++) {
    const hv_plan_pair *pp = &p->pairs[q];
    json_t *o = json_object();
    json_object_set_new(o, "pair", json_string(pp->id));
    json_object_set_new(
        o, "staff", json_pack("[ss]", s->staff[pp->a].id, s->staff[pp->b].id));
    json_object_set_new(o, "shared_hours", json_real(tenth(pp->shared_hours)));
    json_object_set_new(o, "why", json_string(pp->why));
    json_array_append_new(pairs, o);
  }
  json_object_set_new(root, "pairs", pairs);
  json_object_set_new(root, "pairs_formed_by_hvplan",
                      json_boolean(p->pairs_formed));
  json_t *routes = json_array();
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    json_t *o = json_object();
    json_object_set_new(o, "day", json_string(hv_day_name(pr->day)));
    char rdate[HV_DATE_TEXT];
    json_object_set_new(o, "date",
                        json_string(hv_date_format(pr->date, rdate)));
    json_object_set_new(o, "pair", json_string(pr->pair));
    json_object_set_new(o, "staff",
                        json_pack("[ss]", pr->staff[0], pr->staff[1]));
    hv_hhmm_format(pr->depart, t);
    json_object_set_new(o, "depart", json_string(t));
    hv_hhmm_format(pr->back, t);
    json_object_set_new(o, "return", json_string(t));
    json_object_set_new(o, "travel_minutes", json_real(tenth(pr->travel_min)));
    if (pr->kept) json_object_set_new(o, "kept", json_true());
    json_t *stops = json_array();
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      json_t *so = json_object();
      json_object_set_new(so, "household", json_string(ps->household_id));
      if (ps->school_from >= 0) {
        char t2[HV_HHMM_TEXT];
        hv_hhmm_format(ps->school_from, t);
        hv_hhmm_format(ps->school_to, t2);
        json_object_set_new(so, "back_at_school", json_pack("[ss]", t, t2));
      }
      hv_hhmm_format(ps->arrive, t);
      json_object_set_new(so, "arrive", json_string(t));
      hv_hhmm_format(ps->start, t);
      json_object_set_new(so, "start", json_string(t));
      hv_hhmm_format(ps->end, t);
      json_object_set_new(so, "end", json_string(t));
      json_object_set_new(so, "travel_minutes",
                          json_real(tenth(ps->travel_min)));
      if (ps->pinned) json_object_set_new(so, "pinned", json_true());
      json_array_append_new(stops, so);
    }
    json_object_set_new(o, "stops", stops);
    json_array_append_new(routes, o);
  }
  json_object_set_new(root, "routes", routes);
  if (p->ncalls > 0) {
    json_t *calls = json_array();
    for (size_t c = 0; c < p->ncalls; c++) {
      const hv_plan_call *pc = &p->calls[c];
      json_t *o = json_object();
      char cdate[HV_DATE_TEXT];
      json_object_set_new(o, "day", json_string(hv_day_name(pc->day)));
      json_object_set_new(o, "date",
                          json_string(hv_date_format(pc->date, cdate)));
      json_object_set_new(o, "staff", json_string(pc->staff));
      json_object_set_new(o, "household", json_string(pc->household_id));
      hv_hhmm_format(pc->start, t);
      json_object_set_new(o, "start", json_string(t));
      hv_hhmm_format(pc->end, t);
      json_object_set_new(o, "end", json_string(t));
      if (pc->kept) json_object_set_new(o, "kept", json_true());
      json_array_append_new(calls, o);
    }
    json_object_set_new(root, "virtual_visits", calls);
  }
  json_t *un = json_array();
  for (size_t i = 0; i < p->nunvisited; i++) {
    const hv_unvisited *u = &p->unvisited[i];
    const hv_household *h = &s->households[u->household];
    json_t *o = json_object();
    json_object_set_new(o, "household", json_string(h->id));
    json_object_set_new(o, "priority", json_integer(h->priority));
    json_object_set_new(o, "code", json_string(hv_unvisited_code(u->reason)));
    json_object_set_new(o, "reason", json_string(u->text));
    if (u->virtual_option[0])
      json_object_set_new(o, "virtual_option", json_string(u->virtual_option));
    json_array_append_new(un, o);
  }
  json_object_set_new(root, "unvisited", un);
  json_t *sum = json_object();
  json_object_set_new(sum, "households",
                      json_integer((json_int_t)p->households));
  json_object_set_new(sum, "visited", json_integer((json_int_t)p->visited));
  json_object_set_new(sum, "priority_covered",
                      json_integer(p->priority_covered));
  json_object_set_new(sum, "priority_total", json_integer(p->priority_total));
  if (p->priority_bound >= 0) {
    json_object_set_new(sum, "priority_bound", json_integer(p->priority_bound));
    /* "columns": routes priced by column generation tightened it; "lp":
     * the assignment relaxation finished; "reachable": it had no time,
     * and the bound is every family some pair could visit alone. */
    json_object_set_new(sum, "priority_bound_from",
                        json_string(p->bound_from_columns ? "columns"
                                    : p->bound_from_lp    ? "lp"
                                                          : "reachable"));
  }
  json_object_set_new(sum, "travel_minutes",
                      json_real(tenth(p->travel_minutes)));
  json_object_set_new(root, "summary", sum);
  return root;
}

/* ---- CSV ------------------------------------------------------------ */

static void csv_field(FILE *f, const char *v, bool last) {
  hv__csv_put(f, v);
  fputs(last ? "\r\n" : ",", f);
}

static void roster_csv(const void *ud, FILE *f) {
  const hv_plan *p = ud;
  const hv_scenario *s = p->scenario;
  static const char *const head[] = {"day",
                                     "date",
                                     "pair",
                                     "staff_a",
                                     "staff_b",
                                     "order",
                                     "start",
                                     "end",
                                     "household",
                                     "student",
                                     "guardian",
                                     "phone",
                                     "address",
                                     "language",
                                     "visit_type",
                                     "notes",
                                     "back_at_school_before",
                                     "mode",
                                     "meeting_place"};
  size_t nh = sizeof head / sizeof head[0];
  for (size_t i = 0; i < nh; i++)
    csv_field(f, head[i], i + 1 == nh && s->nhh_extra == 0);
  for (size_t i = 0; i < s->nhh_extra; i++)
    csv_field(f, s->hh_extra_names[i], i + 1 == s->nhh_extra);
  static const char *const types[] = {"attendance", "relational", "follow_up"};
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    const char *na = pr->staff_index[0] >= 0 ? s->staff[pr->staff_index[0]].name
                                             : pr->staff[0];
    const char *nb = pr->staff_index[1] >= 0 ? s->staff[pr->staff_index[1]].name
                                             : pr->staff[1];
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      const hv_household *h =
          ps->household < s->nhouseholds ? &s->households[ps->household] : NULL;
      char order[24], a[HV_HHMM_TEXT], b[HV_HHMM_TEXT], date[HV_DATE_TEXT];
      snprintf(order, sizeof order, "%zu", k + 1);
      hv_hhmm_format(ps->start, a);
      hv_hhmm_format(ps->end, b);
      char back[2 * HV_HHMM_TEXT + 2] = "", mode[160] = "", place[400] = "";
      if (h && h->mode == HV_MODE_PLACE)
        hv_household_site_text(s, h, place, sizeof place);
      if (ps->school_from >= 0) {
        char x[HV_HHMM_TEXT], y[HV_HHMM_TEXT];
        snprintf(back, sizeof back, "%s-%s", hv_hhmm_format(ps->school_from, x),
                 hv_hhmm_format(ps->school_to, y));
      }
      const char *vals[] = {
          hv_day_name(pr->day),
          hv_date_format(pr->date, date),
          pr->pair,
          na,
          nb,
          order,
          a,
          b,
          ps->household_id,
          h ? h->student : "",
          h ? h->guardian : "",
          h ? h->phone : "",
          h ? h->address : "",
          h ? h->language : "",
          h ? types[h->visit_type] : "",
          h ? h->notes : "",
          back,
          h ? hv_household_mode_text(s, h, mode, sizeof mode) : "",
          place};
      for (size_t i = 0; i < nh; i++)
        csv_field(f, vals[i], i + 1 == nh && s->nhh_extra == 0);
      for (size_t i = 0; i < s->nhh_extra; i++)
        csv_field(f, h ? h->extra[i] : "", i + 1 == s->nhh_extra);
    }
  }
  /* Video calls: one person, no route. */
  for (size_t c = 0; c < p->ncalls; c++) {
    const hv_plan_call *pc = &p->calls[c];
    const hv_household *h =
        pc->household < s->nhouseholds ? &s->households[pc->household] : NULL;
    const char *name =
        pc->staff_index >= 0 ? s->staff[pc->staff_index].name : pc->staff;
    char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT], date[HV_DATE_TEXT], link[512];
    hv_plan_call_link(s, pc, link, sizeof link);
    const char *vals[] = {hv_day_name(pc->day),
                          hv_date_format(pc->date, date),
                          "",
                          name,
                          "",
                          "call",
                          hv_hhmm_format(pc->start, a),
                          hv_hhmm_format(pc->end, b),
                          pc->household_id,
                          h ? h->student : "",
                          h ? h->guardian : "",
                          h ? h->phone : "",
                          h ? h->address : "",
                          h ? h->language : "",
                          h ? types[h->visit_type] : "",
                          h ? h->notes : "",
                          "",
                          "virtual",
                          link};
    for (size_t i = 0; i < nh; i++)
      csv_field(f, vals[i], i + 1 == nh && s->nhh_extra == 0);
    for (size_t i = 0; i < s->nhh_extra; i++)
      csv_field(f, h ? h->extra[i] : "", i + 1 == s->nhh_extra);
  }
}

char *hv_plan_call_link(const hv_scenario *s, const hv_plan_call *pc, char *buf,
                        size_t size) {
  const hv_staff *st = pc->staff_index >= 0 ? &s->staff[pc->staff_index] : NULL;
  const hv_household *h =
      pc->household < s->nhouseholds ? &s->households[pc->household] : NULL;
  const char *link =
      st && st->video_link[0] ? st->video_link : s->visits.video_link;
  if (link[0])
    snprintf(buf, size, "video call: %s", link);
  else
    snprintf(buf, size, "video call: the staff member calls %s",
             h && h->phone[0] ? h->phone : "the family");
  return buf;
}

static void unvisited_csv(const void *ud, FILE *f) {
  const hv_plan *p = ud;
  const hv_scenario *s = p->scenario;
  fputs("household,priority,language,code,reason,virtual_option\r\n", f);
  for (size_t i = 0; i < p->nunvisited; i++) {
    const hv_unvisited *u = &p->unvisited[i];
    const hv_household *h = &s->households[u->household];
    char prio[16];
    snprintf(prio, sizeof prio, "%d", h->priority);
    csv_field(f, h->id, false);
    csv_field(f, prio, false);
    csv_field(f, h->language, false);
    csv_field(f, hv_unvisited_code(u->reason), false);
    csv_field(f, u->text, false);
    csv_field(f, u->virtual_option, true);
  }
}

/* messages.csv: the heads-up text of every announced visit, for a
 * school's texting tool. */
static void messages_csv(const void *ud, FILE *f) {
  const hv_plan *p = ud;
  fputs("household,phone,language,text,note\r\n", f);
  hv_heads_up *u;
  size_t n = hv_plan_heads_up(p, &u);
  for (size_t i = 0; i < n; i++) {
    bool shortened = false;
    char *text = u[i].t ? hv_letter_message(u[i].t, &u[i].f, &shortened) : NULL;
    csv_field(f, u[i].h->id, false);
    csv_field(f, u[i].h->phone, false);
    csv_field(f, u[i].h->language, false);
    csv_field(f, text ? text : "", false);
    csv_field(f,
              !text       ? "out of memory"
              : shortened ? "shortened to 320 characters: shorten @message"
              : u[i].translated || strcmp(u[i].h->language, "en") == 0
                  ? ""
                  : "no template in the family's language: "
                    "English",
              true);
    free(text);
  }
  free(u);
}

static void json_writer(const void *ud, FILE *f) {
  const hv_plan *p = ud;
  json_t *root = plan_json(p);
  json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', f);
  json_decref(root);
}

hv_status hv_plan_scenario_dir(const char *path, char *buf, size_t size,
                               hv_error *err) {
  json_t *root;
  hv_status jst = load_json(path, &root, err);
  if (jst != HV_OK) return jst;
  const char *sd = jstr(root, "scenario_dir");
  hv_status st = HV_OK;
  if (sd == NULL)
    st = hv_error_set(err, HV_E_INPUT,
                      (hv_where){.source = path, .field = "scenario_dir"},
                      "no \"scenario_dir\": give --scenario DIR");
  else if ((size_t)snprintf(buf, size, "%s", sd) >= size)
    st = hv_error_set(err, HV_E_INPUT,
                      (hv_where){.source = path, .field = "scenario_dir"},
                      "path too long");
  json_decref(root);
  return st;
}

hv_status hv__plan_write_data(const hv_plan *p, const char *staging,
                              hv_error *err) {
  hv_status st = hv__write_file_with(staging, "plan.json", json_writer, p, err);
  if (st == HV_OK)
    st = hv__write_file_with(staging, "roster.csv", roster_csv, p, err);
  if (st == HV_OK)
    st = hv__write_file_with(staging, "unvisited.csv", unvisited_csv, p, err);
  if (st == HV_OK)
    st = hv__write_file_with(staging, "messages.csv", messages_csv, p, err);
  return st;
}

hv_status hv_plan_write_data(const hv_plan *p, const char *dir, hv_error *err) {
  char staging[4096];
  /* Owner-only: the plan names children's families. */
  hv_status st = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  st = hv__plan_write_data(p, staging, err);
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, dir, err);
}
