/* planner/io/visit_log.c -- the visit log (visits.csv) and the contact log
 * (calls.csv), read through the CSV table (libcsv) and checked row by row.
 * Every problem is reported as file:line:field, all at once. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "hv/visitlog.h"

struct hv_visit_log {
  hv_csv_table *t;
  char name[160];
  size_t nvisits, ncontacts;
  hv_log_visit *visits;
  hv_log_contact *contacts;
};

static const char *const outcomes[HV_OUTCOME_COUNT] = {
    "met", "not_home", "declined", "moved", "rescheduled", "other"};

static const char *const barriers[HV_BARRIER_COUNT] = {
    "transportation", "health", "housing",        "childcare",
    "work_schedule",  "safety", "school_climate", "other"};

const char *hv_outcome_name(hv_outcome o) {
  return (unsigned)o < HV_OUTCOME_COUNT ? outcomes[o] : "other";
}

const char *hv_barrier_name(size_t i) {
  return i < HV_BARRIER_COUNT ? barriers[i] : "";
}

/* Names as written on paper: any case, blanks or '-' for '_'. */
static void normalise(const char *in, char *out, size_t size) {
  size_t n = 0;
  for (const char *c = in; *c && n + 1 < size; c++) {
    char ch = *c;
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
    if (ch == ' ' || ch == '-') ch = '_';
    out[n++] = ch;
  }
  out[n] = '\0';
}

static void add(hv_diags *d, const char *file, uint32_t line, const char *field,
                const char *fmt, ...) HV_PRINTF(5, 6);
static void add(hv_diags *d, const char *file, uint32_t line, const char *field,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hv_diags_addv(d, HV_SEV_ERROR, HV_E_INPUT,
                (hv_where){.source = file, .line = line, .field = field}, fmt,
                ap);
  va_end(ap);
}

/* Finds the named columns; reports each missing required one. */
static bool columns(const hv_csv_table *t, const char *const *names, int *idx,
                    size_t n, size_t required, const char *need, hv_diags *d) {
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    idx[i] = hv__csv_col(t, names[i]);
    if (idx[i] < 0 && i < required) {
      hv_diags_add(d, HV_SEV_ERROR, HV_E_INPUT,
                   (hv_where){.source = t->name, .line = 1, .field = names[i]},
                   "missing column '%s' (the header needs %s)", names[i], need);
      ok = false;
    }
  }
  return ok;
}

static const char *cell(const hv_csv_row *r, int i) {
  return i >= 0 ? r->cells[i] : "";
}

static hv_visit_log *log_new(const char *name) {
  hv_visit_log *log = calloc(1, sizeof *log);
  if (log) snprintf(log->name, sizeof log->name, "%s", name);
  return log;
}

/* ---- visits.csv ----------------------------------------------------- */

enum {
  V_HOUSEHOLD,
  V_DATE,
  V_OUTCOME,
  V_BARRIERS,
  V_REFERRALS,
  V_NEXT_STEP,
  V_FOLLOW_UP,
  V_NOTES,
  V_STAFF,
  V_NCOLS
};
static const char *const visit_cols[V_NCOLS] = {
    "household", "date",           "outcome", "barriers", "referrals",
    "next_step", "follow_up_date", "notes",   "staff"};

static bool visit_row(hv_visit_log *log, const hv_csv_row *r, const int *c,
                      hv_diags *d) {
  const char *f = log->t->name;
  hv_log_visit *v = &log->visits[log->nvisits];
  memset(v, 0, sizeof *v);
  v->line = r->line;
  v->household = cell(r, c[V_HOUSEHOLD]);
  bool ok = true;
  if (v->household[0] == '\0') {
    add(d, f, r->line, "household", "no household id");
    ok = false;
  }
  const char *date = cell(r, c[V_DATE]);
  if (!hv_date_parse(date, &v->date)) {
    add(d, f, r->line, "date", "'%s' is not a date (YYYY-MM-DD)", date);
    ok = false;
  }
  char w[64];
  normalise(cell(r, c[V_OUTCOME]), w, sizeof w);
  int o = -1;
  for (int i = 0; i < HV_OUTCOME_COUNT; i++)
    if (strcmp(w, outcomes[i]) == 0) o = i;
  if (o < 0) {
    add(d, f, r->line, "outcome",
        "unknown outcome '%s' (met, not_home, declined, moved, rescheduled, "
        "other)",
        cell(r, c[V_OUTCOME]));
    ok = false;
  }
  v->outcome = o < 0 ? HV_OUTCOME_OTHER : (hv_outcome)o;
  /* Barriers: any order, any case; kept in the form's order. */
  bool has[HV_BARRIER_COUNT] = {0};
  const char *b = cell(r, c[V_BARRIERS]);
  while (*b) {
    const char *e = strchr(b, ';');
    size_t n = e ? (size_t)(e - b) : strlen(b);
    char one[64];
    snprintf(one, sizeof one, "%.*s", (int)(n < 63 ? n : 63), b);
    char *s = one;
    while (*s == ' ')
      s++;
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ')
      s[--len] = '\0';
    normalise(s, w, sizeof w);
    if (w[0]) {
      int k = -1;
      for (int i = 0; i < HV_BARRIER_COUNT; i++)
        if (strcmp(w, barriers[i]) == 0) k = i;
      if (k < 0) {
        add(d, f, r->line, "barriers",
            "unknown barrier '%s' (transportation, health, housing, "
            "childcare, work_schedule, safety, school_climate, other)",
            s);
        ok = false;
      } else {
        has[k] = true;
      }
    }
    b = e ? e + 1 : b + n;
  }
  char list[256] = "";
  for (int i = 0; i < HV_BARRIER_COUNT; i++)
    if (has[i]) {
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%s%s", l ? ";" : "", barriers[i]);
    }
  v->barriers = hv__arena_strdup(log->t->arena, list);
  v->referrals = cell(r, c[V_REFERRALS]);
  v->next_step = cell(r, c[V_NEXT_STEP]);
  v->notes = cell(r, c[V_NOTES]);
  v->staff = cell(r, c[V_STAFF]);
  const char *fu = cell(r, c[V_FOLLOW_UP]);
  if (fu[0]) {
    v->has_follow_up = hv_date_parse(fu, &v->follow_up);
    if (!v->has_follow_up) {
      add(d, f, r->line, "follow_up_date", "'%s' is not a date (YYYY-MM-DD)",
          fu);
      ok = false;
    } else if (ok && hv_date_cmp(v->follow_up, v->date) <= 0) {
      add(d, f, r->line, "follow_up_date",
          "the follow-up date %s is not after the visit (%s)", fu, date);
      ok = false;
    }
  }
  if (v->barriers == NULL) return false;
  /* One row per household and date. */
  for (size_t i = 0; ok && i < log->nvisits; i++) {
    const hv_log_visit *x = &log->visits[i];
    if (strcmp(x->household, v->household) == 0 &&
        hv_date_cmp(x->date, v->date) == 0) {
      add(d, f, r->line, "household",
          "household '%s' on %s is already on line %u", v->household, date,
          (unsigned)x->line);
      ok = false;
    }
  }
  if (ok) log->nvisits++;
  return ok;
}

static hv_status finish(hv_status st, hv_visit_log *log, hv_visit_log **out) {
  if (st != HV_OK) {
    hv_visit_log_free(log);
    return st;
  }
  *out = log;
  return HV_OK;
}

static hv_status read_visits(hv_csv_table *t, const char *name,
                             hv_visit_log **out, hv_diags *d) {
  hv_visit_log *log = log_new(name);
  if (log == NULL) {
    hv__csv_free(t);
    return HV_E_NOMEM;
  }
  log->t = t;
  int c[V_NCOLS];
  if (!columns(t, visit_cols, c, V_NCOLS, 3, "household, date, outcome", d))
    return finish(HV_OK, log, out);
  log->visits = calloc(t->nrows + 1, sizeof *log->visits);
  if (log->visits == NULL) return finish(HV_E_NOMEM, log, out);
  for (size_t i = 0; i < t->nrows; i++)
    visit_row(log, &t->rows[i], c, d);
  return finish(HV_OK, log, out);
}

hv_status hv_visit_log_read(const char *path, const char *name,
                            hv_visit_log **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_read(path, name, &t, diags);
  if (st != HV_OK) return st;
  return read_visits(t, name, out, diags);
}

hv_status hv_visit_log_parse(const char *data, size_t len, const char *name,
                             hv_visit_log **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_parse(data, len, name, &t, diags);
  if (st != HV_OK) return st;
  return read_visits(t, name, out, diags);
}

/* ---- calls.csv ------------------------------------------------------ */

enum { C_HOUSEHOLD, C_DATE, C_KIND, C_RESULT, C_STAFF, C_NOTES, C_NCOLS };
static const char *const contact_cols[C_NCOLS] = {
    "household", "date", "kind", "result", "staff", "notes"};
static const char *const kinds[] = {"phone", "letter", "text", "email"};

static hv_status read_contacts(hv_csv_table *t, const char *name,
                               hv_visit_log **out, hv_diags *d) {
  hv_visit_log *log = log_new(name);
  if (log == NULL) {
    hv__csv_free(t);
    return HV_E_NOMEM;
  }
  log->t = t;
  int c[C_NCOLS];
  if (!columns(t, contact_cols, c, C_NCOLS, 4, "household, date, kind, result",
               d))
    return finish(HV_OK, log, out);
  log->contacts = calloc(t->nrows + 1, sizeof *log->contacts);
  if (log->contacts == NULL) return finish(HV_E_NOMEM, log, out);
  for (size_t i = 0; i < t->nrows; i++) {
    const hv_csv_row *r = &t->rows[i];
    hv_log_contact *k = &log->contacts[log->ncontacts];
    memset(k, 0, sizeof *k);
    k->line = r->line;
    k->household = cell(r, c[C_HOUSEHOLD]);
    bool ok = true;
    if (k->household[0] == '\0') {
      add(d, t->name, r->line, "household", "no household id");
      ok = false;
    }
    const char *date = cell(r, c[C_DATE]);
    if (!hv_date_parse(date, &k->date)) {
      add(d, t->name, r->line, "date", "'%s' is not a date (YYYY-MM-DD)", date);
      ok = false;
    }
    char w[64];
    normalise(cell(r, c[C_KIND]), w, sizeof w);
    k->kind = NULL;
    for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++)
      if (strcmp(w, kinds[j]) == 0) k->kind = kinds[j];
    if (k->kind == NULL) {
      add(d, t->name, r->line, "kind",
          "unknown kind '%s' (phone, letter, text, email)", cell(r, c[C_KIND]));
      ok = false;
    }
    k->result = cell(r, c[C_RESULT]);
    if (k->result[0] == '\0') {
      add(d, t->name, r->line, "result",
          "no result (e.g. 'no answer', 'spoke with guardian', 'sent')");
      ok = false;
    }
    k->staff = cell(r, c[C_STAFF]);
    k->notes = cell(r, c[C_NOTES]);
    if (ok) log->ncontacts++;
  }
  return finish(HV_OK, log, out);
}

hv_status hv_contact_log_read(const char *path, const char *name,
                              hv_visit_log **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_read(path, name, &t, diags);
  if (st != HV_OK) return st;
  return read_contacts(t, name, out, diags);
}

hv_status hv_contact_log_parse(const char *data, size_t len, const char *name,
                               hv_visit_log **out, hv_diags *diags) {
  *out = NULL;
  hv_csv_table *t = NULL;
  hv_status st = hv__csv_parse(data, len, name, &t, diags);
  if (st != HV_OK) return st;
  return read_contacts(t, name, out, diags);
}

void hv_visit_log_free(hv_visit_log *log) {
  if (log == NULL) return;
  hv__csv_free(log->t);
  free(log->visits);
  free(log->contacts);
  free(log);
}

const char *hv_visit_log_name(const hv_visit_log *log) {
  return log->name;
}
size_t hv_visit_log_visits(const hv_visit_log *log) {
  return log->nvisits;
}
const hv_log_visit *hv_visit_log_visit(const hv_visit_log *log, size_t i) {
  return i < log->nvisits ? &log->visits[i] : NULL;
}
size_t hv_visit_log_contacts(const hv_visit_log *log) {
  return log->ncontacts;
}
const hv_log_contact *hv_visit_log_contact(const hv_visit_log *log, size_t i) {
  return i < log->ncontacts ? &log->contacts[i] : NULL;
}
