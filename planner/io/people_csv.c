/* planner/io/people_csv.c -- households.csv, staff.csv and pairs.csv rows into
 * scenario records.  Every bad value is reported with file, line and
 * column name, and reading goes on so that `validate` lists all of them.
 * Columns are matched by name in any order; the usual aliases exported by
 * student-information systems ("latitude", "home_language") are accepted,
 * and unknown columns are kept for the outputs. */
#include <stdio.h>
#include <string.h>

#include "scenario_int.h"

/* One known column: its canonical name and the other names it may have. */
typedef struct colspec {
  const char *name;
  const char *aliases[4];
} colspec;

/* Resolved column positions of one table, by spec index; -1 if absent. */
typedef struct cols {
  int at[24];
  size_t n; /* specs in use */
} cols;

/* True when table column i is one of the known columns. */
static bool col_known(const cols *c, size_t i) {
  for (size_t k = 0; k < c->n; k++)
    if (c->at[k] == (int)i) return true;
  return false;
}

static void map_columns(const hv_csv_table *t, const colspec *spec, size_t n,
                        cols *c) {
  c->n = n;
  for (size_t i = 0; i < n; i++) {
    c->at[i] = hv__csv_col(t, spec[i].name);
    for (size_t k = 0; c->at[i] < 0 && k < 4 && spec[i].aliases[k]; k++)
      c->at[i] = hv__csv_col(t, spec[i].aliases[k]);
  }
}

static const char *cell(const hv_csv_row *r, const cols *c, int spec_index) {
  int k = c->at[spec_index];
  return k >= 0 ? r->cells[k] : "";
}

/* Where-record for a cell: the column name as the file spells it. */
static hv_where at_cell(const hv_csv_table *t, const hv_csv_row *r,
                        const cols *c, int spec_index, const char *fallback) {
  int k = c->at[spec_index];
  return (hv_where){.source = t->name,
                    .line = r->line,
                    .field = k >= 0 ? t->header[k] : fallback};
}

static void missing_column(const hv_csv_table *t, hv_diags *d, const char *name,
                           const char *why) {
  hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
               (hv_where){.source = t->name, .line = 1, .field = name},
               "missing required column '%s'%s", name, why);
}

/* Collects the unknown columns' names (into *names) for carrying them. */
static size_t extra_names(const hv_csv_table *t, const cols *c, hv_arena *a,
                          const char ***names) {
  size_t n = 0;
  for (size_t i = 0; i < t->ncols; i++)
    if (!col_known(c, i) && t->header[i][0] != '\0') n++;
  *names = hv__arena_alloc(a, (n + 1) * sizeof **names);
  if (*names == NULL) return 0;
  size_t k = 0;
  for (size_t i = 0; i < t->ncols; i++)
    if (!col_known(c, i) && t->header[i][0] != '\0')
      (*names)[k++] = hv__arena_strdup(a, t->header[i]);
  return n;
}

static const char **extra_values(const hv_csv_table *t, const hv_csv_row *r,
                                 const cols *c, hv_arena *a, size_t n) {
  const char **v = hv__arena_alloc(a, (n + 1) * sizeof *v);
  if (v == NULL) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < t->ncols; i++)
    if (!col_known(c, i) && t->header[i][0] != '\0')
      v[k++] = hv__arena_strdup(a, r->cells[i]);
  return v;
}

/* Parses a field's availability; reports with the field's position. */
static void read_avail(const char *text, hv_avail *out, hv_where at,
                       hv_diags *d) {
  hv_error e;
  if (hv_avail_parse(text, out, &e) != HV_OK)
    hv_diags_add(d, HV_SEV_ERROR, e.code, at, "%s", e.text);
}

/* Parses an integer in [lo, hi]; empty keeps *out.  Returns false on a bad
 * value (reported). */
static bool read_int(const char *text, int lo, int hi, int *out, hv_where at,
                     hv_diags *d) {
  if (text[0] == '\0') return true;
  long v;
  if (!hv_parse_long(text, &v)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at, "'%s' is not a whole number",
                 text);
    return false;
  }
  if (v < lo || v > hi) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at, "%ld is outside [%d, %d]", v,
                 lo, hi);
    return false;
  }
  *out = (int)v;
  return true;
}

/* The ids seen so far in one file, in an open-addressing hash table (a
 * 100,000-row export must not cost 10^10 comparisons). */
typedef struct idset {
  const char **ids;
  uint32_t *lines;
  size_t cap; /* a power of two, at least twice the rows */
} idset;

static bool idset_init(idset *s, size_t rows, hv_arena *a) {
  s->cap = 16;
  while (s->cap < 2 * rows + 2)
    s->cap <<= 1;
  s->ids = hv__arena_alloc(a, s->cap * sizeof *s->ids);
  s->lines = hv__arena_alloc(a, s->cap * sizeof *s->lines);
  return s->ids && s->lines;
}

static size_t id_hash(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* Adds id; reports a duplicate (ids are compared exactly: case matters, as
 * in most student-information systems). */
static bool check_unique(idset *set, const char *id, uint32_t line, hv_where at,
                         hv_diags *d) {
  size_t i = id_hash(id) & (set->cap - 1);
  while (set->ids[i] != NULL) {
    if (strcmp(set->ids[i], id) == 0) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                   "duplicate id '%s' (first on line %u)", id,
                   (unsigned)set->lines[i]);
      return false;
    }
    i = (i + 1) & (set->cap - 1);
  }
  set->ids[i] = id;
  set->lines[i] = line;
  return true;
}

/* ---- households ----------------------------------------------------- */

enum {
  H_ID,
  H_STUDENT,
  H_GUARDIAN,
  H_PHONE,
  H_ADDRESS,
  H_LAT,
  H_LON,
  H_LANGUAGE,
  H_PRIORITY,
  H_AVAIL,
  H_DURATION,
  H_TYPE,
  H_NOTES,
  H_PREFERRED,
  H_ATTEMPTS,
  H_MODE,
  H_NCOLS
};

static const colspec household_cols[H_NCOLS] = {
    [H_ID] = {"id", {"household_id", "household"}},
    [H_STUDENT] = {"student", {"student_name"}},
    [H_GUARDIAN] = {"guardian", {"guardian_name", "parent"}},
    [H_PHONE] = {"phone", {"guardian_phone", "phone_number"}},
    [H_ADDRESS] = {"address", {"home_address", "street_address"}},
    [H_LAT] = {"lat", {"latitude"}},
    [H_LON] = {"lon", {"lng", "long", "longitude"}},
    [H_LANGUAGE] = {"language", {"home_language", "lang"}},
    [H_PRIORITY] = {"priority", {"urgency"}},
    [H_AVAIL] = {"availability", {"available"}},
    [H_DURATION] = {"duration_min", {"duration", "minutes"}},
    [H_TYPE] = {"visit_type", {"type"}},
    [H_NOTES] = {"notes", {"note", "comments"}},
    [H_PREFERRED] = {"preferred_staff", {"staff_preference"}},
    [H_ATTEMPTS] = {"attempts", {"attempt"}},
    [H_MODE] = {"mode", {"visit_mode", "meeting"}},
};

/* households.csv "mode": home, place:<name> (places.csv) or virtual.  A
 * place visit's windows become the family's within the place's hours. */
static void read_mode(const hv_csv_table *t, const hv_csv_row *r, const cols *c,
                      hv_scenario *s, hv_household *h, hv_diags *d) {
  const char *mode = cell(r, c, H_MODE);
  hv_where at = at_cell(t, r, c, H_MODE, "mode");
  h->mode = HV_MODE_HOME;
  h->place = -1;
  if (mode[0] == '\0' || hv__strcasecmp(mode, "home") == 0) return;
  if (hv__strcasecmp(mode, "virtual") == 0 ||
      hv__strcasecmp(mode, "video") == 0) {
    h->mode = HV_MODE_VIRTUAL;
    return;
  }
  if (hv__strncasecmp(mode, "place:", 6) != 0) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                 "unknown mode '%s' (use home, place:<name of a place in "
                 "places.csv> or virtual)",
                 mode);
    return;
  }
  const char *name = mode + 6;
  while (*name == ' ')
    name++;
  for (size_t i = 0; i < s->nplaces; i++)
    if (hv__strcasecmp(s->places[i].name, name) == 0) h->place = (long)i;
  if (h->place < 0) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                 s->has_places ? "unknown place '%s' (not in places.csv)"
                               : "unknown place '%s' (list it in places.csv "
                                 "next to households.csv)",
                 name);
    return;
  }
  h->mode = HV_MODE_PLACE;
  const hv_place *pl = &s->places[h->place];
  h->own_avail = h->avail;
  if (hv_avail_intersect(&h->own_avail, &pl->hours, &h->avail) != HV_OK) {
    h->avail = (hv_avail){0};
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  if (h->avail.n == 0 && (h->own_avail.n > 0 || pl->hours.n > 0))
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                 "the family's windows never fall in the opening hours of "
                 "'%s' (places.csv line %u)",
                 pl->name, (unsigned)pl->line);
}

/* Columns ilat and ilon into lat and lon; false when empty or bad. */
static bool read_coords(const hv_csv_table *t, const hv_csv_row *r,
                        const cols *c, int ilat, int ilon, double *lat,
                        double *lon, hv_diags *d) {
  const char *slat = cell(r, c, ilat), *slon = cell(r, c, ilon);
  hv_where wlat = at_cell(t, r, c, ilat, "lat");
  hv_where wlon = at_cell(t, r, c, ilon, "lon");
  if (slat[0] == '\0' && slon[0] == '\0') return false;
  if ((slat[0] == '\0') != (slon[0] == '\0')) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, slat[0] ? wlon : wlat,
                 "give both lat and lon, or neither");
    return false;
  }
  bool ok = true;
  if (!hv_parse_double(slat, lat)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wlat,
                 "'%s' is not a number (decimal degrees, e.g. 44.9778)", slat);
    ok = false;
  } else if (*lat < -90.0 || *lat > 90.0) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wlat,
                 "latitude %s is outside [-90, 90]", slat);
    ok = false;
  }
  if (!hv_parse_double(slon, lon)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wlon,
                 "'%s' is not a number (decimal degrees, e.g. -93.2650)", slon);
    ok = false;
  } else if (*lon < -180.0 || *lon > 180.0) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wlon,
                 "longitude %s is outside [-180, 180]", slon);
    ok = false;
  }
  return ok;
}

static void read_household(const hv_csv_table *t, const hv_csv_row *r,
                           const cols *c, hv_scenario *s, hv_household *h,
                           idset *ids, hv_diags *d) {
  hv_arena *a = s->arena;
  h->line = r->line;
  h->id = hv__arena_strdup(a, cell(r, c, H_ID));
  h->student = hv__arena_strdup(a, cell(r, c, H_STUDENT));
  h->guardian = hv__arena_strdup(a, cell(r, c, H_GUARDIAN));
  h->phone = hv__arena_strdup(a, cell(r, c, H_PHONE));
  h->address = hv__arena_strdup(a, cell(r, c, H_ADDRESS));
  h->notes = hv__arena_strdup(a, cell(r, c, H_NOTES));
  h->preferred_staff = hv__arena_strdup(a, cell(r, c, H_PREFERRED));
  if (!h->id || !h->student || !h->guardian || !h->phone || !h->address ||
      !h->notes || !h->preferred_staff) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  if (h->id[0] == '\0')
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at_cell(t, r, c, H_ID, "id"),
                 "missing required value");
  else
    check_unique(ids, h->id, h->line, at_cell(t, r, c, H_ID, "id"), d);

  h->has_coords = read_coords(t, r, c, H_LAT, H_LON, &h->lat, &h->lon, d);
  /* A visit at a place or by video does not need the home's location. */
  bool needs_home = cell(r, c, H_MODE)[0] == '\0' ||
                    hv__strcasecmp(cell(r, c, H_MODE), "home") == 0;
  if (needs_home && !h->has_coords && h->address[0] == '\0' &&
      cell(r, c, H_LAT)[0] == '\0')
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                 at_cell(t, r, c, H_ADDRESS, "address"),
                 "needs an address or lat/lon");

  const char *lang = cell(r, c, H_LANGUAGE);
  h->language = "en";
  if (lang[0] != '\0') {
    const char *code = hv_language_code(lang);
    if (code == NULL)
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                   at_cell(t, r, c, H_LANGUAGE, "language"),
                   "unknown language '%s' (use an ISO 639-1 code such as "
                   "'es')",
                   lang);
    else
      h->language = code;
  }

  hv_where wp = at_cell(t, r, c, H_PRIORITY, "priority");
  const char *prio = cell(r, c, H_PRIORITY);
  if (prio[0] == '\0')
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wp,
                 "missing required value (1-100, higher is more urgent)");
  else
    read_int(prio, 1, 100, &h->priority, wp, d);

  read_avail(cell(r, c, H_AVAIL), &h->avail,
             at_cell(t, r, c, H_AVAIL, "availability"), d);
  read_int(cell(r, c, H_DURATION), 5, 480, &h->duration_min,
           at_cell(t, r, c, H_DURATION, "duration_min"), d);
  read_int(cell(r, c, H_ATTEMPTS), 0, 99, &h->attempts,
           at_cell(t, r, c, H_ATTEMPTS, "attempts"), d);
  read_mode(t, r, c, s, h, d);

  const char *type = cell(r, c, H_TYPE);
  if (type[0] == '\0' || hv__strcasecmp(type, "attendance") == 0)
    h->visit_type = HV_VISIT_ATTENDANCE;
  else if (hv__strcasecmp(type, "relational") == 0)
    h->visit_type = HV_VISIT_RELATIONAL;
  else if (hv__strcasecmp(type, "follow_up") == 0 ||
           hv__strcasecmp(type, "follow-up") == 0)
    h->visit_type = HV_VISIT_FOLLOW_UP;
  else
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                 at_cell(t, r, c, H_TYPE, "visit_type"),
                 "unknown visit type '%s' (use attendance, relational or "
                 "follow_up)",
                 type);
}

void hv__read_households(const hv_csv_table *t, hv_scenario *s, hv_diags *d) {
  cols c;
  map_columns(t, household_cols, H_NCOLS, &c);
  bool ok = true;
  if (c.at[H_ID] < 0) missing_column(t, d, "id", ""), ok = false;
  if (c.at[H_PRIORITY] < 0)
    missing_column(t, d, "priority", " (1-100, higher is more urgent)"),
        ok = false;
  if (c.at[H_ADDRESS] < 0 && (c.at[H_LAT] < 0 || c.at[H_LON] < 0))
    missing_column(t, d, "address", " (or both 'lat' and 'lon')"), ok = false;
  if (!ok) return;
  hv_arena *a = s->arena;
  s->nhh_extra = extra_names(t, &c, a, &s->hh_extra_names);
  s->households = hv__arena_alloc(a, (t->nrows + 1) * sizeof *s->households);
  idset ids;
  if (!s->households || !idset_init(&ids, t->nrows, a)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  for (size_t i = 0; i < t->nrows; i++) {
    hv_household *h = &s->households[s->nhouseholds];
    read_household(t, &t->rows[i], &c, s, h, &ids, d);
    h->extra = extra_values(t, &t->rows[i], &c, a, s->nhh_extra);
    if (h->id == NULL) return; /* out of memory, reported */
    s->nhouseholds++;
  }
  if (t->nrows == 0)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT, (hv_where){.source = t->name},
                 "no households listed");
}

/* ---- staff ---------------------------------------------------------- */

enum {
  S_ID,
  S_NAME,
  S_ROLE,
  S_LANGS,
  S_AVAIL,
  S_MAX,
  S_PHONE,
  S_EMAIL,
  S_VIDEO,
  S_NCOLS
};

static const colspec staff_cols[S_NCOLS] = {
    [S_ID] = {"id", {"staff_id"}},
    [S_NAME] = {"name", {"staff_name", "full_name"}},
    [S_ROLE] = {"role", {"title", "position"}},
    [S_LANGS] = {"languages", {"language", "langs"}},
    [S_AVAIL] = {"availability", {"hours", "available"}},
    [S_MAX] = {"max_visits_per_day", {"max_visits", "max_per_day"}},
    [S_PHONE] = {"phone", {"mobile", "cell"}},
    [S_EMAIL] = {"email", {"e-mail", "mail"}},
    [S_VIDEO] = {"video_link", {"meeting_link", "video"}},
};

/* Splits "en;es" (also "en, es" or "en es") into codes. */
void hv__read_languages(const char *text, hv_staff *st, hv_arena *a,
                        hv_where at, hv_diags *d) {
  char buf[256];
  if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                 "the list of languages is too long (at most %zu characters)",
                 sizeof buf - 1);
    return;
  }
  const char *codes[32];
  size_t n = 0, over = 0;
  char *p = buf;
  while (*p) {
    size_t len = strcspn(p, ";, \t/");
    char save = p[len];
    p[len] = '\0';
    if (len > 0) {
      const char *code = hv_language_code(p);
      if (code == NULL)
        hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                     "unknown language '%s' (use ISO 639-1 codes joined by "
                     "';', e.g. 'en;es')",
                     p);
      else if (n < sizeof codes / sizeof codes[0])
        codes[n++] = code;
      else
        over++;
    }
    if (save == '\0') break;
    p += len + 1;
  }
  if (over > 0)
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at,
                 "%zu languages for one person: at most %zu", n + over, n);
  if (n == 0) codes[n++] = "en";
  st->languages = hv__arena_alloc(a, n * sizeof *st->languages);
  if (st->languages == NULL) return;
  memcpy(st->languages, codes, n * sizeof *codes);
  st->nlang = n;
}

void hv__read_staff(const hv_csv_table *t, hv_scenario *s, hv_diags *d) {
  cols c;
  map_columns(t, staff_cols, S_NCOLS, &c);
  bool ok = true;
  if (c.at[S_ID] < 0) missing_column(t, d, "id", ""), ok = false;
  if (c.at[S_AVAIL] < 0)
    missing_column(t, d, "availability",
                   " (working hours, e.g. 'mon-fri "
                   "08:00-16:30')"),
        ok = false;
  if (!ok) return;
  hv_arena *a = s->arena;
  s->nstaff_extra = extra_names(t, &c, a, &s->staff_extra_names);
  s->staff = hv__arena_alloc(a, (t->nrows + 1) * sizeof *s->staff);
  idset ids;
  if (!s->staff || !idset_init(&ids, t->nrows, a)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *r = &t->rows[i];
    hv_staff *st = &s->staff[s->nstaff];
    st->line = r->line;
    st->id = hv__arena_strdup(a, cell(r, &c, S_ID));
    st->name = hv__arena_strdup(a, cell(r, &c, S_NAME));
    st->role = hv__arena_strdup(a, cell(r, &c, S_ROLE));
    st->phone = hv__arena_strdup(a, cell(r, &c, S_PHONE));
    st->email = hv__arena_strdup(a, cell(r, &c, S_EMAIL));
    st->video_link = hv__arena_strdup(a, cell(r, &c, S_VIDEO));
    if (!st->id || !st->name || !st->role || !st->phone || !st->email ||
        !st->video_link) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
      return;
    }
    hv_where wid = at_cell(t, r, &c, S_ID, "id");
    if (st->id[0] == '\0')
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wid, "missing required value");
    else
      check_unique(&ids, st->id, st->line, wid, d);
    hv__read_languages(cell(r, &c, S_LANGS), st, a,
                       at_cell(t, r, &c, S_LANGS, "languages"), d);
    read_avail(cell(r, &c, S_AVAIL), &st->avail,
               at_cell(t, r, &c, S_AVAIL, "availability"), d);
    read_int(cell(r, &c, S_MAX), 1, 50, &st->max_visits_per_day,
             at_cell(t, r, &c, S_MAX, "max_visits_per_day"), d);
    if (st->video_link[0] != '\0' && !hv__web_address(st->video_link))
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                   at_cell(t, r, &c, S_VIDEO, "video_link"),
                   HV__NOT_A_WEB_ADDRESS, st->video_link);
    st->extra = extra_values(t, r, &c, a, s->nstaff_extra);
    s->nstaff++;
  }
  if (t->nrows == 0)
    hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, (hv_where){.source = t->name},
                 "no staff listed: visits need at least one pair");
}

bool hv__web_address(const char *text) {
  if (strncmp(text, "https://", 8) != 0 && strncmp(text, "http://", 7) != 0)
    return false;
  const char *host = strstr(text, "//") + 2;
  if (*host == '\0' || *host == '/') return false;
  for (const unsigned char *c = (const unsigned char *)text; *c; c++)
    if (*c <= ' ' || *c == 0x7f) return false;
  return true;
}

/* ---- pairs ---------------------------------------------------------- */

enum { P_ID, P_A, P_B, P_NCOLS };

static const colspec pair_cols[P_NCOLS] = {
    [P_ID] = {"pair", {"pair_id", "id", "team"}},
    [P_A] = {"staff_a", {"a", "member_a", "staff1"}},
    [P_B] = {"staff_b", {"b", "member_b", "staff2"}},
};

void hv__read_pairs(const hv_csv_table *t, hv_scenario *s, hv_diags *d) {
  cols c;
  map_columns(t, pair_cols, P_NCOLS, &c);
  bool ok = true;
  for (int k = 0; k < P_NCOLS; k++)
    if (c.at[k] < 0) missing_column(t, d, pair_cols[k].name, ""), ok = false;
  if (!ok) return;
  hv_arena *a = s->arena;
  s->pairs = hv__arena_alloc(a, (t->nrows + 1) * sizeof *s->pairs);
  /* For "staff member in two pairs": the pair row each one was seen in. */
  size_t *seen = hv__arena_alloc(a, (s->nstaff + 1) * sizeof *seen);
  idset ids;
  if (!s->pairs || !seen || !idset_init(&ids, t->nrows, a)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *r = &t->rows[i];
    hv_pair *p = &s->pairs[s->npairs];
    p->line = r->line;
    p->id = hv__arena_strdup(a, cell(r, &c, P_ID));
    if (p->id == NULL) return;
    hv_where wid = at_cell(t, r, &c, P_ID, "pair");
    bool good = true;
    if (p->id[0] == '\0') {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wid, "missing required value");
      good = false;
    } else if (!check_unique(&ids, p->id, p->line, wid, d)) {
      good = false;
    }
    const char *ma = cell(r, &c, P_A), *mb = cell(r, &c, P_B);
    hv_where wa = at_cell(t, r, &c, P_A, "staff_a");
    hv_where wb = at_cell(t, r, &c, P_B, "staff_b");
    if (ma[0] == '\0' || mb[0] == '\0' || strcmp(ma, mb) == 0) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, ma[0] ? wb : wa,
                   "pair '%s' has only one person: visits are always made "
                   "by two",
                   p->id);
      continue;
    }
    long ia = hv_scenario_find_staff(s, ma), ib = hv_scenario_find_staff(s, mb);
    if (ia < 0)
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wa,
                   "unknown staff member '%s' (not in staff.csv)", ma);
    if (ib < 0)
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wb,
                   "unknown staff member '%s' (not in staff.csv)", mb);
    if (ia < 0 || ib < 0) continue;
    long both[2] = {ia, ib};
    hv_where wboth[2] = {wa, wb};
    for (int k = 0; k < 2; k++) {
      size_t prev = seen[both[k]];
      if (prev != 0) {
        const hv_pair *q = &s->pairs[prev - 1];
        hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wboth[k],
                     "staff member '%s' is already in pair '%s' (line %u)",
                     s->staff[both[k]].id, q->id, (unsigned)q->line);
        good = false;
      }
    }
    if (!good) continue;
    p->a = (size_t)ia;
    p->b = (size_t)ib;
    s->npairs++;
    seen[ia] = seen[ib] = s->npairs;
  }
}

/* ---- places --------------------------------------------------------- */

enum { L_NAME, L_ADDRESS, L_LAT, L_LON, L_HOURS, L_NCOLS };

static const colspec place_cols[L_NCOLS] = {
    [L_NAME] = {"name", {"place", "place_name"}},
    [L_ADDRESS] = {"address", {"street_address"}},
    [L_LAT] = {"lat", {"latitude"}},
    [L_LON] = {"lon", {"lng", "long", "longitude"}},
    [L_HOURS] = {"hours", {"opening_hours", "availability"}},
};

void hv__read_places(const hv_csv_table *t, hv_scenario *s, hv_diags *d) {
  cols c;
  map_columns(t, place_cols, L_NCOLS, &c);
  bool ok = true;
  for (int k = 0; k < L_NCOLS; k++)
    if (c.at[k] < 0 && k != L_HOURS)
      missing_column(t, d, place_cols[k].name, ""), ok = false;
  if (!ok) return;
  hv_arena *a = s->arena;
  s->places = hv__arena_alloc(a, (t->nrows + 1) * sizeof *s->places);
  idset ids;
  if (!s->places || !idset_init(&ids, t->nrows, a)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *r = &t->rows[i];
    hv_place *pl = &s->places[s->nplaces];
    memset(pl, 0, sizeof *pl);
    pl->line = r->line;
    pl->name = hv__arena_strdup(a, cell(r, &c, L_NAME));
    pl->address = hv__arena_strdup(a, cell(r, &c, L_ADDRESS));
    if (!pl->name || !pl->address) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
      return;
    }
    hv_where wn = at_cell(t, r, &c, L_NAME, "name");
    if (pl->name[0] == '\0')
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, wn, "missing required value");
    else
      check_unique(&ids, pl->name, pl->line, wn, d);
    /* A place is public: its coordinates are given, never looked up. */
    if (!read_coords(t, r, &c, L_LAT, L_LON, &pl->lat, &pl->lon, d) &&
        cell(r, &c, L_LAT)[0] == '\0')
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, at_cell(t, r, &c, L_LAT, "lat"),
                   "a place needs lat and lon");
    read_avail(cell(r, &c, L_HOURS), &pl->hours,
               at_cell(t, r, &c, L_HOURS, "hours"), d);
    s->nplaces++;
  }
}
