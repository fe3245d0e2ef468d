/* planner/print/render.h -- a small page-layout layer over cairo + pango for
 * the printed outputs: pages (US Letter or A4), wrapped text in any script
 * (fontconfig falls back to Noto for Ethiopic, Arabic, ...), page breaks,
 * lines, boxes, check boxes and QR codes (libqrencode). */
#ifndef HV_RENDER_H
#define HV_RENDER_H

#include <cairo.h>
#include <stdbool.h>

#include "hv/error.h"

#define HV_RENDER_FONT "DejaVu Sans, Noto Sans"

typedef struct hv__doc {
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height; /* points */
  double margin;
  double y; /* current position from the top */
  int pages;
  bool failed;
  /* A document kept in memory (hv__doc_open_pdf_mem): its bytes. */
  unsigned char *mem;
  size_t mem_len, mem_cap;
} hv__doc;

/* Opens a PDF at path (A4 or US Letter).  Returns false with err set. */
bool hv__doc_open_pdf(hv__doc *d, const char *path, bool a4, hv_error *err);
/* Opens a PDF kept in memory: after hv__doc_close, d->mem holds its
 * d->mem_len bytes (the caller frees d->mem), to be written with
 * hv_write_file_atomic; where is the name errors give. */
bool hv__doc_open_pdf_mem(hv__doc *d, const char *where, bool a4,
                          hv_error *err);
/* Finishes the document; false (and err) if cairo reported an error. */
bool hv__doc_close(hv__doc *d, hv_error *err);
void hv__doc_new_page(hv__doc *d);
/* Starts a new page unless `need` points still fit on this one. */
void hv__doc_need(hv__doc *d, double need);
/* The height in points that draw(d, ud) takes on an endless page as wide
 * as d's (drawn on a recording surface and thrown away), so that a block
 * can be kept together: hv__doc_need(d, hv__doc_measure(d, draw, ud)). */
double hv__doc_measure(const hv__doc *d, void (*draw)(hv__doc *, const void *),
                       const void *ud);

/* Lays out text (pango markup when markup is true) at (x, y) within width;
 * returns its height.  Draws only when draw is true. */
double hv__doc_text_at(hv__doc *d, double x, double y, double width,
                       const char *font, const char *text, bool markup,
                       bool draw);
/* A paragraph at the current position across the page; advances y. */
void hv__doc_para(hv__doc *d, const char *font, const char *text, bool markup);
void hv__doc_heading(hv__doc *d, const char *text);
void hv__doc_rule(hv__doc *d);
void hv__doc_space(hv__doc *d, double pt);
/* "[ ] label" items in columns. */
void hv__doc_checkboxes(hv__doc *d, const char *const *labels, int n,
                        int columns);
/* A labelled line to write on by hand. */
void hv__doc_write_line(hv__doc *d, const char *label);

/* Draws the QR code of text in a square of `size` points; false if it
 * cannot be encoded. */
bool hv__doc_qr(cairo_t *cr, double x, double y, double size, const char *text);

/* Escapes text for pango markup into a new string (free with g_free). */
char *hv__markup_escape(const char *text);

#endif /* HV_RENDER_H */
