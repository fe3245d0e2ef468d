/* hv/store.h -- the program database: one SQLite file per home-visit
 * program (DIR/program.sqlite) holding what happened, week after week:
 * households and their students, staff, weeks, planned visits, visit
 * outcomes (with every correction kept), contact attempts (calls, letters,
 * texts) and the office's list.  The CSV scenario stays the format for
 * what should happen; this is the record of what did.
 *
 * It knows nothing of scenarios, plans or HTTP: values come in and go out
 * as plain strings (dates "YYYY-MM-DD", times "HH:MM").  Foreign keys are
 * on, the journal is WAL with full sync, and every write a command makes
 * goes between hv_store_begin() and hv_store_commit(): a command killed at
 * any point leaves the database as it was before or as it is after.
 *
 * The schema has a version (PRAGMA user_version) and forward migrations:
 * opening an older database upgrades it in one transaction; a newer one is
 * refused.  docs/database.md describes every table. */
#ifndef HV_STORE_H
#define HV_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"

#define HV_STORE_FILE "program.sqlite"
#define HV_STORE_SCHEMA 5 /* the version this build writes */

typedef struct hv_store hv_store; /* opaque */

/* Opens the database at path; with create, makes it when missing.
 * Upgrades an older schema; refuses a newer one (HV_E_STORE). */
hv_status hv_store_open(const char *path, bool create, hv_store **out,
                        hv_error *err);
/* For tests of the migrations: creates or upgrades only up to `version`. */
hv_status hv_store_open_version(const char *path, int version, hv_store **out,
                                hv_error *err);
void hv_store_close(hv_store *st);
int hv_store_version(const hv_store *st);
const char *hv_store_path(const hv_store *st);

/* One transaction per command (BEGIN IMMEDIATE: one writer at a time; a
 * busy database is waited for up to 10 s). */
hv_status hv_store_begin(hv_store *st, hv_error *err);
hv_status hv_store_commit(hv_store *st, hv_error *err);
void hv_store_rollback(hv_store *st);

/* ---- households and staff ------------------------------------------ */

typedef enum hv_store_status {
  HV_HH_ACTIVE = 0, /* planned when flagged */
  HV_HH_DECLINED,   /* the family said no: never planned automatically */
  HV_HH_MOVED       /* moved away: the office updates the address */
} hv_store_status;

typedef struct hv_store_household {
  const char *id, *guardian, *address, *language, *phone, *availability, *notes,
      *visit_type, *preferred_staff;
  const char *students; /* names, ';'-separated */
  bool has_coords;
  double lat, lon;
  int priority; /* as flagged (before the attempt rule) */
} hv_store_household;

/* Adds a household or updates its details; its status, first-seen date
 * and history stay.  `today` is the date of the change. */
hv_status hv_store_put_household(hv_store *st, const hv_store_household *h,
                                 const char *today, hv_error *err);
hv_status hv_store_set_status(hv_store *st, const char *household,
                              hv_store_status status, hv_error *err);
/* Sets the status from the latest outcome (declined, moved, else active);
 * the new status through *now (may be NULL). */
hv_status hv_store_refresh_status(hv_store *st, const char *household,
                                  hv_store_status *now, hv_error *err);
/* *found false when the household is not in the database. */
hv_status hv_store_get_status(hv_store *st, const char *household,
                              hv_store_status *status, bool *found,
                              hv_error *err);
const char *hv_store_status_name(hv_store_status s);

/* A household's details as last stored (strings valid until the next call
 * on st): *found false when unknown. */
typedef struct hv_store_details {
  char guardian[256], address[512], language[16], phone[64], availability[512],
      notes[512], students[512];
  bool has_coords;
  double lat, lon;
  int priority;
} hv_store_details;
hv_status hv_store_get_household(hv_store *st, const char *household,
                                 hv_store_details *out, bool *found,
                                 hv_error *err);

typedef struct hv_store_staff {
  const char *id, *name, *languages, *phone, *availability;
  int max_visits_per_day;
} hv_store_staff;

hv_status hv_store_put_staff(hv_store *st, const hv_store_staff *s,
                             hv_error *err);

/* ---- weeks and planned visits -------------------------------------- */

typedef struct hv_store_visit {
  const char *week_of, *household, *date, *pair, *staff_a, *staff_b, *start,
      *end, *visit_type, *mode;
  int attempt; /* 1 for a first visit, 2 for the first retry, ... */
} hv_store_visit;

/* Starts (or restarts) storing week_of's plan: the planned visits of that
 * week that have no outcome yet are removed; those with one stay.
 * *kept_out (may be NULL) is their number. */
hv_status hv_store_replan_week(hv_store *st, const char *week_of,
                               const char *plan_path, const char *now,
                               size_t *kept_out, hv_error *err);
/* Adds a planned visit; a household that already has a visit with an
 * outcome that week is left as it is (*added false). */
hv_status hv_store_add_visit(hv_store *st, const hv_store_visit *v, bool *added,
                             hv_error *err);

/* The planned visit of household in week_of: *found false when there is
 * none.  id, date and the pair's staff are filled. */
typedef struct hv_store_planned {
  long long id;
  char date[11], pair[32], staff_a[64], staff_b[64], start[6];
  int attempt;
} hv_store_planned;
hv_status hv_store_find_visit(hv_store *st, const char *week_of,
                              const char *household, hv_store_planned *out,
                              bool *found, hv_error *err);
/* The plan.json of week_of as stored by `hvplan plan` (week_of "" or NULL:
 * the latest week); its Monday into week (11 bytes). */
hv_status hv_store_week_plan(hv_store *st, const char *week_of, char *week,
                             char *plan_path, size_t size, bool *found,
                             hv_error *err);
/* Whether week_of has been planned (stored by `hvplan plan`). */
hv_status hv_store_has_week(hv_store *st, const char *week_of, bool *found,
                            hv_error *err);

/* ---- outcomes and contact attempts --------------------------------- */

typedef enum hv_store_change {
  HV_STORE_SAME = 0,  /* recorded before exactly so: nothing changed */
  HV_STORE_NEW,       /* recorded now */
  HV_STORE_CORRECTED, /* replaced an earlier record (which is kept) */
} hv_store_change;

typedef struct hv_store_outcome {
  long long visit_id;
  const char *household, *date, *outcome, *barriers, *referrals, *next_step,
      *follow_up_date, *notes, *staff, *source;
} hv_store_outcome;

/* Records what happened at a planned visit, keyed by household and date:
 * the same row again changes nothing; a different one replaces it and
 * the earlier version goes to outcome_revision. */
hv_status hv_store_put_outcome(hv_store *st, const hv_store_outcome *o,
                               const char *now, hv_store_change *change,
                               hv_error *err);

typedef struct hv_store_contact {
  const char *household, *date, *kind, *result, *staff, *notes, *source;
} hv_store_contact;

/* Records a call, letter, text or email, keyed by household, date, kind
 * and staff, with the same rules as outcomes. */
hv_status hv_store_put_contact(hv_store *st, const hv_store_contact *c,
                               const char *now, hv_store_change *change,
                               hv_error *err);

/* ---- attendance ---------------------------------------------------- */

typedef struct hv_store_attendance {
  const char *student, *household, *name, *grade, *as_of, *source;
  double enrolled, absent;
} hv_store_attendance;

/* Stores one student's attendance as of a date (a later import for the
 * same date replaces it). */
hv_status hv_store_put_attendance(hv_store *st, const hv_store_attendance *a,
                                  const char *now, hv_error *err);

/* Calls fn for every contact attempt (household, result), e.g. to count
 * the unanswered ones. */
hv_status hv_store_contacts(hv_store *st,
                            void (*fn)(const char *household,
                                       const char *result, void *ud),
                            void *ud, hv_error *err);

/* ---- the office's list --------------------------------------------- */

/* A family listed for the office instead of another drive (too many
 * attempts, moved): one open task per household and reason (listing it
 * again while that task is open changes nothing). */
hv_status hv_store_add_office_task(hv_store *st, const char *household,
                                   const char *week_of, const char *reason,
                                   const char *text, const char *now,
                                   hv_error *err);

/* ---- what the next week needs -------------------------------------- */

/* One household's standing, from its whole history. */
typedef struct hv_store_standing {
  char id[64];
  hv_store_status status;
  int not_home;       /* not-home visits since the last meeting */
  int visits;         /* visits with an outcome, all told */
  char last_date[11]; /* the last visit with an outcome ("" if none) */
  char last_start[6];
  char last_outcome[16];
  char last_pair[32], last_staff_a[64], last_staff_b[64];
  char next_step[256];
  char follow_up[11];  /* agreed follow-up date ("" if none) */
  bool follow_up_done; /* a visit was made on or after it */
} hv_store_standing;

/* The standing of every household in the database, in id order (an array
 * to free with free()). */
hv_status hv_store_standings(hv_store *st, hv_store_standing **out, size_t *n,
                             hv_error *err);

/* ---- the program in a date range ------------------------------------ */

typedef struct hv_store_tally {
  char name[32];
  long n;
} hv_store_tally;

#define HV_STORE_TALLIES 16
typedef struct hv_store_summary {
  long planned;              /* visits planned in the range */
  long attempted;            /* visits with an outcome */
  long households_attempted; /* families with at least one */
  long households_met;       /* families met at least once */
  long referrals;            /* visits where referrals were made */
  long follow_ups_agreed;    /* follow-up dates set at visits in the range */
  long follow_ups_kept; /* ...with a meeting within 7 days from that date */
  size_t noutcomes, nbarriers, ncontacts;
  hv_store_tally outcomes[HV_STORE_TALLIES]; /* by outcome, most first */
  hv_store_tally barriers[HV_STORE_TALLIES]; /* by barrier named, most first */
  hv_store_tally contacts[HV_STORE_TALLIES]; /* calls, letters... by kind */
} hv_store_summary;

/* Counts for the dates from..to (YYYY-MM-DD, both included). */
hv_status hv_store_summarise(hv_store *st, const char *from, const char *to,
                             hv_store_summary *out, hv_error *err);

/* ---- attendance before and after the visits ----------------------- */

/* One group of students: days absent and enrolled before the family's
 * first visit (term to date at the last import on or before it) and after
 * it (between that import and the last import after the visit, up to the
 * report's end). */
typedef struct hv_store_att_group {
  long students; /* with an import before and one after the visit */
  double before_absent, before_enrolled, after_absent, after_enrolled;
  long improved;       /* students whose rate fell */
  long chronic_before; /* rate >= the threshold */
  long chronic_after;
} hv_store_att_group;

typedef struct hv_store_att_change {
  long imports;               /* attendance rows in the database */
  long families;              /* families whose first visit is in the range */
  hv_store_att_group met;     /* families met at a visit up to the end */
  hv_store_att_group not_met; /* visited, never met: for comparison */
} hv_store_att_change;

/* Absence before and after the first visit for the families whose first
 * recorded visit falls in from..to (YYYY-MM-DD, both included). */
hv_status hv_store_attendance_change(hv_store *st, const char *from,
                                     const char *to, double threshold,
                                     hv_store_att_change *out, hv_error *err);

/* ---- accounts and the audit trail ---------------------------------- */

typedef struct hv_store_user {
  char login[64], role[16], staff[64];
  char hash[256];        /* "$argon2id$..." */
  int failed_logins;     /* in a row */
  char locked_until[32]; /* "" or an ISO time (UTC) */
} hv_store_user;

/* Adds a user, or replaces the role, staff and hash of an existing one
 * (*replaced says which). */
hv_status hv_store_put_user(hv_store *st, const hv_store_user *u,
                            const char *now, bool *replaced, hv_error *err);
hv_status hv_store_get_user(hv_store *st, const char *login, hv_store_user *out,
                            bool *found, hv_error *err);
/* Removes a user and their sessions; *found says whether there was one. */
hv_status hv_store_delete_user(hv_store *st, const char *login, bool *found,
                               hv_error *err);
/* Calls fn for every user, by login (the hash included: fn must not
 * print it). */
hv_status hv_store_users_each(hv_store *st,
                              void (*fn)(const hv_store_user *u, void *ud),
                              void *ud, hv_error *err);
/* Sets the failed-login count and the lock of a user. */
hv_status hv_store_set_login_state(hv_store *st, const char *login, int failed,
                                   const char *locked_until, hv_error *err);

/* A signed-in session of the web application: the digest of its token
 * (never the token), its login, the account's stamp at sign-in, its CSRF
 * token and the time of its last request (seconds since the epoch). */
typedef struct hv_store_session {
  char digest[65], login[64], stamp[33], csrf[65];
  long long last_seen;
} hv_store_session;

/* Stores a new session, first removing those last seen before `before`. */
hv_status hv_store_put_session(hv_store *st, const hv_store_session *s,
                               long long before, hv_error *err);
hv_status hv_store_get_session(hv_store *st, const char *digest,
                               hv_store_session *out, bool *found,
                               hv_error *err);
hv_status hv_store_touch_session(hv_store *st, const char *digest,
                                 long long last_seen, hv_error *err);
hv_status hv_store_delete_session(hv_store *st, const char *digest,
                                  hv_error *err);

/* Whether staff member id is in the database. */
hv_status hv_store_staff_known(hv_store *st, const char *id, bool *known,
                               hv_error *err);

/* Appends to the audit trail. */
hv_status hv_store_audit(hv_store *st, const char *now, const char *login,
                         const char *action, const char *detail, hv_error *err);
typedef struct hv_store_audit_row {
  long long id;
  const char *at, *login, *action, *detail;
} hv_store_audit_row;
/* Calls fn for every audit row, oldest first. */
hv_status hv_store_audit_each(hv_store *st,
                              void (*fn)(const hv_store_audit_row *r, void *ud),
                              void *ud, hv_error *err);

/* ---- history ------------------------------------------------------- */

typedef struct hv_store_event {
  const char *date, *kind; /* kind: planned, visit, phone, letter, text,
                              email, office */
  const char *result;      /* outcome or result */
  const char *staff, *pair, *time, *barriers, *referrals, *next_step,
      *follow_up_date, *notes;
  int attempt;   /* visits: the attempt number */
  int revisions; /* times this record was corrected */
} hv_store_event;

/* Calls fn for every event of household in date order (then time, then
 * kind).  *found false when the household is not in the database. */
hv_status hv_store_history(hv_store *st, const char *household,
                           void (*fn)(const hv_store_event *e, void *ud),
                           void *ud, bool *found, hv_error *err);

#endif /* HV_STORE_H */
