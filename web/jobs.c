/* web/jobs.c -- planning the week from the dashboard, in a background
 * thread whose progress the page polls (elapsed time, families and
 * priority covered so far), and the week's files for download (each role
 * only its own). */
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hv/cycle.h"
#include "hv/path.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "web_int.h"

/* ---- the planning job ----------------------------------------------- */

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void on_progress(double seconds, size_t visited, size_t total,
                        long priority, double travel_min, void *ud) {
  (void)travel_min;
  hv_plan_job *j = ud;
  pthread_mutex_lock(&j->lock);
  j->elapsed = seconds;
  j->visited = visited;
  j->total = total;
  j->priority = priority;
  pthread_mutex_unlock(&j->lock);
}

static void fail(hv_plan_job *j, const char *prefix, const char *what) {
  pthread_mutex_lock(&j->lock);
  snprintf(j->error, sizeof j->error, "%s%.400s", prefix, what);
  j->state = HV_JOB_FAILED;
  pthread_mutex_unlock(&j->lock);
}

/* PROGRAM/whatif and PROGRAM/whatif/<run> into top and dir; false when
 * too long. */
static bool whatif_dirs(const hv_server *sv, const char *run, char *top,
                        size_t tsize, char *dir, size_t dsize) {
  return hv_path_join(top, tsize, sv->o->program_dir, "whatif") &&
         hv_path_join(dir, dsize, top, run);
}

/* What if: the pair sweep pairs_lo..pairs_hi, into
 * PROGRAM/whatif/<run>/ (whatif.csv, whatif.svg, whatif.png). */
static void run_whatif(hv_server *sv, const hv_scenario *s, double t0) {
  hv_plan_job *j = &sv->job;
  hv_whatif_options wo;
  hv_whatif_options_init(&wo);
  wo.pairs_lo = j->whatif_lo;
  wo.pairs_hi = j->whatif_hi;
  wo.time_limit_s = j->limit;
  wo.jobs = 2;
  hv_whatif *w = NULL;
  hv_error err = {0};
  hv_status st = hv_whatif_run(s, &wo, &w, &err);
  char top[4200], dir[4300], run[32];
  snprintf(run, sizeof run, "%ld", (long)time(NULL));
  if (st == HV_OK && !whatif_dirs(sv, run, top, sizeof top, dir, sizeof dir))
    st = hv_error_set(&err, HV_E_IO, (hv_where){.source = "whatif"},
                      "the program folder's path is too long");
  if (st == HV_OK) mkdir(top, 0700);
  if (st == HV_OK && mkdir(dir, 0700) != 0 && errno != EEXIST)
    st = hv_error_set(&err, HV_E_IO, (hv_where){.source = dir},
                      "cannot create the folder");
  if (st == HV_OK) st = hv_whatif_write(w, dir, &err);
  if (st != HV_OK) {
    fail(j, "", err.text);
    hv_whatif_free(w);
    return;
  }
  json_t *rows = json_array();
  for (size_t i = 0; i < hv_whatif_count(w); i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    json_array_append_new(
        rows,
        json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:f, s:f}", "name",
                  v->name, "label", v->label, "ok", v->ok, "pairs",
                  (json_int_t)v->npairs, "visited", (json_int_t)v->visited,
                  "households", (json_int_t)v->households, "priority",
                  (json_int_t)v->priority, "priority_total",
                  (json_int_t)v->priority_total, "travel_h", v->travel_h,
                  "staff_h", v->staff_h));
  }
  long knee = hv_whatif_knee(w);
  json_t *res = json_pack("{s:s, s:o, s:I}", "whatif", run, "variants", rows,
                          "knee", (json_int_t)knee);
  hv_whatif_free(w);
  pthread_mutex_lock(&j->lock);
  json_decref(j->result);
  j->result = res;
  j->elapsed = now_s() - t0;
  j->state = HV_JOB_DONE;
  pthread_mutex_unlock(&j->lock);
}

static void *run_one(hv_server *sv);

static void *run_job(void *arg) {
  void *r = run_one(arg);
  hv_planning_thread_done(); /* GLPK's per-thread environment */
  return r;
}

static void *run_one(hv_server *sv) {
  hv_plan_job *j = &sv->job;
  double t0 = now_s();
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  if (d == NULL || hv_scenario_load(sv->o->program_dir, &s, d) != HV_OK) {
    const hv_diag *e = d ? hv_diags_first_error(d) : NULL;
    char text[900];
    snprintf(text, sizeof text, "%s:%u:%s: %s", e ? e->error.source : "",
             e ? (unsigned)e->error.line : 0, e ? e->error.field : "",
             e ? e->error.text : "out of memory");
    fail(j, "the program's lists have errors (hvplan validate lists them): ",
         text);
    hv_diags_free(d);
    return NULL;
  }
  hv_diags_free(d);
  if (j->whatif_lo > 0) {
    run_whatif(sv, s, t0);
    hv_scenario_free(s);
    return NULL;
  }
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = j->limit;
  /* Re-planning the rest: the kept days and the pinned visits stay (the
   * planner's --keep), starting from the current plan. */
  hv_plan *start = NULL;
  if (j->keep[0]) {
    hv_error e2 = {0};
    if (hv_plan_load(s, j->keep, &start, &e2) != HV_OK) {
      fail(j, "the current plan cannot be read: ", e2.text);
      hv_scenario_free(s);
      return NULL;
    }
    o.keep_path = j->keep;
    o.from_day = j->from_day;
    o.initial = start;
  }
  o.progress = on_progress;
  o.progress_ud = j;
  o.reserve_output = true; /* the week's PDFs are written after it */
  o.stop = &j->stop;
  hv_plan *p = NULL;
  hv_error err = {0};
  hv_status st = hv_plan_build(s, &o, &p, &err);
  char week[HV_DATE_TEXT], weeks[4200], out[4200], plan_path[4300];
  hv_date_format(hv_scenario_monday(s), week);
  if (st == HV_OK &&
      (!hv_path_join(weeks, sizeof weeks, sv->o->program_dir, "weeks") ||
       !hv_path_join(out, sizeof out, weeks, week) ||
       !hv_path_join(plan_path, sizeof plan_path, out, "plan.json")))
    st = hv_error_set(&err, HV_E_IO, (hv_where){.source = "weeks"},
                      "the program folder's path is too long");
  if (st == HV_OK) {
    mkdir(weeks, 0700);
    hv_write_options wo = {.printed = true};
    st = hv_plan_write(p, out, &wo, &err);
  }
  if (st == HV_OK) {
    pthread_mutex_lock(&sv->db_lock);
    st = hv_cycle_store_plan_as(sv->db, p, plan_path, j->who, NULL, &err);
    pthread_mutex_unlock(&sv->db_lock);
  }
  if (st != HV_OK) {
    fail(j, "", err.text);
  } else {
    hv_plan_summary sum = hv_plan_summary_of(p);
    json_t *un = json_array();
    for (size_t i = 0; i < hv_plan_unvisited_count(p); i++) {
      const hv_unvisited *u = hv_plan_unvisited_at(p, i);
      const hv_household *h = hv_scenario_household(s, u->household);
      json_array_append_new(
          un,
          json_pack("{s:s, s:i, s:s, s:s, s:s}", "household", h->id, "priority",
                    h->priority, "code", hv_unvisited_code(u->reason), "reason",
                    u->text, "virtual_option", u->virtual_option));
    }
    json_t *res =
        json_pack("{s:s, s:I, s:I, s:I, s:I, s:f, s:I, s:o}", "week_of", week,
                  "households", (json_int_t)sum.households, "visited",
                  (json_int_t)sum.visited, "priority_covered",
                  (json_int_t)sum.priority_covered, "priority_total",
                  (json_int_t)sum.priority_total, "travel_hours",
                  sum.travel_minutes / 60.0, "calls",
                  (json_int_t)hv_plan_call_count(p), "unvisited", un);
    /* The proof of quality: no plan of this week covers more. */
    if (res && sum.priority_bound >= 0)
      json_object_set_new(res, "priority_bound",
                          json_integer((json_int_t)sum.priority_bound));
    pthread_mutex_lock(&j->lock);
    json_decref(j->result);
    j->result = res;
    snprintf(j->week, sizeof j->week, "%s", week);
    j->elapsed = now_s() - t0;
    j->state = HV_JOB_DONE;
    pthread_mutex_unlock(&j->lock);
  }
  hv_plan_free(p);
  hv_plan_free(start);
  hv_scenario_free(s);
  return NULL;
}

void hv__job_start(hv_server *sv, hv_request *q, hv_reply *r, int kind) {
  bool replan = kind == 1, whatif = kind == 2;
  hv_plan_job *j = &sv->job;
  json_error_t je;
  json_t *in = q->body_len ? json_loadb(q->body, q->body_len, 0, &je) : NULL;
  double limit = -1;
  json_t *tl = in ? json_object_get(in, "time_limit_s") : NULL;
  if (tl && json_is_number(tl)) limit = json_number_value(tl);
  const char *from = in ? json_string_value(json_object_get(in, "from")) : NULL;
  int from_day = from ? hv_day_parse(from) : 0;
  const char *week =
      in ? json_string_value(json_object_get(in, "week_of")) : NULL;
  char keep[4096] = "", wk[11];
  int lo = 0, hi = 0;
  if (whatif) {
    const char *pr =
        in ? json_string_value(json_object_get(in, "pairs")) : NULL;
    if (!pr || sscanf(pr, "%d..%d", &lo, &hi) != 2 || lo < 1 || hi < lo ||
        hi > 40) {
      json_decref(in);
      hv__reply_error(r, 400, "pairs", "give a range of pairs, e.g. \"2..6\"");
      return;
    }
  }
  if (replan) {
    hv_date d;
    bool found = false, dated = week && hv_date_parse(week, &d);
    pthread_mutex_lock(&sv->db_lock);
    hv__week_plan(sv, dated ? &d : NULL, wk, keep, sizeof keep, &found);
    pthread_mutex_unlock(&sv->db_lock);
    if (!found || from_day < 0) {
      json_decref(in);
      hv__reply_error(r, found ? 400 : 404, found ? "from" : "week_of",
                      found ? "from is a day: mon, tue, ..."
                            : "that week has no plan to re-plan");
      return;
    }
  }
  json_decref(in);
  if (tl && (limit < 1 || limit > 3600)) {
    hv__reply_error(r, 400, "time_limit_s", "give 1 to 3600 seconds");
    return;
  }
  pthread_mutex_lock(&j->lock);
  if (j->state == HV_JOB_RUNNING) {
    pthread_mutex_unlock(&j->lock);
    hv__reply_error(r, 409, NULL, "a plan is being made: wait for it");
    return;
  }
  if (j->started) pthread_join(j->thread, NULL);
  j->started = false;
  j->state = HV_JOB_RUNNING;
  j->elapsed = 0;
  j->visited = j->total = 0;
  j->priority = 0;
  j->error[0] = '\0';
  j->limit = limit;
  snprintf(j->keep, sizeof j->keep, "%s", keep);
  j->from_day = from_day;
  j->whatif_lo = lo;
  j->whatif_hi = hi;
  snprintf(j->who, sizeof j->who, "%s", q->session.user.login);
  if (pthread_create(&j->thread, NULL, run_job, sv) != 0) {
    j->state = HV_JOB_FAILED;
    snprintf(j->error, sizeof j->error, "cannot start a thread");
  } else {
    j->started = true;
  }
  pthread_mutex_unlock(&j->lock);
  hv__reply_json(r, 202, json_pack("{s:s}", "state", "running"));
}

void hv__job_status(hv_server *sv, hv_reply *r) {
  hv__reply_json(r, 200, hv__job_json(sv));
}

json_t *hv__job_json(hv_server *sv) {
  hv_plan_job *j = &sv->job;
  static const char *const names[] = {"idle", "running", "done", "failed"};
  pthread_mutex_lock(&j->lock);
  json_t *o = json_pack(
      "{s:s, s:f, s:I, s:I, s:I}", "state", names[j->state], "elapsed_s",
      j->elapsed, "visited", (json_int_t)j->visited, "households",
      (json_int_t)j->total, "priority", (json_int_t)j->priority);
  if (j->state == HV_JOB_FAILED)
    json_object_set_new(o, "error", json_string(j->error));
  if (j->state == HV_JOB_DONE && j->result)
    json_object_set(o, "result", j->result);
  pthread_mutex_unlock(&j->lock);
  return o;
}

bool hv__job_busy(hv_server *sv) {
  hv_plan_job *j = &sv->job;
  pthread_mutex_lock(&j->lock);
  bool busy = j->state == HV_JOB_RUNNING && j->whatif_lo == 0;
  pthread_mutex_unlock(&j->lock);
  return busy;
}

void hv__job_end(hv_server *sv) {
  hv_plan_job *j = &sv->job;
  j->stop = 1;
  if (j->started) pthread_join(j->thread, NULL);
  json_decref(j->result);
  pthread_mutex_destroy(&j->lock);
}

/* ---- the week's files ----------------------------------------------- */

/* A week's plan.json, read at most once per request, when a staff
 * member's route sheets and packets are checked against it. */
typedef struct week_plan {
  const char *path;
  json_t *json; /* NULL until read, or when unreadable */
  bool read;
} week_plan;

static const json_t *week_plan_json(week_plan *w) {
  if (!w->read) {
    json_error_t je;
    w->json = json_load_file(w->path, 0, &je);
    w->read = true;
  }
  return w->json;
}

/* Whether the caller may have file rel (e.g. "routes/2026-03-02_P1.pdf")
 * of the week whose plan is wp. */
static bool may_have(const hv_user *u, week_plan *wp, const char *rel) {
  /* Names only: folders we write, no "..", no second slash. */
  static const char *const dirs[] = {"routes/", "packets/", "letters/",
                                     "calendars/"};
  static const char *const top[] = {"roster.pdf",   "week.svg",
                                    "roster.csv",   "unvisited.csv",
                                    "messages.csv", "plan.json"};
  for (const char *c = rel; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.' ||
          *c == '/'))
      return false;
  if (strstr(rel, "..")) return false;
  const char *slash = strchr(rel, '/');
  bool known = false;
  if (slash == NULL) {
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
      known |= strcmp(rel, top[i]) == 0;
  } else {
    if (strchr(slash + 1, '/')) return false;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
      known |= strncmp(rel, dirs[i], strlen(dirs[i])) == 0;
  }
  if (!known) return false;
  if (u->role == HV_ROLE_COORDINATOR) return true;
  if (u->role == HV_ROLE_VIEWER) return strcmp(rel, "week.svg") == 0;
  /* Staff: their routes and packets, their call packets, their calendar. */
  char want[160];
  snprintf(want, sizeof want, "calendars/%s.ics", u->staff);
  if (strcmp(rel, want) == 0) return true;
  if (strncmp(rel, "packets/", 8) == 0 && strstr(rel, "_calls_")) {
    snprintf(want, sizeof want, "_calls_%s.pdf", u->staff);
    size_t n = strlen(rel), w = strlen(want);
    return n > w && strcmp(rel + n - w, want) == 0;
  }
  if (strncmp(rel, "routes/", 7) != 0 && strncmp(rel, "packets/", 8) != 0)
    return false;
  const json_t *plan = week_plan_json(wp);
  bool ok = false;
  size_t i;
  json_t *rt;
  json_array_foreach(json_object_get(plan, "routes"), i, rt) {
    json_t *staff = json_object_get(rt, "staff");
    bool mine = false;
    for (size_t k = 0; k < json_array_size(staff); k++) {
      const char *id = json_string_value(json_array_get(staff, k));
      mine |= id && strcmp(id, u->staff) == 0;
    }
    if (!mine) continue;
    const char *date = json_string_value(json_object_get(rt, "date"));
    const char *pair = json_string_value(json_object_get(rt, "pair"));
    char name[160];
    snprintf(name, sizeof name, "%s_%s.pdf", date ? date : "",
             pair ? pair : "");
    ok |= strcmp(strchr(rel, '/') + 1, name) == 0;
  }
  return ok;
}

/* The output folder of the week holding *d (NULL: the latest), from its
 * stored plan. */
static bool week_dir(hv_server *sv, const hv_date *d, char *dir, size_t size,
                     char *plan_path, size_t psize) {
  char week[HV_DATE_TEXT];
  bool found;
  pthread_mutex_lock(&sv->db_lock);
  hv_status st = hv__week_plan(sv, d, week, plan_path, psize, &found);
  pthread_mutex_unlock(&sv->db_lock);
  if (st != HV_OK || !found) return false;
  snprintf(dir, size, "%s", plan_path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  return true;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void hv__files_list(hv_server *sv, hv_request *q, hv_reply *r) {
  const char *wk = hv__arg(q, "week_of");
  hv_date d;
  if (wk && !hv_date_parse(wk, &d)) {
    hv__reply_error(r, 400, "week_of", "give a date YYYY-MM-DD");
    return;
  }
  char dir[4096], plan_path[4096];
  if (!week_dir(sv, wk ? &d : NULL, dir, sizeof dir, plan_path,
                sizeof plan_path)) {
    hv__reply_error(r, 404, "week_of", "that week has no plan");
    return;
  }
  json_t *files = json_array();
  week_plan wp = {.path = plan_path};
  static const char *const sub[] = {"", "routes", "packets", "letters",
                                    "calendars"};
  /* Every file, however many: a district's week has a letter per visit. */
  char **names = NULL;
  size_t cap = 0;
  bool oom = files == NULL;
  for (size_t i = 0; i < sizeof sub / sizeof sub[0] && !oom; i++) {
    char path[4200];
    if (!hv_path_join(path, sizeof path, dir, sub[i])) continue;
    DIR *dh = opendir(path);
    if (dh == NULL) continue;
    size_t n = 0;
    struct dirent *e;
    while (!oom && (e = readdir(dh)) != NULL) {
      if (e->d_name[0] == '.') continue;
      if (n == cap) {
        char **more = realloc(names, (cap * 2 + 64) * sizeof *names);
        if (more == NULL) {
          oom = true;
          break;
        }
        names = more, cap = cap * 2 + 64;
      }
      size_t len = strlen(sub[i]) + 1 + strlen(e->d_name) + 1;
      if ((names[n] = malloc(len)) == NULL) {
        oom = true;
        break;
      }
      snprintf(names[n++], len, "%s%s%s", sub[i], sub[i][0] ? "/" : "",
               e->d_name);
    }
    closedir(dh);
    if (n > 1) qsort(names, n, sizeof *names, by_name);
    for (size_t k = 0; k < n; k++) {
      if (!oom && may_have(&q->session.user, &wp, names[k]) &&
          json_array_append_new(files, json_string(names[k])) != 0)
        oom = true;
      free(names[k]);
    }
  }
  free(names);
  json_decref(wp.json);
  if (oom) {
    json_decref(files);
    hv__reply_error(r, 500, NULL, "out of memory");
    return;
  }
  hv__reply_json(r, 200, json_pack("{s:o}", "files", files));
}

/* Answers with the file at path (at most max bytes), its type from its
 * name: 404 when it is not there. */
static void reply_file(hv_reply *r, const char *path, long max) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    hv__reply_error(r, 404, NULL, "no such file");
    return;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = n >= 0 && n < max ? malloc((size_t)n + 1) : NULL;
  size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  if (buf == NULL || got != (size_t)n) {
    free(buf);
    hv__reply_error(r, 500, NULL, "cannot read the file");
    return;
  }
  static const char *const types[][2] = {{".pdf", "application/pdf"},
                                         {".svg", "image/svg+xml"},
                                         {".png", "image/png"},
                                         {".ics", "text/calendar"},
                                         {".csv", "text/csv; charset=utf-8"},
                                         {".json", "application/json"}};
  const char *ext = strrchr(path, '.');
  r->type = "application/octet-stream";
  for (size_t i = 0; ext && i < sizeof types / sizeof types[0]; i++)
    if (strcmp(ext, types[i][0]) == 0) r->type = types[i][1];
  free(r->body);
  r->status = 200;
  r->body = buf;
  r->len = (size_t)n;
}

/* GET /files/<week_of>/<rel>. */
void hv__files_get(hv_server *sv, hv_request *q, hv_reply *r) {
  const char *rest = q->url + 7; /* after "/files/" */
  if (strlen(rest) < 12 || rest[10] != '/') {
    hv__reply_error(r, 404, NULL, "not found");
    return;
  }
  char week[11];
  snprintf(week, sizeof week, "%.10s", rest);
  const char *rel = rest + 11;
  hv_date d;
  char dir[4096], plan_path[4096];
  /* The week is named by its Monday. */
  if (!hv_date_parse(week, &d) || hv_date_weekday(d) != 0 ||
      !week_dir(sv, &d, dir, sizeof dir, plan_path, sizeof plan_path)) {
    hv__reply_error(r, 404, NULL, "that week has no plan");
    return;
  }
  week_plan wp = {.path = plan_path};
  bool mine = may_have(&q->session.user, &wp, rel);
  json_decref(wp.json);
  if (!mine) {
    hv__reply_error(r, 403, NULL, "not yours to download");
    return;
  }
  char path[8300];
  if (!hv_path_join(path, sizeof path, dir, rel)) {
    hv__reply_error(r, 404, NULL, "no such file");
    return;
  }
  reply_file(r, path, 64L << 20);
}

/* ---- pinning -------------------------------------------------------- */

void hv__pin(hv_server *sv, hv_request *q, hv_reply *r) {
  json_error_t je;
  json_t *in = json_loadb(q->body, q->body_len, 0, &je);
  const char *h = json_string_value(json_object_get(in, "household"));
  const char *week = json_string_value(json_object_get(in, "week_of"));
  json_t *pinned = json_object_get(in, "pinned");
  hv_date d;
  if (!h || !week || !hv_date_parse(week, &d) || !json_is_boolean(pinned)) {
    json_decref(in);
    hv__reply_error(r, 400, NULL,
                    "send household, week_of (YYYY-MM-DD) and pinned (true "
                    "or false)");
    return;
  }
  bool on = json_is_true(pinned);
  char hh[64], monday[HV_DATE_TEXT], path[4096];
  snprintf(hh, sizeof hh, "%s", h);
  json_decref(in);
  if (hv__job_busy(sv)) {
    hv__reply_error(r, 409, NULL, "a plan is being made: wait for it");
    return;
  }
  bool found = false;
  hv_error err = {0};
  pthread_mutex_lock(&sv->db_lock);
  hv__week_plan(sv, &d, monday, path, sizeof path, &found);
  json_t *plan = found ? json_load_file(path, 0, &je) : NULL;
  bool hit = false;
  size_t i;
  json_t *rt;
  json_array_foreach(json_object_get(plan, "routes"), i, rt) {
    size_t k;
    json_t *st;
    json_array_foreach(json_object_get(rt, "stops"), k, st) {
      const char *id = json_string_value(json_object_get(st, "household"));
      if (!id || strcmp(id, hh) != 0) continue;
      hit = true;
      if (on)
        json_object_set_new(st, "pinned", json_true());
      else
        json_object_del(st, "pinned");
    }
  }
  char *text = plan && hit
                   ? json_dumps(plan, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                   : NULL;
  if (!plan) {
    hv__reply_error(r, 404, "week_of", "the week of %s has no plan", monday);
  } else if (!hit) {
    hv__reply_error(r, 404, "household", "'%s' has no visit that week", hh);
  } else if (!text ||
             hv_write_file_atomic(path, text, strlen(text), &err) != HV_OK) {
    hv__reply_error(r, 500, NULL, "cannot write the plan");
  } else {
    char now[32], detail[160];
    snprintf(detail, sizeof detail, "%s (week of %s)", hh, monday);
    hv_store_audit(sv->db, hv_iso_time(time(NULL), now), q->session.user.login,
                   on ? "visit pinned" : "visit unpinned", detail, &err);
    hv__reply_json(r, 200,
                   json_pack("{s:s, s:b}", "household", hh, "pinned", on));
  }
  pthread_mutex_unlock(&sv->db_lock);
  free(text);
  json_decref(plan);
}

/* GET /whatif/<run>/<file>: a what-if's table and chart (coordinators). */
void hv__whatif_file(hv_server *sv, hv_request *q, hv_reply *r) {
  if (q->session.user.role != HV_ROLE_COORDINATOR) {
    hv__reply_error(r, 403, NULL, "what-if results are for coordinators");
    return;
  }
  const char *rest = q->url + 8; /* after "/whatif/" */
  char run[32], name[64];
  if (sscanf(rest, "%31[0-9]/%63[a-z_.]", run, name) != 2 ||
      (strcmp(name, "whatif.svg") != 0 && strcmp(name, "whatif.png") != 0 &&
       strcmp(name, "whatif.csv") != 0 &&
       strcmp(name, "whatif_marginal.csv") != 0)) {
    hv__reply_error(r, 404, NULL, "not found");
    return;
  }
  char top[4200], dir[4300], path[4400];
  if (!whatif_dirs(sv, run, top, sizeof top, dir, sizeof dir) ||
      !hv_path_join(path, sizeof path, dir, name)) {
    hv__reply_error(r, 404, NULL, "not found");
    return;
  }
  reply_file(r, path, 16L << 20);
}

/* ---- sending staff their week --------------------------------------- */

typedef struct send_ctx {
  json_t *rows;
} send_ctx;

static void send_row(const char *staff, const char *to, const char *files,
                     const char *status, void *ud) {
  send_ctx *c = ud;
  json_array_append_new(
      c->rows, json_pack("{s:s, s:s, s:s, s:s}", "staff", staff, "to", to,
                         "files", files, "status", status));
}

/* POST /api/send {"week_of": ..., "dry_run": bool}: e-mails every staff
 * member with a visit that week their files, through scenario.json's
 * mail.smtp (coordinators). */
void hv__send(hv_server *sv, hv_request *q, hv_reply *r) {
  if (q->session.user.role != HV_ROLE_COORDINATOR) {
    hv__reply_error(r, 403, NULL, "sending is for coordinators");
    return;
  }
  json_error_t je;
  json_t *in = json_loadb(q->body, q->body_len, 0, &je);
  const char *week = json_string_value(json_object_get(in, "week_of"));
  bool dry = json_is_true(json_object_get(in, "dry_run"));
  hv_date d;
  if (!week || !hv_date_parse(week, &d)) {
    json_decref(in);
    hv__reply_error(r, 400, "week_of", "give the week (YYYY-MM-DD)");
    return;
  }
  char monday[HV_DATE_TEXT], path[4096], dir[4096];
  json_decref(in);
  bool found = false;
  hv_error err = {0};
  hv_diags *dg = hv_diags_create();
  hv_scenario *s = NULL;
  hv_plan *p = NULL;
  pthread_mutex_lock(&sv->db_lock);
  hv__week_plan(sv, &d, monday, path, sizeof path, &found);
  pthread_mutex_unlock(&sv->db_lock);
  if (!found) {
    hv__reply_error(r, 404, "week_of", "the week of %s has no plan", monday);
    goto done;
  }
  if (hv_plan_scenario_dir(path, dir, sizeof dir, &err) != HV_OK ||
      hv_scenario_load(dir, &s, dg) != HV_OK ||
      hv_plan_load(s, path, &p, &err) != HV_OK) {
    hv__reply_error(r, 500, NULL, "the week's plan cannot be read");
    goto done;
  }
  const hv_mail_settings *m = hv_scenario_mail(s);
  if (!m->smtp[0] || !m->from[0]) {
    hv__reply_error(r, 409, "mail",
                    "set mail.smtp and mail.from in scenario.json first");
    goto done;
  }
  hv_diags_free(dg);
  dg = hv_diags_create();
  if (hv_plan_check(p, "plan.json", dg, &err) != HV_OK ||
      hv_diags_errors(dg) > 0) {
    hv__reply_error(r, 409, NULL,
                    "the week's plan breaks a planning rule: check it first");
    goto done;
  }
  char password[256] = "";
  if (m->password_file[0]) {
    FILE *f = fopen(m->password_file, "r");
    if (f == NULL || fgets(password, sizeof password, f) == NULL) {
      if (f) fclose(f);
      hv__reply_error(r, 500, "mail.password_file", "cannot read it");
      goto done;
    }
    fclose(f);
    password[strcspn(password, "\r\n")] = '\0';
  }
  send_ctx c = {json_array()};
  hv_send_options o = {.smtp_url = m->smtp,
                       .from = m->from,
                       .user = m->user[0] ? m->user : NULL,
                       .password = password[0] ? password : NULL,
                       .dry_run = dry,
                       .report = send_row,
                       .ud = &c};
  char out[4096];
  snprintf(out, sizeof out, "%s", path);
  char *slash = strrchr(out, '/');
  if (slash) *slash = '\0';
  hv_send_summary sum;
  hv_status st = hv_plan_send(p, out, &o, &sum, &err);
  memset(password, 0, sizeof password);
  if (!dry) {
    char now[32], detail[200];
    snprintf(detail, sizeof detail,
             "week of %s: %zu sent, %zu not sent, %zu "
             "failed",
             monday, sum.sent, sum.skipped, sum.failed);
    pthread_mutex_lock(&sv->db_lock);
    hv_store_audit(sv->db, hv_iso_time(time(NULL), now), q->session.user.login,
                   "week sent", detail, &err);
    pthread_mutex_unlock(&sv->db_lock);
  }
  hv__reply_json(
      r, st == HV_OK ? 200 : 207,
      json_pack("{s:b, s:I, s:I, s:I, s:o}", "dry_run", dry, "sent",
                (json_int_t)sum.sent, "not_sent", (json_int_t)sum.skipped,
                "failed", (json_int_t)sum.failed, "staff", c.rows));
done:
  hv_plan_free(p);
  hv_scenario_free(s);
  hv_diags_free(dg);
}
