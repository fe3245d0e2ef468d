/* planner/cli/cli_geocode.c -- `hvplan geocode DIR`: fills in missing
 * coordinates (hv_scenario_geocode) and lists the addresses a coordinator
 * must fix by hand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hv/geo.h"
#include "hv/planning.h"

static volatile int stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

typedef struct report_ctx {
  const hv_scenario *s;
  bool quiet;
} report_ctx;

static void on_report(const hv_geocode_report *r, void *ud) {
  const report_ctx *c = ud;
  const char *what = hv_geocode_status_text((hv_geocode_status)r->status);
  if (r->household < 0) {
    if (!c->quiet)
      printf("school: %.6f, %.6f (%s)\n", r->lat, r->lon, r->display);
    return;
  }
  const hv_household *hh = hv_scenario_household(c->s, (size_t)r->household);
  if (r->status == HV_GEOCODE_TOO_FAR)
    fprintf(stderr,
            "households.csv:%u:address: '%s': %s (%.1f km away, at "
            "%s); fix the address or enter lat/lon by hand\n",
            (unsigned)hh->line, hh->id, what, r->distance_km, r->display);
  else if (r->status == HV_GEOCODE_AMBIGUOUS)
    fprintf(stderr,
            "households.csv:%u:address: '%s': %s (%d matches far "
            "apart, first: %s); make the address more precise\n",
            (unsigned)hh->line, hh->id, what, r->matches, r->display);
  else
    fprintf(stderr,
            "households.csv:%u:address: '%s': %s; fix the address or "
            "enter lat/lon by hand\n",
            (unsigned)hh->line, hh->id, what);
}

int hv_cli_geocode(int argc, char **argv) {
  const char *dir = NULL;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
      quiet = true;
    } else if (argv[i][0] == '-' || dir) {
      hv_cli_usage("geocode", stderr);
      return 64;
    } else {
      dir = argv[i];
    }
  }
  if (dir == NULL) {
    hv_cli_usage("geocode", stderr);
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(dir, &rc);
  if (s == NULL) return rc;
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  report_ctx ctx = {s, quiet};
  hv_geocode_options o = {
      .report = on_report, .report_ud = &ctx, .stop = &stop};
  hv_geocode_totals t;
  hv_error err = {0};
  hv_status st = hv_scenario_geocode(s, &o, &t, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    if (t.failed_at >= 0)
      fprintf(stderr,
              "hvplan: the geocoder failed at household '%s'; results "
              "so far are kept; run 'hvplan geocode' again later\n",
              hv_scenario_household(s, (size_t)t.failed_at)->id);
    rc = hv_cli_exit_code(st);
  }
  if (!quiet && (st == HV_OK || t.failed_at >= 0))
    printf(
        "%zu address%s looked up: %zu found (%zu from the cache), %zu to fix "
        "by hand; %zu request%s sent\n",
        t.todo, t.todo == 1 ? "" : "es", t.found, t.cached, t.failed,
        t.requests, t.requests == 1 ? "" : "s");
  if (t.stopped) {
    fprintf(stderr, "hvplan: interrupted; results so far were saved\n");
    rc = 130;
  }
  hv_scenario_free(s);
  return rc;
}
