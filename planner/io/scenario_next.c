/* planner/io/scenario_next.c -- the next week's scenario folder: the
 * current scenario.json with a new week_of and the program folder, the
 * staff (and pairs) files as they are, and households.csv rebuilt from the
 * flagged list and the changes the history asks for. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "hv/nextweek.h"
#include "scenario_def.h"

static hv_status copy_file(const char *from, const char *to, bool optional,
                           hv_error *err) {
  char *data = NULL;
  size_t len = 0;
  FILE *probe = fopen(from, "rb");
  if (probe == NULL && optional) return HV_OK;
  if (probe) fclose(probe);
  hv_status st = hv__read_file(from, HV_CSV_MAX_BYTES, &data, &len, err);
  if (st == HV_OK) st = hv_write_file_atomic(to, data, len, err);
  free(data);
  return st;
}

static hv_status write_json(const hv_scenario *src, hv_date week_of,
                            const char *program_dir, const char *to,
                            hv_error *err) {
  char path[PATH_MAX];
  if (!hv_path_join(path, sizeof path, src->dir, "scenario.json"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = src->dir},
                        "path too long");
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  if (root == NULL || !json_is_object(root)) {
    json_decref(root);
    return hv_error_set(err, HV_E_PARSE, (hv_where){.source = path},
                        "cannot read it again: %s", je.text);
  }
  char date[HV_DATE_TEXT], full[PATH_MAX];
  json_object_set_new(root, "week_of",
                      json_string(hv_date_format(week_of, date)));
  const char *prog = realpath(program_dir, full) ? full : program_dir;
  json_object_set_new(root, "program", json_string(prog));
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (text == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t len = strlen(text);
  char *withnl = realloc(text, len + 2);
  if (withnl == NULL) {
    free(text);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  withnl[len] = '\n';
  hv_status st = hv_write_file_atomic(to, withnl, len + 1, err);
  free(withnl);
  return st;
}

/* The columns hvplan sets, in the order they are added when missing. */
enum {
  K_ID,
  K_STUDENT,
  K_GUARDIAN,
  K_PHONE,
  K_ADDRESS,
  K_LAT,
  K_LON,
  K_LANGUAGE,
  K_PRIORITY,
  K_AVAIL,
  K_TYPE,
  K_NOTES,
  K_PREFERRED,
  K_ATTEMPTS,
  K_LAST_VISIT,
  K_LAST_OUTCOME,
  K_NEXT_STEP,
  K_N
};
static const char *const names[K_N] = {
    "id",           "student",  "guardian",        "phone",    "address",
    "lat",          "lon",      "language",        "priority", "availability",
    "visit_type",   "notes",    "preferred_staff", "attempts", "last_visit",
    "last_outcome", "next_step"};
/* Other spellings the reader accepts for the same columns. */
static const char *const aliases[K_N][3] = {
    [K_ID] = {"household_id", "household"},
    [K_STUDENT] = {"student_name"},
    [K_GUARDIAN] = {"guardian_name", "parent"},
    [K_PHONE] = {"guardian_phone", "phone_number"},
    [K_ADDRESS] = {"home_address", "street_address"},
    [K_LAT] = {"latitude"},
    [K_LON] = {"lng", "long", "longitude"},
    [K_LANGUAGE] = {"home_language", "lang"},
    [K_PRIORITY] = {"urgency"},
    [K_AVAIL] = {"available"},
    [K_TYPE] = {"type"},
    [K_NOTES] = {"note", "comments"},
    [K_PREFERRED] = {"staff_preference"},
    [K_ATTEMPTS] = {"attempt"},
};

static void put_row(FILE *f, char **cells, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', f);
    hv__csv_put(f, cells[i] ? cells[i] : "");
  }
  fputs("\r\n", f);
}

hv_status hv_households_write(const char *src_dir, const hv_next_row *rows,
                              size_t n, const char *to, hv_error *err) {
  char path[PATH_MAX] = "";
  if (src_dir && !hv_path_join(path, sizeof path, src_dir, "households.csv"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = src_dir},
                        "path too long");
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = NULL;
  FILE *probe = path[0] ? fopen(path, "rb") : NULL;
  hv_status st;
  if (probe) {
    fclose(probe);
    st = d ? hv__csv_read(path, "households.csv", &t, d) : HV_E_NOMEM;
  } else {
    static const char header[] =
        "id,student,guardian,phone,address,lat,lon,language,priority,"
        "availability,visit_type,notes\n";
    st = d ? hv__csv_parse(header, sizeof header - 1, "households.csv", &t, d)
           : HV_E_NOMEM;
  }
  hv_diags_free(d);
  if (st != HV_OK)
    return hv_error_set(err, st, (hv_where){.source = path},
                        "cannot read it again");
  int col[K_N];
  for (int k = 0; k < K_N; k++) {
    col[k] = hv__csv_col(t, names[k]);
    for (int a = 0; col[k] < 0 && a < 3 && aliases[k][a]; a++)
      col[k] = hv__csv_col(t, aliases[k][a]);
    /* The packet's columns only when some row carries them. */
    bool used = k < K_ATTEMPTS;
    for (size_t i = 0; i < n && !used; i++)
      used = (k == K_ATTEMPTS && rows[i].attempts > 0) ||
             (k == K_LAST_VISIT && rows[i].last_visit) ||
             (k == K_LAST_OUTCOME && rows[i].last_outcome) ||
             (k == K_NEXT_STEP && rows[i].next_step);
    if (col[k] < 0 && used) col[k] = hv__csv_add_column(t, names[k]);
  }
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < rows[i].nset; k++)
      if (hv__csv_col(t, rows[i].set_names[k]) < 0)
        hv__csv_add_column(t, rows[i].set_names[k]);
  char **cells = calloc(t->ncols + 1, sizeof *cells);
  char *mem = NULL;
  size_t memlen = 0;
  FILE *f = open_memstream(&mem, &memlen);
  if (cells == NULL || f == NULL) {
    free(cells);
    if (f) fclose(f);
    free(mem);
    hv__csv_free(t);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  put_row(f, t->header, t->ncols);
  for (size_t i = 0; i < n; i++) {
    const hv_next_row *r = &rows[i];
    char prio[16], att[16], lat[32], lon[32];
    for (size_t c = 0; c < t->ncols; c++)
      cells[c] = "";
    if (!r->new_row) {
      for (size_t k = 0; k < t->nrows; k++)
        if (strcmp(t->rows[k].cells[col[K_ID]], r->id) == 0) {
          for (size_t c = 0; c < t->ncols; c++)
            cells[c] = t->rows[k].cells[c];
          break;
        }
    } else {
      cells[col[K_GUARDIAN]] = (char *)(r->guardian ? r->guardian : "");
      cells[col[K_STUDENT]] = (char *)(r->student ? r->student : "");
      cells[col[K_ADDRESS]] = (char *)(r->address ? r->address : "");
      cells[col[K_LANGUAGE]] = (char *)(r->language ? r->language : "");
      cells[col[K_PHONE]] = (char *)(r->phone ? r->phone : "");
      cells[col[K_NOTES]] = (char *)(r->notes ? r->notes : "");
      if (r->has_coords) {
        snprintf(lat, sizeof lat, "%.6f", r->lat);
        snprintf(lon, sizeof lon, "%.6f", r->lon);
        cells[col[K_LAT]] = lat;
        cells[col[K_LON]] = lon;
      }
    }
    cells[col[K_ID]] = (char *)r->id;
    if (r->priority > 0) {
      snprintf(prio, sizeof prio, "%d", r->priority);
      cells[col[K_PRIORITY]] = prio;
    }
    if (r->availability) cells[col[K_AVAIL]] = (char *)r->availability;
    if (r->visit_type) cells[col[K_TYPE]] = (char *)r->visit_type;
    if (r->preferred_staff)
      cells[col[K_PREFERRED]] = (char *)r->preferred_staff;
    snprintf(att, sizeof att, "%d", r->attempts);
    if (col[K_ATTEMPTS] >= 0)
      cells[col[K_ATTEMPTS]] = r->attempts > 0 ? att : "";
    if (col[K_LAST_VISIT] >= 0)
      cells[col[K_LAST_VISIT]] = (char *)(r->last_visit ? r->last_visit : "");
    if (col[K_LAST_OUTCOME] >= 0)
      cells[col[K_LAST_OUTCOME]] =
          (char *)(r->last_outcome ? r->last_outcome : "");
    if (col[K_NEXT_STEP] >= 0)
      cells[col[K_NEXT_STEP]] = (char *)(r->next_step ? r->next_step : "");
    if (r->clear_coords) cells[col[K_LAT]] = cells[col[K_LON]] = "";
    for (size_t k = 0; k < r->nset; k++) {
      int ci = hv__csv_col(t, r->set_names[k]);
      if (ci >= 0) cells[ci] = (char *)r->set_values[k];
    }
    put_row(f, cells, t->ncols);
  }
  fclose(f);
  st = hv_write_file_atomic(to, mem, memlen, err);
  free(mem);
  free(cells);
  hv__csv_free(t);
  return st;
}

hv_status hv_next_scenario_write(const hv_scenario *src, hv_date week_of,
                                 const char *program_dir,
                                 const hv_next_row *rows, size_t n,
                                 const char *out_dir, hv_error *err) {
  char staging[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
  hv_status st = hv__outdir_begin(out_dir, 0700, staging, sizeof staging, err);
  if (st != HV_OK) return st;
  hv_path_join(b, sizeof b, staging, "scenario.json");
  st = write_json(src, week_of, program_dir, b, err);
  static const char *const copies[] = {"staff.csv", "pairs.csv"};
  for (size_t i = 0; st == HV_OK && i < 2; i++) {
    if (!hv_path_join(a, sizeof a, src->dir, copies[i]) ||
        !hv_path_join(b, sizeof b, staging, copies[i])) {
      st = hv_error_set(err, HV_E_IO, (hv_where){.source = src->dir},
                        "path too long");
      break;
    }
    st = copy_file(a, b, i == 1, err);
  }
  if (st == HV_OK) {
    hv_path_join(b, sizeof b, staging, "households.csv");
    st = hv_households_write(src->dir, rows, n, b, err);
  }
  if (st != HV_OK) {
    hv__outdir_abort(staging);
    return st;
  }
  return hv__outdir_commit(staging, out_dir, err);
}
