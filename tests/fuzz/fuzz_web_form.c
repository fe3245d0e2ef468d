/* tests/fuzz/fuzz_web_form.c -- the login form's body parser
 * (application/x-www-form-urlencoded) on arbitrary bytes: every value is
 * NUL-terminated inside its buffer, never longer than asked, never a
 * crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"login", "password", "a", ""};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char out[17];
    memset(out, 'X', sizeof out);
    if (hv__form_value((const char *)data, size, names[i], out, 16)) {
      size_t n = strnlen(out, 16);
      if (n >= 16) abort();
      if (memchr(out, '\0', n) != NULL) abort();
    }
    if (out[16] != 'X') abort(); /* wrote past the size given */
  }
  return 0;
}
