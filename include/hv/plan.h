/* hv/plan.h -- the weekly visit plan: which pair visits which household, on
 * which day, in what order, and who could not be visited and why.  Built
 * from a scenario by composing geo (travel times) and the solver (routes).
 *
 * Ownership: an hv_plan owns all its memory and refers to the scenario's
 * households and staff by index; the scenario must outlive it. */
#ifndef HV_PLAN_H
#define HV_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"
#include "hv/scenario.h"

typedef struct hv_plan_stop {
  size_t household;   /* index into the scenario's households */
  const char *household_id; /* as given (also for kept routes) */
  int arrive, start, end; /* minutes after midnight of the route's day */
  double travel_min;  /* from the previous stop (or the school) */
} hv_plan_stop;

typedef struct hv_plan_route {
  int day;             /* 0 = Monday */
  char date[11];       /* YYYY-MM-DD */
  const char *pair;    /* pair id */
  const char *staff[2]; /* staff ids */
  long staff_index[2]; /* into the scenario's staff, -1 if not there now */
  int depart, back;    /* minutes after midnight */
  double travel_min;   /* whole route, back to the school included */
  size_t nstops;
  hv_plan_stop *stops;
  bool kept;           /* copied from a previous plan (--keep) */
} hv_plan_route;

typedef enum hv_unvisited_reason {
  HV_WHY_NO_COORDS = 1, /* not geocoded */
  HV_WHY_LANGUAGE,      /* no staff member (or no pair) speaks it */
  HV_WHY_WINDOWS,       /* no pair works during the family's windows */
  HV_WHY_TOO_FAR,       /* the drive and visit fit in no shared shift */
  HV_WHY_CAPACITY,      /* capacity went to more urgent families */
  HV_WHY_DONE           /* visited earlier this week (re-planning) */
} hv_unvisited_reason;

typedef struct hv_unvisited {
  size_t household;
  hv_unvisited_reason reason;
  char text[320];
} hv_unvisited;

/* A pair of the week (given or formed) and why hvplan formed it. */
typedef struct hv_plan_pair {
  const char *id;
  size_t a, b;         /* staff indices */
  double shared_hours; /* shared working hours on the planned days */
  char why[256];
} hv_plan_pair;

typedef struct hv_plan {
  const hv_scenario *scenario;
  size_t nroutes;
  hv_plan_route *routes; /* by day, then pair */
  size_t nunvisited;
  hv_unvisited *unvisited; /* by priority, highest first */
  size_t npairs;
  hv_plan_pair *pairs;
  bool pairs_formed;   /* formed by hvplan (no pairs.csv) */
  /* summary */
  size_t households, visited;
  long priority_total, priority_covered;
  double travel_minutes;
  double seconds;      /* solving time */
  bool interrupted;    /* stopped early (Ctrl-C): the best plan found so far */
  uint64_t iterations;
} hv_plan;

typedef struct hv_plan_options {
  double time_limit_s;        /* < 0: the scenario's solver.time_limit_s */
  uint64_t iterations;        /* search budget; 0: from the time limit */
  uint64_t seed;              /* with seed_set */
  bool seed_set;
  int max_pairs;              /* > 0: use at most this many pairs */
  bool pairs_in_file_order;   /* form pairs 1+2, 3+4, ... (for comparison) */
  const hv_plan_pair *pairs;  /* use exactly these pairs (what-if), or NULL */
  size_t npairs;
  const char *initial_path;   /* a plan.json to start the search from */
  const char *keep_path;      /* previous plan.json, or NULL */
  int from_day;               /* with keep_path: first day re-planned */
  void (*progress)(double seconds, size_t visited, size_t total,
                   long priority, double travel_min, void *ud);
  void *progress_ud;
  volatile const int *stop;   /* stop early (Ctrl-C) when *stop != 0 */
} hv_plan_options;

void hv_plan_options_init(hv_plan_options *o);

/* Plans the week.  Problems with the inputs (a bad previous plan, a
 * scenario without coordinates for the school) are errors in err; a week
 * where nobody can be visited is a plan with reasons, not an error. */
hv_status hv_plan_build(const hv_scenario *s, const hv_plan_options *o,
                        hv_plan **out, hv_error *err);
void hv_plan_free(hv_plan *p);

/* The most households planned at once (with coordinates, not yet
 * visited); beyond it hv_plan_build refuses with a clear message. */
#define HV_PLAN_MAX_HOUSEHOLDS 3000

/* How hv_plan_form_pairs() forms pairs; hv_pair_options_init() sets the
 * defaults (the GLPK model, as many pairs as it likes, 20 s). */
typedef struct hv_pair_options {
  bool in_file_order;        /* staff 1+2, 3+4, ... instead of the model */
  int max_pairs;             /* at most this many (0: no limit) */
  const hv_plan_pair *fixed; /* pairs always kept (nested what-if sweeps) */
  size_t nfixed;
  double time_limit_s;       /* for the GLPK model; its greedy start stands after */
} hv_pair_options;

void hv_pair_options_init(hv_pair_options *o);

/* Forms pairs from the staff list: a GLPK model that chooses pairs on
 * shared hours and the languages households need, each staff member in at
 * most one pair (see pairing.c), or the list order.  o may be NULL for the
 * defaults.  The caller frees *pairs with free(); ids ("P01", ...) are
 * static storage. */
hv_status hv_plan_form_pairs(const hv_scenario *s, const hv_pair_options *o,
                             hv_plan_pair **pairs, size_t *npairs,
                             hv_error *err);

typedef struct hv_write_options {
  bool printed; /* route sheets, packets, roster.pdf, week.svg, calendars */
  bool a4;      /* A4 paper instead of US Letter */
} hv_write_options;

/* Writes plan.json, roster.csv and unvisited.csv into dir (created if
 * needed, readable by its owner only), and with o->printed the printed
 * outputs: all files are first written into a staging folder and moved in
 * together with signals blocked, so dir never holds a half-written or
 * mixed set.  o may be NULL (data files only). */
hv_status hv_plan_write(const hv_plan *p, const char *dir,
                        const hv_write_options *o, hv_error *err);

/* Reads a plan.json written by hv_plan_write (perhaps edited by hand) back
 * into a plan over scenario s: its routes, pairs and totals (not the
 * unvisited list).  Errors name the file and the route. */
hv_status hv_plan_load(const hv_scenario *s, const char *path, hv_plan **out,
                       hv_error *err);

/* Writes only the printed outputs (route sheets, packets, roster.pdf,
 * week.svg, calendars) into dir, replacing the previous ones together. */
hv_status hv_plan_write_printed(const hv_plan *p, const char *dir, bool a4,
                                hv_error *err);

/* Releases the process-wide caches of the printing libraries (pango's font
 * map, cairo's static data, fontconfig, libical's time zones) so that leak
 * checkers see a clean exit.  Call once, last thing before exiting. */
void hv_print_global_cleanup(void);

/* Text of an unvisited reason code ("language", "windows", ...). */
const char *hv_unvisited_code(hv_unvisited_reason r);

#endif /* HV_PLAN_H */
