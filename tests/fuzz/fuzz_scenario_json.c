/* tests/fuzz/fuzz_scenario_json.c -- scenario.json on arbitrary bytes. */
#include <stdint.h>

#include "scenario_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hv_scenario *s = hv__scenario_new();
  hv_diags *d = hv_diags_create();
  if (hv__utf8_valid((const char *)data, size, NULL))
    hv__scenario_parse_json((const char *)data, size, s, d);
  hv_diags_free(d);
  hv_scenario_free(s);
  return 0;
}
