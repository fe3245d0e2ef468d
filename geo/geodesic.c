/* geo/geodesic.c -- geodesic distances (PROJ's geodesic API), a local
 * transverse Mercator projection (PROJ), and geodesic travel matrices. */
#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/geo.h"

/* WGS84 */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define HV_PI 3.14159265358979323846

/* Gaussian mean radius of curvature squared, sqrt(M N)^2, at a latitude:
 * the radius that sets a transverse Mercator's scale error there. */
static double gauss_r2(double lat_deg) {
  double e2 = WGS84_F * (2 - WGS84_F);
  double s = sin(lat_deg * HV_PI / 180.0);
  double w = 1 - e2 * s * s;
  double M = WGS84_A * (1 - e2) / (w * sqrt(w)), N = WGS84_A / sqrt(w);
  return M * N;
}

double hv_geodesic_m(hv_latlon a, hv_latlon b) {
  struct geod_geodesic g;
  geod_init(&g, WGS84_A, WGS84_F);
  double s12 = 0;
  geod_inverse(&g, a.lat, a.lon, b.lat, b.lon, &s12, NULL, NULL);
  return s12;
}

struct hv_projection {
  PJ_CONTEXT *ctx;
  PJ *pj;
  hv_latlon centre;
};

hv_projection *hv_projection_create(hv_latlon centre, hv_error *err) {
  hv_where at = {.source = "projection"};
  if (!(centre.lat >= -89.0 && centre.lat <= 89.0 && centre.lon >= -180.0 &&
        centre.lon <= 180.0)) {
    hv_error_set(err, HV_E_RANGE, at, "centre %.6f, %.6f is out of range",
                 centre.lat, centre.lon);
    return NULL;
  }
  hv_projection *p = calloc(1, sizeof *p);
  if (p == NULL) {
    hv_error_set(err, HV_E_NOMEM, at, "out of memory");
    return NULL;
  }
  p->centre = centre;
  /* A context of our own: no global state, and PROJ's log stays quiet. */
  p->ctx = proj_context_create();
  if (p->ctx) proj_log_level(p->ctx, PJ_LOG_NONE);
  char def[256];
  snprintf(def, sizeof def,
           "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
           "+step +proj=tmerc +lat_0=%.10f +lon_0=%.10f +k=1 +x_0=0 +y_0=0 "
           "+ellps=WGS84",
           centre.lat, centre.lon);
  p->pj = p->ctx ? proj_create(p->ctx, def) : NULL;
  if (p->pj == NULL) {
    hv_error_set(err, HV_E_GEOCODE, at, "PROJ could not create the projection");
    hv_projection_free(p);
    return NULL;
  }
  return p;
}

void hv_projection_free(hv_projection *p) {
  if (p == NULL) return;
  if (p->pj) proj_destroy(p->pj);
  if (p->ctx) proj_context_destroy(p->ctx);
  free(p);
}

hv_status hv_projection_forward(const hv_projection *p, const hv_latlon *pts,
                                size_t n, double *xy, hv_error *err) {
  for (size_t i = 0; i < n; i++) {
    PJ_COORD c = proj_coord(pts[i].lon, pts[i].lat, 0, 0);
    PJ_COORD r = proj_trans(p->pj, PJ_FWD, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y))
      return hv_error_set(err, HV_E_RANGE, (hv_where){.source = "projection"},
                          "point %zu (%.6f, %.6f) cannot be projected", i,
                          pts[i].lat, pts[i].lon);
    xy[2 * i] = r.xy.x;
    xy[2 * i + 1] = r.xy.y;
  }
  return HV_OK;
}

void hv_travel_free(hv_travel *t) {
  if (t == NULL) return;
  free(t->seconds);
  free(t->meters);
  free(t);
}

hv_status hv_travel_geodesic(const hv_latlon *pts, size_t n, hv_latlon centre,
                             double speed_kmh, double detour, hv_travel **out,
                             hv_error *err) {
  hv_where at = {.source = "travel"};
  *out = NULL;
  if (!(speed_kmh > 0) || !(detour >= 1.0))
    return hv_error_set(err, HV_E_RANGE, at,
                        "speed must be positive and detour at least 1");
  for (size_t i = 0; i < n; i++)
    if (!(fabs(pts[i].lat) <= 90.0 && fabs(pts[i].lon) <= 180.0))
      return hv_error_set(err, HV_E_RANGE, at,
                          "point %zu (%.6f, %.6f) is out of range", i,
                          pts[i].lat, pts[i].lon);
  hv_travel *t = calloc(1, sizeof *t);
  if (t == NULL || n > 20000) goto oom;
  t->n = n;
  t->seconds = malloc((n * n + 1) * sizeof *t->seconds);
  t->meters = malloc((n * n + 1) * sizeof *t->meters);
  if (!t->seconds || !t->meters) goto oom;
  double mps = speed_kmh / 3.6;
  if (n <= HV_GEODESIC_EXACT_MAX) {
    struct geod_geodesic g;
    geod_init(&g, WGS84_A, WGS84_F);
    for (size_t i = 0; i < n; i++) {
      t->meters[i * n + i] = 0;
      for (size_t j = i + 1; j < n; j++) {
        double s12 = 0;
        geod_inverse(&g, pts[i].lat, pts[i].lon, pts[j].lat, pts[j].lon, &s12,
                     NULL, NULL);
        t->meters[i * n + j] = t->meters[j * n + i] = s12 * detour;
      }
    }
  } else {
    hv_projection *pr = hv_projection_create(centre, err);
    double *xy = malloc(2 * n * sizeof *xy);
    hv_status st =
        pr && xy ? hv_projection_forward(pr, pts, n, xy, err) : HV_E_NOMEM;
    hv_projection_free(pr);
    if (st != HV_OK) {
      free(xy);
      hv_travel_free(t);
      return st == HV_E_NOMEM ? hv_error_set(err, st, at, "out of memory") : st;
    }
    /* A transverse Mercator scales lengths by k(x) ~ 1 + x^2 / (2 R^2) at
     * distance x from the central meridian; along a line from x1 to x2 the
     * mean is 1 + (x1^2 + x1 x2 + x2^2) / (6 R^2). */
    double six_r2 = 6.0 * gauss_r2(centre.lat);
    /* Whole rows, in order: both triangles are computed rather than
     * mirrored, because strided writes cost more than the arithmetic. */
    double inv6r2 = 1.0 / six_r2, per_s = 1.0 / mps;
    for (size_t i = 0; i < n; i++) {
      double x1 = xy[2 * i], y1 = xy[2 * i + 1];
      double *row = t->meters + i * n, *srow = t->seconds + i * n;
      for (size_t j = 0; j < n; j++) {
        double x2 = xy[2 * j], y2 = xy[2 * j + 1];
        double dx = x2 - x1, dy = y2 - y1; /* metres: no overflow to fear */
        double k = 1.0 + (x1 * x1 + x1 * x2 + x2 * x2) * inv6r2;
        /* 1/k ~ 2 - k to 1e-10 here (k - 1 < 1e-4 within 60 km) */
        double d = sqrt(dx * dx + dy * dy) * (2.0 - k) * detour;
        row[j] = d;
        srow[j] = d * per_s;
      }
      row[i] = srow[i] = 0.0;
    }
    free(xy);
    *out = t;
    return HV_OK;
  }
  for (size_t k = 0; k < n * n; k++)
    t->seconds[k] = t->meters[k] / mps;
  *out = t;
  return HV_OK;
oom:
  hv_travel_free(t);
  return hv_error_set(err, HV_E_NOMEM, at, "out of memory or too many points");
}
