/* hv/visitlog.h -- what staff bring back: the visit log (visits.csv, the
 * form on the packet typed into a spreadsheet) and contact attempts by
 * phone, letter, text or email (calls.csv).  The readers check each row on
 * its own (columns, dates, outcome and barrier names, duplicates); what
 * needs the plan or the database (unknown household, a visit not in the
 * week's plan) is checked by hv_cycle_record(). */
#ifndef HV_VISITLOG_H
#define HV_VISITLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"
#include "hv/values.h"

typedef enum hv_outcome {
  HV_OUTCOME_MET = 0,
  HV_OUTCOME_NOT_HOME,
  HV_OUTCOME_DECLINED,
  HV_OUTCOME_MOVED,
  HV_OUTCOME_RESCHEDULED,
  HV_OUTCOME_OTHER
} hv_outcome;
#define HV_OUTCOME_COUNT 6

/* "met", "not_home", ... (the names in visits.csv and the database). */
const char *hv_outcome_name(hv_outcome o);

/* The barriers the packet's form lists, in its order. */
#define HV_BARRIER_COUNT 8
const char *hv_barrier_name(size_t i);

typedef struct hv_log_visit {
  uint32_t line;
  const char *household;
  hv_date date;
  hv_outcome outcome;
  const char *barriers; /* known names, ';'-separated, in the form's order */
  const char *referrals, *next_step, *notes, *staff;
  bool has_follow_up;
  hv_date follow_up;
} hv_log_visit;

typedef struct hv_log_contact {
  uint32_t line;
  const char *household;
  hv_date date;
  const char *kind; /* phone, letter, text, email */
  const char *result, *staff, *notes;
} hv_log_contact;

typedef struct hv_visit_log hv_visit_log; /* opaque */

/* Reads visits.csv (path; messages name it as `name`).  Problems go to
 * diags, all of them; returns HV_OK with *out set when the file could be
 * read, even with row errors (check hv_diags_errors). */
hv_status hv_visit_log_read(const char *path, const char *name,
                            hv_visit_log **out, hv_diags *diags);
hv_status hv_visit_log_parse(const char *data, size_t len, const char *name,
                             hv_visit_log **out, hv_diags *diags);
/* Reads calls.csv: household, date, kind, result, staff, notes. */
hv_status hv_contact_log_read(const char *path, const char *name,
                              hv_visit_log **out, hv_diags *diags);
hv_status hv_contact_log_parse(const char *data, size_t len, const char *name,
                               hv_visit_log **out, hv_diags *diags);
void hv_visit_log_free(hv_visit_log *log);

const char *hv_visit_log_name(const hv_visit_log *log);
size_t hv_visit_log_visits(const hv_visit_log *log);
const hv_log_visit *hv_visit_log_visit(const hv_visit_log *log, size_t i);
size_t hv_visit_log_contacts(const hv_visit_log *log);
const hv_log_contact *hv_visit_log_contact(const hv_visit_log *log, size_t i);

#endif /* HV_VISITLOG_H */
