/* planner/io/letter.c -- heads-up letter templates (hv/letter.h): parsing
 * with every problem reported by line, and filling in. */
#include "hv/letter.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "plan_def.h"

enum { W_HOME, W_PLACE, W_VIRTUAL, W_PHONE, W_COUNT };
#define MAX_ROLES 32

struct hv_letter_template {
  hv_arena *arena;
  const char *name;
  const char *days[7], *months[12], *and_word, *subject, *message, *body;
  const char *where[W_COUNT];
  size_t nroles;
  const char *role_from[MAX_ROLES], *role_to[MAX_ROLES];
};

/* The built-in English template, parsed once. */
static hv_letter_template *english;

static const char *const placeholders[] = {
    "guardian", "students",    "school",     "school_phone",
    "day",      "day_number",  "month",      "year",
    "date",     "from",        "to",         "time",
    "staff",    "where",       "place_name", "place_address",
    "link",     "family_phone"};
#define NPLACEHOLDERS (sizeof placeholders / sizeof placeholders[0])

/* ---- parsing -------------------------------------------------------- */

static void problem(hv_diags *d, const char *name, uint32_t line,
                    const char *field, const char *fmt, ...) HV_PRINTF(5, 6);
static void problem(hv_diags *d, const char *name, uint32_t line,
                    const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = name, .line = line, .field = field}, fmt,
                ap);
  va_end(ap);
}

/* Every {name} in text is known (and {where} only where allowed). */
static bool check_text(const char *text, const char *name, uint32_t line,
                       const char *field, bool where_ok, hv_diags *d) {
  bool ok = true;
  uint32_t at = line;
  for (const char *p = text; *p; p++) {
    if (*p == '\n') at++;
    if (*p != '{') continue;
    const char *e = p + 1;
    while ((*e >= 'a' && *e <= 'z') || *e == '_')
      e++;
    if (*e != '}') e = NULL; /* a placeholder is {lower_case} */
    size_t n = e ? (size_t)(e - p - 1) : 0;
    bool known = false;
    for (size_t i = 0; e && i < NPLACEHOLDERS && !known; i++)
      known = strlen(placeholders[i]) == n &&
              strncmp(p + 1, placeholders[i], n) == 0;
    if (!e || !known) {
      problem(d, name, at, field,
              e ? "unknown placeholder {%.*s} (docs/letters.md lists them)"
                : "'{' without '}' (a placeholder is like {school})%.*s",
              (int)n, p + 1);
      ok = false;
      if (!e) continue;
    } else if (!where_ok && n == 5 && strncmp(p + 1, "where", 5) == 0) {
      problem(d, name, at, field, "{where} cannot be used inside @where");
      ok = false;
    }
    p = e;
  }
  return ok;
}

/* "a, b, c" into exactly n names. */
static bool split_names(hv_arena *a, const char *value, const char **out,
                        size_t n) {
  size_t k = 0;
  const char *p = value;
  while (*p && k < n + 1) {
    size_t len = strcspn(p, ",");
    char *item = hv__arena_strndup(a, p, len);
    if (item == NULL) return false;
    item = hv__trim(item);
    if (k < n) out[k] = item;
    k++;
    p += len;
    if (*p == ',') p++;
  }
  return k == n;
}

hv_letter_template *hv_letter_template_parse(const char *text, size_t len,
                                             const char *name, hv_diags *d) {
  size_t errors = hv_diags_errors(d);
  if (!hv__utf8_valid(text, len, NULL)) {
    problem(d, name, 0, NULL, "not UTF-8 text");
    return NULL;
  }
  hv_letter_template *t = calloc(1, sizeof *t);
  hv_arena *a = hv__arena_create();
  char *copy = a ? hv__arena_strndup(a, text, len) : NULL;
  if (t == NULL || copy == NULL) {
    free(t);
    hv__arena_free(a);
    hv_diags_add(d, HV_SEV_ERROR, HV_E_NOMEM, (hv_where){0}, "out of memory");
    return NULL;
  }
  t->arena = a;
  t->name = hv__arena_strdup(a, name);
  if (strncmp(copy, "\xEF\xBB\xBF", 3) == 0) copy += 3;
  uint32_t line = 0, lines[8 + W_COUNT] = {0};
  uint32_t body_line = 0;
  char *p = copy;
  while (*p) {
    char *nl = strchr(p, '\n');
    char *next = nl ? nl + 1 : p + strlen(p);
    line++;
    const char *first = p;
    while (*first == ' ' || *first == '\t' || *first == '\r')
      first++;
    if (*first != '@' && *first != '#' && *first != '\n' && *first != '\0') {
      body_line = line; /* the body keeps its lines, without CRs */
      char *w = p;
      for (char *r = p; *r; r++)
        if (*r != '\r') *w++ = *r;
      *w = '\0';
      t->body = p;
      break;
    }
    if (nl) *nl = '\0';
    char *s = hv__trim(p);
    if (*s == '\0' || *s == '#') {
      p = next;
      continue;
    }
    char *eq = strchr(s, '=');
    if (eq == NULL) {
      problem(d, name, line, NULL, "a directive needs '=': @key = value");
      p = next;
      continue;
    }
    *eq = '\0';
    char *key = hv__trim(s + 1), *value = hv__trim(eq + 1);
    if (strcmp(key, "days") == 0) {
      if (!split_names(a, value, t->days, 7))
        problem(d, name, line, "@days",
                "give the seven day names, Monday first, joined by ','");
      lines[0] = line;
    } else if (strcmp(key, "months") == 0) {
      if (!split_names(a, value, t->months, 12))
        problem(d, name, line, "@months",
                "give the twelve month names, January first, joined by ','");
      lines[1] = line;
    } else if (strcmp(key, "and") == 0) {
      t->and_word = value;
      lines[2] = line;
    } else if (strcmp(key, "subject") == 0) {
      t->subject = value;
      lines[3] = line;
    } else if (strcmp(key, "message") == 0) {
      t->message = value;
      lines[4] = line;
    } else if (strncmp(key, "where.", 6) == 0) {
      static const char *const kinds[W_COUNT] = {"home", "place", "virtual",
                                                 "phone"};
      int k = -1;
      for (int i = 0; i < W_COUNT; i++)
        if (strcmp(key + 6, kinds[i]) == 0) k = i;
      if (k < 0)
        problem(d, name, line, NULL,
                "unknown directive '@%s' (@where.home, @where.place, "
                "@where.virtual or @where.phone)",
                key);
      else
        t->where[k] = value, lines[8 + k] = line;
    } else if (strncmp(key, "role ", 5) == 0) {
      if (t->nroles == MAX_ROLES)
        problem(d, name, line, NULL, "at most %d @role lines", MAX_ROLES);
      else
        t->role_from[t->nroles] = hv__trim(key + 5),
        t->role_to[t->nroles++] = value;
    } else {
      problem(d, name, line, NULL,
              "unknown directive '@%s' (docs/letters.md lists them)", key);
    }
    p = next;
  }
  /* What every letter needs. */
  static const char *const need[] = {"@days", "@months", "@and", NULL,
                                     "@message"};
  const void *have[] = {t->days[0], t->months[0], t->and_word, NULL,
                        t->message};
  for (int i = 0; i < 5; i++)
    if (need[i] && have[i] == NULL)
      problem(d, name, 1, need[i], "missing directive '%s = ...'", need[i]);
  static const char *const wneed[] = {"@where.home", "@where.place",
                                      "@where.virtual"};
  for (int k = 0; k < W_PHONE; k++)
    if (t->where[k] == NULL)
      problem(d, name, 1, wneed[k], "missing directive '%s = ...'", wneed[k]);
  if (t->body == NULL || hv__trim((char *)t->body)[0] == '\0')
    problem(d, name, line, NULL, "the letter has no text after the @ lines");
  if (t->subject) check_text(t->subject, name, lines[3], "@subject", true, d);
  if (t->message) check_text(t->message, name, lines[4], "@message", true, d);
  for (int k = 0; k < W_COUNT; k++)
    if (t->where[k])
      check_text(t->where[k], name, lines[8 + k], "@where", false, d);
  if (t->body) check_text(t->body, name, body_line, NULL, true, d);
  if (hv_diags_errors(d) > errors) {
    hv_letter_template_free(t);
    return NULL;
  }
  return t;
}

void hv_letter_template_free(hv_letter_template *t) {
  if (t == NULL || t == english) return;
  hv__arena_free(t->arena);
  free(t);
}

static const char english_text[] =
    "@days = Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday\n"
    "@months = January, February, March, April, May, June, July, August, "
    "September, October, November, December\n"
    "@and = and\n"
    "@subject = A visit from {school}\n"
    "@where.home = We will come to your home.\n"
    "@where.place = We will meet you at {place_name}, {place_address}.\n"
    "@where.virtual = It will be a video call: at that time, open {link} on a "
    "phone or computer.\n"
    "@where.phone = It will be a call: we will phone you at {family_phone}.\n"
    "@message = {school}: {staff} would like to meet you about {students} on "
    "{day} {month} {day_number}, between {from} and {to}. {where} To change "
    "the time, call {school_phone}.\n"
    "Dear {guardian},\n\n"
    "We would like to meet you about {students} on {day}, {month} "
    "{day_number}, {year}, between {from} and {to}. {where}\n\n"
    "{staff} from {school} will be there. We meet many families at this time "
    "of year: we want to get to know you, to hear how the school year is "
    "going, and to see how the school can help.\n\n"
    "If this time does not suit you, or you would rather meet somewhere else "
    "or by video, please call us at {school_phone} and we will find another "
    "time.\n\n"
    "With best wishes,\n"
    "{school}\n";

static void parse_english(void) {
  hv_diags *d = hv_diags_create();
  if (d == NULL) return;
  english = hv_letter_template_parse(english_text, sizeof english_text - 1,
                                     "built-in English letter", d);
  hv_diags_free(d);
}

const hv_letter_template *hv_letter_template_english(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, parse_english);
  return english;
}

/* ---- filling in ----------------------------------------------------- */

typedef struct text_buf {
  char *s;
  size_t n, cap;
  bool failed;
} text_buf;

static void put(text_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *ns = realloc(b->s, cap);
    if (ns == NULL) {
      b->failed = true;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void puts_(text_buf *b, const char *s) {
  put(b, s, strlen(s));
}

static const char *role_of(const hv_letter_template *t, const char *role) {
  for (size_t i = 0; i < t->nroles; i++)
    if (hv__strcasecmp(t->role_from[i], role) == 0) return t->role_to[i];
  return role;
}

/* "Camila López; Mateo López" -> "Camila and Mateo". */
static void students(const hv_letter_template *t, const char *list,
                     text_buf *b) {
  char last[80], names[1024];
  snprintf(last, sizeof last, " %s ", t->and_word);
  puts_(b, hv_student_first_names(list, last, names, sizeof names));
}

static void expand(const hv_letter_template *t, const hv_letter_fields *f,
                   const char *text, bool roles, text_buf *b);

static void value(const hv_letter_template *t, const hv_letter_fields *f,
                  const char *key, size_t n, bool roles, text_buf *b) {
  char tmp[32];
#define IS(k) (strlen(k) == n && strncmp(key, k, n) == 0)
  if (IS("guardian")) {
    puts_(b, f->guardian);
  } else if (IS("students")) {
    students(t, f->students, b);
  } else if (IS("school")) {
    puts_(b, f->school);
  } else if (IS("school_phone")) {
    puts_(b, f->school_phone);
  } else if (IS("family_phone")) {
    puts_(b, f->family_phone);
  } else if (IS("day")) {
    puts_(b, t->days[f->weekday >= 0 && f->weekday < 7 ? f->weekday : 0]);
  } else if (IS("day_number")) {
    snprintf(tmp, sizeof tmp, "%d", f->date.d), puts_(b, tmp);
  } else if (IS("month")) {
    puts_(b, t->months[f->date.m >= 1 && f->date.m <= 12 ? f->date.m - 1 : 0]);
  } else if (IS("year")) {
    snprintf(tmp, sizeof tmp, "%d", f->date.y), puts_(b, tmp);
  } else if (IS("date")) {
    puts_(b, hv_date_format(f->date, tmp));
  } else if (IS("from")) {
    puts_(b, hv_hhmm_format(f->from, tmp));
  } else if (IS("to")) {
    puts_(b, hv_hhmm_format(f->to, tmp));
  } else if (IS("time")) {
    puts_(b, hv_hhmm_format(f->time, tmp));
  } else if (IS("staff")) {
    for (size_t i = 0; i < f->nstaff && i < 2; i++) {
      if (i > 0) {
        puts_(b, " ");
        puts_(b, t->and_word);
        puts_(b, " ");
      }
      puts_(b, f->staff_first[i]);
      if (roles && f->staff_role[i] && f->staff_role[i][0]) {
        puts_(b, " (");
        puts_(b, role_of(t, f->staff_role[i]));
        puts_(b, ")");
      }
    }
  } else if (IS("where")) {
    int k = f->mode == HV_MODE_PLACE     ? W_PLACE
            : f->mode == HV_MODE_VIRTUAL ? W_VIRTUAL
                                         : W_HOME;
    if (k == W_VIRTUAL && (f->link == NULL || f->link[0] == '\0'))
      k = t->where[W_PHONE] ? W_PHONE : W_VIRTUAL;
    expand(t, f, t->where[k], roles, b);
  } else if (IS("place_name")) {
    puts_(b, f->place_name ? f->place_name : "");
  } else if (IS("place_address")) {
    puts_(b, f->place_address ? f->place_address : "");
  } else if (IS("link")) {
    puts_(b, f->link && f->link[0] ? f->link : f->family_phone);
  }
#undef IS
}

static void expand(const hv_letter_template *t, const hv_letter_fields *f,
                   const char *text, bool roles, text_buf *b) {
  const char *p = text;
  while (*p) {
    const char *open = strchr(p, '{');
    if (open == NULL) {
      puts_(b, p);
      return;
    }
    put(b, p, (size_t)(open - p));
    const char *close = strchr(open, '}');
    if (close == NULL) { /* checked when parsed */
      puts_(b, open);
      return;
    }
    value(t, f, open + 1, (size_t)(close - open - 1), roles, b);
    p = close + 1;
  }
}

static char *fill(const hv_letter_template *t, const hv_letter_fields *f,
                  const char *text, bool roles) {
  text_buf b = {0};
  puts_(&b, "");
  expand(t, f, text, roles, &b);
  if (b.failed) {
    free(b.s);
    return NULL;
  }
  return b.s;
}

char *hv_letter_subject(const hv_letter_template *t,
                        const hv_letter_fields *f) {
  return fill(t, f, t->subject ? t->subject : "{school}", true);
}

char *hv_letter_body(const hv_letter_template *t, const hv_letter_fields *f) {
  char *s = fill(t, f, t->body, true);
  if (s) { /* no trailing blank lines */
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
      s[--n] = '\0';
  }
  return s;
}

size_t hv_utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

char *hv_letter_message(const hv_letter_template *t, const hv_letter_fields *f,
                        bool *shortened) {
  if (shortened) *shortened = false;
  char *s = fill(t, f, t->message, true);
  if (s == NULL || hv_utf8_chars(s) <= HV_MESSAGE_MAX_CHARS) return s;
  free(s);
  if (shortened) *shortened = true;
  s = fill(t, f, t->message, false); /* without the roles */
  if (s == NULL || hv_utf8_chars(s) <= HV_MESSAGE_MAX_CHARS) return s;
  /* Cut at a space, on a character boundary, with an ellipsis. */
  size_t chars = 0, cut = 0, i = 0;
  for (; s[i] && chars < HV_MESSAGE_MAX_CHARS - 1; i++) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) chars++;
    if (s[i] == ' ') cut = i;
  }
  while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
    i++;
  if (cut == 0) cut = i;
  char *out = malloc(cut + 4);
  if (out) {
    memcpy(out, s, cut);
    memcpy(out + cut, "\xE2\x80\xA6", 4); /* "…" and the NUL */
  }
  free(s);
  return out;
}

/* ---- the plan's heads-ups ------------------------------------------- */

static void heads_up_of(const hv_scenario *s, const hv_household *h, int day,
                        hv_date date, int start, const hv_staff *const *staff,
                        size_t nstaff, const char *link, hv_heads_up *u) {
  const hv_place *pl = hv_household_place(s, h);
  memset(u, 0, sizeof *u);
  u->h = h;
  u->t = hv_scenario_letter(s, h->language, &u->translated);
  snprintf(u->link, sizeof u->link, "%s", link);
  u->f = (hv_letter_fields){.guardian = h->guardian[0] ? h->guardian : "",
                            .students = h->student,
                            .school = s->base.name,
                            .school_phone = s->base.phone,
                            .family_phone = h->phone,
                            .weekday = day,
                            .date = date,
                            .time = start,
                            .nstaff = nstaff,
                            .mode = h->mode,
                            .place_name = pl ? pl->name : "",
                            .place_address = pl ? pl->address : "",
                            .link = u->link};
  if (nstaff == 1) {
    /* A call is an appointment: its own time. */
    u->f.from = start;
    u->f.to = start + hv_household_minutes(s, h);
  } else {
    /* An hour for the arrival, on half hours, never before the family's
     * window opens. */
    int from = (start - 15) / 30 * 30;
    for (size_t i = 0; i < h->avail.n; i++) {
      const hv_window *w = &h->avail.w[i];
      if (w->day == day && w->start_min <= start && start < w->end_min &&
          from < w->start_min)
        from = w->start_min;
    }
    u->f.from = from < 0 ? 0 : from;
    u->f.to = u->f.from + 60;
  }
  for (size_t i = 0; i < nstaff && i < 2; i++) {
    hv_first_name(staff[i] ? staff[i]->name : "", u->first[i],
                  sizeof u->first[i]);
    u->f.staff_first[i] = u->first[i];
    u->f.staff_role[i] = staff[i] ? staff[i]->role : "";
  }
}

size_t hv_plan_heads_up(const hv_plan *p, hv_heads_up **out) {
  const hv_scenario *s = p->scenario;
  size_t total = p->ncalls;
  for (size_t r = 0; r < p->nroutes; r++)
    total += p->routes[r].nstops;
  *out = calloc(total + 1, sizeof **out);
  if (*out == NULL) return 0;
  size_t n = 0;
  for (size_t r = 0; r < p->nroutes; r++) {
    const hv_plan_route *pr = &p->routes[r];
    if (pr->kept) continue;
    const hv_staff *staff[2];
    for (int m = 0; m < 2; m++)
      staff[m] = pr->staff_index[m] >= 0 ? &s->staff[pr->staff_index[m]] : NULL;
    for (size_t k = 0; k < pr->nstops; k++) {
      const hv_plan_stop *ps = &pr->stops[k];
      if (ps->household >= s->nhouseholds) continue;
      heads_up_of(s, &s->households[ps->household], pr->day, pr->date,
                  ps->start, staff, 2, "", &(*out)[n++]);
    }
  }
  for (size_t c = 0; c < p->ncalls; c++) {
    const hv_plan_call *pc = &p->calls[c];
    if (pc->kept || pc->household >= s->nhouseholds) continue;
    const hv_staff *st =
        pc->staff_index >= 0 ? &s->staff[pc->staff_index] : NULL;
    const char *link =
        st && st->video_link[0] ? st->video_link : s->visits.video_link;
    heads_up_of(s, &s->households[pc->household], pc->day, pc->date, pc->start,
                &st, 1, link, &(*out)[n++]);
  }
  return n;
}
