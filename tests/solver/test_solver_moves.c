/* tests/solver/test_solver_moves.c -- the solver's inner pieces: the local
 * search (relocate, swap, or-opt, cross-exchange, 2-opt*, 2-opt), the
 * random perturbation, the insertion with ejections and the prize
 * exchange (unserved jobs in, cheaper served ones out), and the education
 * through infeasible routes (twls.c).  Each is run on
 * small random instances whose raw data the test keeps, and checked with a
 * schedule walker written here (no solver code): feasibility, no job lost
 * or duplicated, cost never worse, and, by brute force, that no single
 * relocate or swap improves a local optimum and that the ejection chosen
 * has the least total penalty of all possible ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "solver_int.h"

#define MAXN 12

typedef struct inst {
  int n, m;
  double T[(MAXN + 1) * (MAXN + 1)];
  double open[MAXN], close[MAXN], svc[MAXN], dem[MAXN], prize[MAXN];
  double cap, horizon;
  hv_problem *p;
} inst;

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return *s >> 33;
}

/* Travel times T ((n + 1) x (n + 1)) between the depot (location 0, the
 * grid's centre) and n points drawn on a 100 x 100 grid; xy: scratch of
 * 2 (n + 1). */
static void random_grid(double *T, double *xy, int n, uint64_t *s) {
  xy[0] = xy[1] = 50;
  for (int i = 1; i <= n; i++) {
    xy[2 * i] = (double)(lcg(s) % 100);
    xy[2 * i + 1] = (double)(lcg(s) % 100);
  }
  for (int i = 0; i <= n; i++)
    for (int j = 0; j <= n; j++)
      T[i * (n + 1) + j] =
          hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
}

/* n jobs on a 100 x 100 grid (location j + 1), m vehicles from the depot
 * (location 0) with capacity cap; windows of 60-150 in a 480 horizon. */
static void make_obj(inst *I, uint64_t seed, int n, int m, double cap,
                     hv_objective obj) {
  uint64_t s = seed;
  double xy[2 * (MAXN + 1)];
  I->n = n, I->m = m, I->cap = cap, I->horizon = 480;
  random_grid(I->T, xy, n, &s);
  I->p = hv_problem_create((size_t)n + 1, I->T, NULL, NULL);
  hv_problem_set_objective(I->p, obj);
  for (int j = 0; j < n; j++) {
    I->open[j] = (double)(lcg(&s) % 300);
    I->close[j] = I->open[j] + 60 + (double)(lcg(&s) % 90);
    I->svc[j] = 10;
    I->dem[j] = (double)(1 + lcg(&s) % 3);
    I->prize[j] = obj == HV_OBJ_PRIZE ? (double)(1 + lcg(&s) % 9) : 0;
    hv_job jb = {.location = (size_t)j + 1,
                 .service = I->svc[j],
                 .demand = I->dem[j],
                 .prize = I->prize[j],
                 .ntw = 1};
    jb.tw[0] = (hv_tw){I->open[j], I->close[j]};
    hv_problem_add_job(I->p, &jb, NULL, NULL);
  }
  for (int k = 0; k < m; k++) {
    hv_vehicle v = {
        .start = 0, .end = 0, .open = 0, .close = I->horizon, .capacity = cap};
    hv_problem_add_vehicle(I->p, &v, NULL, NULL);
  }
}

static void make(inst *I, uint64_t seed, int n, int m, double cap) {
  make_obj(I, seed, n, m, cap, HV_OBJ_DISTANCE);
}

/* The test's own walk of a sequence: feasible? and its length. */
static bool walk(const inst *I, const int *jobs, int n, double *len) {
  int N = I->n + 1, prev = 0;
  double t = 0, load = 0, d = 0;
  for (int q = 0; q < n; q++) {
    int j = jobs[q];
    t += I->T[prev * N + j + 1];
    d += I->T[prev * N + j + 1];
    if (t > I->close[j] + 1e-9) return false;
    if (t < I->open[j]) t = I->open[j];
    t += I->svc[j];
    load += I->dem[j];
    prev = j + 1;
  }
  if (n > 0) {
    t += I->T[prev * N];
    d += I->T[prev * N];
  }
  *len = d;
  return t <= I->horizon + 1e-9 && load <= I->cap + 1e-9;
}

/* Every route feasible, each job at most once and where[] consistent;
 * returns the total length and the number served. */
static bool sol_ok(const inst *I, const sol *s, double *total, int *served) {
  int seen[MAXN] = {0};
  bool ok = true;
  *total = 0, *served = 0;
  for (int v = 0; v < s->m; v++) {
    double len;
    if (!walk(I, s->r[v].job, s->r[v].n, &len)) ok = false;
    *total += len;
    for (int q = 0; q < s->r[v].n; q++) {
      int j = s->r[v].job[q];
      if (seen[j]++ || s->where[j] != v) ok = false;
      (*served)++;
    }
  }
  for (int j = 0; j < I->n; j++)
    if (!seen[j] && s->where[j] != -1) ok = false;
  return ok;
}

/* A random feasible solution: jobs in random order, each at a random
 * feasible position (checked by the test's walker). */
static void random_solution(const inst *I, const model *md, sol *s,
                            uint64_t *g) {
  int order[MAXN];
  for (int j = 0; j < I->n; j++)
    order[j] = j;
  for (int j = I->n - 1; j > 0; j--) {
    int k = (int)(lcg(g) % (uint64_t)(j + 1)), t = order[j];
    order[j] = order[k], order[k] = t;
  }
  for (int i = 0; i < I->n; i++) {
    int j = order[i], tries = 0;
    while (tries++ < 40) {
      int v = (int)(lcg(g) % (uint64_t)I->m);
      route *r = &s->r[v];
      int p = (int)(lcg(g) % (uint64_t)(r->n + 1));
      int seq[MAXN + 1], n = 0;
      for (int q = 0; q <= r->n; q++) {
        if (q == p) seq[n++] = j;
        if (q < r->n) seq[n++] = r->job[q];
      }
      double len;
      if (walk(I, seq, n, &len)) {
        hv__sol_set_route(md, s, v, seq, n);
        break;
      }
    }
  }
  s->cost = hv__sol_objective(md, s);
}

/* A random instance, its model and a random feasible solution (drawn
 * with *g); teardown() frees all three. */
static void setup(inst *I, model *md, sol *s, uint64_t seed, int n, int m,
                  double cap, uint64_t *g) {
  make(I, seed, n, m, cap);
  hv_error err;
  CHECK_INT_EQ(hv__model_build(md, I->p, &err), HV_OK);
  CHECK(hv__sol_init(s, md));
  random_solution(I, md, s, g);
}

static void teardown(inst *I, model *md, sol *s) {
  hv__sol_free(s);
  hv__model_free(md);
  hv_problem_free(I->p);
}

/* Whether some single relocate (into a used route, or inside one) or some
 * swap between two routes would shorten the solution. */
static bool improvable(const inst *I, const sol *s) {
  double len[16];
  for (int v = 0; v < s->m; v++)
    walk(I, s->r[v].job, s->r[v].n, &len[v]);
  int a[MAXN + 2], b[MAXN + 2];
  for (int ra = 0; ra < s->m; ra++)
    for (int pa = 0; pa < s->r[ra].n; pa++) {
      const route *A = &s->r[ra];
      int j = A->job[pa];
      for (int rb = 0; rb < s->m; rb++) {
        const route *B = &s->r[rb];
        if (B->n == 0) continue;
        /* relocate j to position pb of B */
        for (int pb = 0; pb <= B->n; pb++) {
          int na = 0, nb = 0;
          double la, lb;
          if (ra == rb) {
            for (int q = 0; q < A->n; q++)
              if (q != pa) a[na++] = A->job[q];
            if (pb > na) continue;
            for (int q = na; q > pb; q--)
              a[q] = a[q - 1];
            a[pb] = j, na++;
            if (walk(I, a, na, &la) && la < len[ra] - 1e-6) return true;
            continue;
          }
          for (int q = 0; q < A->n; q++)
            if (q != pa) a[na++] = A->job[q];
          for (int q = 0; q <= B->n; q++) {
            if (q == pb) b[nb++] = j;
            if (q < B->n) b[nb++] = B->job[q];
          }
          if (walk(I, a, na, &la) && walk(I, b, nb, &lb) &&
              la + lb < len[ra] + len[rb] - 1e-6)
            return true;
        }
        /* swap j with each job of another route */
        if (ra == rb) continue;
        for (int pb = 0; pb < B->n; pb++) {
          double la, lb;
          for (int q = 0; q < A->n; q++)
            a[q] = q == pa ? B->job[pb] : A->job[q];
          for (int q = 0; q < B->n; q++)
            b[q] = q == pb ? j : B->job[q];
          if (walk(I, a, A->n, &la) && walk(I, b, B->n, &lb) &&
              la + lb < len[ra] + len[rb] - 1e-6)
            return true;
        }
      }
    }
  return false;
}

static void local_search_reaches_local_optimum(void) {
  int improved = 0;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    inst I;
    model md;
    sol s;
    uint64_t g = seed * 7919;
    setup(&I, &md, &s, seed, 10, 3, 12, &g);
    double before, after;
    int served0, served1;
    CHECK(sol_ok(&I, &s, &before, &served0));
    CHECK(hv__local_search(&md, &s, NULL));
    CHECK(sol_ok(&I, &s, &after, &served1));
    CHECK_INT_EQ(served1, served0);
    CHECK(after <= before + 1e-9);
    CHECK_NEAR(s.cost, hv__sol_objective(&md, &s), 1e-9);
    CHECK(!improvable(&I, &s));
    improved += after < before - 1e-6;
    teardown(&I, &md, &s);
  }
  /* The random starts are poor: nearly all of them must get shorter. */
  CHECK(improved >= 35);
}

/* Whether two solutions have the same routes, job for job. */
static bool same_routes(const sol *a, const sol *b) {
  for (int v = 0; v < a->m; v++) {
    if (a->r[v].n != b->r[v].n) return false;
    for (int q = 0; q < a->r[v].n; q++)
      if (a->r[v].job[q] != b->r[v].job[q]) return false;
  }
  return true;
}

/* The descent's memory of pairs without an improving move changes nothing
 * but the work: after random changes to a local optimum, the descent with
 * the memory takes the solution to the same routes as the one without. */
static void local_search_memory_is_exact(void) {
  for (uint64_t seed = 1; seed <= 40; seed++) {
    inst I;
    model md;
    sol s, t;
    uint64_t g = seed * 104729;
    setup(&I, &md, &s, seed, 12, 4, 12, &g);
    CHECK(hv__sol_init(&t, &md));
    uint64_t *memo = hv__local_memo(&md);
    CHECK(memo != NULL);
    CHECK(hv__sol_copy(&t, &s));
    CHECK(hv__local_search(&md, &s, memo));
    CHECK(hv__local_search(&md, &t, NULL));
    rng r;
    hv__rng_seed(&r, seed);
    for (int round = 0; round < 4; round++) {
      CHECK(same_routes(&s, &t));
      CHECK_NEAR(s.cost, t.cost, 1e-9);
      /* A few random moves touch some routes and leave the others. */
      CHECK(hv__perturb(&md, &s, &r, 1 + round));
      CHECK(hv__sol_copy(&t, &s));
      CHECK(hv__local_search(&md, &s, memo));
      CHECK(hv__local_search(&md, &t, NULL));
    }
    free(memo);
    hv__sol_free(&t);
    teardown(&I, &md, &s);
  }
}

static void perturbation_stays_feasible(void) {
  for (uint64_t seed = 1; seed <= 20; seed++) {
    inst I;
    model md;
    sol s;
    uint64_t g = seed;
    setup(&I, &md, &s, seed, 12, 4, 12, &g);
    double len0, len1;
    int served0, served1;
    CHECK(sol_ok(&I, &s, &len0, &served0));
    rng r;
    hv__rng_seed(&r, seed);
    CHECK(hv__perturb(&md, &s, &r, 200));
    CHECK(sol_ok(&I, &s, &len1, &served1));
    CHECK_INT_EQ(served1, served0);
    teardown(&I, &md, &s);
  }
}

/* Least total penalty of inserting j with at most kmax ejections, by
 * brute force over routes, positions and ejection sets; INFINITY if none. */
static double brute_eject(const inst *I, const sol *s, int j, const long *pen,
                          int kmax) {
  double best = INFINITY;
  int seq[MAXN + 1];
  for (int v = 0; v < s->m; v++) {
    const route *r = &s->r[v];
    if (r->n == 0) continue;
    for (int p = 0; p <= r->n; p++)
      for (unsigned mask = 0; mask < 1u << r->n; mask++) {
        if (__builtin_popcount(mask) > kmax) continue;
        int n = 0;
        long ps = 0;
        for (int q = 0; q <= r->n; q++) {
          if (q == p) seq[n++] = j;
          if (q == r->n) break;
          if (mask >> q & 1)
            ps += pen[r->job[q]];
          else
            seq[n++] = r->job[q];
        }
        double len;
        if (ps < best && walk(I, seq, n, &len)) best = (double)ps;
      }
  }
  return best;
}

/* Also guards the depth-first search's cuts (ejection.c): with one, two or
 * three ejections allowed, the set it picks costs what brute force finds. */
static void ejection_takes_the_cheapest_set(void) {
  int ejected_runs = 0;
  for (uint64_t seed = 1; seed <= 180; seed++) {
    int kmax = 1 + (int)(seed % 3);
    inst I;
    model md;
    sol s;
    uint64_t g = seed * 31;
    setup(&I, &md, &s, seed, 11, 2, 10, &g);
    long pen[MAXN];
    for (int j = 0; j < I.n; j++)
      pen[j] = 1 + (long)(lcg(&g) % 4);
    rng r;
    hv__rng_seed(&r, seed);
    for (int j = 0; j < I.n; j++) {
      if (s.where[j] >= 0) continue;
      double want = brute_eject(&I, &s, j, pen, kmax);
      int out[8];
      int k = hv__eject_insert(&md, &s, j, pen, kmax, &r, out);
      if (!isfinite(want)) {
        CHECK_INT_EQ(k, -1);
        continue;
      }
      CHECK(k >= 0);
      if (k < 0) continue;
      long got = 0;
      for (int e = 0; e < k; e++) {
        got += pen[out[e]];
        CHECK_INT_EQ(s.where[out[e]], -1);
      }
      CHECK_NEAR((double)got, want, 0);
      CHECK(s.where[j] >= 0);
      double len;
      int served;
      CHECK(sol_ok(&I, &s, &len, &served));
      ejected_runs++;
      break;
    }
    teardown(&I, &md, &s);
  }
  CHECK(ejected_runs >= 60);
}

/* Capacity 4 with jobs of demand 1, 1 and 2 on board: a job of demand 2
 * goes in by ejecting the demand-2 job or both small ones, whichever has
 * the smaller total penalty. */
static void ejection_follows_penalties(void) {
  double T[16] = {0};
  hv_problem *p = hv_problem_create(4, T, NULL, NULL);
  hv_problem_set_objective(p, HV_OBJ_VEHICLES);
  double dem[4] = {1, 1, 2, 2};
  for (int j = 0; j < 4; j++) {
    hv_job jb = {.location = (size_t)(j < 3 ? j + 1 : 3), .demand = dem[j]};
    hv_problem_add_job(p, &jb, NULL, NULL);
  }
  hv_vehicle v = {.close = 100, .capacity = 4};
  hv_problem_add_vehicle(p, &v, NULL, NULL);
  model md;
  hv_error err;
  CHECK_INT_EQ(hv__model_build(&md, p, &err), HV_OK);
  for (int round = 0; round < 2; round++) {
    sol s;
    CHECK(hv__sol_init(&s, &md));
    int jobs[3] = {0, 1, 2};
    CHECK(hv__sol_set_route(&md, &s, 0, jobs, 3));
    long pen[4] = {1, 1, round == 0 ? 5 : 1, 1};
    rng r;
    hv__rng_seed(&r, 1);
    int out[8];
    int k = hv__eject_insert(&md, &s, 3, pen, 3, &r, out);
    if (round == 0) {
      CHECK_INT_EQ(k, 2); /* 1 + 1 < 5 */
      CHECK_INT_EQ(s.where[0], -1);
      CHECK_INT_EQ(s.where[1], -1);
      CHECK_INT_EQ(s.where[2], 0);
    } else {
      CHECK_INT_EQ(k, 1); /* 1 < 1 + 1 */
      CHECK_INT_EQ(out[0], 2);
      CHECK_INT_EQ(s.where[2], -1);
    }
    CHECK_INT_EQ(s.where[3], 0);
    CHECK(s.r[0].load <= 4 + 1e-9);
    hv__sol_free(&s);
  }
  hv__model_free(&md);
  hv_problem_free(p);
}

static double served_prize(const inst *I, const sol *s) {
  double p = 0;
  for (int j = 0; j < I->n; j++)
    if (s->where[j] >= 0) p += I->prize[j];
  return p;
}

/* The prize exchange: from random partial solutions of tight instances
 * (two vehicles of capacity 6 for 12 jobs), the result is feasible, never
 * collects less, and is a local optimum by brute force: no unserved job
 * fits anywhere, and none replaces a served job worth less in any route
 * at any position. */
static void prize_exchange_gains_to_local_optimum(void) {
  int gained = 0;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    inst I;
    make_obj(&I, seed * 7717, MAXN, 2, 6, HV_OBJ_PRIZE);
    model md;
    hv_error err;
    sol s;
    CHECK_INT_EQ(hv__model_build(&md, I.p, &err), HV_OK);
    CHECK(hv__sol_init(&s, &md));
    uint64_t g = seed;
    random_solution(&I, &md, &s, &g);
    double before = served_prize(&I, &s), total, after = before;
    int served;
    for (int round = 0; round < 10; round++) {
      CHECK(hv__prize_exchange(&md, &s, hv__now() + 10));
      double now = served_prize(&I, &s);
      if (now <= after) break;
      after = now;
    }
    CHECK(sol_ok(&I, &s, &total, &served));
    CHECK(after >= before);
    gained += after > before;
    for (int u = 0; u < I.n; u++) {
      if (s.where[u] >= 0) continue;
      for (int v = 0; v < I.m; v++) {
        const route *r = &s.r[v];
        int seq[MAXN + 1];
        double len;
        for (int p = 0; p <= r->n; p++) { /* plain insertion */
          int n = 0;
          for (int q = 0; q <= r->n; q++) {
            if (q == p) seq[n++] = u;
            if (q < r->n) seq[n++] = r->job[q];
          }
          CHECK(!walk(&I, seq, n, &len));
        }
        for (int a = 0; a < r->n; a++) { /* exchange */
          if (I.prize[r->job[a]] >= I.prize[u]) continue;
          for (int p = 0; p < r->n; p++) {
            int n = 0;
            for (int q = 0; q < r->n; q++) {
              if (q == a) continue;
              if (n == p) seq[n++] = u;
              seq[n++] = r->job[q];
            }
            if (n == p) seq[n++] = u;
            CHECK(!walk(&I, seq, n, &len));
          }
        }
      }
    }
    hv__sol_free(&s);
    hv__model_free(&md);
    hv_problem_free(I.p);
  }
  CHECK(gained >= 10); /* it does something on most of them */
}

/* Whether r's cached schedule and sums equal a full recomputation's, to
 * the bit. */
static bool same_as_full(const model *md, const route *r) {
  route f;
  if (!hv__route_init(&f, r->v, r->n + 1)) return false;
  bool ok = hv__route_copy(&f, r);
  hv__route_update(md, &f);
  for (int p = 0; ok && p <= r->n + 1; p++)
    ok = f.e[p] == r->e[p] && f.L[p] == r->L[p];
  ok = ok && f.cost == r->cost && f.dist == r->dist && f.load == r->load;
  hv__route_free(&f);
  return ok;
}

/* Insertions, removals of stretches and filtering update only where the
 * change reaches; the result is the full update's exactly, over random
 * sequences of them (feasible routes or not). */
static void route_updates_match_the_full_one(void) {
  for (uint64_t seed = 1; seed <= 30; seed++) {
    inst I;
    make(&I, seed * 104729, MAXN, 1, 40);
    model md;
    hv_error err;
    CHECK_INT_EQ(hv__model_build(&md, I.p, &err), HV_OK);
    route r, c;
    CHECK(hv__route_init(&r, 0, 4));
    CHECK(hv__route_init(&c, 0, 4));
    hv__route_update(&md, &r);
    uint64_t g = seed, last_id = r.id;
    int where[MAXN];
    for (int step = 0; step < 200; step++) {
      int in[MAXN] = {0};
      for (int k = 0; k < r.n; k++)
        in[r.job[k]] = 1;
      int op = (int)(lcg(&g) % 3), before = r.n, was[MAXN];
      memcpy(was, r.job, (size_t)r.n * sizeof *was);
      if (op == 0 && r.n < MAXN) {
        int j = (int)(lcg(&g) % MAXN);
        while (in[j])
          j = (j + 1) % MAXN;
        CHECK(
            hv__route_insert(&md, &r, j, (int)(lcg(&g) % (uint64_t)(r.n + 1))));
      } else if (op == 1 && r.n > 0) {
        int from = (int)(lcg(&g) % (uint64_t)r.n);
        int count = 1 + (int)(lcg(&g) % (uint64_t)(r.n - from));
        hv__route_remove_range(&md, &r, from, count);
      } else if (r.n > 0) {
        for (int j = 0; j < MAXN; j++)
          where[j] = lcg(&g) % 4 ? 0 : -1;
        hv__route_keep(&md, &r, where, 0);
      }
      CHECK(same_as_full(&md, &r));
      /* Every change names a new content (the search's memo of where a
       * job did not fit relies on it); a copy keeps the name. */
      bool changed = r.n != before;
      for (int k = 0; !changed && k < r.n; k++)
        changed = r.job[k] != was[k];
      if (changed) CHECK(r.id > last_id);
      last_id = r.id;
      CHECK(hv__route_copy(&c, &r));
      CHECK(c.id == r.id);
    }
    hv__route_free(&c);
    hv__route_free(&r);
    hv__model_free(&md);
    hv_problem_free(I.p);
  }
}

/* hv__sort_desc: keys descending, ties by index ascending, against the
 * test's own selection of the next element, over random keys with many
 * ties and lengths 0-300. */
static void sort_desc_orders_by_key_then_index(void) {
  uint64_t g = 12345;
  double key[300];
  int a[300];
  bool ok = true;
  for (int t = 0; t < 200; t++) {
    int n = (int)(lcg(&g) % 301);
    for (int i = 0; i < 300; i++)
      key[i] = (double)(lcg(&g) % 7) - 3.0;
    for (int i = 0; i < n; i++)
      a[i] = 299 - (int)(lcg(&g) % 300); /* repeats allowed */
    int want[300], left[300];
    memcpy(left, a, (size_t)n * sizeof *a);
    for (int k = 0; k < n; k++) {
      int b = k;
      for (int i = k + 1; i < n; i++)
        if (key[left[i]] > key[left[b]] ||
            (key[left[i]] == key[left[b]] && left[i] < left[b]))
          b = i;
      want[k] = left[b];
      left[b] = left[k];
      left[k] = want[k];
    }
    hv__sort_desc(a, n, key);
    ok = ok && memcmp(a, want, (size_t)n * sizeof *a) == 0;
  }
  CHECK(ok);
}

/* The search's memo of where a job did not fit (search.c, best_insertion)
 * skips scans it knows would fail and changes nothing else: with an
 * iteration budget the routes are the same, job for job, with it and
 * without it, on orienteering-like instances (two short tours among 150
 * jobs: most left out, the memo's case) and on fleet-and-distance ones;
 * and it does skip scans. */
static void insertion_memo_changes_nothing(void) {
  enum { N = 150 };
  static double T[(N + 1) * (N + 1)];
  for (uint64_t seed = 1; seed <= 6; seed++) {
    bool prize = seed % 2 == 1;
    uint64_t g = seed * 7919;
    double xy[2 * (N + 1)];
    random_grid(T, xy, N, &g);
    hv_problem *p = hv_problem_create(N + 1, T, NULL, NULL);
    CHECK(p != NULL);
    hv_problem_set_objective(p, prize ? HV_OBJ_PRIZE : HV_OBJ_VEHICLES);
    for (int j = 0; j < N; j++) {
      double open = (double)(lcg(&g) % 600);
      hv_job jb = {.location = (size_t)j + 1,
                   .service = 10,
                   .demand = (double)(1 + lcg(&g) % 9),
                   .prize = prize ? (double)(1 + lcg(&g) % 30) : 0,
                   .ntw = 1};
      jb.tw[0] = (hv_tw){open, open + 60 + (double)(lcg(&g) % 120)};
      CHECK_INT_EQ(hv_problem_add_job(p, &jb, NULL, NULL), HV_OK);
    }
    for (int k = 0; k < (prize ? 2 : 30); k++) {
      hv_vehicle v = {.start = 0,
                      .end = 0,
                      .open = 0,
                      .close = prize ? 400 : 1000,
                      .capacity = prize ? 0 : 60};
      CHECK_INT_EQ(hv_problem_add_vehicle(p, &v, NULL, NULL), HV_OK);
    }
    hv_solve_options o;
    hv_solve_options_init(&o);
    o.max_iterations = 4000;
    o.time_limit_s = 600;
    o.use_pool = false;
    o.seed = seed;
    hv_solution *with = NULL, *without = NULL;
    hv_error err;
    hv__insertion_memo = true;
    CHECK_INT_EQ(hv_solve(p, &o, &with, &err), HV_OK);
    hv__insertion_memo = false;
    CHECK_INT_EQ(hv_solve(p, &o, &without, &err), HV_OK);
    hv__insertion_memo = true;
    CHECK(with->scans_skipped > 0);
    CHECK(without->scans_skipped == 0);
    CHECK(with->iterations == without->iterations);
    CHECK(with->nroutes == without->nroutes);
    CHECK(with->nunassigned == without->nunassigned);
    bool same = with->nroutes == without->nroutes;
    for (size_t r = 0; same && r < with->nroutes; r++) {
      const hv_route *a = &with->routes[r], *b = &without->routes[r];
      same = a->vehicle == b->vehicle && a->njobs == b->njobs;
      for (size_t k = 0; same && k < a->njobs; k++)
        same = a->jobs[k] == b->jobs[k];
    }
    CHECK(same);
    CHECK(with->distance == without->distance);
    hv_solution_free(with);
    hv_solution_free(without);
    hv_problem_free(p);
  }
}

/* The best exact partition of the n jobs by at most kmax of the given
 * routes (job sets as bit masks), counting vc per route, with exactly kfix
 * routes when kfix > 0 (dynamic programming over sets). */
static double best_partition(int n, int nr, const unsigned *mask,
                             const double *len, int kmax, int kfix, double vc) {
  enum { SETS = 1 << MAXN };
  static double f[MAXN + 1][SETS];
  unsigned all = (1u << n) - 1;
  for (int k = 0; k <= kmax; k++)
    for (unsigned x = 0; x <= all; x++)
      f[k][x] = x == 0 && k == 0 ? 0 : INFINITY;
  for (int k = 1; k <= kmax; k++)
    for (unsigned x = 1; x <= all; x++)
      for (int i = 0; i < nr; i++)
        if ((mask[i] & x) == mask[i] && isfinite(f[k - 1][x & ~mask[i]]) &&
            f[k - 1][x & ~mask[i]] + len[i] + vc < f[k][x])
          f[k][x] = f[k - 1][x & ~mask[i]] + len[i] + vc;
  double best = INFINITY;
  for (int k = kfix > 0 ? kfix : 1; k <= (kfix > 0 ? kfix : kmax); k++)
    if (f[k][all] < best) best = f[k][all];
  return best;
}

/* The pool's model covers the jobs and then leaves each job in one route:
 * from random pools (the routes of twelve random solutions) the answer
 * serves every job once with feasible routes, is never worse than the
 * incumbent nor than the best exact partition of the pool's routes
 * (brute force; under the vehicles objective with the incumbent's number
 * of routes), and on some instances beats every partition: routes that
 * overlap combine once the repeated jobs leave. */
static void pool_covers_then_drops_repeats(void) {
  int cases = 0, beyond = 0;
  for (int obj = 0; obj < 2; obj++)
    for (uint64_t seed = 1; seed <= 30; seed++) {
      inst I;
      make_obj(&I, seed * 4241, 8, 3, 12,
               obj ? HV_OBJ_VEHICLES : HV_OBJ_DISTANCE);
      model md;
      hv_error err;
      sol inc, out, t;
      CHECK_INT_EQ(hv__model_build(&md, I.p, &err), HV_OK);
      CHECK(hv__sol_init(&inc, &md) && hv__sol_init(&out, &md));
      uint64_t g = seed;
      random_solution(&I, &md, &inc, &g);
      double len0, len1;
      int served;
      CHECK(sol_ok(&I, &inc, &len0, &served));
      pool *pl = hv__pool_create(&md, 1000);
      CHECK(pl != NULL);
      unsigned mask[64];
      double len[64];
      int nr = 0;
      for (int k = 0; k <= 12 && served == I.n; k++) {
        const sol *src = &inc;
        if (k > 0) {
          CHECK(hv__sol_init(&t, &md));
          random_solution(&I, &md, &t, &g);
          CHECK(hv__local_search(&md, &t, NULL));
          src = &t;
        }
        for (int v = 0; v < src->m && nr < 64; v++) {
          const route *r = &src->r[v];
          if (r->n == 0) continue;
          mask[nr] = 0;
          for (int q = 0; q < r->n; q++)
            mask[nr] |= 1u << r->job[q];
          walk(&I, r->job, r->n, &len[nr]);
          nr++;
          if (k > 0) hv__pool_add(pl, r);
        }
        if (k > 0) hv__sol_free(&t);
      }
      if (served == I.n) {
        cases++;
        hv_status st;
        bool better =
            hv__pool_solve(&md, pl, &inc, 10.0, 100000, &out, &err, &st);
        CHECK_INT_EQ(st, HV_OK);
        const sol *res = better ? &out : &inc;
        CHECK(sol_ok(&I, res, &len1, &served));
        CHECK_INT_EQ(served, I.n);
        CHECK(res->cost <= inc.cost + 1e-9);
        double vc = obj ? md.vehicle_cost : 0.0;
        CHECK_NEAR(res->cost, len1 + vc * res->nused, 1e-6);
        double part =
            best_partition(I.n, nr, mask, len, I.m, obj ? inc.nused : 0, vc);
        CHECK(res->cost <= part + 1e-6);
        beyond += res->cost < part - 1e-6;
      }
      hv__pool_free(pl);
      hv__sol_free(&inc), hv__sol_free(&out);
      hv__model_free(&md);
      hv_problem_free(I.p);
    }
  CHECK(cases >= 20);
  CHECK(beyond >= 10); /* 18 of 60 when written */
}

/* Merging pools (hv__pool_merge: the threads' final call): one pool fed
 * the routes of six random solutions and another fed those of six others,
 * merged, hold as many routes as a single pool fed all twelve, and the
 * model over either reaches the same cost; merging the same pool again
 * adds nothing. */
static void pool_merge_is_the_union(void) {
  int cases = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    inst I;
    make_obj(&I, seed * 7919, 8, 3, 12, HV_OBJ_DISTANCE);
    model md;
    hv_error err;
    sol inc, t, out_a, out_c;
    CHECK_INT_EQ(hv__model_build(&md, I.p, &err), HV_OK);
    CHECK(hv__sol_init(&inc, &md) && hv__sol_init(&out_a, &md) &&
          hv__sol_init(&out_c, &md));
    uint64_t g = seed;
    random_solution(&I, &md, &inc, &g);
    double len;
    int served;
    CHECK(sol_ok(&I, &inc, &len, &served));
    pool *pa = hv__pool_create(&md, 1000), *pb = hv__pool_create(&md, 1000),
         *pc = hv__pool_create(&md, 1000);
    CHECK(pa && pb && pc);
    for (int k = 0; k < 12; k++) {
      CHECK(hv__sol_init(&t, &md));
      random_solution(&I, &md, &t, &g);
      if (k % 3 == 0) CHECK(hv__local_search(&md, &t, NULL));
      for (int v = 0; v < t.m; v++) {
        hv__pool_add(k < 6 ? pa : pb, &t.r[v]);
        hv__pool_add(pc, &t.r[v]);
      }
      hv__sol_free(&t);
    }
    hv__pool_merge(pa, pb);
    CHECK_INT_EQ((int)hv__pool_size(pa), (int)hv__pool_size(pc));
    hv__pool_merge(pa, pb);
    CHECK_INT_EQ((int)hv__pool_size(pa), (int)hv__pool_size(pc));
    if (served == I.n) {
      cases++;
      hv_status st;
      bool ba = hv__pool_solve(&md, pa, &inc, 10.0, 100000, &out_a, &err, &st);
      CHECK_INT_EQ(st, HV_OK);
      bool bc = hv__pool_solve(&md, pc, &inc, 10.0, 100000, &out_c, &err, &st);
      CHECK_INT_EQ(st, HV_OK);
      CHECK_NEAR((ba ? &out_a : &inc)->cost, (bc ? &out_c : &inc)->cost, 1e-6);
    }
    hv__pool_free(pa), hv__pool_free(pb), hv__pool_free(pc);
    hv__sol_free(&inc), hv__sol_free(&out_a), hv__sol_free(&out_c);
    hv__model_free(&md);
    hv_problem_free(I.p);
  }
  CHECK(cases >= 10);
}

/* The education through infeasible routes (twls.c): from a random
 * solution with a few jobs taken out, it either (1) serves every job in
 * feasible routes (the test's walker) where no single relocate or swap
 * shortens the routes any more, or (2) returns feasible routes with some
 * jobs left for the caller to insert, or (0) leaves the solution as it
 * was; the same draws give the same result, also without the descent's
 * memory of pairs that had no move (so it changes nothing but the work); a
 * model with what its summaries do not price (two windows for a job) is
 * refused. */
static void education_is_feasible_and_locally_optimal(void) {
  int full = 0;
  for (uint64_t seed = 1; seed <= 300; seed++) {
    inst I;
    model md;
    sol s, copy, again;
    uint64_t g = seed * 104729;
    setup(&I, &md, &s, seed, 12, 3, 14, &g);
    CHECK(hv__sol_init(&copy, &md) && hv__sol_init(&again, &md));
    for (int k = 0; k < 3; k++) { /* a crossover's leftovers */
      int j = (int)(lcg(&g) % (uint64_t)I.n), v = s.where[j];
      if (v < 0) continue;
      int seq[MAXN], n = 0;
      for (int q = 0; q < s.r[v].n; q++)
        if (s.r[v].job[q] != j) seq[n++] = s.r[v].job[q];
      hv__sol_set_route(&md, &s, v, seq, n);
      s.where[j] = -1;
    }
    s.cost = hv__sol_objective(&md, &s);
    double len;
    int served;
    CHECK(sol_ok(&I, &s, &len, &served));
    CHECK(hv__sol_copy(&copy, &s) && hv__sol_copy(&again, &s));
    bool nomem;
    twls *t = hv__twls_create(&md, &nomem);
    CHECK(t != NULL && !nomem);
    rng r1, r2;
    hv__rng_seed(&r1, seed);
    hv__rng_seed(&r2, seed);
    int res = hv__twls_educate(t, &s, &r1);
    CHECK(res >= 0 && res <= 2);
    CHECK(sol_ok(&I, &s, &len, &served));
    CHECK_NEAR(s.cost, hv__sol_objective(&md, &s), 1e-9);
    if (res == 1) {
      full++;
      CHECK_INT_EQ(served, I.n);
      CHECK(!improvable(&I, &s));
    } else if (res == 0) {
      CHECK(same_routes(&s, &copy));
    }
    /* the prices adapt from call to call: a fresh one for the repeat */
    twls *t2 = hv__twls_create(&md, &nomem);
    CHECK(t2 != NULL);
    hv__twls_memo_on = false;
    CHECK_INT_EQ(hv__twls_educate(t2, &again, &r2), res);
    hv__twls_memo_on = true;
    CHECK(same_routes(&s, &again));
    hv__twls_free(t);
    hv__twls_free(t2);
    hv__sol_free(&copy);
    hv__sol_free(&again);
    teardown(&I, &md, &s);
  }
  /* Loose windows and room to spare: nearly every education serves all. */
  CHECK(full >= 225);
  inst I;
  make(&I, 1, 6, 2, 10);
  hv_job two = {.location = 1, .service = 5, .demand = 1, .ntw = 2};
  two.tw[0] = (hv_tw){0, 50};
  two.tw[1] = (hv_tw){100, 150};
  CHECK_INT_EQ(hv_problem_add_job(I.p, &two, NULL, NULL), HV_OK);
  model md;
  hv_error err;
  CHECK_INT_EQ(hv__model_build(&md, I.p, &err), HV_OK);
  bool nomem = true;
  CHECK(hv__twls_create(&md, &nomem) == NULL);
  CHECK(!nomem);
  hv__model_free(&md);
  hv_problem_free(I.p);
}

int main(void) {
  RUN(local_search_reaches_local_optimum);
  RUN(local_search_memory_is_exact);
  RUN(perturbation_stays_feasible);
  RUN(ejection_takes_the_cheapest_set);
  RUN(ejection_follows_penalties);
  RUN(prize_exchange_gains_to_local_optimum);
  RUN(pool_covers_then_drops_repeats);
  RUN(pool_merge_is_the_union);
  RUN(route_updates_match_the_full_one);
  RUN(insertion_memo_changes_nothing);
  RUN(sort_desc_orders_by_key_then_index);
  RUN(education_is_feasible_and_locally_optimal);
  return CHECK_DONE();
}
