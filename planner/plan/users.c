/* planner/plan/users.c -- accounts, password hashes, logins and signed-in
 * sessions (hv/users.h). */
#include "hv/users.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {"", "viewer", "staff", "coordinator"};

hv_role hv_role_parse(const char *name) {
  for (int r = HV_ROLE_VIEWER; r <= HV_ROLE_COORDINATOR; r++)
    if (strcmp(name, role_names[r]) == 0) return (hv_role)r;
  return HV_ROLE_NONE;
}

const char *hv_role_name(hv_role r) {
  return r >= HV_ROLE_VIEWER && r <= HV_ROLE_COORDINATOR ? role_names[r] : "";
}

char *hv_iso_time(time_t t, char *buf) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static bool login_ok(const char *login) {
  size_t n = strlen(login);
  if (n == 0 || n >= 64) return false;
  for (const char *c = login; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
          *c == '_' || *c == '-'))
      return false;
  return true;
}

hv_status hv_users_add(hv_store *st, const char *login, hv_role role,
                       const char *staff_id, const char *password,
                       const char *by, hv_error *err) {
  hv_where at = {.source = "users"};
  if (!login_ok(login))
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--login"},
                        "a login is 1-63 lower-case letters, digits, '.', "
                        "'_' or '-'");
  if (role == HV_ROLE_NONE)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--role"},
                        "the role is coordinator, staff or viewer");
  if ((role == HV_ROLE_STAFF) != (staff_id && staff_id[0]))
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--staff"},
                        role == HV_ROLE_STAFF
                            ? "a staff account names its staff member "
                              "(--staff S01)"
                            : "--staff is for staff accounts only");
  if (strlen(password) < 10)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "password"},
                        "the password needs at least 10 characters");
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, at, "libsodium cannot start");
  hv_store_user u = {0};
  snprintf(u.login, sizeof u.login, "%s", login);
  snprintf(u.role, sizeof u.role, "%s", hv_role_name(role));
  snprintf(u.staff, sizeof u.staff, "%s", staff_id ? staff_id : "");
  char hash[crypto_pwhash_STRBYTES];
  /* Argon2id (libsodium's default for crypto_pwhash_str), interactive
   * limits: about 64 MiB and a tenth of a second per login. */
  if (crypto_pwhash_str_alg(hash, password, strlen(password),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return hv_error_set(err, HV_E_NOMEM, at, "out of memory hashing");
  snprintf(u.hash, sizeof u.hash, "%s", hash);
  sodium_memzero(hash, sizeof hash);
  hv_status rc = hv_store_begin(st, err);
  if (rc != HV_OK) return rc;
  if (role == HV_ROLE_STAFF) {
    bool known = false;
    rc = hv_store_staff_known(st, staff_id, &known, err);
    if (rc == HV_OK && !known)
      rc = hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--staff"},
                        "staff member '%s' is not in the program database "
                        "(plan a week or run 'hvplan init' first)",
                        staff_id);
  }
  char now[32], detail[160];
  hv_iso_time(time(NULL), now);
  snprintf(detail, sizeof detail, "%s: role %s%s%s", login, u.role,
           u.staff[0] ? ", staff " : "", u.staff);
  bool replaced = false;
  if (rc == HV_OK) rc = hv_store_put_user(st, &u, now, &replaced, err);
  if (rc == HV_OK)
    rc = hv_store_audit(st, now, by, replaced ? "user changed" : "user added",
                        detail, err);
  if (rc != HV_OK) {
    hv_store_rollback(st);
    return rc;
  }
  return hv_store_commit(st, err);
}

/* The session's view of stored account u (see hv_user.stamp). */
static void user_of(const hv_store_user *u, hv_user *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->login, sizeof out->login, "%s", u->login);
  snprintf(out->staff, sizeof out->staff, "%s", u->staff);
  out->role = hv_role_parse(u->role);
  crypto_generichash_state g;
  unsigned char d[16];
  crypto_generichash_init(&g, NULL, 0, sizeof d);
  const char *parts[] = {u->role, u->staff, u->hash};
  for (size_t i = 0; i < 3; i++)
    crypto_generichash_update(&g, (const unsigned char *)parts[i],
                              strlen(parts[i]) + 1);
  crypto_generichash_final(&g, d, sizeof d);
  sodium_bin2hex(out->stamp, sizeof out->stamp, d, sizeof d);
}

hv_status hv_users_get(hv_store *st, const char *login, hv_user *user,
                       bool *found, hv_error *err) {
  memset(user, 0, sizeof *user);
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0},
                        "libsodium cannot start");
  hv_store_user u;
  hv_status rc = hv_store_get_user(st, login, &u, found, err);
  if (rc == HV_OK && *found) user_of(&u, user);
  sodium_memzero(u.hash, sizeof u.hash);
  return rc;
}

hv_status hv_users_remove(hv_store *st, const char *login, const char *by,
                          hv_error *err) {
  hv_status rc = hv_store_begin(st, err);
  if (rc != HV_OK) return rc;
  bool found = false;
  rc = hv_store_delete_user(st, login, &found, err);
  if (rc == HV_OK && !found)
    rc = hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--login"},
                      "there is no user '%s'", login);
  char now[32];
  if (rc == HV_OK)
    rc = hv_store_audit(st, hv_iso_time(time(NULL), now), by, "user removed",
                        login, err);
  if (rc != HV_OK) {
    hv_store_rollback(st);
    return rc;
  }
  return hv_store_commit(st, err);
}

hv_status hv_users_login(hv_store *st, const char *login, const char *password,
                         time_t now, hv_login_result *result, hv_user *user,
                         hv_error *err) {
  *result = HV_LOGIN_BAD;
  memset(user, 0, sizeof *user);
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0},
                        "libsodium cannot start");
  hv_store_user u;
  bool found;
  hv_status rc = hv_store_get_user(st, login, &u, &found, err);
  if (rc != HV_OK) return rc;
  if (!found) {
    /* The same work as a real check, so that timing tells nothing. */
    static const char salt[crypto_pwhash_SALTBYTES] = {0};
    unsigned char out[32];
    if (crypto_pwhash(out, sizeof out, password, strlen(password),
                      (const unsigned char *)salt,
                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE,
                      crypto_pwhash_ALG_ARGON2ID13) == 0)
      sodium_memzero(out, sizeof out);
    return HV_OK;
  }
  char stamp[32];
  hv_iso_time(now, stamp);
  if (u.locked_until[0] && strcmp(stamp, u.locked_until) < 0) {
    *result = HV_LOGIN_LOCKED;
    return HV_OK;
  }
  bool ok = crypto_pwhash_str_verify(u.hash, password, strlen(password)) == 0;
  if (ok) {
    *result = HV_LOGIN_OK;
    user_of(&u, user);
    if (u.failed_logins != 0 || u.locked_until[0])
      rc = hv_store_set_login_state(st, login, 0, "", err);
    return rc;
  }
  int failed = u.failed_logins + 1;
  char until[32] = "";
  if (failed >= HV_LOGIN_MAX_FAILURES) {
    hv_iso_time(now + HV_LOGIN_LOCK_SECONDS, until);
    failed = 0;
    *result = HV_LOGIN_LOCKED;
  }
  return hv_store_set_login_state(st, login, failed, until, err);
}

/* ---- signed-in sessions --------------------------------------------- */

static bool token_ok(const char *token) {
  return token != NULL && strlen(token) == 64;
}

/* The stored form of a token: its BLAKE2b digest in hex. */
static void digest_of(const char *token, char *out) {
  unsigned char d[32];
  crypto_generichash(d, sizeof d, (const unsigned char *)token, strlen(token),
                     NULL, 0);
  sodium_bin2hex(out, 65, d, sizeof d);
}

static void random_hex(char *out) {
  unsigned char b[32];
  randombytes_buf(b, sizeof b);
  sodium_bin2hex(out, 65, b, sizeof b);
}

hv_status hv_sessions_open(hv_store *st, const hv_user *u, time_t now,
                           char *token, char *csrf, hv_error *err) {
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0},
                        "libsodium cannot start");
  random_hex(token);
  random_hex(csrf);
  hv_store_session s = {.last_seen = (long long)now};
  digest_of(token, s.digest);
  snprintf(s.login, sizeof s.login, "%s", u->login);
  snprintf(s.stamp, sizeof s.stamp, "%s", u->stamp);
  snprintf(s.csrf, sizeof s.csrf, "%s", csrf);
  return hv_store_put_session(st, &s, (long long)now - HV_SESSION_IDLE, err);
}

hv_status hv_sessions_find(hv_store *st, const char *token, time_t now,
                           hv_user *user, char *csrf, bool *found,
                           hv_error *err) {
  *found = false;
  memset(user, 0, sizeof *user);
  csrf[0] = '\0';
  if (!token_ok(token)) return HV_OK;
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0},
                        "libsodium cannot start");
  char digest[65];
  digest_of(token, digest);
  hv_store_session s;
  bool have;
  hv_status rc = hv_store_get_session(st, digest, &s, &have, err);
  if (rc != HV_OK || !have) return rc;
  hv_user u;
  bool account = false;
  if ((long long)now - s.last_seen < HV_SESSION_IDLE) {
    rc = hv_users_get(st, s.login, &u, &account, err);
    if (rc != HV_OK) return rc;
  }
  if (!account || strcmp(u.stamp, s.stamp) != 0)
    return hv_store_delete_session(st, digest, err);
  if ((long long)now - s.last_seen >= HV_SESSION_TOUCH) {
    rc = hv_store_touch_session(st, digest, (long long)now, err);
    if (rc != HV_OK) return rc;
  }
  *user = u;
  snprintf(csrf, 65, "%s", s.csrf);
  *found = true;
  return HV_OK;
}

hv_status hv_sessions_end(hv_store *st, const char *token, hv_error *err) {
  if (!token_ok(token)) return HV_OK;
  char digest[65];
  digest_of(token, digest);
  return hv_store_delete_session(st, digest, err);
}
