/* hv/path.h -- file names built from a folder and a name, the one way
 * every layer (the library, the command line, the server) joins them. */
#ifndef HV_PATH_H
#define HV_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Joins dir and name with one '/' into buf (trailing slashes of dir
 * dropped); false when the result does not fit in size bytes, buf then
 * holding a truncated name that must not be used. */
bool hv_path_join(char *buf, size_t size, const char *dir, const char *name);

#endif /* HV_PATH_H */
