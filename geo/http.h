/* geo/http.h -- GET requests over libcurl for the geocoder and OSRM: time
 * limits, retries with back-off on 429/5xx and network failures (honouring
 * Retry-After), a cap on the body size, and a minimum interval between
 * requests (Nominatim's usage policy). */
#ifndef HV_GEO_HTTP_H
#define HV_GEO_HTTP_H

#include <stddef.h>

#include "hv/error.h"
#include "hv/geo.h"

typedef struct hv_http hv_http;

hv_http *hv__http_create(const hv_http_options *o, hv_error *err);
void hv__http_free(hv_http *h);

/* Fetches url.  On HTTP 200 returns HV_OK and a NUL-terminated body the
 * caller frees.  Gives up after the retries with HV_E_NETWORK and a message
 * naming what failed (the URL's host and path, never its query). */
hv_status hv__http_get(hv_http *h, const char *url, char **body, size_t *len,
                       hv_error *err);

/* Percent-encodes s for a query string; caller frees. */
char *hv__http_escape(hv_http *h, const char *s);

/* Requests sent so far (retries count). */
size_t hv__http_requests(const hv_http *h);

/* The parsers of the services' answers, from text (also fuzz targets).
 * hv__geocode_parse returns the number of matches (the first into lat,
 * lon) or -1.  hv__osrm_parse fills an ns x nd block of an n x n matrix. */
int hv__geocode_parse(hv_geocoder_provider provider, const char *text,
                      size_t len, double *lat, double *lon, hv_error *err);
hv_status hv__osrm_parse(const char *text, size_t len, size_t ns, size_t nd,
                         hv_travel *t, hv_error *err);

#endif /* HV_GEO_HTTP_H */
