/* planner/cli/cli_validate.c -- `hvplan validate DIR`: reads the whole
 * scenario, reports every problem with file, line and field, and summarises it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hv/scenario.h"

/* Counts per language, in order of first appearance. */
typedef struct lang_count {
  const char *code;
  int n;
} lang_count;

static void count_lang(lang_count *lc, size_t *n, size_t cap,
                       const char *code) {
  for (size_t i = 0; i < *n; i++)
    if (strcmp(lc[i].code, code) == 0) {
      lc[i].n++;
      return;
    }
  if (*n < cap) lc[(*n)++] = (lang_count){code, 1};
}

static void print_langs(const lang_count *lc, size_t n, const hv_scenario *s,
                        bool mark_unspoken) {
  /* Largest first; ties by code so the output is stable. */
  lang_count sorted[64];
  memcpy(sorted, lc, n * sizeof *lc);
  for (size_t i = 1; i < n; i++)
    for (size_t k = i; k > 0; k--) {
      lang_count *a = &sorted[k - 1], *b = &sorted[k];
      if (a->n > b->n || (a->n == b->n && strcmp(a->code, b->code) < 0)) break;
      lang_count t = *a;
      *a = *b;
      *b = t;
    }
  for (size_t i = 0; i < n; i++) {
    bool spoken = strcmp(sorted[i].code, "en") == 0;
    for (size_t k = 0; k < hv_scenario_staff_count(s) && !spoken; k++)
      spoken = hv_staff_speaks(hv_scenario_staff(s, k), sorted[i].code);
    printf("%s%s %d (%s)%s", i ? ", " : "", sorted[i].code, sorted[i].n,
           hv_language_name(sorted[i].code),
           mark_unspoken && !spoken ? " [no staff speaks it]" : "");
  }
  printf("\n");
}

static void print_summary(const hv_scenario *s) {
  char monday[HV_DATE_TEXT];
  printf("Scenario '%s': week of Monday %s, time zone %s\n",
         hv_scenario_name(s), hv_date_format(hv_scenario_monday(s), monday),
         hv_scenario_timezone(s));
  printf("Days planned:");
  for (int d = 0; d < HV_DAYS; d++)
    if (hv_scenario_days(s) & (1u << d)) printf(" %s", hv_day_name(d));
  printf("\nSchool: %s (%s)\n", hv_scenario_base(s)->name,
         hv_scenario_base(s)->has_coords ? "located" : "needs geocoding");

  size_t located = 0, any_time = 0;
  lang_count lc[64];
  size_t nl = 0;
  int band[4] = {0};
  for (size_t i = 0; i < hv_scenario_household_count(s); i++) {
    const hv_household *h = hv_scenario_household(s, i);
    located += h->has_coords;
    any_time += h->avail.n == 0;
    count_lang(lc, &nl, 64, h->language);
    band[h->priority >= 76   ? 0
         : h->priority >= 51 ? 1
         : h->priority >= 26 ? 2
                             : 3]++;
  }
  printf("\nHouseholds: %zu (%zu with coordinates, %zu available any time)\n",
         hv_scenario_household_count(s), located, any_time);
  printf("  by language: ");
  print_langs(lc, nl, s, true);
  printf("  by priority: 76-100: %d, 51-75: %d, 26-50: %d, 1-25: %d\n", band[0],
         band[1], band[2], band[3]);

  nl = 0;
  for (size_t i = 0; i < hv_scenario_staff_count(s); i++)
    for (size_t k = 0; k < hv_scenario_staff(s, i)->nlang; k++)
      count_lang(lc, &nl, 64, hv_scenario_staff(s, i)->languages[k]);
  printf("\nStaff: %zu; pairs: %s", hv_scenario_staff_count(s),
         hv_scenario_has_pairs(s) ? "" : "formed by hvplan when planning\n");
  if (hv_scenario_has_pairs(s))
    printf("%zu from pairs.csv\n", hv_scenario_pair_count(s));
  printf("  by language: ");
  print_langs(lc, nl, s, false);

  printf("\nHours per day   ");
  for (int d = 0; d < HV_DAYS; d++)
    if (hv_scenario_days(s) & (1u << d)) printf("%8s", hv_day_name(d));
  printf("\n  families      ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(hv_scenario_days(s) & (1u << d))) continue;
    int n = 0;
    for (size_t i = 0; i < hv_scenario_household_count(s); i++)
      n += hv_scenario_household(s, i)->avail.n == 0 ||
           hv_avail_minutes(&hv_scenario_household(s, i)->avail, d) > 0;
    printf("%8d", n);
  }
  printf("   households available\n  family hours  ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(hv_scenario_days(s) & (1u << d))) continue;
    int m = 0;
    for (size_t i = 0; i < hv_scenario_household_count(s); i++)
      m += hv_avail_minutes(&hv_scenario_household(s, i)->avail, d);
    printf("%8.1f", m / 60.0);
  }
  printf("   (windows given)\n  staff hours   ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(hv_scenario_days(s) & (1u << d))) continue;
    int m = 0;
    for (size_t i = 0; i < hv_scenario_staff_count(s); i++)
      m += hv_avail_minutes(&hv_scenario_staff(s, i)->avail, d);
    printf("%8.1f", m / 60.0);
  }
  printf("\n");
}

int hv_cli_validate(int argc, char **argv) {
  bool quiet = false;
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
      quiet = true;
    else if (argv[i][0] == '-') {
      fprintf(stderr, "hvplan validate: unknown option '%s'\n", argv[i]);
      return 64;
    } else if (dir == NULL)
      dir = argv[i];
    else {
      fprintf(stderr, "hvplan validate: one scenario folder at a time\n");
      return 64;
    }
  }
  if (dir == NULL) {
    hv_cli_usage("validate", stderr);
    return 64;
  }
  hv_diags *d = hv_diags_create();
  if (d == NULL) {
    fprintf(stderr, "hvplan: error: out of memory\n");
    return hv_cli_exit_code(HV_E_NOMEM);
  }
  hv_scenario *s = NULL;
  hv_status st = hv_scenario_load(dir, &s, d);
  if (st == HV_OK) hv_scenario_check(s, d);
  hv_cli_print_diags(d);
  if (st == HV_OK && !quiet) {
    print_summary(s);
  }
  fflush(stdout);
  fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", dir, hv_diags_errors(d),
          hv_diags_errors(d) == 1 ? "" : "s", hv_diags_warnings(d),
          hv_diags_warnings(d) == 1 ? "" : "s");
  hv_scenario_free(s);
  hv_diags_free(d);
  return hv_cli_exit_code(st);
}
