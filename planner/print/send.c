/* planner/print/send.c -- e-mailing each staff member their week: the
 * route sheets and packets of their routes, their call packets and their
 * calendar, as attachments, through the school's SMTP server (libcurl's
 * SMTP, MIME and STARTTLS).  Off loopback the connection must be TLS
 * (smtps://, or STARTTLS on smtp://, required, never tried and dropped).
 * Bodies carry no family's data: that is in the attachments. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hv/print.h"
#include "plan_def.h"

#define MAX_FILES 64

static bool loopback_host(const char *url, char *host, size_t size) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  size_t n = strcspn(p, ":/");
  snprintf(host, size, "%.*s", (int)n, p);
  if (strcmp(host, "localhost") == 0) return true;
  struct in_addr a;
  return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

static bool header_safe(const char *s) {
  return strpbrk(s, "\r\n") == NULL;
}

static bool email_ok(const char *s) {
  const char *at = strchr(s, '@');
  return at && at != s && at[1] && strpbrk(s, " \t\r\n<>,;\"") == NULL;
}

/* The files of staff member k (index) in dir: route sheets and packets of
 * the routes they are in, their call packets, their calendar. */
static size_t files_of(const hv_plan *p, const char *dir, size_t k,
                       char files[][512]) {
  const hv_scenario *s = p->scenario;
  const char *id = s->staff[k].id;
  size_t n = 0;
  char date[HV_DATE_TEXT];
  for (size_t r = 0; r < p->nroutes && n + 2 <= MAX_FILES - 2; r++) {
    const hv_plan_route *pr = &p->routes[r];
    if (strcmp(pr->staff[0], id) != 0 && strcmp(pr->staff[1], id) != 0)
      continue;
    hv_date_format(pr->date, date);
    snprintf(files[n++], 512, "%s/routes/%s_%s.pdf", dir, date, pr->pair);
    snprintf(files[n++], 512, "%s/packets/%s_%s.pdf", dir, date, pr->pair);
  }
  for (size_t c = 0; c < p->ncalls && n < MAX_FILES - 1; c++) {
    const hv_plan_call *pc = &p->calls[c];
    if (strcmp(pc->staff, id) != 0) continue;
    hv_date_format(pc->date, date);
    char f[512];
    snprintf(f, sizeof f, "%s/packets/%s_calls_%s.pdf", dir, date, id);
    bool have = false;
    for (size_t i = 0; i < n; i++)
      have |= strcmp(files[i], f) == 0;
    if (!have) snprintf(files[n++], 512, "%s", f);
  }
  if (n > 0) snprintf(files[n++], 512, "%s/calendars/%s.ics", dir, id);
  return n;
}

static void body_of(const hv_plan *p, size_t k, char *buf, size_t size) {
  const hv_scenario *s = p->scenario;
  const char *id = s->staff[k].id;
  char week[HV_DATE_TEXT];
  hv_date_format(s->monday, week);
  size_t n = (size_t)snprintf(buf, size,
                              "Hello %s,\r\n\r\nyour home visits for the week "
                              "of %s:\r\n\r\n",
                              s->staff[k].name, week);
  for (size_t r = 0; r < p->nroutes && n < size; r++) {
    const hv_plan_route *pr = &p->routes[r];
    int me = strcmp(pr->staff[0], id) == 0   ? 0
             : strcmp(pr->staff[1], id) == 0 ? 1
                                             : -1;
    if (me < 0) continue;
    long o = pr->staff_index[1 - me];
    char a[HV_HHMM_TEXT], b[HV_HHMM_TEXT];
    n += (size_t)snprintf(
        buf + n, size - n,
        "  %s %d %s: pair %s with %s, %zu visit%s, leave %s, "
        "back by %s\r\n",
        hv_day_long_name(pr->day), pr->date.d, hv_month_name(pr->date.m),
        pr->pair, o >= 0 ? s->staff[o].name : pr->staff[1 - me], pr->nstops,
        pr->nstops == 1 ? "" : "s", hv_hhmm_format(pr->depart, a),
        hv_hhmm_format(pr->back, b));
  }
  for (size_t c = 0; c < p->ncalls && n < size; c++) {
    const hv_plan_call *pc = &p->calls[c];
    if (strcmp(pc->staff, id) != 0) continue;
    char a[HV_HHMM_TEXT];
    n += (size_t)snprintf(buf + n, size - n, "  %s %d %s: video call at %s\r\n",
                          hv_day_long_name(pc->day), pc->date.d,
                          hv_month_name(pc->date.m),
                          hv_hhmm_format(pc->start, a));
  }
  if (n < size)
    snprintf(buf + n, size - n,
             "\r\nThe route sheets, the visit packets and your calendar are "
             "attached.  They name families: keep them on your work device "
             "only.\r\n\r\n%s\r\n",
             s->base.name);
}

static hv_status send_one(const hv_plan *p, const hv_send_options *o, size_t k,
                          char files[][512], size_t nfiles, hv_error *err) {
  const hv_scenario *s = p->scenario;
  const hv_staff *st = &s->staff[k];
  CURL *c = curl_easy_init();
  if (c == NULL)
    return hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "libcurl failed");
  char host[256], hdr[4][512], week[HV_DATE_TEXT], body[8192], when[64];
  bool local = loopback_host(o->smtp_url, host, sizeof host);
  hv_date_format(s->monday, week);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  snprintf(hdr[0], sizeof hdr[0], "Subject: Your home visits, week of %s",
           week);
  snprintf(hdr[1], sizeof hdr[1], "To: <%s>", st->email);
  snprintf(hdr[2], sizeof hdr[2], "From: <%s>", o->from);
  snprintf(hdr[3], sizeof hdr[3], "Date: %s", when);
  struct curl_slist *headers = NULL, *rcpt = NULL;
  for (int i = 0; i < 4; i++)
    headers = curl_slist_append(headers, hdr[i]);
  char to[320];
  snprintf(to, sizeof to, "<%s>", st->email);
  rcpt = curl_slist_append(rcpt, to);
  char from[320];
  snprintf(from, sizeof from, "<%s>", o->from);
  curl_mime *mime = curl_mime_init(c);
  curl_mimepart *part = curl_mime_addpart(mime);
  body_of(p, k, body, sizeof body);
  curl_mime_data(part, body, CURL_ZERO_TERMINATED);
  curl_mime_type(part, "text/plain; charset=utf-8");
  curl_mime_encoder(part, "quoted-printable");
  for (size_t i = 0; i < nfiles; i++) {
    part = curl_mime_addpart(mime);
    curl_mime_filedata(part, files[i]);
    const char *base = strrchr(files[i], '/');
    curl_mime_filename(part, base ? base + 1 : files[i]);
    curl_mime_type(part, strstr(files[i], ".ics") ? "text/calendar; "
                                                    "charset=utf-8"
                                                  : "application/pdf");
    curl_mime_encoder(part, "base64");
  }
  curl_easy_setopt(c, CURLOPT_URL, o->smtp_url);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  /* TLS off loopback: required, never "tried". */
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   local ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
  if (o->user) curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
  if (o->password) curl_easy_setopt(c, CURLOPT_PASSWORD, o->password);
  CURLcode rc = curl_easy_perform(c);
  hv_status out = HV_OK;
  if (rc != CURLE_OK)
    out = hv_error_set(err, HV_E_NETWORK, (hv_where){.source = o->smtp_url},
                       "sending to staff member %s failed: %s", st->id,
                       curl_easy_strerror(rc));
  curl_mime_free(mime);
  curl_slist_free_all(headers);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  return out;
}

hv_status hv_plan_send(const hv_plan *p, const char *dir,
                       const hv_send_options *o, hv_send_summary *sum,
                       hv_error *err) {
  memset(sum, 0, sizeof *sum);
  const hv_scenario *s = p->scenario;
  char host[256];
  if (strncmp(o->smtp_url, "smtp://", 7) != 0 &&
      strncmp(o->smtp_url, "smtps://", 8) != 0)
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--smtp"},
                        "'%s' is not smtp://HOST:PORT or smtps://HOST:PORT",
                        o->smtp_url);
  (void)loopback_host(o->smtp_url, host, sizeof host);
  if (!email_ok(o->from) || !header_safe(o->from))
    return hv_error_set(err, HV_E_INPUT, (hv_where){.field = "--from"},
                        "'%s' is not an e-mail address", o->from);
  static char files[MAX_FILES][512];
  hv_status worst = HV_OK;
  for (size_t k = 0; k < s->nstaff; k++) {
    const hv_staff *st = &s->staff[k];
    size_t n = files_of(p, dir, k, files);
    if (n == 0) continue; /* no visit this week */
    char list[4096] = "";
    size_t ln = 0;
    bool missing = false;
    for (size_t i = 0; i < n; i++) {
      struct stat sb;
      if (stat(files[i], &sb) != 0) missing = true;
      const char *base = strrchr(files[i], '/');
      ln += (size_t)snprintf(list + ln, ln < sizeof list ? sizeof list - ln : 0,
                             "%s%s", i ? ", " : "", base ? base + 1 : files[i]);
    }
    if (!email_ok(st->email)) {
      sum->skipped++;
      if (o->report)
        o->report(st->id, "", list, "not sent: no e-mail address in staff.csv",
                  o->ud);
      worst = HV_E_INPUT;
      continue;
    }
    if (missing) {
      sum->skipped++;
      if (o->report)
        o->report(st->id, st->email, list,
                  "not sent: files missing (run 'hvplan packets' first)",
                  o->ud);
      worst = HV_E_INPUT;
      continue;
    }
    if (o->dry_run) {
      if (o->report) o->report(st->id, st->email, list, "would send", o->ud);
      continue;
    }
    hv_error e = {0};
    hv_status r = send_one(p, o, k, files, n, &e);
    if (r == HV_OK) {
      sum->sent++;
      if (o->report) o->report(st->id, st->email, list, "sent", o->ud);
    } else {
      sum->failed++;
      if (o->report) o->report(st->id, st->email, list, e.text, o->ud);
      if (err) *err = e;
      worst = r;
    }
  }
  if (worst == HV_E_INPUT && err)
    hv_error_set(err, HV_E_INPUT, (hv_where){.source = dir},
                 "%zu staff member%s not sent their week", sum->skipped,
                 sum->skipped == 1 ? "" : "s");
  return worst;
}
