/* geo/http.c -- GET with libcurl: limits, retries and politeness. */
#include "http.h"

#include "common_int.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BODY ((size_t)64 << 20)

struct hv_http {
  CURL *curl;
  hv_http_options o;
  char ua[256];
  size_t requests;
  double last; /* monotonic time of the last request, 0 = none */
};

void hv_http_options_init(hv_http_options *o) {
  memset(o, 0, sizeof *o);
  o->user_agent = "hvplan/0.1 (school home-visit route planner)";
  o->timeout_s = 30;
  o->retries = 4;
  o->backoff_s = 1;
  o->max_wait_s = 60;
}

hv_status hv_geo_global_init(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? HV_OK
                                                           : HV_E_NETWORK;
}

void hv_geo_global_cleanup(void) {
  curl_global_cleanup();
}

static void pause_s(double s) {
  if (s <= 0) return;
  struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

hv_http *hv__http_create(const hv_http_options *o, hv_error *err) {
  hv_http *h = calloc(1, sizeof *h);
  if (h == NULL || (h->curl = curl_easy_init()) == NULL) {
    free(h);
    hv_error_set(err, HV_E_NOMEM, (hv_where){.source = "http"},
                 "cannot set up libcurl");
    return NULL;
  }
  if (o)
    h->o = *o;
  else
    hv_http_options_init(&h->o);
  snprintf(h->ua, sizeof h->ua, "%s",
           h->o.user_agent ? h->o.user_agent : "hvplan/0.1");
  return h;
}

void hv__http_free(hv_http *h) {
  if (h == NULL) return;
  curl_easy_cleanup(h->curl);
  free(h);
}

size_t hv__http_requests(const hv_http *h) {
  return h->requests;
}

char *hv__http_escape(hv_http *h, const char *s) {
  char *e = curl_easy_escape(h->curl, s, 0);
  if (e == NULL) return NULL;
  char *copy = malloc(strlen(e) + 1);
  if (copy) memcpy(copy, e, strlen(e) + 1);
  curl_free(e);
  return copy;
}

typedef struct sink {
  char *buf;
  size_t len, cap;
  bool too_big;
  double retry_after;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
  sink *s = ud;
  size_t add = size * n;
  if (s->len + add + 1 > MAX_BODY) {
    s->too_big = true;
    return 0;
  }
  if (s->len + add + 1 > s->cap) {
    size_t cap = s->cap ? s->cap : 16384;
    while (cap < s->len + add + 1)
      cap *= 2;
    char *nb = realloc(s->buf, cap);
    if (nb == NULL) return 0;
    s->buf = nb;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, add);
  s->len += add;
  s->buf[s->len] = '\0';
  return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  sink *s = ud;
  size_t len = size * n;
  static const char key[] = "retry-after:";
  if (len > sizeof key - 1) {
    bool match = true;
    for (size_t i = 0; i < sizeof key - 1 && match; i++) {
      char c = p[i];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      match = c == key[i];
    }
    if (match) {
      char v[32] = "";
      size_t k = 0;
      for (size_t i = sizeof key - 1; i < len && k + 1 < sizeof v; i++)
        if (p[i] >= '0' && p[i] <= '9') v[k++] = p[i];
      v[k] = '\0';
      if (k > 0) s->retry_after = strtod(v, NULL);
    }
  }
  return len;
}

/* "http://host:port/path" without the query, for messages and logs: the
 * query carries addresses, which stay out of error messages. */
static void url_for_message(const char *url, char *buf, size_t size) {
  size_t n = strcspn(url, "?");
  if (n > 120) n = 120;
  snprintf(buf, size, "%.*s", (int)n, url);
}

hv_status hv__http_get(hv_http *h, const char *url, char **body, size_t *len,
                       hv_error *err) {
  *body = NULL;
  char shown[160];
  url_for_message(url, shown, sizeof shown);
  hv_where at = {.source = shown};
  double wait = h->o.backoff_s > 0 ? h->o.backoff_s : 0.5;
  char why[256] = "";
  int tries = 0;
  for (int attempt = 0; attempt <= h->o.retries; attempt++) {
    tries++;
    if (h->last > 0 && h->o.min_interval_s > 0)
      pause_s(h->last + h->o.min_interval_s - hv__now());
    sink s = {0};
    curl_easy_reset(h->curl);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_USERAGENT, h->ua);
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS,
                     (long)(h->o.timeout_s * 1000));
    curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(h->o.timeout_s * 1000));
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, &s);
    curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(h->curl);
    h->requests++;
    h->last = hv__now();
    long code = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK && code == 200) {
      if (s.buf == NULL) {
        s.buf = malloc(1);
        if (s.buf) s.buf[0] = '\0';
      }
      *body = s.buf;
      if (len) *len = s.len;
      return *body ? HV_OK : hv_error_set(err, HV_E_NOMEM, at, "out of memory");
    }
    free(s.buf);
    bool retry;
    if (s.too_big) {
      snprintf(why, sizeof why, "the answer is larger than %zu MiB",
               MAX_BODY >> 20);
      retry = false;
    } else if (rc != CURLE_OK) {
      snprintf(why, sizeof why, "%s", curl_easy_strerror(rc));
      retry = true;
    } else {
      snprintf(why, sizeof why, "HTTP status %ld", code);
      retry = code == 429 || code >= 500;
    }
    if (!retry || attempt == h->o.retries) break;
    double pause = s.retry_after > 0 ? s.retry_after : wait;
    if (pause > h->o.max_wait_s) pause = h->o.max_wait_s;
    pause_s(pause);
    wait *= 2;
  }
  return hv_error_set(err, HV_E_NETWORK, at, "%s (after %d tr%s)", why, tries,
                      tries == 1 ? "y" : "ies");
}
