/* planner/io/csv_table.c -- CSV files to tables of strings using libcsv. */
#include "csv_table.h"

#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* State shared with libcsv's callbacks while one file is parsed. */
typedef struct reader {
  hv_csv_table *t;
  hv_diags *diags;
  hv_status st;      /* HV_E_NOMEM once allocation failed */
  uint32_t cur_line; /* physical line being fed to the parser */
  uint32_t rec_line; /* line the current record started on */
  bool between;      /* no record has started since the last one ended */
  char **fields;     /* fields of the current record */
  size_t nfields, cap;
  size_t rows_cap;
  bool have_header;
} reader;

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t';
}

static int is_term(unsigned char c) {
  return c == '\r' || c == '\n';
}

static void on_field(void *data, size_t len, void *ud) {
  reader *r = ud;
  if (r->st != HV_OK) return;
  if (r->nfields == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    char **f = realloc(r->fields, cap * sizeof *f);
    if (f == NULL) {
      r->st = HV_E_NOMEM;
      return;
    }
    r->fields = f;
    r->cap = cap;
  }
  char *s = hv__arena_strndup(r->t->arena, data ? data : "", data ? len : 0);
  if (s == NULL) {
    r->st = HV_E_NOMEM;
    return;
  }
  r->fields[r->nfields++] = s;
}

static bool all_empty(char **f, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (f[i][0] != '\0') return false;
  return true;
}

static void check_utf8(reader *r, char **cells, size_t n, uint32_t line) {
  for (size_t i = 0; i < n; i++) {
    size_t off;
    if (hv__utf8_valid(cells[i], strlen(cells[i]), &off)) continue;
    const char *field =
        r->have_header && i < r->t->ncols ? r->t->header[i] : NULL;
    char colbuf[32];
    if (field == NULL) {
      snprintf(colbuf, sizeof colbuf, "column %zu", i + 1);
      field = colbuf;
    }
    hv_diags_add(r->diags, HV_SEV_ERROR, HV_E_INPUT,
                 (hv_where){.source = r->t->name, .line = line, .field = field},
                 "text is not valid UTF-8 (byte 0x%02X at offset %zu); save "
                 "the file as UTF-8",
                 (unsigned char)cells[i][off], off);
    cells[i][off] = '\0'; /* keep the valid prefix only */
  }
}

static void on_record(int c, void *ud) {
  (void)c;
  reader *r = ud;
  uint32_t line = r->rec_line ? r->rec_line : r->cur_line;
  r->between = true;
  r->rec_line = 0;
  size_t n = r->nfields;
  r->nfields = 0;
  if (r->st != HV_OK) return;
  for (size_t i = 0; i < n; i++)
    hv__trim(r->fields[i]);
  hv_csv_table *t = r->t;
  hv_where at = {.source = t->name, .line = line};
  if (!r->have_header) {
    if (all_empty(r->fields, n)) return; /* leading blank line */
    r->have_header = true;
    check_utf8(r, r->fields, n, line);
    /* A byte-order mark is stripped before parsing; a header cell may still
     * carry one when a tool re-exported the file. */
    t->header = hv__arena_alloc(t->arena, n * sizeof *t->header);
    if (t->header == NULL) {
      r->st = HV_E_NOMEM;
      return;
    }
    for (size_t i = 0; i < n; i++) {
      char *h = r->fields[i];
      if (strncmp(h, "\xEF\xBB\xBF", 3) == 0) h += 3;
      t->header[i] = h;
      if (h[0] == '\0')
        hv_diags_add(r->diags, HV_SEV_WARNING, HV_E_INPUT, at,
                     "column %zu has no name in the header; it is ignored",
                     i + 1);
      for (size_t k = 0; k < i; k++)
        if (h[0] != '\0' && hv__strcasecmp(t->header[k], h) == 0)
          hv_diags_add(r->diags, HV_SEV_ERROR, HV_E_INPUT,
                       (hv_where){.source = t->name, .line = line, .field = h},
                       "column '%s' appears twice in the header", h);
    }
    t->ncols = n;
    return;
  }
  if (all_empty(r->fields, n)) return; /* ",,,," rows from spreadsheets */
  check_utf8(r, r->fields, n, line);
  if (n > t->ncols) {
    /* Extra cells that are empty are what spreadsheets add after edits;
     * extra cells with data would be silently lost, so they are errors. */
    bool data = false;
    for (size_t i = t->ncols; i < n; i++)
      if (r->fields[i][0] != '\0') data = true;
    if (data)
      hv_diags_add(r->diags, HV_SEV_ERROR, HV_E_PARSE, at,
                   "row has %zu fields but the header has %zu (a comma in an "
                   "unquoted value?)",
                   n, t->ncols);
  } else if (n < t->ncols) {
    hv_diags_add(r->diags, HV_SEV_WARNING, HV_E_PARSE, at,
                 "row has %zu fields but the header has %zu; the missing "
                 "ones are taken as empty",
                 n, t->ncols);
  }
  if (t->nrows == r->rows_cap) {
    size_t cap = r->rows_cap ? r->rows_cap * 2 : 64;
    hv_csv_row *rows = realloc(t->rows, cap * sizeof *rows);
    if (rows == NULL) {
      r->st = HV_E_NOMEM;
      return;
    }
    t->rows = rows;
    r->rows_cap = cap;
  }
  char **cells = hv__arena_alloc(t->arena, (t->ncols + 1) * sizeof *cells);
  if (cells == NULL) {
    r->st = HV_E_NOMEM;
    return;
  }
  for (size_t i = 0; i < t->ncols; i++)
    cells[i] = i < n ? r->fields[i] : "";
  t->rows[t->nrows++] = (hv_csv_row){.line = line, .cells = cells};
}

/* Picks the delimiter from the header line: the most frequent of ',', ';'
 * and tab outside quotes (comma on a tie), so European exports with ';'
 * and "tab-separated" exports both read correctly. */
static unsigned char sniff_delim(const char *s, size_t len) {
  size_t comma = 0, semi = 0, tab = 0;
  bool quoted = false;
  for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r'));
       i++) {
    if (s[i] == '"') quoted = !quoted;
    if (quoted) continue;
    comma += s[i] == ',';
    semi += s[i] == ';';
    tab += s[i] == '\t';
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

void hv__csv_free(hv_csv_table *t) {
  if (t == NULL) return;
  free(t->rows);
  hv__arena_free(t->arena);
  free(t);
}

int hv__csv_col(const hv_csv_table *t, const char *name) {
  for (size_t i = 0; i < t->ncols; i++)
    if (hv__strcasecmp(t->header[i], name) == 0) return (int)i;
  return -1;
}

static bool blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_space((unsigned char)s[i]) && !is_term((unsigned char)s[i]))
      return false;
  return true;
}

hv_status hv__csv_parse(const char *data, size_t len, const char *name,
                        hv_csv_table **out, hv_diags *diags) {
  *out = NULL;
  hv_where at = {.source = name};
  hv_csv_table *t = calloc(1, sizeof *t);
  hv_arena *arena = hv__arena_create();
  if (t == NULL || arena == NULL) {
    free(t);
    hv__arena_free(arena);
    return hv_diags_add(diags, HV_SEV_ERROR, HV_E_NOMEM, at, "out of memory");
  }
  t->arena = arena;
  t->name = hv__arena_strdup(arena, name);
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, len -= 3;
  if (blank_line(data, len)) {
    hv__csv_free(t);
    return hv_diags_add(diags, HV_SEV_ERROR, HV_E_PARSE, at,
                        "file is empty: a header row is required");
  }
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    hv__csv_free(t);
    return hv_diags_add(diags, HV_SEV_ERROR, HV_E_NOMEM, at, "out of memory");
  }
  csv_set_delim(&p, sniff_delim(data, len));
  csv_set_space_func(&p, is_space);
  csv_set_term_func(&p, is_term);
  reader r = {.t = t, .diags = diags, .between = true};
  hv_status st = HV_OK;
  /* Feed one physical line at a time so every record knows its line. */
  size_t pos = 0;
  while (pos < len && r.st == HV_OK) {
    const char *nl = memchr(data + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;
    r.cur_line++;
    if (r.between && !blank_line(data + pos, n)) {
      r.between = false;
      r.rec_line = r.cur_line;
    }
    if (memchr(data + pos, '\0', n) != NULL) {
      st = hv_diags_add(diags, HV_SEV_ERROR, HV_E_PARSE,
                        (hv_where){.source = name, .line = r.cur_line},
                        "file holds a NUL byte: it is not a text CSV file "
                        "(an Excel workbook? save it as CSV UTF-8)");
      break;
    }
    if (csv_parse(&p, data + pos, n, on_field, on_record, &r) != n) {
      st = hv_diags_add(diags, HV_SEV_ERROR, HV_E_PARSE,
                        (hv_where){.source = name, .line = r.cur_line},
                        "malformed CSV: %s (a quote inside an unquoted "
                        "value, or text after a closing quote?)",
                        csv_error(&p) == CSV_EPARSE
                            ? "unexpected quote character"
                            : csv_strerror(csv_error(&p)));
      break;
    }
    pos += n;
  }
  if (st == HV_OK && r.st == HV_OK &&
      csv_fini(&p, on_field, on_record, &r) != 0) {
    st = hv_diags_add(diags, HV_SEV_ERROR, HV_E_PARSE,
                      (hv_where){.source = name,
                                 .line = r.rec_line ? r.rec_line : r.cur_line},
                      "malformed CSV: a quoted value that starts here is "
                      "never closed");
  }
  csv_free(&p);
  free(r.fields);
  if (st == HV_OK && r.st != HV_OK)
    st = hv_diags_add(diags, HV_SEV_ERROR, r.st, at, "out of memory");
  if (st == HV_OK && !r.have_header)
    st = hv_diags_add(diags, HV_SEV_ERROR, HV_E_PARSE, at,
                      "file is empty: a header row is required");
  if (st != HV_OK) {
    hv__csv_free(t);
    return st;
  }
  *out = t;
  return HV_OK;
}

hv_status hv__csv_read(const char *path, const char *name, hv_csv_table **out,
                       hv_diags *diags) {
  char *data;
  size_t len;
  hv_error e;
  *out = NULL;
  hv_status st = hv__read_file(path, HV_CSV_MAX_BYTES, &data, &len, &e);
  if (st != HV_OK) {
    snprintf(e.source, sizeof e.source, "%s", name);
    hv_diags_add_error(diags, HV_SEV_ERROR, &e);
    return st;
  }
  st = hv__csv_parse(data, len, name, out, diags);
  free(data);
  return st;
}

/* ---- writing -------------------------------------------------------- */

int hv__csv_add_column(hv_csv_table *t, const char *name) {
  int k = hv__csv_col(t, name);
  if (k >= 0) return k;
  char **h = hv__arena_alloc(t->arena, (t->ncols + 1) * sizeof *h);
  char *nm = hv__arena_strdup(t->arena, name);
  if (h == NULL || nm == NULL) return -1;
  memcpy(h, t->header, t->ncols * sizeof *h);
  h[t->ncols] = nm;
  for (size_t r = 0; r < t->nrows; r++) {
    char **c = hv__arena_alloc(t->arena, (t->ncols + 2) * sizeof *c);
    if (c == NULL) return -1;
    memcpy(c, t->rows[r].cells, t->ncols * sizeof *c);
    c[t->ncols] = "";
    t->rows[r].cells = c;
  }
  t->header = h;
  return (int)t->ncols++;
}

bool hv__csv_set(hv_csv_table *t, size_t row, int col, const char *value) {
  char *v = hv__arena_strdup(t->arena, value);
  if (v == NULL || row >= t->nrows || col < 0 || (size_t)col >= t->ncols)
    return false;
  t->rows[row].cells[col] = v;
  return true;
}

void hv__csv_put(FILE *f, const char *v) {
  size_t n = strlen(v);
  if (strpbrk(v, ",;\t\"\r\n") == NULL && v[0] != ' ' &&
      (n == 0 || v[n - 1] != ' ')) {
    fputs(v, f);
    return;
  }
  fputc('"', f);
  for (; *v; v++) {
    if (*v == '"') fputc('"', f);
    fputc(*v, f);
  }
  fputc('"', f);
}

void hv__csv_format(const hv_csv_table *t, FILE *f, bool bom, bool crlf) {
  const char *eol = crlf ? "\r\n" : "\n";
  if (bom) fputs("\xEF\xBB\xBF", f);
  for (size_t i = 0; i < t->ncols; i++) {
    if (i) fputc(',', f);
    hv__csv_put(f, t->header[i]);
  }
  fputs(eol, f);
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t i = 0; i < t->ncols; i++) {
      if (i) fputc(',', f);
      hv__csv_put(f, t->rows[r].cells[i]);
    }
    fputs(eol, f);
  }
}
