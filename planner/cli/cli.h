/* planner/cli/cli.h -- the hvplan command-line tool's subcommands.  Only the
 * CLI prints to the terminal and chooses exit codes. */
#ifndef HV_CLI_H
#define HV_CLI_H

#include "hv/error.h"
#include "hv/scenario.h"

/* Each returns the process exit code. */
int hv_cli_validate(int argc, char **argv);
int hv_cli_solve(int argc, char **argv);
int hv_cli_plan(int argc, char **argv);
int hv_cli_geocode(int argc, char **argv);
int hv_cli_packets(int argc, char **argv);
int hv_cli_whatif(int argc, char **argv);

/* Loads a scenario; on errors prints them and returns NULL with *rc set to
 * the exit code. */
hv_scenario *hv_cli_load_scenario(const char *dir, int *rc);

/* Prints every diagnostic as "file:line:field: error: text" on stderr. */
void hv_cli_print_diags(const hv_diags *d);
/* Prints "hvplan: error: <formatted error>" on stderr. */
void hv_cli_print_error(const hv_error *e);
/* Exit code for a status: 0 for HV_OK, the status number otherwise. */
int hv_cli_exit_code(hv_status st);

#endif /* HV_CLI_H */
