/* planner/cli/cli_web.c -- hvplan users, hvplan audit and hvplan serve:
 * argument parsing and printing; the accounts are hv/users.h, the server
 * hv/web.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hv/users.h"
#include "hv/web.h"

/* ---- users ---------------------------------------------------------- */

int hv_cli_users(int argc, char **argv) {
  const char *dir = NULL, *login = NULL, *role = NULL, *staff = NULL;
  bool bad = argc < 2 || strcmp(argv[1], "add") != 0;
  for (int i = 2; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--login") == 0 && i + 1 < argc)
      login = argv[++i];
    else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
      role = argv[++i];
    else if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc)
      staff = argv[++i];
    else if (argv[i][0] != '-' && dir == NULL)
      dir = argv[i];
    else
      bad = true;
  }
  if (bad || !dir || !login || !role) {
    hv_cli_usage("users", stderr);
    return 64;
  }
  /* The password from standard input (one line), never an argument. */
  if (isatty(STDIN_FILENO))
    fprintf(stderr, "Password for %s (at least 10 characters): ", login);
  char pass[512];
  if (fgets(pass, sizeof pass, stdin) == NULL) {
    fprintf(stderr, "hvplan: error: no password on standard input\n");
    return 64;
  }
  pass[strcspn(pass, "\r\n")] = '\0';
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(dir, &db, &rc)) return rc;
  hv_error err = {0};
  hv_status st = hv_users_add(db, login, hv_role_parse(role), staff, pass,
                              "command line", &err);
  memset(pass, 0, sizeof pass);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else {
    printf("User %s (%s%s%s) saved in %s\n", login, role,
           staff ? ", staff " : "", staff ? staff : "", hv_store_path(db));
  }
  hv_store_close(db);
  return rc;
}

/* ---- audit ---------------------------------------------------------- */

static void print_audit(const hv_store_audit_row *r, void *ud) {
  (void)ud;
  printf("%s  %-14s %-18s %s\n", r->at, r->login, r->action, r->detail);
}

int hv_cli_audit(int argc, char **argv) {
  if (argc != 2 || argv[1][0] == '-') {
    hv_cli_usage("audit", stderr);
    return 64;
  }
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(argv[1], &db, &rc)) return rc;
  hv_error err = {0};
  hv_status st = hv_store_audit_each(db, print_audit, NULL, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  }
  hv_store_close(db);
  return rc;
}

/* ---- serve ---------------------------------------------------------- */

static volatile sig_atomic_t stop_serving;

static void on_signal(int sig) {
  (void)sig;
  stop_serving = 1;
}

static void ready(const char *url, void *ud) {
  (void)ud;
  printf("hvplan serve: listening on %s (Ctrl-C or SIGTERM to stop)\n", url);
  fflush(stdout);
}

int hv_cli_serve(int argc, char **argv) {
  hv_web_options o = {
      .listen = "127.0.0.1:8080", .stop = &stop_serving, .ready = ready};
  bool bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
      o.listen = argv[++i];
    else if (strcmp(argv[i], "--tls-cert") == 0 && i + 1 < argc)
      o.tls_cert = argv[++i];
    else if (strcmp(argv[i], "--tls-key") == 0 && i + 1 < argc)
      o.tls_key = argv[++i];
    else if (argv[i][0] != '-' && o.program_dir == NULL)
      o.program_dir = argv[i];
    else
      bad = true;
  }
  if (bad || !o.program_dir) {
    hv_cli_usage("serve", stderr);
    return 64;
  }
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(o.program_dir, &db, &rc)) return rc;
  o.store = db;
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  hv_error err = {0};
  hv_status st = hv_web_serve(&o, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else {
    printf("hvplan serve: stopped\n");
  }
  hv_store_close(db);
  return rc;
}
