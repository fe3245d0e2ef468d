/* tests/avail/test_avail.c -- the availability grammar. */
#include "check.h"
#include "hv/avail.h"
#include "hv/path.h"

static void parses_ranges_lists_and_long_names(void) {
  hv_avail a;
  hv_error e;
  CHECK_INT_EQ(hv_avail_parse("Mon-Wed 15:30-19:00; tue,THURSDAY 9:00-10:15; "
                              "Saturday 10:00-13:00",
                              &a, &e),
               HV_OK);
  CHECK_INT_EQ(a.n, 6);
  /* Sorted by day then start. */
  CHECK_INT_EQ(a.w[0].day, 0);
  CHECK_INT_EQ(a.w[0].start_min, 15 * 60 + 30);
  CHECK_INT_EQ(a.w[0].end_min, 19 * 60);
  CHECK_INT_EQ(a.w[1].day, 1);
  CHECK_INT_EQ(a.w[1].start_min, 9 * 60);
  CHECK_INT_EQ(a.w[1].end_min, 10 * 60 + 15);
  CHECK_INT_EQ(a.w[2].day, 1);
  CHECK_INT_EQ(a.w[2].start_min, 15 * 60 + 30);
  CHECK_INT_EQ(a.w[4].day, 3);
  CHECK_INT_EQ(a.w[5].day, 5);
  CHECK_INT_EQ(hv_avail_minutes(&a, 1), 75 + 210);
  hv_avail_clear(&a);
  CHECK(a.n == 0 && a.w == NULL);
}

static void merges_overlapping_windows(void) {
  hv_avail a;
  hv_error e;
  CHECK_INT_EQ(
      hv_avail_parse("mon 09:00-11:00;mon 10:30-12:00;mon 12:00-13:00", &a, &e),
      HV_OK);
  CHECK_INT_EQ(a.n, 1);
  CHECK_INT_EQ(a.w[0].start_min, 9 * 60);
  CHECK_INT_EQ(a.w[0].end_min, 13 * 60);
  hv_avail_clear(&a);
}

static void empty_is_empty(void) {
  hv_avail a;
  hv_error e;
  CHECK_INT_EQ(hv_avail_parse("", &a, &e), HV_OK);
  CHECK_INT_EQ(a.n, 0);
  CHECK_INT_EQ(hv_avail_parse("  ;  ", &a, &e), HV_OK);
  CHECK_INT_EQ(a.n, 0);
  CHECK_INT_EQ(hv_avail_parse("sun 00:00-24:00", &a, &e), HV_OK);
  CHECK_INT_EQ(a.w[0].end_min, 1440);
  hv_avail_clear(&a);
}

static void expect_error(const char *text, const char *needle) {
  hv_avail a;
  hv_error e;
  CHECK_INT_EQ(hv_avail_parse(text, &a, &e), HV_E_INPUT);
  CHECK(a.n == 0 && a.w == NULL);
  CHECK_STR_CONTAINS(e.text, needle);
}

static void rejects_bad_input(void) {
  expect_error("Mnday 15:00-17:00", "unknown day 'Mnday'");
  expect_error("mon-fry 15:00-17:00", "unknown day 'fry'");
  expect_error("fri-mon 15:00-17:00", "runs backwards");
  expect_error("mon 17:00-15:00", "window '17:00-15:00' ends before it starts");
  expect_error("mon 15:00-15:00", "ends before it starts");
  expect_error("mon 25:00-26:00", "malformed time");
  expect_error("mon 9-17", "malformed time");
  expect_error("mon 09:60-10:00", "malformed time");
  expect_error("mon 0900-1000", "malformed");
  expect_error("15:00-17:00", "needs days and hours");
  expect_error("mon 15:00", "malformed hours");
  expect_error("mon,,tue 15:00-16:00", "unknown day ''");
}

/* A window holds a visit on a planned day when it is long enough: the
 * rule validate counts and the planner plans by. */
static void usable_windows(void) {
  hv_window w = {.day = 2, .start_min = 15 * 60, .end_min = 16 * 60};
  unsigned weekdays = 0x1F, monday = 0x01;
  CHECK(hv_window_usable(&w, weekdays, 60));
  CHECK(!hv_window_usable(&w, weekdays, 61)); /* too short */
  CHECK(!hv_window_usable(&w, monday, 30));   /* Wednesday not planned */
}

static void day_names(void) {
  CHECK_INT_EQ(hv_day_parse("mon"), 0);
  CHECK_INT_EQ(hv_day_parse("MONDAY"), 0);
  CHECK_INT_EQ(hv_day_parse("Thurs"), 3);
  CHECK_INT_EQ(hv_day_parse("sun"), 6);
  CHECK_INT_EQ(hv_day_parse("mo"), -1);
  CHECK_STR_EQ(hv_day_name(4), "fri");
  CHECK(hv_day_name(7) == NULL);
  char buf[6];
  hv_hhmm_format(15 * 60 + 5, buf);
  CHECK_STR_EQ(buf, "15:05");
}

/* Dates and times of day: the one parser and formatter of each. */
static void dates_and_times(void) {
  hv_date d;
  CHECK(hv_date_parse("2026-03-02", &d));
  CHECK_INT_EQ(hv_date_weekday(d), 0);
  char buf[HV_DATE_TEXT];
  CHECK_STR_EQ(hv_date_format(hv_date_add(d, 6), buf), "2026-03-08");
  CHECK_STR_EQ(hv_date_format(hv_date_add(d, -2), buf), "2026-02-28");
  CHECK_INT_EQ(hv_date_diff(d, hv_date_add(d, 40)), 40);
  CHECK(hv_date_parse("2024-02-29", &d));
  CHECK(!hv_date_parse("2026-02-29", &d));
  CHECK(!hv_date_parse("2026-3-2", &d));
  CHECK(!hv_date_parse("2026-13-01", &d));
  CHECK_STR_EQ(hv_month_name(3), "March");
  CHECK_INT_EQ(hv_hhmm_parse("7:05", (size_t)-1), 425);
  CHECK_INT_EQ(hv_hhmm_parse("24:00", (size_t)-1), 1440);
  CHECK_INT_EQ(hv_hhmm_parse("24:01", (size_t)-1), -1);
  CHECK_INT_EQ(hv_hhmm_parse("12:60", (size_t)-1), -1);
  CHECK_INT_EQ(hv_hhmm_parse("1230", (size_t)-1), -1);
  CHECK_INT_EQ(hv_hhmm_parse("09:30-10:00", 5), 570);
  char t[HV_HHMM_TEXT];
  CHECK_STR_EQ(hv_hhmm_format(570, t), "09:30");
  long n;
  double x;
  CHECK(hv_parse_long(" 42 ", &n) && n == 42);
  CHECK(!hv_parse_long("4x", &n));
  CHECK(hv_parse_double("2.5", &x) && x == 2.5);
  CHECK(!hv_parse_double("nan", &x));
}

/* Folder and name joined the one way every layer does it. */
static void path_join(void) {
  char buf[16];
  CHECK(hv_path_join(buf, sizeof buf, "week", "plan.json"));
  CHECK_STR_EQ(buf, "week/plan.json");
  CHECK(hv_path_join(buf, sizeof buf, "week//", "plan.json"));
  CHECK_STR_EQ(buf, "week/plan.json");
  CHECK(hv_path_join(buf, sizeof buf, "/", "a"));
  CHECK_STR_EQ(buf, "/a");
  /* 15 characters fit with the NUL; 16 do not. */
  CHECK(hv_path_join(buf, sizeof buf, "week1", "plan.json"));
  CHECK(!hv_path_join(buf, sizeof buf, "week12", "plan.json"));
}

int main(void) {
  RUN(dates_and_times);
  RUN(path_join);
  RUN(parses_ranges_lists_and_long_names);
  RUN(merges_overlapping_windows);
  RUN(empty_is_empty);
  RUN(rejects_bad_input);
  RUN(day_names);
  RUN(usable_windows);
  return CHECK_DONE();
}
