/* web/web_int.h -- what the server's files share: the request as the
 * handlers see it, the reply, sessions and the program data they read. */
#ifndef HV_WEB_INT_H
#define HV_WEB_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "hv/plan.h"
#include "hv/store.h"
#include "hv/users.h"
#include "hv/web.h"

#define HV_WEB_MAX_BODY (64 * 1024)
#define HV_WEB_MAX_UPLOAD (16 * 1024 * 1024)

/* The signed-in user of a request (hv_sessions_find). */
typedef struct hv_session {
  char csrf[65];
  hv_user user;
} hv_session;

/* Planning the week from the dashboard (jobs.c): one job at a time. */
enum { HV_JOB_IDLE = 0, HV_JOB_RUNNING, HV_JOB_DONE, HV_JOB_FAILED };
typedef struct hv_plan_job {
  pthread_mutex_t lock;
  pthread_t thread;
  bool started;
  int state;
  double elapsed, limit;
  size_t visited, total;
  long priority;
  char week[11], who[64], error[512];
  char keep[4096]; /* re-planning: the current plan.json, else "" */
  int from_day;
  int whatif_lo, whatif_hi; /* a what-if sweep of pairs, else 0 */
  json_t *result;
  volatile int stop;
} hv_plan_job;

/* The server: one database connection used under one lock (SQLite writes
 * one transaction at a time anyway), and login throttling. */
typedef struct hv_server {
  const hv_web_options *o;
  hv_store *db;
  pthread_mutex_t db_lock;
  pthread_mutex_t lock; /* throttling */
  bool tls;
  hv_plan_job job;
  /* A second connection for the sessions and the account check of every
   * request (hv_sessions_find), under its own lock, so that the check
   * never waits behind a long change holding db_lock (a moved visit's
   * PDFs). */
  hv_store *accounts;
  pthread_mutex_t accounts_lock;
  /* The last week read (db_lock held): its plan.json, the scenario's
   * folder and the files' change times, so that a request does not parse
   * them again while nothing changed. */
  struct {
    char path[4096], dir[4096];
    unsigned long long stamp;
    hv_scenario *s;
    hv_plan *p;
  } cache;
  /* Failed logins per client address within the last window. */
  struct {
    char addr[64];
    int failures;
    time_t since;
  } throttle[256];
} hv_server;

/* A request, read whole. */
typedef struct hv_request {
  struct MHD_Connection *conn;
  const char *method, *url;
  char *body;
  size_t body_len;
  bool too_big;
  hv_session session; /* a copy; user.role NONE when not logged in */
  bool has_session;
  char addr[64];
} hv_request;

/* A reply. */
typedef struct hv_reply {
  int status;
  const char *type; /* content type */
  char *body;       /* malloc'd */
  size_t len;
  char cookie[256];  /* Set-Cookie, or "" */
  char location[64]; /* redirect, or "" */
  bool events;       /* stream the planning job's progress instead */
} hv_reply;

void hv__reply_json(hv_reply *r, int status, json_t *j); /* steals j */
/* A check's problems as the API shows them everywhere (docs/api.md):
 * [{"file", "line", "field", "severity", "message"}], file defaulting to
 * `file`; *errors (may be NULL) set when one is an error. */
enum {
  HV_PROBLEMS_ERRORS = 1, /* only the errors */
  HV_PROBLEMS_NO_LINE = 2 /* no "line": the input was not lines of a file */
};
json_t *hv__problems_json(const hv_diags *d, const char *file, int flags,
                          bool *errors);
/* One problem in that shape; line < 0: none. */
json_t *hv__problem_json(const char *file, long line, const char *field,
                         bool error, const char *message);
void hv__reply_error(hv_reply *r, int status, const char *field,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void hv__reply_text(hv_reply *r, int status, const char *type, const char *text,
                    size_t len);

/* The API (api.c): JSON endpoints under /api/. */
void hv__api(hv_server *s, hv_request *q, hv_reply *r);
/* The plan.json stored for the week holding *d (NULL: the latest week),
 * db_lock held: the week's Monday into monday (HV_DATE_TEXT bytes), the
 * path into path, *found when there is one.  An error status only when the
 * database failed. */
hv_status hv__week_plan(hv_server *sv, const hv_date *d, char *monday,
                        char *path, size_t size, bool *found);
/* Releases the API's cache (at shutdown). */
void hv__api_end(hv_server *s);
/* A query-string argument, or NULL. */
const char *hv__arg(hv_request *q, const char *name);

/* The value of field name in a form body (x-www-form-urlencoded), decoded
 * into out; false when absent, too long or holding a NUL. */
bool hv__form_value(const char *body, size_t len, const char *name, char *out,
                    size_t size);

/* Planning and files (jobs.c). */
/* kind: 0 plan the week, 1 re-plan the rest, 2 what if. */
void hv__job_start(hv_server *sv, hv_request *q, hv_reply *r, int kind);
void hv__whatif_file(hv_server *sv, hv_request *q, hv_reply *r);
/* E-mailing staff their week (POST /api/send). */
void hv__send(hv_server *sv, hv_request *q, hv_reply *r);
/* Pins or unpins a visit of the week's plan (kept by the next re-plan). */
void hv__pin(hv_server *sv, hv_request *q, hv_reply *r);
void hv__job_status(hv_server *sv, hv_reply *r);
void hv__job_end(hv_server *sv);
/* Whether a plan or a re-plan is being made: its end writes the week's
 * folder, so a pin or a move made meanwhile would be lost (a what-if
 * writes elsewhere). */
bool hv__job_busy(hv_server *sv);
/* The job's state as JSON (the body of GET /api/plan). */
json_t *hv__job_json(hv_server *sv);
void hv__files_list(hv_server *sv, hv_request *q, hv_reply *r);
void hv__files_get(hv_server *sv, hv_request *q, hv_reply *r);

/* Moving a visit (edit.c): checked against every rule; saved with apply
 * when nothing breaks. */
void hv__move(hv_server *sv, hv_request *q, hv_reply *r, bool apply);

/* Uploading the program's lists (import.c). */
void hv__import(hv_server *sv, hv_request *q, hv_reply *r);

/* The body of POST /api/outcome (outcome_body.c): the visit log's
 * fields, read from a JSON object, and as one row of visits.csv. */
#define HV_OUTCOME_FIELDS 8
extern const char *const hv__outcome_fields[HV_OUTCOME_FIELDS];
typedef struct hv_outcome_body {
  char v[HV_OUTCOME_FIELDS][2048]; /* household, date, outcome, barriers
                                      (';'), referrals, next_step,
                                      follow_up_date, notes */
} hv_outcome_body;
/* False with *bad (the field, or NULL for the body) and msg. */
bool hv__outcome_body(const char *body, size_t len, hv_outcome_body *out,
                      const char **bad, char *msg, size_t msize);
/* visits.csv's header and the row for b by staff into csv; its length, or
 * 0 when it does not fit. */
size_t hv__outcome_csv(const hv_outcome_body *b, const char *staff, char *csv,
                       size_t size);

/* Static pages and assets compiled in (assets.c): NULL when unknown. */
const char *hv__asset(const char *path, const char **type, size_t *len);

#endif /* HV_WEB_INT_H */
