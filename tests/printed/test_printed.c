/* tests/printed/test_printed.c -- route sheets, visit packets, roster PDF,
 * week map and calendars for the demo week.  PDFs are turned into text with
 * pdftotext and into pixels with pdftoppm (poppler-utils); calendars are
 * parsed back with libical. */
#include <libical/ical.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "hv/plan.h"
#include "hv/planning.h"
#include "hv/print.h"
#include "plan_def.h"

static char *run(const char *cmd) {
  FILE *p = popen(cmd, "r");
  if (p == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  size_t got;
  while ((got = fread(b + n, 1, cap - n - 1, p)) > 0) {
    n += got;
    if (cap - n < 4096) b = realloc(b, cap *= 2);
  }
  b[n] = '\0';
  pclose(p);
  return b;
}

/* Folds every run of white space into one space, in place. */
static char *squash(char *t) {
  if (t == NULL) return NULL;
  char *w = t;
  bool space = false;
  for (char *r = t; *r; r++) {
    if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r' || *r == '\f') {
      space = true;
      continue;
    }
    if (space && w != t) *w++ = ' ';
    space = false;
    *w++ = *r;
  }
  *w = '\0';
  return t;
}

static hv_scenario *scenario;
static hv_plan *plan;
static char out[] = "/tmp/hv_printed_XXXXXX";

static void setup(void) {
  hv_diags *d = hv_diags_create();
  CHECK_INT_EQ(hv_scenario_load(FIXTURE("demo"), &scenario, d), HV_OK);
  hv_diags_free(d);
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = 120;
  o.iterations = 20000;
  hv_error err;
  CHECK_INT_EQ(hv_plan_build(scenario, &o, &plan, &err), HV_OK);
  CHECK(mkdtemp(out) != NULL);
  hv_write_options wo = {.printed = true};
  CHECK_INT_EQ(hv_plan_write(plan, out, &wo, &err), HV_OK);
}

/* The route with the most stops: the richest sheet to read. */
static const hv_plan_route *busiest(void) {
  const hv_plan_route *best = &plan->routes[0];
  for (size_t r = 0; r < plan->nroutes; r++)
    if (plan->routes[r].nstops > best->nstops && !plan->routes[r].kept)
      best = &plan->routes[r];
  return best;
}

static void route_sheets_list_every_stop_in_order(void) {
  size_t sheets = 0;
  for (size_t r = 0; r < plan->nroutes; r++) {
    const hv_plan_route *pr = &plan->routes[r];
    char cmd[800];
    snprintf(cmd, sizeof cmd, "pdftotext '%s/routes/%s_%s.pdf' -", out,
             hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair);
    char *text = run(cmd);
    CHECK(text && text[0]);
    if (!text) continue;
    sheets++;
    CHECK_STR_CONTAINS(text, "Route sheet");
    CHECK_STR_CONTAINS(text, pr->pair);
    const char *at = text;
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      const hv_household *h = &scenario->households[ps->household];
      char line[64], st[6], en[6];
      hv_hhmm_format(ps->start, st);
      hv_hhmm_format(ps->end, en);
      /* "3.  15:00–15:45" in order, then the household id */
      snprintf(line, sizeof line, "%zu. %s\xE2\x80\x93%s", k + 1, st, en);
      const char *found = strstr(at, line);
      if (!found)
        CHECK_FAIL_("%s_%s: stop '%s' missing or out of order",
                    hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair,
                    line);
      else
        at = found + 1;
      CHECK_STR_CONTAINS(text, ps->household_id);
      CHECK_STR_CONTAINS(text, h->phone);
      /* Nothing of the visit's reason on the route sheet. */
      if (h->notes[0]) CHECK(strstr(text, h->notes) == NULL);
    }
    CHECK(strstr(text, "absences") == NULL);
    CHECK(strstr(text, "attendance") == NULL);
    CHECK(strstr(text, "Attendance") == NULL);
    CHECK_STR_CONTAINS(text, "Go in pairs");
    CHECK_STR_CONTAINS(text, "612-555-0100"); /* the office, for check-ins */
    free(text);
  }
  CHECK_INT_EQ(sheets, plan->nroutes);
}

static void packets_hold_the_rest(void) {
  const hv_plan_route *pr = busiest();
  char cmd[800];
  snprintf(cmd, sizeof cmd, "pdfinfo '%s/packets/%s_%s.pdf' | grep Pages", out,
           hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair);
  char *info = run(cmd);
  int pages = info ? atoi(strchr(info, ':') ? strchr(info, ':') + 1 : "0") : 0;
  free(info);
  /* Each family: a cover and log (one or two pages) and a leave-behind. */
  CHECK(pages >= 2 * (int)pr->nstops && pages <= 3 * (int)pr->nstops);
  snprintf(cmd, sizeof cmd, "pdftotext '%s/packets/%s_%s.pdf' -", out,
           hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair);
  char *text = squash(run(cmd));
  CHECK_STR_CONTAINS(text, "Visit log");
  CHECK_STR_CONTAINS(text, "Sorry we missed you");
  CHECK_STR_CONTAINS(text, "do not tell neighbours why you came");
  CHECK_STR_CONTAINS(text, "Signatures (both staff)");
  for (size_t k = 0; k < pr->nstops; k++) {
    const hv_household *h = &scenario->households[pr->stops[k].household];
    CHECK_STR_CONTAINS(text, h->guardian);
    if (strcmp(h->language, "es") == 0)
      CHECK_STR_CONTAINS(text, "Hoy pasamos a saludarles. Nos importa su hijo");
    if (h->visit_type == HV_VISIT_RELATIONAL)
      CHECK_STR_CONTAINS(text, "hopes and dreams");
  }
  free(text);
}

/* No page of any packet holds fewer than 5 lines of text: the visit log
 * is kept on one page, never a signature line alone. */
static void packet_pages_are_never_near_empty(void) {
  int short_pages = 0, pages_seen = 0;
  for (size_t r = 0; r < plan->nroutes; r++) {
    const hv_plan_route *pr = &plan->routes[r];
    char path[600], cmd[900];
    snprintf(path, sizeof path, "%s/packets/%s_%s.pdf", out,
             hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep Pages", path);
    char *info = run(cmd);
    int pages = info && strchr(info, ':') ? atoi(strchr(info, ':') + 1) : 0;
    free(info);
    CHECK(pages > 0);
    for (int pg = 1; pg <= pages; pg++) {
      snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d -layout '%s' -", pg, pg,
               path);
      char *text = run(cmd);
      int lines = 0;
      bool blank = true;
      for (const char *c = text ? text : ""; *c; c++) {
        if (*c == '\n' || *c == '\f') {
          lines += !blank;
          blank = true;
        } else if (*c != ' ') {
          blank = false;
        }
      }
      lines += !blank;
      free(text);
      pages_seen++;
      if (lines < 5) {
        if (short_pages++ < 3)
          CHECK_FAIL_("%s page %d has only %d lines of text", path, pg, lines);
      }
    }
  }
  CHECK_INT_EQ(short_pages, 0);
  CHECK(pages_seen >= 2 * (int)plan->visited);
}

/* A long gap between visits (visits.max_wait_minutes) shows as the time
 * back at school on the route sheet, the roster and in roster.csv. */
static void school_breaks_printed(void) {
  size_t found = 0;
  for (size_t r = 0; r < plan->nroutes; r++) {
    const hv_plan_route *pr = &plan->routes[r];
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      if (ps->school_from < 0) continue;
      char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT], want[64], cmd[800];
      hv_hhmm_format(ps->school_from, a);
      hv_hhmm_format(ps->school_to, b);
      snprintf(want, sizeof want, "Back at school %s–%s", a, b);
      snprintf(cmd, sizeof cmd, "pdftotext '%s/routes/%s_%s.pdf' -", out,
               hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair);
      char *text = squash(run(cmd));
      CHECK_STR_CONTAINS(text, want);
      free(text);
      snprintf(cmd, sizeof cmd, "pdftotext '%s/roster.pdf' -", out);
      text = squash(run(cmd));
      CHECK_STR_CONTAINS(text, want);
      free(text);
      snprintf(want, sizeof want, ",%s-%s,", a, b);
      snprintf(cmd, sizeof cmd, "%s/roster.csv", out);
      text = check_read_file(cmd);
      CHECK_STR_CONTAINS(text, want);
      free(text);
      found++;
    }
  }
  CHECK(found > 0); /* the demo has such gaps */
}

/* A name with diacritics survives PDF text layout. */
static void diacritics_survive(void) {
  char cmd[800];
  snprintf(cmd, sizeof cmd, "pdftotext '%s/roster.pdf' -", out);
  char *text = run(cmd);
  bool any = false;
  for (size_t r = 0; r < plan->nroutes; r++)
    for (size_t k = 0; k < plan->routes[r].nstops; k++) {
      const char *g =
          scenario->households[plan->routes[r].stops[k].household].guardian;
      bool ascii = true;
      for (const char *c = g; *c; c++)
        ascii &= (unsigned char)*c < 0x80;
      if (!ascii) {
        any = true;
        CHECK_STR_CONTAINS(text, g);
      }
    }
  CHECK(any); /* the demo has Nguyễn, García, Peña, ... */
  free(text);
}

static void page_is_not_blank(void) {
  const hv_plan_route *pr = busiest();
  char cmd[900];
  snprintf(
      cmd, sizeof cmd,
      "pdftoppm -r 40 -gray -f 1 -l 1 '%s/routes/%s_%s.pdf' '%s/page' && ls "
      "%s/page*.pgm",
      out, hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair, out,
      out);
  char *name = run(cmd);
  if (name) name[strcspn(name, "\n")] = '\0';
  FILE *f = name ? fopen(name, "rb") : NULL;
  CHECK(f != NULL);
  if (f) {
    int w = 0, h = 0, mx = 0;
    CHECK(fscanf(f, "P5 %d %d %d", &w, &h, &mx) == 3);
    fgetc(f);
    long dark = 0, total = (long)w * h;
    for (long i = 0; i < total; i++)
      dark += fgetc(f) < 128;
    fclose(f);
    /* Text, a map and QR codes: well above 1 % dark, well below half. */
    CHECK(dark > total / 100 && dark < total / 2);
    remove(name);
  }
  free(name);
}

static void calendars_parse_back(void) {
  for (size_t i = 0; i < scenario->nstaff; i++) {
    const hv_staff *st = &scenario->staff[i];
    size_t want = 0;
    for (size_t r = 0; r < plan->nroutes; r++)
      if (strcmp(plan->routes[r].staff[0], st->id) == 0 ||
          strcmp(plan->routes[r].staff[1], st->id) == 0)
        for (size_t k = 0; k < plan->routes[r].nstops; k++)
          want += 1 + (plan->routes[r].stops[k].school_from >= 0);
    char path[700];
    snprintf(path, sizeof path, "%s/calendars/%s.ics", out, st->id);
    char *text = check_read_file(path);
    if (want == 0) {
      free(text);
      continue;
    }
    icalcomponent *cal = text ? icalparser_parse_string(text) : NULL;
    CHECK(cal != NULL);
    if (cal == NULL) {
      free(text);
      continue;
    }
    icalcomponent *tz =
        icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
    CHECK(tz != NULL);
    if (tz)
      CHECK_STR_EQ(icalproperty_get_tzid(icalcomponent_get_first_property(
                       tz, ICAL_TZID_PROPERTY)),
                   "America/Chicago");
    size_t events = 0;
    for (icalcomponent *ev =
             icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
      events++;
      icalproperty *ds =
          icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
      icalparameter *tzid =
          icalproperty_get_first_parameter(ds, ICAL_TZID_PARAMETER);
      CHECK(tzid &&
            strcmp(icalparameter_get_tzid(tzid), "America/Chicago") == 0);
      struct icaltimetype t = icalproperty_get_dtstart(ds);
      /* The event matches a stop of this staff member's routes. */
      const char *uid = icalcomponent_get_uid(ev);
      bool match = false;
      for (size_t r = 0; r < plan->nroutes && !match; r++) {
        const hv_plan_route *pr = &plan->routes[r];
        for (size_t k = 0; k < pr->nstops && !match; k++) {
          char u[160];
          snprintf(u, sizeof u, "%s-%s-%s@hvplan",
                   hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair,
                   pr->stops[k].household_id);
          bool visit = strcmp(u, uid) == 0;
          /* The time back at school before a stop after a long gap. */
          snprintf(u, sizeof u, "%s-%s-school-%zu@hvplan",
                   hv_date_format(pr->date, (char[HV_DATE_TEXT]){0}), pr->pair,
                   k + 1);
          bool school = strcmp(u, uid) == 0;
          if (!visit && !school) continue;
          match = t.hour * 60 + t.minute ==
                      (visit ? pr->stops[k].start : pr->stops[k].school_from) &&
                  t.year == pr->date.y && t.day == pr->date.d;
        }
      }
      CHECK(match);
    }
    CHECK_INT_EQ(events, want);
    /* No child's name in a calendar that may sync to a cloud. */
    for (size_t h = 0; h < scenario->nhouseholds; h++)
      if (scenario->households[h].student[0] &&
          strstr(text, scenario->households[h].guardian))
        CHECK_FAIL_("%s.ics names a guardian", st->id);
    icalcomponent_free(cal);
    free(text);
  }
}

static void week_map_and_regeneration(void) {
  char path[700];
  snprintf(path, sizeof path, "%s/week.svg", out);
  char *svg = check_read_file(path);
  CHECK_STR_CONTAINS(svg, "<svg");
  free(svg);
  /* Edit the plan by hand (drop the last stop of the busiest route), then
   * regenerate: the sheet follows the edit. */
  char cmd[2000];
  snprintf(
      cmd, sizeof cmd,
      "cd '%s' && python3 -c \"import json; p=json.load(open('plan.json')); "
      "r=max(p['routes'], key=lambda r: len(r['stops'])); d=r['stops'].pop(); "
      "json.dump(p, open('plan.json','w')); print(r['date']+'_'+r['pair']+' "
      "'+d['household'])\"",
      out);
  char *edited = run(cmd);
  CHECK(edited && strchr(edited, ' '));
  if (edited && strchr(edited, ' ')) {
    edited[strcspn(edited, "\n")] = '\0';
    char *hh = strchr(edited, ' ');
    *hh++ = '\0';
    snprintf(cmd, sizeof cmd,
             "%s packets '%s/plan.json' >/dev/null && pdftotext "
             "'%s/routes/%s.pdf' -",
             HV_HVPLAN, out, out, edited);
    char *text = run(cmd);
    CHECK(text && strstr(text, "Route sheet"));
    CHECK(text && strstr(text, hh) == NULL);
    free(text);
  }
  free(edited);
}

int main(void) {
  setup();
  if (plan) {
    RUN(route_sheets_list_every_stop_in_order);
    RUN(packets_hold_the_rest);
    RUN(packet_pages_are_never_near_empty);
    RUN(school_breaks_printed);
    RUN(diacritics_survive);
    RUN(page_is_not_blank);
    RUN(calendars_parse_back);
    RUN(week_map_and_regeneration);
  }
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
  if (system(cmd) != 0) CHECK(false);
  hv_plan_free(plan);
  hv_scenario_free(scenario);
  hv_print_global_cleanup();
  return CHECK_DONE();
}
