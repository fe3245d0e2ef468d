/* solver/solomon.c -- Solomon-format VRPTW instances (the standard
 * benchmark): every line of seven integers is a node; row 0 is the depot,
 * whose due date is the horizon.  Travel time equals Euclidean distance, in
 * full precision or truncated to one decimal ("trunc1", the convention of
 * the exact methods' published optima). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_int.h"
#include "solver_int.h"

typedef struct node {
  double x, y, demand, ready, due, service;
} node;

/* Splits a line into up to 8 integer fields; returns how many there were,
 * or -1 if a token is not an integer. */
static int int_fields(char *line, long *out, int max) {
  int n = 0;
  char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r')
      p++;
    if (*p == '\0' || *p == '\n') break;
    char *q = p;
    while (*q && *q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
      q++;
    char save = *q;
    *q = '\0';
    long v;
    bool ok = hv_parse_long(p, &v);
    *q = save;
    if (!ok) return -1;
    if (n < max) out[n] = v;
    n++;
    p = q;
  }
  return n;
}

hv_status hv_solomon_read(const char *path, size_t max_customers, bool trunc1,
                          hv_problem **out, char *name, size_t name_size,
                          hv_error *err) {
  *out = NULL;
  char *text;
  size_t len;
  hv_status st = hv__read_file(path, (size_t)16 << 20, &text, &len, err);
  if (st != HV_OK) return st;
  st = hv__solomon_parse(text, path, max_customers, trunc1, out, name,
                         name_size, err);
  free(text);
  return st;
}

hv_status hv__solomon_parse(char *text, const char *path, size_t max_customers,
                            bool trunc1, hv_problem **out, char *name,
                            size_t name_size, hv_error *err) {
  *out = NULL;
  hv_status st = HV_OK;
  node *nodes = NULL;
  size_t nn = 0, cap = 0;
  long vehicles = 0, capacity = 0;
  bool want_vehicle = false;
  uint32_t lineno = 0;
  char *line = text;
  if (name && name_size) name[0] = '\0';
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    lineno++;
    long f[8];
    int k = int_fields(line, f, 8);
    if (lineno == 1 && name && name_size) {
      char tmp[256];
      snprintf(tmp, sizeof tmp, "%s", line);
      snprintf(name, name_size, "%s", hv__trim(tmp));
    }
    if (strstr(line, "NUMBER") && strstr(line, "CAPACITY")) want_vehicle = true;
    if (k == 2 && want_vehicle) {
      vehicles = f[0];
      capacity = f[1];
      want_vehicle = false;
    } else if (k == 7) {
      if (nn == cap) {
        cap = cap ? cap * 2 : 128;
        node *nw = realloc(nodes, cap * sizeof *nw);
        if (nw == NULL) {
          st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = path},
                            "out of memory");
          goto done;
        }
        nodes = nw;
      }
      if ((size_t)f[0] != nn) {
        st = hv_error_set(err, HV_E_PARSE,
                          (hv_where){.source = path, .line = lineno},
                          "node number %ld where %zu was expected", f[0], nn);
        goto done;
      }
      if (f[3] < 0 || f[4] > f[5] || f[6] < 0) {
        st = hv_error_set(err, HV_E_INPUT,
                          (hv_where){.source = path, .line = lineno},
                          "node %ld: negative demand or service, or a window "
                          "that ends before it opens",
                          f[0]);
        goto done;
      }
      nodes[nn++] = (node){(double)f[1], (double)f[2], (double)f[3],
                           (double)f[4], (double)f[5], (double)f[6]};
    }
    line = nl ? nl + 1 : NULL;
  }
  if (nn < 2 || vehicles <= 0 || capacity <= 0 || vehicles > 10000 ||
      nn > 20001) {
    st = hv_error_set(err, HV_E_PARSE, (hv_where){.source = path},
                      "not a Solomon instance: needs a VEHICLE section (at "
                      "most 10000 vehicles) and a depot plus 1 to 20000 "
                      "customers (found %zu node rows)",
                      nn);
    goto done;
  }
  if (max_customers > 0 && nn > max_customers + 1) nn = max_customers + 1;
  double *m = malloc(nn * nn * sizeof *m);
  if (m == NULL) {
    st = hv_error_set(err, HV_E_NOMEM, (hv_where){.source = path},
                      "out of memory");
    goto done;
  }
  for (size_t i = 0; i < nn; i++)
    for (size_t j = 0; j < nn; j++) {
      double d = hypot(nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y);
      /* floor(10 d) / 10, guarding against 0.1 * k landing just below. */
      if (trunc1) d = floor(d * 10.0 + 1e-9) / 10.0;
      m[i * nn + j] = d;
    }
  hv_problem *p = hv_problem_create(nn, m, NULL, err);
  free(m);
  if (p == NULL) {
    st = HV_E_NOMEM;
    goto done;
  }
  hv_problem_set_objective(p, HV_OBJ_DISTANCE);
  for (size_t i = 1; i < nn && st == HV_OK; i++) {
    hv_job j = {.location = i,
                .service = nodes[i].service,
                .ntw = 1,
                .tw = {{nodes[i].ready, nodes[i].due}},
                .prize = 1,
                .demand = nodes[i].demand};
    st = hv_problem_add_job(p, &j, NULL, err);
  }
  for (long v = 0; v < vehicles && st == HV_OK; v++) {
    hv_vehicle vh = {.start = 0,
                     .end = 0,
                     .open = nodes[0].ready,
                     .close = nodes[0].due,
                     .capacity = (double)capacity};
    st = hv_problem_add_vehicle(p, &vh, NULL, err);
  }
  if (st != HV_OK) {
    hv_problem_free(p);
    goto done;
  }
  *out = p;
done:
  free(nodes);
  return st;
}
