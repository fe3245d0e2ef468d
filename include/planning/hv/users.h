/* hv/users.h -- accounts of the web application (hvplan users, hvplan
 * serve): roles, Argon2id password hashes (libsodium's crypto_pwhash_str,
 * never the password itself), logins with a lock after repeated failures,
 * and the audit trail's clock. */
#ifndef HV_USERS_H
#define HV_USERS_H

#include <stdbool.h>
#include <time.h>

#include "hv/error.h"
#include "hv/store.h"

#define HV_LOGIN_MAX_FAILURES 10 /* in a row, then the account is locked */
#define HV_LOGIN_LOCK_SECONDS 900

typedef enum hv_role {
  HV_ROLE_NONE = 0,
  HV_ROLE_VIEWER,     /* summaries without names or addresses */
  HV_ROLE_STAFF,      /* their own visits and calls */
  HV_ROLE_COORDINATOR /* everything */
} hv_role;

hv_role hv_role_parse(const char *name); /* HV_ROLE_NONE if unknown */
const char *hv_role_name(hv_role r);

/* Adds (or replaces) an account.  A staff account names its staff member,
 * who must be in the program database; passwords need 10 characters.
 * Writes the audit row "user added" (or "user changed") in the same
 * transaction.  A replaced account's sessions end at their next
 * request. */
hv_status hv_users_add(hv_store *st, const char *login, hv_role role,
                       const char *staff_id, const char *password,
                       const char *by, hv_error *err);

typedef enum hv_login_result {
  HV_LOGIN_OK = 0,
  HV_LOGIN_BAD,   /* unknown login or wrong password (not told apart) */
  HV_LOGIN_LOCKED /* too many failures: wait */
} hv_login_result;

typedef struct hv_user {
  char login[64], staff[64];
  hv_role role;
  /* A digest of the account as stored (role, staff member, password
   * hash): the server ends a session whose account has since changed or
   * gone (hv_users_get). */
  char stamp[33];
} hv_user;

/* Checks a password at time now; counts failures and locks the account
 * after HV_LOGIN_MAX_FAILURES in a row for HV_LOGIN_LOCK_SECONDS. */
hv_status hv_users_login(hv_store *st, const char *login, const char *password,
                         time_t now, hv_login_result *result, hv_user *user,
                         hv_error *err);

/* The account login as it is now (stamp included); *found false when
 * there is none. */
hv_status hv_users_get(hv_store *st, const char *login, hv_user *user,
                       bool *found, hv_error *err);

/* Removes an account (unknown: HV_E_INPUT naming --login), with the audit
 * row "user removed" in the same transaction.  Its sessions end at their
 * next request. */
hv_status hv_users_remove(hv_store *st, const char *login, const char *by,
                          hv_error *err);

/* ---- signed-in sessions (hvplan serve) ----
 * Kept in the program database, so that a restart of the server signs
 * nobody out.  A token is 32 random bytes in hex; only its BLAKE2b digest
 * is stored.  A session ends after HV_SESSION_IDLE seconds without a
 * request, at logout, or when its account has been changed or removed
 * since sign-in (hv_user.stamp). */
#define HV_SESSION_IDLE (12 * 3600)
#define HV_SESSION_TOUCH 300 /* the stored last request, to within this */

/* Opens a session for u at time now: token and csrf (65 bytes each) get
 * fresh random values.  Sessions idle for too long are removed first. */
hv_status hv_sessions_open(hv_store *st, const hv_user *u, time_t now,
                           char *token, char *csrf, hv_error *err);

/* The session of token at time now: *found, with its account as it is
 * now and its CSRF token (65 bytes), when it is open; one that has gone
 * idle or whose account changed is ended.  A token that is not 64
 * characters is simply not found. */
hv_status hv_sessions_find(hv_store *st, const char *token, time_t now,
                           hv_user *user, char *csrf, bool *found,
                           hv_error *err);

/* Ends the session of token (nothing when there is none). */
hv_status hv_sessions_end(hv_store *st, const char *token, hv_error *err);

/* "YYYY-MM-DDTHH:MM:SSZ" of t into buf (32 bytes). */
char *hv_iso_time(time_t t, char *buf);

#endif /* HV_USERS_H */
