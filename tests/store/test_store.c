/* tests/store/test_store.c -- the program database on a real SQLite file:
 * schema versions and migrations, re-planning a week, outcomes recorded
 * once (the same row again changes nothing; a correction keeps the earlier
 * version), contact attempts, standings and a family's history. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hv/store.h"

static char dir[] = "/tmp/hv_store_XXXXXX";
static char path[256];

static hv_store *fresh(void) {
  unlink(path);
  char wal[300];
  snprintf(wal, sizeof wal, "%s-wal", path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", path);
  unlink(wal);
  hv_store *st = NULL;
  hv_error err;
  CHECK_INT_EQ(hv_store_open(path, true, &st, &err), HV_OK);
  return st;
}

/* Runs a query returning one integer on a separate connection. */
static long long scalar(const char *sql) {
  sqlite3 *db;
  long long v = -1;
  if (sqlite3_open(path, &db) != SQLITE_OK) return -1;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return v;
}

static void family(hv_store *st, const char *id) {
  hv_store_household h = {.id = id,
                          .guardian = "Ana Díaz",
                          .address = "1 A St",
                          .language = "es",
                          .students = "Camila; Leo",
                          .priority = 50};
  hv_error err;
  CHECK_INT_EQ(hv_store_put_household(st, &h, "2026-03-01", &err), HV_OK);
}

static void week(hv_store *st, const char *week_of, const char *hh,
                 const char *date) {
  hv_error err;
  CHECK_INT_EQ(hv_store_replan_week(st, week_of, "plan.json",
                                    "2026-03-01T10:00:00Z", NULL, &err),
               HV_OK);
  hv_store_visit v = {.week_of = week_of,
                      .household = hh,
                      .date = date,
                      .pair = "P01",
                      .staff_a = "S01",
                      .staff_b = "S05",
                      .start = "15:00",
                      .end = "15:45"};
  bool added;
  CHECK_INT_EQ(hv_store_add_visit(st, &v, &added, &err), HV_OK);
}

static void new_database_has_the_schema(void) {
  hv_store *st = fresh();
  if (!st) return;
  CHECK_INT_EQ(hv_store_version(st), HV_STORE_SCHEMA);
  hv_store_close(st);
  CHECK_INT_EQ(scalar("PRAGMA user_version"), HV_STORE_SCHEMA);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE type = "
                      "'table' AND name IN ('household', 'student', 'staff', "
                      "'week', 'visit', 'outcome', 'outcome_revision', "
                      "'contact', 'office_task', 'attendance')"),
               10);
  /* WAL mode is stored in the file. */
  sqlite3 *db;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  sqlite3_stmt *q;
  CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) ==
        SQLITE_OK);
  CHECK(sqlite3_step(q) == SQLITE_ROW);
  CHECK_STR_EQ((const char *)sqlite3_column_text(q, 0), "wal");
  sqlite3_finalize(q);
  sqlite3_close(db);
}

static void older_database_is_upgraded(void) {
  hv_store *st = NULL;
  hv_error err;
  unlink(path);
  CHECK_INT_EQ(hv_store_open_version(path, 1, &st, &err), HV_OK);
  if (!st) return;
  CHECK_INT_EQ(hv_store_version(st), 1);
  family(st, "H1");
  hv_store_close(st);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE name = "
                      "'office_task'"),
               0);
  /* Opening it now upgrades it and keeps the data. */
  CHECK_INT_EQ(hv_store_open(path, false, &st, &err), HV_OK);
  if (st) CHECK_INT_EQ(hv_store_version(st), HV_STORE_SCHEMA);
  hv_store_close(st);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE name = "
                      "'office_task'"),
               1);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE name IN "
                      "('attendance', 'app_user', 'audit', 'app_session')"),
               4);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM student WHERE household_id = "
                      "'H1'"),
               2);
}

static void newer_or_foreign_database_is_refused(void) {
  hv_store *st = fresh();
  hv_store_close(st);
  sqlite3 *db;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) ==
        SQLITE_OK);
  sqlite3_close(db);
  hv_error err;
  st = NULL;
  CHECK_INT_EQ(hv_store_open(path, false, &st, &err), HV_E_STORE);
  CHECK(st == NULL);
  char want[96];
  snprintf(want, sizeof want,
           "schema version 99; this hvplan knows versions up to %d: use a "
           "newer hvplan",
           HV_STORE_SCHEMA);
  CHECK_STR_CONTAINS(err.text, want);
  /* An SQLite file of someone else's. */
  unlink(path);
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_INT_EQ(hv_store_open(path, false, &st, &err), HV_E_STORE);
  CHECK_STR_CONTAINS(err.text, "not an hvplan program database");
  /* No database at all, without create. */
  unlink(path);
  CHECK_INT_EQ(hv_store_open(path, false, &st, &err), HV_E_STORE);
  CHECK_STR_CONTAINS(err.text, "run 'hvplan init'");
}

static void outcomes_once_and_corrections_kept(void) {
  hv_store *st = fresh();
  if (!st) return;
  hv_error err;
  family(st, "H1");
  week(st, "2026-03-02", "H1", "2026-03-03");
  hv_store_planned pv;
  bool found;
  CHECK_INT_EQ(hv_store_find_visit(st, "2026-03-02", "H1", &pv, &found, &err),
               HV_OK);
  CHECK(found);
  CHECK_STR_EQ(pv.date, "2026-03-03");
  hv_store_outcome o = {.visit_id = pv.id,
                        .household = "H1",
                        .date = "2026-03-03",
                        .outcome = "not_home",
                        .notes = "left the note"};
  hv_store_change ch;
  CHECK_INT_EQ(hv_store_put_outcome(st, &o, "t1", &ch, &err), HV_OK);
  CHECK_INT_EQ(ch, HV_STORE_NEW);
  CHECK_INT_EQ(hv_store_put_outcome(st, &o, "t2", &ch, &err), HV_OK);
  CHECK_INT_EQ(ch, HV_STORE_SAME);
  o.outcome = "met";
  o.follow_up_date = "2026-03-12";
  CHECK_INT_EQ(hv_store_put_outcome(st, &o, "t3", &ch, &err), HV_OK);
  CHECK_INT_EQ(ch, HV_STORE_CORRECTED);
  hv_store_close(st);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM outcome"), 1);
  CHECK_INT_EQ(scalar("SELECT revisions FROM outcome"), 1);
  CHECK_INT_EQ(scalar("SELECT count(*) FROM outcome_revision WHERE outcome = "
                      "'not_home' AND replaced_at = 't3'"),
               1);
  /* Re-planning the week keeps the visit that has an outcome. */
  hv_store_open(path, false, &st, &err);
  if (!st) return;
  size_t kept = 0;
  CHECK_INT_EQ(hv_store_replan_week(st, "2026-03-02", "p2", "t4", &kept, &err),
               HV_OK);
  CHECK_INT_EQ(kept, 1);
  /* An unknown household breaks the foreign key: nothing is stored. */
  CHECK_INT_EQ(hv_store_begin(st, &err), HV_OK);
  hv_store_contact c = {.household = "H9",
                        .date = "2026-03-04",
                        .kind = "phone",
                        .result = "no answer"};
  CHECK_INT_EQ(hv_store_put_contact(st, &c, "t5", &ch, &err), HV_E_STORE);
  hv_store_rollback(st);
  c.household = "H1";
  CHECK_INT_EQ(hv_store_put_contact(st, &c, "t5", &ch, &err), HV_OK);
  CHECK_INT_EQ(ch, HV_STORE_NEW);
  CHECK_INT_EQ(hv_store_put_contact(st, &c, "t6", &ch, &err), HV_OK);
  CHECK_INT_EQ(ch, HV_STORE_SAME);
  hv_store_close(st);
}

typedef struct seen {
  int n;
  char kinds[8][16], dates[8][11];
} seen;

static void collect(const hv_store_event *e, void *ud) {
  seen *s = ud;
  if (s->n >= 8) return;
  snprintf(s->kinds[s->n], sizeof s->kinds[0], "%s", e->kind);
  snprintf(s->dates[s->n], sizeof s->dates[0], "%s", e->date);
  s->n++;
}

static void standings_and_history(void) {
  hv_store *st = fresh();
  if (!st) return;
  hv_error err;
  family(st, "H1");
  family(st, "H2");
  week(st, "2026-03-02", "H1", "2026-03-03");
  hv_store_planned pv;
  bool found;
  hv_store_find_visit(st, "2026-03-02", "H1", &pv, &found, &err);
  hv_store_change ch;
  hv_store_outcome o = {.visit_id = pv.id,
                        .household = "H1",
                        .date = "2026-03-03",
                        .outcome = "not_home"};
  CHECK_INT_EQ(hv_store_put_outcome(st, &o, "t", &ch, &err), HV_OK);
  week(st, "2026-03-09", "H1", "2026-03-11");
  hv_store_find_visit(st, "2026-03-09", "H1", &pv, &found, &err);
  o.visit_id = pv.id;
  o.date = "2026-03-11";
  CHECK_INT_EQ(hv_store_put_outcome(st, &o, "t", &ch, &err), HV_OK);
  hv_store_contact c = {.household = "H1",
                        .date = "2026-03-12",
                        .kind = "letter",
                        .result = "sent"};
  CHECK_INT_EQ(hv_store_put_contact(st, &c, "t", &ch, &err), HV_OK);
  week(st, "2026-03-16", "H1", "2026-03-17");
  hv_store_standing *a = NULL;
  size_t n = 0;
  CHECK_INT_EQ(hv_store_standings(st, &a, &n, &err), HV_OK);
  CHECK_INT_EQ(n, 2);
  if (n == 2) {
    CHECK_STR_EQ(a[0].id, "H1");
    CHECK_INT_EQ(a[0].not_home, 2);
    CHECK_INT_EQ(a[0].visits, 2);
    CHECK_STR_EQ(a[0].last_date, "2026-03-11");
    CHECK_STR_EQ(a[0].last_outcome, "not_home");
    CHECK_STR_EQ(a[0].last_start, "15:00");
    CHECK_STR_EQ(a[1].id, "H2");
    CHECK_INT_EQ(a[1].visits, 0);
    CHECK_STR_EQ(a[1].last_date, "");
  }
  free(a);
  seen s = {0};
  CHECK_INT_EQ(hv_store_history(st, "H1", collect, &s, &found, &err), HV_OK);
  CHECK(found);
  CHECK_INT_EQ(s.n, 4);
  CHECK_STR_EQ(s.kinds[0], "visit");
  CHECK_STR_EQ(s.dates[0], "2026-03-03");
  CHECK_STR_EQ(s.kinds[1], "visit");
  CHECK_STR_EQ(s.kinds[2], "letter");
  CHECK_STR_EQ(s.kinds[3], "planned");
  CHECK_STR_EQ(s.dates[3], "2026-03-17");
  CHECK_INT_EQ(hv_store_history(st, "H7", collect, &s, &found, &err), HV_OK);
  CHECK(!found);
  hv_store_close(st);
}

static void audit_row(const hv_store_audit_row *r, void *ud) {
  int *n = ud;
  (*n)++;
  CHECK_STR_EQ(r->login, "ana");
  CHECK_STR_EQ(r->action, "user added");
}

static void users_and_audit(void) {
  hv_store *st = fresh();
  if (!st) return;
  hv_error err;
  hv_store_user u = {.login = "ana",
                     .role = "staff",
                     .staff = "S01",
                     .hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def"};
  bool replaced, found;
  CHECK_INT_EQ(
      hv_store_put_user(st, &u, "2026-03-01T10:00:00Z", &replaced, &err),
      HV_OK);
  CHECK(!replaced);
  /* A plain-text password is refused by the schema itself. */
  hv_store_user bad = {.login = "bob", .role = "viewer", .hash = "hunter2"};
  CHECK_INT_EQ(
      hv_store_put_user(st, &bad, "2026-03-01T10:00:00Z", &replaced, &err),
      HV_E_STORE);
  hv_store_user bad_role = u;
  snprintf(bad_role.login, sizeof bad_role.login, "cy");
  snprintf(bad_role.role, sizeof bad_role.role, "admin");
  CHECK_INT_EQ(
      hv_store_put_user(st, &bad_role, "2026-03-01T10:00:00Z", &replaced, &err),
      HV_E_STORE);
  CHECK_INT_EQ(
      hv_store_set_login_state(st, "ana", 3, "2026-03-01T10:15:00Z", &err),
      HV_OK);
  hv_store_user got;
  CHECK_INT_EQ(hv_store_get_user(st, "ana", &got, &found, &err), HV_OK);
  CHECK(found);
  CHECK_STR_EQ(got.role, "staff");
  CHECK_STR_EQ(got.staff, "S01");
  CHECK_INT_EQ(got.failed_logins, 3);
  CHECK_STR_EQ(got.locked_until, "2026-03-01T10:15:00Z");
  /* Replacing resets the lock. */
  CHECK_INT_EQ(
      hv_store_put_user(st, &u, "2026-03-02T10:00:00Z", &replaced, &err),
      HV_OK);
  CHECK(replaced);
  CHECK_INT_EQ(hv_store_get_user(st, "ana", &got, &found, &err), HV_OK);
  CHECK_INT_EQ(got.failed_logins, 0);
  CHECK_INT_EQ(hv_store_get_user(st, "nobody", &got, &found, &err), HV_OK);
  CHECK(!found);
  CHECK_INT_EQ(hv_store_audit(st, "2026-03-01T10:00:00Z", "ana", "user added",
                              "role staff", &err),
               HV_OK);
  int n = 0;
  CHECK_INT_EQ(hv_store_audit_each(st, audit_row, &n, &err), HV_OK);
  CHECK_INT_EQ(n, 1);
  hv_store_close(st);
}

static hv_store_session session_of(char c, const char *login, long long at) {
  hv_store_session s = {.last_seen = at};
  memset(s.digest, c, 64);
  snprintf(s.login, sizeof s.login, "%s", login);
  snprintf(s.stamp, sizeof s.stamp, "stamp-of-%s", login);
  memset(s.csrf, 'c', 64);
  return s;
}

static void sessions_kept_and_ended(void) {
  hv_store *st = fresh();
  if (!st) return;
  hv_error err;
  bool found;
  hv_store_session a = session_of('a', "ana", 1000),
                   b = session_of('b', "bo", 5000);
  CHECK_INT_EQ(hv_store_put_session(st, &a, 0, &err), HV_OK);
  CHECK_INT_EQ(hv_store_put_session(st, &b, 0, &err), HV_OK);
  hv_store_session got;
  CHECK_INT_EQ(hv_store_get_session(st, a.digest, &got, &found, &err), HV_OK);
  CHECK(found);
  CHECK_STR_EQ(got.login, "ana");
  CHECK_STR_EQ(got.stamp, "stamp-of-ana");
  CHECK_STR_EQ(got.csrf, a.csrf);
  CHECK(got.last_seen == 1000);
  CHECK_INT_EQ(hv_store_touch_session(st, a.digest, 4000, &err), HV_OK);
  CHECK_INT_EQ(hv_store_get_session(st, a.digest, &got, &found, &err), HV_OK);
  CHECK(found && got.last_seen == 4000);
  /* Only a digest's length is stored (never a raw token of another
   * form), and a digest names one session. */
  hv_store_session bad = session_of('d', "ana", 6000);
  bad.digest[10] = '\0';
  CHECK_INT_EQ(hv_store_put_session(st, &bad, 0, &err), HV_E_STORE);
  CHECK_INT_EQ(hv_store_put_session(st, &a, 0, &err), HV_E_STORE);
  /* A new session removes those last seen before the given time. */
  hv_store_session c = session_of('c', "cy", 9000);
  CHECK_INT_EQ(hv_store_put_session(st, &c, 4500, &err), HV_OK);
  CHECK_INT_EQ(hv_store_get_session(st, a.digest, &got, &found, &err), HV_OK);
  CHECK(!found);
  CHECK_INT_EQ(hv_store_get_session(st, b.digest, &got, &found, &err), HV_OK);
  CHECK(found);
  CHECK_INT_EQ(hv_store_delete_session(st, b.digest, &err), HV_OK);
  CHECK_INT_EQ(hv_store_get_session(st, b.digest, &got, &found, &err), HV_OK);
  CHECK(!found);
  /* Removing an account ends its sessions. */
  hv_store_user u = {.login = "cy",
                     .role = "viewer",
                     .hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def"};
  bool replaced;
  CHECK_INT_EQ(
      hv_store_put_user(st, &u, "2026-03-01T10:00:00Z", &replaced, &err),
      HV_OK);
  CHECK_INT_EQ(hv_store_delete_user(st, "cy", &found, &err), HV_OK);
  CHECK(found);
  CHECK_INT_EQ(hv_store_get_session(st, c.digest, &got, &found, &err), HV_OK);
  CHECK(!found);
  hv_store_close(st);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/%s", dir, HV_STORE_FILE);
  RUN(new_database_has_the_schema);
  RUN(older_database_is_upgraded);
  RUN(newer_or_foreign_database_is_refused);
  RUN(outcomes_once_and_corrections_kept);
  RUN(standings_and_history);
  RUN(users_and_audit);
  RUN(sessions_kept_and_ended);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return CHECK_DONE();
}
