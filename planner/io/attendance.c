/* planner/io/attendance.c -- attendance exports (one row per student, or
 * one row per absence) read through the CSV table and checked row by row;
 * per-absence rows are summed per student over the school days of the
 * term, with the last trend_days school days kept apart for the trend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "hv/attendance.h"

void hv_attendance_rules_init(hv_attendance_rules *r) {
  memset(r, 0, sizeof *r);
  r->threshold = 0.10;
  r->trend_days = 30;
  r->unanswered_min = 2;
  r->periods_per_day = 6;
  r->w_rate = 60;
  r->w_trend = 20;
  r->w_unanswered = 15;
  r->w_grade = 5;
  r->ngrades = 2;
  r->grades[0] = "K";
  r->grades[1] = "9";
}

struct hv_attendance {
  hv_csv_table *t;
  hv_attendance_shape shape;
  hv_date as_of;
  size_t n;
  hv_att_student *s;
};

enum {
  A_ID,
  A_NAME,
  A_FIRST,
  A_LAST,
  A_GRADE,
  A_GUARDIAN,
  A_PHONE,
  A_ADDRESS,
  A_LANGUAGE,
  A_ENROLLED,
  A_ABSENT,
  A_EXCUSED,
  A_UNEXCUSED,
  A_RECENT_DAYS,
  A_RECENT_ABSENT,
  A_DATE,
  A_PERIOD,
  A_CODE,
  A_N
};

/* Our names, then the spellings exports use. */
static const char *const cols[A_N][6] = {
    [A_ID] = {"student_id", "student id", "student number", "student_number",
              "sis_id", "id"},
    [A_NAME] = {"name", "student", "student_name", "student name"},
    [A_FIRST] = {"first_name", "first name", "firstname"},
    [A_LAST] = {"last_name", "last name", "lastname"},
    [A_GRADE] = {"grade", "grade_level", "grade level"},
    [A_GUARDIAN] = {"guardian", "guardian_name", "parent", "parent_name",
                    "contact"},
    [A_PHONE] = {"phone", "guardian_phone", "home_phone", "phone_number"},
    [A_ADDRESS] = {"address", "home_address", "street_address", "street"},
    [A_LANGUAGE] = {"language", "home_language", "home language", "lang"},
    [A_ENROLLED] = {"enrolled_days", "days_enrolled", "enrolled", "membership",
                    "days_in_membership"},
    [A_ABSENT] = {"absent_days", "days_absent", "absences", "absent"},
    [A_EXCUSED] = {"excused", "excused_days", "excused_absences"},
    [A_UNEXCUSED] = {"unexcused", "unexcused_days", "unexcused_absences"},
    [A_RECENT_DAYS] = {"recent_days"},
    [A_RECENT_ABSENT] = {"recent_absent_days", "recent_absences"},
    [A_DATE] = {"date", "absence_date", "attendance_date"},
    [A_PERIOD] = {"period", "periods"},
    [A_CODE] = {"code", "attendance_code", "absence_code", "reason"},
};

static void find_columns(const hv_csv_table *t, const hv_attendance_rules *r,
                         int *c) {
  for (int k = 0; k < A_N; k++) {
    c[k] = -1;
    for (size_t m = 0; r && m < r->ncolumns && c[k] < 0; m++)
      if (strcmp(r->column_name[m], cols[k][0]) == 0)
        c[k] = hv__csv_col(t, r->column_header[m]);
    for (int a = 0; a < 6 && cols[k][a] && c[k] < 0; a++) {
      c[k] = hv__csv_col(t, cols[k][a]);
      /* "Enrolled Days" for enrolled_days. */
      char spaced[64];
      snprintf(spaced, sizeof spaced, "%s", cols[k][a]);
      for (char *p = spaced; *p; p++)
        if (*p == '_') *p = ' ';
      if (c[k] < 0) c[k] = hv__csv_col(t, spaced);
    }
  }
}

static const char *cell(const hv_csv_row *row, int c) {
  return c >= 0 ? row->cells[c] : "";
}

static void row_err(hv_diags *d, const char *file, uint32_t line,
                    const char *field, const char *fmt, ...) HV_PRINTF(5, 6);
static void row_err(hv_diags *d, const char *file, uint32_t line,
                    const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = file, .line = line, .field = field}, fmt,
                ap);
  va_end(ap);
}

static bool number(const char *text, double *out) {
  return text[0] && hv_parse_double(text, out) && *out >= 0 && isfinite(*out);
}

/* The student's details from one row (names joined when split). */
static void details(hv_attendance *a, const hv_csv_row *row, const int *c,
                    hv_att_student *s) {
  s->line = row->line;
  s->id = cell(row, c[A_ID]);
  s->name = cell(row, c[A_NAME]);
  if (s->name[0] == '\0' && (c[A_FIRST] >= 0 || c[A_LAST] >= 0)) {
    const char *f = cell(row, c[A_FIRST]), *l = cell(row, c[A_LAST]);
    size_t n = strlen(f) + strlen(l) + 2;
    char *both = hv__arena_alloc(a->t->arena, n);
    if (both) snprintf(both, n, "%s%s%s", f, f[0] && l[0] ? " " : "", l);
    s->name = both ? both : "";
  }
  s->grade = cell(row, c[A_GRADE]);
  s->guardian = cell(row, c[A_GUARDIAN]);
  s->phone = cell(row, c[A_PHONE]);
  s->address = cell(row, c[A_ADDRESS]);
  s->language = cell(row, c[A_LANGUAGE]);
}

static hv_att_student *find(hv_attendance *a, const char *id) {
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->s[i].id, id) == 0) return &a->s[i];
  return NULL;
}

/* School days (Monday to Friday) from a to b, both included. */
static long school_days(hv_date a, hv_date b) {
  long days = hv_date_diff(a, b) + 1;
  if (days <= 0) return 0;
  long n = days / 7 * 5;
  for (int k = 0, w = hv_date_weekday(a); k < days % 7; k++)
    n += (w + k) % 7 < 5;
  return n;
}

static void per_student(hv_attendance *a, const int *c, hv_diags *d) {
  const hv_csv_table *t = a->t;
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *row = &t->rows[i];
    hv_att_student s = {0};
    details(a, row, c, &s);
    bool ok = true;
    if (s.id[0] == '\0') {
      row_err(d, t->name, row->line, "student_id", "no student id");
      ok = false;
    } else {
      const hv_att_student *dup = find(a, s.id);
      if (dup) {
        row_err(d, t->name, row->line, "student_id",
                "student '%s' is already on line %u", s.id,
                (unsigned)dup->line);
        ok = false;
      }
    }
    const char *en = cell(row, c[A_ENROLLED]), *ab = cell(row, c[A_ABSENT]);
    if (!number(en, &s.enrolled) || s.enrolled <= 0) {
      row_err(d, t->name, row->line, "enrolled_days",
              "'%s' is not a number of days above 0", en);
      ok = false;
    }
    if (!number(ab, &s.absent)) {
      row_err(d, t->name, row->line, "absent_days",
              "'%s' is not a number of days (0 or more)", ab);
      ok = false;
    } else if (ok && s.absent > s.enrolled) {
      row_err(d, t->name, row->line, "absent_days",
              "%s absent days is more than the %s enrolled days", ab, en);
      ok = false;
    }
    const char *rd = cell(row, c[A_RECENT_DAYS]),
               *ra = cell(row, c[A_RECENT_ABSENT]);
    if (rd[0] || ra[0]) {
      if (!number(rd, &s.recent_days) || s.recent_days <= 0 ||
          !number(ra, &s.recent_absent) || s.recent_absent > s.recent_days) {
        row_err(d, t->name, row->line, "recent_absent_days",
                "give recent_days above 0 and recent_absent_days not above it "
                "('%s', '%s')",
                rd, ra);
        ok = false;
      } else {
        s.has_recent = true;
      }
    }
    if (ok) a->s[a->n++] = s;
  }
  a->as_of = hv_date_today();
}

static bool full_day(const char *p) {
  return p[0] == '\0' || hv__strcasecmp(p, "full day") == 0 ||
         hv__strcasecmp(p, "all day") == 0 || hv__strcasecmp(p, "day") == 0 ||
         hv__strcasecmp(p, "full") == 0;
}

/* One absence row, for sorting by student, date, period, then line. */
typedef struct absence {
  const char *id, *period;
  hv_date date;
  size_t row;
} absence;

static int cmp_absence(const void *x, const void *y) {
  const absence *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  if (c == 0) c = hv_date_cmp(a->date, b->date);
  if (c == 0) c = strcmp(a->period, b->period);
  if (c == 0) c = a->row < b->row ? -1 : a->row > b->row;
  return c;
}

static void per_absence(hv_attendance *a, const int *c,
                        const hv_attendance_rules *r, hv_diags *d) {
  const hv_csv_table *t = a->t;
  absence *ab = calloc(t->nrows + 1, sizeof *ab);
  if (ab == NULL) {
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return;
  }
  size_t n = 0;
  bool any = false;
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *row = &t->rows[i];
    const char *id = cell(row, c[A_ID]), *date = cell(row, c[A_DATE]);
    hv_date day;
    bool ok = true;
    if (id[0] == '\0') {
      row_err(d, t->name, row->line, "student_id", "no student id");
      ok = false;
    }
    if (!hv_date_parse(date, &day)) {
      row_err(d, t->name, row->line, "date", "'%s' is not a date (YYYY-MM-DD)",
              date);
      ok = false;
    } else if (r->has_term_start && hv_date_cmp(day, r->term_start) < 0) {
      char ts[HV_DATE_TEXT];
      row_err(d, t->name, row->line, "date",
              "%s is before the term starts (attendance.term_start %s)", date,
              hv_date_format(r->term_start, ts));
      ok = false;
    } else if (r->has_term_start &&
               hv_date_diff(r->term_start, day) > HV_TERM_MAX_DAYS) {
      char ts[HV_DATE_TEXT];
      row_err(d, t->name, row->line, "date",
              "%s is more than a year after the term starts "
              "(attendance.term_start %s): a mistyped year?",
              date, hv_date_format(r->term_start, ts));
      ok = false;
    }
    if (!ok) continue;
    if (!any || hv_date_cmp(day, a->as_of) > 0) a->as_of = day;
    any = true;
    ab[n++] = (absence){id, cell(row, c[A_PERIOD]), day, i};
  }
  if (!r->has_term_start && n > 0)
    row_err(d, "scenario.json", 0, "attendance.term_start",
            "an export with one row per absence needs the term's first day "
            "(attendance.term_start) to count enrolled days");
  qsort(ab, n, sizeof *ab, cmp_absence);
  long enrolled = r->has_term_start ? school_days(r->term_start, a->as_of) : 0;
  hv_date recent_from = a->as_of;
  for (int left = r->trend_days; left > 1;) {
    recent_from = hv_date_add(recent_from, -1);
    if (hv_date_weekday(recent_from) < 5) left--;
  }
  if (r->has_term_start && hv_date_cmp(recent_from, r->term_start) < 0)
    recent_from = r->term_start;
  long recent_days = r->has_term_start ? school_days(recent_from, a->as_of) : 0;
  double share = 1.0 / (r->periods_per_day > 0 ? r->periods_per_day : 6);
  hv_att_student *s = NULL;
  double day_total = 0;
  for (size_t k = 0; k < n; k++) {
    const absence *x = &ab[k];
    const hv_csv_row *row = &t->rows[x->row];
    bool new_student = k == 0 || strcmp(ab[k - 1].id, x->id) != 0;
    bool new_day = new_student || hv_date_cmp(ab[k - 1].date, x->date) != 0;
    if (new_day && s != NULL) {
      /* Close the previous day: at most one day absent. */
      double day = day_total > 1.0 ? 1.0 : day_total;
      s->absent += day;
      if (hv_date_cmp(ab[k - 1].date, recent_from) >= 0)
        s->recent_absent += day;
      day_total = 0;
    }
    if (new_student) {
      s = &a->s[a->n++];
      memset(s, 0, sizeof *s);
      details(a, row, c, s);
      s->enrolled = (double)enrolled;
      s->has_recent = recent_days > 0;
      s->recent_days = (double)recent_days;
    } else {
      /* Every row of a student names the same household. */
      hv_att_student other = {0};
      details(a, row, c, &other);
      if (strcmp(other.guardian, s->guardian) != 0 ||
          strcmp(other.address, s->address) != 0)
        row_err(d, t->name, row->line, "address",
                "student '%s' is in two households: '%s, %s' here, '%s, %s' "
                "on line %u",
                x->id, other.guardian, other.address, s->guardian, s->address,
                (unsigned)s->line);
      if (!new_day && strcmp(ab[k - 1].period, x->period) == 0) {
        char date[HV_DATE_TEXT];
        row_err(d, t->name, row->line, "date",
                "student '%s' on %s%s%s is already on line %u", x->id,
                hv_date_format(x->date, date), x->period[0] ? ", period " : "",
                x->period, (unsigned)t->rows[ab[k - 1].row].line);
        continue;
      }
      if (row->line < s->line) s->line = row->line;
    }
    day_total += full_day(x->period) ? 1.0 : share;
  }
  if (s != NULL && n > 0) {
    double day = day_total > 1.0 ? 1.0 : day_total;
    s->absent += day;
    if (hv_date_cmp(ab[n - 1].date, recent_from) >= 0) s->recent_absent += day;
  }
  for (size_t k = 0; r->has_term_start && k < a->n; k++)
    if (a->s[k].absent > a->s[k].enrolled)
      row_err(d, t->name, a->s[k].line, "date",
              "student '%s' has %.1f absent days, more than the %ld school "
              "days since attendance.term_start",
              a->s[k].id, a->s[k].absent, enrolled);
  free(ab);
}

static hv_status finish_read(hv_csv_table *t, const char *name,
                             const hv_attendance_rules *rules,
                             hv_attendance **out, hv_diags *d) {
  (void)name;
  hv_attendance_rules defaults;
  if (rules == NULL) {
    hv_attendance_rules_init(&defaults);
    rules = &defaults;
  }
  hv_attendance *a = calloc(1, sizeof *a);
  if (a) a->s = calloc(t->nrows + 1, sizeof *a->s);
  if (a == NULL || a->s == NULL) {
    if (a) free(a);
    hv__csv_free(t);
    return HV_E_NOMEM;
  }
  a->t = t;
  int c[A_N];
  find_columns(t, rules, c);
  bool per_student_shape = c[A_ENROLLED] >= 0 && c[A_ABSENT] >= 0;
  a->shape = per_student_shape ? HV_ATT_PER_STUDENT : HV_ATT_PER_ABSENCE;
  bool ok = true;
  if (c[A_ID] < 0) {
    hv_diags_add(
        d, HV_SEV_ERROR, HV_E_INPUT,
        (hv_where){.source = t->name, .line = 1, .field = "student_id"},
        "missing column 'student_id' (or map the export's name in "
        "scenario.json attendance.columns)");
    ok = false;
  }
  if (!per_student_shape && c[A_DATE] < 0) {
    hv_diags_add(
        d, HV_SEV_ERROR, HV_E_INPUT,
        (hv_where){.source = t->name,
                   .line = 1,
                   .field = c[A_ENROLLED] >= 0 ? "absent_days" : "date"},
        "cannot tell the export's shape: it needs enrolled_days and "
        "absent_days (one row per student) or date (one row per absence)");
    ok = false;
  }
  static const int needed[] = {A_GUARDIAN, A_ADDRESS};
  for (size_t k = 0; k < 2; k++)
    if (c[needed[k]] < 0) {
      hv_diags_add(
          d, HV_SEV_ERROR, HV_E_INPUT,
          (hv_where){.source = t->name, .line = 1, .field = cols[needed[k]][0]},
          "missing column '%s' (siblings are grouped by guardian "
          "and address)",
          cols[needed[k]][0]);
      ok = false;
    }
  if (ok) {
    if (per_student_shape)
      per_student(a, c, d);
    else
      per_absence(a, c, rules, d);
  }
  *out = a;
  return HV_OK;
}

hv_status hv_attendance_read(const char *path, const char *name,
                             const hv_attendance_rules *rules,
                             hv_attendance **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_read(path, name, &t, diags);
  if (st != HV_OK) return st;
  return finish_read(t, name, rules, out, diags);
}

hv_status hv_attendance_parse(const char *data, size_t len, const char *name,
                              const hv_attendance_rules *rules,
                              hv_attendance **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_parse(data, len, name, &t, diags);
  if (st != HV_OK) return st;
  return finish_read(t, name, rules, out, diags);
}

void hv_attendance_free(hv_attendance *a) {
  if (a == NULL) return;
  hv__csv_free(a->t);
  free(a->s);
  free(a);
}

hv_attendance_shape hv_attendance_shape_of(const hv_attendance *a) {
  return a->shape;
}
hv_date hv_attendance_as_of(const hv_attendance *a) {
  return a->as_of;
}
size_t hv_attendance_count(const hv_attendance *a) {
  return a->n;
}
const hv_att_student *hv_attendance_student(const hv_attendance *a, size_t i) {
  return i < a->n ? &a->s[i] : NULL;
}
