/* solver/toptw.c -- team orienteering with time windows (TOPTW) instances
 * in the KU Leuven OPTW/TOPTW format, the planner's problem in its
 * academic form: vertex 0 the depot, every other vertex a job with a
 * service time, a score (the prize) and a window for the start of service;
 * m tours leave the depot no earlier than its opening and are back by its
 * closing.  Read token by token (some headers are split across lines):
 *   k v N t   D Q   then N+1 lines  i x y d S f a <a entries> O C
 * Travel time is the Euclidean distance truncated to `decimals` decimals
 * (1 for the Solomon-based sets, 2 for Cordeau's pr01-pr20), the
 * convention of the published scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "solver_int.h"

typedef struct tokens {
  char *p;
  const char *path;
} tokens;

/* The next token as a number; false at the end or on a bad token. */
static bool next_num(tokens *t, double *v) {
  while (*t->p == ' ' || *t->p == '\t' || *t->p == '\r' || *t->p == '\n')
    t->p++;
  if (*t->p == '\0') return false;
  char *e = t->p;
  while (*e && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
    e++;
  char save = *e;
  *e = '\0';
  bool ok = hv_parse_double(t->p, v);
  *e = save;
  t->p = e;
  return ok;
}

hv_status hv__toptw_parse(char *text, const char *path, int tours, int decimals,
                          hv_problem **out, hv_error *err) {
  *out = NULL;
  hv_where at = {.source = path};
  if (tours < 1 || tours > 1000 || decimals < 0 || decimals > 6)
    return hv_error_set(err, HV_E_RANGE, at, "bad tours or decimals");
  tokens t = {text, path};
  double head[6];
  for (int i = 0; i < 6; i++)
    if (!next_num(&t, &head[i]))
      return hv_error_set(err, HV_E_PARSE, at,
                          "the header (k v N t, then D Q) is incomplete");
  double nd = head[2];
  if (nd < 1 || nd > 5000 || nd != floor(nd))
    return hv_error_set(err, HV_E_PARSE, at,
                        "N = %g customers is not a whole number from 1 to "
                        "5000",
                        nd);
  /* Every vertex line has at least nine numbers: a file too short for N
   * is refused before anything is allocated for it. */
  if ((nd + 1) * 18 > (double)strlen(t.p))
    return hv_error_set(err, HV_E_PARSE, at,
                        "N = %g customers, but the file is too short for "
                        "them",
                        nd);
  size_t n = (size_t)nd + 1;
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y),
         *svc = malloc(n * sizeof *svc), *score = malloc(n * sizeof *score),
         *open = malloc(n * sizeof *open), *close = malloc(n * sizeof *close);
  double *T = malloc(n * n * sizeof *T);
  hv_status st = HV_OK;
  if (!x || !y || !svc || !score || !open || !close || !T)
    st = hv_error_set(err, HV_E_NOMEM, at, "out of memory");
  for (size_t v = 0; st == HV_OK && v < n; v++) {
    double f[7], list;
    bool ok = true;
    for (int k = 0; k < 7 && ok; k++)
      ok = next_num(&t, &f[k]);
    /* f[0] id, x, y, service, score, f, a; then a entries, O, C */
    double a = ok ? f[6] : -1;
    ok = ok && a >= 0 && a <= 1000 && a == floor(a) && f[0] == (double)v;
    for (int k = 0; ok && k < (int)a; k++)
      ok = next_num(&t, &list);
    double o = 0, c = 0;
    ok = ok && next_num(&t, &o) && next_num(&t, &c);
    if (!ok || c < o || f[3] < 0) {
      st = hv_error_set(err, HV_E_PARSE, at,
                        "vertex %zu: expected 'i x y d S f a <a entries> O C' "
                        "with i = %zu and O <= C",
                        v, v);
      break;
    }
    x[v] = f[1], y[v] = f[2], svc[v] = f[3], score[v] = f[4];
    open[v] = o, close[v] = c;
  }
  double scale = pow(10.0, decimals);
  for (size_t i = 0; st == HV_OK && i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double d = hypot(x[i] - x[j], y[i] - y[j]);
      /* floor(10 d) / 10, with a nudge for 2.9999999 that means 3 */
      T[i * n + j] = floor(d * scale + 1e-9) / scale;
    }
  hv_problem *p = st == HV_OK ? hv_problem_create(n, T, NULL, err) : NULL;
  if (st == HV_OK && p == NULL) st = err ? err->code : HV_E_NOMEM;
  for (size_t v = 1; st == HV_OK && v < n; v++) {
    hv_job j = {.location = v,
                .service = svc[v],
                .ntw = 1,
                .tw = {{open[v], close[v]}},
                .prize = score[v]};
    st = hv_problem_add_job(p, &j, NULL, err);
  }
  for (int m = 0; st == HV_OK && m < tours; m++) {
    hv_vehicle veh = {.start = 0, .end = 0, .open = open[0], .close = close[0]};
    st = hv_problem_add_vehicle(p, &veh, NULL, err);
  }
  if (st == HV_OK) hv_problem_set_objective(p, HV_OBJ_PRIZE);
  free(x), free(y), free(svc), free(score), free(open), free(close), free(T);
  if (st != HV_OK) {
    hv_problem_free(p);
    return st;
  }
  *out = p;
  return HV_OK;
}

hv_status hv_toptw_read(const char *path, int tours, int decimals,
                        hv_problem **out, hv_error *err) {
  *out = NULL;
  char *text;
  size_t len;
  hv_status st = hv__read_file(path, (size_t)16 << 20, &text, &len, err);
  if (st != HV_OK) return st;
  st = hv__toptw_parse(text, path, tours, decimals, out, err);
  free(text);
  return st;
}
