/* store/store_int.h -- what the store's files share: the handle and small
 * helpers over the SQLite C API. */
#ifndef HV_STORE_INT_H
#define HV_STORE_INT_H

#include <sqlite3.h>
#include <stdio.h>

#include "hv/store.h"

struct hv_store {
  sqlite3 *db;
  char path[1024];
  int version;
  bool in_tx;
};

/* Runs SQL without results (several statements allowed). */
hv_status hv__store_exec(hv_store *st, const char *sql, hv_error *err);
/* Sets err from SQLite's last error, with what was being done. */
hv_status hv__store_fail(hv_store *st, const char *what, hv_error *err);
/* Prepares one statement; NULL with err set on failure. */
sqlite3_stmt *hv__store_prepare(hv_store *st, const char *sql, hv_error *err);
/* Binds text (NULL and "" both as ""); NULL as SQL NULL with _or_null. */
void hv__store_text(sqlite3_stmt *q, int i, const char *text);
void hv__store_text_or_null(sqlite3_stmt *q, int i, const char *text);
/* Copies column i as text into buf (always NUL-terminated). */
void hv__store_col(sqlite3_stmt *q, int i, char *buf, size_t size);

hv_status hv__store_migrate(hv_store *st, int target, hv_error *err);

#endif /* HV_STORE_INT_H */
