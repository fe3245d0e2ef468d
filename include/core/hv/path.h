/* hv/path.h -- file names built from a folder and a name, and files
 * replaced whole: the one way every layer (the library, the command line,
 * the server) joins names and writes a file others may be reading. */
#ifndef HV_PATH_H
#define HV_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "hv/error.h"

/* Joins dir and name with one '/' into buf (trailing slashes of dir
 * dropped); false when the result does not fit in size bytes, buf then
 * holding a truncated name that must not be used. */
bool hv_path_join(char *buf, size_t size, const char *dir, const char *name);

/* Writes len bytes to path atomically: a new temporary file beside it
 * (a name of its own per call, so threads writing the same path do not
 * share one), fsync, then rename over path.  On failure path is
 * untouched and the error names it. */
hv_status hv_write_file_atomic(const char *path, const void *data, size_t len,
                               hv_error *err);

#endif /* HV_PATH_H */
