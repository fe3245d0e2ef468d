/* hv/attendance.h -- a student-information system's attendance export, in
 * the two shapes schools export (detected from the header):
 *
 *   (a) one row per student: enrolled days and absent days (optional
 *       excused/unexcused, and recent_days/recent_absent_days for a trend);
 *   (b) one row per absence: date, period (empty or "full day" for a whole
 *       day, else one period of attendance.periods_per_day) and code;
 *       enrolled days are the school days (Monday to Friday) from
 *       attendance.term_start to the export's last date, which must be
 *       within HV_TERM_MAX_DAYS of it.
 *
 * Every row carries the student: id, name, grade, guardian, phone,
 * address, home language (UTF-8, any script).  Other column names map in
 * scenario.json's attendance.columns.  docs/flagging.md has the details. */
#ifndef HV_ATTENDANCE_H
#define HV_ATTENDANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"
#include "hv/values.h"

#define HV_ATT_MAX_COLUMNS 24
#define HV_ATT_MAX_GRADES 8
/* An absence more than this many days after the term's start is refused
 * (a mistyped year would make every student's rate tiny). */
#define HV_TERM_MAX_DAYS 366

/* scenario.json's "attendance" section. */
typedef struct hv_attendance_rules {
  double threshold;    /* chronic absence: rate >= this (0.10) */
  int trend_days;      /* the trend's window in school days (30) */
  int unanswered_min;  /* unanswered contact attempts that flag (2) */
  int periods_per_day; /* for period absences (6) */
  bool has_term_start;
  hv_date term_start;
  /* The priority rule's weights and the grades where attendance matters
   * most (K and 9 by default). */
  double w_rate, w_trend, w_unanswered, w_grade;
  size_t ngrades;
  const char *grades[HV_ATT_MAX_GRADES];
  /* Column map: our name -> the export's header. */
  size_t ncolumns;
  const char *column_name[HV_ATT_MAX_COLUMNS];
  const char *column_header[HV_ATT_MAX_COLUMNS];
} hv_attendance_rules;

void hv_attendance_rules_init(hv_attendance_rules *r);

typedef enum hv_attendance_shape {
  HV_ATT_PER_STUDENT = 0, /* (a) */
  HV_ATT_PER_ABSENCE      /* (b) */
} hv_attendance_shape;

typedef struct hv_att_student {
  uint32_t line; /* the first row naming the student */
  const char *id, *name, *grade, *guardian, *phone, *address, *language;
  double enrolled, absent; /* days in the term */
  bool has_recent;         /* a trend could be computed */
  double recent_days, recent_absent;
} hv_att_student;

typedef struct hv_attendance hv_attendance; /* opaque */

/* Reads an export (messages name it `name`).  Row problems go to diags,
 * all of them; returns HV_OK when the file could be read at all. */
hv_status hv_attendance_read(const char *path, const char *name,
                             const hv_attendance_rules *rules,
                             hv_attendance **out, hv_diags *diags);
hv_status hv_attendance_parse(const char *data, size_t len, const char *name,
                              const hv_attendance_rules *rules,
                              hv_attendance **out, hv_diags *diags);
void hv_attendance_free(hv_attendance *a);

hv_attendance_shape hv_attendance_shape_of(const hv_attendance *a);
/* The export's date: its last absence (shape b), else today. */
hv_date hv_attendance_as_of(const hv_attendance *a);
size_t hv_attendance_count(const hv_attendance *a);
const hv_att_student *hv_attendance_student(const hv_attendance *a, size_t i);

#endif /* HV_ATTENDANCE_H */
