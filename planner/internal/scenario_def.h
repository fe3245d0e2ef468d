/* planner/internal/scenario_def.h -- the inside of an hv_scenario, for the
 * library's layers (io reads it, planning and printing use it); the public
 * header keeps it opaque.
 *
 * Ownership: every string and array reachable from an hv_scenario comes
 * from its arena and lives until hv_scenario_free(). */
#ifndef HV_SCENARIO_DEF_H
#define HV_SCENARIO_DEF_H

#include "common_int.h"
#include "hv/attendance.h"
#include "hv/geo.h"
#include "hv/scenario.h"

struct hv_scenario {
  hv_arena *arena; /* owns everything below */
  const char *dir; /* folder it was read from */
  const char *name;
  const char *program;  /* scenario.json "program": the program folder */
  hv_date week_of;      /* as given */
  hv_date monday;       /* Monday of that week */
  const char *timezone; /* IANA name */
  unsigned days;        /* bit d set: day d (0 = Mon) is planned */
  hv_base base;
  struct {
    const char *mode; /* "drive" | "walk" | "bike" | "transit" */
    double speed_kmh;
    double detour_factor;
    hv_matrix_kind matrix;
    const char *osrm_url, *osrm_profile;
  } travel;
  struct {
    int default_minutes, buffer_minutes;
    int max_wait_minutes;   /* longer waits: back to school between stops */
    int virtual_minutes;    /* a video call's length (20-30 min usual) */
    const char *video_link; /* default video-call room, or "" */
  } visits;
  hv_attendance_rules attendance; /* scenario.json "attendance" */
  hv_mail_settings mail;          /* scenario.json "mail" */
  struct {
    double time_limit_s;
    uint64_t seed;
    int threads; /* searches side by side (default 1) */
  } solver;
  struct {
    hv_geocoder_provider provider;
    const char *url, *user_agent, *email;
    double max_distance_km; /* results farther from base are suspect */
    double min_interval_s;  /* between requests (1 s for Nominatim) */
  } geocoder;

  /* templates/letter.<lang>.txt, read and checked with the scenario. */
  size_t nletters;
  char letter_lang[16][8];
  struct hv_letter_template *letters[16];

  size_t nplaces; /* places.csv (optional) */
  hv_place *places;
  bool has_places;

  size_t nhouseholds;
  hv_household *households;
  size_t nhh_extra;
  const char **hh_extra_names; /* names of households.csv's unknown columns */

  size_t nstaff;
  hv_staff *staff;
  size_t nstaff_extra;
  const char **staff_extra_names;

  bool has_pairs; /* pairs.csv was given */
  size_t npairs;
  hv_pair *pairs;
};

/* An empty scenario with every default set (tests and fuzz targets). */
hv_scenario *hv__scenario_new(void);

#endif /* HV_SCENARIO_DEF_H */
