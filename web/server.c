/* web/server.c -- the HTTP server of `hvplan serve` on libmicrohttpd:
 * listening (loopback, or TLS elsewhere), reading requests whole, logins,
 * sessions and CSRF, the pages' access rules and the request log (method,
 * path, status, time and role: never a name, a query string or a body). */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "web_int.h"

#define THROTTLE_WINDOW 900 /* s */
#define THROTTLE_MAX 30     /* failed logins per address per window */

/* ---- replies -------------------------------------------------------- */

void hv__reply_text(hv_reply *r, int status, const char *type, const char *text,
                    size_t len) {
  r->status = status;
  r->type = type;
  free(r->body);
  r->body = malloc(len + 1);
  if (r->body) {
    memcpy(r->body, text, len);
    r->body[len] = '\0';
  }
  r->len = r->body ? len : 0;
}

void hv__reply_json(hv_reply *r, int status, json_t *j) {
  char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(j);
  if (text == NULL) {
    hv__reply_text(r, 500, "application/json", "{\"error\":\"out of memory\"}",
                   25);
    return;
  }
  hv__reply_text(r, status, "application/json", text, strlen(text));
  free(text);
}

json_t *hv__problems_json(const hv_diags *d, const char *file, int flags,
                          bool *errors) {
  json_t *a = json_array();
  if (errors) *errors = false;
  for (size_t i = 0; d && i < hv_diags_count(d); i++) {
    const hv_diag *x = hv_diags_get(d, i);
    bool err = x->severity == HV_SEV_ERROR;
    if (errors && err) *errors = true;
    if ((flags & HV_PROBLEMS_ERRORS) && !err) continue;
    json_array_append_new(
        a, hv__problem_json(
               x->error.source[0] ? x->error.source : file,
               flags & HV_PROBLEMS_NO_LINE ? -1L : (long)x->error.line,
               x->error.field, err, x->error.text));
  }
  return a;
}

json_t *hv__problem_json(const char *file, long line, const char *field,
                         bool error, const char *message) {
  json_t *p = json_pack("{s:s}", "file", file);
  if (line >= 0) json_object_set_new(p, "line", json_integer(line));
  json_object_set_new(p, "field", json_string(field));
  json_object_set_new(p, "severity", json_string(error ? "error" : "warning"));
  json_object_set_new(p, "message", json_string(message));
  return p;
}

void hv__reply_error(hv_reply *r, int status, const char *field,
                     const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *j = json_pack("{s:s}", "error", msg);
  if (field && j) json_object_set_new(j, "field", json_string(field));
  hv__reply_json(r, status, j);
}

/* ---- sessions (hv/users.h: in the program database) ----------------- */

/* A new session for u: its token (65 bytes) for the cookie.  Its CSRF
 * token reaches the page through GET /api/session. */
static bool session_new(hv_server *s, const hv_user *u, char *token) {
  hv_error err = {0};
  char csrf[65];
  pthread_mutex_lock(&s->accounts_lock);
  hv_status st =
      hv_sessions_open(s->accounts, u, time(NULL), token, csrf, &err);
  pthread_mutex_unlock(&s->accounts_lock);
  return st == HV_OK;
}

/* The session of token, when open and its account unchanged; a failing
 * database signs the request out (and says so on stderr, without names). */
static bool session_find(hv_server *s, const char *token, hv_session *out) {
  bool found = false;
  hv_error err = {0};
  pthread_mutex_lock(&s->accounts_lock);
  hv_status st = hv_sessions_find(s->accounts, token, time(NULL), &out->user,
                                  out->csrf, &found, &err);
  pthread_mutex_unlock(&s->accounts_lock);
  if (st != HV_OK)
    fprintf(stderr, "hvplan serve: reading a session failed: %s\n", err.text);
  return st == HV_OK && found;
}

static void session_end(hv_server *s, const char *token) {
  hv_error err = {0};
  pthread_mutex_lock(&s->accounts_lock);
  hv_sessions_end(s->accounts, token, &err);
  pthread_mutex_unlock(&s->accounts_lock);
}

/* Failed logins per address: true when this address must wait. */
static bool throttled(hv_server *s, const char *addr, bool failed_now) {
  pthread_mutex_lock(&s->lock);
  time_t now = time(NULL);
  int slot = -1, oldest = 0;
  for (int i = 0; i < 256; i++) {
    if (strcmp(s->throttle[i].addr, addr) == 0) slot = i;
    if (s->throttle[i].since < s->throttle[oldest].since) oldest = i;
  }
  if (slot < 0 && failed_now) {
    slot = oldest;
    snprintf(s->throttle[slot].addr, sizeof s->throttle[slot].addr, "%s", addr);
    s->throttle[slot].failures = 0;
    s->throttle[slot].since = now;
  }
  bool wait = false;
  if (slot >= 0) {
    if (now - s->throttle[slot].since > THROTTLE_WINDOW) {
      s->throttle[slot].failures = 0;
      s->throttle[slot].since = now;
    }
    if (failed_now) s->throttle[slot].failures++;
    wait = s->throttle[slot].failures >= THROTTLE_MAX;
  }
  pthread_mutex_unlock(&s->lock);
  return wait;
}

/* ---- form bodies ---------------------------------------------------- */

static int hexval(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The value of field name in an application/x-www-form-urlencoded body,
 * decoded into out; false when absent or too long. */
bool hv__form_value(const char *body, size_t len, const char *name, char *out,
                    size_t size) {
  size_t nl = strlen(name), i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && body[end] != '&')
      end++;
    if (end - i > nl && strncmp(body + i, name, nl) == 0 &&
        body[i + nl] == '=') {
      size_t o = 0;
      for (size_t k = i + nl + 1; k < end; k++) {
        char c = body[k];
        if (c == '+') {
          c = ' ';
        } else if (c == '%' && k + 2 < end + 1 && k + 2 < len &&
                   hexval(body[k + 1]) >= 0 && hexval(body[k + 2]) >= 0) {
          c = (char)(hexval(body[k + 1]) * 16 + hexval(body[k + 2]));
          k += 2;
        }
        if (c == '\0' || o + 1 >= size) return false;
        out[o++] = c;
      }
      out[o] = '\0';
      return true;
    }
    i = end + 1;
  }
  return false;
}

/* ---- the pages ------------------------------------------------------ */

static void redirect(hv_reply *r, const char *to) {
  hv__reply_text(r, 303, "text/plain", "", 0);
  snprintf(r->location, sizeof r->location, "%s", to);
}

static const char *home_of(hv_role role) {
  return role == HV_ROLE_STAFF ? "/staff" : "/dashboard";
}

static void page(hv_reply *r, const char *name) {
  const char *type;
  size_t len;
  const char *text = hv__asset(name, &type, &len);
  if (text)
    hv__reply_text(r, 200, type, text, len);
  else
    hv__reply_error(r, 404, NULL, "not found");
}

static void login(hv_server *s, hv_request *q, hv_reply *r) {
  char user[80], pass[256];
  if (throttled(s, q->addr, false)) {
    hv__reply_error(r, 429, NULL,
                    "too many failed logins from this address: wait 15 "
                    "minutes");
    return;
  }
  if (!hv__form_value(q->body, q->body_len, "login", user, sizeof user) ||
      !hv__form_value(q->body, q->body_len, "password", pass, sizeof pass)) {
    hv__reply_error(r, 400, "login", "send the form fields login and password");
    return;
  }
  hv_login_result res;
  hv_user u;
  hv_error err = {0};
  pthread_mutex_lock(&s->db_lock);
  hv_status st = hv_users_login(s->db, user, pass, time(NULL), &res, &u, &err);
  pthread_mutex_unlock(&s->db_lock);
  sodium_memzero(pass, sizeof pass);
  if (st != HV_OK) {
    hv__reply_error(r, 500, NULL, "the program database failed");
    return;
  }
  if (res != HV_LOGIN_OK) {
    throttled(s, q->addr, true);
    hv__reply_error(r, res == HV_LOGIN_LOCKED ? 423 : 401, "password",
                    res == HV_LOGIN_LOCKED
                        ? "this account is locked for 15 minutes after too "
                          "many failed logins"
                        : "wrong login or password");
    return;
  }
  char token[65];
  if (!session_new(s, &u, token)) {
    hv__reply_error(r, 500, NULL, "the program database failed");
    return;
  }
  redirect(r, home_of(u.role));
  snprintf(r->cookie, sizeof r->cookie,
           "hv_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
           token, HV_SESSION_IDLE, s->tls ? "; Secure" : "");
  sodium_memzero(token, sizeof token);
}

static void route(hv_server *s, hv_request *q, hv_reply *r) {
  const char *url = q->url;
  bool get = strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0;
  bool post = strcmp(q->method, "POST") == 0;
  if (q->too_big) {
    hv__reply_error(r, 413, NULL,
                    "the request body is too large (64 KiB; uploads 16 MiB)");
    return;
  }
  if (strncmp(url, "/static/", 8) == 0 && get) {
    page(r, url);
    return;
  }
  if (strcmp(url, "/login") == 0) {
    if (get)
      page(r, "/login");
    else if (post)
      login(s, q, r);
    else
      hv__reply_error(r, 405, NULL, "use GET or POST");
    return;
  }
  /* Everything else needs a session. */
  bool api = strncmp(url, "/api/", 5) == 0;
  if (!q->has_session) {
    if (api)
      hv__reply_error(r, 401, NULL, "log in first (POST /login)");
    else
      redirect(r, "/login");
    return;
  }
  if (!get) {
    const char *tok =
        MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (tok == NULL || strlen(tok) != 64 ||
        sodium_memcmp(tok, q->session.csrf, 64) != 0) {
      hv__reply_error(r, 403, "X-CSRF-Token",
                      "missing or wrong CSRF token (GET /api/session)");
      return;
    }
  }
  hv_role role = q->session.user.role;
  if (strcmp(url, "/logout") == 0 && post) {
    const char *tok =
        MHD_lookup_connection_value(q->conn, MHD_COOKIE_KIND, "hv_session");
    if (tok) session_end(s, tok);
    hv__reply_json(r, 200, json_pack("{s:b}", "logged_out", 1));
    snprintf(r->cookie, sizeof r->cookie,
             "hv_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             s->tls ? "; Secure" : "");
    return;
  }
  if (strcmp(url, "/") == 0 && get) {
    redirect(r, home_of(role));
    return;
  }
  if (strcmp(url, "/staff") == 0 && get) {
    if (role == HV_ROLE_STAFF || role == HV_ROLE_COORDINATOR)
      page(r, "/staff");
    else
      hv__reply_error(r, 403, NULL, "the staff page is for staff");
    return;
  }
  if (strcmp(url, "/dashboard") == 0 && get) {
    if (role == HV_ROLE_COORDINATOR || role == HV_ROLE_VIEWER)
      page(r, "/dashboard");
    else
      hv__reply_error(r, 403, NULL, "the dashboard is for coordinators");
    return;
  }
  if (strncmp(url, "/files/", 7) == 0 && get) {
    hv__files_get(s, q, r);
    return;
  }
  if (strncmp(url, "/whatif/", 8) == 0 && get) {
    hv__whatif_file(s, q, r);
    return;
  }
  if (api) {
    hv__api(s, q, r);
    return;
  }
  hv__reply_error(r, 404, NULL, "not found");
}

/* ---- libmicrohttpd -------------------------------------------------- */

typedef struct conn_state {
  char *body;
  size_t len;
  bool too_big;
  struct timespec t0;
} conn_state;

/* GET /api/plan/events: the planning job's state as server-sent events,
 * one every half second while it runs, then the last one. */
typedef struct event_stream {
  hv_server *s;
  bool last_sent;
} event_stream;

static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max) {
  event_stream *e = cls;
  if (e->last_sent || *e->s->o->stop) return MHD_CONTENT_READER_END_OF_STREAM;
  if (pos > 0) {
    struct timespec nap = {0, 500 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
  json_t *j = hv__job_json(e->s);
  const char *state = json_string_value(json_object_get(j, "state"));
  if (!state || strcmp(state, "running") != 0) e->last_sent = true;
  char *text = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  if (text == NULL) return MHD_CONTENT_READER_END_WITH_ERROR;
  int n = snprintf(buf, max, "data: %s\n\n", text);
  free(text);
  if (n < 0 || (size_t)n >= max) return MHD_CONTENT_READER_END_WITH_ERROR;
  return n;
}

static void client_addr(struct MHD_Connection *c, char *buf, size_t size) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, size, "?");
  if (ci == NULL || ci->client_addr == NULL) return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET,
              &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
              (socklen_t)size);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6,
              &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
              (socklen_t)size);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)version;
  hv_server *s = cls;
  conn_state *cs = *con_cls;
  if (cs == NULL) {
    cs = calloc(1, sizeof *cs);
    if (cs == NULL) return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &cs->t0);
    *con_cls = cs;
    return MHD_YES;
  }
  if (*upload_size > 0) {
    /* Uploaded lists may be large; every other body is small. */
    size_t limit =
        strcmp(url, "/api/import") == 0 ? HV_WEB_MAX_UPLOAD : HV_WEB_MAX_BODY;
    if (cs->len + *upload_size > limit) {
      cs->too_big = true;
    } else {
      char *nb = realloc(cs->body, cs->len + *upload_size + 1);
      if (nb == NULL) return MHD_NO;
      cs->body = nb;
      memcpy(cs->body + cs->len, upload, *upload_size);
      cs->len += *upload_size;
      cs->body[cs->len] = '\0';
    }
    *upload_size = 0;
    return MHD_YES;
  }
  hv_request q = {.conn = c,
                  .method = method,
                  .url = url,
                  .body = cs->body ? cs->body : (char *)"",
                  .body_len = cs->len,
                  .too_big = cs->too_big};
  client_addr(c, q.addr, sizeof q.addr);
  const char *token =
      MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "hv_session");
  q.has_session = session_find(s, token, &q.session);
  hv_reply r = {0};
  route(s, &q, &r);
  struct MHD_Response *resp = NULL;
  if (r.events) {
    event_stream *es = calloc(1, sizeof *es);
    if (es) {
      es->s = s;
      resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
                                               events_read, es, free);
      if (resp == NULL) free(es);
    }
    r.status = 200;
    r.type = "text/event-stream";
  } else {
    resp = MHD_create_response_from_buffer(r.len, r.body ? r.body : (char *)"",
                                           MHD_RESPMEM_MUST_COPY);
  }
  free(r.body);
  if (resp == NULL) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", r.type ? r.type : "text/plain");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; "
                          "frame-ancestors 'none'");
  if (r.cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r.cookie);
  if (r.location[0]) MHD_add_response_header(resp, "Location", r.location);
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)r.status, resp);
  MHD_destroy_response(resp);
  /* The log: no query string, no body, no login name. */
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - cs->t0.tv_sec) * 1e3 +
              (double)(t1.tv_nsec - cs->t0.tv_nsec) / 1e6;
  size_t plen = strcspn(url, "?");
  fprintf(stderr, "hvplan serve: %s %.*s %d %.1f ms%s%s\n", method, (int)plen,
          url, r.status, ms, q.has_session ? " role=" : "",
          q.has_session ? hv_role_name(q.session.user.role) : "");
  return ok;
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode code) {
  (void)cls, (void)c, (void)code;
  conn_state *cs = *con_cls;
  if (cs) {
    free(cs->body);
    free(cs);
  }
  *con_cls = NULL;
}

static char *read_pem(const char *path, hv_error *err) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    hv_error_set(err, HV_E_IO, (hv_where){.source = path}, "cannot read");
    return NULL;
  }
  char *buf = malloc(1 << 20);
  size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
  fclose(f);
  if (buf) buf[n] = '\0';
  return buf;
}

hv_status hv_web_serve(const hv_web_options *o, hv_error *err) {
  if (sodium_init() < 0)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0},
                        "libsodium cannot start");
  char host[64];
  int port = 0;
  const char *colon = strrchr(o->listen, ':');
  struct sockaddr_in sa = {.sin_family = AF_INET};
  if (colon == NULL || (size_t)(colon - o->listen) >= sizeof host ||
      sscanf(colon + 1, "%d", &port) != 1 || port < 1 || port > 65535)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--listen"},
                        "'%s' is not ADDRESS:PORT (e.g. 127.0.0.1:8080)",
                        o->listen);
  snprintf(host, sizeof host, "%.*s", (int)(colon - o->listen), o->listen);
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--listen"},
                        "'%s' is not an IPv4 address", host);
  sa.sin_port = htons((uint16_t)port);
  bool loopback = (ntohl(sa.sin_addr.s_addr) >> 24) == 127;
  bool tls = o->tls_cert && o->tls_key;
  if ((o->tls_cert != NULL) != (o->tls_key != NULL))
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--tls-cert"},
                        "give both --tls-cert and --tls-key");
  if (!loopback && !tls)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--listen"},
                        "%s is not a loopback address: the families' data "
                        "goes over the network only with TLS (--tls-cert "
                        "FILE --tls-key FILE)",
                        host);
  hv_server s = {.o = o, .db = o->store, .tls = tls};
  hv_status opened =
      hv_store_open(hv_store_path(o->store), false, &s.accounts, err);
  if (opened != HV_OK) return opened;
  pthread_mutex_init(&s.accounts_lock, NULL);
  pthread_mutex_init(&s.db_lock, NULL);
  pthread_mutex_init(&s.lock, NULL);
  pthread_mutex_init(&s.job.lock, NULL);
  char *cert = NULL, *key = NULL;
  if (tls) {
    cert = read_pem(o->tls_cert, err);
    key = cert ? read_pem(o->tls_key, err) : NULL;
    if (key == NULL) {
      free(cert);
      hv_store_close(s.accounts);
      return err ? err->code : HV_E_IO;
    }
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                   MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
                   (tls ? MHD_USE_TLS : 0);
  struct MHD_Daemon *d =
      tls ? MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, &s,
                             MHD_OPTION_SOCK_ADDR, &sa,
                             MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
                             MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                             MHD_OPTION_HTTPS_MEM_CERT, cert,
                             MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END)
          : MHD_start_daemon(
                flags, (uint16_t)port, NULL, NULL, handle, &s,
                MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, done,
                NULL, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
  hv_status rc = HV_OK;
  if (d == NULL) {
    rc = hv_error_set(err, HV_E_IO, (hv_where){.field = "--listen"},
                      "cannot listen on %s (in use, or a bad certificate)",
                      o->listen);
  } else {
    char url[128];
    snprintf(url, sizeof url, "%s://%s:%d/", tls ? "https" : "http", host,
             port);
    if (o->ready) o->ready(url, o->ready_ud);
    struct timespec nap = {0, 100 * 1000 * 1000};
    while (!*o->stop)
      nanosleep(&nap, NULL);
    /* Stop accepting, let requests in flight finish, then stop. */
    MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
  }
  hv__job_end(&s);
  hv__api_end(&s);
  free(cert);
  if (key) {
    sodium_memzero(key, strlen(key));
    free(key);
  }
  hv_store_close(s.accounts);
  pthread_mutex_destroy(&s.accounts_lock);
  pthread_mutex_destroy(&s.db_lock);
  pthread_mutex_destroy(&s.lock);
  return rc;
}
