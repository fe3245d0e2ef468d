/* web/edit.c -- moving a visit from the dashboard: to another pair, day or
 * time.  The edited week is checked against every planning rule at once
 * (hv_plan_check, the same check as `hvplan check`); the page is told
 * exactly what the move would break, and only a move that breaks nothing
 * is saved: plan.json and every printed output of the week are written
 * again, the database's planned visits replaced, and the move audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hv/cycle.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "web_int.h"

/* Moves household h in the plan's JSON to pair/day/start; false with a
 * reason when the target has no route. */
static bool move_stop(json_t *plan, const hv_scenario *s, const char *h,
                      const char *pair, const char *day, int start, char *why,
                      size_t size) {
  json_t *routes = json_object_get(plan, "routes");
  json_t *moved = NULL;
  size_t i;
  json_t *rt;
  json_array_foreach(routes, i, rt) {
    json_t *stops = json_object_get(rt, "stops");
    size_t k;
    json_t *st;
    json_array_foreach(stops, k, st) {
      const char *id = json_string_value(json_object_get(st, "household"));
      if (id && strcmp(id, h) == 0) {
        moved = json_incref(st);
        json_array_remove(stops, k);
        break;
      }
    }
    if (moved) break;
  }
  if (moved == NULL) {
    snprintf(why, size, "household '%s' has no visit in this week's routes", h);
    return false;
  }
  json_t *target = NULL;
  json_array_foreach(routes, i, rt) {
    const char *p = json_string_value(json_object_get(rt, "pair"));
    const char *d = json_string_value(json_object_get(rt, "day"));
    if (p && d && strcmp(p, pair) == 0 && strcmp(d, day) == 0) target = rt;
  }
  if (target == NULL) {
    /* A new route for a pair of the week that has none that day: its
     * times are worked out by hv_plan_retime, its shift checked by
     * hv_plan_check. */
    json_t *staff = NULL;
    json_t *pp;
    json_array_foreach(json_object_get(plan, "pairs"), i, pp) {
      const char *id = json_string_value(json_object_get(pp, "pair"));
      if (id && strcmp(id, pair) == 0) staff = json_object_get(pp, "staff");
    }
    if (!json_is_array(staff) || json_array_size(staff) != 2) {
      json_decref(moved);
      snprintf(why, size, "pair %s is not one of this week's pairs", pair);
      return false;
    }
    int d = hv_day_parse(day);
    char date[HV_DATE_TEXT];
    hv_date_format(hv_scenario_date(s, d), date);
    target =
        json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:f, s:[]}", "day", day,
                  "date", date, "pair", pair, "staff", staff, "depart", "00:00",
                  "return", "00:00", "travel_minutes", 0.0, "stops");
    if (target == NULL || json_array_append_new(routes, target) != 0) {
      json_decref(moved);
      snprintf(why, size, "out of memory");
      return false;
    }
  }
  long hi = hv_scenario_find_household(s, h);
  int minutes =
      hi >= 0 ? hv_household_minutes(s, hv_scenario_household(s, (size_t)hi))
              : 45;
  char a[HV_HHMM_TEXT];
  json_object_set_new(moved, "start", json_string(hv_hhmm_format(start, a)));
  json_object_set_new(moved, "arrive", json_string(a));
  json_object_set_new(moved, "end",
                      json_string(hv_hhmm_format(start + minutes, a)));
  json_object_del(moved, "back_at_school");
  json_t *stops = json_object_get(target, "stops");
  size_t at = json_array_size(stops);
  size_t k;
  json_t *st;
  json_array_foreach(stops, k, st) {
    int t = hv_hhmm_parse(json_string_value(json_object_get(st, "start")),
                          (size_t)-1);
    if (t > start && k < at) at = k;
  }
  json_array_insert_new(stops, at, moved);
  return true;
}

void hv__move(hv_server *sv, hv_request *q, hv_reply *r, bool apply) {
  if (q->session.user.role != HV_ROLE_COORDINATOR) {
    hv__reply_error(r, 403, NULL, "moving visits is for coordinators");
    return;
  }
  json_error_t je;
  json_t *in = json_loadb(q->body, q->body_len, 0, &je);
  const char *h = json_string_value(json_object_get(in, "household"));
  const char *pair = json_string_value(json_object_get(in, "pair"));
  const char *day = json_string_value(json_object_get(in, "day"));
  const char *week = json_string_value(json_object_get(in, "week_of"));
  const char *start = json_string_value(json_object_get(in, "start"));
  int t = start ? hv_hhmm_parse(start, (size_t)-1) : -1;
  hv_date wd;
  if (!h || !pair || !day || hv_day_parse(day) < 0 || t < 0 || !week ||
      !hv_date_parse(week, &wd)) {
    json_decref(in);
    hv__reply_error(r, 400, NULL,
                    "send household, week_of (YYYY-MM-DD), pair, day (mon.."
                    "sun) and start (HH:MM)");
    return;
  }
  char hh[64], pr[64], dy[8];
  snprintf(hh, sizeof hh, "%s", h);
  snprintf(pr, sizeof pr, "%s", pair);
  snprintf(dy, sizeof dy, "%s", hv_day_name(hv_day_parse(day)));
  char at[HV_HHMM_TEXT];
  hv_hhmm_format(t, at);
  json_decref(in); /* h, pair, day, start die with it: copies above */
  if (apply && hv__job_busy(sv)) {
    hv__reply_error(r, 409, NULL, "a plan is being made: wait for it");
    return;
  }
  pthread_mutex_lock(&sv->db_lock);
  char monday[HV_DATE_TEXT], path[4096];
  bool found;
  hv_error err = {0};
  hv_scenario *s = NULL;
  hv_plan *p = NULL;
  json_t *plan = NULL;
  hv_diags *dg = hv_diags_create();
  char dir[4096], edit[4200], why[300];
  if (hv__week_plan(sv, &wd, monday, path, sizeof path, &found) != HV_OK ||
      !found) {
    hv__reply_error(r, 404, "week_of", "the week of %s has no plan", monday);
    goto done;
  }
  if (hv_plan_scenario_dir(path, dir, sizeof dir, &err) != HV_OK ||
      hv_scenario_load(dir, &s, dg) != HV_OK ||
      (plan = json_load_file(path, 0, &je)) == NULL) {
    hv__reply_error(r, 500, NULL, "the week's plan cannot be read");
    goto done;
  }
  if (!move_stop(plan, s, hh, pr, dy, t, why, sizeof why)) {
    hv__reply_error(r, 400, "household", "%s", why);
    goto done;
  }
  snprintf(edit, sizeof edit, "%s.edit-%ld", path, (long)getpid());
  if (json_dump_file(plan, edit, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
      hv_plan_load(s, edit, &p, &err) != HV_OK) {
    unlink(edit);
    hv__reply_error(r, 400, NULL, "the edited plan cannot be read: %s",
                    err.text);
    goto done;
  }
  unlink(edit);
  hv_diags_free(dg);
  dg = hv_diags_create();
  if (hv_plan_retime(p, &err) != HV_OK ||
      hv_plan_check(p, "plan.json", dg, &err) != HV_OK) {
    hv__reply_error(r, 500, NULL, "the rules could not be checked: %s",
                    err.text);
    goto done;
  }
  json_t *broken = hv__problems_json(
      dg, "plan.json", HV_PROBLEMS_ERRORS | HV_PROBLEMS_NO_LINE, NULL);
  bool ok = json_array_size(broken) == 0;
  if (!apply || !ok) {
    hv__reply_json(r, ok ? 200 : 409,
                   json_pack("{s:b, s:o}", "ok", ok, "problems", broken));
    goto done;
  }
  json_decref(broken);
  /* Saved: the week's folder written again as a whole, then the database
   * (planned visits without an outcome replaced), with the audit row. */
  char out[4096];
  snprintf(out, sizeof out, "%s", path);
  char *slash = strrchr(out, '/');
  if (slash) *slash = '\0';
  hv_write_options wo = {.printed = true};
  hv_status st = hv_plan_write(p, out, &wo, &err);
  if (st == HV_OK)
    st = hv_cycle_store_plan_as(sv->db, p, path, q->session.user.login, NULL,
                                &err);
  if (st == HV_OK) {
    char now[32], detail[200];
    snprintf(detail, sizeof detail, "%s to pair %s, %s %s (week of %s)", hh, pr,
             dy, at, monday);
    st = hv_store_audit(sv->db, hv_iso_time(time(NULL), now),
                        q->session.user.login, "visit moved", detail, &err);
  }
  if (st != HV_OK)
    hv__reply_error(r, 500, NULL, "the move could not be saved: %s", err.text);
  else
    hv__reply_json(r, 200, json_pack("{s:b, s:[]}", "ok", 1, "problems"));
done:
  pthread_mutex_unlock(&sv->db_lock);
  json_decref(plan);
  hv_plan_free(p);
  hv_scenario_free(s);
  hv_diags_free(dg);
}
