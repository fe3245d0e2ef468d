/* hv/scenario.h -- a scenario folder (scenario.json, households.csv,
 * staff.csv, optional pairs.csv) read into memory and checked.  The format
 * is a user-facing contract: docs/scenario-format.md describes it.
 *
 * Ownership: every string and array reachable from an hv_scenario belongs
 * to it and lives until hv_scenario_free(). */
#ifndef HV_SCENARIO_H
#define HV_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/avail.h"
#include "hv/error.h"
#include "hv/values.h"

typedef enum hv_visit_type {
  HV_VISIT_ATTENDANCE = 0, /* attendance outreach (the default) */
  HV_VISIT_RELATIONAL,     /* Parent Teacher Home Visit style */
  HV_VISIT_FOLLOW_UP
} hv_visit_type;

typedef enum hv_matrix_kind {
  HV_MATRIX_GEODESIC = 0,
  HV_MATRIX_OSRM
} hv_matrix_kind;

/* Where a visit happens (households.csv "mode"). */
typedef enum hv_visit_mode {
  HV_MODE_HOME = 0, /* at the family's home (the default) */
  HV_MODE_PLACE,    /* at a public place of places.csv ("place:<name>") */
  HV_MODE_VIRTUAL   /* a video call by one staff member */
} hv_visit_mode;

/* A public place where families may prefer to meet (places.csv): a
 * library, a park, a community centre. */
typedef struct hv_place {
  const char *name, *address;
  double lat, lon; /* degrees, WGS84 */
  hv_avail hours;  /* opening hours; empty: always open */
  uint32_t line;   /* line in places.csv */
} hv_place;

typedef struct hv_household {
  const char *id;
  const char *student, *guardian, *phone, *address, *notes; /* "" if none */
  const char *language;        /* ISO 639-1, lower case ("en" default) */
  const char *preferred_staff; /* one or two staff ids (';'), or "" */
  bool has_coords;
  double lat, lon; /* degrees, WGS84 */
  int priority;    /* 1..100, higher is more urgent */
  /* When the visit may be: the family's windows, within the place's
   * opening hours for a place visit.  Empty: any time its visitors work. */
  hv_avail avail;
  hv_avail own_avail; /* a place visit: the family's windows as written */
  hv_visit_mode mode;
  long place;       /* mode place: index into the places, else -1 */
  int duration_min; /* 0: the scenario's default */
  hv_visit_type visit_type;
  int attempts;       /* earlier visits with nobody home (hvplan next) */
  uint32_t line;      /* line in households.csv */
  const char **extra; /* values of the unknown columns */
} hv_household;

typedef struct hv_staff {
  const char *id, *name, *role, *phone, *email;
  size_t nlang;
  const char **languages; /* ISO 639-1, lower case */
  hv_avail avail;
  int max_visits_per_day; /* 0: no limit */
  const char *video_link; /* the staff member's video-call room, or "" */
  uint32_t line;
  const char **extra;
} hv_staff;

typedef struct hv_pair {
  const char *id;
  size_t a, b; /* indices into staff */
  uint32_t line;
} hv_pair;

/* scenario.json's "mail": the school's SMTP server for sending staff
 * their week ("" when not set). */
typedef struct hv_mail_settings {
  const char *smtp, *from, *user, *password_file;
} hv_mail_settings;

/* The school: where every route starts and ends. */
typedef struct hv_base {
  const char *name, *address, *phone;
  bool has_coords;
  double lat, lon;
} hv_base;

/* A scenario, opaque: read it with the functions below. */
typedef struct hv_scenario hv_scenario;

/* Reads the scenario folder `dir` and checks everything it can, appending
 * every problem to diags (errors and warnings alike, with file, line and
 * field).  Returns HV_OK and *out when there was no error-severity
 * diagnostic; otherwise the first error's code and *out == NULL.
 * Free with hv_scenario_free(). */
hv_status hv_scenario_load(const char *dir, hv_scenario **out, hv_diags *diags);
void hv_scenario_free(hv_scenario *s);
/* As hv_scenario_load, but households.csv and staff.csv may be missing
 * (a program folder before its first `hvplan flag`). */
hv_status hv_scenario_load_settings(const char *dir, hv_scenario **out,
                                    hv_diags *diags);

/* Cross-file checks that need the whole scenario (language coverage,
 * windows against staff hours, missing coordinates).  Only warnings. */
void hv_scenario_check(const hv_scenario *s, hv_diags *diags);

/* Adds a staff member (what-if planning): languages "es;so", availability
 * in the usual grammar.  Strings are copied.  Errors for a bad language or
 * availability, or a duplicate id. */
hv_status hv_scenario_add_staff(hv_scenario *s, const char *id,
                                const char *name, const char *languages,
                                const char *availability, hv_error *err);

/* The first word of a name ("Ana Ruiz" -> "Ana") into buf; returns buf. */
char *hv_first_name(const char *full, char *buf, size_t size);
/* The first names of a household's students ("Camila López; Mateo
 * López"), joined by ", " with `last` before the last one (" and ", or
 * ", "), into buf; returns buf. */
char *hv_student_first_names(const char *students, const char *last, char *buf,
                             size_t size);

/* Visit length in minutes for household h (its own or the default; for a
 * virtual visit visits.virtual_minutes unless the row gives its own). */
int hv_household_minutes(const hv_scenario *s, const hv_household *h);

/* The family's windows as households.csv gives them (for a place visit
 * h->avail is narrowed to the place's opening hours). */
const hv_avail *hv_household_family_avail(const hv_household *h);
/* The place of a place visit, else NULL. */
const hv_place *hv_household_place(const hv_scenario *s, const hv_household *h);
/* Where the pair goes for household h: the place's coordinates for a place
 * visit, else the home's.  False when there are none (not geocoded yet) or
 * the visit is virtual. */
bool hv_household_site(const hv_scenario *s, const hv_household *h, double *lat,
                       double *lon);
/* The address printed for the visit: the place's name and address for a
 * place visit (never the home address), "video call" for a virtual visit,
 * else the home address.  Written into buf; returns buf. */
char *hv_household_site_text(const hv_scenario *s, const hv_household *h,
                             char *buf, size_t size);
/* "home", "place:<name>" or "virtual", into buf; returns buf. */
char *hv_household_mode_text(const hv_scenario *s, const hv_household *h,
                             char *buf, size_t size);

/* True if staff member st speaks language lang. */
bool hv_staff_speaks(const hv_staff *st, const char *lang);

/* Index of a staff member by id, or -1. */
long hv_scenario_find_staff(const hv_scenario *s, const char *id);
/* The staff h prefers (preferred_staff: one id, or two for a pair, ';'
 * between): their indices in out[0..1]; returns how many are known. */
size_t hv_household_preferred(const hv_scenario *s, const hv_household *h,
                              long out[2]);
/* The program folder whose program.sqlite records this scenario's weeks:
 * scenario.json's "program" (relative to the scenario folder), else the
 * scenario folder itself.  False when it does not fit in buf. */
bool hv_scenario_program_dir(const hv_scenario *s, char *buf, size_t size);
/* scenario.json's "attendance" rules (defaults when absent). */
#include "hv/attendance.h"
const hv_attendance_rules *hv_scenario_attendance(const hv_scenario *s);

const hv_mail_settings *hv_scenario_mail(const hv_scenario *s);

/* Date of day `day` (0 = Mon) of the scenario's week. */
hv_date hv_scenario_date(const hv_scenario *s, int day);

/* ---- reading a scenario (every pointer is borrowed from s) ---------- */

const char *hv_scenario_name(const hv_scenario *s);
const char *hv_scenario_dir(const hv_scenario *s); /* folder it was read from */
const char *hv_scenario_timezone(const hv_scenario *s); /* IANA name */
/* The week's Monday, and the date week_of gave (may be another weekday). */
hv_date hv_scenario_monday(const hv_scenario *s);
hv_date hv_scenario_week_of(const hv_scenario *s);
/* Planned days: bit d set for day d (0 = Monday). */
unsigned hv_scenario_days(const hv_scenario *s);
const hv_base *hv_scenario_base(const hv_scenario *s);
/* solver.time_limit_s, solver.seed and solver.threads of scenario.json. */
double hv_scenario_time_limit(const hv_scenario *s);
uint64_t hv_scenario_seed(const hv_scenario *s);
int hv_scenario_threads(const hv_scenario *s);
/* The most searches side by side solver.threads may ask for (the solver's
 * limit: planning asserts they agree). */
#define HV_SCENARIO_THREADS_MAX 64

size_t hv_scenario_household_count(const hv_scenario *s);
const hv_household *hv_scenario_household(const hv_scenario *s, size_t i);
/* Index of a household by id, or -1. */
long hv_scenario_find_household(const hv_scenario *s, const char *id);
size_t hv_scenario_place_count(const hv_scenario *s);
const hv_place *hv_scenario_place(const hv_scenario *s, size_t i);
size_t hv_scenario_staff_count(const hv_scenario *s);
const hv_staff *hv_scenario_staff(const hv_scenario *s, size_t i);
/* True when the scenario has pairs.csv; its pairs then. */
bool hv_scenario_has_pairs(const hv_scenario *s);
size_t hv_scenario_pair_count(const hv_scenario *s);
const hv_pair *hv_scenario_pair(const hv_scenario *s, size_t i);

/* Normalises a language given as an ISO 639-1 code ("ES") or an English
 * name ("Spanish") to the lower-case code; NULL if not recognised. */
const char *hv_language_code(const char *text);
/* English name of an ISO 639-1 code, or the code itself if unknown. */
const char *hv_language_name(const char *code);

#endif /* HV_SCENARIO_H */
