/* planner/cli/cli_check.c -- `hvplan check OUT/plan.json`: a plan (perhaps
 * edited by hand) against every planning rule (hv_plan_check); and the
 * loading shared with `hvplan packets`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hv/planning.h"

hv_status hv_cli_load_plan(const char *plan_path, const char *scenario_dir,
                           hv_scenario **s, hv_plan **p) {
  *s = NULL;
  *p = NULL;
  char sdir[4096];
  hv_error err = {0};
  hv_status st = HV_OK;
  if (scenario_dir == NULL) {
    st = hv_plan_scenario_dir(plan_path, sdir, sizeof sdir, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      return st;
    }
    scenario_dir = sdir;
  }
  int rc = 0;
  *s = hv_cli_load_scenario(scenario_dir, &rc);
  if (*s == NULL) return (hv_status)rc;
  st = hv_plan_load(*s, plan_path, p, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    hv_scenario_free(*s);
    *s = NULL;
  }
  return st;
}

bool hv_cli_check_plan(const hv_plan *p, const char *plan_path, int *rc) {
  hv_diags *d = hv_diags_create();
  hv_error err = {0};
  hv_status st = d ? hv_plan_check(p, plan_path, d, &err) : HV_E_NOMEM;
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    *rc = hv_cli_exit_code(st);
    hv_diags_free(d);
    return false;
  }
  hv_cli_print_diags(d);
  size_t errors = hv_diags_errors(d);
  hv_diags_free(d);
  if (errors > 0) {
    fprintf(stderr, "%s: %zu broken rule%s\n", plan_path, errors,
            errors == 1 ? "" : "s");
    *rc = hv_cli_exit_code(HV_E_INPUT);
    return false;
  }
  return true;
}

int hv_cli_check(int argc, char **argv) {
  const char *plan_path = NULL, *scenario = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
      scenario = argv[++i];
    } else if (argv[i][0] != '-' && plan_path == NULL) {
      plan_path = argv[i];
    } else {
      plan_path = NULL;
      break;
    }
  }
  if (plan_path == NULL) {
    hv_cli_usage("check", stderr);
    return 64;
  }
  hv_scenario *s;
  hv_plan *p;
  hv_status st = hv_cli_load_plan(plan_path, scenario, &s, &p);
  if (st != HV_OK) return hv_cli_exit_code(st);
  int rc = 0;
  if (hv_cli_check_plan(p, plan_path, &rc)) {
    size_t visits = 0;
    for (size_t r = 0; r < hv_plan_route_count(p); r++)
      visits += hv_plan_route_at(p, r)->nstops;
    size_t calls = hv_plan_call_count(p);
    printf("%s: every planning rule holds (%zu routes, %zu visits", plan_path,
           hv_plan_route_count(p), visits);
    if (calls > 0) printf(", %zu video call%s", calls, calls == 1 ? "" : "s");
    printf(")\n");
  }
  hv_plan_free(p);
  hv_scenario_free(s);
  return rc;
}
