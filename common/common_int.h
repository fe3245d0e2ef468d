/* common/common_int.h -- helpers shared by the library's modules (not part
 * of the public API): a string arena, checked number parsing, UTF-8
 * checks, bounded file reading and atomic file replacement. */
#ifndef HV_COMMON_INT_H
#define HV_COMMON_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hv/error.h"
#include "hv/path.h"
#include "hv/values.h"

/* An arena hands out memory that is all released at once by
 * hv__arena_free(), like GLPK's per-problem pool.  Used for every string
 * that belongs to one scenario. */
typedef struct hv_arena hv_arena;
hv_arena *hv__arena_create(void);
void hv__arena_free(hv_arena *a);
void *hv__arena_alloc(hv_arena *a, size_t size); /* zeroed; NULL on OOM */
char *hv__arena_strdup(hv_arena *a, const char *s);
char *hv__arena_strndup(hv_arena *a, const char *s, size_t n);

/* True when s holds valid UTF-8 (no overlongs, no surrogates).  On false,
 * *bad_offset (if not NULL) is the byte offset of the first bad byte. */
bool hv__utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Removes leading and trailing ASCII blanks in place; returns s. */
char *hv__trim(char *s);
/* ASCII case-insensitive comparisons. */
int hv__strcasecmp(const char *a, const char *b);
int hv__strncasecmp(const char *a, const char *b, size_t n);
/* Lower-cases ASCII letters in place; returns s. */
char *hv__lower(char *s);

/* Reads a whole file (at most max_bytes) into a NUL-terminated buffer the
 * caller frees.  Errors name the path. */
hv_status hv__read_file(const char *path, size_t max_bytes, char **out,
                        size_t *len, hv_error *err);

/* Writes what fn prints for ud into dir/name, atomically (as
 * hv_write_file_atomic, hv/path.h). */
hv_status hv__write_file_with(const char *dir, const char *name,
                              void (*fn)(const void *ud, FILE *f),
                              const void *ud, hv_error *err);

/* Output folders: hv__outdir_begin() creates dir (mode, if missing) and a
 * staging folder inside it; write everything there, then
 * hv__outdir_commit() moves it all into dir with signals blocked (folders
 * swapped whole), or hv__outdir_abort() throws it away. */
#include <sys/types.h>
hv_status hv__outdir_begin(const char *dir, mode_t mode, char *staging,
                           size_t size, hv_error *err);
hv_status hv__outdir_commit(const char *staging, const char *dir,
                            hv_error *err);
void hv__outdir_abort(const char *staging);

/* Monotonic clock, in seconds (for time limits). */
double hv__now(void);

#endif /* HV_COMMON_INT_H */
