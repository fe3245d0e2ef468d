/* planner/pairing.c -- forming the week's pairs when pairs.csv is absent: a
 * maximum-weight matching solved with GLPK.  A pair is worth its shared
 * working hours on the planned days, more when between them the two speak
 * languages the households need (two Spanish speakers in one pair add no
 * more than one, so speakers are spread over pairs). */
#include <glpk.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common_int.h"
#include "plan_int.h"

static const char *const pair_ids[] = {
    "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10",
    "P11", "P12", "P13", "P14", "P15", "P16", "P17", "P18", "P19", "P20",
    "P21", "P22", "P23", "P24", "P25", "P26", "P27", "P28", "P29", "P30",
    "P31", "P32", "P33", "P34", "P35", "P36", "P37", "P38", "P39", "P40",
    "P41", "P42", "P43", "P44", "P45", "P46", "P47", "P48", "P49", "P50",
    "P51", "P52", "P53", "P54", "P55", "P56", "P57", "P58", "P59", "P60",
    "P61", "P62", "P63", "P64", "P65", "P66", "P67", "P68", "P69", "P70",
    "P71", "P72", "P73", "P74", "P75", "P76", "P77", "P78", "P79", "P80"};
#define MAX_FORMED (sizeof pair_ids / sizeof pair_ids[0])

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
  for (size_t i = 0; i < s->nhouseholds; i++) total += s->households[i].priority;
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
      if (need > 0)
        used += (size_t)snprintf(langs + used, used < size ? size - used : 0,
                                 "%s%s", used ? ", " : "", L);
    }
  return value;
}

static int quiet(void *info, const char *text) {
  (void)info;
  (void)text;
  return 1;
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
    if (!hh->has_coords) continue;
    size_t k = 0;
    while (k < ng && !same_group(s, g[k].rep, hh)) k++;
    if (k == ng)
      g[ng++] = (hgroup){hh, 0, 0,
                         hv_household_minutes(s, hh) + s->visits.buffer_minutes +
                             TRAVEL_ALLOWANCE_MIN};
    g[k].count++;
    g[k].priority += hh->priority;
  }
  return ng;
}

typedef struct heur_data {
  const double *x; /* a feasible start for GLPK, 1-based by column */
  bool given;
} heur_data;

static void heur_cb(glp_tree *T, void *info) {
  heur_data *h = info;
  if (glp_ios_reason(T) == GLP_IHEUR && !h->given) {
    h->given = true;
    glp_ios_heur_sol(T, h->x);
  }
}

/* Greedy matching by weight: fixed pairs first, then the heaviest pairs
 * whose staff are free.  Both the model's warm start and its fallback. */
static void greedy(size_t nstaff, const size_t *pa, const size_t *pb, size_t np,
                   const double *w, const uint8_t *cand, const uint8_t *fixed,
                   int max_pairs, uint8_t *chosen) {
  uint8_t *busy = calloc(nstaff + 1, 1);
  size_t *order = malloc((np + 1) * sizeof *order);
  if (!busy || !order) {
    free(busy), free(order);
    return;
  }
  size_t n = 0;
  for (size_t q = 0; q < np; q++)
    if (cand[q]) order[n++] = q;
  for (size_t i = 1; i < n; i++) /* insertion sort: stable, deterministic */
    for (size_t k = i; k > 0; k--) {
      size_t a = order[k - 1], b = order[k];
      double wa = fixed[a] ? 1e18 : w[a], wb = fixed[b] ? 1e18 : w[b];
      if (wa >= wb) break;
      order[k - 1] = b, order[k] = a;
    }
  int used = 0;
  for (size_t i = 0; i < n; i++) {
    size_t q = order[i];
    if (busy[pa[q]] || busy[pb[q]] || (!fixed[q] && w[q] <= 0)) continue;
    if (max_pairs > 0 && used >= max_pairs) break;
    chosen[q] = 1;
    busy[pa[q]] = busy[pb[q]] = 1;
    used++;
  }
  free(busy);
  free(order);
}

/* The formed pairs, chosen by a GLPK model over household groups g:
 *   max  sum_g,q (prio_g / count_g) z[g,q] + 0.01 sum_q hours_q x_q
 *   s.t. sum_{q contains a} x_q <= 1           each staff member in one pair
 *        z[g,q] <= count_g x_q                 only chosen pairs visit
 *        sum_q z[g,q] <= count_g               each household once
 *        sum_g visit_g z[g,q] <= 0.7 minutes_q x_q   time
 *        sum_g z[g,q] <= visits allowed_q x_q        daily limits
 *        sum_q x_q <= max_pairs (when given)
 * with x binary and z >= 0: households are spread over pairs by how many
 * each pair has time for, so pairs that open up otherwise unreachable
 * families (a Saturday pair, the only Somali speaker on evenings) win over
 * pairs that would compete for the same ones. */

static hv_status matching(const hv_scenario *s, int max_pairs, size_t *pa,
                          size_t *pb, size_t np, const double *mins,
                          const uint8_t *cand, const double *w,
                          const uint8_t *fixed, double time_limit_s,
                          uint8_t *chosen, hv_error *err) {
  double t0 = hv__now();
  hgroup *g = calloc(s->nhouseholds + 1, sizeof *g);
  size_t ng = g ? group_households(s, g) : 0;
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  size_t cap = 4096, nz = 0;
  int *ia = malloc(cap * sizeof *ia), *ja = malloc(cap * sizeof *ja);
  double *ar = malloc(cap * sizeof *ar);
  int *xcol = calloc(np + 1, sizeof *xcol);
  int *grow_ = calloc(ng + 1, sizeof *grow_);
  double *start = NULL;
  hv_status st = HV_OK;
#define NZ(r, c, v)                                                   \
  do {                                                                \
    if (nz + 1 >= cap) {                                              \
      cap *= 2;                                                       \
      int *ni = realloc(ia, cap * sizeof *ia);                        \
      if (ni) ia = ni;                                                \
      int *nj = realloc(ja, cap * sizeof *ja);                        \
      if (nj) ja = nj;                                                \
      double *na = realloc(ar, cap * sizeof *ar);                     \
      if (na) ar = na;                                                \
      if (!ni || !nj || !na) goto oom;                                \
    }                                                                 \
    nz++;                                                             \
    ia[nz] = (r), ja[nz] = (c), ar[nz] = (v);                         \
  } while (0)
  if (!g || !ia || !ja || !ar || !xcol || !grow_) goto oom;
  greedy(s->nstaff, pa, pb, np, w, cand, fixed, max_pairs, chosen);
  int staff_row = glp_add_rows(lp, (int)s->nstaff);
  for (size_t a = 0; a < s->nstaff; a++)
    glp_set_row_bnds(lp, staff_row + (int)a, GLP_UP, 0, 1);
  for (size_t k = 0; k < ng; k++) {
    grow_[k] = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, grow_[k], GLP_UP, 0, g[k].count);
  }
  int kmax_row = 0;
  if (max_pairs > 0) {
    kmax_row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, kmax_row, GLP_UP, 0, max_pairs);
  }
  for (size_t q = 0; q < np; q++) {
    if (!cand[q]) continue;
    int x = glp_add_cols(lp, 1);
    xcol[q] = x;
    glp_set_col_kind(lp, x, GLP_BV);
    if (fixed[q]) glp_set_col_bnds(lp, x, GLP_FX, 1, 1);
    /* A hair of preference for earlier staff keeps ties deterministic. */
    glp_set_obj_coef(lp, x, 0.01 * mins[q] / 60.0 - 1e-7 * (double)q);
    NZ(staff_row + (int)pa[q], x, 1);
    NZ(staff_row + (int)pb[q], x, 1);
    if (kmax_row) NZ(kmax_row, x, 1);
    int trow = glp_add_rows(lp, 1), vrow = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, trow, GLP_UP, 0, 0);
    glp_set_row_bnds(lp, vrow, GLP_UP, 0, 0);
    NZ(trow, x, -PAIR_UTILISATION * mins[q]);
    NZ(vrow, x, -pair_visit_cap(s, pa[q], pb[q]));
    for (size_t k = 0; k < ng; k++) {
      if (!pair_reaches(s, pa[q], pb[q], g[k].rep)) continue;
      /* No link row z <= count x: the time row already forces z = 0
       * when x = 0, and fewer rows keep large teams fast. */
      int z = glp_add_cols(lp, 1);
      glp_set_col_bnds(lp, z, GLP_DB, 0, g[k].count);
      glp_set_obj_coef(lp, z, g[k].priority / g[k].count);
      NZ(grow_[k], z, 1);
      NZ(trow, z, g[k].visit);
      NZ(vrow, z, 1);
    }
  }
#undef NZ
  if (nz > 0) {
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    /* The greedy matching, with no household assigned, is feasible: GLPK
     * starts from it and can only improve. */
    int ncols = glp_get_num_cols(lp);
    start = calloc((size_t)ncols + 1, sizeof *start);
    if (start == NULL) goto oom;
    for (size_t q = 0; q < np; q++)
      if (xcol[q]) start[xcol[q]] = chosen[q] ? 1.0 : 0.0;
    heur_data hd = {start, false};
    /* The LP relaxation first, under its own time limit (glp_intopt's
     * limit does not cover its root LP); then branch and bound. */
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    double left = time_limit_s - (hv__now() - t0);
    smcp.tm_lim = left > 0.05 ? (int)(left * 600) : 30;
    int rc = glp_simplex(lp, &smcp);
    int ms = GLP_UNDEF;
    if (rc == 0 && glp_get_status(lp) == GLP_OPT) {
      glp_iocp iocp;
      glp_init_iocp(&iocp);
      iocp.msg_lev = GLP_MSG_OFF;
      left = time_limit_s - (hv__now() - t0);
      iocp.tm_lim = left > 0.05 ? (int)(left * 1000) : 50;
      iocp.mip_gap = 1e-4;
      iocp.cb_func = heur_cb;
      iocp.cb_info = &hd;
      rc = glp_intopt(lp, &iocp);
      ms = glp_mip_status(lp);
    } else {
      rc = 0; /* no time for the LP: the greedy pairs stand */
    }
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP && rc != GLP_ENOPFS &&
        rc != GLP_ESTOP) {
      st = hv_error_set(err, HV_E_SOLVER, (hv_where){.source = "pairing"},
                        "GLPK failed to form pairs (code %d)", rc);
    } else if (ms == GLP_OPT || ms == GLP_FEAS) {
      for (size_t q = 0; q < np; q++)
        chosen[q] = xcol[q] && glp_mip_col_val(lp, xcol[q]) > 0.5;
    }
    /* Otherwise (no integer solution in time) the greedy pairs stand. */
  }
  {
    /* Staff left unpaired when time ran out can only add visits: pair them
     * greedily with each other (within max_pairs). */
    uint8_t *busy = calloc(s->nstaff + 1, 1);
    int used = 0;
    for (size_t q = 0; busy && q < np; q++)
      if (chosen[q]) busy[pa[q]] = busy[pb[q]] = 1, used++;
    uint8_t *rest = calloc(np + 1, 1), *more = calloc(np + 1, 1);
    for (size_t q = 0; busy && rest && q < np; q++)
      rest[q] = cand[q] && !busy[pa[q]] && !busy[pb[q]];
    if (busy && rest && more && (max_pairs <= 0 || used < max_pairs)) {
      greedy(s->nstaff, pa, pb, np, w, rest, fixed,
             max_pairs > 0 ? max_pairs - used : 0, more);
      for (size_t q = 0; q < np; q++) chosen[q] |= more[q];
    }
    free(busy), free(rest), free(more);
  }
  goto done;
oom:
  st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
done:
  glp_delete_prob(lp);
  free(ia), free(ja), free(ar), free(xcol), free(grow_), free(g), free(start);
  return st;
}

static hv_status file_order(const hv_scenario *s, int max_pairs,
                            hv_plan_pair **pairs, size_t *npairs,
                            hv_error *err) {
  size_t n = s->nstaff;
  *pairs = calloc(n / 2 + 1, sizeof **pairs);
  *npairs = 0;
  if (*pairs == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  for (size_t i = 0; i + 1 < n && *npairs < MAX_FORMED; i += 2) {
    if (max_pairs > 0 && *npairs >= (size_t)max_pairs) break;
    hv_plan_pair *p = &(*pairs)[(*npairs)++];
    p->id = pair_ids[*npairs - 1];
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
  *pairs = calloc(n / 2 + 1, sizeof **pairs);
  *npairs = 0;
  if (*pairs == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
  size_t np = n * (n - (n > 0)) / 2;
  size_t *pa = calloc(np + 1, sizeof *pa), *pb = calloc(np + 1, sizeof *pb);
  double *mins = calloc(np + 1, sizeof *mins), *w = calloc(np + 1, sizeof *w);
  uint8_t *chosen = calloc(np + 1, 1), *fix = calloc(np + 1, 1);
  uint8_t *cand = calloc(np + 1, 1);
  hv_status st = HV_OK;
  if (!pa || !pb || !mins || !chosen || !fix || !w || !cand) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    goto done;
  }
  size_t k = 0;
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++, k++) {
      pa[k] = a, pb[k] = b;
      mins[k] = shared_minutes(s, a, b);
      for (size_t f = 0; f < nfixed; f++)
        if ((fixed[f].a == a && fixed[f].b == b) || (fixed[f].a == b && fixed[f].b == a))
          fix[k] = 1;
      char langs[128];
      w[k] = mins[k] >= 60 ? mins[k] / 60.0 * (1.0 + 2.0 * language_value(s, a, b, langs, sizeof langs))
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
        for (int r = 0; r < PARTNERS_KEPT; r++) best[r] = -1;
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
          if (cand[q] && (pa[q] == a || pb[q] == a) && key[q] >= best[PARTNERS_KEPT - 1])
            keep[q] = 1;
      }
    }
    for (size_t q = 0; q < np; q++) cand[q] = fix[q] || (cand[q] && keep[q]);
    free(keep);
    free(best);
  }
  glp_term_hook(quiet, NULL);
  st = matching(s, max_pairs, pa, pb, np, mins, cand, w, fix, time_limit_s,
                chosen, err);
  glp_term_hook(NULL, NULL);
  /* Fixed pairs first, in their order and with their ids; then the new. */
  for (int pass = 0; pass < 2; pass++)
  for (size_t q = 0; st == HV_OK && q < np; q++) {
    if (!chosen[q] || *npairs >= MAX_FORMED || (pass == 0) != (fix[q] != 0)) continue;
    hv_plan_pair *p = &(*pairs)[(*npairs)++];
    p->id = pair_ids[*npairs - 1];
    for (size_t f = 0; pass == 0 && f < nfixed; f++)
      if ((fixed[f].a == pa[q] && fixed[f].b == pb[q]) ||
          (fixed[f].a == pb[q] && fixed[f].b == pa[q]))
        p->id = fixed[f].id;
    p->a = pa[q];
    p->b = pb[q];
    p->shared_hours = mins[q] / 60.0;
    char langs[128];
    language_value(s, pa[q], pb[q], langs, sizeof langs);
    int reach = 0;
    for (size_t h = 0; h < s->nhouseholds; h++)
      reach += s->households[h].has_coords &&
               pair_reaches(s, pa[q], pb[q], &s->households[h]);
    char days[40] = "";
    size_t dn = 0;
    for (int d = 0; d < HV_DAYS; d++) {
      int a0, a1;
      if ((s->days & (1u << d)) && hv__pair_shift(s, pa[q], pb[q], d, &a0, &a1))
        dn += (size_t)snprintf(days + dn, dn < sizeof days ? sizeof days - dn : 0,
                               "%s%s", dn ? "," : "", hv_day_name(d));
    }
    snprintf(p->why, sizeof p->why,
             "%.1f h together on %s; can reach %d households%s%s", p->shared_hours,
             days, reach, langs[0] ? "; speaks " : "", langs);
  }
done:
  free(pa), free(pb), free(mins), free(chosen), free(fix), free(w), free(cand);
  if (st != HV_OK) {
    free(*pairs);
    *pairs = NULL;
    *npairs = 0;
  }
  return st;
}

void hv_pair_options_init(hv_pair_options *o) {
  memset(o, 0, sizeof *o);
  o->time_limit_s = 20.0;
}

hv_status hv_plan_form_pairs(const hv_scenario *s, const hv_pair_options *o,
                             hv_plan_pair **pairs, size_t *npairs,
                             hv_error *err) {
  hv_pair_options defaults;
  if (o == NULL) {
    hv_pair_options_init(&defaults);
    o = &defaults;
  }
  if (o->in_file_order) return file_order(s, o->max_pairs, pairs, npairs, err);
  return form_by_model(s, o->max_pairs, o->fixed, o->nfixed, o->time_limit_s,
                       pairs, npairs, err);
}
