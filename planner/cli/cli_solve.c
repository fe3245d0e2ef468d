/* planner/cli/cli_solve.c -- `hvplan solve --solomon FILE`: the routing engine
 * on a standard VRPTW benchmark instance, printing JSON for bench/solomon. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "hv/geo.h"
#include "hv/solver.h"
#include "hv/values.h"

static void usage(void) {
  hv_cli_usage("solve", stderr);
}

/* A copy of p with only its first `fleet` vehicles. */
static hv_problem *with_fleet(const hv_problem *p, size_t fleet,
                              hv_error *err) {
  /* The Solomon reader puts the depot at 0 and customer i at i. */
  size_t nloc = hv_problem_jobs(p) + 1;
  double *t = malloc(nloc * nloc * sizeof *t),
         *d = malloc(nloc * nloc * sizeof *d);
  hv_problem *q = NULL;
  if (t && d) {
    for (size_t i = 0; i < nloc; i++)
      for (size_t j = 0; j < nloc; j++) {
        t[i * nloc + j] = hv_problem_time(p, i, j);
        d[i * nloc + j] = hv_problem_dist(p, i, j);
      }
    q = hv_problem_create(nloc, t, d, err);
  }
  free(t);
  free(d);
  for (size_t j = 0; q && j < hv_problem_jobs(p); j++)
    hv_problem_add_job(q, hv_problem_job(p, j), NULL, err);
  for (size_t v = 0; q && v < fleet; v++)
    hv_problem_add_vehicle(q, hv_problem_vehicle(p, v), NULL, err);
  return q;
}

/* `hvplan solve --toptw FILE --tours M`: the score, the tours (vertex ids
 * in visit order, the depot left out) and the time, as JSON. */
static int solve_toptw(const char *file, long tours, long decimals,
                       const hv_solve_options *o) {
  hv_error err = {0};
  hv_problem *p = NULL;
  if (decimals < 0) {
    /* Cordeau's pr files use two decimals, the Solomon-based ones one. */
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    decimals = strncmp(base, "pr", 2) == 0 ? 2 : 1;
  }
  hv_status st = hv_toptw_read(file, (int)tours, (int)decimals, &p, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    return hv_cli_exit_code(st);
  }
  hv_solution *sol = NULL;
  st = hv_solve(p, o, &sol, &err);
  if (st == HV_OK) st = hv_solution_check(p, sol, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    hv_solution_free(sol);
    hv_problem_free(p);
    return st == HV_E_SOLVER ? 70 : hv_cli_exit_code(st);
  }
  double score = 0;
  json_t *routes = json_array();
  for (size_t i = 0; i < sol->nroutes; i++) {
    json_t *r = json_array();
    for (size_t k = 0; k < sol->routes[i].njobs; k++) {
      size_t j = sol->routes[i].jobs[k];
      score += hv_problem_job(p, j)->prize;
      json_array_append_new(r, json_integer((json_int_t)(j + 1)));
    }
    json_array_append_new(routes, r);
  }
  const char *base = strrchr(file, '/');
  char inst[128];
  snprintf(inst, sizeof inst, "%s", base ? base + 1 : file);
  char *dot = strrchr(inst, '.');
  if (dot) *dot = '\0';
  json_t *root =
      json_pack("{s:s, s:I, s:I, s:f, s:f, s:I, s:o}", "instance", inst,
                "tours", (json_int_t)tours, "decimals", (json_int_t)decimals,
                "score", score, "seconds", sol->seconds, "iterations",
                (json_int_t)sol->iterations, "routes", routes);
  char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
  printf("%s\n", text ? text : "{}");
  free(text);
  json_decref(root);
  hv_solution_free(sol);
  hv_problem_free(p);
  return 0;
}

/* VROOM input with coordinates and no matrices: the matrix from the
 * geodesic model (speed km/h, no road service), location_index set.  The
 * input is changed in place; false (with a message) when the coordinates
 * are not [lon, lat] pairs. */
#define VROOM_KMH 30.0
#define VROOM_DETOUR 1.3
static bool vroom_coordinates(json_t *root) {
  if (json_object_get(root, "matrices")) return true;
  json_t *pts = json_array();
  const char *const keys[][3] = {{"jobs", "location", "location_index"},
                                 {"vehicles", "start", "start_index"},
                                 {"vehicles", "end", "end_index"}};
  for (int k = 0; k < 3; k++) {
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(root, keys[k][0]), i, o) {
      json_t *c = json_object_get(o, keys[k][1]);
      if (c == NULL) continue;
      if (!json_is_array(c) || json_array_size(c) != 2 ||
          !json_is_number(json_array_get(c, 0)) ||
          !json_is_number(json_array_get(c, 1))) {
        fprintf(stderr, "hvplan: error: %s[%zu].%s: expected [lon, lat]\n",
                keys[k][0], i, keys[k][1]);
        json_decref(pts);
        return false;
      }
      json_object_set_new(o, keys[k][2],
                          json_integer((json_int_t)json_array_size(pts)));
      json_array_append(pts, c);
      json_object_del(o, keys[k][1]);
    }
  }
  size_t n = json_array_size(pts);
  json_t *rows = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *row = json_array();
    for (size_t j = 0; j < n; j++) {
      json_t *a = json_array_get(pts, i), *b = json_array_get(pts, j);
      hv_latlon pa = {json_number_value(json_array_get(a, 1)),
                      json_number_value(json_array_get(a, 0))};
      hv_latlon pb = {json_number_value(json_array_get(b, 1)),
                      json_number_value(json_array_get(b, 0))};
      double m = hv_geodesic_m(pa, pb) * VROOM_DETOUR;
      json_array_append_new(
          row, json_integer((json_int_t)ceil(m / (VROOM_KMH / 3.6))));
    }
    json_array_append_new(rows, row);
  }
  json_decref(pts);
  json_object_set_new(root, "matrices",
                      json_pack("{s:{s:o}}", "car", "durations", rows));
  return true;
}

static double wall_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* `hvplan solve --vroom FILE`: VROOM's input in, VROOM's output out. */
static int solve_vroom(const char *file, const hv_solve_options *o) {
  double t0 = wall_s();
  json_error_t je;
  json_t *root = json_load_file(file, 0, &je);
  if (root == NULL) {
    fprintf(stderr, "hvplan: error: %s:%d:%d: invalid JSON: %s\n", file,
            je.line, je.column, je.text);
    return 3;
  }
  if (!vroom_coordinates(root)) {
    json_decref(root);
    return 4;
  }
  char *text = json_dumps(root, JSON_COMPACT);
  json_decref(root);
  hv_error err = {0};
  hv_problem *p = NULL;
  hv_vroom *ctx = NULL;
  hv_status st = text ? hv_vroom_parse(text, strlen(text), file, &p, &ctx, &err)
                      : HV_E_NOMEM;
  free(text);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    return hv_cli_exit_code(st);
  }
  double t1 = wall_s();
  hv_solution *sol = NULL;
  st = hv_solve(p, o, &sol, &err);
  if (st == HV_OK) st = hv_solution_check(p, sol, &err);
  char *out = st == HV_OK ? hv_vroom_output(ctx, p, sol, 1000 * (t1 - t0),
                                            1000 * (wall_s() - t1))
                          : NULL;
  if (out)
    printf("%s\n", out);
  else if (st == HV_OK)
    st = HV_E_NOMEM;
  if (st != HV_OK) hv_cli_print_error(&err);
  free(out);
  hv_solution_free(sol);
  hv_problem_free(p);
  hv_vroom_free(ctx);
  return st == HV_OK ? 0 : hv_cli_exit_code(st);
}

int hv_cli_solve(int argc, char **argv) {
  const char *file = NULL, *objective = "distance", *rounding = "exact";
  const char *toptw = NULL, *vroom = NULL;
  /* The engine's settings: time limit, seed, iteration budget (0: none),
   * the route pool and the searches side by side. */
  hv_solve_options o;
  hv_solve_options_init(&o);
  long seed = 1, customers = 0, iterations = 0, fleet = 0, tours = 0;
  long decimals = -1, threads = 1;
  bool exact = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool ok = true;
    if (strcmp(a, "--no-pool") == 0) {
      o.use_pool = false;
      continue;
    }
    if (strcmp(a, "--exact") == 0) {
      exact = true;
      continue;
    }
    if (v == NULL) {
      ok = false;
    } else if (strcmp(a, "--solomon") == 0) {
      file = v;
    } else if (strcmp(a, "--toptw") == 0) {
      toptw = v;
    } else if (strcmp(a, "--vroom") == 0) {
      vroom = v;
    } else if (strcmp(a, "--tours") == 0) {
      ok = hv_parse_long(v, &tours) && tours >= 1 && tours <= 1000;
    } else if (strcmp(a, "--decimals") == 0) {
      ok = hv_parse_long(v, &decimals) && decimals >= 0 && decimals <= 6;
    } else if (strcmp(a, "--objective") == 0) {
      objective = v;
      ok = strcmp(v, "distance") == 0 || strcmp(v, "vehicles") == 0;
    } else if (strcmp(a, "--distances") == 0) {
      rounding = v;
      ok = strcmp(v, "exact") == 0 || strcmp(v, "trunc1") == 0;
    } else if (strcmp(a, "--time-limit") == 0) {
      ok = hv_parse_double(v, &o.time_limit_s) && o.time_limit_s > 0 &&
           o.time_limit_s <= 86400;
    } else if (strcmp(a, "--seed") == 0) {
      ok = hv_parse_long(v, &seed) && seed >= 0;
    } else if (strcmp(a, "--iterations") == 0) {
      ok = hv_parse_long(v, &iterations) && iterations >= 0;
    } else if (strcmp(a, "--threads") == 0) {
      ok = hv_parse_long(v, &threads) && threads >= 1 &&
           threads <= HV_THREADS_MAX;
    } else if (strcmp(a, "--fleet") == 0) {
      ok = hv_parse_long(v, &fleet) && fleet > 0 && fleet < 100000;
    } else if (strcmp(a, "--customers") == 0) {
      ok = hv_parse_long(v, &customers) && customers >= 0;
    } else {
      ok = false;
    }
    if (!ok) {
      fprintf(stderr, "hvplan solve: bad or unknown option '%s'\n", a);
      usage();
      return 64;
    }
    i++;
  }
  o.seed = (uint64_t)seed;
  o.max_iterations = (uint64_t)iterations;
  o.threads = (unsigned)threads;
  if (vroom != NULL) return solve_vroom(vroom, &o);
  if (toptw != NULL) {
    if (tours == 0 || file != NULL) {
      fprintf(stderr,
              "hvplan solve: --toptw needs --tours M (and no "
              "--solomon)\n");
      usage();
      return 64;
    }
    return solve_toptw(toptw, tours, decimals, &o);
  }
  if (file == NULL) {
    usage();
    return 64;
  }
  hv_error err = {0};
  hv_problem *p = NULL;
  char name[128];
  hv_status st =
      hv_solomon_read(file, (size_t)customers, strcmp(rounding, "trunc1") == 0,
                      &p, name, sizeof name, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    return hv_cli_exit_code(st);
  }
  if (fleet > 0 && (size_t)fleet < hv_problem_vehicles(p)) {
    hv_problem *q = with_fleet(p, (size_t)fleet, &err);
    hv_problem_free(p);
    if (q == NULL) {
      hv_cli_print_error(&err);
      return hv_cli_exit_code(HV_E_NOMEM);
    }
    p = q;
  }
  hv_problem_set_objective(p, strcmp(objective, "vehicles") == 0
                                  ? HV_OBJ_VEHICLES
                                  : HV_OBJ_DISTANCE);
  hv_solution *sol = NULL;
  if (exact) {
    st = hv_solve_exact(p, o.time_limit_s, &sol, &err);
  } else {
    st = hv_solve(p, &o, &sol, &err);
  }
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    hv_problem_free(p);
    return hv_cli_exit_code(st);
  }
  /* Never report a solution the independent checker rejects. */
  st = hv_solution_check(p, sol, &err);
  if (st != HV_OK) {
    hv_cli_print_error(&err);
    hv_solution_free(sol);
    hv_problem_free(p);
    return 70;
  }
  json_t *root = json_object();
  if (customers > 0 && (size_t)customers > hv_problem_jobs(p)) customers = 0;
  char inst[160];
  if (customers > 0)
    snprintf(inst, sizeof inst, "%s.%ld", name, customers);
  else
    snprintf(inst, sizeof inst, "%s", name);
  json_object_set_new(root, "instance", json_string(inst));
  json_object_set_new(root, "objective", json_string(objective));
  json_object_set_new(root, "rounding", json_string(rounding));
  json_object_set_new(root, "vehicles", json_integer((json_int_t)sol->nroutes));
  json_object_set_new(root, "distance", json_real(sol->distance));
  json_object_set_new(root, "seconds", json_real(sol->seconds));
  json_object_set_new(root, "unassigned",
                      json_integer((json_int_t)sol->nunassigned));
  json_object_set_new(root, "iterations",
                      json_integer((json_int_t)sol->iterations));
  json_object_set_new(root, "pool_routes",
                      json_integer((json_int_t)sol->pool_routes));
  json_object_set_new(root, "sp_improvements",
                      json_integer((json_int_t)sol->sp_improvements));
  if (exact)
    json_object_set_new(root, "proven_optimal",
                        json_boolean(sol->proven_optimal));
  json_t *routes = json_array();
  for (size_t i = 0; i < sol->nroutes; i++) {
    json_t *r = json_array();
    for (size_t k = 0; k < sol->routes[i].njobs; k++)
      json_array_append_new(
          r, json_integer((json_int_t)(sol->routes[i].jobs[k] + 1)));
    json_array_append_new(routes, r);
  }
  json_object_set_new(root, "routes", routes);
  char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
  printf("%s\n", text ? text : "{}");
  free(text);
  json_decref(root);
  bool full = sol->nunassigned == 0;
  hv_solution_free(sol);
  hv_problem_free(p);
  return full ? 0 : 1;
}
