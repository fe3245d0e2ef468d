/* hv/nextweek.h -- writing the scenario folder for the next week
 * (`hvplan next`): scenario.json with the new week and the program folder,
 * staff.csv (and pairs.csv) as they are now, and households.csv: the rows
 * of the current flagged list that are planned again, changed as the
 * history says, plus families the database brings back (follow-ups due).
 * Columns the coordinator added are kept. */
#ifndef HV_NEXTWEEK_H
#define HV_NEXTWEEK_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"
#include "hv/scenario.h"

typedef struct hv_next_row {
  const char *id;
  /* Not a row of the current households.csv: these fill it. */
  bool new_row;
  const char *guardian, *student, *address, *language, *phone, *notes;
  bool has_coords;
  double lat, lon;
  /* Changes (0 / NULL: as in households.csv). */
  int priority;
  const char *availability, *visit_type, *preferred_staff;
  /* What the packet shows (never the route sheet). */
  int attempts;
  const char *last_visit, *last_outcome, *next_step;
  /* Any other columns to set (added to the header when missing), and
   * whether to clear lat/lon (the address changed). */
  size_t nset;
  const char *const *set_names, *const *set_values;
  bool clear_coords;
} hv_next_row;

/* Writes households.csv at dst (atomically) from the one in src_dir (or,
 * when src_dir is NULL or has none, hvplan's own columns): the rows listed,
 * in order, changed as each says; rows of the source not listed are left
 * out. */
hv_status hv_households_write(const char *src_dir, const hv_next_row *rows,
                              size_t n, const char *dst, hv_error *err);

/* Writes the folder out_dir (replaced as a whole, atomically) from the
 * scenario src for the week of week_of; program_dir is where the program
 * database lives. */
hv_status hv_next_scenario_write(const hv_scenario *src, hv_date week_of,
                                 const char *program_dir,
                                 const hv_next_row *rows, size_t n,
                                 const char *out_dir, hv_error *err);

#endif /* HV_NEXTWEEK_H */
