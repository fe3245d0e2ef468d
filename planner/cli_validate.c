/* planner/cli_validate.c -- `hvplan validate DIR`: reads the whole scenario,
 * reports every problem with file, line and field, and summarises it. */
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

static void print_langs(const lang_count *lc, size_t n,
                        const hv_scenario *s, bool mark_unspoken) {
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
    for (size_t k = 0; k < s->nstaff && !spoken; k++)
      spoken = hv_staff_speaks(&s->staff[k], sorted[i].code);
    printf("%s%s %d (%s)%s", i ? ", " : "", sorted[i].code, sorted[i].n,
           hv_language_name(sorted[i].code),
           mark_unspoken && !spoken ? " [no staff speaks it]" : "");
  }
  printf("\n");
}

static void print_summary(const hv_scenario *s) {
  printf("Scenario '%s': week of Monday %04d-%02d-%02d, time zone %s\n",
         s->name, s->monday_y, s->monday_m, s->monday_d, s->timezone);
  printf("Days planned:");
  for (int d = 0; d < HV_DAYS; d++)
    if (s->days & (1u << d)) printf(" %s", hv_day_name(d));
  printf("\nSchool: %s (%s)\n", s->base.name,
         s->base.has_coords ? "located" : "needs geocoding");

  size_t located = 0, any_time = 0;
  lang_count lc[64];
  size_t nl = 0;
  int band[4] = {0};
  for (size_t i = 0; i < s->nhouseholds; i++) {
    const hv_household *h = &s->households[i];
    located += h->has_coords;
    any_time += h->avail.n == 0;
    count_lang(lc, &nl, 64, h->language);
    band[h->priority >= 76 ? 0 : h->priority >= 51 ? 1 : h->priority >= 26 ? 2 : 3]++;
  }
  printf("\nHouseholds: %zu (%zu with coordinates, %zu available any time)\n",
         s->nhouseholds, located, any_time);
  printf("  by language: ");
  print_langs(lc, nl, s, true);
  printf("  by priority: 76-100: %d, 51-75: %d, 26-50: %d, 1-25: %d\n",
         band[0], band[1], band[2], band[3]);

  nl = 0;
  for (size_t i = 0; i < s->nstaff; i++)
    for (size_t k = 0; k < s->staff[i].nlang; k++)
      count_lang(lc, &nl, 64, s->staff[i].languages[k]);
  printf("\nStaff: %zu; pairs: %s", s->nstaff,
         s->has_pairs ? "" : "formed by hvplan when planning\n");
  if (s->has_pairs) printf("%zu from pairs.csv\n", s->npairs);
  printf("  by language: ");
  print_langs(lc, nl, s, false);

  printf("\nHours per day   ");
  for (int d = 0; d < HV_DAYS; d++)
    if (s->days & (1u << d)) printf("%8s", hv_day_name(d));
  printf("\n  families      ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(s->days & (1u << d))) continue;
    int n = 0;
    for (size_t i = 0; i < s->nhouseholds; i++)
      n += s->households[i].avail.n == 0 ||
           hv_avail_minutes(&s->households[i].avail, d) > 0;
    printf("%8d", n);
  }
  printf("   households available\n  family hours  ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(s->days & (1u << d))) continue;
    int m = 0;
    for (size_t i = 0; i < s->nhouseholds; i++)
      m += hv_avail_minutes(&s->households[i].avail, d);
    printf("%8.1f", m / 60.0);
  }
  printf("   (windows given)\n  staff hours   ");
  for (int d = 0; d < HV_DAYS; d++) {
    if (!(s->days & (1u << d))) continue;
    int m = 0;
    for (size_t i = 0; i < s->nstaff; i++)
      m += hv_avail_minutes(&s->staff[i].avail, d);
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
    fprintf(stderr, "usage: hvplan validate [--quiet] DIR\n");
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
