/* tests/fuzz/fuzz_osrm.c -- OSRM table answers on arbitrary bytes; the first
 * byte gives the block's shape. */
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t ns = (size_t)(data[0] & 7) + 1, nd = (size_t)((data[0] >> 3) & 7) + 1;
  hv_travel t = {.n = 8};
  double secs[64], meters[64];
  t.seconds = secs;
  t.meters = meters;
  hv_error err;
  if (hv__osrm_parse((const char *)data + 1, size - 1, ns, nd, &t, &err) ==
      HV_OK)
    for (size_t i = 0; i < ns; i++)
      for (size_t j = 0; j < nd; j++)
        if (!(secs[i * 8 + j] >= 0)) abort();
  return 0;
}
