/* hv/letter.h -- the heads-up letter and text message sent to a family
 * before a visit, from templates/letter.<lang>.txt in the scenario folder
 * (English built in).  A template is a header of directives, then the
 * letter's body:
 *
 *   @days = lunes, martes, miércoles, jueves, viernes, sábado, domingo
 *   @months = enero, febrero, ..., diciembre
 *   @and = y
 *   @role social worker = trabajadora social      (optional, any number)
 *   @subject = Una visita de {school}               (optional)
 *   @where.home = Vendremos a su casa.
 *   @where.place = Nos vemos en {place_name}, {place_address}.
 *   @where.virtual = Será una videollamada: {link}
 *   @message = {school}: el {day} {day_number} ... (the text, one line)
 *
 *   Estimada familia de {students}: ...
 *
 * Placeholders: {guardian} {students} {school} {school_phone} {day}
 * {day_number} {month} {year} {date} {from} {to} {time} {staff} {where}
 * {place_name} {place_address} {link} {family_phone}.  Every directive but
 * @role and @subject is required; docs/letters.md has the details. */
#ifndef HV_LETTER_H
#define HV_LETTER_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"
#include "hv/scenario.h"
#include "hv/values.h"

#define HV_MESSAGE_MAX_CHARS 320 /* a text message, in characters */

typedef struct hv_letter_template hv_letter_template; /* opaque */

/* Parses a template (messages name it `name`); problems, with their line,
 * go to diags.  NULL when there was an error. */
hv_letter_template *hv_letter_template_parse(const char *text, size_t len,
                                             const char *name, hv_diags *d);
/* The built-in English template (never freed). */
const hv_letter_template *hv_letter_template_english(void);
void hv_letter_template_free(hv_letter_template *t);

/* The template for language lang: the scenario's templates/letter.<lang>
 * .txt (read and checked with the scenario), else the built-in English
 * one; *translated (may be NULL) says which. */
const hv_letter_template *hv_scenario_letter(const hv_scenario *s,
                                             const char *lang,
                                             bool *translated);

/* What one letter says. */
typedef struct hv_letter_fields {
  const char *guardian, *students; /* students: first names, joined */
  const char *school, *school_phone, *family_phone;
  int weekday; /* 0 = Monday */
  hv_date date;
  int from, to, time; /* the window given to the family; the start */
  size_t nstaff;      /* 1 (a call) or 2 */
  const char *staff_first[2], *staff_role[2];
  hv_visit_mode mode;
  const char *place_name, *place_address, *link;
} hv_letter_fields;

/* The letter's subject, body or message, filled in (malloc'd; NULL when
 * memory runs out).  The message is at most HV_MESSAGE_MAX_CHARS
 * characters: when the filled text is longer, staff roles are left out,
 * then it is cut at a word with "…", and *shortened (may be NULL) says so. */
char *hv_letter_subject(const hv_letter_template *t, const hv_letter_fields *f);
char *hv_letter_body(const hv_letter_template *t, const hv_letter_fields *f);
char *hv_letter_message(const hv_letter_template *t, const hv_letter_fields *f,
                        bool *shortened);

/* The heads-up for each visit and call a plan announces (those kept from
 * an earlier plan were announced then): the household and the filled-in
 * fields, in plan order.  The window given is the hour around the start on
 * half hours (16:10 gives 15:30 to 16:30): never the exact minute. */
typedef struct hv_heads_up {
  const hv_household *h;
  const hv_letter_template *t; /* the family's language, or English */
  bool translated;
  hv_letter_fields f;
  char first[2][64]; /* storage for f.staff_first */
  char link[512];    /* storage for f.link */
} hv_heads_up;
#include "hv/plan.h"
/* *out is the caller's to free(); returns how many (0 with *out NULL when
 * memory runs out). */
size_t hv_plan_heads_up(const hv_plan *p, hv_heads_up **out);

/* Characters (UTF-8 code points) in s. */
size_t hv_utf8_chars(const char *s);

#endif /* HV_LETTER_H */
