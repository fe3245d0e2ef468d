/* hv/web.h -- `hvplan serve`: the coordinator's dashboard and the staff's
 * phone page over the program database, on libmicrohttpd.  Loopback by
 * default; any other address only with TLS (GnuTLS, through
 * libmicrohttpd).  Sessions (HttpOnly, SameSite=Strict cookies, 12 hours
 * idle), a CSRF token on every state-changing request, roles checked on
 * every endpoint (docs/api.md). */
#ifndef HV_WEB_H
#define HV_WEB_H

#include <signal.h>
#include <stdbool.h>

#include "hv/error.h"
#include "hv/store.h"

typedef struct hv_web_options {
  const char *program_dir;        /* for messages */
  hv_store *store;                /* the program database (borrowed) */
  const char *listen;             /* "127.0.0.1:8080" */
  const char *tls_cert, *tls_key; /* PEM files, or NULL */
  /* Set (by a signal handler) to stop: requests in flight finish. */
  volatile sig_atomic_t *stop;
  /* Called once listening (tests wait for it), may be NULL. */
  void (*ready)(const char *url, void *ud);
  void *ready_ud;
} hv_web_options;

/* Serves until *stop is set.  Errors: a bad --listen, a non-loopback
 * address without TLS, unreadable certificate files, a port in use. */
hv_status hv_web_serve(const hv_web_options *o, hv_error *err);

#endif /* HV_WEB_H */
