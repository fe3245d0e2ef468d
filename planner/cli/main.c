/* planner/cli/main.c -- entry point of the hvplan tool: dispatches to the
 * subcommands of cli_usage.c's table; every subcommand answers --help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hv/geo.h"
#include "hv/print.h"
#include "hv/version.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: hvplan COMMAND [ARGS]\n"
          "\n"
          "Plans a week of home visits for pairs of school staff.\n"
          "\n"
          "commands:\n");
  hv_cli_list(f);
  fprintf(f,
          "  help CMD  show CMD's usage (also: hvplan CMD --help)\n"
          "  version   show the version\n"
          "\n"
          "See README.md and docs/scenario-format.md.\n");
}

static bool asks_help(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return true;
  return false;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 64;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0) {
    if (argc > 2 && hv_cli_find(argv[2]) == NULL) {
      fprintf(stderr, "hvplan: unknown command '%s'\n\n", argv[2]);
      usage(stderr);
      return 64;
    }
    if (argc > 2)
      hv_cli_usage(argv[2], stdout);
    else
      usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("hvplan %s\n", HV_VERSION);
    return 0;
  }
  const hv_cli_command *c = hv_cli_find(cmd);
  if (c == NULL) {
    fprintf(stderr, "hvplan: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 64;
  }
  if (asks_help(argc, argv)) {
    hv_cli_usage(cmd, stdout);
    return 0;
  }
  if (hv_geo_global_init() != HV_OK) {
    fprintf(stderr, "hvplan: error: cannot initialise libcurl\n");
    return 70;
  }
  atexit(hv_geo_global_cleanup);
  atexit(hv_print_global_cleanup);
  return c->run(argc - 1, argv + 1);
}
