/* store/store.c -- opening the program database, transactions, and the
 * reads and writes the weekly cycle needs.  Every statement is prepared
 * with bound parameters; nothing is pasted into SQL text. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

/* ---- helpers -------------------------------------------------------- */

hv_status hv__store_fail(hv_store *st, const char *what, hv_error *err) {
  int code = st->db ? sqlite3_errcode(st->db) : SQLITE_ERROR;
  return hv_error_set(err, code == SQLITE_NOMEM ? HV_E_NOMEM : HV_E_STORE,
                      (hv_where){.source = st->path}, "%s: %s", what,
                      st->db ? sqlite3_errmsg(st->db) : "no database");
}

hv_status hv__store_exec(hv_store *st, const char *sql, hv_error *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return HV_OK;
  hv_status rc = hv_error_set(err, HV_E_STORE, (hv_where){.source = st->path},
                              "%s", msg ? msg : "SQLite error");
  sqlite3_free(msg);
  return rc;
}

sqlite3_stmt *hv__store_prepare(hv_store *st, const char *sql, hv_error *err) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
    hv__store_fail(st, "preparing a query", err);
    sqlite3_finalize(q);
    return NULL;
  }
  return q;
}

void hv__store_text(sqlite3_stmt *q, int i, const char *text) {
  sqlite3_bind_text(q, i, text ? text : "", -1, SQLITE_TRANSIENT);
}

void hv__store_text_or_null(sqlite3_stmt *q, int i, const char *text) {
  if (text == NULL || text[0] == '\0')
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_text(q, i, text, -1, SQLITE_TRANSIENT);
}

void hv__store_col(sqlite3_stmt *q, int i, char *buf, size_t size) {
  const unsigned char *t = sqlite3_column_text(q, i);
  snprintf(buf, size, "%s", t ? (const char *)t : "");
}

static const char *col(sqlite3_stmt *q, int i) {
  const unsigned char *t = sqlite3_column_text(q, i);
  return t ? (const char *)t : "";
}

/* Steps a statement that returns no rows, then finalizes it. */
static hv_status run(hv_store *st, sqlite3_stmt *q, const char *what,
                     hv_error *err) {
  int rc = sqlite3_step(q);
  hv_status out = rc == SQLITE_DONE ? HV_OK : hv__store_fail(st, what, err);
  sqlite3_finalize(q);
  return out;
}

/* ---- opening -------------------------------------------------------- */

static hv_status open_at(const char *path, bool create, int version,
                         hv_store **out, hv_error *err) {
  *out = NULL;
  hv_store *st = calloc(1, sizeof *st);
  if (st == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  snprintf(st->path, sizeof st->path, "%s", path);
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  /* A new file is the owner's only: it holds children's case histories. */
  struct stat sb;
  bool fresh = create && stat(path, &sb) != 0;
  if (fresh) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) close(fd);
  }
  hv_status rc = HV_OK;
  if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    rc = create ? hv__store_fail(st, "cannot open the program database", err)
                : hv_error_set(err, HV_E_STORE, (hv_where){.source = path},
                               "no program database here: run 'hvplan init' "
                               "on the program folder first");
    hv_store_close(st);
    return rc;
  }
  sqlite3_busy_timeout(st->db, 10000);
  sqlite3_extended_result_codes(st->db, 1);
  /* Foreign keys on; WAL with a full sync at every commit, so that an
   * acknowledged outcome survives a power cut. */
  rc = hv__store_exec(st,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA journal_mode = WAL;"
                      "PRAGMA synchronous = FULL;",
                      err);
  if (rc == HV_OK) {
    sqlite3_stmt *q = hv__store_prepare(st, "PRAGMA user_version", err);
    if (q == NULL) {
      rc = HV_E_STORE;
    } else {
      if (sqlite3_step(q) == SQLITE_ROW)
        st->version = sqlite3_column_int(q, 0);
      else
        rc = hv__store_fail(st, "reading the schema version", err);
      sqlite3_finalize(q);
    }
  }
  if (rc == HV_OK && st->version == 0) {
    /* A file that is not empty but has no version is not ours. */
    sqlite3_stmt *q =
        hv__store_prepare(st, "SELECT count(*) FROM sqlite_master", err);
    if (q == NULL) {
      rc = HV_E_STORE;
    } else {
      if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0)
        rc = hv_error_set(err, HV_E_STORE, (hv_where){.source = path},
                          "this SQLite file is not an hvplan program "
                          "database (it has tables but no schema version)");
      sqlite3_finalize(q);
    }
  }
  if (rc == HV_OK) rc = hv__store_migrate(st, version, err);
  if (rc != HV_OK) {
    hv_store_close(st);
    return rc;
  }
  *out = st;
  return HV_OK;
}

hv_status hv_store_open(const char *path, bool create, hv_store **out,
                        hv_error *err) {
  return open_at(path, create, HV_STORE_SCHEMA, out, err);
}

hv_status hv_store_open_version(const char *path, int version, hv_store **out,
                                hv_error *err) {
  if (version < 1 || version > HV_STORE_SCHEMA)
    return hv_error_set(err, HV_E_RANGE, (hv_where){0}, "no schema version %d",
                        version);
  return open_at(path, true, version, out, err);
}

void hv_store_close(hv_store *st) {
  if (st == NULL) return;
  if (st->in_tx) hv_store_rollback(st);
  sqlite3_close(st->db);
  free(st);
}

int hv_store_version(const hv_store *st) {
  return st->version;
}
const char *hv_store_path(const hv_store *st) {
  return st->path;
}

hv_status hv_store_begin(hv_store *st, hv_error *err) {
  if (st->in_tx)
    return hv_error_set(err, HV_E_RANGE, (hv_where){.source = st->path},
                        "a transaction is already open");
  hv_status rc = hv__store_exec(st, "BEGIN IMMEDIATE", err);
  st->in_tx = rc == HV_OK;
  return rc;
}

hv_status hv_store_commit(hv_store *st, hv_error *err) {
  hv_status rc = hv__store_exec(st, "COMMIT", err);
  if (rc != HV_OK) hv_store_rollback(st);
  st->in_tx = false;
  return rc;
}

void hv_store_rollback(hv_store *st) {
  sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  st->in_tx = false;
}

/* ---- households and staff ------------------------------------------- */

static const char *const status_names[] = {"active", "declined", "moved"};

const char *hv_store_status_name(hv_store_status s) {
  return (unsigned)s < 3 ? status_names[s] : "active";
}

hv_status hv_store_put_household(hv_store *st, const hv_store_household *h,
                                 const char *today, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO household (id, guardian, address, lat, lon, language, "
      "phone, availability, notes, visit_type, preferred_staff, priority, "
      "first_seen, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, ?13, ?13) ON CONFLICT (id) DO UPDATE SET "
      "guardian = excluded.guardian, address = excluded.address, "
      "lat = excluded.lat, lon = excluded.lon, language = excluded.language, "
      "phone = excluded.phone, availability = excluded.availability, "
      "notes = excluded.notes, visit_type = excluded.visit_type, "
      "preferred_staff = excluded.preferred_staff, "
      "priority = excluded.priority, updated = excluded.updated",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, h->id);
  hv__store_text(q, 2, h->guardian);
  hv__store_text(q, 3, h->address);
  if (h->has_coords) {
    sqlite3_bind_double(q, 4, h->lat);
    sqlite3_bind_double(q, 5, h->lon);
  }
  hv__store_text(q, 6, h->language && h->language[0] ? h->language : "en");
  hv__store_text(q, 7, h->phone);
  hv__store_text(q, 8, h->availability);
  hv__store_text(q, 9, h->notes);
  hv__store_text(
      q, 10, h->visit_type && h->visit_type[0] ? h->visit_type : "attendance");
  hv__store_text(q, 11, h->preferred_staff);
  sqlite3_bind_int(q, 12, h->priority);
  hv__store_text(q, 13, today);
  hv_status rc = run(st, q, "storing a household", err);
  if (rc != HV_OK) return rc;
  /* The students, as listed now. */
  q = hv__store_prepare(st, "DELETE FROM student WHERE household_id = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, h->id);
  rc = run(st, q, "storing students", err);
  const char *p = h->students ? h->students : "";
  while (rc == HV_OK && *p) {
    const char *e = strchr(p, ';');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    while (n > 0 && (*p == ' '))
      p++, n--;
    while (n > 0 && p[n - 1] == ' ')
      n--;
    if (n > 0) {
      q = hv__store_prepare(st,
                            "INSERT OR IGNORE INTO student (household_id, "
                            "name) VALUES (?1, ?2)",
                            err);
      if (q == NULL) return HV_E_STORE;
      hv__store_text(q, 1, h->id);
      sqlite3_bind_text(q, 2, p, (int)n, SQLITE_TRANSIENT);
      rc = run(st, q, "storing students", err);
    }
    p = e ? e + 1 : p + strlen(p);
  }
  return rc;
}

hv_status hv_store_set_status(hv_store *st, const char *household,
                              hv_store_status status, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "UPDATE household SET status = ?2 WHERE id = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  hv__store_text(q, 2, hv_store_status_name(status));
  return run(st, q, "changing a household's status", err);
}

hv_status hv_store_refresh_status(hv_store *st, const char *household,
                                  hv_store_status *now, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "UPDATE household SET status = coalesce((SELECT CASE outcome "
      "WHEN 'declined' THEN 'declined' WHEN 'moved' THEN 'moved' "
      "ELSE 'active' END FROM outcome WHERE household_id = ?1 "
      "ORDER BY date DESC, id DESC LIMIT 1), 'active') WHERE id = ?1",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  hv_status rc = run(st, q, "updating a household's status", err);
  if (rc != HV_OK || now == NULL) return rc;
  bool found;
  return hv_store_get_status(st, household, now, &found, err);
}

hv_status hv_store_get_status(hv_store *st, const char *household,
                              hv_store_status *status, bool *found,
                              hv_error *err) {
  *found = false;
  *status = HV_HH_ACTIVE;
  sqlite3_stmt *q =
      hv__store_prepare(st, "SELECT status FROM household WHERE id = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *found = true;
    for (int i = 0; i < 3; i++)
      if (strcmp(col(q, 0), status_names[i]) == 0) *status = i;
  }
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a household", err);
}

hv_status hv_store_get_household(hv_store *st, const char *household,
                                 hv_store_details *out, bool *found,
                                 hv_error *err) {
  *found = false;
  memset(out, 0, sizeof *out);
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT guardian, address, language, phone, availability, notes, lat, "
      "lon, priority, (SELECT group_concat(name, '; ') FROM student WHERE "
      "household_id = h.id) FROM household h WHERE id = ?1",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *found = true;
    hv__store_col(q, 0, out->guardian, sizeof out->guardian);
    hv__store_col(q, 1, out->address, sizeof out->address);
    hv__store_col(q, 2, out->language, sizeof out->language);
    hv__store_col(q, 3, out->phone, sizeof out->phone);
    hv__store_col(q, 4, out->availability, sizeof out->availability);
    hv__store_col(q, 5, out->notes, sizeof out->notes);
    out->has_coords = sqlite3_column_type(q, 6) != SQLITE_NULL;
    out->lat = sqlite3_column_double(q, 6);
    out->lon = sqlite3_column_double(q, 7);
    out->priority = sqlite3_column_int(q, 8);
    hv__store_col(q, 9, out->students, sizeof out->students);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a household", err);
}

hv_status hv_store_put_staff(hv_store *st, const hv_store_staff *s,
                             hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO staff (id, name, languages, phone, availability, "
      "max_visits_per_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
      "languages = excluded.languages, phone = excluded.phone, "
      "availability = excluded.availability, "
      "max_visits_per_day = excluded.max_visits_per_day",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, s->id);
  hv__store_text(q, 2, s->name);
  hv__store_text(q, 3, s->languages);
  hv__store_text(q, 4, s->phone);
  hv__store_text(q, 5, s->availability);
  sqlite3_bind_int(q, 6, s->max_visits_per_day);
  return run(st, q, "storing a staff member", err);
}

/* ---- weeks and visits ----------------------------------------------- */

hv_status hv_store_replan_week(hv_store *st, const char *week_of,
                               const char *plan_path, const char *now,
                               size_t *kept_out, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO week (week_of, plan_path, planned_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (week_of) DO UPDATE SET plan_path = excluded.plan_path, "
      "planned_at = excluded.planned_at",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, week_of);
  hv__store_text(q, 2, plan_path);
  hv__store_text(q, 3, now);
  hv_status rc = run(st, q, "storing the week", err);
  if (rc != HV_OK) return rc;
  q = hv__store_prepare(st,
                        "DELETE FROM visit WHERE week_of = ?1 AND id NOT IN "
                        "(SELECT visit_id FROM outcome)",
                        err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, week_of);
  rc = run(st, q, "replacing the week's planned visits", err);
  if (rc != HV_OK || kept_out == NULL) return rc;
  q = hv__store_prepare(st, "SELECT count(*) FROM visit WHERE week_of = ?1",
                        err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, week_of);
  *kept_out =
      sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
  sqlite3_finalize(q);
  return HV_OK;
}

hv_status hv_store_add_visit(hv_store *st, const hv_store_visit *v, bool *added,
                             hv_error *err) {
  *added = false;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO visit (week_of, household_id, date, pair, staff_a, "
      "staff_b, start, end, visit_type, mode, attempt) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (household_id, week_of) DO NOTHING",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, v->week_of);
  hv__store_text(q, 2, v->household);
  hv__store_text(q, 3, v->date);
  hv__store_text(q, 4, v->pair);
  hv__store_text(q, 5, v->staff_a);
  hv__store_text(q, 6, v->staff_b);
  hv__store_text(q, 7, v->start);
  hv__store_text(q, 8, v->end);
  hv__store_text(
      q, 9, v->visit_type && v->visit_type[0] ? v->visit_type : "attendance");
  hv__store_text(q, 10, v->mode && v->mode[0] ? v->mode : "home");
  sqlite3_bind_int(q, 11, v->attempt > 0 ? v->attempt : 1);
  hv_status rc = run(st, q, "storing a planned visit", err);
  if (rc == HV_OK) *added = sqlite3_changes(st->db) > 0;
  return rc;
}

hv_status hv_store_find_visit(hv_store *st, const char *week_of,
                              const char *household, hv_store_planned *out,
                              bool *found, hv_error *err) {
  *found = false;
  memset(out, 0, sizeof *out);
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT id, date, pair, staff_a, staff_b, start, attempt FROM visit "
      "WHERE week_of = ?1 AND household_id = ?2",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, week_of);
  hv__store_text(q, 2, household);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *found = true;
    out->id = sqlite3_column_int64(q, 0);
    hv__store_col(q, 1, out->date, sizeof out->date);
    hv__store_col(q, 2, out->pair, sizeof out->pair);
    hv__store_col(q, 3, out->staff_a, sizeof out->staff_a);
    hv__store_col(q, 4, out->staff_b, sizeof out->staff_b);
    hv__store_col(q, 5, out->start, sizeof out->start);
    out->attempt = sqlite3_column_int(q, 6);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a planned visit", err);
}

hv_status hv_store_has_week(hv_store *st, const char *week_of, bool *found,
                            hv_error *err) {
  sqlite3_stmt *q =
      hv__store_prepare(st, "SELECT 1 FROM week WHERE week_of = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, week_of);
  int rc = sqlite3_step(q);
  *found = rc == SQLITE_ROW;
  sqlite3_finalize(q);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading the weeks", err);
}

/* ---- outcomes and contacts ------------------------------------------ */

static bool same_text(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

hv_status hv_store_put_outcome(hv_store *st, const hv_store_outcome *o,
                               const char *now, hv_store_change *change,
                               hv_error *err) {
  *change = HV_STORE_SAME;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT id, outcome, barriers, referrals, next_step, "
      "coalesce(follow_up_date, ''), notes, staff, visit_id FROM outcome "
      "WHERE household_id = ?1 AND date = ?2",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, o->household);
  hv__store_text(q, 2, o->date);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqlite3_finalize(q);
    return hv__store_fail(st, "reading an outcome", err);
  }
  long long id = 0;
  if (rc == SQLITE_ROW) {
    id = sqlite3_column_int64(q, 0);
    bool same =
        same_text(col(q, 1), o->outcome) && same_text(col(q, 2), o->barriers) &&
        same_text(col(q, 3), o->referrals) &&
        same_text(col(q, 4), o->next_step) &&
        same_text(col(q, 5), o->follow_up_date) &&
        same_text(col(q, 6), o->notes) && same_text(col(q, 7), o->staff) &&
        sqlite3_column_int64(q, 8) == o->visit_id;
    sqlite3_finalize(q);
    if (same) return HV_OK;
    /* A correction: keep the earlier version, then replace it. */
    q = hv__store_prepare(
        st,
        "INSERT INTO outcome_revision (outcome_id, outcome, barriers, "
        "referrals, next_step, follow_up_date, notes, staff, source, "
        "recorded_at, replaced_at) SELECT id, outcome, barriers, referrals, "
        "next_step, follow_up_date, notes, staff, source, recorded_at, ?2 "
        "FROM outcome WHERE id = ?1",
        err);
    if (q == NULL) return HV_E_STORE;
    sqlite3_bind_int64(q, 1, id);
    hv__store_text(q, 2, now);
    hv_status s = run(st, q, "keeping the earlier outcome", err);
    if (s != HV_OK) return s;
    q = hv__store_prepare(
        st,
        "UPDATE outcome SET visit_id = ?2, outcome = ?3, barriers = ?4, "
        "referrals = ?5, next_step = ?6, follow_up_date = ?7, notes = ?8, "
        "staff = ?9, source = ?10, recorded_at = ?11, "
        "revisions = revisions + 1 WHERE id = ?1",
        err);
    if (q == NULL) return HV_E_STORE;
    sqlite3_bind_int64(q, 1, id);
    *change = HV_STORE_CORRECTED;
  } else {
    sqlite3_finalize(q);
    q = hv__store_prepare(
        st,
        "INSERT INTO outcome (household_id, date, visit_id, outcome, "
        "barriers, referrals, next_step, follow_up_date, notes, staff, "
        "source, recorded_at) VALUES (?12, ?13, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11)",
        err);
    if (q == NULL) return HV_E_STORE;
    hv__store_text(q, 12, o->household);
    hv__store_text(q, 13, o->date);
    *change = HV_STORE_NEW;
  }
  sqlite3_bind_int64(q, 2, o->visit_id);
  hv__store_text(q, 3, o->outcome);
  hv__store_text(q, 4, o->barriers);
  hv__store_text(q, 5, o->referrals);
  hv__store_text(q, 6, o->next_step);
  hv__store_text_or_null(q, 7, o->follow_up_date);
  hv__store_text(q, 8, o->notes);
  hv__store_text(q, 9, o->staff);
  hv__store_text(q, 10, o->source);
  hv__store_text(q, 11, now);
  return run(st, q, "storing an outcome", err);
}

hv_status hv_store_put_contact(hv_store *st, const hv_store_contact *c,
                               const char *now, hv_store_change *change,
                               hv_error *err) {
  *change = HV_STORE_SAME;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT id, result, notes FROM contact WHERE household_id = ?1 AND "
      "date = ?2 AND kind = ?3 AND staff = ?4",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, c->household);
  hv__store_text(q, 2, c->date);
  hv__store_text(q, 3, c->kind);
  hv__store_text(q, 4, c->staff);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqlite3_finalize(q);
    return hv__store_fail(st, "reading a contact attempt", err);
  }
  if (rc == SQLITE_ROW) {
    long long id = sqlite3_column_int64(q, 0);
    bool same =
        same_text(col(q, 1), c->result) && same_text(col(q, 2), c->notes);
    sqlite3_finalize(q);
    if (same) return HV_OK;
    q = hv__store_prepare(st,
                          "UPDATE contact SET result = ?2, notes = ?3, "
                          "source = ?4, recorded_at = ?5, "
                          "revisions = revisions + 1 WHERE id = ?1",
                          err);
    if (q == NULL) return HV_E_STORE;
    sqlite3_bind_int64(q, 1, id);
    hv__store_text(q, 2, c->result);
    hv__store_text(q, 3, c->notes);
    hv__store_text(q, 4, c->source);
    hv__store_text(q, 5, now);
    *change = HV_STORE_CORRECTED;
    return run(st, q, "correcting a contact attempt", err);
  }
  sqlite3_finalize(q);
  q = hv__store_prepare(st,
                        "INSERT INTO contact (household_id, date, kind, "
                        "result, staff, notes, source, recorded_at) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, c->household);
  hv__store_text(q, 2, c->date);
  hv__store_text(q, 3, c->kind);
  hv__store_text(q, 4, c->result);
  hv__store_text(q, 5, c->staff);
  hv__store_text(q, 6, c->notes);
  hv__store_text(q, 7, c->source);
  hv__store_text(q, 8, now);
  *change = HV_STORE_NEW;
  return run(st, q, "storing a contact attempt", err);
}

hv_status hv_store_put_attendance(hv_store *st, const hv_store_attendance *a,
                                  const char *now, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO attendance (student_id, household_id, name, grade, as_of, "
      "enrolled_days, absent_days, source, imported_at) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (student_id, as_of) DO UPDATE SET "
      "household_id = excluded.household_id, name = excluded.name, "
      "grade = excluded.grade, enrolled_days = excluded.enrolled_days, "
      "absent_days = excluded.absent_days, source = excluded.source, "
      "imported_at = excluded.imported_at",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, a->student);
  hv__store_text(q, 2, a->household);
  hv__store_text(q, 3, a->name);
  hv__store_text(q, 4, a->grade);
  hv__store_text(q, 5, a->as_of);
  sqlite3_bind_double(q, 6, a->enrolled);
  sqlite3_bind_double(q, 7, a->absent);
  hv__store_text(q, 8, a->source);
  hv__store_text(q, 9, now);
  return run(st, q, "storing attendance", err);
}

hv_status hv_store_contacts(hv_store *st,
                            void (*fn)(const char *household,
                                       const char *result, void *ud),
                            void *ud, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "SELECT household_id, result FROM contact ORDER BY id", err);
  if (q == NULL) return HV_E_STORE;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    fn(col(q, 0), col(q, 1), ud);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading contact attempts", err);
}

hv_status hv_store_add_office_task(hv_store *st, const char *household,
                                   const char *week_of, const char *reason,
                                   const char *text, const char *now,
                                   hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO office_task (household_id, week_of, reason, text, "
      "created_at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM "
      "office_task WHERE household_id = ?1 AND reason = ?3 AND done_at IS "
      "NULL)",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  hv__store_text(q, 2, week_of);
  hv__store_text(q, 3, reason);
  hv__store_text(q, 4, text);
  hv__store_text(q, 5, now);
  return run(st, q, "storing an office task", err);
}

/* ---- standings ------------------------------------------------------ */

hv_status hv_store_standings(hv_store *st, hv_store_standing **out, size_t *n,
                             hv_error *err) {
  *out = NULL;
  *n = 0;
  /* Per household: its status, visits made, not-home visits since the
   * last meeting, the last visit with an outcome, and the latest agreed
   * follow-up date (done when a later visit has an outcome). */
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "WITH last AS ("
      "  SELECT o.household_id, o.date, v.start, o.outcome, v.pair, "
      "         v.staff_a, v.staff_b, o.next_step, "
      "         row_number() OVER (PARTITION BY o.household_id "
      "                            ORDER BY o.date DESC, o.id DESC) AS k "
      "  FROM outcome o JOIN visit v ON v.id = o.visit_id), "
      "met AS (SELECT household_id, max(date) AS date FROM outcome "
      "        WHERE outcome = 'met' GROUP BY household_id), "
      "fu AS (SELECT household_id, follow_up_date AS date, "
      "         row_number() OVER (PARTITION BY household_id "
      "                            ORDER BY date DESC, id DESC) AS k "
      "       FROM outcome WHERE follow_up_date IS NOT NULL) "
      "SELECT h.id, h.status, "
      " (SELECT count(*) FROM outcome o WHERE o.household_id = h.id), "
      " (SELECT count(*) FROM outcome o WHERE o.household_id = h.id AND "
      "   o.outcome = 'not_home' AND o.date > coalesce(met.date, '')), "
      " coalesce(l.date, ''), coalesce(l.start, ''), coalesce(l.outcome, ''), "
      " coalesce(l.pair, ''), coalesce(l.staff_a, ''), "
      " coalesce(l.staff_b, ''), coalesce(l.next_step, ''), "
      " coalesce(fu.date, ''), "
      " EXISTS (SELECT 1 FROM outcome o WHERE o.household_id = h.id AND "
      "   fu.date IS NOT NULL AND o.date >= fu.date) "
      "FROM household h "
      "LEFT JOIN last l ON l.household_id = h.id AND l.k = 1 "
      "LEFT JOIN met ON met.household_id = h.id "
      "LEFT JOIN fu ON fu.household_id = h.id AND fu.k = 1 "
      "ORDER BY h.id",
      err);
  if (q == NULL) return HV_E_STORE;
  size_t cap = 64;
  hv_store_standing *a = malloc(cap * sizeof *a);
  int rc;
  while (a && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (*n == cap) {
      hv_store_standing *g = realloc(a, (cap *= 2) * sizeof *a);
      if (g == NULL) {
        free(a);
        a = NULL;
        break;
      }
      a = g;
    }
    hv_store_standing *s = &a[(*n)++];
    memset(s, 0, sizeof *s);
    hv__store_col(q, 0, s->id, sizeof s->id);
    for (int i = 0; i < 3; i++)
      if (strcmp(col(q, 1), status_names[i]) == 0) s->status = i;
    s->visits = sqlite3_column_int(q, 2);
    s->not_home = sqlite3_column_int(q, 3);
    hv__store_col(q, 4, s->last_date, sizeof s->last_date);
    hv__store_col(q, 5, s->last_start, sizeof s->last_start);
    hv__store_col(q, 6, s->last_outcome, sizeof s->last_outcome);
    hv__store_col(q, 7, s->last_pair, sizeof s->last_pair);
    hv__store_col(q, 8, s->last_staff_a, sizeof s->last_staff_a);
    hv__store_col(q, 9, s->last_staff_b, sizeof s->last_staff_b);
    hv__store_col(q, 10, s->next_step, sizeof s->next_step);
    hv__store_col(q, 11, s->follow_up, sizeof s->follow_up);
    s->follow_up_done = sqlite3_column_int(q, 12) != 0;
  }
  sqlite3_finalize(q);
  if (a == NULL) {
    *n = 0;
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  if (rc != SQLITE_DONE) {
    free(a);
    *n = 0;
    return hv__store_fail(st, "reading the households' history", err);
  }
  *out = a;
  return HV_OK;
}

/* ---- summary -------------------------------------------------------- */

static long count_of(hv_store *st, const char *sql, const char *from,
                     const char *to, hv_status *rc, hv_error *err) {
  if (*rc != HV_OK) return 0;
  sqlite3_stmt *q = hv__store_prepare(st, sql, err);
  if (q == NULL) {
    *rc = HV_E_STORE;
    return 0;
  }
  hv__store_text(q, 1, from);
  hv__store_text(q, 2, to);
  long n = 0;
  if (sqlite3_step(q) == SQLITE_ROW)
    n = (long)sqlite3_column_int64(q, 0);
  else
    *rc = hv__store_fail(st, "summarising", err);
  sqlite3_finalize(q);
  return n;
}

static void tally_add(hv_store_tally *t, size_t *n, const char *name,
                      size_t len, long k) {
  for (size_t i = 0; i < *n; i++)
    if (strlen(t[i].name) == len && strncmp(t[i].name, name, len) == 0) {
      t[i].n += k;
      return;
    }
  if (*n < HV_STORE_TALLIES) {
    snprintf(t[*n].name, sizeof t[*n].name, "%.*s", (int)len, name);
    t[(*n)++].n = k;
  }
}

/* Most first, then by name (insertion sort: at most 16). */
static void tally_sort(hv_store_tally *t, size_t n) {
  for (size_t i = 1; i < n; i++) {
    hv_store_tally x = t[i];
    size_t k = i;
    while (k > 0 && (t[k - 1].n < x.n || (t[k - 1].n == x.n &&
                                          strcmp(t[k - 1].name, x.name) > 0))) {
      t[k] = t[k - 1];
      k--;
    }
    t[k] = x;
  }
}

static hv_status tally_query(hv_store *st, const char *sql, const char *from,
                             const char *to, bool split, hv_store_tally *t,
                             size_t *n, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(st, sql, err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, from);
  hv__store_text(q, 2, to);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *v = col(q, 0);
    long k = (long)sqlite3_column_int64(q, 1);
    while (split && *v) {
      const char *e = strchr(v, ';');
      size_t len = e ? (size_t)(e - v) : strlen(v);
      if (len) tally_add(t, n, v, len, k);
      v = e ? e + 1 : v + len;
    }
    if (!split) tally_add(t, n, v, strlen(v), k);
  }
  sqlite3_finalize(q);
  tally_sort(t, *n);
  return rc == SQLITE_DONE ? HV_OK : hv__store_fail(st, "summarising", err);
}

hv_status hv_store_attendance_change(hv_store *st, const char *from,
                                     const char *to, double threshold,
                                     hv_store_att_change *out, hv_error *err) {
  memset(out, 0, sizeof *out);
  hv_status rc = HV_OK;
  /* (count_of binds from and to; a query without parameters ignores
   * them.) */
  out->imports =
      count_of(st, "SELECT count(*) FROM attendance", from, to, &rc, err);
  out->families =
      count_of(st,
               "SELECT count(*) FROM (SELECT household_id FROM outcome GROUP "
               "BY household_id HAVING min(date) BETWEEN ?1 AND ?2)",
               from, to, &rc, err);
  if (rc != HV_OK) return rc;
  /* Per student: the first visit, the import before it, the last import
   * after it (cumulative term-to-date counts, so the period after is the
   * difference). */
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "WITH first AS ("
      "  SELECT household_id AS h, min(date) AS d,"
      "    max(CASE WHEN outcome = 'met' AND date <= ?2 THEN 1 ELSE 0 END)"
      "      AS met"
      "  FROM outcome GROUP BY household_id"
      "  HAVING min(date) BETWEEN ?1 AND ?2),"
      " b AS ("
      "  SELECT a.student_id AS s, f.met AS met, f.d AS d,"
      "    a.absent_days AS ab, a.enrolled_days AS eb, a.as_of AS ob"
      "  FROM attendance a JOIN first f ON f.h = a.household_id"
      "  WHERE a.as_of = (SELECT max(x.as_of) FROM attendance x"
      "    WHERE x.student_id = a.student_id AND x.as_of <= f.d))"
      " SELECT b.met, b.ab, b.eb, c.absent_days, c.enrolled_days"
      " FROM b JOIN attendance c ON c.student_id = b.s"
      " AND c.as_of = (SELECT max(y.as_of) FROM attendance y"
      "   WHERE y.student_id = b.s AND y.as_of > b.d AND y.as_of <= ?2)"
      " ORDER BY b.s",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, from);
  hv__store_text(q, 2, to);
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    double ab = sqlite3_column_double(q, 1), eb = sqlite3_column_double(q, 2);
    double ac = sqlite3_column_double(q, 3), ec = sqlite3_column_double(q, 4);
    /* A later import of a new term restarts its counts: not comparable. */
    if (ec <= eb || ac < ab || eb <= 0) continue;
    hv_store_att_group *g =
        sqlite3_column_int(q, 0) ? &out->met : &out->not_met;
    double before = ab / eb, after = (ac - ab) / (ec - eb);
    g->students++;
    g->before_absent += ab;
    g->before_enrolled += eb;
    g->after_absent += ac - ab;
    g->after_enrolled += ec - eb;
    g->improved += after < before;
    g->chronic_before += before >= threshold;
    g->chronic_after += after >= threshold;
  }
  if (step != SQLITE_DONE)
    rc = hv__store_fail(st, "summarising attendance", err);
  sqlite3_finalize(q);
  return rc;
}

hv_status hv_store_summarise(hv_store *st, const char *from, const char *to,
                             hv_store_summary *out, hv_error *err) {
  memset(out, 0, sizeof *out);
  hv_status rc = HV_OK;
  out->planned =
      count_of(st, "SELECT count(*) FROM visit WHERE date BETWEEN ?1 AND ?2",
               from, to, &rc, err);
  out->attempted =
      count_of(st, "SELECT count(*) FROM outcome WHERE date BETWEEN ?1 AND ?2",
               from, to, &rc, err);
  out->households_attempted =
      count_of(st,
               "SELECT count(DISTINCT household_id) FROM outcome WHERE date "
               "BETWEEN ?1 AND ?2",
               from, to, &rc, err);
  out->households_met =
      count_of(st,
               "SELECT count(DISTINCT household_id) FROM outcome WHERE date "
               "BETWEEN ?1 AND ?2 AND outcome = 'met'",
               from, to, &rc, err);
  out->referrals = count_of(st,
                            "SELECT count(*) FROM outcome WHERE date BETWEEN "
                            "?1 AND ?2 AND referrals <> ''",
                            from, to, &rc, err);
  out->follow_ups_agreed =
      count_of(st,
               "SELECT count(*) FROM outcome WHERE date BETWEEN ?1 AND ?2 AND "
               "follow_up_date IS NOT NULL",
               from, to, &rc, err);
  out->follow_ups_kept = count_of(
      st,
      "SELECT count(*) FROM outcome o WHERE o.date BETWEEN ?1 AND ?2 AND "
      "o.follow_up_date IS NOT NULL AND EXISTS (SELECT 1 FROM outcome m "
      "WHERE m.household_id = o.household_id AND m.outcome = 'met' AND "
      "m.date >= o.follow_up_date AND m.date <= date(o.follow_up_date, "
      "'+7 days'))",
      from, to, &rc, err);
  if (rc == HV_OK)
    rc = tally_query(st,
                     "SELECT outcome, count(*) FROM outcome WHERE date BETWEEN "
                     "?1 AND ?2 GROUP BY outcome",
                     from, to, false, out->outcomes, &out->noutcomes, err);
  if (rc == HV_OK)
    rc = tally_query(st,
                     "SELECT barriers, count(*) FROM outcome WHERE date "
                     "BETWEEN ?1 AND ?2 AND barriers <> '' GROUP BY barriers",
                     from, to, true, out->barriers, &out->nbarriers, err);
  if (rc == HV_OK)
    rc = tally_query(st,
                     "SELECT kind, count(*) FROM contact WHERE date BETWEEN "
                     "?1 AND ?2 GROUP BY kind",
                     from, to, false, out->contacts, &out->ncontacts, err);
  return rc;
}

/* ---- history -------------------------------------------------------- */

/* "Ana Ruiz (S01) + Dung Tran (S05)": names from the staff table. */
#define STAFF_NAME(col)                                                   \
  "coalesce((SELECT name || ' (' || id || ')' FROM staff WHERE id = " col \
  "), " col ")"
#define STAFF_PAIR \
  STAFF_NAME("v.staff_a") " || ' + ' || " STAFF_NAME("v.staff_b")

hv_status hv_store_history(hv_store *st, const char *household,
                           void (*fn)(const hv_store_event *e, void *ud),
                           void *ud, bool *found, hv_error *err) {
  hv_store_status status;
  hv_status s = hv_store_get_status(st, household, &status, found, err);
  if (s != HV_OK || !*found) return s;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT v.date, 'planned', '', " STAFF_PAIR
      ", v.pair, "
      "  v.start, '', '', '', '', '', v.attempt, 0, 0 "
      "FROM visit v WHERE v.household_id = ?1 AND NOT EXISTS "
      "  (SELECT 1 FROM outcome o WHERE o.visit_id = v.id) "
      "UNION ALL "
      "SELECT o.date, 'visit', o.outcome, "
      "  CASE WHEN o.staff <> '' THEN o.staff "
      "       ELSE " STAFF_PAIR
      " END, v.pair, v.start, "
      "  o.barriers, o.referrals, o.next_step, "
      "  coalesce(o.follow_up_date, ''), o.notes, v.attempt, o.revisions, 1 "
      "FROM outcome o JOIN visit v ON v.id = o.visit_id "
      "WHERE o.household_id = ?1 "
      "UNION ALL "
      "SELECT c.date, c.kind, c.result, c.staff, '', '', '', '', '', '', "
      "  c.notes, 0, c.revisions, 2 FROM contact c WHERE c.household_id = ?1 "
      "UNION ALL "
      "SELECT substr(t.created_at, 1, 10), 'office', t.reason, '', '', '', "
      "  '', '', '', '', t.text, 0, 0, 3 "
      "FROM office_task t WHERE t.household_id = ?1 "
      "ORDER BY 1, 6, 14",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, household);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    hv_store_event e = {.date = col(q, 0),
                        .kind = col(q, 1),
                        .result = col(q, 2),
                        .staff = col(q, 3),
                        .pair = col(q, 4),
                        .time = col(q, 5),
                        .barriers = col(q, 6),
                        .referrals = col(q, 7),
                        .next_step = col(q, 8),
                        .follow_up_date = col(q, 9),
                        .notes = col(q, 10),
                        .attempt = sqlite3_column_int(q, 11),
                        .revisions = sqlite3_column_int(q, 12)};
    fn(&e, ud);
  }
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? HV_OK
                           : hv__store_fail(st, "reading the history", err);
}

/* ---- accounts and the audit trail ---------------------------------- */

hv_status hv_store_put_user(hv_store *st, const hv_store_user *u,
                            const char *now, bool *replaced, hv_error *err) {
  bool found;
  hv_store_user old;
  hv_status rc = hv_store_get_user(st, u->login, &old, &found, err);
  if (rc != HV_OK) return rc;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      found ? "UPDATE app_user SET role = ?2, staff_id = ?3, password_hash = "
              "?4, failed_logins = 0, locked_until = '' WHERE login = ?1"
            : "INSERT INTO app_user (login, role, staff_id, password_hash, "
              "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, u->login);
  hv__store_text(q, 2, u->role);
  hv__store_text(q, 3, u->staff);
  hv__store_text(q, 4, u->hash);
  if (!found) hv__store_text(q, 5, now);
  if (replaced) *replaced = found;
  return run(st, q, "storing a user", err);
}

/* The columns USER_COLUMNS of the current row of q. */
#define USER_COLUMNS \
  "login, role, staff_id, password_hash, failed_logins, locked_until"
static void user_row(sqlite3_stmt *q, hv_store_user *out) {
  hv__store_col(q, 0, out->login, sizeof out->login);
  hv__store_col(q, 1, out->role, sizeof out->role);
  hv__store_col(q, 2, out->staff, sizeof out->staff);
  hv__store_col(q, 3, out->hash, sizeof out->hash);
  out->failed_logins = sqlite3_column_int(q, 4);
  hv__store_col(q, 5, out->locked_until, sizeof out->locked_until);
}

hv_status hv_store_get_user(hv_store *st, const char *login, hv_store_user *out,
                            bool *found, hv_error *err) {
  memset(out, 0, sizeof *out);
  *found = false;
  sqlite3_stmt *q = hv__store_prepare(
      st, "SELECT " USER_COLUMNS " FROM app_user WHERE login = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, login);
  int step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    *found = true;
    user_row(q, out);
  }
  sqlite3_finalize(q);
  return step == SQLITE_ROW || step == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a user", err);
}

hv_status hv_store_delete_user(hv_store *st, const char *login, bool *found,
                               hv_error *err) {
  sqlite3_stmt *q =
      hv__store_prepare(st, "DELETE FROM app_user WHERE login = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, login);
  hv_status rc = run(st, q, "removing a user", err);
  *found = rc == HV_OK && sqlite3_changes(st->db) > 0;
  if (rc != HV_OK) return rc;
  q = hv__store_prepare(st, "DELETE FROM app_session WHERE login = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, login);
  return run(st, q, "ending a user's sessions", err);
}

hv_status hv_store_users_each(hv_store *st,
                              void (*fn)(const hv_store_user *u, void *ud),
                              void *ud, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "SELECT " USER_COLUMNS " FROM app_user ORDER BY login", err);
  if (q == NULL) return HV_E_STORE;
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    hv_store_user u = {0};
    user_row(q, &u);
    fn(&u, ud);
  }
  sqlite3_finalize(q);
  return step == SQLITE_DONE ? HV_OK
                             : hv__store_fail(st, "reading the users", err);
}

hv_status hv_store_set_login_state(hv_store *st, const char *login, int failed,
                                   const char *locked_until, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "UPDATE app_user SET failed_logins = ?2, locked_until = ?3 WHERE "
      "login = ?1",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, login);
  sqlite3_bind_int(q, 2, failed);
  hv__store_text(q, 3, locked_until);
  return run(st, q, "updating a login", err);
}

hv_status hv_store_put_session(hv_store *st, const hv_store_session *s,
                               long long before, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "DELETE FROM app_session WHERE last_seen < ?1", err);
  if (q == NULL) return HV_E_STORE;
  sqlite3_bind_int64(q, 1, before);
  hv_status rc = run(st, q, "removing old sessions", err);
  if (rc != HV_OK) return rc;
  q = hv__store_prepare(st,
                        "INSERT INTO app_session (digest, login, stamp, "
                        "csrf, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)",
                        err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, s->digest);
  hv__store_text(q, 2, s->login);
  hv__store_text(q, 3, s->stamp);
  hv__store_text(q, 4, s->csrf);
  sqlite3_bind_int64(q, 5, s->last_seen);
  return run(st, q, "storing a session", err);
}

hv_status hv_store_get_session(hv_store *st, const char *digest,
                               hv_store_session *out, bool *found,
                               hv_error *err) {
  memset(out, 0, sizeof *out);
  *found = false;
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "SELECT digest, login, stamp, csrf, last_seen FROM app_session "
      "WHERE digest = ?1",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, digest);
  int step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    *found = true;
    hv__store_col(q, 0, out->digest, sizeof out->digest);
    hv__store_col(q, 1, out->login, sizeof out->login);
    hv__store_col(q, 2, out->stamp, sizeof out->stamp);
    hv__store_col(q, 3, out->csrf, sizeof out->csrf);
    out->last_seen = sqlite3_column_int64(q, 4);
  }
  sqlite3_finalize(q);
  return step == SQLITE_ROW || step == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a session", err);
}

hv_status hv_store_touch_session(hv_store *st, const char *digest,
                                 long long last_seen, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "UPDATE app_session SET last_seen = ?2 WHERE digest = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, digest);
  sqlite3_bind_int64(q, 2, last_seen);
  return run(st, q, "updating a session", err);
}

hv_status hv_store_delete_session(hv_store *st, const char *digest,
                                  hv_error *err) {
  sqlite3_stmt *q =
      hv__store_prepare(st, "DELETE FROM app_session WHERE digest = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, digest);
  return run(st, q, "ending a session", err);
}

hv_status hv_store_audit(hv_store *st, const char *now, const char *login,
                         const char *action, const char *detail,
                         hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st,
      "INSERT INTO audit (logged_at, login, action, detail) VALUES (?1, ?2, "
      "?3, ?4)",
      err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, now);
  hv__store_text(q, 2, login);
  hv__store_text(q, 3, action);
  hv__store_text(q, 4, detail);
  return run(st, q, "writing the audit trail", err);
}

hv_status hv_store_audit_each(hv_store *st,
                              void (*fn)(const hv_store_audit_row *r, void *ud),
                              void *ud, hv_error *err) {
  sqlite3_stmt *q = hv__store_prepare(
      st, "SELECT id, logged_at, login, action, detail FROM audit ORDER BY id",
      err);
  if (q == NULL) return HV_E_STORE;
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    hv_store_audit_row r = {sqlite3_column_int64(q, 0), col(q, 1), col(q, 2),
                            col(q, 3), col(q, 4)};
    fn(&r, ud);
  }
  sqlite3_finalize(q);
  return step == SQLITE_DONE ? HV_OK
                             : hv__store_fail(st, "reading the audit", err);
}

hv_status hv_store_staff_known(hv_store *st, const char *id, bool *known,
                               hv_error *err) {
  sqlite3_stmt *q =
      hv__store_prepare(st, "SELECT 1 FROM staff WHERE id = ?1", err);
  if (q == NULL) return HV_E_STORE;
  hv__store_text(q, 1, id);
  int step = sqlite3_step(q);
  *known = step == SQLITE_ROW;
  sqlite3_finalize(q);
  return step == SQLITE_ROW || step == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading staff", err);
}

hv_status hv_store_week_plan(hv_store *st, const char *week_of, char *week,
                             char *plan_path, size_t size, bool *found,
                             hv_error *err) {
  *found = false;
  week[0] = plan_path[0] = '\0';
  bool latest = week_of == NULL || week_of[0] == '\0';
  sqlite3_stmt *q = hv__store_prepare(
      st,
      latest ? "SELECT week_of, plan_path FROM week ORDER BY week_of DESC "
               "LIMIT 1"
             : "SELECT week_of, plan_path FROM week WHERE week_of = ?1",
      err);
  if (q == NULL) return HV_E_STORE;
  if (!latest) hv__store_text(q, 1, week_of);
  int step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    *found = true;
    hv__store_col(q, 0, week, 11);
    hv__store_col(q, 1, plan_path, size);
  }
  sqlite3_finalize(q);
  return step == SQLITE_ROW || step == SQLITE_DONE
             ? HV_OK
             : hv__store_fail(st, "reading a week", err);
}
