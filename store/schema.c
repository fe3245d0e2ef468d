/* store/schema.c -- the program database's schema as forward migrations:
 * migration[v] upgrades a database at version v to v + 1.  A new database
 * runs them all.  Never edit a migration that has shipped: add one. */
#include "store_int.h"

static const char *const migration[HV_STORE_SCHEMA] = {
    /* 0 -> 1: the case history. */
    "CREATE TABLE household ("
    "  id TEXT PRIMARY KEY,"
    "  guardian TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  lat REAL, lon REAL,"
    "  language TEXT NOT NULL DEFAULT 'en',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  availability TEXT NOT NULL DEFAULT '',"
    "  notes TEXT NOT NULL DEFAULT '',"
    "  visit_type TEXT NOT NULL DEFAULT 'attendance',"
    "  preferred_staff TEXT NOT NULL DEFAULT '',"
    "  priority INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (status IN ('active', 'declined', 'moved')),"
    "  first_seen TEXT NOT NULL,"
    "  updated TEXT NOT NULL);"
    "CREATE TABLE student ("
    "  household_id TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY (household_id, name));"
    "CREATE TABLE staff ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  languages TEXT NOT NULL DEFAULT '',"
    "  phone TEXT NOT NULL DEFAULT '',"
    "  availability TEXT NOT NULL DEFAULT '',"
    "  max_visits_per_day INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE week ("
    "  week_of TEXT PRIMARY KEY,"
    "  plan_path TEXT NOT NULL DEFAULT '',"
    "  planned_at TEXT NOT NULL);"
    "CREATE TABLE visit ("
    "  id INTEGER PRIMARY KEY,"
    "  week_of TEXT NOT NULL REFERENCES week(week_of),"
    "  household_id TEXT NOT NULL REFERENCES household(id),"
    "  date TEXT NOT NULL,"
    "  pair TEXT NOT NULL,"
    "  staff_a TEXT NOT NULL,"
    "  staff_b TEXT NOT NULL,"
    "  start TEXT NOT NULL,"
    "  end TEXT NOT NULL,"
    "  visit_type TEXT NOT NULL DEFAULT 'attendance',"
    "  mode TEXT NOT NULL DEFAULT 'home'"
    "    CHECK (mode IN ('home', 'community', 'video')),"
    "  attempt INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE (household_id, week_of));"
    "CREATE TABLE outcome ("
    "  id INTEGER PRIMARY KEY,"
    "  visit_id INTEGER NOT NULL REFERENCES visit(id),"
    "  household_id TEXT NOT NULL REFERENCES household(id),"
    "  date TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('met', 'not_home', "
    "    'declined', 'moved', 'rescheduled', 'other')),"
    "  barriers TEXT NOT NULL DEFAULT '',"
    "  referrals TEXT NOT NULL DEFAULT '',"
    "  next_step TEXT NOT NULL DEFAULT '',"
    "  follow_up_date TEXT,"
    "  notes TEXT NOT NULL DEFAULT '',"
    "  staff TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  recorded_at TEXT NOT NULL,"
    "  revisions INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (household_id, date));"
    "CREATE TABLE outcome_revision ("
    "  id INTEGER PRIMARY KEY,"
    "  outcome_id INTEGER NOT NULL REFERENCES outcome(id),"
    "  outcome TEXT NOT NULL, barriers TEXT NOT NULL, referrals TEXT NOT NULL,"
    "  next_step TEXT NOT NULL, follow_up_date TEXT, notes TEXT NOT NULL,"
    "  staff TEXT NOT NULL, source TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    "  replaced_at TEXT NOT NULL);"
    "CREATE TABLE contact ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id TEXT NOT NULL REFERENCES household(id),"
    "  date TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('phone', 'letter', 'text', "
    "'email')),"
    "  result TEXT NOT NULL,"
    "  staff TEXT NOT NULL DEFAULT '',"
    "  notes TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  recorded_at TEXT NOT NULL,"
    "  revisions INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (household_id, date, kind, staff));"
    "CREATE INDEX visit_week ON visit(week_of);"
    "CREATE INDEX outcome_household ON outcome(household_id, date);"
    "CREATE INDEX contact_household ON contact(household_id, date);",

    /* 1 -> 2: the office's list (families to reach by letter or phone
     * instead of another drive, addresses to update). */
    "CREATE TABLE office_task ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id TEXT NOT NULL REFERENCES household(id),"
    "  week_of TEXT NOT NULL,"
    "  reason TEXT NOT NULL CHECK (reason IN ('attempts', 'moved', "
    "'declined')),"
    "  text TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  done_at TEXT,"
    "  UNIQUE (household_id, reason, week_of));",

    /* 2 -> 3: attendance as imported by `hvplan flag`, one row per student
     * and export date (for absence rates before and after the visits). */
    "CREATE TABLE attendance ("
    "  student_id TEXT NOT NULL,"
    "  household_id TEXT NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  grade TEXT NOT NULL DEFAULT '',"
    "  as_of TEXT NOT NULL,"
    "  enrolled_days REAL NOT NULL CHECK (enrolled_days > 0),"
    "  absent_days REAL NOT NULL CHECK (absent_days >= 0 AND "
    "    absent_days <= enrolled_days),"
    "  source TEXT NOT NULL DEFAULT '',"
    "  imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (student_id, as_of));"
    "CREATE INDEX attendance_household ON attendance(household_id, as_of);",

    /* 3 -> 4: accounts of the web application (passwords only as Argon2id
     * hashes) and the audit trail: who changed what, when. */
    "CREATE TABLE app_user ("
    "  login TEXT PRIMARY KEY,"
    "  role TEXT NOT NULL CHECK (role IN ('coordinator', 'staff', 'viewer')),"
    "  staff_id TEXT NOT NULL DEFAULT '',"
    "  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),"
    "  created_at TEXT NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  locked_until TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  logged_at TEXT NOT NULL,"
    "  login TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '');",

    /* 4 -> 5: signed-in sessions of the web application, so that a
     * restart of the server signs nobody out.  The token's digest only,
     * never the token. */
    "CREATE TABLE app_session ("
    "  digest TEXT PRIMARY KEY CHECK (length(digest) = 64),"
    "  login TEXT NOT NULL,"
    "  stamp TEXT NOT NULL,"
    "  csrf TEXT NOT NULL,"
    "  last_seen INTEGER NOT NULL);"
    "CREATE INDEX app_session_seen ON app_session(last_seen);",
};

hv_status hv__store_migrate(hv_store *st, int target, hv_error *err) {
  int v = hv_store_version(st);
  if (v > HV_STORE_SCHEMA)
    return hv_error_set(err, HV_E_STORE, (hv_where){.source = st->path},
                        "the database has schema version %d; this hvplan "
                        "knows versions up to %d: use a newer hvplan",
                        v, HV_STORE_SCHEMA);
  if (v >= target) return HV_OK;
  hv_status rc = hv_store_begin(st, err);
  for (int k = v; rc == HV_OK && k < target; k++) {
    rc = hv__store_exec(st, migration[k], err);
    if (rc == HV_OK) {
      char pragma[48];
      snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", k + 1);
      rc = hv__store_exec(st, pragma, err);
    }
  }
  if (rc != HV_OK) {
    hv_store_rollback(st);
    return rc;
  }
  rc = hv_store_commit(st, err);
  if (rc == HV_OK) st->version = target;
  return rc;
}
