/* planner/cli_geocode.c -- `hvplan geocode DIR`: fills in the coordinates of
 * the school and of every household that has an address but no lat/lon.
 *
 * Only the address is sent.  Results go to DIR/geocode_cache.json as they
 * arrive (a second run sends nothing; an interrupted run loses nothing).
 * households.csv is rewritten atomically with every other column kept as it
 * was, the previous file saved as households.csv.bak.  Addresses that fail,
 * are ambiguous, or land implausibly far from the school are listed for a
 * coordinator to fix by hand. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common_int.h"
#include "csv_table.h"
#include "hv/geo.h"
#include "hv/scenario.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static const char *status_text(hv_geocode_status s) {
  switch (s) {
    case HV_GEOCODE_FOUND: return "found";
    case HV_GEOCODE_NOT_FOUND: return "not found";
    case HV_GEOCODE_AMBIGUOUS: return "ambiguous";
    case HV_GEOCODE_TOO_FAR: return "implausibly far from the school";
  }
  return "?";
}

/* Copies path to path.bak (the previous version a coordinator can go back
 * to), atomically. */
static hv_status backup(const char *path, hv_error *err) {
  char *data;
  size_t len;
  hv_status st = hv__read_file(path, HV_CSV_MAX_BYTES, &data, &len, err);
  if (st != HV_OK) return st;
  char bak[4096];
  snprintf(bak, sizeof bak, "%s.bak", path);
  st = hv__write_file_atomic(bak, data, len, err);
  free(data);
  return st;
}

/* Writes lat/lon of the base into scenario.json, keeping everything else. */
static hv_status update_scenario_json(const char *dir, hv_latlon at,
                                      hv_error *err) {
  char path[4096];
  hv__path_join(path, sizeof path, dir, "scenario.json");
  json_error_t je;
  json_t *root = json_load_file(path, JSON_PRESERVE_ORDER, &je);
  if (root == NULL)
    return hv_error_set(err, HV_E_PARSE, (hv_where){.source = "scenario.json"},
                        "%s", je.text);
  json_t *base = json_object_get(root, "base");
  json_object_set_new(base, "lat", json_real(at.lat));
  json_object_set_new(base, "lon", json_real(at.lon));
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                    JSON_REAL_PRECISION(10));
  json_decref(root);
  if (text == NULL) return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t n = strlen(text);
  text[n] = '\0';
  hv_status st = backup(path, err);
  if (st == HV_OK) {
    char *t2 = realloc(text, n + 2);
    if (t2) {
      text = t2;
      text[n] = '\n';
      text[n + 1] = '\0';
    }
    st = hv__write_file_atomic(path, text, strlen(text), err);
  }
  free(text);
  return st;
}

static hv_status write_households(const char *dir, const hv_scenario *s,
                                  const bool *have, const hv_latlon *at,
                                  hv_error *err) {
  char path[4096];
  hv__path_join(path, sizeof path, dir, "households.csv");
  char *raw;
  size_t len;
  hv_status st = hv__read_file(path, HV_CSV_MAX_BYTES, &raw, &len, err);
  if (st != HV_OK) return st;
  bool bom = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0;
  bool crlf = strstr(raw, "\r\n") != NULL;
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = NULL;
  st = hv__csv_parse(raw, len, "households.csv", &t, d);
  free(raw);
  hv_diags_free(d);
  if (st != HV_OK)
    return hv_error_set(err, st, (hv_where){.source = "households.csv"},
                        "cannot be read back");
  int cid = hv__csv_col(t, "id");
  if (cid < 0) cid = hv__csv_col(t, "household_id");
  if (cid < 0) cid = hv__csv_col(t, "household");
  int clat = hv__csv_col(t, "lat") >= 0 ? hv__csv_col(t, "lat") : hv__csv_col(t, "latitude");
  if (clat < 0) clat = hv__csv_add_column(t, "lat");
  int clon = hv__csv_col(t, "lon");
  if (clon < 0) clon = hv__csv_col(t, "lng");
  if (clon < 0) clon = hv__csv_col(t, "longitude");
  if (clon < 0) clon = hv__csv_add_column(t, "lon");
  for (size_t r = 0; cid >= 0 && clat >= 0 && clon >= 0 && r < t->nrows; r++)
    for (size_t h = 0; h < s->nhouseholds; h++) {
      if (!have[h] || strcmp(s->households[h].id, t->rows[r].cells[cid]) != 0)
        continue;
      char v[32];
      snprintf(v, sizeof v, "%.6f", at[h].lat);
      hv__csv_set(t, r, clat, v);
      snprintf(v, sizeof v, "%.6f", at[h].lon);
      hv__csv_set(t, r, clon, v);
    }
  char *buf = NULL;
  size_t blen = 0;
  FILE *f = open_memstream(&buf, &blen);
  if (f == NULL) {
    hv__csv_free(t);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  hv__csv_format(t, f, bom, crlf);
  fclose(f);
  hv__csv_free(t);
  st = backup(path, err);
  if (st == HV_OK) st = hv__write_file_atomic(path, buf, blen, err);
  free(buf);
  return st;
}

int hv_cli_geocode(int argc, char **argv) {
  const char *dir = NULL;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
      quiet = true;
    } else if (argv[i][0] == '-' || dir) {
      fprintf(stderr, "usage: hvplan geocode [--quiet] DIR\n");
      return 64;
    } else {
      dir = argv[i];
    }
  }
  if (dir == NULL) {
    fprintf(stderr, "usage: hvplan geocode [--quiet] DIR\n");
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(dir, &rc);
  if (s == NULL) return rc;
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  hv_http_options http;
  hv_http_options_init(&http);
  http.user_agent = s->geocoder.user_agent;
  http.min_interval_s = s->geocoder.min_interval_s;
  char cache[4096];
  hv__path_join(cache, sizeof cache, dir, "geocode_cache.json");
  hv_error err = {0};
  hv_status st;
  hv_latlon centre = {s->base.lat, s->base.lon};
  bool have_centre = s->base.has_coords;
  hv_geocoder *g = NULL;
  bool *have = calloc(s->nhouseholds + 1, sizeof *have);
  hv_latlon *at = calloc(s->nhouseholds + 1, sizeof *at);
  size_t found = 0, cached = 0, failed = 0, todo = 0;
  if (have == NULL || at == NULL) {
    rc = hv_cli_exit_code(HV_E_NOMEM);
    goto done;
  }
  if (!have_centre) {
    if (s->base.address[0] == '\0') {
      fprintf(stderr, "hvplan: error: scenario.json:base: the school has neither "
                      "lat/lon nor an address\n");
      rc = hv_cli_exit_code(HV_E_INPUT);
      goto done;
    }
    g = hv_geocoder_create((hv_geocoder_provider)s->geocoder.provider,
                           s->geocoder.url, s->geocoder.email, &http, cache,
                           false, centre, 0, &err);
    hv_geocode_result res;
    st = g ? hv_geocode(g, s->base.address, &res, &err) : HV_E_NOMEM;
    hv_geocoder_free(g);
    g = NULL;
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
      goto done;
    }
    if (res.status != HV_GEOCODE_FOUND) {
      fprintf(stderr, "hvplan: error: scenario.json:base: the school's address "
                      "is %s; enter base.lat and base.lon by hand\n",
              status_text(res.status));
      rc = hv_cli_exit_code(HV_E_GEOCODE);
      goto done;
    }
    st = update_scenario_json(dir, res.at, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
      goto done;
    }
    centre = res.at;
    have_centre = true;
    if (!quiet) printf("school: %.6f, %.6f (%s)\n", res.at.lat, res.at.lon, res.display);
  }
  g = hv_geocoder_create((hv_geocoder_provider)s->geocoder.provider, s->geocoder.url,
                         s->geocoder.email, &http, cache, have_centre, centre,
                         s->geocoder.max_distance_km, &err);
  if (g == NULL) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(err.code);
    goto done;
  }
  for (size_t h = 0; h < s->nhouseholds && !stop; h++) {
    const hv_household *hh = &s->households[h];
    if (hh->has_coords || hh->address[0] == '\0') continue;
    todo++;
    hv_geocode_result res;
    st = hv_geocode(g, hh->address, &res, &err);
    if (st != HV_OK) {
      /* The service failed: keep what we have, say what to do. */
      hv_cli_print_error(&err);
      fprintf(stderr, "hvplan: the geocoder failed at household '%s'; results "
                      "so far are kept; run 'hvplan geocode' again later\n",
              hh->id);
      rc = hv_cli_exit_code(st);
      break;
    }
    cached += res.from_cache;
    if (res.status == HV_GEOCODE_FOUND) {
      have[h] = true;
      at[h] = res.at;
      found++;
      continue;
    }
    failed++;
    if (res.status == HV_GEOCODE_TOO_FAR)
      fprintf(stderr, "households.csv:%u:address: '%s': %s (%.1f km away, at "
                      "%s); fix the address or enter lat/lon by hand\n",
              (unsigned)hh->line, hh->id, status_text(res.status), res.distance_km,
              res.display);
    else if (res.status == HV_GEOCODE_AMBIGUOUS)
      fprintf(stderr, "households.csv:%u:address: '%s': %s (%d matches far "
                      "apart, first: %s); make the address more precise\n",
              (unsigned)hh->line, hh->id, status_text(res.status), res.matches,
              res.display);
    else
      fprintf(stderr, "households.csv:%u:address: '%s': %s; fix the address or "
                      "enter lat/lon by hand\n",
              (unsigned)hh->line, hh->id, status_text(res.status));
  }
  if (found > 0) {
    st = write_households(dir, s, have, at, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
    }
  }
  if (!quiet)
    printf("%zu address%s looked up: %zu found (%zu from the cache), %zu to fix "
           "by hand; %zu request%s sent\n",
           todo, todo == 1 ? "" : "es", found, cached, failed,
           hv_geocoder_requests(g), hv_geocoder_requests(g) == 1 ? "" : "s");
  if (stop) {
    fprintf(stderr, "hvplan: interrupted; results so far were saved\n");
    rc = 130;
  }
done:
  hv_geocoder_free(g);
  free(have);
  free(at);
  hv_scenario_free(s);
  return rc;
}
