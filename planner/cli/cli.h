/* planner/cli/cli.h -- the hvplan command-line tool's subcommands.  Only the
 * CLI prints to the terminal and chooses exit codes. */
#ifndef HV_CLI_H
#define HV_CLI_H

#include <stdio.h>

#include "hv/error.h"
#include "hv/path.h"
#include "hv/scenario.h"

/* Each returns the process exit code. */
int hv_cli_validate(int argc, char **argv);
int hv_cli_solve(int argc, char **argv);
int hv_cli_plan(int argc, char **argv);
int hv_cli_geocode(int argc, char **argv);
int hv_cli_packets(int argc, char **argv);
int hv_cli_whatif(int argc, char **argv);

int hv_cli_check(int argc, char **argv);
int hv_cli_init(int argc, char **argv);
int hv_cli_record(int argc, char **argv);
int hv_cli_next(int argc, char **argv);
int hv_cli_history(int argc, char **argv);
int hv_cli_report(int argc, char **argv);
int hv_cli_flag(int argc, char **argv);
int hv_cli_users(int argc, char **argv);
int hv_cli_audit(int argc, char **argv);
int hv_cli_serve(int argc, char **argv);
int hv_cli_send(int argc, char **argv);

/* Opens DIR's program database (or the one its scenario names); prints why
 * not and sets *rc when it cannot. */
#include <stdbool.h>
#include "hv/store.h"
bool hv_cli_open_program(const char *dir, hv_store **db, int *rc);

/* A subcommand: its name, entry point, one-line summary and usage text. */
typedef struct hv_cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
  const char *usage;
} hv_cli_command;

/* The subcommand called name, or NULL. */
const hv_cli_command *hv_cli_find(const char *name);
/* Prints name's usage text on f. */
void hv_cli_usage(const char *name, FILE *f);
/* Prints "  name  summary" for every subcommand on f. */
void hv_cli_list(FILE *f);

/* Loads a scenario; on errors prints them and returns NULL with *rc set to
 * the exit code. */
hv_scenario *hv_cli_load_scenario(const char *dir, int *rc);

/* Loads a plan.json and its scenario (scenario_dir, or the one the plan
 * names); on errors prints them and returns their status. */
#include "hv/plan.h"
hv_status hv_cli_load_plan(const char *plan_path, const char *scenario_dir,
                           hv_scenario **s, hv_plan **p);
/* Checks p against every planning rule, printing each broken one; false
 * (with *rc the exit code) when any is broken or the check failed. */
bool hv_cli_check_plan(const hv_plan *p, const char *plan_path, int *rc);

/* Prints every diagnostic as "file:line:field: error: text" on stderr. */
void hv_cli_print_diags(const hv_diags *d);
/* Prints "hvplan: error: <formatted error>" on stderr. */
void hv_cli_print_error(const hv_error *e);
/* Exit code for a status: 0 for HV_OK, the status number otherwise. */
int hv_cli_exit_code(hv_status st);

#endif /* HV_CLI_H */
