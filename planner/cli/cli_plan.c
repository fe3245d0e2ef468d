/* planner/cli/cli_plan.c -- `hvplan plan DIR -o OUT`: the main job.  Reads and
 * checks the scenario, plans the week, writes the outputs together, and
 * prints a summary a coordinator can read at a glance. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hv/cycle.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "hv/values.h"

static volatile sig_atomic_t interrupted;
static volatile int stop_flag;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
  stop_flag = 1;
}

static void show_progress(double seconds, size_t visited, size_t total,
                          long priority, double travel_min, void *ud) {
  (void)ud;
  fprintf(stderr,
          "\r  %6.1f s  best so far: %zu/%zu households, priority %ld, "
          "travel %.1f h   ",
          seconds, visited, total, priority, travel_min / 60.0);
  fflush(stderr);
}

static void usage(void) {
  hv_cli_usage("plan", stderr);
}

static void print_summary(const hv_plan *p, const char *out, bool printed) {
  const hv_scenario *s = hv_plan_scenario(p);
  hv_plan_summary sum = hv_plan_summary_of(p);
  char monday[HV_DATE_TEXT];
  printf("Plan for '%s': week of Monday %s\n", hv_scenario_name(s),
         hv_date_format(hv_scenario_monday(s), monday));
  printf(
      "Visited %zu of %zu households (%.0f%%); priority covered %ld of %ld "
      "(%.0f%%); travel %.1f h\n",
      sum.visited, sum.households,
      sum.households ? 100.0 * sum.visited / sum.households : 0.0,
      sum.priority_covered, sum.priority_total,
      sum.priority_total ? 100.0 * sum.priority_covered / sum.priority_total
                         : 0.0,
      sum.travel_minutes / 60.0);
  if (sum.priority_bound > 0) {
    long gap = sum.priority_bound - sum.priority_covered;
    if (gap <= 0)
      printf(
          "No plan can cover more than %ld priority: this one covers the "
          "most any plan can\n",
          sum.priority_bound);
    else
      printf(
          "No plan can cover more than %ld priority: this one is within "
          "%.1f%% of the best possible\n",
          sum.priority_bound, 100.0 * (double)gap / (double)sum.priority_bound);
  }
  printf("\nPairs (%s):\n",
         sum.pairs_formed ? "formed by hvplan" : "from pairs.csv");
  size_t nroutes = hv_plan_route_count(p);
  for (size_t q = 0; q < hv_plan_pair_count(p); q++) {
    const hv_plan_pair *pp = hv_plan_pair_at(p, q);
    int visits = 0;
    double travel = 0;
    for (size_t r = 0; r < nroutes; r++) {
      const hv_plan_route *pr = hv_plan_route_at(p, r);
      if (strcmp(pr->pair, pp->id) == 0) {
        visits += (int)pr->nstops;
        travel += pr->travel_min;
      }
    }
    const hv_staff *a = hv_scenario_staff(s, pp->a),
                   *b = hv_scenario_staff(s, pp->b);
    printf("  %-4s %s %s + %s %s: %d visits, %.1f h travel (%s)\n", pp->id,
           a->id, a->name, b->id, b->name, visits, travel / 60.0, pp->why);
  }
  printf("\nVisits per day:");
  for (int d = 0; d < HV_DAYS; d++) {
    int n = 0;
    bool any = (hv_scenario_days(s) & (1u << d)) != 0;
    for (size_t r = 0; r < nroutes; r++) {
      const hv_plan_route *pr = hv_plan_route_at(p, r);
      if (pr->day == d) n += (int)pr->nstops, any = true;
    }
    if (any) printf("  %s %d", hv_day_name(d), n);
  }
  printf("\n");
  size_t ncalls = hv_plan_call_count(p);
  if (ncalls > 0) {
    printf("\nVideo calls: %zu\n", ncalls);
    for (size_t c = 0; c < ncalls; c++) {
      const hv_plan_call *pc = hv_plan_call_at(p, c);
      char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
      long k = pc->staff_index;
      printf("  %s %s-%s  %s with %s %s\n", hv_day_name(pc->day),
             hv_hhmm_format(pc->start, a), hv_hhmm_format(pc->end, b),
             pc->household_id, pc->staff,
             k >= 0 ? hv_scenario_staff(s, (size_t)k)->name : "");
    }
  }
  size_t nun = hv_plan_unvisited_count(p);
  if (nun > 0) {
    int count[HV_WHY_COUNT] = {0};
    for (size_t i = 0; i < nun; i++)
      count[hv_plan_unvisited_at(p, i)->reason]++;
    printf("\nNot visited: %zu (", nun);
    const hv_unvisited_reason order[] = {HV_WHY_LANGUAGE,     HV_WHY_WINDOWS,
                                         HV_WHY_SHORT_WINDOW, HV_WHY_TOO_FAR,
                                         HV_WHY_CAPACITY,     HV_WHY_NO_COORDS};
    bool first = true;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
      if (count[order[i]] == 0) continue;
      printf("%s%s %d", first ? "" : ", ", hv_unvisited_code(order[i]),
             count[order[i]]);
      first = false;
    }
    printf("); most urgent first in %s/unvisited.csv\n", out);
    for (size_t i = 0; i < nun && i < 5; i++) {
      const hv_unvisited *u = hv_plan_unvisited_at(p, i);
      const hv_household *h = hv_scenario_household(s, u->household);
      printf("  %s (priority %d): %s\n", h->id, h->priority, u->text);
      if (u->virtual_option[0])
        printf(
            "    a video call could reach this family (%s); set its mode "
            "to 'virtual' if the family agrees\n",
            u->virtual_option);
    }
  }
  printf("\nWrote %s/plan.json, roster.csv, unvisited.csv, messages.csv", out);
  if (printed)
    printf(
        ", roster.pdf, week.svg,\n  routes/ and packets/ (a PDF per pair per "
        "day), calendars/ (a .ics per staff member),\n  letters/ (a letter "
        "per family, in its language)");
  printf("\n");
}

int hv_cli_plan(int argc, char **argv) {
  const char *dir = NULL, *out = NULL, *keep = NULL, *from = NULL;
  hv_plan_options po;
  hv_plan_options_init(&po);
  bool quiet = false, save_on_interrupt = false, no_pdf = false, a4 = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool ok = true, takes = true;
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = true, takes = false;
    } else if (strcmp(a, "--no-pdf") == 0) {
      no_pdf = true, takes = false;
    } else if (strcmp(a, "--a4") == 0) {
      a4 = true, takes = false;
    } else if (strcmp(a, "--pairs-in-file-order") == 0) {
      po.pairs_in_file_order = true, takes = false;
    } else if (strncmp(a, "--on-interrupt=", 15) == 0) {
      takes = false;
      save_on_interrupt = strcmp(a + 15, "save") == 0;
      ok = save_on_interrupt || strcmp(a + 15, "discard") == 0;
    } else if (a[0] != '-') {
      takes = false;
      ok = dir == NULL;
      dir = a;
    } else if (v == NULL) {
      ok = false;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      out = v;
    } else if (strcmp(a, "--time-limit") == 0) {
      ok = hv_parse_double(v, &po.time_limit_s) && po.time_limit_s > 0 &&
           po.time_limit_s <= 86400;
    } else if (strcmp(a, "--seed") == 0) {
      long seed;
      ok = hv_parse_long(v, &seed) && seed >= 0;
      po.seed = (uint64_t)seed;
      po.seed_set = true;
    } else if (strcmp(a, "--iterations") == 0) {
      long it;
      ok = hv_parse_long(v, &it) && it > 0;
      po.iterations = (uint64_t)it;
    } else if (strcmp(a, "--keep") == 0) {
      keep = v;
    } else if (strcmp(a, "--from") == 0) {
      from = v;
    } else {
      ok = false;
    }
    if (!ok) {
      fprintf(stderr, "hvplan plan: bad or unknown argument '%s'\n", a);
      usage();
      return 64;
    }
    if (takes) i++;
  }
  if (dir == NULL || out == NULL || (keep == NULL) != (from == NULL)) {
    usage();
    return 64;
  }
  if (keep) {
    po.keep_path = keep;
    po.from_day = hv_day_parse(from);
    if (po.from_day < 0) {
      fprintf(stderr, "hvplan plan: --from: unknown day '%s' (use mon..sun)\n",
              from);
      return 64;
    }
  }
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  hv_status st = d ? hv_scenario_load(dir, &s, d) : HV_E_NOMEM;
  if (st != HV_OK) {
    hv_cli_print_diags(d);
    fprintf(stderr, "hvplan: %s has errors; nothing was planned\n", dir);
    hv_diags_free(d);
    return hv_cli_exit_code(st);
  }
  hv_scenario_check(s, d);
  if (hv_diags_warnings(d) > 0 && !quiet)
    fprintf(stderr,
            "hvplan: %zu warning%s about %s (run 'hvplan validate' to "
            "see them)\n",
            hv_diags_warnings(d), hv_diags_warnings(d) == 1 ? "" : "s", dir);
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  po.stop = &stop_flag;
  bool tty = isatty(STDERR_FILENO) && !quiet;
  if (tty) po.progress = show_progress;
  hv_error err = {0};
  hv_plan *p = NULL;
  po.reserve_output = !no_pdf; /* the limit covers the PDFs too */
  st = hv_plan_build(s, &po, &p, &err);
  if (tty) fprintf(stderr, "\n");
  int rc = 0;
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  } else if (interrupted && !save_on_interrupt) {
    fprintf(stderr, "hvplan: interrupted; %s was left as it was\n", out);
    rc = 130;
  } else {
    hv_write_options wo = {.printed = !no_pdf, .a4 = a4};
    if (interrupted) hv_plan_mark_interrupted(p); /* marked in plan.json */
    st = hv_plan_write(p, out, &wo, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    } else if (interrupted) {
      fprintf(stderr,
              "hvplan: interrupted; wrote the best plan found so far "
              "(marked \"interrupted\" in plan.json)\n");
      rc = 130;
    }
    if (st == HV_OK && !quiet) print_summary(p, out, !no_pdf);
    /* The program database records the week when there is one. */
    if (st == HV_OK && !interrupted && hv_cycle_has_program(s)) {
      hv_store *db = NULL;
      hv_cycle_stored got;
      char plan_path[4200];
      if (!hv_path_join(plan_path, sizeof plan_path, out, "plan.json"))
        st = hv_error_set(&err, HV_E_IO, (hv_where){.source = out},
                          "path too long");
      if (st == HV_OK) st = hv_cycle_open(s, false, &db, &err);
      if (st == HV_OK) st = hv_cycle_store_plan(db, p, plan_path, &got, &err);
      hv_store_close(db);
      if (st != HV_OK) {
        hv_cli_print_error(&err);
        rc = hv_cli_exit_code(st);
      } else if (!quiet) {
        printf("\nStored in %s: %zu planned visits%s\n", HV_STORE_FILE,
               got.visits,
               got.kept ? " (and the week's visits that have an outcome)" : "");
      }
    }
  }
  hv_plan_free(p);
  hv_scenario_free(s);
  hv_diags_free(d);
  return rc;
}
