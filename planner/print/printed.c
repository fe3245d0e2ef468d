/* planner/print/printed.c -- what staff carry out the door and what the
 * coordinator pins up: a route sheet and a visit packet per pair per day
 * (PDF, cairo + pango), the week's roster (PDF) and map (SVG).
 *
 * The route sheet may be seen by others (it travels on a clipboard), so it
 * holds only what the route needs: no reason for the visit, no absence
 * counts.  The packet holds the rest. */
#include <cairo-svg.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common_int.h"
#include "hv/geo.h"
#include "printed.h"
#include "render.h"

#define F_BODY HV_RENDER_FONT " 9.5"
#define F_SMALL HV_RENDER_FONT " 8.5"
#define F_TITLE HV_RENDER_FONT " Bold 16"

/* Colours for pairs on the week map (colour-blind-safe Okabe-Ito set). */
static const double palette[][3] = {{0.00, 0.45, 0.70}, {0.90, 0.62, 0.00},
                                    {0.00, 0.62, 0.45}, {0.80, 0.47, 0.65},
                                    {0.34, 0.71, 0.91}, {0.84, 0.37, 0.00},
                                    {0.94, 0.89, 0.26}, {0.35, 0.35, 0.35}};
#define NPALETTE (sizeof palette / sizeof palette[0])

static void date_text(int day, hv_date date, char *buf, size_t size) {
  snprintf(buf, size, "%s %d %s %d", hv_day_long_name(day), date.d,
           hv_month_name(date.m), date.y);
}

static void long_date(const hv_plan_route *r, char *buf, size_t size) {
  date_text(r->day, r->date, buf, size);
}

/* The family's window that holds the visit, as text. */
static void window_text(const hv_household *h, int day, int start, int end,
                        char *buf, size_t size) {
  if (h->avail.n == 0) {
    snprintf(buf, size, "any time");
    return;
  }
  for (size_t i = 0; i < h->avail.n; i++) {
    const hv_window *w = &h->avail.w[i];
    if (w->day == day && w->start_min <= start && end <= w->end_min) {
      char a[6], b[6];
      hv_hhmm_format(w->start_min, a);
      hv_hhmm_format(w->end_min, b);
      snprintf(buf, size, "%s-%s", a, b);
      return;
    }
  }
  snprintf(buf, size, "?");
}

static const hv_household *stop_household(const hv_scenario *s,
                                          const hv_plan_stop *ps) {
  return ps->household < s->nhouseholds ? &s->households[ps->household] : NULL;
}

static const hv_staff *route_staff(const hv_scenario *s, const hv_plan_route *r,
                                   int k) {
  long i = r->staff_index[k];
  return i >= 0 && (size_t)i < s->nstaff ? &s->staff[i] : NULL;
}

/* A standard maps URL that opens turn-by-turn directions on a phone. */
static void directions_url(double lat, double lon, char *buf, size_t size) {
  snprintf(buf, size,
           "https://www.google.com/maps/dir/?api=1&destination=%.6f,%.6f", lat,
           lon);
}

/* ---- the route map -------------------------------------------------- */

/* A round scale bar length (m) close to a fifth of the map's width. */
static double nice_length(double m) {
  double p = pow(10, floor(log10(m)));
  double f = m / p;
  return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

/* Draws the school and the route's stops, projected around the school,
 * into the box (x, y, w, h). */
static void draw_route_map(cairo_t *cr, const hv_scenario *s,
                           const hv_plan_route *r, double x, double y, double w,
                           double h) {
  size_t n = r->nstops + 1;
  hv_latlon *pts = malloc(n * sizeof *pts);
  double *xy = malloc(2 * n * sizeof *xy);
  hv_projection *pr =
      hv_projection_create((hv_latlon){s->base.lat, s->base.lon}, NULL);
  if (!pts || !xy || !pr) goto done;
  pts[0] = (hv_latlon){s->base.lat, s->base.lon};
  size_t k = 1;
  for (size_t i = 0; i < r->nstops; i++) {
    const hv_household *hh = stop_household(s, &r->stops[i]);
    double lat, lon;
    pts[k++] = hh && hv_household_site(s, hh, &lat, &lon)
                   ? (hv_latlon){lat, lon}
                   : pts[0];
  }
  if (hv_projection_forward(pr, pts, n, xy, NULL) != HV_OK) goto done;
  double minx = 0, maxx = 0, miny = 0, maxy = 0;
  for (size_t i = 0; i < n; i++) {
    minx = fmin(minx, xy[2 * i]), maxx = fmax(maxx, xy[2 * i]);
    miny = fmin(miny, xy[2 * i + 1]), maxy = fmax(maxy, xy[2 * i + 1]);
  }
  double span = fmax(fmax(maxx - minx, maxy - miny), 200.0) * 1.15;
  double scale = fmin(w, h) / span; /* points per metre */
  double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
#define PX(i) (x + w / 2 + (xy[2 * (i)] - cx) * scale)
#define PY(i) (y + h / 2 - (xy[2 * (i) + 1] - cy) * scale)
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.96, 0.96, 0.94);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.5);
  cairo_rectangle(cr, x, y, w, h);
  cairo_stroke(cr);
  /* The path: school, stops in order, school. */
  cairo_set_source_rgb(cr, 0.0, 0.45, 0.70);
  cairo_set_line_width(cr, 1.6);
  cairo_move_to(cr, PX(0), PY(0));
  for (size_t i = 1; i < n; i++)
    cairo_line_to(cr, PX(i), PY(i));
  cairo_close_path(cr);
  cairo_stroke(cr);
  /* School: a square; stops: numbered circles. */
  cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
  cairo_rectangle(cr, PX(0) - 5, PY(0) - 5, 10, 10);
  cairo_fill(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 8);
  for (size_t i = 1; i < n; i++) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_arc(cr, PX(i), PY(i), 7.5, 0, 2 * G_PI);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.0, 0.45, 0.70);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
    char num[24];
    snprintf(num, sizeof num, "%zu", i);
    cairo_text_extents_t te;
    cairo_text_extents(cr, num, &te);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, PX(i) - te.width / 2 - te.x_bearing,
                  PY(i) - te.height / 2 - te.y_bearing);
    cairo_show_text(cr, num);
  }
  /* Scale bar and north arrow. */
  double len = nice_length(span / 5);
  double bx = x + 10, by = y + h - 12;
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1.5);
  cairo_move_to(cr, bx, by);
  cairo_line_to(cr, bx + len * scale, by);
  cairo_stroke(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 7.5);
  char lab[32];
  if (len >= 1000)
    snprintf(lab, sizeof lab, "%g km", len / 1000);
  else
    snprintf(lab, sizeof lab, "%g m", len);
  cairo_move_to(cr, bx, by - 4);
  cairo_show_text(cr, lab);
  cairo_move_to(cr, x + w - 14, y + 8);
  cairo_show_text(cr, "N");
  cairo_move_to(cr, x + w - 11, y + 11);
  cairo_line_to(cr, x + w - 11, y + 24);
  cairo_stroke(cr);
  cairo_restore(cr);
#undef PX
#undef PY
done:
  hv_projection_free(pr);
  free(pts);
  free(xy);
}

/* ---- route sheet ---------------------------------------------------- */

/* The warning on every sheet of a plan printed with --force. */
static void unchecked_banner(hv__doc *d, bool unchecked) {
  if (!unchecked) return;
  hv__doc_para(d, F_TITLE,
               "<span foreground=\"#b00000\">NOT CHECKED: this plan breaks "
               "planning rules (printed with --force)</span>",
               true);
}

/* "Back at school 12:25–14:45" before a stop reached from the school after
 * a long gap (visits.max_wait_minutes). */
static void school_break(hv__doc *d, const hv_scenario *s,
                         const hv_plan_stop *ps, const char *font) {
  if (ps->school_from < 0) return;
  char buf[300], a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
  char *name = hv__markup_escape(s->base.name);
  snprintf(buf, sizeof buf,
           "<i>Back at school %s–%s</i> (%s) — a long gap before the next "
           "family's window",
           hv_hhmm_format(ps->school_from, a), hv_hhmm_format(ps->school_to, b),
           name);
  g_free(name);
  hv__doc_para(d, font, buf, true);
  hv__doc_space(d, 3);
}

static void route_sheet(hv__doc *d, const hv_scenario *s,
                        const hv_plan_route *r, bool unchecked) {
  char buf[1024], date[64];
  unchecked_banner(d, unchecked);
  long_date(r, date, sizeof date);
  snprintf(buf, sizeof buf, "Route sheet — %s — pair %s", date, r->pair);
  hv__doc_para(d, F_TITLE, buf, false);
  const hv_staff *a = route_staff(s, r, 0), *b = route_staff(s, r, 1);
  char dep[6], back[6];
  hv_hhmm_format(r->depart, dep);
  hv_hhmm_format(r->back, back);
  snprintf(buf, sizeof buf, "%s (%s) and %s (%s)", a ? a->name : r->staff[0],
           a && a->phone[0] ? a->phone : "no phone listed",
           b ? b->name : r->staff[1],
           b && b->phone[0] ? b->phone : "no phone listed");
  hv__doc_para(d, HV_RENDER_FONT " Bold 10.5", buf, false);
  snprintf(buf, sizeof buf,
           "Leave %s at %s · back by %s · %zu visit%s · %.0f min driving",
           s->base.name, dep, back, r->nstops, r->nstops == 1 ? "" : "s",
           r->travel_min);
  hv__doc_para(d, F_BODY, buf, false);
  hv__doc_space(d, 4);
  double mapw = d->width - 2 * d->margin, maph = 230;
  hv__doc_need(d, maph + 10);
  draw_route_map(d->cr, s, r, d->margin, d->y, mapw, maph);
  d->y += maph + 8;

  hv__doc_heading(d, "Stops");
  for (size_t k = 0; k < r->nstops; k++) {
    const hv_plan_stop *ps = &r->stops[k];
    school_break(d, s, ps, F_BODY);
    const hv_household *h = stop_household(s, ps);
    char ar[6], st[6], en[6], win[40], fn[64];
    hv_hhmm_format(ps->arrive, ar);
    hv_hhmm_format(ps->start, st);
    hv_hhmm_format(ps->end, en);
    if (h)
      window_text(h, r->day, ps->start, ps->end, win, sizeof win);
    else
      snprintf(win, sizeof win, "?");
    char *guardian = hv__markup_escape(h ? h->guardian : ps->household_id);
    char *student =
        hv__markup_escape(h ? hv_first_name(h->student, fn, sizeof fn) : "");
    /* A place visit: the place, never the family's home address. */
    char site[400] = "";
    if (h) hv_household_site_text(s, h, site, sizeof site);
    char *addr = hv__markup_escape(site);
    char *phone = hv__markup_escape(h ? h->phone : "");
    const char *lang = h ? h->language : "en";
    snprintf(buf, sizeof buf,
             "<b>%zu.  %s–%s</b>  (arrive %s; family's window %s)\n"
             "<b>%s</b>%s%s · %s\n%s · %s%s",
             k + 1, st, en, ar, win, guardian, student[0] ? ", for " : "",
             student, ps->household_id, addr, hv_language_name(lang),
             phone[0] ? "" : "");
    if (phone[0]) {
      size_t l = strlen(buf);
      snprintf(buf + l, sizeof buf - l, " · %s", phone);
    }
    g_free(guardian), g_free(student), g_free(addr), g_free(phone);
    double textw = d->width - 2 * d->margin - 70;
    double hh =
        hv__doc_text_at(d, d->margin, d->y, textw, F_BODY, buf, true, false);
    double need = fmax(hh, 62) + 6;
    hv__doc_need(d, need);
    hv__doc_text_at(d, d->margin, d->y, textw, F_BODY, buf, true, true);
    double lat, lon;
    if (h && hv_household_site(s, h, &lat, &lon)) {
      char url[160];
      directions_url(lat, lon, url, sizeof url);
      hv__doc_qr(d->cr, d->width - d->margin - 62, d->y, 62, url);
    }
    d->y += need;
  }

  hv__doc_heading(d, "Check-in with the office");
  size_t used = 0;
  char call[512];
  used += (size_t)snprintf(
      call, sizeof call, "Call %s%s%s when you leave (%s), after each visit (",
      s->base.name, s->base.phone[0] ? " at " : "", s->base.phone, dep);
  for (size_t k = 0; k < r->nstops && used < sizeof call; k++) {
    char en[6];
    hv_hhmm_format(r->stops[k].end, en);
    used += (size_t)snprintf(call + used, sizeof call - used, "%s%s",
                             k ? ", " : "", en);
  }
  if (used < sizeof call)
    snprintf(call + used, sizeof call - used,
             ") and when you are back (%s). If a call is 15 minutes late, the "
             "office calls you.",
             back);
  hv__doc_para(d, F_BODY, call, false);

  hv__doc_heading(d, "Safety");
  static const char *const safety[] = {
      "Go in pairs, always: both of you at every door.",
      "Phones charged, the office number saved, location sharing on.",
      "Look around when you arrive. If anything feels unsafe, leave and "
      "call the office — you can come back another day.",
      "If the family prefers, meet on the porch or at a public place nearby "
      "(a library, a café).",
      "Do not share the purpose of the visit with anyone but the family."};
  for (size_t i = 0; i < sizeof safety / sizeof safety[0]; i++) {
    snprintf(buf, sizeof buf, "•  %s", safety[i]);
    hv__doc_para(d, F_BODY, buf, false);
  }
}

/* ---- visit packet --------------------------------------------------- */

/* Reads templates/leave_behind.<lang>.txt from the scenario if there is
 * one; NULL otherwise (caller frees). */
static char *translation(const hv_scenario *s, const char *lang) {
  char name[64], path[4096];
  snprintf(name, sizeof name, "templates/leave_behind.%s.txt", lang);
  if (!hv_path_join(path, sizeof path, s->dir, name)) return NULL;
  char *text;
  size_t len;
  if (hv__read_file(path, 65536, &text, &len, NULL) != HV_OK) return NULL;
  if (!hv__utf8_valid(text, len, NULL)) {
    free(text);
    return NULL;
  }
  return text;
}

static const char leave_behind_en[] =
    "We stopped by today to say hello. We care about your child and want "
    "to support your family. Please call us when it suits you — we would "
    "love to hear from you.";

static void field_line(hv__doc *d, const char *label, const char *value) {
  if (value == NULL || value[0] == '\0') return;
  char *v = hv__markup_escape(value);
  char buf[1200];
  snprintf(buf, sizeof buf, "<b>%s:</b> %s", label, v);
  g_free(v);
  hv__doc_para(d, F_BODY, buf, true);
}

/* Columns that hold attendance data, by name. */
static bool attendance_column(const char *name) {
  static const char *const words[] = {"absen", "attend", "tard", "truan"};
  char low[128];
  snprintf(low, sizeof low, "%s", name);
  for (char *c = low; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strstr(low, words[i])) return true;
  return false;
}

/* The visit log: the form staff fill in by hand at the door. */
static void visit_log(hv__doc *d, const void *ud) {
  const hv_household *h = ud;
  hv__doc_heading(d, "Visit log (fill in by hand)");
  static const char *const outcomes[] = {"met", "not home", "declined", "moved",
                                         "other"};
  hv__doc_para(d, HV_RENDER_FONT " Bold 9.5", "Outcome", false);
  hv__doc_checkboxes(d, outcomes, 5, 5);
  static const char *const barriers[] = {"transportation", "health",
                                         "housing",        "childcare",
                                         "work schedule",  "safety on the way",
                                         "school climate", "other"};
  hv__doc_para(d, HV_RENDER_FONT " Bold 9.5", "Barriers found", false);
  hv__doc_checkboxes(d, barriers, 8, 4);
  hv__doc_write_line(d, "Resources offered, referrals made:");
  hv__doc_write_line(d, "");
  hv__doc_write_line(d, "Agreed next step:");
  hv__doc_write_line(d, "Follow-up date:");
  if (h->visit_type == HV_VISIT_RELATIONAL) {
    hv__doc_write_line(d,
                       "Reflection (afterwards, together): what did we learn?");
    hv__doc_write_line(d, "");
  }
  hv__doc_write_line(d, "Signatures (both staff):");
}

/* One visit as a packet sees it: a stop of a route, or a video call (one
 * staff member, b NULL). */
typedef struct visit_view {
  const hv_household *h;
  const char *household_id;
  int day;
  hv_date date;
  int start, end;
  const hv_staff *a, *b;
  const char *a_id, *b_id;
  size_t index, count;      /* visit index+1 of count (a route) */
  const hv_plan_call *call; /* a video call, else NULL */
} visit_view;

static visit_view stop_view(const hv_scenario *s, const hv_plan_route *r,
                            size_t k) {
  const hv_plan_stop *ps = &r->stops[k];
  return (visit_view){.h = stop_household(s, ps),
                      .household_id = ps->household_id,
                      .day = r->day,
                      .date = r->date,
                      .start = ps->start,
                      .end = ps->end,
                      .a = route_staff(s, r, 0),
                      .b = route_staff(s, r, 1),
                      .a_id = r->staff[0],
                      .b_id = r->staff[1],
                      .index = k,
                      .count = r->nstops};
}

static visit_view call_view(const hv_scenario *s, const hv_plan_call *c) {
  return (visit_view){
      .h = c->household < s->nhouseholds ? &s->households[c->household] : NULL,
      .household_id = c->household_id,
      .day = c->day,
      .date = c->date,
      .start = c->start,
      .end = c->end,
      .a = c->staff_index >= 0 ? &s->staff[c->staff_index] : NULL,
      .a_id = c->staff,
      .b_id = "",
      .call = c};
}

static void packet_for(hv__doc *d, const hv_scenario *s, const visit_view *v,
                       bool unchecked) {
  const hv_household *h = v->h;
  char buf[1500], date[64], st[6], en[6], win[40];
  unchecked_banner(d, unchecked);
  date_text(v->day, v->date, date, sizeof date);
  hv_hhmm_format(v->start, st);
  hv_hhmm_format(v->end, en);
  if (v->call)
    snprintf(buf, sizeof buf, "Video call — %s, %s–%s", date, st, en);
  else
    snprintf(buf, sizeof buf, "Visit %zu of %zu — %s, %s–%s", v->index + 1,
             v->count, date, st, en);
  hv__doc_para(d, F_TITLE, buf, false);
  if (h == NULL) {
    snprintf(buf, sizeof buf, "Household %s is no longer in households.csv.",
             v->household_id);
    hv__doc_para(d, F_BODY, buf, false);
    return;
  }
  hv__doc_heading(d, "The family");
  field_line(d, "Guardian", h->guardian);
  field_line(d, "Student", h->student);
  field_line(d, "Household", h->id);
  field_line(d, "Phone", h->phone);
  char site[512];
  if (v->call) {
    field_line(d, "Join",
               hv_plan_call_link(s, v->call, site, sizeof site) + 12);
  } else if (h->mode == HV_MODE_PLACE) {
    field_line(d, "Meeting place",
               hv_household_site_text(s, h, site, sizeof site));
  } else {
    field_line(d, "Address", h->address);
  }
  const hv_staff *a = v->a, *b = v->b;
  if (strcmp(h->language, "en") == 0) {
    field_line(d, "Language", "English");
  } else {
    const hv_staff *sp = a && hv_staff_speaks(a, h->language)   ? a
                         : b && hv_staff_speaks(b, h->language) ? b
                                                                : NULL;
    snprintf(
        buf, sizeof buf, "%s — %s", hv_language_name(h->language),
        sp ? sp->name : "no one on this visit speaks it: bring an interpreter");
    if (sp) {
      size_t l = strlen(buf);
      snprintf(buf + l, sizeof buf - l, " speaks it and is on this visit");
    }
    field_line(d, "Language", buf);
  }
  window_text(h, v->day, v->start, v->end, win, sizeof win);
  field_line(d, "Family's window", win);
  field_line(d, "Notes", h->notes);
  if (h->attempts > 0) {
    snprintf(buf, sizeof buf, "%d (nobody was home %d time%s before)",
             h->attempts + 1, h->attempts, h->attempts == 1 ? "" : "s");
    field_line(d, "Attempt", buf);
  }
  /* What `hvplan next` carries from the last visit, with plain labels. */
  static const char *const labels[][2] = {{"last_visit", "Last visit"},
                                          {"last_outcome", "Last outcome"},
                                          {"next_step", "Agreed next step"}};
  for (size_t i = 0; i < s->nhh_extra; i++) {
    /* Relational visits bring no attendance data. */
    if (h->visit_type == HV_VISIT_RELATIONAL &&
        attendance_column(s->hh_extra_names[i]))
      continue;
    const char *label = s->hh_extra_names[i];
    for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++)
      if (strcmp(label, labels[l][0]) == 0) label = labels[l][1];
    field_line(d, label, h->extra[i]);
  }

  hv__doc_heading(d, "Why we visit");
  hv__doc_para(
      d, F_BODY,
      "We come to support, never to enforce: to get to know the family, "
      "to hear what would help their child come to school, and to offer "
      "what the school can do. Discretion: if nobody is home, do not tell "
      "neighbours why you came — leave the note below instead.",
      false);
  switch (h->visit_type) {
    case HV_VISIT_RELATIONAL:
      hv__doc_heading(d, "Relational visit (Parent Teacher Home Visit style)");
      hv__doc_para(
          d, F_BODY,
          "No attendance data and no paperwork in front of the family. "
          "Listen first: ask about the family's hopes and dreams for their "
          "child, and share yours.",
          false);
      hv__doc_para(d, F_BODY,
                   "•  What are your hopes and dreams for your child?\n"
                   "•  What do you want the school to know about your child?\n"
                   "•  How do you like us to stay in touch?",
                   false);
      break;
    case HV_VISIT_FOLLOW_UP:
      hv__doc_heading(d, "Follow-up visit");
      hv__doc_para(
          d, F_BODY,
          "Go over what was agreed last time (see the notes and records "
          "above): what has happened since, what has helped, what still "
          "gets in the way.",
          false);
      break;
    case HV_VISIT_ATTENDANCE:
      hv__doc_heading(d, "Attendance outreach");
      hv__doc_para(d, F_BODY,
                   "The school's records are above (attendance, prior contact "
                   "attempts). Share them only if it helps the conversation.",
                   false);
      hv__doc_para(
          d, F_BODY,
          "•  What are your hopes and dreams for your child this year?\n"
          "•  What makes getting to school hard on some days?\n"
          "•  What would help — a bus route, a morning check-in, health "
          "or housing support, a contact person at school?",
          false);
      break;
  }

  /* The visit log is filled in at the door: keep it on one page. */
  hv__doc_need(d, hv__doc_measure(d, visit_log, h) + 4);
  visit_log(d, h);

  /* The leave-behind note: its own page to tear off or fold (a call
   * leaves nothing at a door). */
  if (v->call) return;
  hv__doc_new_page(d);
  hv__doc_para(d, F_TITLE, "Sorry we missed you", false);
  char *local =
      strcmp(h->language, "en") != 0 ? translation(s, h->language) : NULL;
  if (local) {
    hv__doc_para(d, HV_RENDER_FONT " 12", local, false);
    hv__doc_space(d, 8);
    free(local);
  }
  hv__doc_para(d, HV_RENDER_FONT " 12", leave_behind_en, false);
  hv__doc_space(d, 8);
  snprintf(buf, sizeof buf, "%s\n%s%s%s", s->base.name, s->base.address,
           s->base.phone[0] ? "\n" : "", s->base.phone);
  hv__doc_para(d, HV_RENDER_FONT " Bold 12", buf, false);
  char fn[64];
  if (v->call)
    snprintf(buf, sizeof buf, "For the family of %s — from %s, %s",
             hv_first_name(h->student, fn, sizeof fn), a ? a->name : v->a_id,
             date);
  else
    snprintf(buf, sizeof buf, "For the family of %s — from %s and %s, %s",
             hv_first_name(h->student, fn, sizeof fn), a ? a->name : v->a_id,
             b ? b->name : v->b_id, date);
  hv__doc_para(d, F_BODY, buf, false);
}

/* ---- roster and week map -------------------------------------------- */

static void roster_pdf(hv__doc *d, const hv_plan *p) {
  const hv_scenario *s = p->scenario;
  char buf[800];
  snprintf(buf, sizeof buf, "Week roster — %s", s->name);
  hv__doc_para(d, F_TITLE, buf, false);
  snprintf(buf, sizeof buf,
           "%zu of %zu households visited; priority %ld of %ld; %.1f h driving",
           p->visited, p->households, p->priority_covered, p->priority_total,
           p->travel_minutes / 60.0);
  hv__doc_para(d, F_BODY, buf, false);
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    char date[64], dep[6], back[6];
    long_date(pr, date, sizeof date);
    hv_hhmm_format(pr->depart, dep);
    hv_hhmm_format(pr->back, back);
    const hv_staff *a = route_staff(s, pr, 0), *b = route_staff(s, pr, 1);
    snprintf(buf, sizeof buf, "%s — %s: %s and %s, %s–%s", date, pr->pair,
             a ? a->name : pr->staff[0], b ? b->name : pr->staff[1], dep, back);
    hv__doc_heading(d, buf);
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_household *h = stop_household(s, &pr->stops[k]);
      school_break(d, s, &pr->stops[k], F_SMALL);
      char st[6], en[6];
      hv_hhmm_format(pr->stops[k].start, st);
      hv_hhmm_format(pr->stops[k].end, en);
      char site[400] = "";
      if (h) hv_household_site_text(s, h, site, sizeof site);
      snprintf(buf, sizeof buf, "%zu.  %s–%s  %s  %s  %s  (%s)", k + 1, st, en,
               pr->stops[k].household_id, h ? h->guardian : "", site,
               h ? h->language : "");
      hv__doc_para(d, F_SMALL, buf, false);
    }
  }
  if (p->ncalls > 0) hv__doc_heading(d, "Video calls");
  for (size_t c = 0; c < p->ncalls; c++) {
    const hv_plan_call *pc = &p->calls[c];
    visit_view v = call_view(s, pc);
    char date[64], st[6], en[6];
    date_text(pc->day, pc->date, date, sizeof date);
    snprintf(buf, sizeof buf, "%s  %s–%s  %s  %s  with %s  (%s)", date,
             hv_hhmm_format(pc->start, st), hv_hhmm_format(pc->end, en),
             pc->household_id, v.h ? v.h->guardian : "",
             v.a ? v.a->name : pc->staff, v.h ? v.h->language : "");
    hv__doc_para(d, F_SMALL, buf, false);
  }
}

/* Draws all routes of the week, a colour per pair, with a legend. */
static void week_map(cairo_t *cr, const hv_plan *p, double W, double H) {
  const hv_scenario *s = p->scenario;
  hv_projection *pr =
      hv_projection_create((hv_latlon){s->base.lat, s->base.lon}, NULL);
  if (pr == NULL) return;
  double minx = -200, maxx = 200, miny = -200, maxy = 200;
  for (size_t r = 0; r < p->nroutes; r++)
    for (size_t k = 0; k < p->routes[r].nstops; k++) {
      const hv_household *h = stop_household(s, &p->routes[r].stops[k]);
      double lat, lon;
      if (!h || !hv_household_site(s, h, &lat, &lon)) continue;
      double xy[2];
      if (hv_projection_forward(pr, &(hv_latlon){lat, lon}, 1, xy, NULL) !=
          HV_OK)
        continue;
      minx = fmin(minx, xy[0]), maxx = fmax(maxx, xy[0]);
      miny = fmin(miny, xy[1]), maxy = fmax(maxy, xy[1]);
    }
  double legend = 170, pad = 20;
  double scale = fmin((W - legend - 2 * pad) / (maxx - minx),
                      (H - 2 * pad - 30) / (maxy - miny));
  double ox = pad - minx * scale, oy = H - pad + miny * scale;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 14);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, pad, 22);
  cairo_show_text(cr, "The week's visits");
  for (size_t q = 0; q < p->npairs; q++) {
    const double *c = palette[q % NPALETTE];
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_set_line_width(cr, 1.4);
    for (size_t r = 0; r < p->nroutes; r++) {
      const hv_plan_route *rt = &p->routes[r];
      if (strcmp(rt->pair, p->pairs[q].id) != 0) continue;
      cairo_move_to(cr, ox, oy);
      for (size_t k = 0; k < rt->nstops; k++) {
        const hv_household *h = stop_household(s, &rt->stops[k]);
        double xy[2] = {0, 0}, lat, lon;
        if (h && hv_household_site(s, h, &lat, &lon))
          hv_projection_forward(pr, &(hv_latlon){lat, lon}, 1, xy, NULL);
        cairo_line_to(cr, ox + xy[0] * scale, oy - xy[1] * scale);
      }
      cairo_close_path(cr);
      cairo_stroke(cr);
      for (size_t k = 0; k < rt->nstops; k++) {
        const hv_household *h = stop_household(s, &rt->stops[k]);
        double xy[2] = {0, 0}, lat, lon;
        if (h && hv_household_site(s, h, &lat, &lon))
          hv_projection_forward(pr, &(hv_latlon){lat, lon}, 1, xy, NULL);
        cairo_arc(cr, ox + xy[0] * scale, oy - xy[1] * scale, 3.2, 0, 2 * G_PI);
        cairo_fill(cr);
      }
    }
    /* Legend entry. */
    double ly = 50 + 20.0 * (double)q;
    cairo_rectangle(cr, W - legend, ly - 9, 14, 10);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);
    char lab[64];
    int visits = 0;
    for (size_t r = 0; r < p->nroutes; r++)
      if (strcmp(p->routes[r].pair, p->pairs[q].id) == 0)
        visits += (int)p->routes[r].nstops;
    snprintf(lab, sizeof lab, "%s: %d visits", p->pairs[q].id, visits);
    cairo_move_to(cr, W - legend + 20, ly);
    cairo_show_text(cr, lab);
  }
  cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
  cairo_rectangle(cr, ox - 5, oy - 5, 10, 10);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, W - legend, 50 + 20.0 * (double)p->npairs);
  cairo_show_text(cr, "■ school");
  hv_projection_free(pr);
}

/* ---- writing everything --------------------------------------------- */

static hv_status make_dir(const char *base, const char *name, char *out,
                          size_t size, hv_error *err) {
  if (!hv_path_join(out, size, base, name))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = name},
                        "path too long");
  if (mkdir(out, 0700) != 0)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = name},
                        "cannot create folder");
  return HV_OK;
}

hv_status hv__print_outputs(const hv_plan *p, const char *dir, bool a4,
                            hv_error *err) {
  const hv_scenario *s = p->scenario;
  char routes[4096], packets[4096], path[4600];
  hv_status st = make_dir(dir, "routes", routes, sizeof routes, err);
  if (st == HV_OK) st = make_dir(dir, "packets", packets, sizeof packets, err);
  for (size_t r = 0; st == HV_OK && r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    hv__doc d;
    char date[HV_DATE_TEXT];
    hv_date_format(pr->date, date);
    snprintf(path, sizeof path, "%s/%s_%s.pdf", routes, date, pr->pair);
    if (!hv__doc_open_pdf(&d, path, a4, err)) return err ? err->code : HV_E_IO;
    route_sheet(&d, s, pr, p->unchecked);
    if (!hv__doc_close(&d, err)) return HV_E_IO;
    snprintf(path, sizeof path, "%s/%s_%s.pdf", packets, date, pr->pair);
    if (!hv__doc_open_pdf(&d, path, a4, err)) return err ? err->code : HV_E_IO;
    for (size_t k = 0; k < pr->nstops; k++) {
      if (k > 0) hv__doc_new_page(&d);
      visit_view v = stop_view(s, pr, k);
      packet_for(&d, s, &v, p->unchecked);
    }
    if (!hv__doc_close(&d, err)) return HV_E_IO;
  }
  /* Video calls: one packet file per staff member and day. */
  for (size_t c = 0; st == HV_OK && c < p->ncalls; c++) {
    const hv_plan_call *pc = &p->calls[c];
    bool first = true;
    for (size_t e = 0; e < c && first; e++)
      first = !(p->calls[e].day == pc->day &&
                strcmp(p->calls[e].staff, pc->staff) == 0);
    if (!first) continue;
    hv__doc d;
    char date[HV_DATE_TEXT];
    hv_date_format(pc->date, date);
    snprintf(path, sizeof path, "%s/%s_calls_%s.pdf", packets, date, pc->staff);
    if (!hv__doc_open_pdf(&d, path, a4, err)) return err ? err->code : HV_E_IO;
    size_t n = 0;
    for (size_t e = c; e < p->ncalls; e++) {
      if (p->calls[e].day != pc->day || strcmp(p->calls[e].staff, pc->staff))
        continue;
      if (n++ > 0) hv__doc_new_page(&d);
      visit_view v = call_view(s, &p->calls[e]);
      packet_for(&d, s, &v, p->unchecked);
    }
    if (!hv__doc_close(&d, err)) return HV_E_IO;
  }
  if (st != HV_OK) return st;
  hv__doc d;
  snprintf(path, sizeof path, "%s/roster.pdf", dir);
  if (!hv__doc_open_pdf(&d, path, a4, err)) return err ? err->code : HV_E_IO;
  roster_pdf(&d, p);
  hv__doc_new_page(&d);
  week_map(d.cr, p, d.width, d.height * 0.75);
  if (!hv__doc_close(&d, err)) return HV_E_IO;
  snprintf(path, sizeof path, "%s/week.svg", dir);
  cairo_surface_t *svg = cairo_svg_surface_create(path, 900, 700);
  cairo_t *cr = cairo_create(svg);
  week_map(cr, p, 900, 700);
  cairo_destroy(cr);
  cairo_surface_finish(svg);
  cairo_status_t cs = cairo_surface_status(svg);
  cairo_surface_destroy(svg);
  if (cs != CAIRO_STATUS_SUCCESS)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = "week.svg"},
                        "cairo: %s", cairo_status_to_string(cs));
  return HV_OK;
}
