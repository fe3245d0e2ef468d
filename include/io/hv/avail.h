/* hv/avail.h -- the availability grammar shared by households and staff.
 *
 *   availability := part { ";" part }
 *   part         := days time "-" time
 *   days         := item { "," item }
 *   item         := day | day "-" day
 *   day          := mon | monday | tue | tues | tuesday | ... (any case)
 *   time         := H:MM | HH:MM            (00:00 .. 24:00)
 *
 * Example: "mon-fri 15:30-19:00; sat 10:00-13:00". */
#ifndef HV_AVAIL_H
#define HV_AVAIL_H

#include <stddef.h>

#include "hv/error.h"
#include "hv/values.h"

#define HV_DAYS 7 /* 0 = Monday ... 6 = Sunday */
/* The most windows of one family the planner considers in a week, the
 * earliest first (the solver's windows per job: planning asserts they
 * agree); hvplan validate warns about a family that gives more. */
#define HV_WEEK_WINDOWS_MAX 16

/* One window of one day, in minutes after midnight, start < end. */
typedef struct hv_window {
  int day;
  int start_min;
  int end_min;
} hv_window;

/* Windows sorted by day then start; overlapping or touching windows of the
 * same day are merged.  n == 0 means "no availability given". */
typedef struct hv_avail {
  size_t n;
  hv_window *w; /* owned: release with hv_avail_clear() */
} hv_avail;

/* Parses text into *out (which is overwritten).  On error *out is empty and
 * err->text names the offending piece; err's source/line/field are left for
 * the caller to fill.  Empty text gives an empty list and HV_OK. */
hv_status hv_avail_parse(const char *text, hv_avail *out, hv_error *err);

/* Releases the windows; the struct becomes empty.  NULL is allowed. */
void hv_avail_clear(hv_avail *a);

/* Day name or abbreviation (any case) to 0..6; -1 if unknown. */
int hv_day_parse(const char *name);
/* Writes a in the grammar above ("mon 15:00-16:00; sat 10:00-12:00"), one
 * part per window; "" when a is empty.  Returns buf. */
char *hv_avail_format(const hv_avail *a, char *buf, size_t size);
/* "mon".."sun"; NULL for out-of-range. */
const char *hv_day_name(int day);
/* "Monday".."Sunday". */
const char *hv_day_long_name(int day);

/* The longest interval two availability lists share on one day: its
 * length in minutes (0 if none), and through start/end (may be NULL) its
 * bounds. */
int hv_avail_overlap(const hv_avail *x, const hv_avail *y, int day, int *start,
                     int *end);

/* The windows both lists share, into *out (overwritten; release with
 * hv_avail_clear).  An empty list means "any time", so x empty gives y.
 * Both non-empty and disjoint give an empty *out: check for that. */
hv_status hv_avail_intersect(const hv_avail *x, const hv_avail *y,
                             hv_avail *out);

/* Total minutes available on one day. */
int hv_avail_minutes(const hv_avail *a, int day);

/* Whether a visit of `minutes` can be planned in window w: on one of the
 * days (bit d for day d) and long enough.  The planner's windows of a family
 * are these, the earliest HV_WEEK_WINDOWS_MAX; validate counts them. */
bool hv_window_usable(const hv_window *w, unsigned days, int minutes);

#endif /* HV_AVAIL_H */
