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

typedef enum hv_visit_type {
  HV_VISIT_ATTENDANCE = 0, /* attendance outreach (the default) */
  HV_VISIT_RELATIONAL,     /* Parent Teacher Home Visit style */
  HV_VISIT_FOLLOW_UP
} hv_visit_type;

typedef enum hv_matrix_kind { HV_MATRIX_GEODESIC = 0, HV_MATRIX_OSRM } hv_matrix_kind;

typedef enum hv_geocoder_kind {
  HV_GEOCODER_NOMINATIM = 0,
  HV_GEOCODER_CENSUS
} hv_geocoder_kind;

typedef struct hv_household {
  const char *id;
  const char *student, *guardian, *phone, *address, *notes; /* "" if none */
  const char *language;         /* ISO 639-1, lower case ("en" default) */
  const char *preferred_staff;  /* staff id or "" */
  bool has_coords;
  double lat, lon;              /* degrees, WGS84 */
  int priority;                 /* 1..100, higher is more urgent */
  hv_avail avail;               /* empty: any time its visitors work */
  int duration_min;             /* 0: the scenario's default */
  hv_visit_type visit_type;
  uint32_t line;                /* line in households.csv */
  const char **extra;           /* values of the unknown columns */
} hv_household;

typedef struct hv_staff {
  const char *id, *name, *role, *phone, *email;
  size_t nlang;
  const char **languages;       /* ISO 639-1, lower case */
  hv_avail avail;
  int max_visits_per_day;       /* 0: no limit */
  uint32_t line;
  const char **extra;
} hv_staff;

typedef struct hv_pair {
  const char *id;
  size_t a, b;                  /* indices into staff */
  uint32_t line;
} hv_pair;

typedef struct hv_scenario {
  const char *dir;              /* folder it was read from */
  const char *name;
  int week_y, week_m, week_d;   /* week_of as given */
  int monday_y, monday_m, monday_d; /* Monday of that week */
  const char *timezone;         /* IANA name */
  unsigned days;                /* bit d set: day d (0 = Mon) is planned */
  struct {
    const char *name, *address, *phone;
    bool has_coords;
    double lat, lon;
  } base;
  struct {
    const char *mode;           /* "drive" | "walk" | "bike" | "transit" */
    double speed_kmh;
    double detour_factor;
    hv_matrix_kind matrix;
    const char *osrm_url, *osrm_profile;
  } travel;
  struct {
    int default_minutes, buffer_minutes;
  } visits;
  struct {
    double time_limit_s;
    uint64_t seed;
  } solver;
  struct {
    hv_geocoder_kind provider;
    const char *url, *user_agent, *email;
    double max_distance_km;     /* results farther from base are suspect */
    double min_interval_s;      /* between requests (1 s for Nominatim) */
  } geocoder;

  size_t nhouseholds;
  hv_household *households;
  size_t nhh_extra;
  const char **hh_extra_names;  /* names of households.csv's unknown columns */

  size_t nstaff;
  hv_staff *staff;
  size_t nstaff_extra;
  const char **staff_extra_names;

  bool has_pairs;               /* pairs.csv was given */
  size_t npairs;
  hv_pair *pairs;
} hv_scenario;

/* Reads the scenario folder `dir` and checks everything it can, appending
 * every problem to diags (errors and warnings alike, with file, line and
 * field).  Returns HV_OK and *out when there was no error-severity
 * diagnostic; otherwise the first error's code and *out == NULL.
 * Free with hv_scenario_free(). */
hv_status hv_scenario_load(const char *dir, hv_scenario **out, hv_diags *diags);
void hv_scenario_free(hv_scenario *s);

/* Cross-file checks that need the whole scenario (language coverage,
 * windows against staff hours, missing coordinates).  Only warnings. */
void hv_scenario_check(const hv_scenario *s, hv_diags *diags);

/* Adds a staff member (what-if planning): languages "es;so", availability
 * in the usual grammar.  Strings are copied.  Errors for a bad language or
 * availability, or a duplicate id. */
hv_status hv_scenario_add_staff(hv_scenario *s, const char *id,
                                const char *name, const char *languages,
                                const char *availability, hv_error *err);

/* Visit length in minutes for household h (its own or the default). */
int hv_household_minutes(const hv_scenario *s, const hv_household *h);

/* True if staff member st speaks language lang. */
bool hv_staff_speaks(const hv_staff *st, const char *lang);

/* Index of a staff member by id, or -1. */
long hv_scenario_find_staff(const hv_scenario *s, const char *id);

/* Date (y, m, d) of planned day `day` (0 = Mon) in the scenario's week. */
void hv_scenario_date(const hv_scenario *s, int day, int *y, int *m, int *d);

/* Normalises a language given as an ISO 639-1 code ("ES") or an English
 * name ("Spanish") to the lower-case code; NULL if not recognised. */
const char *hv_language_code(const char *text);
/* English name of an ISO 639-1 code, or the code itself if unknown. */
const char *hv_language_name(const char *code);

#endif /* HV_SCENARIO_H */
