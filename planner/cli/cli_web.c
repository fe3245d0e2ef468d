/* planner/cli/cli_web.c -- hvplan users, hvplan audit and hvplan serve:
 * argument parsing and printing; the accounts are hv/users.h, the server
 * hv/web.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hv/print.h"
#include "hv/users.h"
#include "hv/web.h"

/* ---- users ---------------------------------------------------------- */

static void print_user(const hv_store_user *u, void *ud) {
  (void)ud;
  printf("%-20s %-12s %-10s %s\n", u->login, u->role,
         u->staff[0] ? u->staff : "-",
         u->locked_until[0] ? u->locked_until : "-");
}

/* hvplan users list DIR and hvplan users remove DIR --login NAME. */
static int users_list_or_remove(const char *dir, const char *login) {
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(dir, &db, &rc)) return rc;
  hv_error err = {0};
  hv_status st;
  if (login) {
    st = hv_users_remove(db, login, "command line", &err);
    if (st == HV_OK)
      printf("User %s removed from %s\n", login, hv_store_path(db));
  } else {
    printf("%-20s %-12s %-10s %s\n", "login", "role", "staff", "locked until");
    st = hv_store_users_each(db, print_user, NULL, &err);
  }
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  }
  hv_store_close(db);
  return rc;
}

int hv_cli_users(int argc, char **argv) {
  const char *dir = NULL, *login = NULL, *role = NULL, *staff = NULL;
  const char *verb = argc >= 2 ? argv[1] : "";
  bool add = strcmp(verb, "add") == 0, remove = strcmp(verb, "remove") == 0,
       list = strcmp(verb, "list") == 0;
  bool bad = !add && !remove && !list;
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
  if (bad || !dir || (add && (!login || !role)) ||
      (remove && (!login || role || staff)) ||
      (list && (login || role || staff))) {
    hv_cli_usage("users", stderr);
    return 64;
  }
  if (!add) return users_list_or_remove(dir, remove ? login : NULL);
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

/* ---- send ----------------------------------------------------------- */

static void send_report(const char *staff, const char *to, const char *files,
                        const char *status, void *ud) {
  (void)ud;
  printf("%-6s %-32s %s\n       %s\n", staff, to[0] ? to : "(no address)",
         status, files);
}

int hv_cli_send(int argc, char **argv) {
  const char *out = NULL, *scenario = NULL, *pwfile = NULL;
  hv_send_options o = {.report = send_report};
  bool bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--smtp") == 0 && i + 1 < argc)
      o.smtp_url = argv[++i];
    else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
      o.from = argv[++i];
    else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
      o.user = argv[++i];
    else if (strcmp(argv[i], "--password-file") == 0 && i + 1 < argc)
      pwfile = argv[++i];
    else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc)
      scenario = argv[++i];
    else if (strcmp(argv[i], "--dry-run") == 0)
      o.dry_run = true;
    else if (argv[i][0] != '-' && out == NULL)
      out = argv[i];
    else
      bad = true;
  }
  if (bad || !out || !o.smtp_url || !o.from) {
    hv_cli_usage("send", stderr);
    return 64;
  }
  char password[256] = "";
  if (pwfile) {
    FILE *f = fopen(pwfile, "r");
    if (f == NULL || fgets(password, sizeof password, f) == NULL) {
      fprintf(stderr, "hvplan: error: %s: cannot read the password\n", pwfile);
      if (f) fclose(f);
      return 2;
    }
    fclose(f);
    password[strcspn(password, "\r\n")] = '\0';
    o.password = password;
  }
  char plan_path[4200];
  if (!hv_path_join(plan_path, sizeof plan_path, out, "plan.json")) {
    fprintf(stderr, "hvplan: error: %s: path too long\n", out);
    return 64;
  }
  hv_scenario *s;
  hv_plan *p;
  hv_status st = hv_cli_load_plan(plan_path, scenario, &s, &p);
  if (st != HV_OK) return hv_cli_exit_code(st);
  int rc = 0;
  if (hv_cli_check_plan(p, plan_path, &rc)) {
    hv_send_summary sum;
    hv_error err = {0};
    st = hv_plan_send(p, out, &o, &sum, &err);
    memset(password, 0, sizeof password);
    if (o.dry_run)
      printf("Dry run: nothing was sent.\n");
    else
      printf("Sent to %zu staff member%s; %zu not sent, %zu failed.\n",
             sum.sent, sum.sent == 1 ? "" : "s", sum.skipped, sum.failed);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    }
  }
  hv_plan_free(p);
  hv_scenario_free(s);
  return rc;
}
