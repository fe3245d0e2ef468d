/* solver/glpk_build.c -- the model builder shared by the solver's GLPK
 * models (see glpk_build.h). */
#include "glpk_build.h"
#include "common_int.h" /* hv__now */
#include "hv/solver.h"

#include <stdlib.h>

int hv__glp_add_col(hv__glp_builder *b, int kind, double lo, double hi,
                    double cost) {
  int c = glp_add_cols(b->lp, 1);
  glp_set_col_kind(b->lp, c, kind);
  if (kind != GLP_BV)
    glp_set_col_bnds(b->lp, c, lo == hi ? GLP_FX : GLP_DB, lo, hi);
  glp_set_obj_coef(b->lp, c, cost);
  return c;
}

int hv__glp_add_row(hv__glp_builder *b, int type, double lo, double hi) {
  int r = glp_add_rows(b->lp, 1);
  glp_set_row_bnds(b->lp, r, type, lo, hi);
  return r;
}

void hv__glp_coef(hv__glp_builder *b, int row, int col, double v) {
  if (b->nz + 1 >= b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    int *ia = realloc(b->ia, cap * sizeof *ia);
    if (ia) b->ia = ia;
    int *ja = realloc(b->ja, cap * sizeof *ja);
    if (ja) b->ja = ja;
    double *ar = realloc(b->ar, cap * sizeof *ar);
    if (ar) b->ar = ar;
    if (!ia || !ja || !ar) {
      b->oom = true;
      return;
    }
    b->cap = cap;
  }
  b->nz++;
  b->ia[b->nz] = row, b->ja[b->nz] = col, b->ar[b->nz] = v;
}

void hv__glp_load(hv__glp_builder *b) {
  if (b->nz > 0) glp_load_matrix(b->lp, (int)b->nz, b->ia, b->ja, b->ar);
}

void hv__glp_builder_free(hv__glp_builder *b) {
  free(b->ia), free(b->ja), free(b->ar);
  b->ia = b->ja = NULL;
  b->ar = NULL;
  b->nz = b->cap = 0;
}

int hv__glp_quiet(void *info, const char *text) {
  (void)info;
  (void)text;
  return 1;
}

void hv__glp_start_cb(glp_tree *T, void *info) {
  hv__glp_start *w = info;
  if (glp_ios_reason(T) == GLP_IHEUR && !w->given) {
    w->given = true;
    glp_ios_heur_sol(T, w->x);
  }
  if (w->node_limit > 0) {
    int active, nodes, total;
    glp_ios_tree_size(T, &active, &nodes, &total);
    if (total > w->node_limit) glp_ios_terminate(T);
  }
  if (w->deadline > 0 && hv__now() > w->deadline) glp_ios_terminate(T);
}

void hv_solver_thread_done(void) {
  glp_free_env();
}
