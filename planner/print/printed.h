/* planner/print/printed.h -- route sheets, visit packets, roster PDF, week map,
 * calendars: written into an output (staging) folder. */
#ifndef HV_PRINTED_H
#define HV_PRINTED_H

#include <stdbool.h>

#include "plan_def.h"

/* routes/<date>_<pair>.pdf, packets/<date>_<pair>.pdf, roster.pdf,
 * week.svg in dir. */
hv_status hv__print_outputs(const hv_plan *p, const char *dir, bool a4,
                            hv_error *err);
/* calendars/<staff id>.ics (RFC 5545, libical) in dir. */
hv_status hv__write_calendars(const hv_plan *p, const char *dir, hv_error *err);

/* letters/<date>_<household>.pdf in dir: the heads-up to each family. */
hv_status hv__write_letters(const hv_plan *p, const char *dir, bool a4,
                            hv_error *err);

#endif /* HV_PRINTED_H */
