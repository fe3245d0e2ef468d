/* hv/error.h -- status codes, error records and diagnostic lists shared by
 * every hvplan module.  Library code never prints: it fills these records
 * and the CLI decides what to show. */
#ifndef HV_ERROR_H
#define HV_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define HV_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define HV_PRINTF(fmt, first)
#endif

/* Append only: the numbers are also the CLI's exit codes. */
typedef enum hv_status {
  HV_OK = 0,
  HV_E_NOMEM,       /* allocation failed */
  HV_E_IO,          /* cannot open, read or write a file */
  HV_E_PARSE,       /* input is not well-formed CSV/JSON */
  HV_E_INPUT,       /* well-formed, but a value is invalid */
  HV_E_GEOCODE,     /* geocoder unreachable or no match */
  HV_E_SOLVER,      /* GLPK failed (an infeasible plan is not an error) */
  HV_E_RANGE,       /* argument out of range: a bug in the caller */
  HV_E_NETWORK,     /* a web service could not be reached or answered badly */
  HV_E_INTERRUPTED, /* stopped by a signal before finishing */
  HV_E_STORE        /* the program database failed or is not usable */
} hv_status;

/* Where in the input a problem is; 0 / NULL mean "not known". */
typedef struct hv_where {
  const char *source; /* file name, URL, or "-" for stdin */
  uint32_t line;      /* 1-based physical line where the record starts */
  uint32_t column;    /* 1-based character column (JSON only) */
  const char *field;  /* CSV header name or JSON key */
} hv_where;

/* Caller-owned, usually on the stack; fixed-size so that filling it never
 * allocates.  text is one line without a trailing newline. */
typedef struct hv_error {
  hv_status code;
  uint32_t line, column;
  char source[160];
  char field[64];
  char text[320];
} hv_error;

/* Text for a status code (static storage). */
const char *hv_strerror(hv_status code);

/* Fills *err (err may be NULL) and returns code, so that a failing function
 * can end with `return hv_error_set(err, ...);`. */
hv_status hv_error_set(hv_error *err, hv_status code, hv_where at,
                       const char *fmt, ...) HV_PRINTF(4, 5);
hv_status hv_error_setv(hv_error *err, hv_status code, hv_where at,
                        const char *fmt, va_list ap) HV_PRINTF(4, 0);

/* Formats as "source:line:field: text" (or "source:line:column: text" for
 * JSON positions); parts that are unknown are left out.  Returns what
 * snprintf returns. */
int hv_error_format(const hv_error *err, char *buf, size_t size);

/* A list of diagnostics: `hvplan validate` reports every problem it finds,
 * not just the first, so the readers append here instead of stopping. */
typedef enum hv_severity { HV_SEV_ERROR = 0, HV_SEV_WARNING = 1 } hv_severity;

typedef struct hv_diag {
  hv_severity severity;
  hv_error error;
} hv_diag;

typedef struct hv_diags hv_diags; /* opaque */

/* Returns an empty list, or NULL when memory runs out.  Free with
 * hv_diags_free(); NULL is allowed there. */
hv_diags *hv_diags_create(void);
void hv_diags_free(hv_diags *d);

/* Appends one diagnostic.  d may be NULL (the diagnostic is dropped).  For
 * errors, returns code; for warnings, returns HV_OK. */
hv_status hv_diags_add(hv_diags *d, hv_severity sev, hv_status code,
                       hv_where at, const char *fmt, ...) HV_PRINTF(5, 6);
hv_status hv_diags_addv(hv_diags *d, hv_severity sev, hv_status code,
                        hv_where at, const char *fmt, va_list ap)
    HV_PRINTF(5, 0);
/* Appends a copy of an error record. */
void hv_diags_add_error(hv_diags *d, hv_severity sev, const hv_error *e);

size_t hv_diags_count(const hv_diags *d);
size_t hv_diags_errors(const hv_diags *d);
size_t hv_diags_warnings(const hv_diags *d);
/* Borrowed; valid until the next hv_diags_add or hv_diags_free. */
const hv_diag *hv_diags_get(const hv_diags *d, size_t i);
/* The first error-severity entry, or NULL. */
const hv_diag *hv_diags_first_error(const hv_diags *d);

#endif /* HV_ERROR_H */
