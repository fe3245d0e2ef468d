/* planner/plan/geocode.c -- hv_scenario_geocode(): fills in the coordinates
 * of the school and of every household that has an address but no lat/lon,
 * composing geo's geocoders with io's writers.
 *
 * Only the address is sent.  Results go to DIR/geocode_cache.json as they
 * arrive (a second run sends nothing; an interrupted run loses nothing);
 * what was found is written back even when the service fails part-way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/geo.h"
#include "hv/planning.h"
#include "plan_def.h"

static void report(const hv_geocode_options *o, long household,
                   const hv_geocode_result *res) {
  if (o == NULL || o->report == NULL) return;
  hv_geocode_report r = {.household = household,
                         .status = (int)res->status,
                         .distance_km = res->distance_km,
                         .matches = res->matches,
                         .lat = res->at.lat,
                         .lon = res->at.lon};
  snprintf(r.display, sizeof r.display, "%s", res->display);
  o->report(&r, o->report_ud);
}

/* The school first: the households' plausibility check needs it. */
static hv_status locate_school(const hv_scenario *s,
                               const hv_geocode_options *o,
                               const hv_http_options *http, const char *cache,
                               hv_latlon *centre, hv_error *err) {
  hv_where base = {.source = "scenario.json", .field = "base"};
  if (s->base.address[0] == '\0')
    return hv_error_set(err, HV_E_INPUT, base,
                        "the school has neither lat/lon nor an address");
  hv_geocoder *g = hv_geocoder_create(s->geocoder.provider, s->geocoder.url,
                                      s->geocoder.email, http, cache, false,
                                      *centre, 0, err);
  if (g == NULL) return err ? err->code : HV_E_NOMEM;
  hv_geocode_result res;
  hv_status st = hv_geocode(g, s->base.address, &res, err);
  hv_geocoder_free(g);
  if (st != HV_OK) return st;
  if (res.status != HV_GEOCODE_FOUND)
    return hv_error_set(err, HV_E_GEOCODE, base,
                        "the school's address is %s; enter base.lat and "
                        "base.lon by hand",
                        hv_geocode_status_text(res.status));
  st = hv__scenario_save_base(s, res.at.lat, res.at.lon, err);
  if (st != HV_OK) return st;
  report(o, -1, &res);
  *centre = res.at;
  return HV_OK;
}

hv_status hv_scenario_geocode(const hv_scenario *s, const hv_geocode_options *o,
                              hv_geocode_totals *totals, hv_error *err) {
  memset(totals, 0, sizeof *totals);
  totals->failed_at = -1;
  hv_http_options http;
  hv_http_options_init(&http);
  http.user_agent = s->geocoder.user_agent;
  http.min_interval_s = s->geocoder.min_interval_s;
  char cache[4096];
  if (!hv_path_join(cache, sizeof cache, s->dir, "geocode_cache.json"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = s->dir},
                        "path too long");
  hv_latlon centre = {s->base.lat, s->base.lon};
  hv_status st = HV_OK;
  if (!s->base.has_coords) {
    st = locate_school(s, o, &http, cache, &centre, err);
    if (st != HV_OK) return st;
  }
  bool *have = calloc(s->nhouseholds + 1, sizeof *have);
  double *lat = calloc(s->nhouseholds + 1, sizeof *lat);
  double *lon = calloc(s->nhouseholds + 1, sizeof *lon);
  hv_geocoder *g = NULL;
  if (!have || !lat || !lon) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  g = hv_geocoder_create(s->geocoder.provider, s->geocoder.url,
                         s->geocoder.email, &http, cache, true, centre,
                         s->geocoder.max_distance_km, err);
  if (g == NULL) {
    st = err ? err->code : HV_E_NOMEM;
    goto done;
  }
  for (size_t h = 0; h < s->nhouseholds; h++) {
    const hv_household *hh = &s->households[h];
    if (hh->has_coords || hh->address[0] == '\0' || hh->mode != HV_MODE_HOME)
      continue;
    if (o && o->stop && *o->stop) {
      totals->stopped = true;
      break;
    }
    totals->todo++;
    hv_geocode_result res;
    st = hv_geocode(g, hh->address, &res, err);
    if (st != HV_OK) { /* the service failed: keep what we have */
      totals->failed_at = (long)h;
      break;
    }
    totals->cached += res.from_cache;
    if (res.status == HV_GEOCODE_FOUND) {
      have[h] = true;
      lat[h] = res.at.lat;
      lon[h] = res.at.lon;
      totals->found++;
      continue;
    }
    totals->failed++;
    report(o, (long)h, &res);
  }
  if (totals->found > 0) {
    hv_error werr;
    hv_status wst = hv__scenario_save_coords(s, have, lat, lon, &werr);
    if (wst != HV_OK && st == HV_OK) {
      st = wst;
      if (err) *err = werr;
    }
  }
done:
  totals->requests = hv_geocoder_requests(g);
  hv_geocoder_free(g);
  free(have), free(lat), free(lon);
  return st;
}
