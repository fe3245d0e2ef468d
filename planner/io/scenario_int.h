/* planner/io/scenario_int.h -- pieces of scenario loading shared by the
 * planner's files (not public). */
#ifndef HV_SCENARIO_INT_H
#define HV_SCENARIO_INT_H

#include "common_int.h"
#include "csv_table.h"
#include "hv/scenario.h"
#include "scenario_def.h"

/* scenario.json into s (defaults for what is missing). */
void hv__scenario_read_json(const char *path, hv_scenario *s, hv_diags *d);
/* Also used by tests and fuzzers: parse JSON text. */
void hv__scenario_parse_json(const char *text, size_t len, hv_scenario *s,
                             hv_diags *d);
/* Sets every default value of the scenario.json part. */
void hv__scenario_defaults(hv_scenario *s);

/* The CSV tables into s; each returns nothing, problems go to d. */
void hv__read_households(const hv_csv_table *t, hv_scenario *s, hv_diags *d);
void hv__read_staff(const hv_csv_table *t, hv_scenario *s, hv_diags *d);
void hv__read_pairs(const hv_csv_table *t, hv_scenario *s, hv_diags *d);
void hv__read_places(const hv_csv_table *t, hv_scenario *s, hv_diags *d);
/* A staff member's languages ("en;es") into st; problems go to d. */
void hv__read_languages(const char *text, hv_staff *st, hv_arena *a,
                        hv_where at, hv_diags *d);

/* Whether text is a web address a phone can open (http:// or https://,
 * no spaces or control characters): video links. */
bool hv__web_address(const char *text);
/* The error for a video link that is not one (its text the one argument). */
#define HV__NOT_A_WEB_ADDRESS                                               \
  "'%s' is not a web address (https://...): families join the video visit " \
  "with it"

#endif /* HV_SCENARIO_INT_H */
