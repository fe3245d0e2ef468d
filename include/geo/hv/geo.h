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

/* ---- web services ---------------------------------------------------- */

/* How hvplan talks to the geocoder and routing services. */
typedef struct hv_http_options {
  const char *user_agent; /* identifies the district to the service */
  double timeout_s;       /* per request (default 30) */
  int retries;            /* after the first try (default 4) */
  double backoff_s;       /* first pause, doubled each retry (default 1) */
  double max_wait_s;      /* longest pause, Retry-After included (60) */
  double min_interval_s;  /* between requests (default 0) */
} hv_http_options;

void hv_http_options_init(hv_http_options *o);

/* Process-wide set-up of the HTTP library; call once from main(). */
hv_status hv_geo_global_init(void);
void hv_geo_global_cleanup(void);

/* Travel matrix from an OSRM server's /table/v1/{profile}/ service, asked
 * in blocks of at most `block` sources x `block` destinations (the
 * server's max-table-size, 100 by default).  Pairs OSRM cannot route
 * (null) are HV_TRAVEL_UNROUTABLE and counted in unroutable.  Errors name
 * the server and the failing block. */
hv_status hv_travel_osrm(const char *base_url, const char *profile,
                         const hv_latlon *pts, size_t n, size_t block,
                         const hv_http_options *http, hv_travel **out,
                         hv_error *err);

/* ---- geocoding ------------------------------------------------------- */

typedef enum hv_geocoder_provider {
  HV_GEOCODE_NOMINATIM = 0, /* /search?format=jsonv2 */
  HV_GEOCODE_CENSUS         /* US Census Bureau onelineaddress */
} hv_geocoder_provider;

typedef enum hv_geocode_status {
  HV_GEOCODE_FOUND = 0,
  HV_GEOCODE_NOT_FOUND, /* the service knows no such address */
  HV_GEOCODE_AMBIGUOUS, /* several matches far apart */
  HV_GEOCODE_TOO_FAR    /* found, but implausibly far from the centre */
} hv_geocode_status;

typedef struct hv_geocode_result {
  hv_geocode_status status;
  hv_latlon at;
  double distance_km; /* from the centre, when found */
  int matches;
  char display[256]; /* what the service matched */
  int from_cache;
} hv_geocode_result;

typedef struct hv_geocoder hv_geocoder;

/* A geocoder for one provider.  Results (found or not found) are kept in
 * a JSON cache at cache_path (NULL: none), keyed by the normalised
 * address and rewritten atomically after each new result, so a second run
 * sends nothing and an interrupted run loses nothing.  Only the address
 * is ever sent.  centre/max_km flag implausible results; has_centre false
 * disables that. */
hv_geocoder *hv_geocoder_create(hv_geocoder_provider provider,
                                const char *base_url, const char *email,
                                const hv_http_options *http,
                                const char *cache_path, bool has_centre,
                                hv_latlon centre, double max_km, hv_error *err);
void hv_geocoder_free(hv_geocoder *g);

/* Looks up one address.  HV_OK with res->status saying what was found;
 * errors only when the service cannot be reached or answers garbage. */
hv_status hv_geocode(hv_geocoder *g, const char *address,
                     hv_geocode_result *res, hv_error *err);

/* HTTP requests this geocoder has sent. */
size_t hv_geocoder_requests(const hv_geocoder *g);

/* "found", "not found", "ambiguous", "implausibly far from the school". */
const char *hv_geocode_status_text(hv_geocode_status s);

/* The cache key of an address: lower case, blanks folded, stray
 * punctuation trimmed.  Writes into buf. */
void hv_geocode_normalise(const char *address, char *buf, size_t size);

#endif /* HV_GEO_H */
