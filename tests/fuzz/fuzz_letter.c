/* tests/fuzz/fuzz_letter.c -- letter templates (templates/letter.<lang>.txt)
 * on arbitrary bytes: parsed or refused with a message, and a parsed one
 * fills in without a crash, a leak, or a message over 320 characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/letter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hv_diags *d = hv_diags_create();
  hv_letter_template *t =
      hv_letter_template_parse((const char *)data, size, "letter.xx.txt", d);
  if (t != NULL) {
    hv_letter_fields f = {.guardian = "Luis López",
                          .students = "Camila López; Mateo López",
                          .school = "Lincoln",
                          .school_phone = "612-555-0100",
                          .family_phone = "612-555-0101",
                          .weekday = (int)(size % 7),
                          .date = {2026, 3, 2},
                          .from = 900,
                          .to = 960,
                          .time = 915,
                          .nstaff = 1 + size % 2,
                          .staff_first = {"Ana", "Ben"},
                          .staff_role = {"counselor", "social worker"},
                          .mode = (hv_visit_mode)(size % 3),
                          .place_name = "Library",
                          .place_address = "1 Main St",
                          .link = size % 4 ? "https://meet.example.org/x" : ""};
    bool shortened;
    char *a = hv_letter_subject(t, &f), *b = hv_letter_body(t, &f),
         *m = hv_letter_message(t, &f, &shortened);
    if (!a || !b || !m) abort();
    if (hv_utf8_chars(m) > HV_MESSAGE_MAX_CHARS) abort();
    free(a), free(b), free(m);
    hv_letter_template_free(t);
  } else if (hv_diags_errors(d) == 0) {
    abort(); /* refused without saying why */
  }
  hv_diags_free(d);
  return 0;
}
