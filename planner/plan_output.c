/* planner/plan_output.c -- plan.json (the itinerary), roster.csv (one row
 * per visit for the coordinator) and unvisited.csv (who could not be
 * visited and why), written together through a staging folder. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "hv/plan.h"
#include "csv_table.h"
#include "printed.h"

static void hhmm(int minutes, char *buf) {
  hv_format_hhmm(minutes, buf);
}

/* Rounds to a tenth of a minute for the outputs. */
static double tenth(double x) {
  return (double)(long long)(x * 10.0 + (x >= 0 ? 0.5 : -0.5)) / 10.0;
}

static json_t *plan_json(const hv_plan *p) {
  const hv_scenario *s = p->scenario;
  json_t *root = json_object();
  char date[16], t[8];
  snprintf(date, sizeof date, "%04d-%02d-%02d", s->monday_y % 10000,
           s->monday_m % 100, s->monday_d % 100);
  json_object_set_new(root, "scenario", json_string(s->name));
  json_object_set_new(root, "week_of", json_string(date));
  if (p->interrupted)
    json_object_set_new(root, "interrupted",
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
    json_object_set_new(o, "staff",
                        json_pack("[ss]", s->staff[pp->a].id, s->staff[pp->b].id));
    json_object_set_new(o, "shared_hours", json_real(tenth(pp->shared_hours)));
    json_object_set_new(o, "why", json_string(pp->why));
    json_array_append_new(pairs, o);
  }
  json_object_set_new(root, "pairs", pairs);
  json_object_set_new(root, "pairs_formed_by_hvplan", json_boolean(p->pairs_formed));
  json_t *routes = json_array();
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    json_t *o = json_object();
    json_object_set_new(o, "day", json_string(hv_day_name(pr->day)));
    json_object_set_new(o, "date", json_string(pr->date));
    json_object_set_new(o, "pair", json_string(pr->pair));
    json_object_set_new(o, "staff", json_pack("[ss]", pr->staff[0], pr->staff[1]));
    hhmm(pr->depart, t);
    json_object_set_new(o, "depart", json_string(t));
    hhmm(pr->back, t);
    json_object_set_new(o, "return", json_string(t));
    json_object_set_new(o, "travel_minutes", json_real(tenth(pr->travel_min)));
    if (pr->kept) json_object_set_new(o, "kept", json_true());
    json_t *stops = json_array();
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      json_t *so = json_object();
      json_object_set_new(so, "household", json_string(ps->household_id));
      hhmm(ps->arrive, t);
      json_object_set_new(so, "arrive", json_string(t));
      hhmm(ps->start, t);
      json_object_set_new(so, "start", json_string(t));
      hhmm(ps->end, t);
      json_object_set_new(so, "end", json_string(t));
      json_object_set_new(so, "travel_minutes", json_real(tenth(ps->travel_min)));
      json_array_append_new(stops, so);
    }
    json_object_set_new(o, "stops", stops);
    json_array_append_new(routes, o);
  }
  json_object_set_new(root, "routes", routes);
  json_t *un = json_array();
  for (size_t i = 0; i < p->nunvisited; i++) {
    const hv_unvisited *u = &p->unvisited[i];
    const hv_household *h = &s->households[u->household];
    json_t *o = json_object();
    json_object_set_new(o, "household", json_string(h->id));
    json_object_set_new(o, "priority", json_integer(h->priority));
    json_object_set_new(o, "code", json_string(hv_unvisited_code(u->reason)));
    json_object_set_new(o, "reason", json_string(u->text));
    json_array_append_new(un, o);
  }
  json_object_set_new(root, "unvisited", un);
  json_t *sum = json_object();
  json_object_set_new(sum, "households", json_integer((json_int_t)p->households));
  json_object_set_new(sum, "visited", json_integer((json_int_t)p->visited));
  json_object_set_new(sum, "priority_covered", json_integer(p->priority_covered));
  json_object_set_new(sum, "priority_total", json_integer(p->priority_total));
  json_object_set_new(sum, "travel_minutes", json_real(tenth(p->travel_minutes)));
  json_object_set_new(root, "summary", sum);
  return root;
}

/* ---- CSV ------------------------------------------------------------ */

static void csv_field(FILE *f, const char *v, bool last) {
  hv__csv_put(f, v);
  fputs(last ? "\r\n" : ",", f);
}

static void roster_csv(const hv_plan *p, FILE *f) {
  const hv_scenario *s = p->scenario;
  static const char *const head[] = {
      "day", "date", "pair", "staff_a", "staff_b", "order", "start", "end",
      "household", "student", "guardian", "phone", "address", "language",
      "visit_type", "notes"};
  size_t nh = sizeof head / sizeof head[0];
  for (size_t i = 0; i < nh; i++) csv_field(f, head[i], i + 1 == nh && s->nhh_extra == 0);
  for (size_t i = 0; i < s->nhh_extra; i++)
    csv_field(f, s->hh_extra_names[i], i + 1 == s->nhh_extra);
  static const char *const types[] = {"attendance", "relational", "follow_up"};
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    const char *na = pr->staff_index[0] >= 0 ? s->staff[pr->staff_index[0]].name : pr->staff[0];
    const char *nb = pr->staff_index[1] >= 0 ? s->staff[pr->staff_index[1]].name : pr->staff[1];
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      const hv_household *h =
          ps->household < s->nhouseholds ? &s->households[ps->household] : NULL;
      char order[24], a[8], b[8];
      snprintf(order, sizeof order, "%zu", k + 1);
      hv_format_hhmm(ps->start, a);
      hv_format_hhmm(ps->end, b);
      const char *vals[] = {hv_day_name(pr->day), pr->date, pr->pair, na, nb,
                            order, a, b, ps->household_id,
                            h ? h->student : "", h ? h->guardian : "",
                            h ? h->phone : "", h ? h->address : "",
                            h ? h->language : "",
                            h ? types[h->visit_type] : "", h ? h->notes : ""};
      for (size_t i = 0; i < nh; i++)
        csv_field(f, vals[i], i + 1 == nh && s->nhh_extra == 0);
      for (size_t i = 0; i < s->nhh_extra; i++)
        csv_field(f, h ? h->extra[i] : "", i + 1 == s->nhh_extra);
    }
  }
}

static void unvisited_csv(const hv_plan *p, FILE *f) {
  const hv_scenario *s = p->scenario;
  fputs("household,priority,language,code,reason\r\n", f);
  for (size_t i = 0; i < p->nunvisited; i++) {
    const hv_unvisited *u = &p->unvisited[i];
    const hv_household *h = &s->households[u->household];
    char prio[16];
    snprintf(prio, sizeof prio, "%d", h->priority);
    csv_field(f, h->id, false);
    csv_field(f, prio, false);
    csv_field(f, h->language, false);
    csv_field(f, hv_unvisited_code(u->reason), false);
    csv_field(f, u->text, true);
  }
}

/* Writes what fn prints into staging/name. */
static hv_status write_with(const char *staging, const char *name,
                            void (*fn)(const hv_plan *, FILE *),
                            const hv_plan *p, hv_error *err) {
  char path[4096];
  if (!hv__path_join(path, sizeof path, staging, name))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = name}, "path too long");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  fn(p, f);
  fclose(f);
  hv_status st = hv__write_file_atomic(path, buf, len, err);
  free(buf);
  return st;
}

static void json_writer(const hv_plan *p, FILE *f) {
  json_t *root = plan_json(p);
  json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', f);
  json_decref(root);
}

hv_status hv_plan_write_printed(const hv_plan *p, const char *dir, bool a4,
                                hv_error *err) {
  char staging[4096];
  hv_status st = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  st = hv__print_outputs(p, staging, a4, err);
  if (st == HV_OK) st = hv__write_calendars(p, staging, err);
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, dir, err);
}

hv_status hv_plan_write(const hv_plan *p, const char *dir,
                        const hv_write_options *o, hv_error *err) {
  char staging[4096];
  /* Owner-only: the plan names children's families. */
  hv_status st = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  st = write_with(staging, "plan.json", json_writer, p, err);
  if (st == HV_OK) st = write_with(staging, "roster.csv", roster_csv, p, err);
  if (st == HV_OK) st = write_with(staging, "unvisited.csv", unvisited_csv, p, err);
  if (st == HV_OK && o && o->printed) st = hv__print_outputs(p, staging, o->a4, err);
  if (st == HV_OK && o && o->printed) st = hv__write_calendars(p, staging, err);
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, dir, err);
}
