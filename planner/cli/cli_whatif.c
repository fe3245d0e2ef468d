/* planner/cli/cli_whatif.c -- `hvplan whatif DIR -o OUT`: what coverage do
 * we get with 2, 3, ... pairs, or with an extra evening Somali speaker?
 * Parses the arguments, runs hv_whatif_run, prints the table and writes the
 * files (hv_whatif_write); each variant's plan goes to OUT/variants/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "hv/values.h"

static bool parse_range(const char *s, int *lo, int *hi) {
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s) return false;
  long b = a;
  if (strncmp(end, "..", 2) == 0) {
    const char *t = end + 2;
    b = strtol(t, &end, 10);
    if (end == t) return false;
  }
  if (*end != '\0' || a < 0 || b < a || b > 60) return false;
  *lo = (int)a;
  *hi = (int)b;
  return true;
}

static void usage(void) {
  hv_cli_usage("whatif", stderr);
}

int hv_cli_whatif(int argc, char **argv) {
  const char *dir = NULL, *out = NULL;
  hv_whatif_options wo;
  hv_whatif_options_init(&wo);
  int arg = 1;
  while (arg < argc) {
    const char *a = argv[arg], *v = arg + 1 < argc ? argv[arg + 1] : NULL;
    bool ok = true;
    int used = 2; /* an option and its value */
    if (a[0] != '-') {
      ok = dir == NULL;
      dir = a;
      used = 1;
    } else if (v == NULL) {
      ok = false;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      out = v;
    } else if (strcmp(a, "--pairs") == 0) {
      ok = parse_range(v, &wo.pairs_lo, &wo.pairs_hi) && wo.pairs_lo >= 1;
    } else if (strcmp(a, "--add-staff") == 0) {
      ok = wo.nextra < HV_WHATIF_MAX_EXTRA;
      if (ok) wo.extra[wo.nextra++] = (hv_whatif_extra){v, 1, 1};
    } else if (strcmp(a, "--count") == 0) {
      hv_whatif_extra *x = wo.nextra ? &wo.extra[wo.nextra - 1] : NULL;
      ok = x && parse_range(v, &x->count_lo, &x->count_hi) && x->count_lo >= 1;
    } else if (strcmp(a, "--time-limit") == 0) {
      ok = hv_parse_double(v, &wo.time_limit_s) && wo.time_limit_s > 0;
    } else if (strcmp(a, "--seed") == 0) {
      long seed;
      ok = hv_parse_long(v, &seed) && seed >= 0;
      wo.seed = (uint64_t)seed;
      wo.seed_set = true;
    } else if (strcmp(a, "--jobs") == 0) {
      long j;
      ok = hv_parse_long(v, &j) && j >= 1 && j <= 16;
      wo.jobs = (int)j;
    } else {
      ok = false;
    }
    if (!ok) {
      fprintf(stderr, "hvplan whatif: bad or unknown argument '%s'\n", a);
      usage();
      return 64;
    }
    arg += used;
  }
  if (dir == NULL || out == NULL) {
    usage();
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(dir, &rc);
  if (s == NULL) return rc;
  char variants[4096];
  if (!hv_path_join(variants, sizeof variants, out, "variants")) {
    fprintf(stderr, "hvplan whatif: %s: path too long\n", out);
    hv_scenario_free(s);
    return 64;
  }
  mkdir(out, 0700);
  mkdir(variants, 0700);
  wo.variants_dir = variants;
  hv_error err = {0};
  hv_whatif *w = NULL;
  hv_status st = hv_whatif_run(s, &wo, &w, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    hv_scenario_free(s);
    return hv_cli_exit_code(st);
  }
  size_t nv = hv_whatif_count(w);
  fprintf(stderr, "hvplan: %zu variants, %.1f s each, %d at a time\n", nv,
          hv_whatif_seconds_each(w), wo.jobs);
  for (size_t i = 0; i < nv; i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    if (!v->ok) {
      fprintf(stderr, "hvplan: variant %s failed: %s\n", v->name, v->error);
      rc = 1;
    }
  }
  printf("%-10s %-38s %5s %6s %9s %9s %8s %7s %7s  %s\n", "variant", "",
         "pairs", "visits", "visited", "priority", "at most", "travel", "staff",
         "unvisited: lang/win/far/cap");
  for (size_t i = 0; i < nv; i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    if (!v->ok) continue;
    char most[24] = "-";
    if (v->priority_bound >= 0)
      snprintf(most, sizeof most, "%ld", v->priority_bound);
    printf(
        "%-10s %-38.38s %5zu %6zu %4zu/%-4zu %9ld %8s %6.1fh %6.1fh  "
        "%zu/%zu/%zu/%zu\n",
        v->name, v->label, v->pairs_used, v->visits, v->visited, v->households,
        v->priority, most, v->travel_h, v->staff_h,
        v->unvisited[HV_WHY_LANGUAGE],
        v->unvisited[HV_WHY_WINDOWS] + v->unvisited[HV_WHY_SHORT_WINDOW],
        v->unvisited[HV_WHY_TOO_FAR], v->unvisited[HV_WHY_CAPACITY]);
  }
  printf("\nMarginal value (households newly reached):\n");
  for (size_t i = 0; i < nv; i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    if (!v->ok || v->baseline < 0) continue;
    const hv_whatif_variant *b = hv_whatif_variant_at(w, (size_t)v->baseline);
    if (!b->ok) continue;
    printf("  %-10s vs %-10s +%zu households (priority +%ld)\n", v->name,
           b->name, v->ngained, v->gained_priority);
  }
  st = hv_whatif_write(w, out, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(st);
  }
  long kn = hv_whatif_knee(w);
  if (kn >= 0)
    printf("\nKnee of the curve: %zu pairs; beyond it each pair adds little.\n",
           hv_whatif_variant_at(w, (size_t)kn)->npairs);
  printf(
      "\nWrote %s/whatif.csv, whatif_marginal.csv, whatif.svg, whatif.png "
      "and variants/\n",
      out);
  hv_whatif_free(w);
  hv_scenario_free(s);
  return rc;
}
