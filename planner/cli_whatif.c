/* planner/cli_whatif.c -- `hvplan whatif DIR -o OUT`: what coverage do we
 * get with 2, 3, ... pairs, or with an extra evening Somali speaker?
 *
 * Pair sweeps are nested: the pairs for k+1 are those for k plus one more,
 * chosen by the same GLPK model with the earlier pairs fixed, so the plan
 * for k is a valid plan for k+1.  Variants run in child processes, two at a
 * time (both cores); afterwards any k whose coverage fell below k-1's is
 * planned again starting from k-1's plan, which the search never makes
 * worse: coverage is monotone by construction.  Each variant's plan goes to
 * OUT/variants/<name>/; the table to whatif.csv, newly reached households
 * to whatif_marginal.csv, and the curve to whatif.svg and whatif.png. */
#include <cairo-svg.h>
#include <cairo.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "common_int.h"
#include "hv/plan.h"

#define MAX_VARIANTS 64

typedef struct variant {
  char name[64];
  char label[160];
  int kind;               /* 0: base, 1: pair sweep, 2: extra staff */
  int k;                  /* pairs asked for (sweep) */
  const char *spec;       /* extra staff: "es;so mon-fri 12:00-19:30" */
  int extra;              /* how many extra staff */
  hv_plan_pair *pairs;    /* sweep: the nested pairs */
  size_t npairs;
  int baseline;           /* index of the variant to compare with, or -1 */
  /* results, read back from the variant's plan.json */
  bool ok;
  long priority, priority_total;
  long households, visited, visits, routes, pairs_used;
  double travel_h, staff_h;
  int why[8];
  char **ids;             /* visited household ids */
  size_t nids;
} variant;

static bool parse_range(const char *s, int *lo, int *hi) {
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s) return false;
  long b = a;
  if (strncmp(end, "..", 2) == 0) {
    const char *t = end + 2;
    b = strtol(t, &end, 10);
    if (end == t) return false;
  }
  if (*end != '\0' || a < 0 || b < a || b > 60) return false;
  *lo = (int)a;
  *hi = (int)b;
  return true;
}

/* Runs one variant in this (child) process; returns the exit code. */
static int run_variant(const char *dir, const variant *v, const char *outdir,
                       double limit, uint64_t seed, const char *initial) {
  hv_diags *d = hv_diags_create();
  hv_scenario *s = NULL;
  if (hv_scenario_load(dir, &s, d) != HV_OK) return 2;
  hv_diags_free(d);
  hv_error err = {0};
  if (v->kind == 2) {
    /* "es;so mon-fri 12:00-19:30": languages, then hours. */
    const char *sp = strchr(v->spec, ' ');
    char langs[64];
    snprintf(langs, sizeof langs, "%.*s", sp ? (int)(sp - v->spec) : 0, v->spec);
    for (int i = 0; i < v->extra; i++) {
      char id[32], name[96];
      snprintf(id, sizeof id, "X%02d", i + 1);
      snprintf(name, sizeof name, "Extra staff %d (%s)", i + 1, langs);
      if (hv_scenario_add_staff(s, id, name, langs, sp ? sp + 1 : "", &err) != HV_OK) {
        hv_cli_print_error(&err);
        return 4;
      }
    }
  }
  hv_plan_options o;
  hv_plan_options_init(&o);
  o.time_limit_s = limit;
  o.iterations = (uint64_t)(limit * 20000.0) + 1;
  o.seed = seed;
  o.seed_set = true;
  o.initial_path = initial;
  if (v->kind == 1) {
    o.pairs = v->pairs;
    o.npairs = v->npairs;
  } else {
    /* Base and extra-staff variants: pairs as auto-pairing forms them. */
    hv_plan_pair *formed = NULL;
    size_t nformed = 0;
    if (hv_plan_form_pairs(s, NULL, &formed, &nformed, &err) != HV_OK) {
      hv_cli_print_error(&err);
      return 6;
    }
    o.pairs = formed;
    o.npairs = nformed;
    hv_plan *p = NULL;
    hv_status st = hv_plan_build(s, &o, &p, &err);
    if (st == HV_OK) st = hv_plan_write(p, outdir, NULL, &err);
    if (st != HV_OK) hv_cli_print_error(&err);
    hv_plan_free(p);
    free(formed);
    hv_scenario_free(s);
    return st == HV_OK ? 0 : 1;
  }
  hv_plan *p = NULL;
  hv_status st = hv_plan_build(s, &o, &p, &err);
  if (st == HV_OK) st = hv_plan_write(p, outdir, NULL, &err);
  if (st != HV_OK) hv_cli_print_error(&err);
  hv_plan_free(p);
  hv_scenario_free(s);
  return st == HV_OK ? 0 : 1;
}

/* Reads a variant's results back from its plan.json. */
static void read_result(variant *v, const char *outdir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/plan.json", outdir);
  json_t *root = json_load_file(path, 0, NULL);
  if (root == NULL) return;
  json_t *sum = json_object_get(root, "summary");
  v->priority = (long)json_integer_value(json_object_get(sum, "priority_covered"));
  v->priority_total = (long)json_integer_value(json_object_get(sum, "priority_total"));
  v->households = (long)json_integer_value(json_object_get(sum, "households"));
  v->visited = (long)json_integer_value(json_object_get(sum, "visited"));
  v->travel_h = json_number_value(json_object_get(sum, "travel_minutes")) / 60.0;
  json_t *routes = json_object_get(root, "routes");
  v->routes = (long)json_array_size(routes);
  v->pairs_used = (long)json_array_size(json_object_get(root, "pairs"));
  v->ids = calloc((size_t)v->visited + 1, sizeof *v->ids);
  size_t i;
  json_t *r;
  json_array_foreach(routes, i, r) {
    const char *dep = json_string_value(json_object_get(r, "depart"));
    const char *ret = json_string_value(json_object_get(r, "return"));
    if (dep && ret)
      v->staff_h += 2.0 * ((atoi(ret) * 60 + atoi(ret + 3)) - (atoi(dep) * 60 + atoi(dep + 3))) / 60.0;
    json_t *stops = json_object_get(r, "stops");
    v->visits += (long)json_array_size(stops);
    size_t k;
    json_t *stop;
    json_array_foreach(stops, k, stop) {
      const char *h = json_string_value(json_object_get(stop, "household"));
      if (h && v->ids && v->nids < (size_t)v->visited) v->ids[v->nids++] = strdup(h);
    }
  }
  json_t *un = json_object_get(root, "unvisited");
  json_t *u;
  json_array_foreach(un, i, u) {
    const char *code = json_string_value(json_object_get(u, "code"));
    static const char *const codes[] = {"", "no_coordinates", "language", "windows",
                                        "too_far", "capacity", "visited_earlier"};
    for (int c = 1; code && c < 7; c++)
      if (strcmp(code, codes[c]) == 0) v->why[c]++;
  }
  json_decref(root);
  v->ok = true;
}

static bool visited_in(const variant *v, const char *id) {
  for (size_t i = 0; i < v->nids; i++)
    if (strcmp(v->ids[i], id) == 0) return true;
  return false;
}

/* The knee of the sweep (Kneedle): on axes scaled to [0, 1], the point
 * farthest above the straight line from the first point to the last. */
static int knee(const variant *vs, const int *idx, int n) {
  if (n < 3) return -1;
  double x0 = vs[idx[0]].npairs, x1 = vs[idx[n - 1]].npairs;
  double y0 = (double)vs[idx[0]].priority, y1 = (double)vs[idx[n - 1]].priority;
  if (x1 <= x0 || y1 <= y0) return -1;
  int best = -1;
  double bd = 0.02;
  for (int i = 1; i < n - 1; i++) {
    double x = (vs[idx[i]].npairs - x0) / (x1 - x0);
    double y = ((double)vs[idx[i]].priority - y0) / (y1 - y0);
    if (y - x > bd) {
      bd = y - x;
      best = i;
    }
  }
  return best;
}

static void draw_chart(cairo_t *cr, double W, double H, const variant *vs,
                       const int *idx, int n, int kn, const char *title) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  double L = 70, R = 30, T = 60, B = 60;
  double pw = W - L - R, ph = H - T - B;
  double xmin = vs[idx[0]].npairs, xmax = vs[idx[n - 1]].npairs;
  if (xmax <= xmin) xmax = xmin + 1;
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 18);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, L, 32);
  cairo_show_text(cr, title);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12);
  /* Axes and grid: y is a percentage of the total. */
  cairo_set_line_width(cr, 1);
  for (int g = 0; g <= 100; g += 20) {
    double y = T + ph * (1 - g / 100.0);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, L, y);
    cairo_line_to(cr, L + pw, y);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    char lab[16];
    snprintf(lab, sizeof lab, "%d%%", g);
    cairo_move_to(cr, L - 42, y + 4);
    cairo_show_text(cr, lab);
  }
  for (int i = 0; i < n; i++) {
    double x = L + pw * (vs[idx[i]].npairs - xmin) / (xmax - xmin);
    char lab[16];
    snprintf(lab, sizeof lab, "%zu", vs[idx[i]].npairs);
    cairo_move_to(cr, x - 4, T + ph + 20);
    cairo_show_text(cr, lab);
  }
  cairo_move_to(cr, L + pw / 2 - 40, H - 15);
  cairo_show_text(cr, "pairs of staff");
  static const double col[2][3] = {{0.0, 0.45, 0.70}, {0.84, 0.37, 0.0}};
  for (int s = 0; s < 2; s++) {
    cairo_set_source_rgb(cr, col[s][0], col[s][1], col[s][2]);
    cairo_set_line_width(cr, 2.5);
    for (int i = 0; i < n; i++) {
      const variant *v = &vs[idx[i]];
      double frac = s == 0 ? (v->priority_total ? (double)v->priority / v->priority_total : 0)
                           : (v->households ? (double)v->visited / v->households : 0);
      double x = L + pw * (v->npairs - xmin) / (xmax - xmin), y = T + ph * (1 - frac);
      if (i == 0) cairo_move_to(cr, x, y);
      else cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
      const variant *v = &vs[idx[i]];
      double frac = s == 0 ? (v->priority_total ? (double)v->priority / v->priority_total : 0)
                           : (v->households ? (double)v->visited / v->households : 0);
      cairo_arc(cr, L + pw * (v->npairs - xmin) / (xmax - xmin), T + ph * (1 - frac), 4, 0,
                2 * 3.14159265358979);
      cairo_fill(cr);
    }
    cairo_move_to(cr, L + 10, T + 18 + 18 * s);
    cairo_show_text(cr, s == 0 ? "priority covered" : "households visited");
  }
  if (kn >= 0) {
    double x = L + pw * (vs[idx[kn]].npairs - xmin) / (xmax - xmin);
    double dash[] = {6, 4};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, x, T);
    cairo_line_to(cr, x, T + ph);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    char lab[96];
    snprintf(lab, sizeof lab, "knee: %zu pairs (more add little)", vs[idx[kn]].npairs);
    cairo_move_to(cr, x + 6, T + ph - 10);
    cairo_show_text(cr, lab);
  }
}

static void usage(void) {
  fprintf(stderr,
          "usage: hvplan whatif DIR -o OUT [--pairs A..B]\n"
          "                     [--add-staff \"LANGS DAYS HH:MM-HH:MM\" --count A..B]...\n"
          "                     [--time-limit S] [--seed N] [--jobs N]\n");
}

int hv_cli_whatif(int argc, char **argv) {
  const char *dir = NULL, *out = NULL;
  int plo = -1, phi = -1, jobs = 2;
  double limit = -1;
  long seed = -1;
  const char *specs[8];
  int clo[8], chi[8], nspecs = 0;
  int arg = 1;
  while (arg < argc) {
    const char *a = argv[arg], *v = arg + 1 < argc ? argv[arg + 1] : NULL;
    bool ok = true;
    int used = 2; /* an option and its value */
    if (a[0] != '-') {
      ok = dir == NULL;
      dir = a;
      used = 1;
    } else if (v == NULL) {
      ok = false;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      out = v;
    } else if (strcmp(a, "--pairs") == 0) {
      ok = parse_range(v, &plo, &phi) && plo >= 1;
    } else if (strcmp(a, "--add-staff") == 0) {
      ok = nspecs < 8;
      if (ok) {
        specs[nspecs] = v;
        clo[nspecs] = chi[nspecs] = 1;
        nspecs++;
      }
    } else if (strcmp(a, "--count") == 0) {
      ok = nspecs > 0 && parse_range(v, &clo[nspecs - 1], &chi[nspecs - 1]) &&
           clo[nspecs - 1] >= 1;
    } else if (strcmp(a, "--time-limit") == 0) {
      ok = hv__parse_double(v, &limit) && limit > 0;
    } else if (strcmp(a, "--seed") == 0) {
      ok = hv__parse_long(v, &seed) && seed >= 0;
    } else if (strcmp(a, "--jobs") == 0) {
      long j;
      ok = hv__parse_long(v, &j) && j >= 1 && j <= 16;
      jobs = (int)j;
    } else {
      ok = false;
    }
    if (!ok) {
      fprintf(stderr, "hvplan whatif: bad or unknown argument '%s'\n", a);
      usage();
      return 64;
    }
    arg += used;
  }
  if (dir == NULL || out == NULL) {
    usage();
    return 64;
  }
  int rc = 0;
  hv_scenario *s = hv_cli_load_scenario(dir, &rc);
  if (s == NULL) return rc;
  if (limit < 0) limit = s->solver.time_limit_s;
  if (seed < 0) seed = (long)s->solver.seed;
  if (plo < 0 && nspecs == 0) {
    plo = 1;
    phi = (int)(s->nstaff / 2);
  }
  hv_error err = {0};
  variant *vs = calloc(MAX_VARIANTS, sizeof *vs);
  int nv = 0;
  hv_status st;
  /* The base: auto-pairing, the staff as they are. */
  variant *base = &vs[nv++];
  snprintf(base->name, sizeof base->name, "base");
  snprintf(base->label, sizeof base->label, "current staff, pairs formed by hvplan");
  base->baseline = -1;
  /* Nested pair sweep. */
  int sweep[MAX_VARIANTS], nsweep = 0;
  hv_plan_pair *prev = NULL;
  size_t nprev = 0;
  for (int k = plo; plo > 0 && k <= phi && nv < MAX_VARIANTS; k++) {
    variant *v = &vs[nv];
    hv_pair_options po;
    hv_pair_options_init(&po);
    po.max_pairs = k;
    po.fixed = prev;
    po.nfixed = nprev;
    st = hv_plan_form_pairs(s, &po, &v->pairs, &v->npairs, &err);
    if (st != HV_OK) {
      hv_cli_print_error(&err);
      rc = hv_cli_exit_code(st);
      goto done;
    }
    if (nsweep > 0 && v->npairs == nprev) {
      free(v->pairs);
      v->pairs = NULL;
      fprintf(stderr, "hvplan: no more pairs can be formed beyond %zu\n", nprev);
      break;
    }
    v->kind = 1;
    v->k = k;
    v->baseline = nsweep > 0 ? sweep[nsweep - 1] : -1;
    snprintf(v->name, sizeof v->name, "pairs-%02d", k);
    snprintf(v->label, sizeof v->label, "%zu pairs", v->npairs);
    prev = v->pairs;
    nprev = v->npairs;
    sweep[nsweep++] = nv++;
  }
  for (int i = 0; i < nspecs; i++)
    for (int c = clo[i]; c <= chi[i] && nv < MAX_VARIANTS; c++) {
      variant *v = &vs[nv++];
      v->kind = 2;
      v->spec = specs[i];
      v->extra = c;
      v->baseline = 0;
      snprintf(v->name, sizeof v->name, "add-%d-%d", i + 1, c);
      snprintf(v->label, sizeof v->label, "+%d staff: %s", c, specs[i]);
    }
  /* Time: the scenario's limit across runs, two (or --jobs) at once. */
  double each = limit * jobs / nv;
  if (each < 1.0) each = 1.0;
  char variants[4096];
  snprintf(variants, sizeof variants, "%s/variants", out);
  mkdir(out, 0700);
  mkdir(variants, 0700);
  fprintf(stderr, "hvplan: %d variants, %.1f s each, %d at a time\n", nv, each, jobs);
  fflush(stderr);
  int running = 0, next = 0;
  pid_t pids[MAX_VARIANTS] = {0};
  while (next < nv || running > 0) {
    if (next < nv && running < jobs) {
      char vdir[4200];
      snprintf(vdir, sizeof vdir, "%s/%s", variants, vs[next].name);
      fflush(NULL);
      pid_t pid = fork();
      if (pid == 0) _exit(run_variant(dir, &vs[next], vdir, each, (uint64_t)seed, NULL));
      pids[next++] = pid;
      running++;
      continue;
    }
    int status;
    pid_t done_pid = wait(&status);
    if (done_pid < 0) break;
    running--;
    for (int i = 0; i < nv; i++)
      if (pids[i] == done_pid && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        fprintf(stderr, "hvplan: variant %s failed\n", vs[i].name);
        rc = 1;
      }
  }
  for (int i = 0; i < nv; i++) {
    char vdir[4200];
    snprintf(vdir, sizeof vdir, "%s/%s", variants, vs[i].name);
    read_result(&vs[i], vdir);
  }
  /* Repair: coverage must not fall as pairs are added. */
  for (int i = 1; i < nsweep; i++) {
    variant *v = &vs[sweep[i]], *u = &vs[sweep[i - 1]];
    if (!v->ok || !u->ok || v->priority >= u->priority) continue;
    char vdir[4200], start[4300];
    snprintf(vdir, sizeof vdir, "%s/%s", variants, v->name);
    snprintf(start, sizeof start, "%s/%s/plan.json", variants, u->name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(run_variant(dir, v, vdir, each, (uint64_t)seed, start));
    int status;
    waitpid(pid, &status, 0);
    for (size_t k = 0; k < v->nids; k++) free(v->ids[k]);
    free(v->ids);
    v->ids = NULL;
    v->nids = 0;
    memset(v->why, 0, sizeof v->why);
    v->staff_h = 0;
    v->visits = 0;
    read_result(v, vdir);
  }
  /* The table. */
  char *csv = NULL;
  size_t clen = 0;
  FILE *f = open_memstream(&csv, &clen);
  fprintf(f, "variant,description,pairs,visits,households_visited,households,"
             "priority_covered,priority_total,travel_hours,staff_hours,"
             "unvisited_language,unvisited_windows,unvisited_too_far,"
             "unvisited_capacity,unvisited_no_coordinates\n");
  printf("%-10s %-38s %5s %6s %9s %9s %7s %7s  %s\n", "variant", "", "pairs", "visits",
         "visited", "priority", "travel", "staff", "unvisited: lang/win/far/cap");
  for (int i = 0; i < nv; i++) {
    const variant *v = &vs[i];
    if (!v->ok) continue;
    char pairs[24];
    snprintf(pairs, sizeof pairs, "%ld", v->pairs_used);
    fprintf(f, "%s,\"%s\",%s,%ld,%ld,%ld,%ld,%ld,%.1f,%.1f,%d,%d,%d,%d,%d\n", v->name,
            v->label, pairs, v->visits, v->visited, v->households, v->priority,
            v->priority_total, v->travel_h, v->staff_h, v->why[2], v->why[3], v->why[4],
            v->why[5], v->why[1]);
    printf("%-10s %-38.38s %5s %6ld %4ld/%-4ld %9ld %6.1fh %6.1fh  %d/%d/%d/%d\n", v->name,
           v->label, pairs, v->visits, v->visited, v->households, v->priority, v->travel_h,
           v->staff_h, v->why[2], v->why[3], v->why[4], v->why[5]);
  }
  fclose(f);
  char path[4200];
  snprintf(path, sizeof path, "%s/whatif.csv", out);
  if (hv__write_file_atomic(path, csv, clen, &err) != HV_OK) {
    hv_cli_print_error(&err);
    rc = hv_cli_exit_code(err.code);
  }
  free(csv);
  /* Marginal value: who each variant reaches that its baseline does not. */
  f = open_memstream(&csv, &clen);
  fprintf(f, "variant,compared_with,household,priority,language\n");
  printf("\nMarginal value (households newly reached):\n");
  for (int i = 0; i < nv; i++) {
    const variant *v = &vs[i];
    if (!v->ok || v->baseline < 0 || !vs[v->baseline].ok) continue;
    const variant *b = &vs[v->baseline];
    int gained = 0;
    long prio = 0;
    for (size_t k = 0; k < v->nids; k++) {
      if (visited_in(b, v->ids[k])) continue;
      long h = -1;
      for (size_t q = 0; q < s->nhouseholds && h < 0; q++)
        if (strcmp(s->households[q].id, v->ids[k]) == 0) h = (long)q;
      if (h < 0) continue;
      gained++;
      prio += s->households[h].priority;
      fprintf(f, "%s,%s,%s,%d,%s\n", v->name, b->name, v->ids[k],
              s->households[h].priority, s->households[h].language);
    }
    printf("  %-10s vs %-10s +%d households (priority +%ld)\n", v->name, b->name, gained,
           prio);
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/whatif_marginal.csv", out);
  if (hv__write_file_atomic(path, csv, clen, &err) != HV_OK) rc = 1;
  free(csv);
  /* The chart. */
  int okidx[MAX_VARIANTS], nok = 0;
  for (int i = 0; i < nsweep; i++)
    if (vs[sweep[i]].ok) okidx[nok++] = sweep[i];
  if (nok >= 2) {
    int kn = knee(vs, okidx, nok);
    char title[200];
    snprintf(title, sizeof title, "Coverage by number of pairs — %s", s->name);
    snprintf(path, sizeof path, "%s/whatif.svg", out);
    cairo_surface_t *sv = cairo_svg_surface_create(path, 900, 560);
    cairo_t *cr = cairo_create(sv);
    draw_chart(cr, 900, 560, vs, okidx, nok, kn, title);
    cairo_destroy(cr);
    cairo_surface_destroy(sv);
    cairo_surface_t *png = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1350, 840);
    cr = cairo_create(png);
    cairo_scale(cr, 1.5, 1.5);
    draw_chart(cr, 900, 560, vs, okidx, nok, kn, title);
    cairo_destroy(cr);
    snprintf(path, sizeof path, "%s/whatif.png", out);
    if (cairo_surface_write_to_png(png, path) != CAIRO_STATUS_SUCCESS) rc = 1;
    cairo_surface_destroy(png);
    if (kn >= 0)
      printf("\nKnee of the curve: %zu pairs; beyond it each pair adds little.\n",
             vs[okidx[kn]].npairs);
  }
  printf("\nWrote %s/whatif.csv, whatif_marginal.csv, whatif.svg, whatif.png and "
         "variants/\n",
         out);
done:
  for (int i = 0; i < nv; i++) {
    free(vs[i].pairs);
    for (size_t k = 0; k < vs[i].nids; k++) free(vs[i].ids[k]);
    free(vs[i].ids);
  }
  free(vs);
  hv_scenario_free(s);
  return rc;
}
