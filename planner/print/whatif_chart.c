/* planner/print/whatif_chart.c -- a what-if's files for the coordinator:
 * whatif.csv (one row per variant), whatif_marginal.csv (who each variant
 * newly reaches) and the coverage curve with its knee, whatif.svg and
 * whatif.png (cairo), ready for a slide. */
#include <cairo-svg.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/print.h"
#include "plan_def.h"

#define V(i) (*hv_whatif_variant_at(w, (i)))

/* Series 0: the share of priority covered; 1: of households visited. */
static double share(const hv_whatif_variant *v, int series) {
  if (series == 0)
    return v->priority_total ? (double)v->priority / v->priority_total : 0;
  return v->households ? (double)v->visited / v->households : 0;
}

static void draw_chart(cairo_t *cr, double W, double H, const hv_whatif *w,
                       const char *title) {
  const size_t *idx;
  int n = (int)hv_whatif_sweep(w, &idx);
  long kn = hv_whatif_knee(w);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  double L = 70, R = 30, T = 60, B = 60;
  double pw = W - L - R, ph = H - T - B;
  double xmin = V(idx[0]).npairs, xmax = V(idx[n - 1]).npairs;
  if (xmax <= xmin) xmax = xmin + 1;
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 18);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, L, 32);
  cairo_show_text(cr, title);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12);
  /* Axes and grid: y is a percentage of the total. */
  cairo_set_line_width(cr, 1);
  for (int g = 0; g <= 100; g += 20) {
    double y = T + ph * (1 - g / 100.0);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, L, y);
    cairo_line_to(cr, L + pw, y);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    char lab[16];
    snprintf(lab, sizeof lab, "%d%%", g);
    cairo_move_to(cr, L - 42, y + 4);
    cairo_show_text(cr, lab);
  }
  for (int i = 0; i < n; i++) {
    double x = L + pw * (V(idx[i]).npairs - xmin) / (xmax - xmin);
    char lab[16];
    snprintf(lab, sizeof lab, "%zu", V(idx[i]).npairs);
    cairo_move_to(cr, x - 4, T + ph + 20);
    cairo_show_text(cr, lab);
  }
  cairo_move_to(cr, L + pw / 2 - 40, H - 15);
  cairo_show_text(cr, "pairs of staff");
  static const double col[2][3] = {{0.0, 0.45, 0.70}, {0.84, 0.37, 0.0}};
  for (int s = 0; s < 2; s++) {
    cairo_set_source_rgb(cr, col[s][0], col[s][1], col[s][2]);
    cairo_set_line_width(cr, 2.5);
    for (int i = 0; i < n; i++) {
      const hv_whatif_variant *v = hv_whatif_variant_at(w, idx[i]);
      double frac = share(v, s);
      double x = L + pw * (v->npairs - xmin) / (xmax - xmin),
             y = T + ph * (1 - frac);
      if (i == 0)
        cairo_move_to(cr, x, y);
      else
        cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
      const hv_whatif_variant *v = hv_whatif_variant_at(w, idx[i]);
      double frac = share(v, s);
      cairo_arc(cr, L + pw * (v->npairs - xmin) / (xmax - xmin),
                T + ph * (1 - frac), 4, 0, 2 * 3.14159265358979);
      cairo_fill(cr);
    }
    cairo_move_to(cr, L + 10, T + 18 + 18 * s);
    cairo_show_text(cr, s == 0 ? "priority covered" : "households visited");
  }
  if (kn >= 0) {
    double x = L + pw * (V(kn).npairs - xmin) / (xmax - xmin);
    double dash[] = {6, 4};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, x, T);
    cairo_line_to(cr, x, T + ph);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    char lab[96];
    snprintf(lab, sizeof lab, "knee: %zu pairs (more add little)",
             V(kn).npairs);
    cairo_move_to(cr, x + 6, T + ph - 10);
    cairo_show_text(cr, lab);
  }
}

#undef V

static void table_csv(const void *ud, FILE *f) {
  const hv_whatif *w = ud;
  fprintf(f,
          "variant,description,pairs,visits,households_visited,households,"
          "priority_covered,priority_total,travel_hours,staff_hours,"
          "unvisited_language,unvisited_windows,unvisited_too_far,"
          "unvisited_capacity,unvisited_no_coordinates,"
          "unvisited_short_window,priority_bound\n");
  for (size_t i = 0; i < hv_whatif_count(w); i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    if (!v->ok) continue;
    fprintf(f,
            "%s,\"%s\",%zu,%zu,%zu,%zu,%ld,%ld,%.1f,%.1f,%zu,%zu,%zu,%zu,%zu,"
            "%zu,%ld\n",
            v->name, v->label, v->pairs_used, v->visits, v->visited,
            v->households, v->priority, v->priority_total, v->travel_h,
            v->staff_h, v->unvisited[HV_WHY_LANGUAGE],
            v->unvisited[HV_WHY_WINDOWS], v->unvisited[HV_WHY_TOO_FAR],
            v->unvisited[HV_WHY_CAPACITY], v->unvisited[HV_WHY_NO_COORDS],
            v->unvisited[HV_WHY_SHORT_WINDOW], v->priority_bound);
  }
}

static void marginal_csv(const void *ud, FILE *f) {
  const hv_whatif *w = ud;
  const hv_scenario *s = hv_whatif_scenario(w);
  fprintf(f, "variant,compared_with,household,priority,language\n");
  for (size_t i = 0; i < hv_whatif_count(w); i++) {
    const hv_whatif_variant *v = hv_whatif_variant_at(w, i);
    if (!v->ok || v->baseline < 0) continue;
    const hv_whatif_variant *b = hv_whatif_variant_at(w, (size_t)v->baseline);
    for (size_t k = 0; k < v->ngained; k++) {
      const hv_household *h = &s->households[v->gained[k]];
      fprintf(f, "%s,%s,%s,%d,%s\n", v->name, b->name, h->id, h->priority,
              h->language);
    }
  }
}

hv_status hv_whatif_write(const hv_whatif *w, const char *dir, hv_error *err) {
  hv_status st = hv__write_file_with(dir, "whatif.csv", table_csv, w, err);
  if (st == HV_OK)
    st = hv__write_file_with(dir, "whatif_marginal.csv", marginal_csv, w, err);
  const size_t *idx;
  if (st != HV_OK || hv_whatif_sweep(w, &idx) < 2) return st;
  char title[200], path[4200];
  snprintf(title, sizeof title, "Coverage by number of pairs — %s",
           hv_whatif_scenario(w)->name);
  snprintf(path, sizeof path, "%s/whatif.svg", dir);
  cairo_surface_t *sv = cairo_svg_surface_create(path, 900, 560);
  cairo_t *cr = cairo_create(sv);
  draw_chart(cr, 900, 560, w, title);
  cairo_destroy(cr);
  cairo_surface_finish(sv);
  bool bad = cairo_surface_status(sv) != CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(sv);
  cairo_surface_t *png =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1350, 840);
  cr = cairo_create(png);
  cairo_scale(cr, 1.5, 1.5);
  draw_chart(cr, 900, 560, w, title);
  cairo_destroy(cr);
  snprintf(path, sizeof path, "%s/whatif.png", dir);
  bad |= cairo_surface_write_to_png(png, path) != CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(png);
  if (bad)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "the what-if chart could not be written");
  return HV_OK;
}
