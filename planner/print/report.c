/* planner/print/report.c -- reports from the program database: one
 * family's contact-attempt record for a SARB referral (PDF, with a
 * sign-off section), and the program's summary for a date range (CSV, a
 * bar chart of the barriers found as SVG and PNG, and a PDF). */
#include <cairo-svg.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "hv/print.h"
#include "hv/values.h"
#include "render.h"

#define F_TITLE HV_RENDER_FONT " Bold 16"
#define F_BODY HV_RENDER_FONT " 10"
#define F_SMALL HV_RENDER_FONT " 8.5"

/* ---- one family's record -------------------------------------------- */

typedef struct record_ctx {
  hv__doc *d;
  int visits, met, not_home, other_visits, contacts;
  bool any;
} record_ctx;

static const char *kind_label(const char *kind) {
  static const char *const k[][2] = {
      {"visit", "Home visit"},       {"planned", "Visit planned"},
      {"phone", "Phone call"},       {"letter", "Letter"},
      {"text", "Text message"},      {"email", "Email"},
      {"office", "Office follow-up"}};
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
    if (strcmp(kind, k[i][0]) == 0) return k[i][1];
  return kind;
}

static void result_text(const char *r, char *buf, size_t size) {
  snprintf(buf, size, "%s", r);
  for (char *c = buf; *c; c++)
    if (*c == '_') *c = ' ';
}

static void one_event(const hv_store_event *e, void *ud) {
  record_ctx *c = ud;
  char res[128], buf[2400];
  result_text(e->result, res, sizeof res);
  if (strcmp(e->kind, "visit") == 0) {
    c->visits++;
    c->met += strcmp(e->result, "met") == 0;
    c->not_home += strcmp(e->result, "not_home") == 0;
  } else if (strcmp(e->kind, "planned") != 0 &&
             strcmp(e->kind, "office") != 0) {
    c->contacts++;
  }
  c->any = true;
  char *staff = hv__markup_escape(e->staff),
       *notes = hv__markup_escape(e->notes),
       *next = hv__markup_escape(e->next_step),
       *refs = hv__markup_escape(e->referrals), *rs = hv__markup_escape(res);
  size_t n = (size_t)snprintf(buf, sizeof buf, "<b>%s%s%s · %s%s%s</b>",
                              e->date, e->time[0] ? " " : "", e->time,
                              kind_label(e->kind), res[0] ? ": " : "", rs);
  if (n < sizeof buf && staff[0])
    n += (size_t)snprintf(buf + n, sizeof buf - n, " — %s", staff);
  if (n < sizeof buf && e->attempt > 1 && strcmp(e->kind, "visit") == 0)
    n += (size_t)snprintf(buf + n, sizeof buf - n, " (attempt %d)", e->attempt);
  if (n < sizeof buf && e->barriers[0]) {
    char b[256];
    result_text(e->barriers, b, sizeof b);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\nBarriers: %s", b);
  }
  if (n < sizeof buf && refs[0])
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\nReferrals: %s", refs);
  if (n < sizeof buf && next[0])
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\nNext step: %s%s%s", next,
                          e->follow_up_date[0] ? ", follow-up " : "",
                          e->follow_up_date);
  if (n < sizeof buf && notes[0])
    n += (size_t)snprintf(buf + n, sizeof buf - n, "\nNotes: %s", notes);
  if (n < sizeof buf && e->revisions > 0)
    snprintf(buf + n, sizeof buf - n,
             "\n<i>Corrected %d time%s after first "
             "recorded.</i>",
             e->revisions, e->revisions == 1 ? "" : "s");
  g_free(staff), g_free(notes), g_free(next), g_free(refs), g_free(rs);
  hv__doc_para(c->d, F_BODY, buf, true);
  hv__doc_space(c->d, 4);
}

static void sign_off(hv__doc *d) {
  hv__doc_heading(d, "Review and sign-off");
  hv__doc_para(d, F_BODY,
               "I have reviewed the contact attempts listed above and confirm "
               "that they are complete and accurate to the best of my "
               "knowledge.",
               false);
  hv__doc_space(d, 6);
  hv__doc_write_line(d, "Prepared by (name, role):");
  hv__doc_write_line(d, "Signature and date:");
  hv__doc_write_line(d, "Reviewed by (attendance office):");
  hv__doc_write_line(d, "Signature and date:");
}

hv_status hv_report_household(hv_store *st, const char *household,
                              const char *program, const char *path, bool a4,
                              hv_error *err) {
  hv_store_details det;
  hv_store_status status;
  bool found = false;
  hv_status rc = hv_store_get_household(st, household, &det, &found, err);
  if (rc == HV_OK && found)
    rc = hv_store_get_status(st, household, &status, &found, err);
  if (rc != HV_OK) return rc;
  if (!found)
    return hv_error_set(
        err, HV_E_INPUT,
        (hv_where){.source = hv_store_path(st), .field = "household"},
        "household '%s' is not in the program database", household);
  /* Made in memory and written in one go: a failure leaves no file
   * half-way, and nothing beside path is created. */
  hv__doc d;
  if (!hv__doc_open_pdf_mem(&d, path, a4, err))
    return err ? err->code : HV_E_IO;
  char buf[1600], today[HV_DATE_TEXT];
  hv_date_format(hv_date_today(), today);
  snprintf(buf, sizeof buf, "Contact-attempt record — household %s", household);
  hv__doc_para(&d, F_TITLE, buf, false);
  snprintf(buf, sizeof buf,
           "%s. For the School Attendance Review Board (SARB): every home "
           "visit and contact attempt the program recorded for this family. "
           "Prepared %s by hvplan from the program database.",
           program && program[0] ? program : "Home-visit program", today);
  hv__doc_para(&d, F_SMALL, buf, false);
  hv__doc_heading(&d, "The family");
  char *g = hv__markup_escape(det.guardian),
       *s = hv__markup_escape(det.students),
       *a = hv__markup_escape(det.address), *p = hv__markup_escape(det.phone);
  snprintf(buf, sizeof buf,
           "<b>Guardian:</b> %s\n<b>Student(s):</b> %s\n<b>Address:</b> "
           "%s\n<b>Phone:</b> %s\n<b>Home language:</b> %s\n<b>Status:</b> %s",
           g[0] ? g : "—", s[0] ? s : "—", a[0] ? a : "—", p[0] ? p : "—",
           det.language, hv_store_status_name(status));
  g_free(g), g_free(s), g_free(a), g_free(p);
  hv__doc_para(&d, F_BODY, buf, true);
  hv__doc_heading(&d, "Contact attempts, in date order");
  record_ctx c = {.d = &d};
  rc = hv_store_history(st, household, one_event, &c, &found, err);
  if (rc == HV_OK && !c.any)
    hv__doc_para(&d, F_BODY, "No visit or contact attempt recorded yet.",
                 false);
  if (rc == HV_OK) {
    snprintf(buf, sizeof buf,
             "<b>In all:</b> %d home visit%s attempted (%d met, %d nobody "
             "home, %d other outcome%s); %d call%s, letter%s or message%s.",
             c.visits, c.visits == 1 ? "" : "s", c.met, c.not_home,
             c.visits - c.met - c.not_home,
             c.visits - c.met - c.not_home == 1 ? "" : "s", c.contacts,
             c.contacts == 1 ? "" : "s", c.contacts == 1 ? "" : "s",
             c.contacts == 1 ? "" : "s");
    hv__doc_space(&d, 4);
    hv__doc_para(&d, F_BODY, buf, true);
    sign_off(&d);
  }
  bool ok = hv__doc_close(&d, rc == HV_OK ? err : NULL);
  if (rc == HV_OK && !ok) rc = err ? err->code : HV_E_IO;
  if (rc == HV_OK) rc = hv_write_file_atomic(path, d.mem, d.mem_len, err);
  free(d.mem);
  return rc;
}

/* ---- the program's summary ------------------------------------------ */

static void label_of(const char *name, char *buf, size_t size) {
  result_text(name, buf, size);
  if (buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* A horizontal bar chart of the barriers found. */
static void draw_bars(cairo_t *cr, double W, double H, const char *title,
                      const hv_store_summary *s) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  hv__doc d = {.cr = cr, .width = W, .height = H, .margin = 24};
  cairo_set_source_rgb(cr, 0, 0, 0);
  hv__doc_text_at(&d, 24, 16, W - 48, HV_RENDER_FONT " Bold 15", title, false,
                  true);
  long most = 1;
  for (size_t i = 0; i < s->nbarriers; i++)
    if (s->barriers[i].n > most) most = s->barriers[i].n;
  double left = 170, top = 60, right = W - 60;
  double row = s->nbarriers ? fmin(40, (H - top - 30) / s->nbarriers) : 40;
  if (s->nbarriers == 0)
    hv__doc_text_at(&d, 24, top, W - 48, HV_RENDER_FONT " 11",
                    "No barriers recorded in this period.", false, true);
  for (size_t i = 0; i < s->nbarriers; i++) {
    char label[64], num[32];
    label_of(s->barriers[i].name, label, sizeof label);
    double y = top + i * row, w = (right - left) * s->barriers[i].n / most;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    hv__doc_text_at(&d, 24, y + row * 0.2, left - 34, HV_RENDER_FONT " 11",
                    label, false, true);
    cairo_set_source_rgb(cr, 0.20, 0.45, 0.70);
    cairo_rectangle(cr, left, y + row * 0.15, w, row * 0.7);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    snprintf(num, sizeof num, "%ld", s->barriers[i].n);
    hv__doc_text_at(&d, left + w + 6, y + row * 0.2, 60, HV_RENDER_FONT " 11",
                    num, false, true);
  }
}

typedef struct summary_ctx {
  const hv_store_summary *s;
  const hv_store_att_change *att;
  const char *from, *to;
  double threshold;
} summary_ctx;

static double pct(double a, double b) {
  return b > 0 ? 100.0 * a / b : 0;
}

static void summary_csv(const void *ud, FILE *f) {
  const summary_ctx *c = ud;
  const hv_store_summary *s = c->s;
  fprintf(f, "measure,value\r\n");
  fprintf(f, "from,%s\r\nto,%s\r\n", c->from, c->to);
  fprintf(f, "visits_planned,%ld\r\n", s->planned);
  fprintf(f, "visits_attempted,%ld\r\n", s->attempted);
  fprintf(f, "households_attempted,%ld\r\n", s->households_attempted);
  fprintf(f, "households_met,%ld\r\n", s->households_met);
  fprintf(f, "visits_with_referrals,%ld\r\n", s->referrals);
  fprintf(f, "follow_ups_agreed,%ld\r\n", s->follow_ups_agreed);
  fprintf(f, "follow_ups_kept,%ld\r\n", s->follow_ups_kept);
  for (size_t i = 0; i < s->noutcomes; i++)
    fprintf(f, "outcome_%s,%ld\r\n", s->outcomes[i].name, s->outcomes[i].n);
  for (size_t i = 0; i < s->nbarriers; i++)
    fprintf(f, "barrier_%s,%ld\r\n", s->barriers[i].name, s->barriers[i].n);
  for (size_t i = 0; i < s->ncontacts; i++)
    fprintf(f, "contact_%s,%ld\r\n", s->contacts[i].name, s->contacts[i].n);
  const hv_store_att_group *g[2] = {&c->att->met, &c->att->not_met};
  static const char *const name[2] = {"met", "not_met"};
  for (int k = 0; k < 2; k++) {
    fprintf(f, "attendance_%s_students,%ld\r\n", name[k], g[k]->students);
    if (g[k]->students == 0) continue;
    fprintf(f, "attendance_%s_absence_before_pct,%.1f\r\n", name[k],
            pct(g[k]->before_absent, g[k]->before_enrolled));
    fprintf(f, "attendance_%s_absence_after_pct,%.1f\r\n", name[k],
            pct(g[k]->after_absent, g[k]->after_enrolled));
    fprintf(f, "attendance_%s_improved,%ld\r\n", name[k], g[k]->improved);
    fprintf(f, "attendance_%s_chronic_before,%ld\r\n", name[k],
            g[k]->chronic_before);
    fprintf(f, "attendance_%s_chronic_after,%ld\r\n", name[k],
            g[k]->chronic_after);
  }
}

/* One group's line: before, after, how many improved, chronic counts. */
static void att_line(hv__doc *d, const char *who, const hv_store_att_group *g,
                     double threshold) {
  char buf[800];
  if (g->students == 0) {
    snprintf(buf, sizeof buf,
             "%s: no student with attendance imported both before and after "
             "the family's first visit.",
             who);
  } else {
    snprintf(buf, sizeof buf,
             "%s: %ld student%s. Absence %.1f %% of enrolled days before the "
             "first visit, %.1f %% after it. The rate fell for %ld of them. "
             "Chronically absent (%.0f %% or more): %ld before, %ld after.",
             who, g->students, g->students == 1 ? "" : "s",
             pct(g->before_absent, g->before_enrolled),
             pct(g->after_absent, g->after_enrolled), g->improved,
             100 * threshold, g->chronic_before, g->chronic_after);
  }
  hv__doc_para(d, F_BODY, buf, false);
}

static hv_status summary_pdf(const char *dir, const char *program,
                             const summary_ctx *c, bool a4, hv_error *err) {
  const hv_store_summary *s = c->s;
  char path[4200], buf[1200];
  snprintf(path, sizeof path, "%s/summary.pdf", dir);
  hv__doc d;
  if (!hv__doc_open_pdf(&d, path, a4, err)) return err ? err->code : HV_E_IO;
  snprintf(buf, sizeof buf, "Program summary, %s to %s", c->from, c->to);
  hv__doc_para(&d, F_TITLE, buf, false);
  hv__doc_para(&d, F_SMALL,
               program && program[0] ? program : "Home-visit program", false);
  hv__doc_heading(&d, "Visits");
  snprintf(buf, sizeof buf,
           "%ld visits planned, %ld made or attempted (outcome recorded), "
           "reaching %ld famil%s; %ld famil%s met at least once.\n"
           "Referrals made at %ld visit%s. Follow-ups: %ld agreed, %ld kept "
           "(met within 7 days of the agreed date).",
           s->planned, s->attempted, s->households_attempted,
           s->households_attempted == 1 ? "y" : "ies", s->households_met,
           s->households_met == 1 ? "y" : "ies", s->referrals,
           s->referrals == 1 ? "" : "s", s->follow_ups_agreed,
           s->follow_ups_kept);
  hv__doc_para(&d, F_BODY, buf, false);
  hv__doc_heading(&d, "Outcomes");
  for (size_t i = 0; i < s->noutcomes; i++) {
    char l[64];
    label_of(s->outcomes[i].name, l, sizeof l);
    snprintf(buf, sizeof buf, "%s: %ld", l, s->outcomes[i].n);
    hv__doc_para(&d, F_BODY, buf, false);
  }
  if (s->noutcomes == 0)
    hv__doc_para(&d, F_BODY, "No outcome recorded in this period.", false);
  if (s->ncontacts > 0) {
    hv__doc_heading(&d, "Other contact attempts");
    for (size_t i = 0; i < s->ncontacts; i++) {
      char l[64];
      label_of(s->contacts[i].name, l, sizeof l);
      snprintf(buf, sizeof buf, "%s: %ld", l, s->contacts[i].n);
      hv__doc_para(&d, F_BODY, buf, false);
    }
  }
  hv__doc_heading(&d, "Barriers found");
  double w = d.width - 2 * d.margin, h = 60 + 34.0 * (s->nbarriers + 1);
  hv__doc_need(&d, h);
  cairo_save(d.cr);
  cairo_translate(d.cr, d.margin, d.y);
  cairo_rectangle(d.cr, 0, 0, w, h);
  cairo_clip(d.cr);
  draw_bars(d.cr, w, h, "Barriers found at visits", s);
  cairo_restore(d.cr);
  d.y += h + 8;
  hv__doc_heading(&d, "Attendance before and after the first visit");
  if (c->att->imports == 0) {
    hv__doc_para(&d, F_BODY,
                 "No attendance export has been imported for this program "
                 "('hvplan flag' stores each one), so absence rates before and "
                 "after the visits cannot be shown yet.",
                 false);
  } else {
    snprintf(buf, sizeof buf,
             "For the %ld famil%s whose first visit falls in this period: "
             "each student's absence rate up to the first visit (the last "
             "attendance export before it) and after it (from that export to "
             "the last one up to %s).",
             c->att->families, c->att->families == 1 ? "y" : "ies", c->to);
    hv__doc_para(&d, F_BODY, buf, false);
    att_line(&d, "Families met", &c->att->met, c->threshold);
    att_line(&d, "Families visited but never met (for comparison)",
             &c->att->not_met, c->threshold);
    hv__doc_para(&d, F_SMALL,
                 "The same students are compared before and after; this "
                 "shows what changed, not that the visits caused it.",
                 false);
  }
  return hv__doc_close(&d, err) ? HV_OK : (err ? err->code : HV_E_IO);
}

hv_status hv_report_program(hv_store *st, const char *from, const char *to,
                            const char *program, double threshold,
                            const char *dir, bool a4, hv_error *err) {
  hv_store_summary s;
  hv_store_att_change att;
  hv_status rc = hv_store_summarise(st, from, to, &s, err);
  if (rc == HV_OK)
    rc = hv_store_attendance_change(st, from, to, threshold, &att, err);
  if (rc != HV_OK) return rc;
  char staging[4096], path[4200];
  rc = hv__outdir_begin(dir, 0700, staging, sizeof staging, err);
  if (rc != HV_OK) return rc;
  summary_ctx c = {&s, &att, from, to, threshold};
  rc = hv__write_file_with(staging, "summary.csv", summary_csv, &c, err);
  char title[160];
  snprintf(title, sizeof title, "Barriers found at visits, %s to %s", from, to);
  if (rc == HV_OK) {
    snprintf(path, sizeof path, "%s/barriers.svg", staging);
    cairo_surface_t *sv = cairo_svg_surface_create(path, 800, 480);
    cairo_t *cr = cairo_create(sv);
    draw_bars(cr, 800, 480, title, &s);
    cairo_destroy(cr);
    cairo_surface_finish(sv);
    bool bad = cairo_surface_status(sv) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(sv);
    cairo_surface_t *png =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 720);
    cr = cairo_create(png);
    cairo_scale(cr, 1.5, 1.5);
    draw_bars(cr, 800, 480, title, &s);
    cairo_destroy(cr);
    snprintf(path, sizeof path, "%s/barriers.png", staging);
    bad |= cairo_surface_write_to_png(png, path) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(png);
    if (bad)
      rc = hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "the barrier chart could not be written");
  }
  if (rc == HV_OK) rc = summary_pdf(staging, program, &c, a4, err);
  if (rc != HV_OK) {
    hv__outdir_abort(staging);
    return rc;
  }
  return hv__outdir_commit(staging, dir, err);
}
