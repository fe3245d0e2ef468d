/* planner/plan/pairing.c -- forming the week's pairs when pairs.csv is
 * absent: a maximum-weight matching with capacitated assignment, solved by
 * the solver's GLPK model (hv_match_solve).  A pair is worth its shared
 * working hours on the planned days, more when between them the two speak
 * languages the households need (two Spanish speakers in one pair add no
 * more than one, so speakers are spread over pairs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/solver.h"
#include "plan_int.h"

bool hv__pair_shift(const hv_scenario *s, size_t a, size_t b, int day,
                    int *start, int *end) {
  return hv_avail_overlap(&s->staff[a].avail, &s->staff[b].avail, day, start,
                          end) > 0;
}

int hv__household_overlap(const hv_household *h, int day, int start, int end) {
  if (h->avail.n == 0) return end - start;
  int best = 0;
  for (size_t i = 0; i < h->avail.n; i++) {
    const hv_window *w = &h->avail.w[i];
    if (w->day != day) continue;
    int lo = w->start_min > start ? w->start_min : start;
    int hi = w->end_min < end ? w->end_min : end;
    if (hi - lo > best) best = hi - lo;
  }
  return best;
}

/* Shared minutes of a and b over the planned days. */
static int shared_minutes(const hv_scenario *s, size_t a, size_t b) {
  int total = 0;
  for (int d = 0; d < HV_DAYS; d++) {
    int st, en;
    if ((s->days & (1u << d)) && hv__pair_shift(s, a, b, d, &st, &en))
      total += en - st;
  }
  return total;
}

/* Share of all households' priority in each non-English language, and the
 * sum over the languages a or b speaks. */
static double language_value(const hv_scenario *s, size_t a, size_t b,
                             char *langs, size_t size) {
  double total = 0;
  for (size_t i = 0; i < s->nhouseholds; i++)
    total += s->households[i].priority;
  if (total <= 0) total = 1;
  double value = 0;
  size_t used = 0;
  langs[0] = '\0';
  const hv_staff *st[2] = {&s->staff[a], &s->staff[b]};
  for (int m = 0; m < 2; m++)
    for (size_t k = 0; k < st[m]->nlang; k++) {
      const char *L = st[m]->languages[k];
      if (strcmp(L, "en") == 0) continue;
      if (m == 1 && hv_staff_speaks(st[0], L)) continue; /* counted once */
      double need = 0;
      for (size_t i = 0; i < s->nhouseholds; i++)
        if (strcmp(s->households[i].language, L) == 0)
          need += s->households[i].priority;
      value += need / total;
      if (need > 0 && used < size) /* past the buffer: the text is cut */
        used += (size_t)snprintf(langs + used, size - used, "%s%s",
                                 used ? ", " : "", L);
    }
  return value;
}

/* Whether pair (a, b) could visit household h at all: one of them speaks
 * its language and on some planned day their shared shift overlaps the
 * family's windows for the length of a visit. */
static bool pair_reaches(const hv_scenario *s, size_t a, size_t b,
                         const hv_household *h) {
  if (strcmp(h->language, "en") != 0 &&
      !hv_staff_speaks(&s->staff[a], h->language) &&
      !hv_staff_speaks(&s->staff[b], h->language))
    return false;
  int dur = hv_household_minutes(s, h);
  for (int d = 0; d < HV_DAYS; d++) {
    int st, en;
    if ((s->days & (1u << d)) && hv__pair_shift(s, a, b, d, &st, &en) &&
        hv__household_overlap(h, d, st, en) >= dur)
      return true;
  }
  return false;
}

/* Visits a pair can make in the week: its daily limit on each shared day. */
static double pair_visit_cap(const hv_scenario *s, size_t a, size_t b) {
  int ma = s->staff[a].max_visits_per_day, mb = s->staff[b].max_visits_per_day;
  int m = ma == 0 ? mb : (mb == 0 ? ma : (ma < mb ? ma : mb));
  if (m == 0) return 1e9;
  int days = 0;
  for (int d = 0; d < HV_DAYS; d++) {
    int st, en;
    if ((s->days & (1u << d)) && hv__pair_shift(s, a, b, d, &st, &en)) days++;
  }
  return (double)m * days;
}

/* A pair's share of the week is at most this much of its shared hours in
 * visits (the rest is driving and the gaps between families' windows). */
#define PAIR_UTILISATION 0.7
#define TRAVEL_ALLOWANCE_MIN 10.0
/* On large teams each staff member keeps only their best partners as
 * candidates, so the model stays small. */
#define PARTNERS_KEPT 12

/* Households that look alike to the pairing model: same language, visit
 * length and windows.  The model assigns counts of them to pairs. */
typedef struct hgroup {
  const hv_household *rep;
  int count;
  double priority; /* sum */
  double visit;    /* minutes per visit, driving allowance included */
} hgroup;

static bool same_group(const hv_scenario *s, const hv_household *a,
                       const hv_household *b) {
  return strcmp(a->language, b->language) == 0 &&
         hv_household_minutes(s, a) == hv_household_minutes(s, b) &&
         a->avail.n == b->avail.n &&
         (a->avail.n == 0 ||
          memcmp(a->avail.w, b->avail.w, a->avail.n * sizeof *a->avail.w) == 0);
}

static size_t group_households(const hv_scenario *s, hgroup *g) {
  size_t ng = 0;
  for (size_t h = 0; h < s->nhouseholds; h++) {
    const hv_household *hh = &s->households[h];
    double lat, lon;
    if (!hv_household_site(s, hh, &lat, &lon)) continue;
    size_t k = 0;
    while (k < ng && !same_group(s, g[k].rep, hh))
      k++;
    if (k == ng)
      g[ng++] = (hgroup){hh, 0, 0,
                         hv_household_minutes(s, hh) +
                             s->visits.buffer_minutes + TRAVEL_ALLOWANCE_MIN};
    g[k].count++;
    g[k].priority += hh->priority;
  }
  return ng;
}

/* A list of pairs in one block: the array, then the ids' characters. */
static hv_plan_pair *pairs_alloc(size_t n, size_t id_bytes, char **ids) {
  hv_plan_pair *p = calloc(1, (n + 1) * sizeof *p + id_bytes);
  if (p) *ids = (char *)(p + n + 1);
  return p;
}

/* Gives pair p the id text (copied into the list's id area). */
static void set_id(hv_plan_pair *p, char **ids, const char *text) {
  size_t n = strlen(text) + 1;
  memcpy(*ids, text, n);
  p->id = *ids;
  *ids += n;
}

/* Id of the k-th pair formed (1-based): P01, P02, ..., P99, P100, ... */
static void new_id(hv_plan_pair *p, char **ids, size_t k) {
  char buf[24];
  snprintf(buf, sizeof buf, "P%02zu", k);
  set_id(p, ids, buf);
}

#define ID_BYTES 24 /* room for one new id */

void hv_plan_pairs_free(hv_plan_pair *pairs) {
  free(pairs);
}

static hv_status file_order(const hv_scenario *s, int max_pairs,
                            hv_plan_pair **pairs, size_t *npairs,
                            hv_error *err) {
  size_t n = s->nstaff;
  char *ids;
  *pairs = pairs_alloc(n / 2, (n / 2 + 1) * ID_BYTES, &ids);
  *npairs = 0;
  if (*pairs == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (max_pairs > 0 && *npairs >= (size_t)max_pairs) break;
    hv_plan_pair *p = &(*pairs)[(*npairs)++];
    new_id(p, &ids, *npairs);
    p->a = i;
    p->b = i + 1;
    p->shared_hours = shared_minutes(s, i, i + 1) / 60.0;
    snprintf(p->why, sizeof p->why, "staff list order");
  }
  return HV_OK;
}

static hv_status form_by_model(const hv_scenario *s, int max_pairs,
                               const hv_plan_pair *fixed, size_t nfixed,
                               double time_limit_s, hv_plan_pair **pairs,
                               size_t *npairs, hv_error *err) {
  size_t n = s->nstaff;
  size_t id_bytes = (n / 2 + 1) * ID_BYTES;
  for (size_t f = 0; f < nfixed; f++)
    id_bytes += strlen(fixed[f].id) + 1;
  char *ids;
  *pairs = pairs_alloc(n / 2, id_bytes, &ids);
  *npairs = 0;
  if (*pairs == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t np = n * (n - (n > 0)) / 2;
  size_t *pa = calloc(np + 1, sizeof *pa), *pb = calloc(np + 1, sizeof *pb);
  double *mins = calloc(np + 1, sizeof *mins), *w = calloc(np + 1, sizeof *w);
  uint8_t *fix = calloc(np + 1, 1), *cand = calloc(np + 1, 1);
  bool *chosen = calloc(np + 1, sizeof *chosen);
  hgroup *g = calloc(s->nhouseholds + 1, sizeof *g);
  hv_match_group *mg = NULL;
  hv_match_edge *edges = NULL;
  size_t *links = NULL, *edge_pair = NULL;
  hv_status st = HV_OK;
  if (!pa || !pb || !mins || !chosen || !fix || !w || !cand || !g) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  size_t k = 0;
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++, k++) {
      pa[k] = a, pb[k] = b;
      mins[k] = shared_minutes(s, a, b);
      for (size_t f = 0; f < nfixed; f++)
        if ((fixed[f].a == a && fixed[f].b == b) ||
            (fixed[f].a == b && fixed[f].b == a))
          fix[k] = 1;
      char langs[128];
      w[k] =
          mins[k] >= 60
              ? mins[k] / 60.0 *
                    (1.0 + 2.0 * language_value(s, a, b, langs, sizeof langs))
              : 0.0;
      cand[k] = fix[k] || w[k] > 0;
    }
  /* Large teams: each staff member's best partners only, by weight and
   * by shared hours alone (so that staff without the languages in demand
   * keep partners among themselves). */
  if (n > 2 * PARTNERS_KEPT) {
    uint8_t *keep = calloc(np + 1, 1);
    double *best = malloc((PARTNERS_KEPT + 1) * sizeof *best);
    if (keep == NULL || best == NULL) {
      free(keep), free(best);
      st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
      goto done;
    }
    for (int by = 0; by < 2; by++) {
      const double *key = by == 0 ? w : mins;
      for (size_t a = 0; a < n; a++) {
        /* the PARTNERS_KEPT-th largest key among a's candidate pairs */
        for (int r = 0; r < PARTNERS_KEPT; r++)
          best[r] = -1;
        for (size_t q = 0; q < np; q++) {
          if (!cand[q] || (pa[q] != a && pb[q] != a)) continue;
          double x = key[q];
          for (int r = 0; r < PARTNERS_KEPT; r++)
            if (x > best[r]) {
              double t = best[r];
              best[r] = x;
              x = t;
            }
        }
        for (size_t q = 0; q < np; q++)
          if (cand[q] && (pa[q] == a || pb[q] == a) &&
              key[q] >= best[PARTNERS_KEPT - 1])
            keep[q] = 1;
      }
    }
    for (size_t q = 0; q < np; q++)
      cand[q] = fix[q] || (cand[q] && keep[q]);
    free(keep);
    free(best);
  }
  /* The model (see hv_match_solve): a pair is an edge worth a hair of its
   * shared hours; household groups are the demand, each unit worth its
   * priority, using visit minutes and one visit of the pair's capacity. */
  size_t ng = group_households(s, g), nedges = 0, nlinks = 0;
  mg = calloc(ng + 1, sizeof *mg);
  edges = calloc(np + 1, sizeof *edges);
  edge_pair = calloc(np + 1, sizeof *edge_pair);
  for (size_t q = 0; q < np; q++)
    nedges += cand[q];
  links = calloc(nedges * ng + 1, sizeof *links);
  if (!mg || !edges || !edge_pair || !links) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  for (size_t gi = 0; gi < ng; gi++)
    mg[gi] = (hv_match_group){.count = g[gi].count,
                              .value = g[gi].priority / g[gi].count,
                              .use = {g[gi].visit, 1.0}};
  nedges = 0;
  for (size_t q = 0; q < np; q++) {
    if (!cand[q]) continue;
    hv_match_edge *e = &edges[nedges];
    edge_pair[nedges++] = q;
    /* A hair of preference for earlier staff keeps ties deterministic. */
    *e = (hv_match_edge){.a = pa[q],
                         .b = pb[q],
                         .value = 0.01 * mins[q] / 60.0 - 1e-7 * (double)q,
                         .weight = w[q],
                         .fixed = fix[q] != 0,
                         .capacity = {PAIR_UTILISATION * mins[q],
                                      pair_visit_cap(s, pa[q], pb[q])},
                         .reach = links + nlinks};
    for (size_t gi = 0; gi < ng; gi++)
      if (pair_reaches(s, pa[q], pb[q], g[gi].rep)) links[nlinks++] = gi;
    e->nreach = (size_t)(links + nlinks - e->reach);
  }
  bool *picked = calloc(nedges + 1, sizeof *picked);
  st = picked ? hv_match_solve(n, mg, ng, edges, nedges, max_pairs,
                               time_limit_s, picked, err)
              : hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  for (size_t i = 0; st == HV_OK && i < nedges; i++)
    chosen[edge_pair[i]] = picked[i];
  free(picked);
  /* Fixed pairs first, in their order and with their ids; then the new. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t q = 0; st == HV_OK && q < np; q++) {
      if (!chosen[q] || (pass == 0) != (fix[q] != 0)) continue;
      hv_plan_pair *p = &(*pairs)[(*npairs)++];
      const char *given = NULL;
      for (size_t f = 0; pass == 0 && f < nfixed; f++)
        if ((fixed[f].a == pa[q] && fixed[f].b == pb[q]) ||
            (fixed[f].a == pb[q] && fixed[f].b == pa[q]))
          given = fixed[f].id;
      if (given)
        set_id(p, &ids, given);
      else
        new_id(p, &ids, *npairs);
      p->a = pa[q];
      p->b = pb[q];
      p->shared_hours = mins[q] / 60.0;
      char langs[128];
      language_value(s, pa[q], pb[q], langs, sizeof langs);
      int reach = 0;
      for (size_t h = 0; h < s->nhouseholds; h++) {
        double lat, lon;
        reach += hv_household_site(s, &s->households[h], &lat, &lon) &&
                 pair_reaches(s, pa[q], pb[q], &s->households[h]);
      }
      char days[40] = "";
      size_t dn = 0;
      for (int d = 0; d < HV_DAYS; d++) {
        int a0, a1;
        if ((s->days & (1u << d)) &&
            hv__pair_shift(s, pa[q], pb[q], d, &a0, &a1))
          dn += (size_t)snprintf(days + dn,
                                 dn < sizeof days ? sizeof days - dn : 0,
                                 "%s%s", dn ? "," : "", hv_day_name(d));
      }
      snprintf(p->why, sizeof p->why,
               "%.1f h together on %s; can reach %d households%s%s",
               p->shared_hours, days, reach, langs[0] ? "; speaks " : "",
               langs);
    }
done:
  free(pa), free(pb), free(mins), free(chosen), free(fix), free(w), free(cand);
  free(g), free(mg), free(edges), free(edge_pair), free(links);
  if (st != HV_OK) {
    free(*pairs);
    *pairs = NULL;
    *npairs = 0;
  }
  return st;
}

void hv_pair_options_init(hv_pair_options *o) {
  memset(o, 0, sizeof *o);
  o->time_limit_s = HV_PAIRING_MAX_S;
}

hv_status hv_plan_form_pairs(const hv_scenario *s, const hv_pair_options *o,
                             hv_plan_pair **pairs, size_t *npairs,
                             hv_error *err) {
  hv_pair_options defaults;
  if (o == NULL) {
    hv_pair_options_init(&defaults);
    o = &defaults;
  }
  /* Re-planning forms pairs for the days left: a view of the scenario
   * with only those days planned (it shares everything else). */
  hv_scenario view;
  if (o->days != 0) {
    view = *s;
    view.days = s->days & o->days;
    s = &view;
  }
  if (o->in_file_order) return file_order(s, o->max_pairs, pairs, npairs, err);
  return form_by_model(s, o->max_pairs, o->fixed, o->nfixed, o->time_limit_s,
                       pairs, npairs, err);
}
