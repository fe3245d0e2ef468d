/* tests/check.h -- the assertions of hvplan's test binaries.  A failed check
 * prints file:line and both values and the test goes on; main() returns
 * non-zero if any failed.  Chosen over a framework on purpose: CTest runs
 * the binaries, and this is all the tests need. */
#ifndef HV_TEST_CHECK_H
#define HV_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK_FAIL_(...)                                             \
  (check_failures++, fprintf(stderr, "%s:%d: ", __FILE__, __LINE__), \
   fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))

#define CHECK(cond) \
  (check_count++,   \
   (cond) ? (void)0 : (void)CHECK_FAIL_("CHECK(%s) failed", #cond))

#define CHECK_INT_EQ(a, b)                                               \
  do {                                                                   \
    long long a_ = (long long)(a), b_ = (long long)(b);                  \
    check_count++;                                                       \
    if (a_ != b_) CHECK_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_); \
  } while (0)

#define CHECK_STR_EQ(a, b)                                                  \
  do {                                                                      \
    const char *a_ = (a), *b_ = (b);                                        \
    check_count++;                                                          \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                    \
      CHECK_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", \
                  b_ ? b_ : "(null)");                                      \
  } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                      \
  do {                                                                       \
    const char *h_ = (hay), *n_ = (needle);                                  \
    check_count++;                                                           \
    if (h_ == NULL || strstr(h_, n_) == NULL)                                \
      CHECK_FAIL_("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                        \
  do {                                                               \
    double a_ = (double)(a), b_ = (double)(b);                       \
    check_count++;                                                   \
    if (!(fabs(a_ - b_) <= (tol)))                                   \
      CHECK_FAIL_("%s ~= %s: %.9g != %.9g (tol %g)", #a, #b, a_, b_, \
                  (double)(tol));                                    \
  } while (0)

/* A whole file as a NUL-terminated string (caller frees); "" if absent. */
static inline char *check_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return calloc(1, 1);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)(n > 0 ? n : 0) + 1);
  size_t got = b ? fread(b, 1, (size_t)(n > 0 ? n : 0), f) : 0;
  if (b) b[got] = '\0';
  fclose(f);
  return b;
}

#define FIXTURE(rel) HV_FIXTURE_DIR "/" rel
#define RUN(test) (fprintf(stderr, "-- %s\n", #test), test())

/* "N passed, N failed" is CTest-independent and what CI reads. */
#define CHECK_DONE()                                                       \
  (fprintf(stderr, "%d passed, %d failed\n", check_count - check_failures, \
           check_failures),                                                \
   check_failures == 0 ? 0 : 1)

#endif /* HV_TEST_CHECK_H */
