/* hv/print.h -- what staff carry and what the coordinator pins up: route
 * sheets, visit packets, the roster PDF, the week's map, calendars, and the
 * what-if table and chart.  cairo + pango, libqrencode and libical stay
 * behind this header. */
#ifndef HV_PRINT_H
#define HV_PRINT_H

#include <stdbool.h>

#include "hv/error.h"
#include "hv/plan.h"
#include "hv/planning.h"
#include "hv/store.h"

typedef struct hv_write_options {
  bool printed; /* route sheets, packets, roster.pdf, week.svg, calendars */
  bool a4;      /* A4 paper instead of US Letter */
} hv_write_options;

/* Writes the data files (as hv_plan_write_data) and, with o->printed, the
 * printed outputs into dir: all files are first written into a staging
 * folder and moved in together with signals blocked, so dir never holds a
 * half-written or mixed set.  o may be NULL (data files only). */
hv_status hv_plan_write(const hv_plan *p, const char *dir,
                        const hv_write_options *o, hv_error *err);

/* Writes only the printed outputs (route sheets, packets, roster.pdf,
 * week.svg, calendars) into dir, replacing the previous ones together. */
hv_status hv_plan_write_printed(const hv_plan *p, const char *dir, bool a4,
                                hv_error *err);

/* Writes a what-if's whatif.csv (one row per variant), whatif_marginal.csv
 * (the households each variant reaches that its baseline does not), and,
 * with two or more sweep variants, whatif.svg and whatif.png (the coverage
 * curve with its knee) into dir, which must exist. */
hv_status hv_whatif_write(const hv_whatif *w, const char *dir, hv_error *err);

/* E-mailing each staff member their week (hvplan send): the route sheets
 * and packets of their routes, their call packets and their calendar from
 * the output folder, through the school's SMTP server.  Off loopback the
 * connection must be TLS (smtps://, or STARTTLS on smtp://). */
typedef struct hv_send_options {
  const char *smtp_url;        /* smtp://host:587 or smtps://host:465 */
  const char *from;            /* the sender's address */
  const char *user, *password; /* SMTP login, or NULL */
  bool dry_run;                /* only say what would go to whom */
  /* Called per staff member: id, address, the files, what happened. */
  void (*report)(const char *staff, const char *to, const char *files,
                 const char *status, void *ud);
  void *ud;
} hv_send_options;
typedef struct hv_send_summary {
  size_t sent, skipped, failed;
} hv_send_summary;
hv_status hv_plan_send(const hv_plan *p, const char *dir,
                       const hv_send_options *o, hv_send_summary *sum,
                       hv_error *err);

/* One family's contact-attempt record for a SARB referral: every visit,
 * outcome, call, letter and office note in date order, the totals, and a
 * review and sign-off section; a PDF at path (written whole or not at
 * all).  program names the program in the heading. */
hv_status hv_report_household(hv_store *st, const char *household,
                              const char *program, const char *path, bool a4,
                              hv_error *err);

/* The program's summary for the dates from..to (YYYY-MM-DD, included):
 * dir/summary.csv, barriers.svg and barriers.png (a bar chart), and
 * summary.pdf; dir is replaced as a whole. */
hv_status hv_report_program(hv_store *st, const char *from, const char *to,
                            const char *program, double threshold,
                            const char *dir, bool a4, hv_error *err);

/* Releases the process-wide caches of the printing libraries (pango's font
 * map, cairo's static data, fontconfig, libical's time zones) so that leak
 * checkers see a clean exit.  Call once, last thing before exiting. */
void hv_print_global_cleanup(void);

#endif /* HV_PRINT_H */
