/* planner/io/avail.c -- parser for the availability grammar (see hv/avail.h).
 * Errors quote the piece that is wrong so a coordinator can find it. */
#include "hv/avail.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"

static const char *const short_names[HV_DAYS] = {"mon", "tue", "wed", "thu",
                                                 "fri", "sat", "sun"};
static const char *const long_names[HV_DAYS] = {
    "Monday", "Tuesday",  "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday"};

int hv_day_parse(const char *name) {
  /* Full names, the three-letter forms and the common longer
   * abbreviations spreadsheets produce. */
  static const struct {
    const char *s;
    int day;
  } alias[] = {{"tues", 1}, {"weds", 2}, {"thur", 3}, {"thurs", 3}};
  for (int d = 0; d < HV_DAYS; d++)
    if (hv__strcasecmp(name, short_names[d]) == 0 ||
        hv__strcasecmp(name, long_names[d]) == 0)
      return d;
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (hv__strcasecmp(name, alias[i].s) == 0) return alias[i].day;
  return -1;
}

const char *hv_day_name(int day) {
  return day >= 0 && day < HV_DAYS ? short_names[day] : NULL;
}

const char *hv_day_long_name(int day) {
  return day >= 0 && day < HV_DAYS ? long_names[day] : NULL;
}

void hv_avail_clear(hv_avail *a) {
  if (a == NULL) return;
  free(a->w);
  a->w = NULL;
  a->n = 0;
}

int hv_avail_overlap(const hv_avail *x, const hv_avail *y, int day, int *start,
                     int *end) {
  int best = 0;
  for (size_t i = 0; i < x->n; i++) {
    if (x->w[i].day != day) continue;
    for (size_t k = 0; k < y->n; k++) {
      if (y->w[k].day != day) continue;
      int lo = x->w[i].start_min > y->w[k].start_min ? x->w[i].start_min
                                                     : y->w[k].start_min;
      int hi =
          x->w[i].end_min < y->w[k].end_min ? x->w[i].end_min : y->w[k].end_min;
      if (hi - lo > best) {
        best = hi - lo;
        if (start) *start = lo;
        if (end) *end = hi;
      }
    }
  }
  return best;
}

int hv_avail_minutes(const hv_avail *a, int day) {
  int total = 0;
  for (size_t i = 0; i < a->n; i++)
    if (a->w[i].day == day) total += a->w[i].end_min - a->w[i].start_min;
  return total;
}

bool hv_window_usable(const hv_window *w, unsigned days, int minutes) {
  return (days >> w->day & 1u) && w->end_min - w->start_min >= minutes;
}

static int cmp_window(const void *pa, const void *pb) {
  const hv_window *a = pa, *b = pb;
  if (a->day != b->day) return a->day - b->day;
  if (a->start_min != b->start_min) return a->start_min - b->start_min;
  return a->end_min - b->end_min;
}

/* Parses one day or range item ("mon", "Mon-Fri") into a day mask. */
static hv_status parse_day_item(char *item, unsigned *mask, const char *part,
                                hv_error *err) {
  hv__trim(item);
  char *dash = strchr(item, '-');
  hv_where none = {0};
  if (dash == NULL) {
    int d = hv_day_parse(item);
    if (d < 0)
      return hv_error_set(err, HV_E_INPUT, none,
                          "unknown day '%s' in '%s' (use mon..sun)", item,
                          part);
    *mask |= 1u << d;
    return HV_OK;
  }
  *dash = '\0';
  char *a = hv__trim(item), *b = hv__trim(dash + 1);
  int da = hv_day_parse(a), db = hv_day_parse(b);
  if (da < 0 || db < 0)
    return hv_error_set(err, HV_E_INPUT, none,
                        "unknown day '%s' in '%s' (use mon..sun)",
                        da < 0 ? a : b, part);
  if (db < da)
    return hv_error_set(err, HV_E_INPUT, none,
                        "day range '%s-%s' runs backwards in '%s'", a, b, part);
  for (int d = da; d <= db; d++)
    *mask |= 1u << d;
  return HV_OK;
}

/* Parses one "DAYS HH:MM-HH:MM" part, appending windows to *w. */
static hv_status parse_part(char *part, hv_window **w, size_t *n, size_t *cap,
                            hv_error *err) {
  hv_where none = {0};
  char shown[200];
  snprintf(shown, sizeof shown, "%s", part);
  /* The time range is the last blank-separated token. */
  size_t len = strlen(part);
  size_t k = len;
  while (k > 0 && part[k - 1] != ' ' && part[k - 1] != '\t')
    k--;
  if (k == 0)
    return hv_error_set(err, HV_E_INPUT, none,
                        "'%s' needs days and hours, e.g. 'mon-fri 15:00-18:00'",
                        shown);
  char *range = part + k;
  part[k - 1] = '\0';
  char *days = hv__trim(part);
  char *dash = strchr(range, '-');
  if (dash == NULL)
    return hv_error_set(err, HV_E_INPUT, none,
                        "malformed hours '%s' in '%s' (use HH:MM-HH:MM)", range,
                        shown);
  int start = hv_hhmm_parse(range, (size_t)(dash - range));
  int end = hv_hhmm_parse(dash + 1, (size_t)-1);
  if (start < 0 || end < 0)
    return hv_error_set(err, HV_E_INPUT, none,
                        "malformed time in '%s' (use HH:MM-HH:MM, 00:00 to "
                        "24:00)",
                        shown);
  if (end <= start)
    return hv_error_set(err, HV_E_INPUT, none,
                        "window '%s' ends before it starts", range);
  if (*days == '\0')
    return hv_error_set(err, HV_E_INPUT, none, "no days given in '%s'", shown);
  unsigned mask = 0;
  char *save = days;
  for (;;) {
    char *comma = strchr(save, ',');
    if (comma) *comma = '\0';
    hv_status st = parse_day_item(save, &mask, shown, err);
    if (st != HV_OK) return st;
    if (!comma) break;
    save = comma + 1;
  }
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(mask & (1u << d))) continue;
    if (*n == *cap) {
      size_t nc = *cap ? *cap * 2 : 8;
      hv_window *nw = realloc(*w, nc * sizeof *nw);
      if (nw == NULL)
        return hv_error_set(err, HV_E_NOMEM, none, "out of memory");
      *w = nw;
      *cap = nc;
    }
    (*w)[(*n)++] = (hv_window){d, start, end};
  }
  return HV_OK;
}

hv_status hv_avail_parse(const char *text, hv_avail *out, hv_error *err) {
  out->n = 0;
  out->w = NULL;
  size_t tl = strlen(text);
  char *copy = malloc(tl + 1);
  if (copy == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  memcpy(copy, text, tl + 1);
  hv_window *w = NULL;
  size_t n = 0, cap = 0;
  hv_status st = HV_OK;
  char *p = copy;
  while (st == HV_OK) {
    char *semi = strchr(p, ';');
    if (semi) *semi = '\0';
    char *part = hv__trim(p);
    if (*part != '\0') st = parse_part(part, &w, &n, &cap, err);
    if (!semi) break;
    p = semi + 1;
  }
  free(copy);
  if (st != HV_OK) {
    free(w);
    return st;
  }
  if (n > 1) qsort(w, n, sizeof *w, cmp_window);
  /* Merge overlapping or touching windows of one day. */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m > 0 && w[m - 1].day == w[i].day &&
        w[i].start_min <= w[m - 1].end_min) {
      if (w[i].end_min > w[m - 1].end_min) w[m - 1].end_min = w[i].end_min;
    } else {
      w[m++] = w[i];
    }
  }
  if (m == 0) {
    free(w);
    w = NULL;
  }
  out->n = m;
  out->w = w;
  return HV_OK;
}

char *hv_avail_format(const hv_avail *a, char *buf, size_t size) {
  size_t n = 0;
  if (size > 0) buf[0] = '\0';
  for (size_t i = 0; i < a->n && n < size; i++) {
    char x[HV_HHMM_TEXT], y[HV_HHMM_TEXT];
    int w =
        snprintf(buf + n, size - n, "%s%s %s-%s", i ? "; " : "",
                 hv_day_name(a->w[i].day), hv_hhmm_format(a->w[i].start_min, x),
                 hv_hhmm_format(a->w[i].end_min, y));
    if (w < 0) break;
    n += (size_t)w;
  }
  return buf;
}

hv_status hv_avail_intersect(const hv_avail *x, const hv_avail *y,
                             hv_avail *out) {
  out->n = 0;
  out->w = NULL;
  const hv_avail *only = x->n == 0 ? y : y->n == 0 ? x : NULL;
  size_t cap = only ? only->n : x->n + y->n;
  if (cap == 0) return HV_OK;
  hv_window *w = malloc(cap * sizeof *w);
  if (w == NULL) return HV_E_NOMEM;
  size_t n = 0;
  if (only) {
    memcpy(w, only->w, only->n * sizeof *w);
    n = only->n;
  } else {
    /* Both sorted by day then start, disjoint within a day: a merge. */
    size_t i = 0, j = 0;
    while (i < x->n && j < y->n) {
      const hv_window *a = &x->w[i], *b = &y->w[j];
      if (a->day != b->day) {
        if (a->day < b->day)
          i++;
        else
          j++;
        continue;
      }
      int s = a->start_min > b->start_min ? a->start_min : b->start_min;
      int e = a->end_min < b->end_min ? a->end_min : b->end_min;
      if (s < e) w[n++] = (hv_window){a->day, s, e};
      if (a->end_min < b->end_min)
        i++;
      else
        j++;
    }
  }
  if (n == 0) {
    free(w);
    w = NULL;
  }
  out->n = n;
  out->w = w;
  return HV_OK;
}
