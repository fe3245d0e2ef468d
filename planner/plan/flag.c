/* planner/plan/flag.c -- flagging students from an attendance export and
 * merging the result into households.csv (docs/flagging.md). */
#include "hv/flag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv/nextweek.h"
#include "scenario_def.h"

/* ---- helpers -------------------------------------------------------- */

/* Lower-case words of letters and digits, common street words shortened,
 * so that "12 Oak Street, Apt. 3" and "12 oak st apt 3" agree. */
static void normalise(const char *in, char *out, size_t size) {
  static const char *const words[][2] = {
      {"street", "st"}, {"avenue", "ave"},     {"road", "rd"},
      {"drive", "dr"},  {"boulevard", "blvd"}, {"apartment", "apt"},
      {"north", "n"},   {"south", "s"},        {"east", "e"},
      {"west", "w"},    {"lane", "ln"},        {"court", "ct"}};
  size_t n = 0;
  const char *p = in;
  while (*p && n + 1 < size) {
    while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80))
      p++;
    char w[64];
    size_t k = 0;
    while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80)) {
      char c = *p++;
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (k + 1 < sizeof w) w[k++] = c;
    }
    w[k] = '\0';
    if (k == 0) break;
    const char *use = w;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (strcmp(w, words[i][0]) == 0) use = words[i][1];
    int m = snprintf(out + n, size - n, "%s%s", n ? " " : "", use);
    if (m < 0) break;
    n += (size_t)m;
  }
  if (n >= size) n = size - 1;
  out[n] = '\0';
}

/* Whether a contact attempt's result says nobody answered. */
static bool unanswered(const char *result) {
  static const char *const says[] = {
      "no answer", "unanswered",   "no response",  "voicemail", "voice mail",
      "returned",  "disconnected", "wrong number", "no reply",  "not reached"};
  char low[256];
  snprintf(low, sizeof low, "%s", result);
  for (char *c = low; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
    if (strstr(low, says[i])) return true;
  return false;
}

static const char *extra_of(const hv_scenario *s, const hv_household *h,
                            const char *name) {
  for (size_t i = 0; i < s->nhh_extra; i++)
    if (strcmp(s->hh_extra_names[i], name) == 0) return h->extra[i];
  return "";
}

/* Whether the ';'-separated list holds id. */
static bool list_has(const char *list, const char *id) {
  size_t n = strlen(id);
  const char *p = list;
  while (*p) {
    while (*p == ' ' || *p == ';')
      p++;
    const char *e = p;
    while (*e && *e != ';')
      e++;
    const char *end = e;
    while (end > p && end[-1] == ' ')
      end--;
    if ((size_t)(end - p) == n && strncmp(p, id, n) == 0) return true;
    p = e;
  }
  return false;
}

typedef struct counts {
  const hv_scenario *s;
  int *unanswered; /* per existing household */
} counts;

static void count_contact(const char *household, const char *result, void *ud) {
  counts *c = ud;
  if (!unanswered(result)) return;
  long h = hv_scenario_find_household(c->s, household);
  if (h >= 0) c->unanswered[h]++;
}

/* ---- the rule ------------------------------------------------------- */

static bool grade_band(const hv_attendance_rules *r, const char *grade) {
  char g[32];
  snprintf(g, sizeof g, "%s", grade);
  /* "KG", "K", "00" and "0" are kindergarten; "09" is 9. */
  if (strcmp(g, "KG") == 0 || strcmp(g, "kg") == 0 || strcmp(g, "k") == 0 ||
      strcmp(g, "0") == 0 || strcmp(g, "00") == 0)
    snprintf(g, sizeof g, "K");
  const char *t = g;
  while (t[0] == '0' && t[1])
    t++;
  for (size_t i = 0; i < r->ngrades; i++)
    if (strcmp(r->grades[i], t) == 0) return true;
  return false;
}

/* priority = 1 + 99 x (sum of weighted parts) / (sum of weights); each
 * part grows with its input and saturates (30 % absence, 3 unanswered
 * attempts), so more absence never lowers a priority. */
static void score(const hv_attendance_rules *r, hv_flag_student *f,
                  int unanswered_n) {
  double W = r->w_rate + r->w_trend + r->w_unanswered + r->w_grade;
  f->part[0] = r->w_rate * fmin(1.0, f->rate / 0.30);
  f->part[1] = f->st->has_recent ? r->w_trend * fmin(1.0, f->trend / 0.30) : 0;
  f->part[2] = r->w_unanswered * fmin(1.0, unanswered_n / 3.0);
  f->part[3] = grade_band(r, f->st->grade) ? r->w_grade : 0;
  double sum = f->part[0] + f->part[1] + f->part[2] + f->part[3];
  int p = (int)lround(1.0 + 99.0 * sum / (W > 0 ? W : 1));
  f->priority = p < 1 ? 1 : p > 100 ? 100 : p;
}

/* ---- flagging ------------------------------------------------------- */

typedef struct keyed {
  char key[600];
  size_t student;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->student > y->student) - (x->student < y->student);
}

void hv_flag_free(hv_flag_result *r) {
  if (r == NULL) return;
  for (size_t i = 0; i < r->nhouseholds; i++)
    free(r->households[i].students);
  free(r->households);
  free(r->students);
  free(r);
}

static void err_at(hv_diags *d, const char *file, uint32_t line,
                   const char *field, const char *fmt, ...) HV_PRINTF(5, 6);
static void err_at(hv_diags *d, const char *file, uint32_t line,
                   const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = file, .line = line, .field = field}, fmt,
                ap);
  va_end(ap);
}

/* The id for a new household: H + its lowest student id (letters, digits,
 * '-' and '_' only), made unique. */
static void new_id(const hv_scenario *s, const hv_flag_result *r,
                   const char *student, char *out, size_t size) {
  char base[48];
  size_t n = 0;
  base[n++] = 'H';
  for (const char *c = student; *c && n + 1 < sizeof base; c++)
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
        (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')
      base[n++] = *c;
  base[n] = '\0';
  for (int k = 1;; k++) {
    if (k == 1)
      snprintf(out, size, "%s", base);
    else
      snprintf(out, size, "%s-%d", base, k);
    bool taken = hv_scenario_find_household(s, out) >= 0;
    for (size_t i = 0; i < r->nhouseholds && !taken; i++)
      taken = strcmp(r->households[i].id, out) == 0;
    if (!taken) return;
  }
}

hv_status hv_flag_run(const hv_scenario *s, const hv_attendance *att,
                      const hv_visit_log *contacts, hv_store *db,
                      hv_flag_result **out, hv_diags *d, hv_error *err) {
  *out = NULL;
  const hv_attendance_rules *rules = &s->attendance;
  size_t N = hv_attendance_count(att), H = s->nhouseholds;
  hv_flag_result *r = calloc(1, sizeof *r);
  keyed *keys = calloc(N + 1, sizeof *keys);
  long *home = calloc(N + 1, sizeof *home); /* existing household index */
  int *unans = calloc(H + 1, sizeof *unans);
  bool *in_export = calloc(H + 1, sizeof *in_export);
  if (r) {
    r->students = calloc(N + 1, sizeof *r->students);
    r->households = calloc(N + H + 1, sizeof *r->households);
  }
  hv_status st = HV_OK;
  if (!r || !keys || !home || !unans || !in_export || !r->students ||
      !r->households) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  r->att = att;
  r->as_of = hv_attendance_as_of(att);
  r->nstudents = N;
  /* Which household each student is in today (households.csv's
   * student_ids); a student in two is an error. */
  for (size_t i = 0; i < N; i++) {
    const hv_att_student *a = hv_attendance_student(att, i);
    home[i] = -1;
    for (size_t h = 0; h < H; h++) {
      const hv_household *hh = &s->households[h];
      if (!list_has(extra_of(s, hh, "student_ids"), a->id)) continue;
      if (home[i] >= 0) {
        err_at(d, "households.csv", hh->line, "student_ids",
               "student '%s' is in two households: '%s' (line %u) and '%s'",
               a->id, s->households[home[i]].id,
               (unsigned)s->households[home[i]].line, hh->id);
        continue;
      }
      home[i] = (long)h;
      in_export[h] = true;
    }
  }
  /* Unanswered contact attempts, per existing household. */
  counts cc = {s, unans};
  for (size_t i = 0; contacts && i < hv_visit_log_contacts(contacts); i++) {
    const hv_log_contact *c = hv_visit_log_contact(contacts, i);
    count_contact(c->household, c->result, &cc);
  }
  if (db) st = hv_store_contacts(db, count_contact, &cc, err);
  if (st != HV_OK) goto done;
  /* Siblings: same guardian and address. */
  for (size_t i = 0; i < N; i++) {
    const hv_att_student *a = hv_attendance_student(att, i);
    char g[256], ad[320];
    normalise(a->guardian, g, sizeof g);
    normalise(a->address, ad, sizeof ad);
    snprintf(keys[i].key, sizeof keys[i].key, "%s|%s", g, ad);
    keys[i].student = i;
    hv_flag_student *f = &r->students[i];
    f->st = a;
    f->rate = a->enrolled > 0 ? a->absent / a->enrolled : 0;
    f->trend = a->has_recent && a->recent_days > 0
                   ? a->recent_absent / a->recent_days
                   : 0;
    f->chronic = f->rate >= rules->threshold - 1e-12;
    f->trending =
        !f->chronic && a->has_recent && f->trend >= rules->threshold - 1e-12;
  }
  qsort(keys, N, sizeof *keys, cmp_keyed);
  for (size_t i = 0; i < N;) {
    size_t j = i;
    while (j < N && strcmp(keys[j].key, keys[i].key) == 0)
      j++;
    /* One household: keys[i..j). */
    long h = -1;
    size_t first = keys[i].student;
    for (size_t k = i; k < j; k++) {
      size_t x = keys[k].student;
      if (home[x] < 0) continue;
      if (h >= 0 && home[x] != h) {
        const hv_att_student *a = hv_attendance_student(att, x);
        err_at(d, "households.csv", s->households[home[x]].line, "student_ids",
               "student '%s' (household '%s') now shares guardian and "
               "address with household '%s': merge the two in "
               "households.csv",
               a->id, s->households[home[x]].id, s->households[h].id);
        continue;
      }
      h = home[x];
      if (x < first) first = x;
    }
    int un = h >= 0 ? unans[h] : 0;
    bool flagged = un >= rules->unanswered_min;
    int prio = 0;
    for (size_t k = i; k < j; k++) {
      hv_flag_student *f = &r->students[keys[k].student];
      score(rules, f, un);
      if (f->chronic || f->trending || un >= rules->unanswered_min) {
        flagged = true;
        if (f->priority > prio) prio = f->priority;
      }
    }
    if (flagged) {
      hv_flag_household *fh = &r->households[r->nhouseholds];
      fh->students = calloc(j - i, sizeof *fh->students);
      if (fh->students == NULL) {
        st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
        goto done;
      }
      for (size_t k = i; k < j; k++) {
        fh->students[fh->nstudents++] = keys[k].student;
        r->flagged_students++;
      }
      fh->priority = prio;
      fh->unanswered = un;
      fh->row = h;
      fh->status = h >= 0 ? HV_FLAG_KEPT : HV_FLAG_NEW;
      if (h >= 0) {
        snprintf(fh->id, sizeof fh->id, "%s", s->households[h].id);
        char x[320], y[320];
        normalise(s->households[h].address, x, sizeof x);
        normalise(hv_attendance_student(att, first)->address, y, sizeof y);
        fh->address_changed = strcmp(x, y) != 0;
      } else {
        /* The lowest student id names a new household. */
        const char *low = hv_attendance_student(att, keys[i].student)->id;
        for (size_t k = i; k < j; k++) {
          const char *id = hv_attendance_student(att, keys[k].student)->id;
          if (strcmp(id, low) < 0) low = id;
        }
        new_id(s, r, low, fh->id, sizeof fh->id);
      }
      size_t ch = 0, tr = 0;
      for (size_t k = 0; k < fh->nstudents; k++) {
        ch += r->students[fh->students[k]].chronic;
        tr += r->students[fh->students[k]].trending;
      }
      snprintf(fh->why, sizeof fh->why,
               "%zu student%s: %zu chronically absent, %zu trending%s%d "
               "unanswered contact attempt%s",
               fh->nstudents, fh->nstudents == 1 ? "" : "s", ch, tr, ", ", un,
               un == 1 ? "" : "s");
      for (size_t k = i; k < j; k++)
        snprintf(r->students[keys[k].student].household,
                 sizeof r->students[0].household, "%s", fh->id);
      r->nhouseholds++;
    } else if (h >= 0) {
      hv_flag_household *fh = &r->households[r->nhouseholds++];
      snprintf(fh->id, sizeof fh->id, "%s", s->households[h].id);
      fh->status = HV_FLAG_DROPPED;
      fh->row = h;
      for (size_t k = i; k < j; k++)
        snprintf(r->students[keys[k].student].household,
                 sizeof r->students[0].household, "%s", fh->id);
      double best = 0;
      for (size_t k = i; k < j; k++)
        best = fmax(best, r->students[keys[k].student].rate);
      snprintf(fh->why, sizeof fh->why,
               "no longer flagged: highest absence rate now %.1f %% (threshold "
               "%.1f %%)",
               100 * best, 100 * rules->threshold);
    }
    i = j;
  }
  /* Households of households.csv the export no longer names. */
  for (size_t h = 0; h < H; h++) {
    if (in_export[h]) continue;
    hv_flag_household *fh = &r->households[r->nhouseholds++];
    snprintf(fh->id, sizeof fh->id, "%s", s->households[h].id);
    fh->row = (long)h;
    bool sis = extra_of(s, &s->households[h], "student_ids")[0] != '\0';
    fh->status = sis ? HV_FLAG_DROPPED : HV_FLAG_MANUAL;
    snprintf(fh->why, sizeof fh->why, "%s",
             sis ? "no longer flagged: no student of it is in the export "
                   "(left the school?)"
                 : "added by hand (no student_ids): kept as it is");
  }
done:
  free(keys);
  free(home);
  free(unans);
  free(in_export);
  if (st != HV_OK) {
    hv_flag_free(r);
    return st;
  }
  *out = r;
  return HV_OK;
}

/* ---- explaining ----------------------------------------------------- */

bool hv_flag_explain(const hv_flag_result *r, const hv_scenario *s,
                     const char *id, char *buf, size_t size) {
  const hv_attendance_rules *ru = &s->attendance;
  const hv_flag_household *fh = NULL;
  for (size_t i = 0; i < r->nhouseholds && !fh; i++)
    if (strcmp(r->households[i].id, id) == 0) fh = &r->households[i];
  if (fh == NULL) return false;
  size_t n = 0;
#define OUT(...)                                                      \
  do {                                                                \
    int m_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__); \
    if (m_ > 0) n += (size_t)m_;                                      \
  } while (0)
  OUT("Household %s: %s\n", fh->id, fh->why);
  if (fh->nstudents == 0) return true;
  double W = ru->w_rate + ru->w_trend + ru->w_unanswered + ru->w_grade;
  OUT("Rule: priority = 1 + 99 x (rate part + trend part + unanswered part + "
      "grade part) / %.0f, the household's being its highest student's.\n",
      W);
  for (size_t k = 0; k < fh->nstudents; k++) {
    const hv_flag_student *f = &r->students[fh->students[k]];
    const hv_att_student *a = f->st;
    OUT("  student %s %s (grade %s): absent %.1f of %.0f days = %.1f %%%s\n",
        a->id, a->name, a->grade[0] ? a->grade : "?", a->absent, a->enrolled,
        100 * f->rate, f->chronic ? " (chronically absent)" : "");
    OUT("    rate part:       %.0f x min(1, %.1f %% / 30 %%) = %.1f\n",
        ru->w_rate, 100 * f->rate, f->part[0]);
    if (a->has_recent)
      OUT("    trend part:      %.0f x min(1, %.1f %% / 30 %%) = %.1f  (last "
          "%.0f school days: %.1f absent%s)\n",
          ru->w_trend, 100 * f->trend, f->part[1], a->recent_days,
          a->recent_absent, f->trending ? ", trending" : "");
    else
      OUT("    trend part:      0 (no recent days in the export)\n");
    OUT("    unanswered part: %.0f x min(1, %d / 3) = %.1f\n", ru->w_unanswered,
        fh->unanswered, f->part[2]);
    OUT("    grade part:      %.1f  (grade %s%s)\n", f->part[3], a->grade,
        f->part[3] > 0 ? " is in attendance.grades" : "");
    OUT("    priority:        1 + 99 x %.1f / %.0f = %d\n",
        f->part[0] + f->part[1] + f->part[2] + f->part[3], W, f->priority);
  }
  OUT("Household priority: %d\n", fh->priority);
#undef OUT
  return true;
}

/* ---- writing -------------------------------------------------------- */

hv_status hv_flag_write(const hv_flag_result *r, const hv_scenario *s,
                        hv_store *db, const char *source, hv_error *err) {
  enum { NSET = 6 };
  static const char *const set_names[NSET] = {"student",    "student_ids",
                                              "grade",      "absence_rate",
                                              "flagged_on", "address"};
  size_t n = 0, cap = r->nhouseholds + 1;
  hv_next_row *rows = calloc(cap, sizeof *rows);
  char(*vals)[NSET][600] = calloc(cap, sizeof *vals);
  const char *(*ptrs)[NSET] = calloc(cap, sizeof *ptrs);
  char(*prio)[8] = calloc(cap, sizeof *prio);
  if (!rows || !vals || !ptrs || !prio) {
    free(rows), free(vals), free(ptrs), free(prio);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  char today[HV_DATE_TEXT];
  hv_date_format(hv_date_today(), today);
  /* Existing rows first, in file order; then new households, most urgent
   * first. */
  /* Existing households by their row in households.csv. */
  size_t *order = calloc(r->nhouseholds + 1, sizeof *order);
  if (order == NULL) {
    free(rows), free(vals), free(ptrs), free(prio);
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  }
  size_t norder = 0;
  for (size_t h = 0; h < s->nhouseholds; h++)
    for (size_t i = 0; i < r->nhouseholds; i++)
      if (r->households[i].row == (long)h &&
          r->households[i].status != HV_FLAG_NEW)
        order[norder++] = i;
  for (size_t i = 0; i < r->nhouseholds; i++)
    if (r->households[i].status == HV_FLAG_NEW) order[norder++] = i;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t oi = 0; oi < norder; oi++) {
      const hv_flag_household *fh = &r->households[order[oi]];
      if (fh->status == HV_FLAG_DROPPED) continue;
      if ((pass == 0) != (fh->status != HV_FLAG_NEW)) continue;
      rows[n].id = fh->id;
      rows[n].new_row = fh->status == HV_FLAG_NEW;
      if (fh->status == HV_FLAG_MANUAL) {
        n++;
        continue;
      }
      const hv_att_student *a0 = r->students[fh->students[0]].st;
      char(*v)[600] = vals[n];
      size_t lv[NSET] = {0};
      /* Names and grades of the flagged students (all of them when the
       * family is flagged as unreachable); ids of every student. */
      size_t named = 0;
      for (size_t k = 0; k < fh->nstudents; k++)
        named += r->students[fh->students[k]].chronic ||
                 r->students[fh->students[k]].trending;
      for (size_t k = 0; k < fh->nstudents; k++) {
        const hv_flag_student *f = &r->students[fh->students[k]];
        const hv_att_student *a = f->st;
        bool shown = named == 0 || f->chronic || f->trending;
        const char *part[3] = {a->name, a->id, a->grade};
        for (int c = 0; c < 3; c++) {
          if (c != 1 && !shown) continue;
          lv[c] += (size_t)snprintf(v[c] + lv[c], lv[c] < 600 ? 600 - lv[c] : 0,
                                    "%s%s", lv[c] ? "; " : "", part[c]);
        }
      }
      double worst = 0;
      for (size_t k = 0; k < fh->nstudents; k++)
        worst = fmax(worst, r->students[fh->students[k]].rate);
      snprintf(v[3], 600, "%.1f", 100 * worst);
      const char *was = fh->row >= 0
                            ? extra_of(s, &s->households[fh->row], "flagged_on")
                            : "";
      snprintf(v[4], 600, "%s", was[0] ? was : today);
      snprintf(v[5], 600, "%s",
               fh->row >= 0 && !fh->address_changed
                   ? s->households[fh->row].address
                   : a0->address);
      for (int c = 0; c < NSET; c++)
        ptrs[n][c] = v[c];
      rows[n].nset = NSET;
      rows[n].set_names = set_names;
      rows[n].set_values = ptrs[n];
      rows[n].clear_coords = fh->address_changed;
      rows[n].priority = fh->priority;
      if (fh->status == HV_FLAG_NEW) {
        rows[n].guardian = a0->guardian;
        rows[n].phone = a0->phone;
        rows[n].address = a0->address;
        const char *code = hv_language_code(a0->language);
        rows[n].language = code ? code : a0->language;
        rows[n].visit_type = "attendance";
      }
      n++;
    }
  }
  /* New rows: most urgent first (stable for equal priority). */
  size_t first_new = 0;
  while (first_new < n && !rows[first_new].new_row)
    first_new++;
  for (size_t i = first_new + 1; i < n; i++) {
    hv_next_row x = rows[i];
    size_t k = i;
    while (k > first_new && rows[k - 1].priority < x.priority) {
      rows[k] = rows[k - 1];
      k--;
    }
    rows[k] = x;
  }
  hv_status st = HV_OK;
  if (db) st = hv_store_begin(db, err);
  char now[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char as_of[HV_DATE_TEXT];
  hv_date_format(r->as_of, as_of);
  /* Every student of the export with a household, flagged or no longer:
   * the rates before and after the visits come from these. */
  for (size_t i = 0; db && st == HV_OK && i < r->nstudents; i++) {
    const hv_flag_student *f = &r->students[i];
    if (f->household[0] == '\0' || f->st->enrolled <= 0) continue;
    {
      const hv_att_student *a = f->st;
      hv_store_attendance sa = {.student = a->id,
                                .household = f->household,
                                .name = a->name,
                                .grade = a->grade,
                                .as_of = as_of,
                                .source = source,
                                .enrolled = a->enrolled,
                                .absent = a->absent};
      st = hv_store_put_attendance(db, &sa, now, err);
    }
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/households.csv", s->dir);
  if (st == HV_OK) st = hv_households_write(s->dir, rows, n, path, err);
  if (db) {
    if (st == HV_OK)
      st = hv_store_commit(db, err);
    else
      hv_store_rollback(db);
  }
  free(rows), free(vals), free(ptrs), free(prio);
  free(order);
  return st;
}
