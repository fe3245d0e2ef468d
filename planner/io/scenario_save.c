/* planner/io/scenario_save.c -- writing what geocoding found back into a
 * scenario's files: base.lat/lon into scenario.json, lat/lon into
 * households.csv, each rewritten atomically with every other key and column
 * kept as it was (BOM and line ends too) and the previous file saved as
 * .bak for a coordinator to go back to. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "plan_def.h"

/* Copies path to path.bak (the previous version a coordinator can go back
 * to), atomically. */
static hv_status backup(const char *path, hv_error *err) {
  char *data;
  size_t len;
  hv_status st = hv__read_file(path, HV_CSV_MAX_BYTES, &data, &len, err);
  if (st != HV_OK) return st;
  /* Sized to the path: a fixed buffer would cut a long name short and
   * write the copy over another file. */
  size_t n = strlen(path) + sizeof ".bak";
  char *bak = malloc(n);
  if (bak == NULL) {
    free(data);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  snprintf(bak, n, "%s.bak", path);
  st = hv_write_file_atomic(bak, data, len, err);
  free(bak);
  free(data);
  return st;
}

/* Writes lat/lon of the base into scenario.json, keeping everything else. */
hv_status hv__scenario_save_base(const hv_scenario *s, double lat, double lon,
                                 hv_error *err) {
  char path[4096];
  if (!hv_path_join(path, sizeof path, s->dir, "scenario.json"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = "scenario.json"},
                        "path too long");
  json_error_t je;
  json_t *root = json_load_file(path, JSON_PRESERVE_ORDER, &je);
  if (root == NULL)
    return hv_error_set(err, HV_E_PARSE, (hv_where){.source = "scenario.json"},
                        "%s", je.text);
  json_t *base = json_object_get(root, "base");
  json_object_set_new(base, "lat", json_real(lat));
  json_object_set_new(base, "lon", json_real(lon));
  char *text = json_dumps(
      root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  json_decref(root);
  if (text == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t n = strlen(text);
  text[n] = '\0';
  hv_status st = backup(path, err);
  if (st == HV_OK) {
    char *t2 = realloc(text, n + 2);
    if (t2) {
      text = t2;
      text[n] = '\n';
      text[n + 1] = '\0';
    }
    st = hv_write_file_atomic(path, text, strlen(text), err);
  }
  free(text);
  return st;
}

hv_status hv__scenario_save_coords(const hv_scenario *s, const bool *have,
                                   const double *lat, const double *lon,
                                   hv_error *err) {
  char path[4096];
  if (!hv_path_join(path, sizeof path, s->dir, "households.csv"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = "households.csv"},
                        "path too long");
  char *raw;
  size_t len;
  hv_status st = hv__read_file(path, HV_CSV_MAX_BYTES, &raw, &len, err);
  if (st != HV_OK) return st;
  bool bom = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0;
  bool crlf = strstr(raw, "\r\n") != NULL;
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = NULL;
  st = hv__csv_parse(raw, len, "households.csv", &t, d);
  free(raw);
  hv_diags_free(d);
  if (st != HV_OK)
    return hv_error_set(err, st, (hv_where){.source = "households.csv"},
                        "cannot be read back");
  int cid = hv__csv_col(t, "id");
  if (cid < 0) cid = hv__csv_col(t, "household_id");
  if (cid < 0) cid = hv__csv_col(t, "household");
  int clat = hv__csv_col(t, "lat") >= 0 ? hv__csv_col(t, "lat")
                                        : hv__csv_col(t, "latitude");
  if (clat < 0) clat = hv__csv_add_column(t, "lat");
  int clon = hv__csv_col(t, "lon");
  if (clon < 0) clon = hv__csv_col(t, "lng");
  if (clon < 0) clon = hv__csv_col(t, "longitude");
  if (clon < 0) clon = hv__csv_add_column(t, "lon");
  for (size_t r = 0; cid >= 0 && clat >= 0 && clon >= 0 && r < t->nrows; r++)
    for (size_t h = 0; h < s->nhouseholds; h++) {
      if (!have[h] || strcmp(s->households[h].id, t->rows[r].cells[cid]) != 0)
        continue;
      char v[32];
      snprintf(v, sizeof v, "%.6f", lat[h]);
      hv__csv_set(t, r, clat, v);
      snprintf(v, sizeof v, "%.6f", lon[h]);
      hv__csv_set(t, r, clon, v);
    }
  char *buf = NULL;
  size_t blen = 0;
  FILE *f = open_memstream(&buf, &blen);
  if (f == NULL) {
    hv__csv_free(t);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  hv__csv_format(t, f, bom, crlf);
  fclose(f);
  hv__csv_free(t);
  st = backup(path, err);
  if (st == HV_OK) st = hv_write_file_atomic(path, buf, blen, err);
  free(buf);
  return st;
}
