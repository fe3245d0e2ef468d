/* planner/print/letters.c -- the heads-up letter to a family before a
 * visit, in the family's language (hv/letter.h fills the template):
 * letters/<date>_<household>.pdf for every visit and call the plan
 * announces.  Any script renders (pango shapes Arabic right to left and
 * fontconfig falls back to Noto for scripts DejaVu lacks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hv/letter.h"
#include "plan_def.h"
#include "printed.h"
#include "render.h"

static hv_status letter_pdf(const hv_scenario *s, const hv_heads_up *u,
                            const char *path, bool a4, hv_error *err) {
  char *subject = hv_letter_subject(u->t, &u->f),
       *body = hv_letter_body(u->t, &u->f);
  if (!subject || !body) {
    free(subject), free(body);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  hv__doc d;
  if (!hv__doc_open_pdf(&d, path, a4, err)) {
    free(subject), free(body);
    return err ? err->code : HV_E_IO;
  }
  hv__doc_para(&d, HV_RENDER_FONT " Bold 15", s->base.name, false);
  char buf[600];
  snprintf(buf, sizeof buf, "%s%s%s", s->base.address,
           s->base.address[0] && s->base.phone[0] ? " · " : "", s->base.phone);
  hv__doc_para(&d, HV_RENDER_FONT " 10", buf, false);
  hv__doc_space(&d, 6);
  hv__doc_rule(&d);
  hv__doc_space(&d, 18);
  hv__doc_para(&d, HV_RENDER_FONT " Bold 13", subject, false);
  hv__doc_space(&d, 10);
  /* Paragraph by paragraph, so that page breaks fall between them. */
  char *p = body;
  while (p && *p) {
    char *end = strstr(p, "\n\n");
    if (end) *end = '\0';
    hv__doc_para(&d, HV_RENDER_FONT " 12", p, false);
    hv__doc_space(&d, 9);
    p = end ? end + 2 : NULL;
  }
  hv__doc_space(&d, 24);
  hv__doc_para(&d, HV_RENDER_FONT " 8", u->h->id, false);
  free(subject), free(body);
  return hv__doc_close(&d, err) ? HV_OK : HV_E_IO;
}

hv_status hv__write_letters(const hv_plan *p, const char *dir, bool a4,
                            hv_error *err) {
  hv_heads_up *u;
  size_t n = hv_plan_heads_up(p, &u);
  if (u == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  char ldir[4096];
  hv_status st = HV_OK;
  if (!hv_path_join(ldir, sizeof ldir, dir, "letters") ||
      mkdir(ldir, 0700) != 0)
    st = hv_error_set(err, HV_E_IO, (hv_where){.source = "letters"},
                      "cannot create folder");
  for (size_t i = 0; st == HV_OK && i < n; i++) {
    if (u[i].t == NULL) {
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
      break;
    }
    char date[HV_DATE_TEXT], path[4300];
    hv_date_format(u[i].f.date, date);
    snprintf(path, sizeof path, "%s/%s_%s.pdf", ldir, date, u[i].h->id);
    st = letter_pdf(p->scenario, &u[i], path, a4, err);
  }
  free(u);
  return st;
}
