/* planner/io/language.c -- ISO 639-1 language codes and the English names
 * student-information systems often export instead ("Spanish"). */
#include <string.h>

#include "common_int.h"
#include "hv/scenario.h"

/* Every ISO 639-1 code. */
static const char *const all_codes[] = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az",
    "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce",
    "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee",
    "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
    "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is",
    "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn",
    "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms",
    "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
    "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu",
    "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sk", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta",
    "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw",
    "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu",
};

static const struct {
  const char *code, *name;
} names[] = {
    {"am", "Amharic"},  {"ar", "Arabic"},      {"bn", "Bengali"},
    {"bs", "Bosnian"},  {"de", "German"},      {"el", "Greek"},
    {"en", "English"},  {"es", "Spanish"},     {"fa", "Persian"},
    {"fr", "French"},   {"gu", "Gujarati"},    {"he", "Hebrew"},
    {"hi", "Hindi"},    {"hmn", "Hmong"},      {"ht", "Haitian Creole"},
    {"hy", "Armenian"}, {"it", "Italian"},     {"ja", "Japanese"},
    {"km", "Khmer"},    {"ko", "Korean"},      {"ku", "Kurdish"},
    {"lo", "Lao"},      {"my", "Burmese"},     {"ne", "Nepali"},
    {"om", "Oromo"},    {"pa", "Punjabi"},     {"pl", "Polish"},
    {"ps", "Pashto"},   {"pt", "Portuguese"},  {"ro", "Romanian"},
    {"ru", "Russian"},  {"rw", "Kinyarwanda"}, {"so", "Somali"},
    {"sq", "Albanian"}, {"sw", "Swahili"},     {"ta", "Tamil"},
    {"te", "Telugu"},   {"th", "Thai"},        {"ti", "Tigrinya"},
    {"tl", "Tagalog"},  {"tr", "Turkish"},     {"uk", "Ukrainian"},
    {"ur", "Urdu"},     {"uz", "Uzbek"},       {"vi", "Vietnamese"},
    {"yo", "Yoruba"},   {"zh", "Chinese"},
};

/* Other names systems use for the same languages. */
static const struct {
  const char *alias, *code;
} aliases[] = {{"Mandarin", "zh"}, {"Cantonese", "zh"}, {"Farsi", "fa"},
               {"Dari", "fa"},     {"Filipino", "tl"},  {"Creole", "ht"},
               {"Kreyol", "ht"},   {"Panjabi", "pa"},   {"Castilian", "es"}};

const char *hv_language_code(const char *text) {
  if (strlen(text) == 2) {
    for (size_t i = 0; i < sizeof all_codes / sizeof all_codes[0]; i++)
      if (hv__strcasecmp(text, all_codes[i]) == 0) return all_codes[i];
    return NULL;
  }
  if (hv__strcasecmp(text, "hmn") == 0) return "hmn"; /* Hmong: ISO 639-2 */
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (hv__strcasecmp(text, names[k].name) == 0) return names[k].code;
  for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
    if (hv__strcasecmp(text, aliases[k].alias) == 0) return aliases[k].code;
  return NULL;
}

const char *hv_language_name(const char *code) {
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (strcmp(code, names[k].code) == 0) return names[k].name;
  return code;
}
