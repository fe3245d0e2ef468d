/* web/import.c -- uploading the program's lists from the dashboard:
 * households.csv, staff.csv, or an attendance export (flagged as `hvplan
 * flag` does).  Every upload is checked whole with the same readers as the
 * command line; the problems come back with their line, field and the
 * row's text so that the page shows them next to the rows they name, and
 * nothing is imported while any error remains.  A clean list replaces the
 * program's file atomically and is audited. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hv/attendance.h"
#include "hv/flag.h"
#include "hv/path.h"
#include "hv/scenario.h"
#include "web_int.h"

/* Two uploads of one list at once each write a temporary file of their
 * own; the last rename wins, whole. */
static bool write_file(const char *path, const char *data, size_t len) {
  hv_error err = {0};
  return hv_write_file_atomic(path, data, len, &err) == HV_OK;
}

/* The check's copy of one of the program's files: a hard link to the file
 * (a symbolic link followed; the check's folder is inside the program's,
 * so usually on its file system; a list replaced meanwhile keeps its old
 * contents here), else a copy in full.  A file the program does not have is
 * fine (the optional lists). */
static bool copy_file(const char *from, const char *to) {
  if (linkat(AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) == 0) return true;
  FILE *f = fopen(from, "rb");
  if (f == NULL) return errno == ENOENT;
  FILE *t = fopen(to, "wb");
  char buf[65536];
  size_t n;
  bool ok = t != NULL;
  while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
    ok = fwrite(buf, 1, n, t) == n;
  ok = ok && !ferror(f);
  fclose(f);
  if (t && fclose(t) != 0) ok = false;
  return ok;
}

/* The upload's lines (for the page to show next to the problems). */
static json_t *lines_of(const char *data, size_t len) {
  json_t *a = json_array();
  size_t i = 0;
  while (i < len && json_array_size(a) < 20000) {
    size_t e = i;
    while (e < len && data[e] != '\n')
      e++;
    size_t n = e > i && data[e - 1] == '\r' ? e - i - 1 : e - i;
    json_array_append_new(a, json_stringn_nocheck(data + i, n));
    i = e + 1;
  }
  return a;
}

static void lists(hv_server *sv, hv_request *q, hv_reply *r, const char *name) {
  const char *prog = sv->o->program_dir;
  char tmp[4200];
  if (!hv_path_join(tmp, sizeof tmp, prog, ".import-XXXXXX") ||
      mkdtemp(tmp) == NULL) {
    hv__reply_error(r, 500, NULL, "cannot make a folder to check the upload");
    return;
  }
  /* The program's other files, and the upload in its place. */
  static const char *const others[] = {"scenario.json", "households.csv",
                                       "staff.csv", "pairs.csv", "places.csv"};
  bool ok = true;
  for (size_t i = 0; i < sizeof others / sizeof others[0] && ok; i++) {
    if (strcmp(others[i], name) == 0) continue;
    char a[4300], b[4300];
    ok = hv_path_join(a, sizeof a, prog, others[i]) &&
         hv_path_join(b, sizeof b, tmp, others[i]) && copy_file(a, b);
  }
  char up[4300];
  ok = ok && hv_path_join(up, sizeof up, tmp, name) &&
       write_file(up, q->body, q->body_len);
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  if (ok && d) {
    hv_scenario_load(tmp, &s, d);
    if (s) hv_scenario_check(s, d);
  }
  hv_scenario_free(s);
  /* Clean up the check's folder. */
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    char b[4300];
    if (hv_path_join(b, sizeof b, tmp, others[i])) unlink(b);
  }
  rmdir(tmp);
  if (!ok || d == NULL) {
    hv_diags_free(d);
    hv__reply_error(r, 500, NULL, "cannot check the upload");
    return;
  }
  bool errors;
  json_t *problems = hv__problems_json(d, name, 0, &errors);
  hv_diags_free(d);
  json_t *out =
      json_pack("{s:b, s:s, s:o, s:o}", "imported", !errors, "file", name,
                "problems", problems, "lines", lines_of(q->body, q->body_len));
  if (!errors) {
    char dst[4300], now[32], detail[200];
    if (!hv_path_join(dst, sizeof dst, prog, name) ||
        !write_file(dst, q->body, q->body_len)) {
      json_decref(out);
      hv__reply_error(r, 500, NULL, "cannot write %s", name);
      return;
    }
    size_t rows = json_array_size(json_object_get(out, "lines"));
    snprintf(detail, sizeof detail, "%s: %zu lines", name, rows);
    hv_error err = {0};
    pthread_mutex_lock(&sv->db_lock);
    hv_store_audit(sv->db, hv_iso_time(time(NULL), now), q->session.user.login,
                   "list imported", detail, &err);
    pthread_mutex_unlock(&sv->db_lock);
  }
  hv__reply_json(r, errors ? 422 : 200, out);
}

static void attendance(hv_server *sv, hv_request *q, hv_reply *r) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  hv_attendance *att = NULL;
  hv_flag_result *res = NULL;
  hv_error err = {0};
  pthread_mutex_lock(&sv->db_lock);
  hv_status st =
      d ? hv_scenario_load_settings(sv->o->program_dir, &s, d) : HV_E_NOMEM;
  if (st == HV_OK)
    st = hv_attendance_parse(q->body, q->body_len, "attendance.csv",
                             hv_scenario_attendance(s), &att, d);
  if (st == HV_OK && hv_diags_errors(d) == 0)
    st = hv_flag_run(s, att, NULL, sv->db, &res, d, &err);
  bool errors = false;
  json_t *problems = hv__problems_json(d, "attendance.csv", 0, &errors);
  errors = errors || st != HV_OK;
  if (!errors) st = hv_flag_write(res, s, sv->db, "web upload", &err);
  if (!errors && st == HV_OK) {
    char now[32], detail[200];
    size_t added = 0, dropped = 0;
    for (size_t i = 0; i < res->nhouseholds; i++) {
      added += res->households[i].status == HV_FLAG_NEW;
      dropped += res->households[i].status == HV_FLAG_DROPPED;
    }
    snprintf(detail, sizeof detail,
             "attendance: %zu students flagged, %zu new households, %zu no "
             "longer flagged",
             res->flagged_students, added, dropped);
    hv_store_audit(sv->db, hv_iso_time(time(NULL), now), q->session.user.login,
                   "attendance imported", detail, &err);
    json_t *out =
        json_pack("{s:b, s:s, s:o, s:I, s:I, s:I, s:I}", "imported", 1, "file",
                  "attendance.csv", "problems", problems, "students_flagged",
                  (json_int_t)res->flagged_students, "households",
                  (json_int_t)res->nhouseholds, "new", (json_int_t)added,
                  "no_longer_flagged", (json_int_t)dropped);
    problems = NULL;
    hv__reply_json(r, 200, out);
  } else if (errors) {
    if (json_array_size(problems) == 0 && err.text[0])
      json_array_append_new(
          problems, hv__problem_json("attendance.csv", 0, "", true, err.text));
    hv__reply_json(r, 422,
                   json_pack("{s:b, s:s, s:o, s:o}", "imported", 0, "file",
                             "attendance.csv", "problems", problems, "lines",
                             lines_of(q->body, q->body_len)));
    problems = NULL;
  } else {
    hv__reply_error(r, 500, NULL, "the import failed: %s", err.text);
  }
  pthread_mutex_unlock(&sv->db_lock);
  json_decref(problems);
  hv_flag_free(res);
  hv_attendance_free(att);
  hv_scenario_free(s);
  hv_diags_free(d);
}

void hv__import(hv_server *sv, hv_request *q, hv_reply *r) {
  if (q->session.user.role != HV_ROLE_COORDINATOR) {
    hv__reply_error(r, 403, NULL, "importing is for coordinators");
    return;
  }
  const char *what = hv__arg(q, "file");
  if (what && strcmp(what, "households") == 0)
    lists(sv, q, r, "households.csv");
  else if (what && strcmp(what, "staff") == 0)
    lists(sv, q, r, "staff.csv");
  else if (what && strcmp(what, "attendance") == 0)
    attendance(sv, q, r);
  else
    hv__reply_error(r, 400, "file",
                    "say which list: ?file=households, staff or attendance");
}
