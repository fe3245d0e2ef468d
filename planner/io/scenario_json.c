/* planner/io/scenario_json.c -- scenario.json: the week, the school, travel,
 * visit, solver and geocoder settings, with defaults for all but `base`
 * and `days`.  Unknown keys are warned about (they are usually typos). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario_int.h"

#define SRC "scenario.json"

/* ---- defaults ------------------------------------------------------- */

void hv__scenario_defaults(hv_scenario *s) {
  s->name = "";
  s->timezone = "UTC";
  s->travel.mode = "drive";
  s->travel.speed_kmh = 30.0;    /* urban driving, stops and lights included */
  s->travel.detour_factor = 1.3; /* road distance over straight line */
  s->travel.matrix = HV_MATRIX_GEODESIC;
  s->travel.osrm_url = "http://localhost:5000";
  s->travel.osrm_profile = "driving";
  s->visits.default_minutes = 45;
  s->visits.buffer_minutes = 10;
  s->visits.max_wait_minutes = 45;
  s->visits.virtual_minutes = 30;
  s->mail.smtp = s->mail.from = s->mail.user = s->mail.password_file = "";
  s->visits.video_link = "";
  hv_attendance_rules_init(&s->attendance);
  s->solver.time_limit_s = 30.0;
  s->solver.seed = 1;
  s->solver.threads = 1;
  s->geocoder.provider = HV_GEOCODE_NOMINATIM;
  s->geocoder.url = "https://nominatim.openstreetmap.org";
  s->geocoder.user_agent = "hvplan/0.1 (school home-visit route planner)";
  s->geocoder.email = "";
  s->geocoder.max_distance_km = 50.0;
  s->geocoder.min_interval_s = 1.0; /* Nominatim's usage policy */
  s->base.name = "School";
  s->base.address = "";
  s->base.phone = "";
}

/* ---- typed getters -------------------------------------------------- */

typedef struct ctx {
  hv_scenario *s;
  hv_diags *d;
  hv_arena *arena;
} ctx;

static void err_at(ctx *c, const char *field, const char *fmt, ...)
    HV_PRINTF(3, 4);
static void err_at(ctx *c, const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(c->d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = SRC, .field = field}, fmt, ap);
  va_end(ap);
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
    case JSON_OBJECT:
      return "an object";
    case JSON_ARRAY:
      return "an array";
    case JSON_STRING:
      return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
      return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
      return "true/false";
    case JSON_NULL:
      return "null";
  }
  return "?";
}

/* Reads a string member; keeps *out when absent or null. */
static bool get_str(ctx *c, json_t *obj, const char *key, const char *path,
                    const char **out) {
  json_t *v = json_object_get(obj, key);
  if (v == NULL || json_is_null(v)) return false;
  if (!json_is_string(v)) {
    err_at(c, path, "expected a string, found %s", type_name(v));
    return false;
  }
  const char *str = hv__arena_strdup(c->arena, json_string_value(v));
  if (str) *out = str;
  return str != NULL;
}

/* Reads a number member within [lo, hi]; keeps *out when absent. */
static bool get_num(ctx *c, json_t *obj, const char *key, const char *path,
                    double lo, double hi, double *out) {
  json_t *v = json_object_get(obj, key);
  if (v == NULL || json_is_null(v)) return false;
  if (!json_is_number(v)) {
    err_at(c, path, "expected a number, found %s", type_name(v));
    return false;
  }
  double x = json_number_value(v);
  if (!(x >= lo && x <= hi)) {
    hv_diags_add(c->d, HV_SEV_ERROR, HV_E_INPUT,
                 (hv_where){.source = SRC, .field = path},
                 "%g is outside [%g, %g]", x, lo, hi);
    return false;
  }
  *out = x;
  return true;
}

static bool get_int(ctx *c, json_t *obj, const char *key, const char *path,
                    int lo, int hi, int *out) {
  json_t *v = json_object_get(obj, key);
  if (v != NULL && json_is_real(v)) {
    err_at(c, path, "expected a whole number");
    return false;
  }
  double x;
  if (!get_num(c, obj, key, path, lo, hi, &x)) return false;
  *out = (int)x;
  return true;
}

/* Warns about keys of obj not in known[] (NULL-terminated). */
static void unknown_keys(ctx *c, json_t *obj, const char *prefix,
                         const char *const known[]) {
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    bool ok = false;
    for (size_t i = 0; known[i]; i++)
      if (strcmp(key, known[i]) == 0) ok = true;
    if (ok) continue;
    char path[128];
    snprintf(path, sizeof path, "%s%s", prefix, key);
    hv_diags_add(c->d, HV_SEV_WARNING, HV_E_INPUT,
                 (hv_where){.source = SRC, .field = path},
                 "unknown setting '%s' is ignored (a typo?)", key);
  }
}

/* Returns obj[key] if it is an object, NULL if absent; error otherwise. */
static json_t *get_obj(ctx *c, json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  if (v == NULL || json_is_null(v)) return NULL;
  if (!json_is_object(v)) {
    err_at(c, key, "expected an object, found %s", type_name(v));
    return NULL;
  }
  return v;
}

/* ---- sections ------------------------------------------------------- */

static void read_days(ctx *c, json_t *root) {
  json_t *v = json_object_get(root, "days");
  if (v == NULL || json_is_null(v)) {
    err_at(c, "days",
           "required: the days to plan, e.g. [\"mon\", \"tue\", \"wed\", "
           "\"thu\", \"fri\"]");
    return;
  }
  unsigned mask = 0;
  if (json_is_string(v)) {
    /* Also accept the availability grammar's day list: "mon-fri,sat". */
    char buf[128];
    snprintf(buf, sizeof buf, "%s 00:00-24:00", json_string_value(v));
    hv_avail a;
    hv_error e;
    if (hv_avail_parse(buf, &a, &e) != HV_OK) {
      err_at(c, "days", "%s", e.text);
      return;
    }
    for (size_t i = 0; i < a.n; i++)
      mask |= 1u << a.w[i].day;
    hv_avail_clear(&a);
  } else if (json_is_array(v)) {
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      if (!json_is_string(item)) {
        err_at(c, "days", "expected day names, found %s", type_name(item));
        continue;
      }
      int day = hv_day_parse(json_string_value(item));
      if (day < 0)
        err_at(c, "days", "unknown day '%s' (use mon..sun)",
               json_string_value(item));
      else
        mask |= 1u << day;
    }
  } else {
    err_at(c, "days", "expected an array of day names, found %s", type_name(v));
    return;
  }
  if (mask == 0 && hv_diags_errors(c->d) == 0)
    err_at(c, "days", "no day to plan");
  c->s->days = mask;
}

static void read_base(ctx *c, json_t *root) {
  hv_scenario *s = c->s;
  json_t *b = json_object_get(root, "base");
  if (b == NULL || json_is_null(b)) {
    err_at(c, "base",
           "required: the school every route starts from, {\"name\", "
           "\"address\", \"lat\", \"lon\"}");
    return;
  }
  if (!json_is_object(b)) {
    err_at(c, "base", "expected an object, found %s", type_name(b));
    return;
  }
  static const char *const known[] = {"name", "address", "phone",
                                      "lat",  "lon",     NULL};
  unknown_keys(c, b, "base.", known);
  get_str(c, b, "name", "base.name", &s->base.name);
  get_str(c, b, "address", "base.address", &s->base.address);
  get_str(c, b, "phone", "base.phone", &s->base.phone);
  bool has_lat = json_object_get(b, "lat") != NULL;
  bool has_lon = json_object_get(b, "lon") != NULL;
  bool ok_lat = get_num(c, b, "lat", "base.lat", -90, 90, &s->base.lat);
  bool ok_lon = get_num(c, b, "lon", "base.lon", -180, 180, &s->base.lon);
  if (has_lat != has_lon)
    err_at(c, has_lat ? "base.lon" : "base.lat",
           "give both lat and lon, or neither (then the address is "
           "geocoded)");
  s->base.has_coords = ok_lat && ok_lon;
  if (!has_lat && !has_lon && s->base.address[0] == '\0')
    err_at(c, "base", "needs lat/lon or an address");
}

static void read_travel(ctx *c, json_t *root) {
  hv_scenario *s = c->s;
  json_t *t = get_obj(c, root, "travel");
  if (t == NULL) return;
  static const char *const known[] = {"mode",   "speed_kmh", "detour_factor",
                                      "matrix", "osrm_url",  "osrm_profile",
                                      NULL};
  unknown_keys(c, t, "travel.", known);
  if (get_str(c, t, "mode", "travel.mode", &s->travel.mode)) {
    /* Each mode brings its own defaults; explicit values below win. */
    static const struct {
      const char *mode, *profile;
      double speed, detour;
    } modes[] = {{"drive", "driving", 30.0, 1.3},
                 {"walk", "foot", 4.5, 1.2},
                 {"bike", "bike", 14.0, 1.25},
                 {"transit", "driving", 15.0, 1.4}};
    bool found = false;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
      if (hv__strcasecmp(s->travel.mode, modes[i].mode) == 0) {
        s->travel.mode = modes[i].mode;
        s->travel.osrm_profile = modes[i].profile;
        s->travel.speed_kmh = modes[i].speed;
        s->travel.detour_factor = modes[i].detour;
        found = true;
      }
    if (!found)
      err_at(c, "travel.mode",
             "unknown mode '%s' (use drive, walk, bike or "
             "transit)",
             s->travel.mode);
  }
  get_num(c, t, "speed_kmh", "travel.speed_kmh", 1, 200, &s->travel.speed_kmh);
  get_num(c, t, "detour_factor", "travel.detour_factor", 1, 5,
          &s->travel.detour_factor);
  const char *m = NULL;
  if (get_str(c, t, "matrix", "travel.matrix", &m)) {
    if (hv__strcasecmp(m, "geodesic") == 0)
      s->travel.matrix = HV_MATRIX_GEODESIC;
    else if (hv__strcasecmp(m, "osrm") == 0)
      s->travel.matrix = HV_MATRIX_OSRM;
    else
      err_at(c, "travel.matrix", "unknown matrix '%s' (use geodesic or osrm)",
             m);
  }
  get_str(c, t, "osrm_url", "travel.osrm_url", &s->travel.osrm_url);
  get_str(c, t, "osrm_profile", "travel.osrm_profile", &s->travel.osrm_profile);
}

static void read_attendance(ctx *c, json_t *root) {
  hv_attendance_rules *r = &c->s->attendance;
  json_t *a = get_obj(c, root, "attendance");
  if (a == NULL) return;
  static const char *const known[] = {
      "threshold",       "trend_days", "unanswered_min",
      "periods_per_day", "term_start", "weights",
      "grades",          "columns",    NULL};
  unknown_keys(c, a, "attendance.", known);
  get_num(c, a, "threshold", "attendance.threshold", 0.01, 1.0, &r->threshold);
  get_int(c, a, "trend_days", "attendance.trend_days", 5, 200, &r->trend_days);
  get_int(c, a, "unanswered_min", "attendance.unanswered_min", 1, 50,
          &r->unanswered_min);
  get_int(c, a, "periods_per_day", "attendance.periods_per_day", 1, 20,
          &r->periods_per_day);
  const char *ts = NULL;
  if (get_str(c, a, "term_start", "attendance.term_start", &ts)) {
    r->has_term_start = hv_date_parse(ts, &r->term_start);
    if (!r->has_term_start)
      err_at(c, "attendance.term_start",
             "'%s' is not a date of the form YYYY-MM-DD", ts);
  }
  json_t *w = get_obj(c, a, "weights");
  if (w) {
    static const char *const wk[] = {"rate", "trend", "unanswered", "grade",
                                     NULL};
    unknown_keys(c, w, "attendance.weights.", wk);
    get_num(c, w, "rate", "attendance.weights.rate", 0, 1000, &r->w_rate);
    get_num(c, w, "trend", "attendance.weights.trend", 0, 1000, &r->w_trend);
    get_num(c, w, "unanswered", "attendance.weights.unanswered", 0, 1000,
            &r->w_unanswered);
    get_num(c, w, "grade", "attendance.weights.grade", 0, 1000, &r->w_grade);
    if (r->w_rate + r->w_trend + r->w_unanswered + r->w_grade <= 0)
      err_at(c, "attendance.weights", "at least one weight must be above 0");
  }
  json_t *g = json_object_get(a, "grades");
  if (g && !json_is_array(g)) {
    err_at(c, "attendance.grades",
           "expected a list of grades, e.g. [\"K\", "
           "\"9\"]");
  } else if (g) {
    r->ngrades = 0;
    size_t i;
    json_t *v;
    json_array_foreach(g, i, v) {
      if (!json_is_string(v) || r->ngrades == HV_ATT_MAX_GRADES) {
        err_at(c, "attendance.grades", "at most %d grades, each a string",
               HV_ATT_MAX_GRADES);
        break;
      }
      r->grades[r->ngrades++] =
          hv__arena_strdup(c->arena, json_string_value(v));
    }
  }
  json_t *m = get_obj(c, a, "columns");
  if (m) {
    const char *key;
    json_t *v;
    json_object_foreach(m, key, v) {
      if (!json_is_string(v) || r->ncolumns == HV_ATT_MAX_COLUMNS) {
        err_at(c, "attendance.columns",
               "map each column name to the export's header (a string)");
        break;
      }
      r->column_name[r->ncolumns] = hv__arena_strdup(c->arena, key);
      r->column_header[r->ncolumns++] =
          hv__arena_strdup(c->arena, json_string_value(v));
    }
  }
}

static void read_small_sections(ctx *c, json_t *root) {
  hv_scenario *s = c->s;
  read_attendance(c, root);
  json_t *v = get_obj(c, root, "visits");
  if (v) {
    static const char *const known[] = {"default_minutes",  "buffer_minutes",
                                        "max_wait_minutes", "virtual_minutes",
                                        "video_link",       NULL};
    unknown_keys(c, v, "visits.", known);
    get_int(c, v, "default_minutes", "visits.default_minutes", 5, 480,
            &s->visits.default_minutes);
    get_int(c, v, "buffer_minutes", "visits.buffer_minutes", 0, 240,
            &s->visits.buffer_minutes);
    get_int(c, v, "max_wait_minutes", "visits.max_wait_minutes", 0, 480,
            &s->visits.max_wait_minutes);
    get_int(c, v, "virtual_minutes", "visits.virtual_minutes", 10, 120,
            &s->visits.virtual_minutes);
    if (get_str(c, v, "video_link", "visits.video_link",
                &s->visits.video_link) &&
        s->visits.video_link[0] != '\0' &&
        !hv__web_address(s->visits.video_link))
      err_at(c, "visits.video_link", HV__NOT_A_WEB_ADDRESS,
             s->visits.video_link);
  }
  json_t *so = get_obj(c, root, "solver");
  if (so) {
    static const char *const known[] = {"time_limit_s", "seed", "threads",
                                        NULL};
    unknown_keys(c, so, "solver.", known);
    get_num(c, so, "time_limit_s", "solver.time_limit_s", 0.1, 86400,
            &s->solver.time_limit_s);
    int seed = 0;
    if (get_int(c, so, "seed", "solver.seed", 0, 2147483647, &seed))
      s->solver.seed = (uint64_t)seed;
    get_int(c, so, "threads", "solver.threads", 1, HV_SCENARIO_THREADS_MAX,
            &s->solver.threads);
  }
  json_t *mail = get_obj(c, root, "mail");
  if (mail) {
    static const char *const known[] = {"smtp", "from", "user", "password_file",
                                        NULL};
    unknown_keys(c, mail, "mail.", known);
    get_str(c, mail, "smtp", "mail.smtp", &s->mail.smtp);
    get_str(c, mail, "from", "mail.from", &s->mail.from);
    get_str(c, mail, "user", "mail.user", &s->mail.user);
    get_str(c, mail, "password_file", "mail.password_file",
            &s->mail.password_file);
  }
  json_t *g = get_obj(c, root, "geocoder");
  if (g) {
    static const char *const known[] = {
        "provider",       "url", "user_agent", "email", "max_distance_km",
        "min_interval_s", NULL};
    unknown_keys(c, g, "geocoder.", known);
    const char *p = NULL;
    if (get_str(c, g, "provider", "geocoder.provider", &p)) {
      if (hv__strcasecmp(p, "nominatim") == 0) {
        s->geocoder.provider = HV_GEOCODE_NOMINATIM;
      } else if (hv__strcasecmp(p, "census") == 0) {
        s->geocoder.provider = HV_GEOCODE_CENSUS;
        s->geocoder.url = "https://geocoding.geo.census.gov/geocoder";
        s->geocoder.min_interval_s = 0.0;
      } else {
        err_at(c, "geocoder.provider",
               "unknown provider '%s' (use nominatim or census)", p);
      }
    }
    get_str(c, g, "url", "geocoder.url", &s->geocoder.url);
    get_str(c, g, "user_agent", "geocoder.user_agent", &s->geocoder.user_agent);
    get_str(c, g, "email", "geocoder.email", &s->geocoder.email);
    get_num(c, g, "max_distance_km", "geocoder.max_distance_km", 0.1, 20000,
            &s->geocoder.max_distance_km);
    get_num(c, g, "min_interval_s", "geocoder.min_interval_s", 0, 60,
            &s->geocoder.min_interval_s);
  }
}

static bool timezone_known(const char *tz) {
  if (strcmp(tz, "UTC") == 0) return true;
  if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..")) return false;
  struct stat st;
  if (stat("/usr/share/zoneinfo", &st) != 0) return true; /* cannot check */
  char path[512];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void read_root(ctx *c, json_t *root) {
  hv_scenario *s = c->s;
  static const char *const known[] = {
      "name",    "week_of", "timezone",   "days",     "base",
      "travel",  "visits",  "solver",     "geocoder", "$schema",
      "comment", "program", "attendance", "mail",     NULL};
  unknown_keys(c, root, "", known);
  get_str(c, root, "name", "name", &s->name);
  get_str(c, root, "program", "program", &s->program);
  const char *week = NULL;
  if (get_str(c, root, "week_of", "week_of", &week)) {
    if (!hv_date_parse(week, &s->week_of))
      err_at(c, "week_of", "'%s' is not a date of the form YYYY-MM-DD", week);
  }
  if (get_str(c, root, "timezone", "timezone", &s->timezone) &&
      !timezone_known(s->timezone))
    err_at(c, "timezone",
           "unknown time zone '%s' (use an IANA name such as "
           "America/Chicago)",
           s->timezone);
  read_days(c, root);
  read_base(c, root);
  read_travel(c, root);
  read_small_sections(c, root);
}

void hv__scenario_parse_json(const char *text, size_t len, hv_scenario *s,
                             hv_diags *d) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_PARSE,
                 (hv_where){.source = SRC,
                            .line = je.line > 0 ? (uint32_t)je.line : 0,
                            .column = je.column > 0 ? (uint32_t)je.column : 0},
                 "invalid JSON: %s", je.text);
    return;
  }
  ctx c = {.s = s, .d = d, .arena = s->arena};
  if (!json_is_object(root))
    err_at(&c, NULL, "expected a JSON object at the top, found %s",
           type_name(root));
  else
    read_root(&c, root);
  json_decref(root);
}

void hv__scenario_read_json(const char *path, hv_scenario *s, hv_diags *d) {
  char *text;
  size_t len;
  hv_error e;
  if (hv__read_file(path, (size_t)4 << 20, &text, &len, &e) != HV_OK) {
    snprintf(e.source, sizeof e.source, "%s", SRC);
    hv_diags_add_error(d, HV_SEV_ERROR, &e);
    return;
  }
  size_t bad;
  if (!hv__utf8_valid(text, len, &bad)) {
    uint32_t line = 1;
    for (size_t i = 0; i < bad; i++)
      line += text[i] == '\n';
    hv_diags_add(
        d, HV_SEV_ERROR, HV_E_PARSE, (hv_where){.source = SRC, .line = line},
        "text is not valid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
  } else {
    hv__scenario_parse_json(text, len, s, d);
  }
  free(text);
}
