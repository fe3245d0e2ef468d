/* tests/fuzz/fuzz_geocode.c -- geocoder answers (Nominatim and Census) on
 * arbitrary bytes. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  for (int provider = 0; provider < 2; provider++) {
    double lat = 0, lon = 0;
    hv_error err;
    int n = hv__geocode_parse((hv_geocoder_provider)provider,
                              (const char *)data, size, &lat, &lon, &err);
    if (n > 0 && !(fabs(lat) <= 90 && fabs(lon) <= 180)) abort();
  }
  return 0;
}
