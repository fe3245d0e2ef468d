/* geo/geocode.c -- addresses to coordinates through a Nominatim-compatible
 * /search service or the US Census Bureau geocoder, with a persistent cache.
 *
 * Privacy: the request carries the address and nothing else about the
 * family (the district's contact e-mail, when configured, identifies the
 * caller to Nominatim as its usage policy asks). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "http.h"

/* Matches farther apart than this make an address ambiguous. */
#define AMBIGUOUS_KM 1.0

struct hv_geocoder {
  hv_geocoder_provider provider;
  char base[512], email[128];
  hv_http *http;
  char *cache_path;
  json_t *cache; /* {"normalised address": {...}} */
  bool has_centre;
  hv_latlon centre;
  double max_km;
};

void hv_geocode_normalise(const char *address, char *buf, size_t size) {
  size_t k = 0;
  bool space = false;
  for (const unsigned char *p = (const unsigned char *)address;
       *p && k + 1 < size; p++) {
    unsigned char c = *p;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = k > 0;
      continue;
    }
    if (space && k + 2 < size) buf[k++] = ' ';
    space = false;
    buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  /* Trailing commas, full stops and blanks add nothing. */
  while (k > 0 && (buf[k - 1] == ',' || buf[k - 1] == '.' || buf[k - 1] == ' '))
    k--;
  buf[k] = '\0';
}

static void load_cache(hv_geocoder *g) {
  g->cache = NULL;
  if (g->cache_path) {
    json_error_t je;
    json_t *root = json_load_file(g->cache_path, 0, &je);
    json_t *entries = root ? json_object_get(root, "entries") : NULL;
    /* A damaged cache is ignored (and rewritten), never trusted. */
    if (json_is_object(entries)) g->cache = json_incref(entries);
    json_decref(root);
  }
  if (g->cache == NULL) g->cache = json_object();
}

static hv_status save_cache(hv_geocoder *g, hv_error *err) {
  if (g->cache_path == NULL) return HV_OK;
  json_t *root = json_pack("{s:i, s:O}", "version", 1, "entries", g->cache);
  char *text = root ? json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
  json_decref(root);
  if (text == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  hv_status st = hv_write_file_atomic(g->cache_path, text, strlen(text), err);
  free(text);
  return st;
}

hv_geocoder *hv_geocoder_create(hv_geocoder_provider provider,
                                const char *base_url, const char *email,
                                const hv_http_options *http,
                                const char *cache_path, bool has_centre,
                                hv_latlon centre, double max_km,
                                hv_error *err) {
  hv_geocoder *g = calloc(1, sizeof *g);
  if (g == NULL) {
    hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return NULL;
  }
  g->provider = provider;
  snprintf(g->base, sizeof g->base, "%s", base_url);
  size_t bl = strlen(g->base);
  while (bl > 0 && g->base[bl - 1] == '/')
    g->base[--bl] = '\0';
  snprintf(g->email, sizeof g->email, "%s", email ? email : "");
  g->has_centre = has_centre;
  g->centre = centre;
  g->max_km = max_km;
  if (cache_path) {
    g->cache_path = malloc(strlen(cache_path) + 1);
    if (g->cache_path)
      memcpy(g->cache_path, cache_path, strlen(cache_path) + 1);
  }
  g->http = hv__http_create(http, err);
  if (g->http == NULL || (cache_path && g->cache_path == NULL)) {
    hv_geocoder_free(g);
    return NULL;
  }
  load_cache(g);
  return g;
}

void hv_geocoder_free(hv_geocoder *g) {
  if (g == NULL) return;
  hv__http_free(g->http);
  json_decref(g->cache);
  free(g->cache_path);
  free(g);
}

const char *hv_geocode_status_text(hv_geocode_status s) {
  switch (s) {
    case HV_GEOCODE_FOUND:
      return "found";
    case HV_GEOCODE_NOT_FOUND:
      return "not found";
    case HV_GEOCODE_AMBIGUOUS:
      return "ambiguous";
    case HV_GEOCODE_TOO_FAR:
      return "implausibly far from the school";
  }
  return "?";
}

size_t hv_geocoder_requests(const hv_geocoder *g) {
  return g ? hv__http_requests(g->http) : 0;
}

/* Matches as (lat, lon, label) from the provider's answer. */
typedef struct match {
  double lat, lon;
  const char *label;
} match;

static hv_status parse_number(json_t *v, double *out) {
  if (json_is_number(v)) {
    *out = json_number_value(v);
    return HV_OK;
  }
  if (json_is_string(v) && hv_parse_double(json_string_value(v), out))
    return HV_OK;
  return HV_E_PARSE;
}

static hv_status parse_answer(hv_geocoder_provider provider, json_t *root,
                              match *m, int *n, hv_where at, hv_error *err) {
  *n = 0;
  json_t *list;
  if (provider == HV_GEOCODE_NOMINATIM) {
    list = root;
    if (!json_is_array(list))
      return hv_error_set(err, HV_E_PARSE, at,
                          "answer is not a Nominatim result list");
  } else {
    list = json_object_get(json_object_get(root, "result"), "addressMatches");
    if (!json_is_array(list))
      return hv_error_set(err, HV_E_PARSE, at,
                          "answer has no result.addressMatches list");
  }
  size_t i;
  json_t *item;
  json_array_foreach(list, i, item) {
    if (*n >= 5) break;
    match *x = &m[*n];
    json_t *lat, *lon;
    if (provider == HV_GEOCODE_NOMINATIM) {
      lat = json_object_get(item, "lat");
      lon = json_object_get(item, "lon");
      x->label = json_string_value(json_object_get(item, "display_name"));
    } else {
      json_t *c = json_object_get(item, "coordinates");
      lat = json_object_get(c, "y");
      lon = json_object_get(c, "x");
      x->label = json_string_value(json_object_get(item, "matchedAddress"));
    }
    if (parse_number(lat, &x->lat) != HV_OK ||
        parse_number(lon, &x->lon) != HV_OK || fabs(x->lat) > 90 ||
        fabs(x->lon) > 180)
      return hv_error_set(err, HV_E_PARSE, at,
                          "match %zu has no valid coordinates", i);
    (*n)++;
  }
  return HV_OK;
}

int hv__geocode_parse(hv_geocoder_provider provider, const char *text,
                      size_t len, double *lat, double *lon, hv_error *err) {
  json_error_t je;
  json_t *root = json_loadb(text, len, 0, &je);
  if (root == NULL) return -1;
  match m[5];
  int n = 0;
  hv_status st =
      parse_answer(provider, root, m, &n, (hv_where){.source = "fuzz"}, err);
  if (st == HV_OK && n > 0) {
    *lat = m[0].lat;
    *lon = m[0].lon;
  }
  json_decref(root);
  return st == HV_OK ? n : -1;
}

static void result_from_entry(hv_geocoder *g, json_t *e,
                              hv_geocode_result *res) {
  memset(res, 0, sizeof *res);
  const char *status = json_string_value(json_object_get(e, "status"));
  res->matches = (int)json_integer_value(json_object_get(e, "matches"));
  const char *label = json_string_value(json_object_get(e, "display"));
  snprintf(res->display, sizeof res->display, "%s", label ? label : "");
  res->at.lat = json_number_value(json_object_get(e, "lat"));
  res->at.lon = json_number_value(json_object_get(e, "lon"));
  if (status && strcmp(status, "found") == 0) {
    res->status = HV_GEOCODE_FOUND;
  } else if (status && strcmp(status, "ambiguous") == 0) {
    res->status = HV_GEOCODE_AMBIGUOUS;
  } else {
    res->status = HV_GEOCODE_NOT_FOUND;
  }
  /* Distance is judged now, against today's centre and limit. */
  if (res->status == HV_GEOCODE_FOUND && g->has_centre) {
    res->distance_km = hv_geodesic_m(g->centre, res->at) / 1000.0;
    if (res->distance_km > g->max_km) res->status = HV_GEOCODE_TOO_FAR;
  }
}

hv_status hv_geocode(hv_geocoder *g, const char *address,
                     hv_geocode_result *res, hv_error *err) {
  char key[512];
  hv_geocode_normalise(address, key, sizeof key);
  memset(res, 0, sizeof *res);
  json_t *hit = json_object_get(g->cache, key);
  if (json_is_object(hit)) {
    result_from_entry(g, hit, res);
    res->from_cache = 1;
    return HV_OK;
  }
  hv_where at = {.source = g->base};
  if (key[0] == '\0') {
    res->status = HV_GEOCODE_NOT_FOUND;
    return HV_OK;
  }
  char *q = hv__http_escape(g->http, address);
  char *mail = g->email[0] ? hv__http_escape(g->http, g->email) : NULL;
  if (q == NULL) {
    free(mail);
    return hv_error_set(err, HV_E_NOMEM, at, "out of memory");
  }
  size_t cap = strlen(g->base) + strlen(q) + (mail ? strlen(mail) : 0) + 256;
  char *url = malloc(cap);
  if (url == NULL) {
    free(q), free(mail);
    return hv_error_set(err, HV_E_NOMEM, at, "out of memory");
  }
  if (g->provider == HV_GEOCODE_NOMINATIM) {
    int k =
        snprintf(url, cap, "%s/search?format=jsonv2&limit=3&q=%s", g->base, q);
    if (mail) snprintf(url + k, cap - (size_t)k, "&email=%s", mail);
  } else {
    snprintf(
        url, cap,
        "%s/locations/onelineaddress?benchmark=Public_AR_Current&format=json"
        "&address=%s",
        g->base, q);
  }
  free(q);
  free(mail);
  char *body = NULL;
  size_t len = 0;
  hv_status st = hv__http_get(g->http, url, &body, &len, err);
  free(url);
  if (st != HV_OK) return st;
  json_error_t je;
  json_t *root = json_loadb(body, len, 0, &je);
  free(body);
  if (root == NULL)
    return hv_error_set(err, HV_E_PARSE, at,
                        "the geocoder's answer is not valid "
                        "JSON (%s)",
                        je.text);
  match m[5];
  int n = 0;
  st = parse_answer(g->provider, root, m, &n, at, err);
  if (st != HV_OK) {
    json_decref(root);
    return st;
  }
  /* Several matches far apart: do not guess. */
  bool ambiguous = false;
  for (int i = 1; i < n; i++)
    if (hv_geodesic_m((hv_latlon){m[0].lat, m[0].lon},
                      (hv_latlon){m[i].lat, m[i].lon}) > AMBIGUOUS_KM * 1000)
      ambiguous = true;
  json_t *entry = json_pack("{s:s, s:i}", "status",
                            n == 0      ? "not_found"
                            : ambiguous ? "ambiguous"
                                        : "found",
                            "matches", n);
  if (n > 0) {
    json_object_set_new(entry, "lat", json_real(m[0].lat));
    json_object_set_new(entry, "lon", json_real(m[0].lon));
    json_object_set_new(entry, "display",
                        json_string(m[0].label ? m[0].label : ""));
  }
  json_decref(root);
  json_object_set_new(g->cache, key, entry);
  result_from_entry(g, entry, res);
  /* Saved after every answer: an interrupted run keeps what it got. */
  return save_cache(g, err);
}
