/* planner/cli/main.c -- entry point of the hvplan tool: dispatches to the
 * subcommands in cli_*.c. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cli.h"
#include "hv/geo.h"
#include "hv/print.h"
#include "hv/scenario.h"
#include "hv/version.h"

static void usage(FILE *f) {
  fprintf(
      f,
      "usage: hvplan COMMAND [ARGS]\n"
      "\n"
      "Plans a week of home visits for pairs of school staff.\n"
      "\n"
      "commands:\n"
      "  plan DIR -o OUT  plan the week: plan.json, roster.csv, unvisited.csv\n"
      "  packets OUT/plan.json  regenerate route sheets, packets, calendars\n"
      "  whatif DIR -o OUT --pairs 2..8  coverage by staffing level\n"
      "  validate DIR     check a scenario folder and summarise it\n"
      "  geocode DIR      look up missing coordinates (only addresses are "
      "sent)\n"
      "  solve --solomon FILE  run the routing engine on a VRPTW benchmark\n"
      "  help             show this text\n"
      "  version          show the version\n"
      "\n"
      "See README.md and docs/scenario-format.md.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 64;
  }
  const char *cmd = argv[1];
  if (hv_geo_global_init() != HV_OK) {
    fprintf(stderr, "hvplan: error: cannot initialise libcurl\n");
    return 70;
  }
  atexit(hv_geo_global_cleanup);
  atexit(hv_print_global_cleanup);
  if (strcmp(cmd, "validate") == 0) return hv_cli_validate(argc - 1, argv + 1);
  if (strcmp(cmd, "geocode") == 0) return hv_cli_geocode(argc - 1, argv + 1);
  if (strcmp(cmd, "packets") == 0) return hv_cli_packets(argc - 1, argv + 1);
  if (strcmp(cmd, "whatif") == 0) return hv_cli_whatif(argc - 1, argv + 1);
  if (strcmp(cmd, "plan") == 0) return hv_cli_plan(argc - 1, argv + 1);
  if (strcmp(cmd, "solve") == 0) return hv_cli_solve(argc - 1, argv + 1);
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("hvplan %s\n", HV_VERSION);
    return 0;
  }
  fprintf(stderr, "hvplan: unknown command '%s'\n\n", cmd);
  usage(stderr);
  return 64;
}
