/* tests/fuzz/fuzz_csv.c -- households.csv, staff.csv and pairs.csv readers
 * (the first byte picks which) on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "scenario_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int which = data[0] % 3;
  hv_scenario *s = hv__scenario_new();
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = NULL;
  if (which == 2) {
    /* pairs refer to staff: give it some */
    static const char staff[] =
        "id,name,availability\nS1,A,mon 08:00-16:00\n"
        "S2,B,mon 08:00-16:00\nS3,C,tue 09:00-12:00\n";
    if (hv__csv_parse(staff, sizeof staff - 1, "staff.csv", &t, d) == HV_OK)
      hv__read_staff(t, s, d);
    hv__csv_free(t);
    t = NULL;
  }
  if (hv__csv_parse((const char *)data + 1, size - 1, "in.csv", &t, d) ==
      HV_OK) {
    if (which == 0) hv__read_households(t, s, d);
    if (which == 1) hv__read_staff(t, s, d);
    if (which == 2) hv__read_pairs(t, s, d);
    if (which == 0) hv_scenario_check(s, d);
  }
  hv__csv_free(t);
  hv_diags_free(d);
  hv_scenario_free(s);
  return 0;
}
