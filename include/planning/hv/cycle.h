/* hv/cycle.h -- the weekly cycle on the program database: plan a week and
 * store it, record what happened (visit outcomes, calls and letters), and
 * write the next week's scenario from the history and the current flagged
 * list.  The rules are in docs/cycle.md; the database in docs/database.md.
 *
 * Every function that writes does so in one transaction of its own: on any
 * error nothing is written. */
#ifndef HV_CYCLE_H
#define HV_CYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"
#include "hv/plan.h"
#include "hv/scenario.h"
#include "hv/store.h"
#include "hv/visitlog.h"

/* The program database of scenario s (in hv_scenario_program_dir): path
 * into buf; false when it does not fit. */
bool hv_cycle_db_path(const hv_scenario *s, char *buf, size_t size);
/* Whether that database exists. */
bool hv_cycle_has_program(const hv_scenario *s);
/* Opens it (creating it with create). */
hv_status hv_cycle_open(const hv_scenario *s, bool create, hv_store **out,
                        hv_error *err);

/* Stores s's households and staff (adds new ones, updates details). */
hv_status hv_cycle_import(hv_store *st, const hv_scenario *s, hv_error *err);

/* Stores p as the planned visits of its week: the week's earlier planned
 * visits that have no outcome yet are replaced; those with one stay.  The
 * scenario's households and staff are imported first. */
typedef struct hv_cycle_stored {
  size_t visits; /* planned visits stored */
  size_t kept;   /* visits of the week that already had an outcome */
} hv_cycle_stored;
hv_status hv_cycle_store_plan(hv_store *st, const hv_plan *p,
                              const char *plan_path, hv_cycle_stored *out,
                              hv_error *err);

/* Records a visit log against the week's plan, and contact attempts.
 * Either may be NULL (week may be NULL without visits).  Every row is
 * checked (unknown household, no visit in that week's plan, a date outside
 * the week) and every problem goes to diags; with any error nothing is
 * written and HV_E_INPUT is returned. */
typedef struct hv_record_summary {
  size_t recorded, unchanged, corrected; /* visit outcomes */
  size_t calls_recorded, calls_unchanged, calls_corrected;
  size_t declined, moved; /* statuses changed */
} hv_record_summary;
hv_status hv_cycle_record(hv_store *st, const hv_plan *week,
                          const hv_visit_log *visits,
                          const hv_visit_log *contacts, hv_record_summary *sum,
                          hv_diags *diags, hv_error *err);

/* As hv_cycle_store_plan, with who in the audit trail. */
hv_status hv_cycle_store_plan_as(hv_store *st, const hv_plan *p,
                                 const char *plan_path, const char *who,
                                 hv_cycle_stored *out, hv_error *err);

/* As hv_cycle_record, with who in the audit trail (a login, or "command
 * line"). */
hv_status hv_cycle_record_as(hv_store *st, const hv_plan *week,
                             const hv_visit_log *visits,
                             const hv_visit_log *contacts, const char *who,
                             hv_record_summary *sum, hv_diags *diags,
                             hv_error *err);

/* ---- next week ------------------------------------------------------ */

typedef struct hv_next_options {
  hv_date week_of;
  int max_attempts;  /* not-home visits before the office takes over (3) */
  int priority_step; /* priority added per not-home visit (15) */
} hv_next_options;
void hv_next_options_init(hv_next_options *o);

typedef enum hv_next_kind {
  HV_NEXT_NEW = 0,   /* flagged, no visit yet */
  HV_NEXT_RETRY,     /* nobody home last time: again, elsewhen */
  HV_NEXT_FOLLOW_UP, /* the agreed follow-up falls in the week */
  HV_NEXT_AGAIN,     /* rescheduled or other: planned again */
  HV_NEXT_OFFICE,    /* too many attempts: letter, phone, SARB note */
  HV_NEXT_MET,       /* met, no follow-up due: not visited */
  HV_NEXT_DECLINED,  /* never planned again automatically */
  HV_NEXT_MOVED      /* removed; the office updates the address */
} hv_next_kind;

typedef struct hv_next_change {
  char household[64];
  hv_next_kind kind;
  bool planned; /* in the next week's households.csv */
  char text[400];
} hv_next_change;

/* Writes the next week's scenario folder out_dir from s (the current
 * flagged list, staff and settings) and the database, lists the office's
 * tasks in the database, and returns one change per household considered
 * (an array to free()). */
hv_status hv_cycle_next(hv_store *st, const hv_scenario *s,
                        const hv_next_options *o, const char *out_dir,
                        hv_next_change **changes, size_t *nchanges,
                        hv_error *err);
const char *hv_next_kind_name(hv_next_kind k);

#endif /* HV_CYCLE_H */
