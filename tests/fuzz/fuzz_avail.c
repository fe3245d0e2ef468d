/* tests/fuzz/fuzz_avail.c -- the availability grammar on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/avail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  hv_avail a;
  hv_error e;
  if (hv_avail_parse(text, &a, &e) == HV_OK) {
    for (size_t i = 0; i < a.n; i++) {
      /* sorted, merged, within a day */
      if (a.w[i].start_min >= a.w[i].end_min || a.w[i].end_min > 1440 ||
          a.w[i].day < 0 || a.w[i].day > 6)
        abort();
      if (i > 0 && a.w[i - 1].day == a.w[i].day &&
          a.w[i - 1].end_min >= a.w[i].start_min)
        abort();
    }
    hv_avail_clear(&a);
  }
  free(text);
  return 0;
}
