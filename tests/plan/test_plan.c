/* tests/plan/test_plan.c -- hvplan plan on the demo and small fixtures.
 * check_plan() re-derives every rule from the scenario: it recomputes travel
 * from coordinates with PROJ's geodesic directly (not through the planner)
 * and checks pairs, languages, windows, shifts, daily limits, single visits
 * and that every household is either visited or explained. */
#include <geodesic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "hv/plan.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "hv/scenario.h"
#include "plan_def.h"

static double travel_min(const hv_scenario *s, double lat1, double lon1,
                         double lat2, double lon2) {
  struct geod_geodesic g;
  geod_init(&g, 6378137.0, 1 / 298.257223563);
  double m = 0;
  geod_inverse(&g, lat1, lon1, lat2, lon2, &m, NULL, NULL);
  return ceil(m * s->travel.detour_factor / (s->travel.speed_kmh / 3.6) / 60.0 -
              1e-9);
}

static bool works(const hv_staff *st, int day, int from, int to) {
  for (size_t i = 0; i < st->avail.n; i++)
    if (st->avail.w[i].day == day && st->avail.w[i].start_min <= from &&
        to <= st->avail.w[i].end_min)
      return true;
  return false;
}

static bool in_window(const hv_household *h, int day, int from, int to) {
  if (h->avail.n == 0) return true;
  for (size_t i = 0; i < h->avail.n; i++)
    if (h->avail.w[i].day == day && h->avail.w[i].start_min <= from &&
        to <= h->avail.w[i].end_min)
      return true;
  return false;
}

static int check_plan(const hv_scenario *s, const hv_plan *p, int from_day) {
  int bad0 = check_failures;
  size_t H = s->nhouseholds;
  int *seen = calloc(H + 1, sizeof *seen);
  int busy[64][7] = {{0}}; /* staff x day: routes */
  long prio = 0;
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    CHECK(pr->nstops > 0);
    if (!pr->kept) CHECK(pr->day >= from_day);
    if (pr->kept) CHECK(pr->day < from_day);
    long a = pr->staff_index[0], b = pr->staff_index[1];
    CHECK(a != b);
    if (pr->kept && (a < 0 || b < 0)) continue;
    CHECK(a >= 0 && b >= 0 && a < 64 && b < 64);
    if (a < 0 || b < 0 || a >= 64 || b >= 64) continue;
    const hv_staff *sa = &s->staff[a], *sb = &s->staff[b];
    CHECK_INT_EQ(++busy[a][pr->day], 1); /* one route a day each */
    CHECK_INT_EQ(++busy[b][pr->day], 1);
    if (!pr->kept) {
      CHECK(works(sa, pr->day, pr->depart, pr->back));
      CHECK(works(sb, pr->day, pr->depart, pr->back));
      CHECK(s->days & (1u << pr->day));
      int mx = sa->max_visits_per_day;
      if (sb->max_visits_per_day && (!mx || sb->max_visits_per_day < mx))
        mx = sb->max_visits_per_day;
      if (mx) CHECK((int)pr->nstops <= mx);
    }
    double lat = s->base.lat, lon = s->base.lon;
    int clock = pr->depart;
    double travel = 0;
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      CHECK(ps->household < H);
      if (ps->household >= H) continue;
      const hv_household *h = &s->households[ps->household];
      CHECK_INT_EQ(++seen[ps->household], 1);
      prio += h->priority;
      if (pr->kept) continue;
      double t = travel_min(s, lat, lon, h->lat, h->lon);
      double in = travel_min(s, lat, lon, s->base.lat, s->base.lon),
             out = travel_min(s, s->base.lat, s->base.lon, h->lat, h->lon);
      if (ps->school_from >= 0) {
        /* Back at school in between: drive in, wait there, drive out. */
        CHECK(k > 0);
        CHECK(ps->school_from >= clock + (int)in);
        CHECK(ps->school_to >= ps->school_from);
        CHECK(ps->arrive >= ps->school_to + (int)out);
        t = in + out;
      } else if (k > 0 && s->visits.max_wait_minutes > 0 &&
                 clock + in + out <= ps->start) {
        /* No wait beyond visits.max_wait_minutes where going back to
         * school would have fitted (a minute for rounding). */
        double wait = ps->start - (clock + t);
        if (wait > s->visits.max_wait_minutes + 1)
          CHECK_FAIL_("%s %s: waits %.0f min before %s without going back",
                      hv_day_name(pr->day), pr->pair, wait, h->id);
      }
      travel += t;
      CHECK_NEAR(ps->travel_min, t, 1e-9);
      CHECK(ps->arrive >= clock + (int)t);
      CHECK(ps->start >= ps->arrive);
      CHECK_INT_EQ(ps->end - ps->start, hv_household_minutes(s, h));
      CHECK(in_window(h, pr->day, ps->start, ps->end));
      if (strcmp(h->language, "en") != 0)
        CHECK(hv_staff_speaks(sa, h->language) ||
              hv_staff_speaks(sb, h->language));
      clock = ps->end + s->visits.buffer_minutes;
      lat = h->lat, lon = h->lon;
    }
    if (!pr->kept) {
      double t = travel_min(s, lat, lon, s->base.lat, s->base.lon);
      travel += t;
      CHECK(pr->back >= clock + (int)t);
      CHECK_NEAR(pr->travel_min, travel, 1e-9);
    }
  }
  for (size_t i = 0; i < p->nunvisited; i++) {
    CHECK_INT_EQ(++seen[p->unvisited[i].household], 1);
    CHECK(p->unvisited[i].text[0] != '\0');
  }
  for (size_t h = 0; h < H; h++)
    if (seen[h] != 1)
      CHECK_FAIL_("household %zu neither visited nor explained", h);
  CHECK_INT_EQ(p->priority_covered, prio);
  CHECK_INT_EQ(p->visited + p->nunvisited, H);
  free(seen);
  return check_failures - bad0;
}

static hv_scenario *load(const char *dir) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  CHECK_INT_EQ(hv_scenario_load(dir, &s, d), HV_OK);
  hv_diags_free(d);
  return s;
}

/* Plans with a fixed iteration budget and a generous time limit, so that
 * results do not depend on the machine's speed (sanitizer builds are slow). */
static hv_plan *plan(const hv_scenario *s, double iterations_k,
                     const char *keep, int from) {
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = 120;
  o.iterations = (uint64_t)(iterations_k * 20000);
  o.keep_path = keep;
  o.from_day = from;
  hv_plan *p = NULL;
  hv_error err;
  hv_status st = hv_plan_build(s, &o, &p, &err);
  if (st != HV_OK) fprintf(stderr, "plan failed: %s\n", err.text);
  CHECK_INT_EQ(st, HV_OK);
  return p;
}

static const hv_unvisited *why(const hv_scenario *s, const hv_plan *p,
                               const char *id) {
  for (size_t i = 0; i < p->nunvisited; i++)
    if (strcmp(s->households[p->unvisited[i].household].id, id) == 0)
      return &p->unvisited[i];
  return NULL;
}

/* The plan as plan.json's text (NULL on failure). */
static char *plan_text(const hv_plan *p) {
  char d[] = "/tmp/hv_plan_t_XXXXXX";
  if (mkdtemp(d) == NULL) return NULL;
  hv_error err;
  char f[256];
  snprintf(f, sizeof f, "%s/plan.json", d);
  char *text =
      hv_plan_write(p, d, NULL, &err) == HV_OK ? check_read_file(f) : NULL;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", d);
  CHECK_INT_EQ(system(cmd), 0);
  return text;
}

/* solver.threads = 2: every rule kept, as many families as one search
 * visits at least roughly, and under an iteration budget the same plan
 * run after run. */
static void demo_plan_with_threads(void) {
  hv_scenario *s = load(FIXTURE("demo"));
  if (!s) return;
  s->solver.threads = 2;
  hv_plan *p = plan(s, 1, NULL, 0), *q = plan(s, 1, NULL, 0);
  if (p && q) {
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
    CHECK(p->visited >= 85);
    char *a = plan_text(p), *b = plan_text(q);
    CHECK(a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
  }
  hv_plan_free(p);
  hv_plan_free(q);
  hv_scenario_free(s);
}

static void demo_plan_obeys_every_rule(void) {
  hv_scenario *s = load(FIXTURE("demo"));
  if (!s) return;
  hv_plan *p = plan(s, 2, NULL, 0);
  if (p) {
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
    CHECK(p->pairs_formed);
    CHECK(p->visited >= 85); /* the demo plans about 93 of 120 */
    /* The six Amharic-speaking families: nobody speaks Amharic. */
    int amharic = 0;
    for (size_t i = 0; i < p->nunvisited; i++) {
      const hv_unvisited *u = &p->unvisited[i];
      if (strcmp(s->households[u->household].language, "am") == 0) {
        amharic++;
        CHECK_INT_EQ(u->reason, HV_WHY_LANGUAGE);
        CHECK_STR_EQ(u->text, "no staff member speaks Amharic (am)");
      }
    }
    CHECK_INT_EQ(amharic, 6);
    /* Unvisited sorted by priority, highest first. */
    for (size_t i = 1; i < p->nunvisited; i++)
      CHECK(s->households[p->unvisited[i - 1].household].priority >=
            s->households[p->unvisited[i].household].priority);
  }
  /* Same seed, same plan. */
  hv_plan *q = plan(s, 2, NULL, 0);
  if (p && q) {
    char d1[] = "/tmp/hv_plan_a_XXXXXX", d2[] = "/tmp/hv_plan_b_XXXXXX";
    CHECK(mkdtemp(d1) && mkdtemp(d2));
    hv_error err;
    CHECK_INT_EQ(hv_plan_write(p, d1, NULL, &err), HV_OK);
    CHECK_INT_EQ(hv_plan_write(q, d2, NULL, &err), HV_OK);
    char f1[256], f2[256];
    snprintf(f1, sizeof f1, "%s/plan.json", d1);
    snprintf(f2, sizeof f2, "%s/plan.json", d2);
    char *a = check_read_file(f1), *b = check_read_file(f2);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK_STR_CONTAINS(
        a, "\"scenario\": \"Riverside Community School (demo district)\"");
    CHECK_STR_CONTAINS(a, "\"week_of\": \"2026-03-02\"");
    free(a);
    free(b);
    /* roster.csv: a header and one row per visit; names survive. */
    snprintf(f1, sizeof f1, "%s/roster.csv", d1);
    char *roster = check_read_file(f1);
    size_t rows = 0;
    for (char *c = roster; c && *c; c++)
      rows += *c == '\n';
    CHECK_INT_EQ(rows, p->visited + 1);
    CHECK_STR_CONTAINS(roster,
                       "day,date,pair,staff_a,staff_b,order,start,end,"
                       "household,student,guardian");
    CHECK_STR_CONTAINS(roster, "absences_30d"); /* carried column */
    free(roster);
    snprintf(f1, sizeof f1, "%s/unvisited.csv", d1);
    char *un = check_read_file(f1);
    CHECK_STR_CONTAINS(un, "household,priority,language,code,reason");
    CHECK_STR_CONTAINS(un, ",am,language,no staff member speaks Amharic (am)");
    free(un);
    /* Owner-only folder, its files as the umask allows (created so by
     * the kernel, not widened afterwards); no staging or temporary file
     * left behind. */
    struct stat st;
    CHECK(stat(d1, &st) == 0 && (st.st_mode & 077) == 0);
    mode_t um = umask(0);
    umask(um);
    CHECK(stat(f1, &st) == 0 && (st.st_mode & 0777) == (0666 & ~um));
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "test -z \"$(ls -A %s | grep -e staging -e '[.]tmp[.]')\" && "
             "rm -rf %s %s",
             d1, d1, d2);
    CHECK(system(cmd) == 0);
  }
  hv_plan_free(p);
  hv_plan_free(q);
  hv_scenario_free(s);
}

static void formed_pairs_beat_file_order(void) {
  hv_scenario *s = load(FIXTURE("demo"));
  if (!s) return;
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = 120;
  o.iterations = 40000;
  hv_plan *a = NULL, *b = NULL;
  hv_error err;
  CHECK_INT_EQ(hv_plan_build(s, &o, &a, &err), HV_OK);
  o.pairs_in_file_order = true;
  CHECK_INT_EQ(hv_plan_build(s, &o, &b, &err), HV_OK);
  if (a && b) {
    fprintf(stderr,
            "   formed pairs: priority %ld, visited %zu; file order: "
            "priority %ld, visited %zu\n",
            a->priority_covered, a->visited, b->priority_covered, b->visited);
    CHECK(a->priority_covered >= b->priority_covered);
    CHECK_INT_EQ(check_plan(s, b, 0), 0);
  }
  hv_plan_free(a);
  hv_plan_free(b);
  hv_scenario_free(s);
}

/* visits.max_wait_minutes: in every fixture, no pair waits longer than
 * that between two visits where going back to school fits (check_plan
 * fails on such a wait); the demo has such gaps, and with waits allowed
 * (max_wait_minutes 0) the same plan has long waits instead. */
static void long_waits_go_back_to_school(void) {
  static const char *const dirs[] = {"demo", "small", "plan/reasons",
                                     "plan/nobody", "whatif"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", HV_FIXTURE_DIR, dirs[i]);
    hv_scenario *s = load(dir);
    if (!s) continue;
    CHECK_INT_EQ(s->visits.max_wait_minutes, 45);
    hv_plan *p = plan(s, 1, NULL, 0);
    if (p) CHECK_INT_EQ(check_plan(s, p, 0), 0);
    size_t returns = 0;
    for (size_t r = 0; p && r < p->nroutes; r++)
      for (size_t k = 0; k < p->routes[r].nstops; k++)
        returns += p->routes[r].stops[k].school_from >= 0;
    if (strcmp(dirs[i], "demo") == 0) {
      CHECK(returns > 0);
      /* Waiting in place instead: some waits are long. */
      s->visits.max_wait_minutes = 0;
      hv_plan *q = plan(s, 1, NULL, 0);
      int longest = 0;
      for (size_t r = 0; q && r < q->nroutes; r++)
        for (size_t k = 0; k < q->routes[r].nstops; k++) {
          const hv_plan_stop *ps = &q->routes[r].stops[k];
          CHECK(ps->school_from < 0);
          if (ps->start - ps->arrive > longest)
            longest = ps->start - ps->arrive;
        }
      CHECK(longest > 45);
      hv_plan_free(q);
    }
    hv_plan_free(p);
    hv_scenario_free(s);
  }
}

/* fixtures/plan/reasons: one household per reason. */
static void reasons_are_specific(void) {
  hv_scenario *s = load(FIXTURE("plan/reasons"));
  if (!s) return;
  hv_plan *p = plan(s, 2, NULL, 0);
  if (p) {
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
    const hv_unvisited *u;
    CHECK((u = why(s, p, "LANG")) && u->reason == HV_WHY_LANGUAGE);
    CHECK((u = why(s, p, "SAT")) && u->reason == HV_WHY_WINDOWS);
    if (u)
      CHECK_STR_EQ(u->text,
                   "the family is available only on days not planned "
                   "this week (sat 10:00-12:00)");
    CHECK((u = why(s, p, "FAR")) && u->reason == HV_WHY_TOO_FAR);
    if (u) CHECK_STR_CONTAINS(u->text, "too far: the drive");
    /* A few minutes' drive is not "too far": the window overlaps the
     * pair's hours (15:00-16:00) by 30 min, just the visit's length. */
    CHECK((u = why(s, p, "SHORT")) && u->reason == HV_WHY_SHORT_WINDOW);
    if (u)
      CHECK_STR_CONTAINS(u->text,
                         "window too short: the family's windows "
                         "and the shared hours of the pairs overlap "
                         "by at most 30 min, too little for the "
                         "30-minute visit");
    CHECK((u = why(s, p, "NOGEO")) && u->reason == HV_WHY_NO_COORDS);
    CHECK((u = why(s, p, "LOW")) && u->reason == HV_WHY_CAPACITY);
    if (u) CHECK_STR_CONTAINS(u->text, "capacity went to more urgent families");
    /* Only one visit fits the pair's one-hour day: the urgent one. */
    CHECK(why(s, p, "HIGH") == NULL);
    CHECK_INT_EQ(p->visited, 1);
  }
  hv_plan_free(p);
  hv_scenario_free(s);
}

/* A district's families may speak more languages between them than the
 * 64 skill bits: only the languages some pair speaks take one.  70
 * families of 70 languages nobody on staff speaks come first in the list,
 * then a Spanish-speaking family (S01 speaks Spanish): it is visited, the
 * others are unvisited for their language.  (Bits were given in list
 * order, so the Spanish family found none left and could not be served.) */
static void many_languages_few_bits(void) {
  static const char *const codes[] = {
      "aa", "ab", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba",
      "be", "bg", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co",
      "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "eo",
      "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl",
      "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
      "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu"};
  enum { NL = sizeof codes / sizeof codes[0] };
  char dir[] = "/tmp/hv_langs_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cp %s/scenario.json %s/staff.csv %s/pairs.csv %s/",
           FIXTURE("small"), FIXTURE("small"), FIXTURE("small"), dir);
  CHECK(system(cmd) == 0);
  char path[256];
  snprintf(path, sizeof path, "%s/households.csv", dir);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f == NULL) return;
  fprintf(f,
          "id,student,guardian,phone,address,lat,lon,language,priority,"
          "availability\n");
  for (int i = 0; i <= NL; i++)
    fprintf(f,
            "L%02d,Kid,Parent,612-555-0100,1 Main St,%.4f,-93.2500,%s,%d,"
            "mon-fri 09:00-16:00\n",
            i, 44.9700 + 0.0005 * i, i < NL ? codes[i] : "es",
            i < NL ? 90 : 10);
  fclose(f);
  hv_scenario *s = load(dir);
  hv_plan *p = s ? plan(s, 1, NULL, 0) : NULL;
  if (p) {
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
    CHECK(why(s, p, "L70") == NULL); /* the Spanish family: visited */
    const hv_unvisited *u = why(s, p, "L69");
    CHECK(u && u->reason == HV_WHY_LANGUAGE);
    CHECK_INT_EQ(p->visited, 1);
  }
  hv_plan_free(p);
  hv_scenario_free(s);
  /* With the pairs speaking all 70 too (S01, S02 and S03 at most 32
   * languages each, the readers' limit), more than 64 languages are needed
   * and spoken: refused, naming the first family without a bit. */
  snprintf(path, sizeof path, "%s/staff.csv", dir);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    fprintf(f, "id,name,role,languages,availability\n");
    static const char *const who[] = {"S01", "S02", "S03", "S04"};
    static const char *const hours[] = {"08:00-17:00", "08:00-17:00",
                                        "12:00-19:30", "12:00-19:30"};
    for (int k = 0; k < 4; k++) {
      fprintf(f, "%s,Staff,x,%s", who[k], k == 0 ? "en;es" : "en");
      for (int i = 0; i < NL; i++)
        if (k < 3 && i / 30 == k) fprintf(f, ";%s", codes[i]);
      fprintf(f, ",mon-fri %s\n", hours[k]);
    }
    fclose(f);
  }
  s = load(dir);
  if (s) {
    hv_plan_options o;
    hv_plan_options_init(&o);
    o.time_limit_s = 120;
    o.iterations = 20000;
    hv_error err;
    p = NULL;
    CHECK_INT_EQ(hv_plan_build(s, &o, &p, &err), HV_E_INPUT);
    CHECK(p == NULL);
    CHECK_STR_EQ(err.source, "households.csv");
    CHECK_INT_EQ(err.line, 66); /* L64, the 65th language */
    CHECK_STR_EQ(err.field, "language");
    CHECK_STR_CONTAINS(err.text, "more than 64 languages");
  }
  hv_scenario_free(s);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
}

/* No feasible visit at all: an empty plan with reasons, not an error. */
static void nobody_can_be_visited(void) {
  hv_scenario *s = load(FIXTURE("plan/nobody"));
  if (!s) return;
  hv_plan *p = plan(s, 1, NULL, 0);
  if (p) {
    CHECK_INT_EQ(p->nroutes, 0);
    CHECK_INT_EQ(p->visited, 0);
    CHECK_INT_EQ(p->nunvisited, s->nhouseholds);
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
  }
  hv_plan_free(p);
  hv_scenario_free(s);
}

static void small_with_pairs_file(void) {
  hv_scenario *s = load(FIXTURE("small"));
  if (!s) return;
  hv_plan *p = plan(s, 1, NULL, 0);
  if (p) {
    CHECK(!p->pairs_formed);
    CHECK_INT_EQ(p->npairs, 2);
    CHECK_INT_EQ(check_plan(s, p, 0), 0);
    /* H005 speaks Arabic: nobody does. */
    const hv_unvisited *u = why(s, p, "H005");
    CHECK(u && u->reason == HV_WHY_LANGUAGE);
    CHECK(why(s, p, "H001") == NULL); /* urgent, Vietnamese, evenings: P02 */
  }
  hv_plan_free(p);
  hv_scenario_free(s);
}

/* Re-planning from Wednesday with a staff member off sick. */
static void replanning_keeps_the_past(void) {
  hv_scenario *s = load(FIXTURE("demo"));
  if (!s) return;
  hv_plan *p = plan(s, 2, NULL, 0);
  char dir[] = "/tmp/hv_replan_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  hv_error err;
  if (p) CHECK_INT_EQ(hv_plan_write(p, dir, NULL, &err), HV_OK);
  /* A copy of the demo where S03 is ill from Wednesday. */
  char scen[100], cmd[4096];
  snprintf(scen, sizeof scen, "%s/scenario", dir);
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s && cp %s/scenario.json %s/households.csv %s/ && "
           "sed 's/^S03,\\(.*\\),\"mon-fri 11:00-19:30\"/S03,\\1,\"mon-tue "
           "11:00-19:30\"/' %s/staff.csv > %s/staff.csv && grep -q 'mon-tue' "
           "%s/staff.csv",
           scen, FIXTURE("demo"), FIXTURE("demo"), scen, FIXTURE("demo"), scen,
           scen);
  CHECK(system(cmd) == 0);
  hv_scenario *s2 = load(scen);
  char keep[700];
  snprintf(keep, sizeof keep, "%s/plan.json", dir);
  hv_plan *q = s2 ? plan(s2, 2, keep, 2) : NULL;
  if (p && q) {
    CHECK_INT_EQ(check_plan(s2, q, 2), 0);
    /* Monday and Tuesday exactly as before. */
    size_t kept = 0;
    for (size_t r = 0; r < p->nroutes; r++) {
      if (p->routes[r].day >= 2) continue;
      const hv_plan_route *a = &p->routes[r], *b = &q->routes[kept++];
      CHECK(b->kept);
      CHECK_STR_EQ(a->pair, b->pair);
      CHECK_INT_EQ(a->nstops, b->nstops);
      for (size_t k = 0; k < a->nstops && k < b->nstops; k++) {
        CHECK_STR_EQ(a->stops[k].household_id, b->stops[k].household_id);
        CHECK_INT_EQ(a->stops[k].start, b->stops[k].start);
      }
    }
    /* A pair id names the same two people all week, and plan.json's
     * pairs list every pair of any route, kept days included. */
    for (size_t r = 0; r < q->nroutes; r++) {
      const hv_plan_route *a = &q->routes[r];
      for (size_t t = r + 1; t < q->nroutes; t++) {
        const hv_plan_route *b = &q->routes[t];
        if (strcmp(a->pair, b->pair) != 0) continue;
        bool same = (strcmp(a->staff[0], b->staff[0]) == 0 &&
                     strcmp(a->staff[1], b->staff[1]) == 0) ||
                    (strcmp(a->staff[0], b->staff[1]) == 0 &&
                     strcmp(a->staff[1], b->staff[0]) == 0);
        if (!same)
          CHECK_FAIL_("pair %s is %s+%s on %s and %s+%s on %s", a->pair,
                      a->staff[0], a->staff[1], hv_day_name(a->day),
                      b->staff[0], b->staff[1], hv_day_name(b->day));
      }
      bool listed = false;
      for (size_t k = 0; k < q->npairs && !listed; k++) {
        const hv_plan_pair *pp = &q->pairs[k];
        listed =
            strcmp(pp->id, a->pair) == 0 && ((long)pp->a == a->staff_index[0] ||
                                             (long)pp->b == a->staff_index[0]);
      }
      if (!listed)
        CHECK_FAIL_("pair %s of %s's route is not in the plan's pairs", a->pair,
                    hv_day_name(a->day));
    }
    /* S03 is in no route from Wednesday on. */
    for (size_t r = 0; r < q->nroutes; r++)
      if (q->routes[r].day >= 2) {
        CHECK(strcmp(q->routes[r].staff[0], "S03") != 0);
        CHECK(strcmp(q->routes[r].staff[1], "S03") != 0);
      }
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  hv_plan_free(p);
  hv_plan_free(q);
  hv_scenario_free(s);
  hv_scenario_free(s2);
}

/* Pair ids come from no fixed table: a district of 205 staff gets 102
 * pairs, every one with its own id, in file order and by the model. */
static void many_pairs_all_named(void) {
  hv_scenario *s = load(FIXTURE("small"));
  if (s == NULL) return;
  hv_error err;
  for (int i = 0; i < 200; i++) {
    char id[16], name[32];
    snprintf(id, sizeof id, "Y%03d", i);
    snprintf(name, sizeof name, "Extra %d", i);
    CHECK_INT_EQ(hv_scenario_add_staff(s, id, name, i % 3 ? "en" : "en;es",
                                       "mon-fri 14:00-19:00", &err),
                 HV_OK);
  }
  for (int model = 0; model < 2; model++) {
    hv_pair_options po;
    hv_pair_options_init(&po);
    po.in_file_order = model == 0;
    po.time_limit_s = 2;
    hv_plan_pair *pairs = NULL;
    size_t n = 0;
    CHECK_INT_EQ(hv_plan_form_pairs(s, &po, &pairs, &n, &err), HV_OK);
    CHECK(n > 80);
    if (model == 0) CHECK_INT_EQ(n, hv_scenario_staff_count(s) / 2);
    for (size_t i = 0; i < n; i++) {
      char want[24];
      snprintf(want, sizeof want, "P%02zu", i + 1);
      CHECK_STR_EQ(pairs[i].id, want);
      CHECK(pairs[i].a != pairs[i].b);
      for (size_t k = 0; k < i; k++)
        CHECK(pairs[k].a != pairs[i].a && pairs[k].b != pairs[i].b &&
              pairs[k].a != pairs[i].b && pairs[k].b != pairs[i].a);
    }
    hv_plan_pairs_free(pairs);
  }
  hv_scenario_free(s);
}

int main(void) {
  RUN(small_with_pairs_file);
  RUN(reasons_are_specific);
  RUN(nobody_can_be_visited);
  RUN(many_languages_few_bits);
  RUN(demo_plan_obeys_every_rule);
  RUN(demo_plan_with_threads);
  RUN(formed_pairs_beat_file_order);
  RUN(replanning_keeps_the_past);
  RUN(long_waits_go_back_to_school);
  RUN(many_pairs_all_named);
  return CHECK_DONE();
}
