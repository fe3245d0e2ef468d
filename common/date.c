/* common/date.c -- calendar dates and times of day as hvplan reads and
 * writes them (hv/values.h): the one parser and formatter of each. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hv/values.h"

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static hv_date civil_from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  hv_date r;
  r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
  r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
  r.y = (int)(yoe + era * 400 + (r.m <= 2));
  return r;
}

int hv_date_weekday(hv_date d) {
  long z = days_from_civil(d.y, d.m, d.d); /* 1970-01-01 was a Thursday */
  return (int)(((z % 7) + 7 + 3) % 7);
}

hv_date hv_date_add(hv_date d, int n) {
  return civil_from_days(days_from_civil(d.y, d.m, d.d) + n);
}

long hv_date_diff(hv_date a, hv_date b) {
  return days_from_civil(b.y, b.m, b.d) - days_from_civil(a.y, a.m, a.d);
}

int hv_date_cmp(hv_date a, hv_date b) {
  if (a.y != b.y) return a.y < b.y ? -1 : 1;
  if (a.m != b.m) return a.m < b.m ? -1 : 1;
  if (a.d != b.d) return a.d < b.d ? -1 : 1;
  return 0;
}

hv_date hv_date_today(void) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  return (hv_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

bool hv_date_parse(const char *s, hv_date *out) {
  if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
           (s[3] - '0');
  int mm = (s[5] - '0') * 10 + (s[6] - '0');
  int dd = (s[8] - '0') * 10 + (s[9] - '0');
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (yy < 1900 || mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1])
    return false;
  bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
  if (mm == 2 && dd == 29 && !leap) return false;
  *out = (hv_date){yy, mm, dd};
  return true;
}

char *hv_date_format(hv_date d, char *buf) {
  snprintf(buf, HV_DATE_TEXT, "%04u-%02u-%02u", (unsigned)d.y % 10000u,
           (unsigned)d.m % 100u, (unsigned)d.d % 100u);
  return buf;
}

const char *hv_month_name(int month) {
  static const char *const names[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

int hv_hhmm_parse(const char *s, size_t n) {
  if (s == NULL) return -1;
  if (n == (size_t)-1) n = strlen(s);
  if (n < 4 || n > 5 || s[n - 3] != ':') return -1;
  int h = 0;
  for (size_t i = 0; i < n - 3; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    h = h * 10 + (s[i] - '0');
  }
  if (s[n - 2] < '0' || s[n - 2] > '5' || s[n - 1] < '0' || s[n - 1] > '9')
    return -1;
  int m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
  if (h > 24 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

char *hv_hhmm_format(int minutes, char *buf) {
  if (minutes < 0) minutes = 0;
  snprintf(buf, HV_HHMM_TEXT, "%02u:%02u", (unsigned)(minutes / 60) % 100u,
           (unsigned)(minutes % 60));
  return buf;
}
