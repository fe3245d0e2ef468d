/* tests/geo/test_geo.c -- geodesics against PROJ's `geod` tool, the
 * projection, and travel matrices (both the exact and the projected path). */
#include <stdlib.h>

#include "check.h"
#include "hv/geo.h"

/* Values from `geod +ellps=WGS84 -I +units=m` (proj-bin), an independent
 * program from the library calls under test. */
static void geodesic_matches_geod_tool(void) {
  CHECK_NEAR(
      hv_geodesic_m((hv_latlon){40.64, -73.78}, (hv_latlon){1.36, 103.99}),
      15347512.941, 0.01);
  CHECK_NEAR(hv_geodesic_m((hv_latlon){44.9695, -93.2470},
                           (hv_latlon){44.9801, -93.2600}),
             1561.803, 0.001);
  CHECK_NEAR(
      hv_geodesic_m((hv_latlon){44.9695, -93.2470}, (hv_latlon){45.2, -93.5}),
      32449.183, 0.001);
  /* One degree of longitude on the equator: a * pi / 180. */
  CHECK_NEAR(hv_geodesic_m((hv_latlon){0, 0}, (hv_latlon){0, 1}), 111319.491,
             0.001);
}

static void projection_is_centred_and_metric(void) {
  hv_error err;
  hv_latlon c = {44.9695, -93.2470};
  hv_projection *p = hv_projection_create(c, &err);
  CHECK(p != NULL);
  if (p == NULL) return;
  hv_latlon pts[3] = {c, {44.9801, -93.2600}, {44.9695, -93.2}};
  double xy[6];
  CHECK_INT_EQ(hv_projection_forward(p, pts, 3, xy, &err), HV_OK);
  CHECK_NEAR(xy[0], 0, 1e-6);
  CHECK_NEAR(xy[1], 0, 1e-6);
  CHECK(xy[2] < 0 && xy[3] > 0); /* north-west of the school */
  CHECK(xy[4] > 0);              /* east */
  CHECK_NEAR(hypot(xy[2], xy[3]), 1561.803, 0.05);
  hv_projection_free(p);
  CHECK(hv_projection_create((hv_latlon){95, 0}, &err) == NULL);
}

static void geodesic_matrix(void) {
  hv_latlon pts[3] = {{44.9695, -93.2470}, {44.9801, -93.2600}, {45.2, -93.5}};
  hv_travel *t = NULL;
  hv_error err;
  CHECK_INT_EQ(hv_travel_geodesic(pts, 3, pts[0], 36.0, 1.5, &t, &err), HV_OK);
  if (t == NULL) return;
  CHECK_INT_EQ(t->n, 3);
  CHECK_NEAR(t->meters[0 * 3 + 1], 1561.803 * 1.5, 0.002);
  CHECK_NEAR(t->meters[1 * 3 + 0], t->meters[0 * 3 + 1], 1e-9);
  CHECK_NEAR(t->meters[2 * 3 + 2], 0, 0);
  /* 36 km/h is 10 m/s. */
  CHECK_NEAR(t->seconds[0 * 3 + 2], 32449.183 * 1.5 / 10.0, 0.001);
  hv_travel_free(t);
  hv_latlon bad[1] = {{44, 200}};
  CHECK_INT_EQ(hv_travel_geodesic(bad, 1, pts[0], 30, 1.3, &t, &err),
               HV_E_RANGE);
  CHECK_INT_EQ(hv_travel_geodesic(pts, 3, pts[0], 0, 1.3, &t, &err),
               HV_E_RANGE);
}

/* Above HV_GEODESIC_EXACT_MAX points the matrix comes from the projection
 * with the line scale correction; it must agree with the geodesic. */
static void projected_matrix_agrees_with_geodesic(void) {
  size_t n = HV_GEODESIC_EXACT_MAX + 300;
  hv_latlon *pts = malloc(n * sizeof *pts);
  hv_latlon c = {44.9695, -93.2470};
  uint64_t s = 12345;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1;
    double u = (double)(s >> 11) * 0x1.0p-53;
    s = s * 6364136223846793005ull + 1;
    double v = (double)(s >> 11) * 0x1.0p-53;
    /* Up to about 60 km from the school in every direction. */
    pts[i] = (hv_latlon){c.lat + (u - 0.5) * 1.1, c.lon + (v - 0.5) * 1.5};
  }
  hv_travel *t = NULL;
  hv_error err;
  CHECK_INT_EQ(hv_travel_geodesic(pts, n, c, 30, 1.0, &t, &err), HV_OK);
  if (t) {
    double worst = 0;
    for (size_t i = 0; i < n; i += 37)
      for (size_t j = 0; j < n; j += 53) {
        if (i == j) continue;
        double g = hv_geodesic_m(pts[i], pts[j]);
        double r = fabs(t->meters[i * n + j] - g) / g;
        if (r > worst) worst = r;
      }
    fprintf(stderr, "   worst relative difference %.3g\n", worst);
    CHECK(worst < 1e-6);
  }
  hv_travel_free(t);
  free(pts);
}

int main(void) {
  RUN(geodesic_matches_geod_tool);
  RUN(projection_is_centred_and_metric);
  RUN(geodesic_matrix);
  RUN(projected_matrix_agrees_with_geodesic);
  return CHECK_DONE();
}
