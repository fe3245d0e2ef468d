/* planner/print/render.c -- cairo + pango page layout for the printed outputs.
 */
#include "render.h"

#include "hv/print.h"

#include <cairo-pdf.h>
#include <libical/ical.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Starts d (its page set by doc_page_size) on a new PDF surface; where
 * names it in errors. */
static bool doc_start(hv__doc *d, cairo_surface_t *surface, const char *where,
                      hv_error *err) {
  d->surface = surface;
  if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
    hv_error_set(err, HV_E_IO, (hv_where){.source = where},
                 "cannot create PDF: %s",
                 cairo_status_to_string(cairo_surface_status(d->surface)));
    cairo_surface_destroy(d->surface);
    d->surface = NULL;
    free(d->mem);
    d->mem = NULL;
    return false;
  }
  cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR,
                                 "hvplan");
  d->cr = cairo_create(d->surface);
  d->y = d->margin;
  d->pages = 1;
  return true;
}

/* Clears d and sets its page (A4 or US Letter) and margin. */
static void doc_page_size(hv__doc *d, bool a4) {
  memset(d, 0, sizeof *d);
  d->width = a4 ? 595.276 : 612.0;
  d->height = a4 ? 841.890 : 792.0;
  d->margin = 42;
}

bool hv__doc_open_pdf(hv__doc *d, const char *path, bool a4, hv_error *err) {
  doc_page_size(d, a4);
  return doc_start(d, cairo_pdf_surface_create(path, d->width, d->height), path,
                   err);
}

/* cairo's writer for a document in memory: appends to d->mem. */
static cairo_status_t mem_write(void *closure, const unsigned char *data,
                                unsigned int length) {
  hv__doc *d = closure;
  if (length > d->mem_cap - d->mem_len) {
    size_t cap = d->mem_cap ? d->mem_cap : 65536;
    while (length > cap - d->mem_len) {
      if (cap > SIZE_MAX / 2) return CAIRO_STATUS_NO_MEMORY;
      cap *= 2;
    }
    unsigned char *m = realloc(d->mem, cap);
    if (m == NULL) return CAIRO_STATUS_NO_MEMORY;
    d->mem = m;
    d->mem_cap = cap;
  }
  memcpy(d->mem + d->mem_len, data, length);
  d->mem_len += length;
  return CAIRO_STATUS_SUCCESS;
}

bool hv__doc_open_pdf_mem(hv__doc *d, const char *where, bool a4,
                          hv_error *err) {
  doc_page_size(d, a4);
  return doc_start(
      d, cairo_pdf_surface_create_for_stream(mem_write, d, d->width, d->height),
      where, err);
}

bool hv__doc_close(hv__doc *d, hv_error *err) {
  if (d->cr == NULL) return false;
  cairo_status_t st = cairo_status(d->cr);
  cairo_destroy(d->cr);
  cairo_surface_finish(d->surface);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(d->surface);
  cairo_surface_destroy(d->surface);
  d->cr = NULL;
  d->surface = NULL;
  if (st != CAIRO_STATUS_SUCCESS) {
    hv_error_set(err, HV_E_IO, (hv_where){.source = "pdf"}, "cairo: %s",
                 cairo_status_to_string(st));
    return false;
  }
  return true;
}

double hv__doc_measure(const hv__doc *d, void (*draw)(hv__doc *, const void *),
                       const void *ud) {
  hv__doc m = *d;
  m.surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
  m.cr = cairo_create(m.surface);
  m.height = 1e9;
  m.y = d->margin;
  draw(&m, ud);
  double h = m.y - d->margin;
  cairo_destroy(m.cr);
  cairo_surface_destroy(m.surface);
  return h;
}

void hv__doc_new_page(hv__doc *d) {
  cairo_show_page(d->cr);
  d->y = d->margin;
  d->pages++;
}

void hv__doc_need(hv__doc *d, double need) {
  if (d->y + need > d->height - d->margin) hv__doc_new_page(d);
}

double hv__doc_text_at(hv__doc *d, double x, double y, double width,
                       const char *font, const char *text, bool markup,
                       bool draw) {
  PangoLayout *l = pango_cairo_create_layout(d->cr);
  PangoFontDescription *fd = pango_font_description_from_string(font);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup(l, text, -1);
  else
    pango_layout_set_text(l, text, -1);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  if (draw) {
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
  }
  g_object_unref(l);
  return (double)h / PANGO_SCALE;
}

void hv__doc_para(hv__doc *d, const char *font, const char *text, bool markup) {
  double w = d->width - 2 * d->margin;
  double h = hv__doc_text_at(d, d->margin, d->y, w, font, text, markup, false);
  hv__doc_need(d, h);
  hv__doc_text_at(d, d->margin, d->y, w, font, text, markup, true);
  d->y += h + 3;
}

void hv__doc_heading(hv__doc *d, const char *text) {
  hv__doc_need(d, 40);
  d->y += 4;
  hv__doc_para(d, HV_RENDER_FONT " Bold 12", text, false);
}

void hv__doc_rule(hv__doc *d) {
  cairo_set_line_width(d->cr, 0.6);
  cairo_set_source_rgb(d->cr, 0.55, 0.55, 0.55);
  cairo_move_to(d->cr, d->margin, d->y + 2);
  cairo_line_to(d->cr, d->width - d->margin, d->y + 2);
  cairo_stroke(d->cr);
  cairo_set_source_rgb(d->cr, 0, 0, 0);
  d->y += 6;
}

void hv__doc_space(hv__doc *d, double pt) {
  d->y += pt;
}

void hv__doc_checkboxes(hv__doc *d, const char *const *labels, int n,
                        int columns) {
  double colw = (d->width - 2 * d->margin) / columns;
  for (int i = 0; i < n; i += columns) {
    hv__doc_need(d, 16);
    for (int c = 0; c < columns && i + c < n; c++) {
      double x = d->margin + c * colw;
      cairo_set_line_width(d->cr, 0.8);
      cairo_rectangle(d->cr, x, d->y + 2, 9, 9);
      cairo_stroke(d->cr);
      hv__doc_text_at(d, x + 14, d->y, colw - 16, HV_RENDER_FONT " 9.5",
                      labels[i + c], false, true);
    }
    d->y += 15;
  }
}

void hv__doc_write_line(hv__doc *d, const char *label) {
  hv__doc_need(d, 22);
  double lw = hv__doc_text_at(d, d->margin, d->y + 6, 400,
                              HV_RENDER_FONT " 9.5", label, false, false);
  (void)lw;
  PangoLayout *l = pango_cairo_create_layout(d->cr);
  PangoFontDescription *fd =
      pango_font_description_from_string(HV_RENDER_FONT " 9.5");
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(l, label, -1);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  cairo_move_to(d->cr, d->margin, d->y + 6);
  pango_cairo_show_layout(d->cr, l);
  g_object_unref(l);
  double x0 = d->margin + (double)w / PANGO_SCALE + 6;
  cairo_set_line_width(d->cr, 0.5);
  cairo_move_to(d->cr, x0, d->y + 6 + (double)h / PANGO_SCALE);
  cairo_line_to(d->cr, d->width - d->margin,
                d->y + 6 + (double)h / PANGO_SCALE);
  cairo_stroke(d->cr);
  d->y += 22;
}

bool hv__doc_qr(cairo_t *cr, double x, double y, double size,
                const char *text) {
  QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (q == NULL) return false;
  /* Four modules of quiet zone on each side, as the standard asks. */
  double m = size / (q->width + 8);
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < q->width; r++)
    for (int c = 0; c < q->width; c++)
      if (q->data[r * q->width + c] & 1)
        cairo_rectangle(cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
  cairo_fill(cr);
  cairo_restore(cr);
  QRcode_free(q);
  return true;
}

void hv_print_global_cleanup(void) {
  /* Not cairo_debug_reset_static_data() nor FcFini(): pango's font
   * threads may still hold fonts at exit, and cairo then aborts (seen on
   * short runs such as `hvplan report`).  fontconfig's patterns are left
   * to the system; tests/lsan.supp tells the leak checker so. */
  pango_cairo_font_map_set_default(NULL);
  icaltimezone_free_builtin_timezones();
}

char *hv__markup_escape(const char *text) {
  return g_markup_escape_text(text ? text : "", -1);
}
