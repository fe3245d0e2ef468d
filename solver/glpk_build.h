/* solver/glpk_build.h -- plumbing shared by the solver's GLPK models (the
 * exact MIP, the route pool's set partitioning, the pairing model): a
 * model builder that collects the constraint matrix as triplets, and the
 * terminal hook that keeps GLPK silent.  Only solver/ includes glpk.h. */
#ifndef HV_GLPK_BUILD_H
#define HV_GLPK_BUILD_H

#include <glpk.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct hv__glp_builder {
  glp_prob *lp;
  int *ia, *ja; /* 1-based triplets, as glp_load_matrix takes them */
  double *ar;
  size_t nz, cap;
  bool oom; /* a triplet could not be stored */
} hv__glp_builder;

/* Adds one column of the given kind (GLP_CV, GLP_IV, GLP_BV), bounds
 * [lo, hi] (fixed when lo == hi; ignored for GLP_BV) and objective
 * coefficient. */
int hv__glp_add_col(hv__glp_builder *b, int kind, double lo, double hi,
                    double cost);
/* Adds one row with bounds of the given type (GLP_UP, GLP_FX, ...). */
int hv__glp_add_row(hv__glp_builder *b, int type, double lo, double hi);
/* Sets the coefficient of (row, col); on running out of memory b->oom. */
void hv__glp_coef(hv__glp_builder *b, int row, int col, double v);
/* Loads the collected triplets into b->lp (nothing when there are none). */
void hv__glp_load(hv__glp_builder *b);
/* Frees the triplets (not the problem). */
void hv__glp_builder_free(hv__glp_builder *b);

/* A known feasible solution handed to glp_intopt's branch and bound at its
 * first heuristic call (x: 1-based column values), an optional node limit
 * (> 0) and an optional deadline (hv__now()'s clock, > 0: GLPK looks at its
 * own tm_lim too seldom on large models -- a pool of 8,600 routes given
 * 0.42 s took 1.0 s, and 30 s runs ended at up to 33.8 s): pass
 * hv__glp_start_cb as iocp.cb_func, the struct as cb_info. */
typedef struct hv__glp_start {
  const double *x;
  int node_limit;
  double deadline;
  bool given;
} hv__glp_start;
void hv__glp_start_cb(glp_tree *T, void *info);

/* GLPK prints through glp_term_hook; with this hook the library stays
 * silent.  Install it around every model and remove it afterwards. */
int hv__glp_quiet(void *info, const char *text);

#endif /* HV_GLPK_BUILD_H */
