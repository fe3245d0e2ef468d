/* tests/scenario/test_scenario.c -- reading whole scenario folders. */
#include "check.h"
#include "hv/scenario.h"
#include "scenario_def.h"

static void reads_small_scenario(void) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  CHECK_INT_EQ(hv_scenario_load(FIXTURE("small"), &s, d), HV_OK);
  CHECK(s != NULL);
  if (s == NULL) return;
  CHECK_STR_EQ(s->name, "Small test district");
  CHECK_INT_EQ(hv_scenario_monday(s).d, 2);
  CHECK_INT_EQ(s->days, 0x1F);
  CHECK_STR_EQ(s->timezone, "America/Chicago");
  CHECK(s->base.has_coords);
  CHECK_NEAR(s->base.lat, 44.97, 1e-9);
  CHECK_NEAR(s->solver.time_limit_s, 5.0, 1e-9);
  CHECK_INT_EQ(s->solver.seed, 7);
  CHECK_INT_EQ(hv_scenario_threads(s), 1); /* not given: one */
  CHECK_INT_EQ(s->nhouseholds, 6);
  const hv_household *h = &s->households[0];
  CHECK_STR_EQ(h->id, "H001");
  CHECK_STR_EQ(h->guardian, "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B Hoa");
  CHECK_STR_EQ(h->language, "vi");
  CHECK_INT_EQ(h->priority, 90);
  CHECK_INT_EQ(h->avail.n, 5);
  CHECK_INT_EQ(h->line, 2);
  CHECK_INT_EQ(hv_household_minutes(s, h), 45);
  CHECK_INT_EQ(hv_household_minutes(s, &s->households[1]), 60);
  CHECK_INT_EQ(s->households[1].visit_type, HV_VISIT_RELATIONAL);
  CHECK_INT_EQ(s->households[2].visit_type, HV_VISIT_FOLLOW_UP);
  CHECK_INT_EQ(s->households[3].avail.n, 0);
  /* The unknown column is carried. */
  CHECK_INT_EQ(s->nhh_extra, 1);
  CHECK_STR_EQ(s->hh_extra_names[0], "grade");
  CHECK_STR_EQ(s->households[5].extra[0], "K");
  CHECK_INT_EQ(s->nstaff, 4);
  CHECK_INT_EQ(s->staff[0].nlang, 2);
  CHECK(hv_staff_speaks(&s->staff[0], "es"));
  CHECK(!hv_staff_speaks(&s->staff[1], "es"));
  CHECK_INT_EQ(s->staff[2].max_visits_per_day, 5);
  CHECK(s->has_pairs);
  CHECK_INT_EQ(s->npairs, 2);
  CHECK_INT_EQ(s->pairs[1].a, 2);
  CHECK_INT_EQ(s->pairs[1].b, 3);
  hv_date fri = hv_scenario_date(s, 4);
  CHECK_INT_EQ(fri.y * 10000 + fri.m * 100 + fri.d, 20260306);

  /* Cross-file checks: nobody speaks Arabic; H003 (es, windows mon-wed
   * 08:00-09:00 and sat) still meets S01's hours. */
  hv_scenario_check(s, d);
  CHECK_INT_EQ(hv_diags_errors(d), 0);
  int arabic = 0;
  for (size_t i = 0; i < hv_diags_count(d); i++) {
    const hv_error *e = &hv_diags_get(d, i)->error;
    if (strstr(e->text, "no staff member speaks 'ar' (Arabic)")) {
      arabic++;
      CHECK_INT_EQ(e->line, 6);
      CHECK_STR_EQ(e->field, "language");
    }
  }
  CHECK_INT_EQ(arabic, 1);
  CHECK_INT_EQ(hv_diags_warnings(d), 1);

  /* A family with more windows on the planned days than the planner
   * considers: warned, naming the count and the line. */
  hv_error err;
  hv_household *h1 = &s->households[0];
  hv_avail_clear(&h1->avail);
  CHECK_INT_EQ(hv_avail_parse("mon-fri 08:00-09:00; mon-fri 10:00-11:00; "
                              "mon-fri 12:00-13:00; mon-fri 14:00-15:00; "
                              "sat 09:00-10:00",
                              &h1->avail, &err),
               HV_OK);
  CHECK_INT_EQ(h1->avail.n, 21);
  hv_diags_free(d);
  d = hv_diags_create();
  hv_scenario_check(s, d);
  int many = 0;
  for (size_t i = 0; i < hv_diags_count(d); i++) {
    const hv_error *e = &hv_diags_get(d, i)->error;
    if (strstr(e->text,
               "household 'H001' gives 20 windows long enough for "
               "the visit on the planned days; only the earliest "
               "16 are planned")) {
      many++;
      CHECK_INT_EQ(e->line, 2);
      CHECK_STR_EQ(e->field, "availability");
    }
  }
  CHECK_INT_EQ(many, 1);
  hv_scenario_free(s);
  hv_diags_free(d);
}

static void bad_case_fails_with_no_result(void) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = (hv_scenario *)1;
  CHECK_INT_EQ(hv_scenario_load(FIXTURE("bad/latitude_out_of_range"), &s, d),
               HV_E_INPUT);
  CHECK(s == NULL);
  const hv_diag *g = hv_diags_first_error(d);
  CHECK(g != NULL);
  if (g) {
    CHECK_STR_EQ(g->error.source, "households.csv");
    CHECK_INT_EQ(g->error.line, 4);
    CHECK_STR_EQ(g->error.field, "lat");
  }
  hv_diags_free(d);
}

static void languages(void) {
  CHECK_STR_EQ(hv_language_code("ES"), "es");
  CHECK_STR_EQ(hv_language_code("Spanish"), "es");
  CHECK_STR_EQ(hv_language_code("somali"), "so");
  CHECK_STR_EQ(hv_language_code("Hmong"), "hmn");
  CHECK_STR_EQ(hv_language_code("Farsi"), "fa");
  CHECK(hv_language_code("xx") == NULL);
  CHECK(hv_language_code("Klingon") == NULL);
  CHECK_STR_EQ(hv_language_name("vi"), "Vietnamese");
}

int main(void) {
  RUN(reads_small_scenario);
  RUN(bad_case_fails_with_no_result);
  RUN(languages);
  return CHECK_DONE();
}
