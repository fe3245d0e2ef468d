/* planner/cli/cli_cycle.c -- the weekly cycle's commands: init, record,
 * next and history.  Parsing and printing only; the work is in hv/cycle.h
 * and hv/store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hv/cycle.h"
#include "hv/flag.h"
#include "hv/print.h"
#include "hv/values.h"

/* The program database for folder dir: dir/program.sqlite, or the one its
 * scenario.json names ("program").  Prints the problem and returns false
 * when there is none. */
bool hv_cli_open_program(const char *dir, hv_store **db, int *rc) {
  char path[4200];
  struct stat sb;
  hv_error err = {0};
  if (!hv_path_join(path, sizeof path, dir, HV_STORE_FILE) ||
      stat(path, &sb) != 0) {
    hv_diags *d = hv_diags_create();
    hv_scenario *s = NULL;
    if (d && hv_scenario_load(dir, &s, d) == HV_OK && s &&
        hv_cycle_db_path(s, path, sizeof path)) {
      if (stat(path, &sb) != 0) path[0] = '\0';
    } else {
      path[0] = '\0';
    }
    hv_scenario_free(s);
    hv_diags_free(d);
    if (path[0] == '\0') {
      fprintf(stderr,
              "hvplan: error: %s: no program database (%s) here: run "
              "'hvplan init %s' first\n",
              dir, HV_STORE_FILE, dir);
      *rc = hv_cli_exit_code(HV_E_STORE);
      return false;
    }
  }
  hv_status st = hv_store_open(path, false, db, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    *rc = hv_cli_exit_code(st);
    return false;
  }
  return true;
}

/* ---- init ----------------------------------------------------------- */

int hv_cli_init(int argc, char **argv) {
  if (argc != 2 || argv[1][0] == '-') {
    hv_cli_usage("init", stderr);
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(argv[1], &rc);
  if (s == NULL) return rc;
  char path[4200];
  struct stat sb;
  /* (A path too long for the buffer: hv_cycle_open says so below.) */
  bool existed = hv_cycle_db_path(s, path, sizeof path) && stat(path, &sb) == 0;
  hv_store *db = NULL;
  hv_error err = {0};
  hv_status st = hv_cycle_open(s, true, &db, &err);
  if (st == HV_OK) st = hv_store_begin(db, &err);
  if (st == HV_OK) {
    st = hv_cycle_import(db, s, &err);
    if (st == HV_OK)
      st = hv_store_commit(db, &err);
    else
      hv_store_rollback(db);
  }
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else {
    printf("%s %s (schema version %d): %zu households, %zu staff\n",
           existed ? "Updated" : "Created", path, hv_store_version(db),
           hv_scenario_household_count(s), hv_scenario_staff_count(s));
  }
  hv_store_close(db);
  hv_scenario_free(s);
  return rc;
}

/* ---- record --------------------------------------------------------- */

int hv_cli_record(int argc, char **argv) {
  const char *dir = NULL, *week = NULL, *log = NULL, *calls = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--week") == 0 && i + 1 < argc)
      week = argv[++i];
    else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc)
      log = argv[++i];
    else if (strcmp(argv[i], "--contacts") == 0 && i + 1 < argc)
      calls = argv[++i];
    else if (argv[i][0] != '-' && dir == NULL)
      dir = argv[i];
    else
      dir = NULL, i = argc;
  }
  if (dir == NULL || (log == NULL && calls == NULL) || (log && !week)) {
    hv_cli_usage("record", stderr);
    return 64;
  }
  int rc = 0;
  hv_scenario *s = NULL;
  hv_plan *p = NULL;
  if (week && hv_cli_load_plan(week, NULL, &s, &p) != HV_OK) return 2;
  hv_diags *d = hv_diags_create();
  hv_visit_log *vl = NULL, *cl = NULL;
  hv_status st = HV_OK;
  if (log) {
    const char *base = strrchr(log, '/');
    st = hv_visit_log_read(log, base ? base + 1 : log, &vl, d);
  }
  if (st == HV_OK && calls) {
    const char *base = strrchr(calls, '/');
    st = hv_contact_log_read(calls, base ? base + 1 : calls, &cl, d);
  }
  hv_store *db = NULL;
  hv_record_summary sum;
  hv_error err = {0};
  if (st != HV_OK) {
    /* Not readable at all. */
    hv_cli_print_diags(d);
    rc = hv_cli_exit_code(st);
  } else if (hv_cli_open_program(dir, &db, &rc)) {
    /* Every row is checked, also when the reader found problems, so that
     * all of them are listed at once. */
    st = hv_cycle_record(db, p, vl, cl, &sum, d, &err);
    hv_cli_print_diags(d);
    if (st == HV_E_INPUT) {
      fprintf(stderr, "hvplan: %zu problem%s: nothing recorded\n",
              hv_diags_errors(d), hv_diags_errors(d) == 1 ? "" : "s");
      rc = hv_cli_exit_code(st);
    } else if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    } else {
      if (vl)
        printf("Visits: %zu recorded, %zu unchanged, %zu corrected",
               sum.recorded, sum.unchanged, sum.corrected);
      if (vl && (sum.declined || sum.moved))
        printf(" (%zu declined, %zu moved)", sum.declined, sum.moved);
      if (vl) printf("\n");
      if (cl)
        printf("Contact attempts: %zu recorded, %zu unchanged, %zu corrected\n",
               sum.calls_recorded, sum.calls_unchanged, sum.calls_corrected);
    }
  }
  hv_store_close(db);
  hv_visit_log_free(vl);
  hv_visit_log_free(cl);
  hv_diags_free(d);
  hv_plan_free(p);
  hv_scenario_free(s);
  return rc;
}

/* ---- next ----------------------------------------------------------- */

int hv_cli_next(int argc, char **argv) {
  const char *dir = NULL, *out = NULL, *week = NULL;
  hv_next_options o;
  hv_next_options_init(&o);
  bool bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--week-of") == 0 && i + 1 < argc) {
      week = argv[++i];
    } else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) &&
               i + 1 < argc) {
      out = argv[++i];
    } else if (strcmp(argv[i], "--max-attempts") == 0 && i + 1 < argc) {
      long n;
      bad = !hv_parse_long(argv[++i], &n) || n < 1 || n > 20;
      o.max_attempts = (int)n;
    } else if (argv[i][0] != '-' && dir == NULL) {
      dir = argv[i];
    } else {
      bad = true;
    }
  }
  if (bad || !dir || !out || !week) {
    hv_cli_usage("next", stderr);
    return 64;
  }
  if (!hv_date_parse(week, &o.week_of)) {
    fprintf(stderr,
            "hvplan: error: --week-of: '%s' is not a date (YYYY-MM-DD)\n",
            week);
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(dir, &rc);
  if (s == NULL) return rc;
  if (!hv_cycle_has_program(s)) {
    fprintf(stderr,
            "hvplan: error: %s: no program database (%s): run 'hvplan init "
            "%s' first\n",
            dir, HV_STORE_FILE, dir);
    hv_scenario_free(s);
    return hv_cli_exit_code(HV_E_STORE);
  }
  hv_store *db = NULL;
  hv_error err = {0};
  hv_next_change *ch = NULL;
  size_t n = 0;
  hv_status st = hv_cycle_open(s, false, &db, &err);
  if (st == HV_OK) st = hv_cycle_next(db, s, &o, out, &ch, &n, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else {
    size_t planned = 0;
    for (size_t i = 0; i < n; i++)
      planned += ch[i].planned;
    char wk[HV_DATE_TEXT];
    printf("Week of %s: %zu households to plan in %s/households.csv\n",
           hv_date_format(o.week_of, wk), planned, out);
    static const hv_next_kind order[] = {
        HV_NEXT_FOLLOW_UP, HV_NEXT_RETRY,    HV_NEXT_AGAIN, HV_NEXT_OFFICE,
        HV_NEXT_MOVED,     HV_NEXT_DECLINED, HV_NEXT_MET};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
      for (size_t i = 0; i < n; i++)
        if (ch[i].kind == order[k])
          printf("  %-10s %-9s %s\n", ch[i].household,
                 hv_next_kind_name(ch[i].kind), ch[i].text);
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++)
      fresh += ch[i].kind == HV_NEXT_NEW;
    if (fresh) printf("  and %zu flagged households not visited yet\n", fresh);
    printf("Next: hvplan plan %s -o OUT\n", out);
  }
  free(ch);
  hv_store_close(db);
  hv_scenario_free(s);
  return rc;
}

/* ---- history -------------------------------------------------------- */

static void csv_cell(const char *v, bool last) {
  bool quote = strpbrk(v, ",\"\r\n") != NULL;
  if (quote) {
    putchar('"');
    for (const char *c = v; *c; c++) {
      if (*c == '"') putchar('"');
      putchar(*c);
    }
    putchar('"');
  } else {
    fputs(v, stdout);
  }
  fputs(last ? "\r\n" : ",", stdout);
}

static void print_event(const hv_store_event *e, void *ud) {
  bool csv = *(const bool *)ud;
  char attempt[16] = "";
  if (e->attempt > 0) snprintf(attempt, sizeof attempt, "%d", e->attempt);
  if (csv) {
    char rev[16];
    snprintf(rev, sizeof rev, "%d", e->revisions);
    const char *v[] = {
        e->date,           e->time,  e->kind,     e->result,    e->staff,
        e->pair,           attempt,  e->barriers, e->referrals, e->next_step,
        e->follow_up_date, e->notes, rev};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
      csv_cell(v[i], i + 1 == sizeof v / sizeof v[0]);
    return;
  }
  printf("%s %-5s  %-8s %-12s %s%s%s%s\n", e->date, e->time, e->kind, e->result,
         e->staff, e->pair[0] ? " (pair " : "", e->pair, e->pair[0] ? ")" : "");
  if (e->attempt > 1) printf("      attempt %d\n", e->attempt);
  if (e->barriers[0]) printf("      barriers: %s\n", e->barriers);
  if (e->referrals[0]) printf("      referrals: %s\n", e->referrals);
  if (e->next_step[0]) printf("      next step: %s\n", e->next_step);
  if (e->follow_up_date[0]) printf("      follow-up: %s\n", e->follow_up_date);
  if (e->notes[0]) printf("      notes: %s\n", e->notes);
  if (e->revisions > 0)
    printf("      (corrected %d time%s)\n", e->revisions,
           e->revisions == 1 ? "" : "s");
}

int hv_cli_history(int argc, char **argv) {
  const char *dir = NULL, *hh = NULL;
  bool csv = false, bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--household") == 0 && i + 1 < argc)
      hh = argv[++i];
    else if (strcmp(argv[i], "--csv") == 0)
      csv = true;
    else if (argv[i][0] != '-' && dir == NULL)
      dir = argv[i];
    else
      bad = true;
  }
  if (bad || !dir || !hh) {
    hv_cli_usage("history", stderr);
    return 64;
  }
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(dir, &db, &rc)) return rc;
  hv_error err = {0};
  bool found = false;
  hv_store_status status;
  hv_status st = hv_store_get_status(db, hh, &status, &found, &err);
  if (st == HV_OK && found) {
    if (csv)
      printf(
          "date,time,kind,result,staff,pair,attempt,barriers,referrals,"
          "next_step,follow_up_date,notes,revisions\r\n");
    else
      printf("Household %s (%s)\n", hh, hv_store_status_name(status));
    st = hv_store_history(db, hh, print_event, &csv, &found, &err);
  }
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else if (!found) {
    fprintf(stderr, "hvplan: error: --household: '%s' is not in %s\n", hh,
            hv_store_path(db));
    rc = hv_cli_exit_code(HV_E_INPUT);
  }
  hv_store_close(db);
  return rc;
}

/* ---- report --------------------------------------------------------- */

int hv_cli_report(int argc, char **argv) {
  const char *dir = NULL, *hh = NULL, *from = NULL, *to = NULL, *out = NULL;
  bool a4 = false, bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--household") == 0 && i + 1 < argc)
      hh = argv[++i];
    else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
      from = argv[++i];
    else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
      to = argv[++i];
    else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) &&
             i + 1 < argc)
      out = argv[++i];
    else if (strcmp(argv[i], "--a4") == 0)
      a4 = true;
    else if (argv[i][0] != '-' && dir == NULL)
      dir = argv[i];
    else
      bad = true;
  }
  if (bad || !dir || !out || (hh == NULL) == (from == NULL && to == NULL) ||
      (!hh && (!from || !to))) {
    hv_cli_usage("report", stderr);
    return 64;
  }
  hv_date a, b;
  if (!hh && (!hv_date_parse(from, &a) || !hv_date_parse(to, &b) ||
              hv_date_cmp(a, b) > 0)) {
    fprintf(stderr,
            "hvplan: error: --from/--to: give two dates YYYY-MM-DD, the "
            "first not after the second\n");
    return 64;
  }
  int rc = 0;
  hv_store *db = NULL;
  if (!hv_cli_open_program(dir, &db, &rc)) return rc;
  /* The program's name, from its scenario when it has one. */
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  if (d) hv_scenario_load(dir, &s, d);
  const char *name = s ? hv_scenario_name(s) : "";
  hv_error err = {0};
  hv_status st =
      hh ? hv_report_household(db, hh, name, out, a4, &err)
         : hv_report_program(db, from, to, name,
                             s ? hv_scenario_attendance(s)->threshold : 0.10,
                             out, a4, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else if (hh) {
    printf("Wrote %s: the contact-attempt record of household %s\n", out, hh);
  } else {
    printf(
        "Wrote %s/summary.pdf, summary.csv, barriers.svg, barriers.png "
        "(%s to %s)\n",
        out, from, to);
  }
  hv_scenario_free(s);
  hv_diags_free(d);
  hv_store_close(db);
  return rc;
}

/* ---- flag ----------------------------------------------------------- */

int hv_cli_flag(int argc, char **argv) {
  const char *dir = NULL, *export = NULL, *calls = NULL, *explain = NULL;
  bool bad = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--attendance") == 0 && i + 1 < argc)
      export = argv[++i];
    else if (strcmp(argv[i], "--contacts") == 0 && i + 1 < argc)
      calls = argv[++i];
    else if (strcmp(argv[i], "--explain") == 0 && i + 1 < argc)
      explain = argv[++i];
    else if (argv[i][0] != '-' && dir == NULL)
      dir = argv[i];
    else
      bad = true;
  }
  if (bad || !dir || !export) {
    hv_cli_usage("flag", stderr);
    return 64;
  }
  int rc = 0;
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  hv_attendance *att = NULL;
  hv_visit_log *cl = NULL;
  hv_store *db = NULL;
  hv_flag_result *res = NULL;
  hv_error err = {0};
  hv_status st = d ? hv_scenario_load_settings(dir, &s, d) : HV_E_NOMEM;
  const char *base = strrchr(export, '/');
  if (st == HV_OK)
    st = hv_attendance_read(export, base ? base + 1 : export,
                            hv_scenario_attendance(s), &att, d);
  if (st == HV_OK && calls) {
    const char *cb = strrchr(calls, '/');
    st = hv_contact_log_read(calls, cb ? cb + 1 : calls, &cl, d);
  }
  if (st == HV_OK && hv_cycle_has_program(s))
    st = hv_cycle_open(s, false, &db, &err);
  if (st == HV_OK && hv_diags_errors(d) == 0)
    st = hv_flag_run(s, att, cl, db, &res, d, &err);
  hv_cli_print_diags(d);
  if (st != HV_OK && hv_diags_errors(d) == 0) hv_cli_print_error(&err);
  if (st != HV_OK || hv_diags_errors(d) > 0) {
    if (hv_diags_errors(d) > 0)
      fprintf(stderr, "hvplan: %zu problem%s: households.csv not written\n",
              hv_diags_errors(d), hv_diags_errors(d) == 1 ? "" : "s");
    rc = hv_cli_exit_code(st != HV_OK ? st : HV_E_INPUT);
  } else if (explain) {
    char text[8192];
    if (hv_flag_explain(res, s, explain, text, sizeof text)) {
      fputs(text, stdout);
    } else {
      fprintf(stderr,
              "hvplan: error: --explain: '%s' is not flagged or in "
              "households.csv\n",
              explain);
      rc = hv_cli_exit_code(HV_E_INPUT);
    }
  } else {
    st = hv_flag_write(res, s, db, base ? base + 1 : export, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    } else {
      size_t c[4] = {0};
      for (size_t i = 0; i < res->nhouseholds; i++)
        c[res->households[i].status]++;
      char as_of[HV_DATE_TEXT];
      printf(
          "%s: %zu students read (%s), as of %s; %zu flagged in %zu "
          "households (%zu new, %zu already listed)\n",
          base ? base + 1 : export, res->nstudents,
          hv_attendance_shape_of(att) == HV_ATT_PER_STUDENT
              ? "one row per student"
              : "one row per absence",
          hv_date_format(res->as_of, as_of), res->flagged_students,
          c[HV_FLAG_NEW] + c[HV_FLAG_KEPT], c[HV_FLAG_NEW], c[HV_FLAG_KEPT]);
      for (size_t i = 0; i < res->nhouseholds; i++) {
        const hv_flag_household *fh = &res->households[i];
        if (fh->status == HV_FLAG_DROPPED)
          printf("  %-12s %s; left out of households.csv\n", fh->id, fh->why);
        else if (fh->address_changed)
          printf("  %-12s the address changed: run 'hvplan geocode %s'\n",
                 fh->id, dir);
      }
      printf("Wrote %s/households.csv%s\n", dir,
             db ? " and the attendance in program.sqlite" : "");
    }
  }
  hv_flag_free(res);
  hv_store_close(db);
  hv_visit_log_free(cl);
  hv_attendance_free(att);
  hv_scenario_free(s);
  hv_diags_free(d);
  return rc;
}
