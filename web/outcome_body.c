/* web/outcome_body.c -- the body of POST /api/outcome (a JSON object with
 * the visit log's fields) turned into one row of visits.csv, so that the
 * web goes through exactly the checks of `hvplan record`.  Pure: fuzzed on
 * its own (tests/fuzz/fuzz_web_outcome.c). */
#include <stdio.h>
#include <string.h>

#include "web_int.h"

const char *const hv__outcome_fields[HV_OUTCOME_FIELDS] = {
    "household", "date",      "outcome",        "barriers",
    "referrals", "next_step", "follow_up_date", "notes"};

/* Whether field i is one line of plain text: everything but the free
 * texts (referrals, next step, notes), which may hold line breaks. */
static bool one_line(int i) {
  return i <= 3 || i == 6;
}

static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return true;
  return false;
}

/* Appends s to out[0..size) at *n; false when it does not fit. */
static bool put(char *out, size_t size, size_t *n, const char *s, size_t len) {
  if (len >= size - *n) return false;
  memcpy(out + *n, s, len);
  *n += len;
  out[*n] = '\0';
  return true;
}

bool hv__outcome_body(const char *body, size_t len, hv_outcome_body *out,
                      const char **bad, char *msg, size_t msize) {
  memset(out, 0, sizeof *out);
  *bad = NULL;
  json_error_t je;
  json_t *in = json_loadb(body, len, 0, &je);
  if (!json_is_object(in)) {
    json_decref(in);
    snprintf(msg, msize, "send a JSON object: %s", je.text);
    return false;
  }
  bool ok = true;
  for (int i = 0; i < HV_OUTCOME_FIELDS && ok; i++) {
    char *v = out->v[i];
    size_t cap = sizeof out->v[i], n = 0;
    json_t *x = json_object_get(in, hv__outcome_fields[i]);
    if (x == NULL || json_is_null(x)) continue;
    if (json_is_string(x)) {
      ok = put(v, cap, &n, json_string_value(x), json_string_length(x));
    } else if (i == 3 && json_is_array(x)) {
      size_t k;
      json_t *b;
      json_array_foreach(x, k, b) {
        if (!json_is_string(b)) {
          ok = false;
          break;
        }
        ok = (k == 0 || put(v, cap, &n, ";", 1)) &&
             put(v, cap, &n, json_string_value(b), json_string_length(b));
        if (!ok) break;
      }
    } else {
      ok = false;
    }
    if (!ok) {
      *bad = hv__outcome_fields[i];
      snprintf(msg, msize, "expected %s of at most %zu bytes",
               i == 3 ? "a string or a list of strings" : "a string", cap - 1);
    } else if (one_line(i) && has_control(v)) {
      ok = false;
      *bad = hv__outcome_fields[i];
      snprintf(msg, msize,
               "expected one line of text, without line breaks or other "
               "control characters");
    }
  }
  json_decref(in);
  return ok;
}

/* One quoted CSV field. */
static bool field(char *out, size_t size, size_t *n, const char *v, bool last) {
  if (!put(out, size, n, "\"", 1)) return false;
  for (const char *p = v; *p; p++) {
    if (*p == '"' && !put(out, size, n, "\"", 1)) return false;
    if (!put(out, size, n, p, 1)) return false;
  }
  return put(out, size, n, last ? "\"\n" : "\",", 2);
}

size_t hv__outcome_csv(const hv_outcome_body *b, const char *staff, char *csv,
                       size_t size) {
  static const char head[] =
      "household,date,outcome,barriers,referrals,next_step,follow_up_date,"
      "notes,staff\n";
  size_t n = 0;
  if (size == 0 || !put(csv, size, &n, head, sizeof head - 1)) return 0;
  for (int i = 0; i < HV_OUTCOME_FIELDS; i++)
    if (!field(csv, size, &n, b->v[i], false)) return 0;
  if (!field(csv, size, &n, staff, true)) return 0;
  return n;
}
