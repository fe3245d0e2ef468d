/* hv/plan.h -- the weekly visit plan as data: which pair visits which
 * household, on which day, in what order, and who could not be visited and
 * why.  Reading and writing its files (plan.json, roster.csv,
 * unvisited.csv) lives here, in one place; making a plan is hv/planning.h,
 * printing it hv/print.h.
 *
 * Ownership: an hv_plan owns all its memory and refers to the scenario's
 * households and staff by index; the scenario must outlive it.  Every
 * pointer the functions below return is borrowed from the plan. */
#ifndef HV_PLAN_H
#define HV_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/error.h"
#include "hv/scenario.h"
#include "hv/values.h"

typedef struct hv_plan_stop {
  size_t household;         /* index into the scenario's households (SIZE_MAX:
                               not in the scenario now) */
  const char *household_id; /* as given (also for kept routes) */
  int arrive, start, end;   /* minutes after midnight of the route's day */
  double travel_min;        /* from the previous stop (or the school) */
  /* Back at school between the previous stop and this one (a long wait,
   * visits.max_wait_minutes): arrives at school_from, leaves at school_to;
   * both -1 when the pair drives straight here. */
  int school_from, school_to;
  /* Pinned by the coordinator: a re-plan (--keep) keeps this visit with
   * this pair, on this day, at this time. */
  bool pinned;
} hv_plan_stop;

typedef struct hv_plan_route {
  int day; /* 0 = Monday */
  hv_date date;
  const char *pair;     /* pair id */
  const char *staff[2]; /* staff ids */
  long staff_index[2];  /* into the scenario's staff, -1 if not there now */
  int depart, back;     /* minutes after midnight */
  double travel_min;    /* whole route, back to the school included */
  size_t nstops;
  hv_plan_stop *stops;
  bool kept; /* copied from a previous plan (--keep) */
} hv_plan_route;

/* A video call (a household whose mode is virtual): one staff member who
 * speaks the family's language, no travel, never during that person's
 * route of the day. */
typedef struct hv_plan_call {
  size_t household;         /* index into the scenario's households
                               (SIZE_MAX: not in the scenario now) */
  const char *household_id; /* as given */
  int day;                  /* 0 = Monday */
  hv_date date;
  const char *staff; /* staff id */
  long staff_index;  /* into the scenario's staff, -1 if not there now */
  int start, end;    /* minutes after midnight */
  bool kept;         /* copied from a previous plan (--keep) */
} hv_plan_call;

/* Why a household was not visited.  The codes are part of plan.json and
 * unvisited.csv (hv_unvisited_code). */
typedef enum hv_unvisited_reason {
  HV_WHY_NO_COORDS = 1, /* not geocoded */
  HV_WHY_LANGUAGE,      /* no staff member (or no pair) speaks it */
  HV_WHY_WINDOWS,       /* no pair works during the family's windows */
  HV_WHY_TOO_FAR,       /* a long drive: the visit fits in no shared shift */
  HV_WHY_CAPACITY,      /* capacity went to more urgent families */
  HV_WHY_DONE,          /* visited earlier this week (re-planning) */
  HV_WHY_SHORT_WINDOW   /* windows and shared hours overlap too briefly */
} hv_unvisited_reason;
#define HV_WHY_COUNT 8 /* one more than the largest reason */

typedef struct hv_unvisited {
  size_t household;
  hv_unvisited_reason reason;
  char text[320];
  /* An in-person visit that did not fit, when a video call could have
   * reached the family ("tue 15:00 S01"): an option for the coordinator,
   * never taken by the planner itself.  "" when none. */
  char virtual_option[64];
} hv_unvisited;

/* A pair of the week (given or formed) and why hvplan formed it. */
typedef struct hv_plan_pair {
  const char *id;
  size_t a, b;         /* staff indices */
  double shared_hours; /* shared working hours on the planned days */
  char why[256];
} hv_plan_pair;

/* The plan's totals. */
typedef struct hv_plan_summary {
  size_t households, visited;
  long priority_total, priority_covered;
  /* No plan of this week can cover more priority (an LP relaxation solved
   * with GLPK; -1 when not known, e.g. with pinned visits). */
  long priority_bound;
  double travel_minutes;
  double seconds; /* solving time */
  uint64_t iterations;
  bool pairs_formed; /* formed by hvplan (no pairs.csv) */
  bool interrupted;  /* stopped early: the best plan found so far */
} hv_plan_summary;

/* A plan, opaque: read it with the functions below. */
typedef struct hv_plan hv_plan;

void hv_plan_free(hv_plan *p);

const hv_scenario *hv_plan_scenario(const hv_plan *p);
hv_plan_summary hv_plan_summary_of(const hv_plan *p);
/* Routes by day, then pair. */
size_t hv_plan_route_count(const hv_plan *p);
const hv_plan_route *hv_plan_route_at(const hv_plan *p, size_t i);
/* Video calls by day, then start. */
size_t hv_plan_call_count(const hv_plan *p);
const hv_plan_call *hv_plan_call_at(const hv_plan *p, size_t i);
/* How to join call pc ("video call: <link>", the staff member's own room
 * or visits.video_link; else that the staff member phones the family),
 * into buf; returns buf. */
char *hv_plan_call_link(const hv_scenario *s, const hv_plan_call *pc, char *buf,
                        size_t size);
/* Unvisited households, highest priority first. */
size_t hv_plan_unvisited_count(const hv_plan *p);
const hv_unvisited *hv_plan_unvisited_at(const hv_plan *p, size_t i);
size_t hv_plan_pair_count(const hv_plan *p);
const hv_plan_pair *hv_plan_pair_at(const hv_plan *p, size_t i);
/* Marks the plan as the best found before an interruption (Ctrl-C): its
 * plan.json then says so. */
void hv_plan_mark_interrupted(hv_plan *p);
/* Marks the plan as printed without passing hv_plan_check (--force): its
 * route sheets and packets then say "not checked". */
void hv_plan_mark_unchecked(hv_plan *p);

/* Text of an unvisited reason code ("language", "windows", ...), and the
 * code of such a text (0 when unknown). */
const char *hv_unvisited_code(hv_unvisited_reason r);
hv_unvisited_reason hv_unvisited_reason_of(const char *code);

/* Reads a plan.json written by hv_plan_write_data (perhaps edited by hand)
 * back into a plan over scenario s: its routes, pairs and totals (not the
 * unvisited list).  Errors name the file and the route. */
hv_status hv_plan_load(const hv_scenario *s, const char *path, hv_plan **out,
                       hv_error *err);

/* The scenario folder a plan.json names ("scenario_dir") into buf.  Errors
 * for a file that cannot be read or has no such key. */
hv_status hv_plan_scenario_dir(const char *path, char *buf, size_t size,
                               hv_error *err);

/* Writes plan.json, roster.csv and unvisited.csv into dir (created if
 * needed, readable by its owner only), through a staging folder moved in
 * whole, so dir never holds a half-written or mixed set.  With the printed
 * outputs: hv_plan_write (hv/print.h). */
hv_status hv_plan_write_data(const hv_plan *p, const char *dir, hv_error *err);

#endif /* HV_PLAN_H */
