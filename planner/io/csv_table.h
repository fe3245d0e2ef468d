/* planner/io/csv_table.h -- a CSV file read into a table of strings, with the
 * physical line each record starts on, as spreadsheets and
 * student-information systems export it (quotes, embedded line breaks,
 * CRLF, a UTF-8 byte-order mark, ';' or tab delimiters).  Parsing itself
 * is libcsv's; this adds line tracking, UTF-8 checks and diagnostics. */
#ifndef HV_CSV_TABLE_H
#define HV_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common_int.h"
#include "hv/error.h"

typedef struct hv_csv_row {
  uint32_t line; /* physical line the record starts on (1-based) */
  char **cells;  /* ncols entries, trimmed, never NULL ("" when missing) */
} hv_csv_row;

typedef struct hv_csv_table {
  const char *name; /* as shown in messages, e.g. "households.csv" */
  size_t ncols;
  char **header; /* column names as written (trimmed) */
  size_t nrows;
  hv_csv_row *rows;
  hv_arena *arena; /* owns every string above */
} hv_csv_table;

/* Largest CSV file accepted. */
#define HV_CSV_MAX_BYTES ((size_t)64 << 20)

/* Reads path.  Problems go to diags, shown under `name`.  Returns HV_OK with
 * *out set even when some rows had errors (they are in diags, and such rows
 * are kept with what could be read); returns an error with *out == NULL
 * when the file cannot be read or parsed at all.  Free with
 * hv__csv_free(). */
hv_status hv__csv_read(const char *path, const char *name, hv_csv_table **out,
                       hv_diags *diags);
/* Same, from a buffer in memory (used by the fuzz targets and tests). */
hv_status hv__csv_parse(const char *data, size_t len, const char *name,
                        hv_csv_table **out, hv_diags *diags);
void hv__csv_free(hv_csv_table *t);

/* Index of a column by case-insensitive name, or -1. */
int hv__csv_col(const hv_csv_table *t, const char *name);

/* Adds an empty column (or finds the existing one); its index or -1. */
int hv__csv_add_column(hv_csv_table *t, const char *name);
/* Replaces one cell (copied). */
bool hv__csv_set(hv_csv_table *t, size_t row, int col, const char *value);
/* Writes one value, quoted when it holds a delimiter, a quote, a line break
 * or blanks at either end (so that it reads back as it was). */
void hv__csv_put(FILE *f, const char *v);
/* Writes the table as comma-separated CSV, quoting where needed. */
void hv__csv_format(const hv_csv_table *t, FILE *f, bool bom, bool crlf);

#endif /* HV_CSV_TABLE_H */
