/* tests/geo/test_geo_http.c -- the geocoder and the OSRM client against a
 * local server of the tests' own (tests/geo/fake_server.py) that answers in
 * the services' formats and misbehaves on request. */
#include <math.h>
#include <time.h>

#include "check.h"
#include "hv/geo.h"
#include "server.h"

static hv_http_options fast(void) {
  hv_http_options o;
  hv_http_options_init(&o);
  o.user_agent = "hvplan-test/1 (tests@example.org)";
  o.timeout_s = 2;
  o.retries = 3;
  o.backoff_s = 0.05;
  return o;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void geocode_results_and_cache(void) {
  char cache[] = "/tmp/hv_cache_XXXXXX";
  int fd = mkstemp(cache);
  close(fd);
  unlink(cache); /* start without a cache file */
  hv_http_options o = fast();
  hv_error err;
  hv_latlon school = {44.9695, -93.247};
  for (int provider = 0; provider < 2; provider++) {
    char url[160];
    snprintf(url, sizeof url, "%s%s", server_url, provider ? "/geocoder" : "");
    unlink(cache);
    hv_geocoder *g = hv_geocoder_create((hv_geocoder_provider)provider, url,
                                        provider ? NULL : "tests@example.org",
                                        &o, cache, true, school, 50, &err);
    CHECK(g != NULL);
    if (!g) continue;
    hv_geocode_result r;
    CHECK_INT_EQ(hv_geocode(g, "100 Cedar Ave,  Minneapolis, MN", &r, &err),
                 HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_FOUND);
    CHECK_NEAR(r.at.lat, 44.9701, 1e-9);
    CHECK_NEAR(r.at.lon, -93.2471, 1e-9);
    CHECK_STR_EQ(r.display, "100 Cedar Avenue");
    CHECK_INT_EQ(hv_geocode(g, "999 Nowhere Ln", &r, &err), HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_NOT_FOUND);
    CHECK_INT_EQ(hv_geocode(g, "12 Main St", &r, &err), HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_AMBIGUOUS); /* Minneapolis or Duluth */
    CHECK_INT_EQ(hv_geocode(g, "5 River Rd, St Paul, MN", &r, &err), HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_FOUND); /* two matches 25 m apart */
    CHECK_INT_EQ(hv_geocode(g, "1 Beach Dr, Miami, FL", &r, &err), HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_TOO_FAR);
    CHECK(r.distance_km > 2000);
    CHECK_INT_EQ(hv_geocoder_requests(g), 5);
    hv_geocoder_free(g);
    /* A second run answers everything from the cache: no request. */
    g = hv_geocoder_create((hv_geocoder_provider)provider, url, NULL, &o, cache,
                           true, school, 50, &err);
    CHECK_INT_EQ(hv_geocode(g, "100 CEDAR AVE, Minneapolis, MN.", &r, &err),
                 HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_FOUND);
    CHECK(r.from_cache);
    CHECK_INT_EQ(hv_geocode(g, "999 nowhere ln", &r, &err), HV_OK);
    CHECK_INT_EQ(r.status, HV_GEOCODE_NOT_FOUND);
    CHECK_INT_EQ(hv_geocoder_requests(g), 0);
    hv_geocoder_free(g);
  }
  char *log = server_log_text();
  CHECK_STR_CONTAINS(log, "| hvplan-test/1 (tests@example.org)");
  CHECK_STR_CONTAINS(log, "/search?format=jsonv2&limit=3&q=100%20Cedar%20Ave");
  free(log);
  unlink(cache);
}

static void retries_honour_retry_after(void) {
  hv_http_options o = fast();
  hv_error err;
  hv_geocoder *g =
      hv_geocoder_create(HV_GEOCODE_NOMINATIM, server_url, NULL, &o, NULL,
                         false, (hv_latlon){0, 0}, 0, &err);
  server_mode("429", 2);
  double t0 = now_s();
  hv_geocode_result r;
  CHECK_INT_EQ(hv_geocode(g, "77 Lake St, Minneapolis, MN", &r, &err), HV_OK);
  double took = now_s() - t0;
  CHECK_INT_EQ(r.status, HV_GEOCODE_FOUND);
  CHECK_INT_EQ(hv_geocoder_requests(g), 3);
  CHECK(took >= 1.9); /* two pauses of Retry-After: 1 */
  /* 500 on every try: an error that names the server, not the address. */
  server_mode("500", 10);
  CHECK_INT_EQ(hv_geocode(g, "2200 Franklin Ave, Minneapolis, MN", &r, &err),
               HV_E_NETWORK);
  CHECK_STR_CONTAINS(err.text, "HTTP status 500 (after 4 tries)");
  CHECK_STR_CONTAINS(err.source, "127.0.0.1");
  CHECK(strstr(err.source, "Franklin") == NULL &&
        strstr(err.text, "Franklin") == NULL);
  server_mode("ok", 0);
  hv_geocoder_free(g);
}

static void garbage_never_corrupts_the_cache(void) {
  char cache[] = "/tmp/hv_cache2_XXXXXX";
  close(mkstemp(cache));
  unlink(cache);
  hv_http_options o = fast();
  o.retries = 0;
  o.timeout_s = 1;
  hv_error err;
  hv_geocoder *g =
      hv_geocoder_create(HV_GEOCODE_NOMINATIM, server_url, NULL, &o, cache,
                         false, (hv_latlon){0, 0}, 0, &err);
  hv_geocode_result r;
  CHECK_INT_EQ(hv_geocode(g, "100 Cedar Ave, Minneapolis, MN", &r, &err),
               HV_OK);
  const char *modes[] = {"malformed", "empty", "truncated", "drop", "hang"};
  for (int i = 0; i < 5; i++) {
    server_mode(modes[i], 1);
    hv_status st = hv_geocode(g, "77 Lake St, Minneapolis, MN", &r, &err);
    CHECK(st == HV_E_PARSE || st == HV_E_NETWORK);
    fprintf(stderr, "   %s: %s\n", modes[i], err.text);
  }
  server_mode("ok", 0);
  hv_geocoder_free(g);
  /* The cache still holds the one good answer and is valid JSON. */
  g = hv_geocoder_create(HV_GEOCODE_NOMINATIM, server_url, NULL, &o, cache,
                         false, (hv_latlon){0, 0}, 0, &err);
  CHECK_INT_EQ(hv_geocode(g, "100 Cedar Ave, Minneapolis, MN", &r, &err),
               HV_OK);
  CHECK(r.from_cache && r.status == HV_GEOCODE_FOUND);
  CHECK_INT_EQ(hv_geocoder_requests(g), 0);
  hv_geocoder_free(g);
  unlink(cache);
}

static void osrm_table_in_blocks(void) {
  hv_latlon pts[5] = {{44.9695, -93.247},
                      {44.9701, -93.2471},
                      {44.9627, -93.2398},
                      {44.9480, -93.2600},
                      {-70.0, 10.0}}; /* last: unroutable */
  hv_http_options o = fast();
  hv_travel *t = NULL;
  hv_error err;
  size_t before = 0;
  {
    char *log = server_log_text();
    for (char *c = log; *c; c++)
      before += strstr(c, "/table/v1/") == c;
    free(log);
  }
  CHECK_INT_EQ(hv_travel_osrm(server_url, "driving", pts, 5, 2, &o, &t, &err),
               HV_OK);
  if (t) {
    /* 5 points in blocks of 2: 3 x 3 requests. */
    char *log = server_log_text();
    size_t after = 0;
    for (char *c = log; *c; c++)
      after += strstr(c, "/table/v1/driving/") == c;
    CHECK_INT_EQ(after - before, 9);
    free(log);
    /* The server answers metres / 10 for seconds; compare with PROJ's
     * geodesic within the haversine's error (0.5 %). */
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) {
        double g = hv_geodesic_m(pts[i], pts[j]);
        CHECK(fabs(t->meters[i * 5 + j] - g) <= 0.005 * g + 0.2);
        CHECK_NEAR(t->seconds[i * 5 + j], t->meters[i * 5 + j] / 10.0, 0.06);
      }
    CHECK_INT_EQ(t->unroutable, 8); /* point 4 to and from the other four */
    CHECK(t->seconds[4 * 5 + 0] >= HV_TRAVEL_UNROUTABLE);
    CHECK(t->seconds[0 * 5 + 4] >= HV_TRAVEL_UNROUTABLE);
    CHECK_NEAR(t->seconds[4 * 5 + 4], 0, 0);
  }
  hv_travel_free(t);
  /* Blocks beyond the server's table limit: the error names the block. */
  hv_latlon *many = malloc(120 * sizeof *many);
  for (int i = 0; i < 120; i++)
    many[i] = (hv_latlon){44.9 + i * 1e-3, -93.2};
  CHECK_INT_EQ(
      hv_travel_osrm(server_url, "driving", many, 120, 120, &o, &t, &err),
      HV_E_NETWORK);
  CHECK_STR_CONTAINS(err.source, "/table/v1/driving (block of sources 0-119");
  CHECK_STR_CONTAINS(err.text, "HTTP status 400");
  free(many);
  /* A server that is not there. */
  o.retries = 1;
  CHECK_INT_EQ(hv_travel_osrm("http://127.0.0.1:9", "driving", pts, 3, 100, &o,
                              &t, &err),
               HV_E_NETWORK);
  CHECK_STR_CONTAINS(err.source, "http://127.0.0.1:9/table/v1/driving");
  CHECK_STR_CONTAINS(err.text, "OSRM server could not be used");
  /* Garbage in the answer. */
  o.retries = 0;
  server_mode("malformed", 1);
  CHECK_INT_EQ(hv_travel_osrm(server_url, "driving", pts, 3, 100, &o, &t, &err),
               HV_E_PARSE);
  server_mode("ok", 0);
}

static void normalise(void) {
  char b[64];
  hv_geocode_normalise("  100  Cedar AVE,\tMinneapolis , MN. ", b, sizeof b);
  CHECK_STR_EQ(b, "100 cedar ave, minneapolis , mn");
}

int main(void) {
  if (hv_geo_global_init() != HV_OK || !server_start()) {
    fprintf(stderr, "cannot start the local test server (python3 needed)\n");
    return 1;
  }
  RUN(normalise);
  RUN(geocode_results_and_cache);
  RUN(retries_honour_retry_after);
  RUN(garbage_never_corrupts_the_cache);
  RUN(osrm_table_in_blocks);
  server_stop();
  hv_geo_global_cleanup();
  return CHECK_DONE();
}
