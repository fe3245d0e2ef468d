/* hv/flag.h -- from the attendance export to households.csv: students
 * flagged for chronic absence (missed attendance.threshold, 10 %, or more
 * of their enrolled days), for a trend there (the last trend_days school
 * days at or above the threshold), or as unreachable (unanswered_min
 * unanswered contact attempts); siblings grouped into one household (same
 * guardian and address); a priority from a documented, monotone rule; and
 * households.csv merged: ids stay, coordinates and manual edits stay,
 * households no longer flagged are reported.  docs/flagging.md. */
#ifndef HV_FLAG_H
#define HV_FLAG_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/attendance.h"
#include "hv/error.h"
#include "hv/scenario.h"
#include "hv/store.h"
#include "hv/visitlog.h"

typedef struct hv_flag_student {
  const hv_att_student *st;
  double rate, trend; /* absence rates (trend: the last trend_days) */
  bool chronic, trending;
  double part[4];     /* the priority's parts: rate, trend, unanswered, grade */
  int priority;       /* 1..100 */
  char household[64]; /* its household's id ("" when not flagged and in
                         none) */
} hv_flag_student;

typedef enum hv_flag_status {
  HV_FLAG_NEW = 0, /* flagged, not in households.csv before */
  HV_FLAG_KEPT,    /* flagged, already there (its row kept, updated) */
  HV_FLAG_DROPPED, /* in households.csv, no longer flagged: left out */
  HV_FLAG_MANUAL   /* in households.csv without student ids: kept as is */
} hv_flag_status;

typedef struct hv_flag_household {
  char id[64];
  hv_flag_status status;
  size_t nstudents;
  size_t *students; /* into hv_flag_result.students */
  int priority;
  int unanswered;
  long row; /* index in the scenario's households, -1 if new */
  bool address_changed;
  char why[300]; /* why it is flagged, or no longer */
} hv_flag_household;

typedef struct hv_flag_result {
  const hv_attendance *att;
  hv_date as_of;
  size_t nstudents, nhouseholds, flagged_students;
  hv_flag_student *students;
  hv_flag_household *households;
} hv_flag_result;

/* Flags the export att against the program folder's scenario s (its
 * attendance rules and its households.csv, which may be empty).  contacts
 * (may be NULL) and the database db (may be NULL) give contact attempts.
 * Problems (a student in two households, ...) go to diags; with any error
 * nothing should be written. */
hv_status hv_flag_run(const hv_scenario *s, const hv_attendance *att,
                      const hv_visit_log *contacts, hv_store *db,
                      hv_flag_result **out, hv_diags *diags, hv_error *err);
void hv_flag_free(hv_flag_result *r);

/* How household id's priority was made, one line per step, into buf;
 * false when id is not among the results. */
bool hv_flag_explain(const hv_flag_result *r, const hv_scenario *s,
                     const char *id, char *buf, size_t size);

/* Writes dir/households.csv (atomically) and, with db, stores every
 * student's attendance as of the export (one transaction). */
hv_status hv_flag_write(const hv_flag_result *r, const hv_scenario *s,
                        hv_store *db, const char *source, hv_error *err);

#endif /* HV_FLAG_H */
