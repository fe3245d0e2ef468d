/* hv/geo.h -- coordinates to travel times: geodesic distances on the WGS84
 * ellipsoid (PROJ), a local metric projection for maps, and travel-time
 * matrices (geodesic x detour / speed, or an OSRM server's table).  Knows
 * nothing of households or optimisation. */
#ifndef HV_GEO_H
#define HV_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"

typedef struct hv_latlon {
  double lat, lon; /* degrees, WGS84 */
} hv_latlon;

/* Geodesic distance in metres on the WGS84 ellipsoid (PROJ's geod_inverse,
 * Karney's algorithm). */
double hv_geodesic_m(hv_latlon a, hv_latlon b);

/* A transverse Mercator projection centred on a point (the school): metres
 * east and north of it, for drawing maps and for fast distances. */
typedef struct hv_projection hv_projection;
hv_projection *hv_projection_create(hv_latlon centre, hv_error *err);
void hv_projection_free(hv_projection *p);
/* Projects n points into xy[2*i], xy[2*i+1] (x east, y north, metres). */
hv_status hv_projection_forward(const hv_projection *p, const hv_latlon *pts,
                                size_t n, double *xy, hv_error *err);

/* A travel matrix between n points: seconds[i*n+j] and metres[i*n+j];
 * HV_TRAVEL_UNROUTABLE where a road service found no route. */
#define HV_TRAVEL_UNROUTABLE 1e15
typedef struct hv_travel {
  size_t n;
  double *seconds;
  double *meters;
  size_t unroutable; /* pairs without a route */
} hv_travel;

void hv_travel_free(hv_travel *t);

/* Geodesic matrix: metres = geodesic x detour, seconds = metres / speed.
 * Exact PROJ geodesics for up to HV_GEODESIC_EXACT_MAX points; beyond
 * that, distances in the projection centred on `centre` with the
 * transverse Mercator line scale correction (agrees with the geodesic to
 * better than 1e-6 relative within 100 km of the centre; tested), so that
 * 3,000 points take a fraction of a second. */
#define HV_GEODESIC_EXACT_MAX 1200
hv_status hv_travel_geodesic(const hv_latlon *pts, size_t n, hv_latlon centre,
                             double speed_kmh, double detour, hv_travel **out,
                             hv_error *err);

#endif /* HV_GEO_H */
