/* planner/io/scenario.c -- loading a scenario folder and the cross-file checks
 * that need all of it (language coverage, windows against staff hours). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv/letter.h"
#include "scenario_int.h"

void hv_scenario_free(hv_scenario *s) {
  if (s == NULL) return;
  for (size_t i = 0; i < s->nhouseholds; i++) {
    hv_avail_clear(&s->households[i].avail);
    hv_avail_clear(&s->households[i].own_avail);
  }
  for (size_t i = 0; i < s->nplaces; i++)
    hv_avail_clear(&s->places[i].hours);
  for (size_t i = 0; i < s->nletters; i++)
    hv_letter_template_free(s->letters[i]);
  for (size_t i = 0; i < s->nstaff; i++)
    hv_avail_clear(&s->staff[i].avail);
  hv_arena *a = s->arena;
  free(s);
  hv__arena_free(a);
}

long hv_scenario_find_staff(const hv_scenario *s, const char *id) {
  for (size_t i = 0; i < s->nstaff; i++)
    if (strcmp(s->staff[i].id, id) == 0) return (long)i;
  return -1;
}

size_t hv_household_preferred(const hv_scenario *s, const hv_household *h,
                              long out[2]) {
  size_t n = 0;
  const char *p = h->preferred_staff ? h->preferred_staff : "";
  while (*p && n < 2) {
    const char *e = strchr(p, ';');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char id[128];
    snprintf(id, sizeof id, "%.*s", (int)(len < 127 ? len : 127), p);
    hv__trim(id);
    long k = id[0] ? hv_scenario_find_staff(s, id) : -1;
    if (k >= 0) out[n++] = k;
    p = e ? e + 1 : p + len;
  }
  return n;
}

const hv_attendance_rules *hv_scenario_attendance(const hv_scenario *s) {
  return &s->attendance;
}

bool hv_scenario_program_dir(const hv_scenario *s, char *buf, size_t size) {
  const char *prog = s->program ? s->program : "";
  if (prog[0] != '\0' && prog[0] != '/')
    return hv_path_join(buf, size, s->dir, prog);
  int n = snprintf(buf, size, "%s", prog[0] == '/' ? prog : s->dir);
  return n >= 0 && (size_t)n < size;
}

bool hv_staff_speaks(const hv_staff *st, const char *lang) {
  for (size_t i = 0; i < st->nlang; i++)
    if (strcmp(st->languages[i], lang) == 0) return true;
  return false;
}

int hv_household_minutes(const hv_scenario *s, const hv_household *h) {
  if (h->duration_min > 0) return h->duration_min;
  return h->mode == HV_MODE_VIRTUAL ? s->visits.virtual_minutes
                                    : s->visits.default_minutes;
}

const hv_avail *hv_household_family_avail(const hv_household *h) {
  return h->mode == HV_MODE_PLACE ? &h->own_avail : &h->avail;
}

const hv_place *hv_household_place(const hv_scenario *s,
                                   const hv_household *h) {
  return h->mode == HV_MODE_PLACE && h->place >= 0 &&
                 (size_t)h->place < s->nplaces
             ? &s->places[h->place]
             : NULL;
}

bool hv_household_site(const hv_scenario *s, const hv_household *h, double *lat,
                       double *lon) {
  const hv_place *pl = hv_household_place(s, h);
  if (pl) {
    *lat = pl->lat;
    *lon = pl->lon;
    return true;
  }
  if (h->mode == HV_MODE_VIRTUAL || !h->has_coords) return false;
  *lat = h->lat;
  *lon = h->lon;
  return true;
}

char *hv_household_site_text(const hv_scenario *s, const hv_household *h,
                             char *buf, size_t size) {
  const hv_place *pl = hv_household_place(s, h);
  if (pl)
    snprintf(buf, size, "%s, %s", pl->name, pl->address);
  else if (h->mode == HV_MODE_VIRTUAL)
    snprintf(buf, size, "video call");
  else
    snprintf(buf, size, "%s", h->address);
  return buf;
}

char *hv_household_mode_text(const hv_scenario *s, const hv_household *h,
                             char *buf, size_t size) {
  const hv_place *pl = hv_household_place(s, h);
  snprintf(buf, size, "%s%s",
           pl                           ? "place:"
           : h->mode == HV_MODE_VIRTUAL ? "virtual"
                                        : "home",
           pl ? pl->name : "");
  return buf;
}

size_t hv_scenario_place_count(const hv_scenario *s) {
  return s->nplaces;
}

const hv_place *hv_scenario_place(const hv_scenario *s, size_t i) {
  return i < s->nplaces ? &s->places[i] : NULL;
}

hv_date hv_scenario_date(const hv_scenario *s, int day) {
  return hv_date_add(s->monday, day);
}

/* The week defaults to the one starting next Monday (today if Monday). */
static void default_week(hv_scenario *s) {
  hv_date today = hv_date_today();
  s->week_of = hv_date_add(today, (7 - hv_date_weekday(today)) % 7);
}

static void read_table(const char *dir, const char *file, bool required,
                       hv_scenario *s, hv_diags *d,
                       void (*fn)(const hv_csv_table *, hv_scenario *,
                                  hv_diags *)) {
  char path[4096];
  if (!hv_path_join(path, sizeof path, dir, file)) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_IO, (hv_where){.source = file},
                 "path too long");
    return;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL && !required) return;
  if (f) fclose(f);
  hv_csv_table *t;
  if (hv__csv_read(path, file, &t, d) != HV_OK) return;
  fn(t, s, d);
  hv__csv_free(t);
}

hv_scenario *hv__scenario_new(void) {
  hv_scenario *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->arena = hv__arena_create();
  if (s->arena == NULL) {
    free(s);
    return NULL;
  }
  hv__scenario_defaults(s);
  s->dir = ".";
  return s;
}

/* templates/letter.<lang>.txt: every one is read and checked now, so that
 * a bad template stops `plan` before the search, not after. */
static void read_letters(const char *dir, hv_scenario *s, hv_diags *d) {
  char tdir[4096];
  if (!hv_path_join(tdir, sizeof tdir, dir, "templates")) return;
  DIR *dh = opendir(tdir);
  if (dh == NULL) return;
  /* Sorted names: the same messages in the same order on every run. */
  char names[16][64];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    const char *nm = e->d_name;
    size_t len = strlen(nm);
    if (strncmp(nm, "letter.", 7) != 0 || len < 12 || len >= 64 ||
        strcmp(nm + len - 4, ".txt") != 0)
      continue;
    if (n == 16) {
      hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                   (hv_where){.source = "templates"},
                   "more than 16 letter templates: '%s' ignored", nm);
      continue;
    }
    snprintf(names[n++], sizeof names[0], "%s", nm);
  }
  closedir(dh);
  qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
  for (size_t i = 0; i < n; i++) {
    char lang[8], rel[80], path[4200];
    size_t ll = strlen(names[i]) - 11;
    snprintf(lang, sizeof lang, "%.*s", (int)(ll < 7 ? ll : 7), names[i] + 7);
    snprintf(rel, sizeof rel, "templates/%s", names[i]);
    const char *code = hv_language_code(lang);
    if (code == NULL) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT, (hv_where){.source = rel},
                   "unknown language '%s' in the file name (use an ISO 639-1 "
                   "code: letter.es.txt)",
                   lang);
      continue;
    }
    char *text;
    size_t len;
    hv_error err;
    if (!hv_path_join(path, sizeof path, tdir, names[i])) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_IO, (hv_where){.source = rel},
                   "the scenario's folder path is too long");
      continue;
    }
    if (hv__read_file(path, 65536, &text, &len, &err) != HV_OK) {
      hv_diags_add(d, HV_SEV_ERROR, err.code, (hv_where){.source = rel}, "%s",
                   err.text);
      continue;
    }
    hv_letter_template *t = hv_letter_template_parse(text, len, rel, d);
    free(text);
    if (t == NULL) continue;
    snprintf(s->letter_lang[s->nletters], sizeof s->letter_lang[0], "%s", code);
    s->letters[s->nletters++] = t;
  }
}

const hv_letter_template *hv_scenario_letter(const hv_scenario *s,
                                             const char *lang,
                                             bool *translated) {
  for (size_t i = 0; i < s->nletters; i++)
    if (strcmp(s->letter_lang[i], lang) == 0) {
      if (translated) *translated = true;
      return s->letters[i];
    }
  if (translated) *translated = false;
  return hv_letter_template_english();
}

static hv_status load(const char *dir, bool lists_required, hv_scenario **out,
                      hv_diags *d) {
  *out = NULL;
  hv_scenario *s = calloc(1, sizeof *s);
  hv_arena *a = hv__arena_create();
  if (s == NULL || a == NULL) {
    free(s);
    hv__arena_free(a);
    return hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0},
                        "out of memory");
  }
  s->arena = a;
  size_t errors_before = hv_diags_errors(d);
  hv__scenario_defaults(s);
  s->dir = hv__arena_strdup(a, dir);
  default_week(s);

  char path[4096];
  if (hv_path_join(path, sizeof path, dir, "scenario.json"))
    hv__scenario_read_json(path, s, d);
  if (s->name[0] == '\0') {
    const char *slash = strrchr(dir, '/');
    s->name = slash && slash[1] ? slash + 1 : dir;
  }
  s->monday = hv_date_add(s->week_of, -hv_date_weekday(s->week_of));

  /* Households name places, so places come first. */
  read_table(dir, "places.csv", false, s, d, hv__read_places);
  s->has_places = s->places != NULL;
  read_table(dir, "households.csv", lists_required, s, d, hv__read_households);
  read_letters(dir, s, d);
  read_table(dir, "staff.csv", lists_required, s, d, hv__read_staff);
  /* Pairs refer to staff by id, so they come after staff. */
  if (s->staff != NULL || hv_diags_errors(d) == errors_before) {
    read_table(dir, "pairs.csv", false, s, d, hv__read_pairs);
    char p2[4096];
    FILE *f;
    if (hv_path_join(p2, sizeof p2, dir, "pairs.csv") &&
        (f = fopen(p2, "rb")) != NULL) {
      fclose(f);
      s->has_pairs = true;
    }
  }
  if (hv_diags_errors(d) > errors_before) {
    hv_status st = hv_diags_first_error(d)->error.code;
    hv_scenario_free(s);
    return st;
  }
  *out = s;
  return HV_OK;
}

hv_status hv_scenario_load(const char *dir, hv_scenario **out, hv_diags *d) {
  return load(dir, true, out, d);
}

hv_status hv_scenario_load_settings(const char *dir, hv_scenario **out,
                                    hv_diags *d) {
  return load(dir, false, out, d);
}

hv_status hv_scenario_add_staff(hv_scenario *s, const char *id,
                                const char *name, const char *languages,
                                const char *availability, hv_error *err) {
  hv_arena *a = s->arena;
  hv_where at = {.source = "--add-staff"};
  if (hv_scenario_find_staff(s, id) >= 0)
    return hv_error_set(err, HV_E_INPUT, at, "staff id '%s' already exists",
                        id);
  hv_staff *nst = hv__arena_alloc(a, (s->nstaff + 1) * sizeof *nst);
  if (nst == NULL) return hv_error_set(err, HV_E_NOMEM, at, "out of memory");
  memcpy(nst, s->staff, s->nstaff * sizeof *nst);
  hv_staff *st = &nst[s->nstaff];
  memset(st, 0, sizeof *st);
  st->id = hv__arena_strdup(a, id);
  st->name = hv__arena_strdup(a, name);
  st->role = st->phone = st->email = st->video_link = "";
  hv_diags *d = hv_diags_create();
  hv__read_languages(languages, st, a, at, d);
  const hv_diag *bad = hv_diags_first_error(d);
  hv_status lst =
      bad ? hv_error_set(err, bad->error.code, at, "%s", bad->error.text)
          : (st->languages
                 ? HV_OK
                 : hv_error_set(err, HV_E_NOMEM, at, "out of memory"));
  hv_diags_free(d);
  if (lst != HV_OK) return lst;
  hv_error e;
  if (hv_avail_parse(availability, &st->avail, &e) != HV_OK)
    return hv_error_set(err, HV_E_INPUT, at, "%s", e.text);
  if (st->avail.n == 0)
    return hv_error_set(err, HV_E_INPUT, at, "no working hours given");
  st->extra = hv__arena_alloc(a, (s->nstaff_extra + 1) * sizeof *st->extra);
  for (size_t i = 0; st->extra && i < s->nstaff_extra; i++)
    st->extra[i] = "";
  s->staff = nst;
  s->nstaff++;
  return HV_OK;
}

/* ---- cross-file checks ---------------------------------------------- */

static hv_where at_line(const char *file, uint32_t line, const char *field) {
  return (hv_where){.source = file, .line = line, .field = field};
}

static void days_text(unsigned mask, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int d = 0; d < HV_DAYS; d++)
    if (mask & (1u << d))
      n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s",
                            n ? "," : "", hv_day_name(d));
}

static unsigned avail_days(const hv_avail *a) {
  unsigned m = 0;
  for (size_t i = 0; i < a->n; i++)
    m |= 1u << a->w[i].day;
  return m;
}

static void check_household(const hv_scenario *s, const hv_household *h,
                            hv_diags *d) {
  const char *F = "households.csv";
  if (!h->has_coords && h->mode == HV_MODE_HOME)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT, at_line(F, h->line, "lat"),
                 "household '%s' has no coordinates yet: run 'hvplan "
                 "geocode' to look up its address",
                 h->id);
  double lat, lon;
  if (hv_household_site(s, h, &lat, &lon) && s->base.has_coords) {
    double km = hv_geodesic_m((hv_latlon){s->base.lat, s->base.lon},
                              (hv_latlon){lat, lon}) /
                1000.0;
    if (km > s->geocoder.max_distance_km)
      hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT, at_line(F, h->line, "lat"),
                   "household '%s' is %.1f km from the school (more than "
                   "geocoder.max_distance_km, %.0f): check its coordinates",
                   h->id, km, s->geocoder.max_distance_km);
  }
  bool spoken = strcmp(h->language, "en") == 0;
  for (size_t k = 0; k < s->nstaff && !spoken; k++)
    spoken = hv_staff_speaks(&s->staff[k], h->language);
  if (!spoken)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT, at_line(F, h->line, "language"),
                 "no staff member speaks '%s' (%s): household '%s' cannot be "
                 "visited",
                 h->language, hv_language_name(h->language), h->id);
  long pref[2];
  size_t named = 1;
  for (const char *c = h->preferred_staff; *c; c++)
    named += *c == ';';
  if (h->preferred_staff[0] != '\0' &&
      hv_household_preferred(s, h, pref) < named)
    hv_diags_add(
        d, HV_SEV_WARNING, HV_E_INPUT, at_line(F, h->line, "preferred_staff"),
        "unknown staff member in '%s' (not in staff.csv)", h->preferred_staff);
  if (h->avail.n == 0) return;
  unsigned hd = avail_days(&h->avail);
  if ((hd & s->days) == 0) {
    char a[64], b[64];
    days_text(hd, a, sizeof a);
    days_text(s->days, b, sizeof b);
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                 at_line(F, h->line, "availability"),
                 "household '%s' is available only on %s, but the scenario "
                 "plans %s",
                 h->id, a, b);
    return;
  }
  int need = hv_household_minutes(s, h);
  size_t usable = 0;
  for (size_t i = 0; i < h->avail.n; i++)
    usable += hv_window_usable(&h->avail.w[i], s->days, need);
  if (usable > HV_WEEK_WINDOWS_MAX)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                 at_line(F, h->line, "availability"),
                 "household '%s' gives %zu windows long enough for the visit "
                 "on the planned days; only the earliest %d are planned "
                 "(merge or leave out some)",
                 h->id, usable, HV_WEEK_WINDOWS_MAX);
  for (int day = 0; day < HV_DAYS; day++) {
    if (!(s->days & (1u << day))) continue;
    for (size_t k = 0; k < s->nstaff; k++)
      if (hv_avail_overlap(&h->avail, &s->staff[k].avail, day, NULL, NULL) >=
          need)
        return;
  }
  hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
               at_line(F, h->line, "availability"),
               "household '%s''s windows meet no staff member's hours for a "
               "%d-minute visit",
               h->id, need);
}

void hv_scenario_check(const hv_scenario *s, hv_diags *d) {
  if (!s->base.has_coords)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                 (hv_where){.source = "scenario.json", .field = "base"},
                 "the school has no coordinates yet: run 'hvplan geocode'");
  int wd = hv_date_weekday(s->week_of);
  if (wd != 0) {
    char given[HV_DATE_TEXT], monday[HV_DATE_TEXT];
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                 (hv_where){.source = "scenario.json", .field = "week_of"},
                 "%s is a %s; the week is taken as Monday %s to Sunday",
                 hv_date_format(s->week_of, given), hv_day_long_name(wd),
                 hv_date_format(s->monday, monday));
  }
  for (size_t i = 0; i < s->nstaff; i++) {
    const hv_staff *st = &s->staff[i];
    if ((avail_days(&st->avail) & s->days) == 0)
      hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                   at_line("staff.csv", st->line, "availability"),
                   "staff member '%s' works on none of the planned days",
                   st->id);
  }
  if (s->nstaff < 2)
    hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                 (hv_where){.source = "staff.csv"},
                 "fewer than two staff members: no pair can be formed");
  for (size_t i = 0; i < s->npairs; i++) {
    const hv_pair *p = &s->pairs[i];
    int shared = 0;
    for (int day = 0; day < HV_DAYS; day++)
      if (s->days & (1u << day))
        shared += hv_avail_overlap(&s->staff[p->a].avail, &s->staff[p->b].avail,
                                   day, NULL, NULL);
    if (shared == 0)
      hv_diags_add(d, HV_SEV_WARNING, HV_E_INPUT,
                   at_line("pairs.csv", p->line, "pair"),
                   "pair '%s' (%s, %s) shares no working hours on the planned "
                   "days",
                   p->id, s->staff[p->a].id, s->staff[p->b].id);
  }
  for (size_t i = 0; i < s->nhouseholds; i++)
    check_household(s, &s->households[i], d);
}

/* ---- reading a scenario --------------------------------------------- */

const char *hv_scenario_name(const hv_scenario *s) {
  return s->name;
}
const char *hv_scenario_dir(const hv_scenario *s) {
  return s->dir;
}
const char *hv_scenario_timezone(const hv_scenario *s) {
  return s->timezone;
}
hv_date hv_scenario_monday(const hv_scenario *s) {
  return s->monday;
}
hv_date hv_scenario_week_of(const hv_scenario *s) {
  return s->week_of;
}
unsigned hv_scenario_days(const hv_scenario *s) {
  return s->days;
}
const hv_base *hv_scenario_base(const hv_scenario *s) {
  return &s->base;
}

double hv_scenario_time_limit(const hv_scenario *s) {
  return s->solver.time_limit_s;
}

uint64_t hv_scenario_seed(const hv_scenario *s) {
  return s->solver.seed;
}

int hv_scenario_threads(const hv_scenario *s) {
  return s->solver.threads;
}

size_t hv_scenario_household_count(const hv_scenario *s) {
  return s->nhouseholds;
}

const hv_household *hv_scenario_household(const hv_scenario *s, size_t i) {
  return i < s->nhouseholds ? &s->households[i] : NULL;
}

long hv_scenario_find_household(const hv_scenario *s, const char *id) {
  for (size_t i = 0; i < s->nhouseholds; i++)
    if (strcmp(s->households[i].id, id) == 0) return (long)i;
  return -1;
}

size_t hv_scenario_staff_count(const hv_scenario *s) {
  return s->nstaff;
}

const hv_staff *hv_scenario_staff(const hv_scenario *s, size_t i) {
  return i < s->nstaff ? &s->staff[i] : NULL;
}

bool hv_scenario_has_pairs(const hv_scenario *s) {
  return s->has_pairs;
}
size_t hv_scenario_pair_count(const hv_scenario *s) {
  return s->npairs;
}

const hv_pair *hv_scenario_pair(const hv_scenario *s, size_t i) {
  return i < s->npairs ? &s->pairs[i] : NULL;
}

const hv_mail_settings *hv_scenario_mail(const hv_scenario *s) {
  return &s->mail;
}

char *hv_first_name(const char *full, char *buf, size_t size) {
  size_t n = strcspn(full, " ");
  snprintf(buf, size, "%.*s", (int)n, full);
  return buf;
}

char *hv_student_first_names(const char *students, const char *last, char *buf,
                             size_t size) {
  const char *firsts[64];
  size_t lens[64], n = 0;
  for (const char *p = students; *p && n < 64;) {
    while (*p == ' ' || *p == ';')
      p++;
    if (!*p) break;
    size_t item = strcspn(p, ";"), first = strcspn(p, " ;");
    firsts[n] = p;
    lens[n++] = first < item ? first : item;
    p += item;
  }
  size_t used = 0;
  if (size > 0) buf[0] = '\0';
  for (size_t i = 0; i < n && used < size; i++) {
    const char *sep = i == 0 ? "" : i + 1 == n ? last : ", ";
    int w = snprintf(buf + used, size - used, "%s%.*s", sep, (int)lens[i],
                     firsts[i]);
    if (w < 0) break;
    used += (size_t)w;
  }
  return buf;
}
