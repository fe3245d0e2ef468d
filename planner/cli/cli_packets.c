/* planner/cli/cli_packets.c -- `hvplan packets OUT/plan.json`: checks a plan
 * a coordinator has edited against every planning rule, then regenerates
 * the route sheets, visit packets, roster.pdf, week.svg and calendars from
 * the scenario the plan names.  --force prints a plan that breaks rules,
 * every sheet marked "not checked". */
#define _XOPEN_SOURCE 700
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hv/print.h"

int hv_cli_packets(int argc, char **argv) {
  const char *plan_path = NULL, *scenario = NULL;
  bool a4 = false, force = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--a4") == 0) {
      a4 = true;
    } else if (strcmp(argv[i], "--force") == 0) {
      force = true;
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
    hv_cli_usage("packets", stderr);
    return 64;
  }
  hv_scenario *s;
  hv_plan *p;
  hv_status st = hv_cli_load_plan(plan_path, scenario, &s, &p);
  if (st != HV_OK) return hv_cli_exit_code(st);
  int rc = 0;
  bool ok = hv_cli_check_plan(p, plan_path, &rc);
  if (!ok && !force) {
    fprintf(stderr,
            "hvplan: nothing was printed; fix the plan, or print it "
            "anyway with --force (every sheet marked \"not "
            "checked\")\n");
  } else {
    if (!ok) {
      hv_plan_mark_unchecked(p);
      rc = 0;
    }
    char *copy = strdup(plan_path);
    const char *out = copy ? dirname(copy) : ".";
    hv_error err = {0};
    st = hv_plan_write_printed(p, out, a4, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    } else {
      printf(
          "Wrote route sheets and packets for %zu routes, roster.pdf, "
          "week.svg and calendars into %s%s\n",
          hv_plan_route_count(p), out, ok ? "" : " (marked \"not checked\")");
    }
    free(copy);
  }
  hv_plan_free(p);
  hv_scenario_free(s);
  return rc;
}
