/* tests/csv/test_csv.c -- the CSV table reader on what real exports hold. */
#include "check.h"
#include "csv_table.h"

static hv_csv_table *parse(const char *text, hv_diags *d) {
  hv_csv_table *t = NULL;
  hv__csv_parse(text, strlen(text), "t.csv", &t, d);
  return t;
}

static void quotes_crlf_bom_and_multiline(void) {
  hv_diags *d = hv_diags_create();
  const char *text =
      "\xEF\xBB\xBFid,guardian,notes\r\n"
      "H1,\"Nguy\xE1\xBB\x85n, Lan\",\"line one\r\nline two\"\r\n"
      "H2,Warsame,\"she said \"\"call first\"\"\"\r\n"
      "\r\n"
      ",,\r\n"
      "\r\n";
  hv_csv_table *t = parse(text, d);
  CHECK(t != NULL);
  if (t == NULL) return;
  CHECK_INT_EQ(hv_diags_count(d), 0);
  CHECK_INT_EQ(t->ncols, 3);
  CHECK_STR_EQ(t->header[0], "id");
  CHECK_INT_EQ(t->nrows, 2);
  CHECK_STR_EQ(t->rows[0].cells[1], "Nguy\xE1\xBB\x85n, Lan");
  CHECK_STR_EQ(t->rows[0].cells[2], "line one\r\nline two");
  CHECK_INT_EQ(t->rows[0].line, 2);
  CHECK_INT_EQ(t->rows[1].line, 4); /* the quoted field spanned line 3 */
  CHECK_STR_EQ(t->rows[1].cells[2], "she said \"call first\"");
  CHECK_INT_EQ(hv__csv_col(t, "GUARDIAN"), 1);
  CHECK_INT_EQ(hv__csv_col(t, "nope"), -1);
  hv__csv_free(t);
  hv_diags_free(d);
}

static void semicolon_delimited(void) {
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = parse(
      "id;availability\nH1;\"mon 09:00-10:00; tue "
      "10:00-11:00\"\n",
      d);
  CHECK(t != NULL);
  if (t == NULL) return;
  CHECK_INT_EQ(t->ncols, 2);
  CHECK_STR_EQ(t->rows[0].cells[1], "mon 09:00-10:00; tue 10:00-11:00");
  hv__csv_free(t);
  hv_diags_free(d);
}

static void ragged_rows(void) {
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = parse("a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n", d);
  CHECK(t != NULL);
  if (t == NULL) return;
  CHECK_INT_EQ(t->nrows, 3);
  CHECK_STR_EQ(t->rows[0].cells[2], "");
  CHECK_INT_EQ(hv_diags_warnings(d), 1); /* short row: taken as empty */
  CHECK_INT_EQ(hv_diags_errors(d), 1);   /* extra data would be lost */
  const hv_diag *g = hv_diags_first_error(d);
  CHECK_INT_EQ(g->error.line, 3);
  CHECK_STR_CONTAINS(g->error.text, "row has 4 fields but the header has 3");
  hv__csv_free(t);
  hv_diags_free(d);
}

static void malformed_and_empty(void) {
  hv_diags *d = hv_diags_create();
  CHECK(parse("", d) == NULL);
  CHECK_STR_CONTAINS(hv_diags_first_error(d)->error.text, "file is empty");
  hv_diags_free(d);

  d = hv_diags_create();
  CHECK(parse("\n\r\n  \n", d) == NULL);
  CHECK_INT_EQ(hv_diags_errors(d), 1);
  hv_diags_free(d);

  d = hv_diags_create();
  CHECK(parse("a,b\n1,\"unterminated\n2,3\n", d) == NULL);
  CHECK_INT_EQ(hv_diags_first_error(d)->error.line, 2);
  CHECK_STR_CONTAINS(hv_diags_first_error(d)->error.text, "never closed");
  hv_diags_free(d);

  d = hv_diags_create();
  CHECK(parse("a,b\n1,2\n3,\"x\"y\n", d) == NULL);
  CHECK_INT_EQ(hv_diags_first_error(d)->error.line, 3);
  CHECK_STR_CONTAINS(hv_diags_first_error(d)->error.text, "malformed CSV");
  hv_diags_free(d);
}

static void invalid_utf8_names_field(void) {
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = parse("id,guardian\nH1,Jos\xE9\n", d); /* Latin-1 é */
  CHECK(t != NULL);
  const hv_diag *g = hv_diags_first_error(d);
  CHECK(g != NULL);
  if (g) {
    CHECK_INT_EQ(g->error.line, 2);
    CHECK_STR_EQ(g->error.field, "guardian");
    CHECK_STR_CONTAINS(g->error.text, "not valid UTF-8");
  }
  hv__csv_free(t);
  hv_diags_free(d);
}

static void duplicate_header(void) {
  hv_diags *d = hv_diags_create();
  hv_csv_table *t = parse("id,ID\n1,2\n", d);
  CHECK_INT_EQ(hv_diags_errors(d), 1);
  CHECK_STR_CONTAINS(hv_diags_first_error(d)->error.text, "appears twice");
  hv__csv_free(t);
  hv_diags_free(d);
}

int main(void) {
  RUN(quotes_crlf_bom_and_multiline);
  RUN(semicolon_delimited);
  RUN(ragged_rows);
  RUN(malformed_and_empty);
  RUN(invalid_utf8_names_field);
  RUN(duplicate_header);
  return CHECK_DONE();
}
