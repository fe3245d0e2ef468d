/* hv/planning.h -- making plans: forming pairs, planning a week (the
 * routing model over the solver and geo), what-if staffing sweeps, and
 * geocoding a scenario's addresses.  This layer composes io, geo and the
 * solver; it never prints.
 *
 * Ownership: plans and results are the caller's, released with their
 * _free functions; they borrow the scenario, which must outlive them. */
#ifndef HV_PLANNING_H
#define HV_PLANNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"
#include "hv/plan.h"
#include "hv/scenario.h"

/* The most households planned at once (with coordinates, not yet
 * visited); beyond it hv_plan_build refuses with a clear message. */
#define HV_PLAN_MAX_HOUSEHOLDS 3000
/* Pairing never takes more than this many seconds of a plan's limit. */
#define HV_PAIRING_MAX_S 20.0

/* ---- the time-limit policy (one place) ---------------------------------
 * A plan's time limit covers the whole plan: pairing gets a fifth of it (at
 * most HV_PAIRING_MAX_S), the search what is left after pairing and the
 * travel matrix (at least a tenth).  The search also stops after a fixed
 * number of iterations per second of the limit, so that the same scenario
 * and seed give the same plan whenever the count ends it first. */
typedef struct hv_time_budget {
  double total_s;      /* the limit */
  double pairing_s;    /* for forming pairs */
  uint64_t iterations; /* search iterations */
} hv_time_budget;

/* The budget of a plan with limit_s seconds (iterations > 0: that count
 * instead of the one derived from the limit). */
hv_time_budget hv_time_budget_for(double limit_s, uint64_t iterations);
/* Seconds left for the search when spent_s went to pairing and travel. */
double hv_time_budget_search(const hv_time_budget *b, double spent_s);
/* Seconds to keep after the search for printing about `visits` visits'
 * sheets, packets and letters (the limit is the whole command's). */
double hv_time_budget_output(const hv_time_budget *b, size_t visits);

/* ---- pairs ------------------------------------------------------------ */

/* How hv_plan_form_pairs() forms pairs; hv_pair_options_init() sets the
 * defaults (the GLPK model, as many pairs as it likes, HV_PAIRING_MAX_S). */
typedef struct hv_pair_options {
  bool in_file_order;        /* staff 1+2, 3+4, ... instead of the model */
  int max_pairs;             /* at most this many (0: no limit) */
  const hv_plan_pair *fixed; /* pairs always kept (nested what-if sweeps) */
  size_t nfixed;
  double time_limit_s; /* for the model; its greedy start stands after */
  unsigned days;       /* days to pair for (bit per day; 0: the scenario's) */
} hv_pair_options;

void hv_pair_options_init(hv_pair_options *o);

/* Forms pairs from the staff list: a GLPK model that chooses pairs on
 * shared hours and the languages households need, each staff member in at
 * most one pair (see pairing.c), or the list order.  o may be NULL for the
 * defaults.  New pairs are named P01, P02, ... (any number); fixed pairs
 * keep their ids.  Free *pairs (ids included) with hv_plan_pairs_free(). */
hv_status hv_plan_form_pairs(const hv_scenario *s, const hv_pair_options *o,
                             hv_plan_pair **pairs, size_t *npairs,
                             hv_error *err);
void hv_plan_pairs_free(hv_plan_pair *pairs);

/* ---- planning the week ------------------------------------------------ */

typedef struct hv_plan_options {
  double time_limit_s; /* < 0: the scenario's solver.time_limit_s */
  uint64_t iterations; /* search budget; 0: from the time limit */
  uint64_t seed;       /* with seed_set */
  bool seed_set;
  int max_pairs;             /* > 0: use at most this many pairs */
  bool pairs_in_file_order;  /* form pairs 1+2, 3+4, ... (for comparison) */
  const hv_plan_pair *pairs; /* use exactly these pairs (what-if), or NULL */
  size_t npairs;
  const hv_plan *initial; /* a plan (same scenario) to start from */
  const char *keep_path;  /* previous plan.json, or NULL */
  int from_day;           /* with keep_path: first day re-planned */
  void (*progress)(double seconds, size_t visited, size_t total, long priority,
                   double travel_min, void *ud);
  void *progress_ud;
  volatile const int *stop; /* stop early (Ctrl-C) when *stop != 0 */
  /* The printed outputs will be written after the plan: the search leaves
   * time for them within the limit (hv_time_budget_output). */
  bool reserve_output;
} hv_plan_options;

void hv_plan_options_init(hv_plan_options *o);

/* Plans the week.  Problems with the inputs (a bad previous plan, a
 * scenario without coordinates for the school) are errors in err; a week
 * where nobody can be visited is a plan with reasons, not an error.
 * Free *out with hv_plan_free(). */
hv_status hv_plan_build(const hv_scenario *s, const hv_plan_options *o,
                        hv_plan **out, hv_error *err);

/* ---- checking a plan ------------------------------------------------ */

/* Checks p (perhaps edited by hand) against every planning rule: each
 * route on a planned day, its two staff working then, inside their shared
 * hours, in one route a day, within their daily visit limit; each visit of
 * a household in the scenario, visited once in the week, by a pair that
 * speaks its language, of its length, inside one of its windows, with the
 * drives between stops and back to the school (the scenario's travel
 * model) fitting the times given.  Each broken rule is an error in d,
 * under `source` (e.g. "OUT/plan.json") and a field such as
 * "routes[3].stops[1]".  Returns an error only when the check itself
 * cannot run (a travel service failed, memory). */
hv_status hv_plan_check(const hv_plan *p, const char *source, hv_diags *d,
                        hv_error *err);

/* Releases what the solver keeps per thread (GLPK's environment): call it
 * at the end of a thread of one's own that planned. */
void hv_planning_thread_done(void);

/* Recomputes the times a hand-edited plan implies from its stops' order
 * and start times, with the scenario's travel model: each route's
 * departure (in time for its first visit), arrivals, drives, returns to
 * school between visits when the wait would pass visits.max_wait_minutes,
 * and the time back.  The start times themselves are kept: checking them
 * is hv_plan_check's job. */
hv_status hv_plan_retime(hv_plan *p, hv_error *err);

/* ---- what if: coverage by staffing level ------------------------------ */

#define HV_WHATIF_MAX_VARIANTS 64
#define HV_WHATIF_MAX_EXTRA 8

/* Extra staff of one kind: "es;so mon-fri 12:00-19:30" (languages, then
 * hours in the availability grammar), count_lo..count_hi of them. */
typedef struct hv_whatif_extra {
  const char *spec;
  int count_lo, count_hi;
} hv_whatif_extra;

typedef struct hv_whatif_options {
  int pairs_lo, pairs_hi; /* nested pair sweep (0: none) */
  size_t nextra;
  hv_whatif_extra extra[HV_WHATIF_MAX_EXTRA];
  double time_limit_s; /* < 0: the scenario's; shared by all variants */
  uint64_t seed;       /* with seed_set; else the scenario's */
  bool seed_set;
  int jobs;                 /* variants planned at once (threads), >= 1 */
  const char *variants_dir; /* each variant's data files into
                               variants_dir/<name>/, or NULL */
} hv_whatif_options;

void hv_whatif_options_init(hv_whatif_options *o);

typedef enum hv_whatif_kind {
  HV_WHATIF_BASE = 0,   /* the staff as they are, auto-paired */
  HV_WHATIF_PAIRS,      /* a given number of (nested) pairs */
  HV_WHATIF_EXTRA_STAFF /* the staff plus extra staff, auto-paired */
} hv_whatif_kind;

/* One variant's results. */
typedef struct hv_whatif_variant {
  char name[64];   /* "base", "pairs-03", "add-1-2" */
  char label[160]; /* "3 pairs", "+2 staff: es mon-fri ..." */
  hv_whatif_kind kind;
  int baseline; /* variant compared with, or -1 */
  bool ok;      /* planned (else error says why) */
  char error[320];
  size_t npairs;     /* pairs the variant had */
  size_t pairs_used; /* pairs in the plan */
  size_t visits, routes, visited, households;
  long priority, priority_total;
  long priority_bound; /* no plan with this staff covers more (-1: unknown) */
  double travel_h, staff_h;
  size_t unvisited[HV_WHY_COUNT]; /* by reason */
  size_t ngained;       /* households reached that the baseline does not */
  const size_t *gained; /* their indices in the scenario */
  long gained_priority;
} hv_whatif_variant;

typedef struct hv_whatif hv_whatif; /* opaque */

/* Plans the variants, `jobs` at a time in threads, each with the same
 * share of the limit (hv_whatif_variant_limit): the base, the pair sweep
 * (pairs for k+1 are those for k plus one, so k's plan is valid for k+1;
 * any k that falls below k-1 is planned again from k-1's plan, so
 * coverage never falls), and each extra-staff count.  A variant that
 * fails is reported in its `error`; the call fails only on bad options or
 * memory.  Free with hv_whatif_free(). */
hv_status hv_whatif_run(const hv_scenario *s, const hv_whatif_options *o,
                        hv_whatif **out, hv_error *err);
void hv_whatif_free(hv_whatif *w);

size_t hv_whatif_count(const hv_whatif *w);
const hv_whatif_variant *hv_whatif_variant_at(const hv_whatif *w, size_t i);
/* The pair sweep's variants that were planned, in order of pairs. */
size_t hv_whatif_sweep(const hv_whatif *w, const size_t **indices);
/* The knee of the sweep (an index into the variants), or -1. */
long hv_whatif_knee(const hv_whatif *w);
/* Seconds each variant had, and the scenario's name. */
double hv_whatif_seconds_each(const hv_whatif *w);
const hv_scenario *hv_whatif_scenario(const hv_whatif *w);
/* Seconds each of n variants gets when `jobs` run at once within limit_s. */
double hv_whatif_variant_limit(double limit_s, int jobs, size_t n);

/* ---- geocoding a scenario --------------------------------------------- */

/* What happened to one address. */
typedef struct hv_geocode_report {
  long household;     /* index, or -1 for the school */
  int status;         /* hv_geocode_status (hv/geo.h) */
  double distance_km; /* when too far */
  int matches;        /* when ambiguous */
  char display[256];  /* the service's description of the place */
  double lat, lon;    /* when found */
} hv_geocode_report;

typedef struct hv_geocode_options {
  /* Called for each address looked up that was not found (household >= 0)
   * and for the school when found; may be NULL. */
  void (*report)(const hv_geocode_report *r, void *ud);
  void *report_ud;
  volatile const int *stop; /* stop between addresses when *stop != 0 */
} hv_geocode_options;

typedef struct hv_geocode_totals {
  size_t todo, found, cached, failed, requests;
  long failed_at; /* household where the service failed, or -1 */
  bool stopped;   /* by *stop; what was found is saved */
} hv_geocode_totals;

/* Fills in the coordinates of the school (scenario.json) and of every
 * household with an address and no lat/lon (households.csv), in the
 * scenario's folder, with the scenario's geocoder.  Only addresses are
 * sent.  Answers are cached in geocode_cache.json as they arrive; each file
 * is rewritten atomically with every other column kept, the previous one
 * saved as .bak.  A failing service stops the run with an error after
 * saving what was found. */
hv_status hv_scenario_geocode(const hv_scenario *s, const hv_geocode_options *o,
                              hv_geocode_totals *totals, hv_error *err);

#endif /* HV_PLANNING_H */
