/* planner/plan/policy.c -- the time-limit policy, in one place: how a plan's
 * limit is shared between pairing, the travel matrix and the search, how
 * many iterations make the search reproducible, and how what-if variants
 * share a limit. */
#include "hv/planning.h"

/* Iterations per second of the time limit: the search stops on whichever
 * comes first, and a fixed count makes plans reproducible.  The demo runs
 * about 130,000 a second on one core of the development machine, so the
 * count ends the search there with room to spare; on much larger scenarios
 * the time limit does (then plans may differ from run to run). */
#define ITERATIONS_PER_SECOND 20000.0
/* Pairing's share of a plan's limit. */
#define PAIRING_SHARE 0.2
/* The search always gets at least this share of the limit. */
#define SEARCH_MIN_SHARE 0.1
/* Writing a plan's printed outputs (route sheet, packet, letter, calendar)
 * per visit, measured on the development machine (about 8.6 s for 1,213
 * visits on one core); the search leaves that much of the limit for the
 * visits the routes could hold, at most OUTPUT_MAX_SHARE of it. */
#define OUTPUT_S_PER_VISIT 0.007
#define OUTPUT_MAX_SHARE 0.5
/* A what-if variant gets at least this many seconds. */
#define VARIANT_MIN_S 1.0

hv_time_budget hv_time_budget_for(double limit_s, uint64_t iterations) {
  hv_time_budget b = {.total_s = limit_s};
  double pairing = limit_s * PAIRING_SHARE;
  b.pairing_s = pairing < HV_PAIRING_MAX_S ? pairing : HV_PAIRING_MAX_S;
  b.iterations = iterations > 0
                     ? iterations
                     : (uint64_t)(limit_s * ITERATIONS_PER_SECOND) + 1;
  return b;
}

double hv_time_budget_output(const hv_time_budget *b, size_t visits) {
  double need = OUTPUT_S_PER_VISIT * (double)visits;
  double most = OUTPUT_MAX_SHARE * b->total_s;
  return need < most ? need : most;
}

double hv_time_budget_search(const hv_time_budget *b, double spent_s) {
  double left = b->total_s - spent_s, least = SEARCH_MIN_SHARE * b->total_s;
  return left > least ? left : least;
}

double hv_whatif_variant_limit(double limit_s, int jobs, size_t n) {
  double each = n > 0 ? limit_s * jobs / (double)n : limit_s;
  return each < VARIANT_MIN_S ? VARIANT_MIN_S : each;
}
