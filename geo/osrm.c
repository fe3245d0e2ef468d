/* geo/osrm.c -- travel matrices from an OSRM server's table service.  The
 * matrix is asked in blocks of sources x destinations so that no request
 * exceeds the server's table size limit; each request carries only the
 * block's coordinates. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static hv_status parse_answer(const char *body, size_t len, size_t ns,
                              size_t nd, size_t s0, size_t d0, hv_travel *t,
                              hv_where at, hv_error *err);

/* Reads one block's rows of a "durations"/"distances" array into out. */
static hv_status read_rows(json_t *arr, size_t ns, size_t nd, size_t s0,
                           size_t d0, size_t n, double *out, size_t *nulls,
                           const char *what, hv_where at, hv_error *err) {
  if (!json_is_array(arr) || json_array_size(arr) != ns)
    return hv_error_set(err, HV_E_PARSE, at,
                        "answer has no %zu x %zu \"%s\" table", ns, nd, what);
  for (size_t i = 0; i < ns; i++) {
    json_t *row = json_array_get(arr, i);
    if (!json_is_array(row) || json_array_size(row) != nd)
      return hv_error_set(err, HV_E_PARSE, at,
                          "\"%s\" row %zu has the wrong length", what, i);
    for (size_t j = 0; j < nd; j++) {
      json_t *v = json_array_get(row, j);
      double x;
      if (json_is_null(v)) {
        x = HV_TRAVEL_UNROUTABLE;
        if (nulls) (*nulls)++;
      } else if (json_is_number(v) && json_number_value(v) >= 0) {
        x = json_number_value(v);
      } else {
        return hv_error_set(err, HV_E_PARSE, at,
                            "\"%s\"[%zu][%zu] is not a non-negative number",
                            what, i, j);
      }
      out[(s0 + i) * n + (d0 + j)] = x;
    }
  }
  return HV_OK;
}

static hv_status fetch_block(hv_http *h, const char *base, const char *profile,
                             const hv_latlon *pts, size_t s0, size_t ns,
                             size_t d0, size_t nd, hv_travel *t,
                             hv_error *err) {
  /* coordinates: the sources, then the destinations */
  size_t cap = (ns + nd) * 48 + strlen(base) + strlen(profile) + 64 +
               (ns + nd) * 8 + 128;
  char *url = malloc(cap);
  if (url == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t k = (size_t)snprintf(url, cap, "%s/table/v1/%s/", base, profile);
  for (size_t i = 0; i < ns + nd; i++) {
    const hv_latlon *p = i < ns ? &pts[s0 + i] : &pts[d0 + i - ns];
    k += (size_t)snprintf(url + k, cap - k, "%s%.6f,%.6f", i ? ";" : "", p->lon,
                          p->lat);
  }
  k += (size_t)snprintf(url + k, cap - k, "?sources=");
  for (size_t i = 0; i < ns; i++)
    k += (size_t)snprintf(url + k, cap - k, "%s%zu", i ? ";" : "", i);
  k += (size_t)snprintf(url + k, cap - k, "&destinations=");
  for (size_t i = 0; i < nd; i++)
    k += (size_t)snprintf(url + k, cap - k, "%s%zu", i ? ";" : "", ns + i);
  snprintf(url + k, cap - k, "&annotations=duration,distance");

  char block[128];
  snprintf(block, sizeof block,
           "%s/table/v1/%s (block of sources %zu-%zu, "
           "destinations %zu-%zu)",
           base, profile, s0, s0 + ns - 1, d0, d0 + nd - 1);
  hv_where at = {.source = block};
  char *body = NULL;
  size_t len = 0;
  hv_error herr;
  hv_status st = hv__http_get(h, url, &body, &len, &herr);
  free(url);
  if (st != HV_OK)
    return hv_error_set(err, st, at, "OSRM server could not be used: %s",
                        herr.text);
  st = parse_answer(body, len, ns, nd, s0, d0, t, at, err);
  free(body);
  return st;
}

hv_status hv__osrm_parse(const char *text, size_t len, size_t ns, size_t nd,
                         hv_travel *t, hv_error *err) {
  if (ns > t->n || nd > t->n)
    return hv_error_set(err, HV_E_RANGE, (hv_where){0},
                        "block larger than matrix");
  return parse_answer(text, len, ns, nd, 0, 0, t, (hv_where){.source = "osrm"},
                      err);
}

static hv_status parse_answer(const char *body, size_t len, size_t ns,
                              size_t nd, size_t s0, size_t d0, hv_travel *t,
                              hv_where at, hv_error *err) {
  size_t n = t->n;
  hv_status st;
  json_error_t je;
  json_t *root = json_loadb(body, len, 0, &je);
  if (root == NULL)
    return hv_error_set(err, HV_E_PARSE, at, "answer is not valid JSON (%s)",
                        je.text);
  const char *code = json_string_value(json_object_get(root, "code"));
  if (code == NULL || strcmp(code, "Ok") != 0) {
    const char *msg = json_string_value(json_object_get(root, "message"));
    st = hv_error_set(err, HV_E_NETWORK, at, "OSRM answered %s%s%s",
                      code ? code : "without a code", msg ? ": " : "",
                      msg ? msg : "");
  } else {
    st = read_rows(json_object_get(root, "durations"), ns, nd, s0, d0, n,
                   t->seconds, &t->unroutable, "durations", at, err);
    json_t *dist = json_object_get(root, "distances");
    if (st == HV_OK && dist != NULL)
      st = read_rows(dist, ns, nd, s0, d0, n, t->meters, NULL, "distances", at,
                     err);
  }
  json_decref(root);
  return st;
}

hv_status hv_travel_osrm(const char *base_url, const char *profile,
                         const hv_latlon *pts, size_t n, size_t block,
                         const hv_http_options *http, hv_travel **out,
                         hv_error *err) {
  *out = NULL;
  if (block == 0) block = 100;
  hv_travel *t = calloc(1, sizeof *t);
  if (t == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  t->n = n;
  t->seconds = malloc((n * n + 1) * sizeof *t->seconds);
  t->meters = malloc((n * n + 1) * sizeof *t->meters);
  hv_http *h = hv__http_create(http, err);
  if (!t->seconds || !t->meters || !h) {
    hv__http_free(h);
    hv_travel_free(t);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  /* Without distances in the answer, metres stay unknown (-1 -> 0 below). */
  for (size_t k = 0; k < n * n; k++)
    t->meters[k] = -1;
  char base[512];
  snprintf(base, sizeof base, "%s", base_url);
  size_t bl = strlen(base);
  while (bl > 0 && base[bl - 1] == '/')
    base[--bl] = '\0';
  hv_status st = HV_OK;
  for (size_t s0 = 0; s0 < n && st == HV_OK; s0 += block)
    for (size_t d0 = 0; d0 < n && st == HV_OK; d0 += block) {
      size_t ns = n - s0 < block ? n - s0 : block;
      size_t nd = n - d0 < block ? n - d0 : block;
      st = fetch_block(h, base, profile, pts, s0, ns, d0, nd, t, err);
    }
  hv__http_free(h);
  if (st != HV_OK) {
    hv_travel_free(t);
    return st;
  }
  for (size_t k = 0; k < n * n; k++)
    if (t->meters[k] < 0) t->meters[k] = 0;
  for (size_t i = 0; i < n; i++) {
    if (t->seconds[i * n + i] >= HV_TRAVEL_UNROUTABLE) t->unroutable--;
    t->seconds[i * n + i] = 0;
    t->meters[i * n + i] = 0;
  }
  *out = t;
  return HV_OK;
}
