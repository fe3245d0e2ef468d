/* hv/values.h -- values written as text in every file hvplan reads or
 * writes: calendar dates (YYYY-MM-DD), times of day (HH:MM) and numbers.
 * One parser and one formatter each, so that every reader accepts the same
 * spellings and every writer produces them. */
#ifndef HV_VALUES_H
#define HV_VALUES_H

#include <stdbool.h>
#include <stddef.h>

/* A proleptic Gregorian calendar date.  A value type: copy it freely. */
typedef struct hv_date {
  int y, m, d; /* 2026, 1..12, 1..31 */
} hv_date;

/* Length of "YYYY-MM-DD" plus its terminating NUL. */
#define HV_DATE_TEXT 11
/* Length of "HH:MM" plus its terminating NUL. */
#define HV_HHMM_TEXT 6

/* Parses exactly "YYYY-MM-DD" (a real date, year 1900 or later) into *out;
 * false, leaving *out alone, for anything else. */
bool hv_date_parse(const char *text, hv_date *out);
/* Writes "YYYY-MM-DD" into buf (HV_DATE_TEXT bytes); returns buf. */
char *hv_date_format(hv_date d, char *buf);
/* The date n days later (earlier when n < 0). */
hv_date hv_date_add(hv_date d, int n);
/* Day of the week, 0 = Monday ... 6 = Sunday. */
int hv_date_weekday(hv_date d);
/* Days from a to b (negative when b is earlier). */
long hv_date_diff(hv_date a, hv_date b);
/* Compares two dates like strcmp. */
int hv_date_cmp(hv_date a, hv_date b);
/* Today's date in UTC. */
hv_date hv_date_today(void);
/* "January".."December"; "?" for a month out of range. */
const char *hv_month_name(int month);

/* Parses a time of day "H:MM" or "HH:MM", 00:00 to 24:00, into minutes
 * after midnight; -1 for anything else.  The first n bytes of text are
 * read (n == (size_t)-1: up to the NUL). */
int hv_hhmm_parse(const char *text, size_t n);
/* Writes "HH:MM" for minutes after midnight into buf (HV_HHMM_TEXT bytes);
 * returns buf. */
char *hv_hhmm_format(int minutes, char *buf);

/* Number parsing: the whole string (after trimming blanks) must be the
 * number.  Returns false on anything else, including overflow. */
bool hv_parse_long(const char *text, long *out);
bool hv_parse_double(const char *text, double *out);

#endif /* HV_VALUES_H */
