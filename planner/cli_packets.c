/* planner/cli_packets.c -- `hvplan packets OUT/plan.json`: regenerates the
 * route sheets, visit packets, roster.pdf, week.svg and calendars after a
 * coordinator has edited the plan, from the scenario the plan names. */
#define _XOPEN_SOURCE 700
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hv/plan.h"

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
    fprintf(stderr, "usage: hvplan packets OUT/plan.json [--scenario DIR] [--a4]\n");
    return 64;
  }
  char *dirname_copy = strdup(plan_path);
  char *out = dirname_copy ? dirname(dirname_copy) : NULL;
  json_t *root = NULL;
  if (scenario == NULL) {
    json_error_t je;
    root = json_load_file(plan_path, 0, &je);
    const char *sd = root ? json_string_value(json_object_get(root, "scenario_dir")) : NULL;
    if (sd == NULL) {
      fprintf(stderr, "hvplan: error: %s:%d:%d: %s\n", plan_path, je.line, je.column,
              root ? "no \"scenario_dir\": give --scenario DIR" : je.text);
      json_decref(root);
      free(dirname_copy);
      return root ? 64 : hv_cli_exit_code(HV_E_PARSE);
    }
    scenario = sd;
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
      printf("Wrote route sheets and packets for %zu routes, roster.pdf, week.svg "
             "and calendars into %s\n",
             p->nroutes, out);
    }
    hv_plan_free(p);
  }
  hv_scenario_free(s);
  hv_diags_free(d);
  json_decref(root);
  free(dirname_copy);
  return rc;
}
