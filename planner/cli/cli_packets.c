/* planner/cli/cli_packets.c -- `hvplan packets OUT/plan.json`: regenerates the
 * route sheets, visit packets, roster.pdf, week.svg and calendars after a
 * coordinator has edited the plan, from the scenario the plan names. */
#define _XOPEN_SOURCE 700
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hv/print.h"

int hv_cli_packets(int argc, char **argv) {
  const char *plan_path = NULL, *scenario = NULL;
  bool a4 = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--a4") == 0) {
      a4 = true;
    } else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
      scenario = argv[++i];
    } else if (argv[i][0] != '-' && plan_path == NULL) {
      plan_path = argv[i];
    } else {
      plan_path = NULL;
      break;
    }
  }
  if (plan_path == NULL) {
    fprintf(stderr,
            "usage: hvplan packets OUT/plan.json [--scenario DIR] [--a4]\n");
    return 64;
  }
  char *dirname_copy = strdup(plan_path);
  char *out = dirname_copy ? dirname(dirname_copy) : NULL;
  char sdir[4096];
  if (scenario == NULL) {
    hv_error err = {0};
    hv_status st = hv_plan_scenario_dir(plan_path, sdir, sizeof sdir, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      free(dirname_copy);
      return st == HV_E_PARSE ? hv_cli_exit_code(st) : 64;
    }
    scenario = sdir;
  }
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  hv_status st = hv_scenario_load(scenario, &s, d);
  int rc = 0;
  if (st != HV_OK) {
    hv_cli_print_diags(d);
    rc = hv_cli_exit_code(st);
  } else {
    hv_error err = {0};
    hv_plan *p = NULL;
    st = hv_plan_load(s, plan_path, &p, &err);
    if (st == HV_OK) st = hv_plan_write_printed(p, out, a4, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    } else {
      printf(
          "Wrote route sheets and packets for %zu routes, roster.pdf, week.svg "
          "and calendars into %s\n",
          hv_plan_route_count(p), out);
    }
    hv_plan_free(p);
  }
  hv_scenario_free(s);
  hv_diags_free(d);
  free(dirname_copy);
  return rc;
}
