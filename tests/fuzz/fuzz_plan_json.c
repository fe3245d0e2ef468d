/* tests/fuzz/fuzz_plan_json.c -- a plan.json read back (hvplan packets, plan
 * --keep), as a coordinator may have edited it, on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hv/plan.h"

static hv_scenario *scenario;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (scenario == NULL) {
    hv_diags *d = hv_diags_create();
    if (hv_scenario_load(HV_FIXTURE_DIR "/small", &scenario, d) != HV_OK)
      abort();
    hv_diags_free(d);
  }
  char path[] = "/tmp/hv_fuzz_plan_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 0;
  if (write(fd, data, size) != (ssize_t)size) {
    close(fd);
    unlink(path);
    return 0;
  }
  close(fd);
  hv_plan *p = NULL;
  hv_error err;
  if (hv_plan_load(scenario, path, &p, &err) == HV_OK) {
    for (size_t r = 0; r < hv_plan_route_count(p); r++)
      if (hv_plan_route_at(p, r)->day < 0 || hv_plan_route_at(p, r)->day > 6)
        abort();
    hv_plan_free(p);
  }
  unlink(path);
  return 0;
}
