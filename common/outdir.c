/* common/outdir.c -- writing a set of output files so that the output folder
 * never holds a half-written file or a mix of two runs: everything goes to
 * a staging folder inside it first, then is moved in with SIGINT/SIGTERM
 * blocked.  Folders are swapped in whole (renameat2 RENAME_EXCHANGE). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common_int.h"

/* Removes a folder we created, recursively (no symlinks followed). */
static void remove_tree(const char *path) {
  DIR *d = opendir(path);
  if (d == NULL) {
    unlink(path);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char sub[PATH_MAX];
    if (!hv_path_join(sub, sizeof sub, path, e->d_name)) continue;
    struct stat st;
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      remove_tree(sub);
    else
      unlink(sub);
  }
  closedir(d);
  rmdir(path);
}

static hv_status mkdir_p(const char *dir, mode_t mode, hv_error *err) {
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "path too long");
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
      return hv_error_set(err, HV_E_IO, (hv_where){.source = buf},
                          "cannot create folder: %s", strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, mode) != 0 && errno != EEXIST)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "cannot create folder: %s", strerror(errno));
  return HV_OK;
}

hv_status hv__outdir_begin(const char *dir, mode_t mode, char *staging,
                           size_t size, hv_error *err) {
  hv_status st = mkdir_p(dir, mode, err);
  if (st != HV_OK) return st;
  char tmpl[PATH_MAX];
  if (!hv_path_join(tmpl, sizeof tmpl, dir, ".hvplan-staging-XXXXXX"))
    return hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "path too long");
  if (mkdtemp(tmpl) == NULL)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "cannot create a staging folder: %s", strerror(errno));
  chmod(tmpl, mode);
  snprintf(staging, size, "%s", tmpl);
  return HV_OK;
}

void hv__outdir_abort(const char *staging) {
  remove_tree(staging);
}

hv_status hv__outdir_commit(const char *staging, const char *dir,
                            hv_error *err) {
  DIR *d = opendir(staging);
  if (d == NULL)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = staging},
                        "cannot read the staging folder: %s", strerror(errno));
  /* No Ctrl-C between the first and the last move (in this thread: the
   * process mask is not defined once there are threads; a command line
   * run has one). */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  hv_status st = HV_OK;
  struct dirent *e;
  while (st == HV_OK && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char from[PATH_MAX], to[PATH_MAX];
    if (!hv_path_join(from, sizeof from, staging, e->d_name) ||
        !hv_path_join(to, sizeof to, dir, e->d_name)) {
      st = hv_error_set(err, HV_E_IO, (hv_where){.source = dir},
                        "path too long");
      break;
    }
    struct stat sf, sd;
    bool is_dir = lstat(from, &sf) == 0 && S_ISDIR(sf.st_mode);
    bool exists = lstat(to, &sd) == 0;
    if (is_dir && exists && S_ISDIR(sd.st_mode)) {
      /* Swap the folders in one step, then drop the old one. */
      if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) != 0) {
        st = hv_error_set(err, HV_E_IO, (hv_where){.source = to},
                          "cannot replace folder: %s", strerror(errno));
        break;
      }
      remove_tree(from);
    } else if (rename(from, to) != 0) {
      st = hv_error_set(err, HV_E_IO, (hv_where){.source = to},
                        "cannot move into place: %s", strerror(errno));
    }
  }
  closedir(d);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  remove_tree(staging);
  return st;
}
