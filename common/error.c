/* common/error.c -- hv_error helpers and the diagnostic list. */
#include "hv/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *hv_strerror(hv_status code) {
  switch (code) {
    case HV_OK:
      return "success";
    case HV_E_NOMEM:
      return "out of memory";
    case HV_E_IO:
      return "input/output error";
    case HV_E_PARSE:
      return "malformed input";
    case HV_E_INPUT:
      return "invalid input";
    case HV_E_GEOCODE:
      return "geocoding failed";
    case HV_E_SOLVER:
      return "solver failure";
    case HV_E_RANGE:
      return "argument out of range";
    case HV_E_NETWORK:
      return "network service failed";
    case HV_E_INTERRUPTED:
      return "interrupted";
    case HV_E_STORE:
      return "program database failed";
  }
  return "unknown error";
}

hv_status hv_error_setv(hv_error *err, hv_status code, hv_where at,
                        const char *fmt, va_list ap) {
  if (err == NULL) return code;
  memset(err, 0, sizeof *err);
  err->code = code;
  err->line = at.line;
  err->column = at.column;
  snprintf(err->source, sizeof err->source, "%s", at.source ? at.source : "");
  snprintf(err->field, sizeof err->field, "%s", at.field ? at.field : "");
  vsnprintf(err->text, sizeof err->text, fmt, ap);
  /* One line only: a newline inside a message would break file:line output
   * and any log that reads it line by line. */
  for (char *p = err->text; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return code;
}

hv_status hv_error_set(hv_error *err, hv_status code, hv_where at,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_error_setv(err, code, at, fmt, ap);
  va_end(ap);
  return code;
}

int hv_error_format(const hv_error *err, char *buf, size_t size) {
  char where[sizeof err->source + sizeof err->field + 48] = "";
  size_t n = 0;
  if (err->source[0] != '\0')
    n += (size_t)snprintf(where + n, sizeof where - n, "%s:", err->source);
  if (err->line > 0)
    n += (size_t)snprintf(where + n, sizeof where - n, "%" PRIu32 ":",
                          err->line);
  if (err->field[0] != '\0')
    n += (size_t)snprintf(where + n, sizeof where - n, "%s:", err->field);
  else if (err->column > 0)
    n += (size_t)snprintf(where + n, sizeof where - n, "%" PRIu32 ":",
                          err->column);
  if (n > 0) return snprintf(buf, size, "%s %s", where, err->text);
  return snprintf(buf, size, "%s", err->text);
}

struct hv_diags {
  size_t n, cap, errors;
  hv_diag *items;
};

hv_diags *hv_diags_create(void) {
  return calloc(1, sizeof(hv_diags));
}

void hv_diags_free(hv_diags *d) {
  if (d == NULL) return;
  free(d->items);
  free(d);
}

static hv_diag *diags_push(hv_diags *d) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    hv_diag *items = realloc(d->items, cap * sizeof *items);
    if (items == NULL) return NULL;
    d->items = items;
    d->cap = cap;
  }
  return &d->items[d->n++];
}

hv_status hv_diags_addv(hv_diags *d, hv_severity sev, hv_status code,
                        hv_where at, const char *fmt, va_list ap) {
  hv_status ret = sev == HV_SEV_ERROR ? code : HV_OK;
  if (d == NULL) return ret;
  hv_diag *slot = diags_push(d);
  if (slot == NULL) return HV_E_NOMEM;
  slot->severity = sev;
  hv_error_setv(&slot->error, code, at, fmt, ap);
  if (sev == HV_SEV_ERROR) d->errors++;
  return ret;
}

hv_status hv_diags_add(hv_diags *d, hv_severity sev, hv_status code,
                       hv_where at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_status ret = hv_diags_addv(d, sev, code, at, fmt, ap);
  va_end(ap);
  return ret;
}

void hv_diags_add_error(hv_diags *d, hv_severity sev, const hv_error *e) {
  if (d == NULL) return;
  hv_diag *slot = diags_push(d);
  if (slot == NULL) return;
  slot->severity = sev;
  slot->error = *e;
  if (sev == HV_SEV_ERROR) d->errors++;
}

size_t hv_diags_count(const hv_diags *d) {
  return d ? d->n : 0;
}

size_t hv_diags_errors(const hv_diags *d) {
  return d ? d->errors : 0;
}

size_t hv_diags_warnings(const hv_diags *d) {
  return d ? d->n - d->errors : 0;
}

const hv_diag *hv_diags_get(const hv_diags *d, size_t i) {
  return d && i < d->n ? &d->items[i] : NULL;
}

const hv_diag *hv_diags_first_error(const hv_diags *d) {
  for (size_t i = 0; d && i < d->n; i++)
    if (d->items[i].severity == HV_SEV_ERROR) return &d->items[i];
  return NULL;
}
