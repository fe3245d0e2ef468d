/* tests/geo/server.h -- starts and stops tests/geo/fake_server.py for a test
 * binary, and switches its modes. */
#ifndef HV_TEST_SERVER_H
#define HV_TEST_SERVER_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http.h"

static pid_t server_pid;
static int server_fd = -1; /* kept open: the server must never see EPIPE */
static int server_port;
static char server_log[256];
static char server_url[128];

static bool server_start(void) {
  snprintf(server_log, sizeof server_log, "/tmp/hv_fake_%d.log", (int)getpid());
  unlink(server_log);
  int fds[2];
  if (pipe(fds) != 0) return false;
  server_pid = fork();
  if (server_pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    execlp("python3", "python3", HV_SOURCE_DIR "/tests/geo/fake_server.py",
           HV_FIXTURE_DIR "/geo/services.json", server_log, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  server_fd = fds[0];
  char line[32] = "";
  size_t n = 0;
  while (n + 1 < sizeof line) {
    ssize_t got = read(server_fd, line + n, 1);
    if (got <= 0) return false;
    if (line[n] == '\n') break;
    n++;
  }
  line[n] = '\0';
  server_port = atoi(line);
  snprintf(server_url, sizeof server_url, "http://127.0.0.1:%d", server_port);
  return server_port > 0;
}

static void server_stop(void) {
  if (server_pid > 0) {
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
  }
  if (server_fd >= 0) close(server_fd);
  unlink(server_log);
}

/* Tells the server to misbehave for the next `count` requests. */
static void server_mode(const char *mode, int count) {
  hv_http_options o;
  hv_http_options_init(&o);
  o.retries = 0;
  hv_http *h = hv__http_create(&o, NULL);
  char url[256];
  snprintf(url, sizeof url, "%s/__mode?set=%s&count=%d", server_url, mode,
           count);
  char *body = NULL;
  hv__http_get(h, url, &body, NULL, NULL);
  free(body);
  hv__http_free(h);
}

static char *server_log_text(void) {
  return check_read_file(server_log);
}

#endif
