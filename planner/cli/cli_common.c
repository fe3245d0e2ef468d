/* planner/cli/cli_common.c -- what every subcommand shares: printing
 * errors and diagnostics, loading a scenario, exit codes. */
#include <stdio.h>

#include "cli.h"
#include "hv/scenario.h"

void hv_cli_print_error(const hv_error *e) {
  char msg[1024];
  hv_error_format(e, msg, sizeof msg);
  fprintf(stderr, "hvplan: error: %s\n", msg);
}

hv_scenario *hv_cli_load_scenario(const char *dir, int *rc) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  hv_status st = d ? hv_scenario_load(dir, &s, d) : HV_E_NOMEM;
  if (st != HV_OK) hv_cli_print_diags(d);
  hv_diags_free(d);
  *rc = hv_cli_exit_code(st);
  return s;
}

int hv_cli_exit_code(hv_status st) {
  return st == HV_OK ? 0 : (int)st;
}

void hv_cli_print_diags(const hv_diags *d) {
  for (size_t i = 0; i < hv_diags_count(d); i++) {
    const hv_diag *g = hv_diags_get(d, i);
    /* Position first, then the severity, compiler style. */
    hv_error where = g->error;
    where.text[0] = '\0';
    char loc[512];
    hv_error_format(&where, loc, sizeof loc);
    fprintf(stderr, "%s%s: %s\n", loc,
            g->severity == HV_SEV_ERROR ? "error" : "warning", g->error.text);
  }
}
