/* common/util.c -- small helpers shared by the library's modules. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common_int.h"

/* ---- arena ---------------------------------------------------------- */

/* Blocks of at least 64 KiB; a larger request gets a block of its own. */
#define ARENA_BLOCK 65536

typedef struct arena_block {
  struct arena_block *next;
  size_t used, size;
  _Alignas(max_align_t) unsigned char data[];
} arena_block;

struct hv_arena {
  arena_block *head;
};

hv_arena *hv__arena_create(void) {
  return calloc(1, sizeof(hv_arena));
}

void hv__arena_free(hv_arena *a) {
  if (a == NULL) return;
  arena_block *b = a->head;
  while (b) {
    arena_block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void *hv__arena_alloc(hv_arena *a, size_t size) {
  const size_t align = _Alignof(max_align_t);
  if (size > SIZE_MAX / 2) return NULL;
  size = (size + align - 1) / align * align;
  if (size == 0) size = align;
  arena_block *b = a->head;
  if (b == NULL || b->size - b->used < size) {
    size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
    b = malloc(sizeof *b + bsize);
    if (b == NULL) return NULL;
    b->used = 0;
    b->size = bsize;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *hv__arena_strndup(hv_arena *a, const char *s, size_t n) {
  char *p = hv__arena_alloc(a, n + 1);
  if (p == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *hv__arena_strdup(hv_arena *a, const char *s) {
  return hv__arena_strndup(a, s, strlen(s));
}

/* ---- strings -------------------------------------------------------- */

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

char *hv__trim(char *s) {
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1]))
    s[--n] = '\0';
  size_t k = 0;
  while (is_blank(s[k]))
    k++;
  if (k > 0) memmove(s, s + k, n - k + 1);
  return s;
}

static int ascii_lower(int c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int hv__strncasecmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = ascii_lower((unsigned char)a[i]);
    int cb = ascii_lower((unsigned char)b[i]);
    if (ca != cb || ca == 0) return ca - cb;
  }
  return 0;
}

int hv__strcasecmp(const char *a, const char *b) {
  return hv__strncasecmp(a, b, SIZE_MAX);
}

char *hv__lower(char *s) {
  for (char *p = s; *p; p++)
    *p = (char)ascii_lower((unsigned char)*p);
  return s;
}

/* ---- numbers -------------------------------------------------------- */

/* Copies s without surrounding blanks into buf; false if empty/too long. */
static bool trimmed_copy(const char *s, char *buf, size_t size) {
  while (is_blank(*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1]))
    n--;
  if (n == 0 || n >= size) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return true;
}

bool hv_parse_long(const char *s, long *out) {
  char buf[64], *end;
  if (!trimmed_copy(s, buf, sizeof buf)) return false;
  errno = 0;
  long v = strtol(buf, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

bool hv_parse_double(const char *s, double *out) {
  char buf[64], *end;
  if (!trimmed_copy(s, buf, sizeof buf)) return false;
  /* strtod also accepts "nan", "inf" and hex floats; none is a value a
   * coordinator means, so only plain decimal notation passes. */
  for (const char *p = buf; *p; p++)
    if (!strchr("0123456789+-.eE", *p)) return false;
  errno = 0;
  double v = strtod(buf, &end);
  if (errno != 0 || *end != '\0' || !isfinite(v)) return false;
  *out = v;
  return true;
}

/* ---- UTF-8 ---------------------------------------------------------- */

bool hv__utf8_valid(const char *str, size_t len, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t need;
    unsigned min;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      need = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      need = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      need = 3, min = 0x10000, c &= 0x07;
    } else {
      goto bad;
    }
    if (len - i <= need) goto bad;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) goto bad;
      c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
    i += need + 1;
  }
  return true;
bad:
  if (bad_offset) *bad_offset = i;
  return false;
}

/* ---- time ----------------------------------------------------------- */

double hv__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- files ---------------------------------------------------------- */

hv_status hv__read_file(const char *path, size_t max_bytes, char **out,
                        size_t *len, hv_error *err) {
  *out = NULL;
  hv_where at = {.source = path};
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return hv_error_set(err, HV_E_IO, at, "cannot open: %s", strerror(errno));
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (buf == NULL) {
    fclose(f);
    return hv_error_set(err, HV_E_NOMEM, at, "out of memory");
  }
  for (;;) {
    if (cap - n < 2) {
      if (cap > max_bytes) {
        free(buf);
        fclose(f);
        return hv_error_set(err, HV_E_INPUT, at,
                            "file is larger than the limit of %zu MiB",
                            max_bytes >> 20);
      }
      char *nb = realloc(buf, cap * 2);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        return hv_error_set(err, HV_E_NOMEM, at, "out of memory");
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  bool failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return hv_error_set(err, HV_E_IO, at, "read error");
  }
  if (n > max_bytes) {
    free(buf);
    return hv_error_set(err, HV_E_INPUT, at,
                        "file is larger than the limit of %zu MiB",
                        max_bytes >> 20);
  }
  buf[n] = '\0';
  *out = buf;
  if (len) *len = n;
  return HV_OK;
}

bool hv_path_join(char *buf, size_t size, const char *dir, const char *name) {
  size_t dl = strlen(dir);
  while (dl > 0 && dir[dl - 1] == '/')
    dl--;
  /* The root keeps its one slash: "/" and "a" give "/a". */
  int n = snprintf(buf, size, "%.*s/%s", (int)dl, dir, name);
  return n >= 0 && (size_t)n < size;
}

/* Opens a new temporary file beside path for writing: created with mode
 * 0666 less the umask by the kernel (no umask() call, which would change
 * the mode of files other threads create meanwhile: the server writes
 * from several), named path.tmp.<pid>.<n>, another n while one exists. */
static int open_temp(const char *path, char *tmp, size_t size) {
  static _Atomic unsigned long counter;
  for (int tries = 0; tries < 100; tries++) {
    unsigned long k = counter++;
    int n = snprintf(tmp, size, "%s.tmp.%ld.%lu", path, (long)getpid(), k);
    if (n < 0 || (size_t)n >= size) {
      errno = ENAMETOOLONG;
      return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

hv_status hv_write_file_atomic(const char *path, const void *data, size_t len,
                               hv_error *err) {
  hv_where at = {.source = path};
  char tmp[PATH_MAX];
  int fd = open_temp(path, tmp, sizeof tmp);
  if (fd < 0 && errno == ENAMETOOLONG)
    return hv_error_set(err, HV_E_IO, at, "path too long");
  if (fd < 0)
    return hv_error_set(err, HV_E_IO, at, "cannot create a temporary file: %s",
                        strerror(errno));
  const char *p = data;
  size_t left = len;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(tmp);
      return hv_error_set(err, HV_E_IO, at, "write failed: %s", strerror(e));
    }
    p += w;
    left -= (size_t)w;
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    int e = errno;
    unlink(tmp);
    return hv_error_set(err, HV_E_IO, at, "cannot finish writing: %s",
                        strerror(e));
  }
  if (rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return hv_error_set(err, HV_E_IO, at, "cannot replace: %s", strerror(e));
  }
  return HV_OK;
}

hv_status hv__write_file_with(const char *dir, const char *name,
                              void (*fn)(const void *ud, FILE *f),
                              const void *ud, hv_error *err) {
  char path[4096];
  if (!hv_path_join(path, sizeof path, dir, name))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = name},
                        "path too long");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  fn(ud, f);
  fclose(f);
  hv_status st = hv_write_file_atomic(path, buf, len, err);
  free(buf);
  return st;
}
