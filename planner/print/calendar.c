/* planner/print/calendar.c -- one iCalendar file per staff member (RFC 5545,
 * written with libical): an event per visit, in the scenario's time zone
 * (with its VTIMEZONE), so phones and calendar programs show the visits at
 * the right local time.  Events name the household by id and give the
 * address; no child's name goes into a calendar that may sync to a cloud. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common_int.h"
#include "printed.h"

static struct icaltimetype local_time(hv_date date, int minutes,
                                      icaltimezone *tz) {
  struct icaltimetype t = icaltime_null_time();
  t.year = date.y;
  t.month = date.m;
  t.day = date.d;
  t.hour = minutes / 60;
  t.minute = minutes % 60;
  t.is_date = 0;
  return icaltime_set_timezone(&t, tz);
}

static icalproperty *with_tzid(icalproperty *p, const char *tzid, bool utc) {
  if (!utc) icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
  return p;
}

hv_status hv__write_calendars(const hv_plan *p, const char *dir,
                              hv_error *err) {
  const hv_scenario *s = p->scenario;
  char cdir[4096];
  if (!hv_path_join(cdir, sizeof cdir, dir, "calendars") ||
      mkdir(cdir, 0700) != 0)
    return hv_error_set(err, HV_E_IO, (hv_where){.source = "calendars"},
                        "cannot create folder");
  bool utc = strcmp(s->timezone, "UTC") == 0;
  icaltimezone *tz = utc ? icaltimezone_get_utc_timezone()
                         : icaltimezone_get_builtin_timezone(s->timezone);
  if (tz == NULL)
    return hv_error_set(
        err, HV_E_INPUT,
        (hv_where){.source = "scenario.json", .field = "timezone"},
        "libical does not know the time zone '%s'", s->timezone);
  struct icaltimetype stamp = icaltime_from_timet_with_zone(
      time(NULL), 0, icaltimezone_get_utc_timezone());
  for (size_t i = 0; i < s->nstaff; i++) {
    const hv_staff *st = &s->staff[i];
    icalcomponent *cal = icalcomponent_new_vcalendar();
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(
        cal, icalproperty_new_prodid("-//hvplan//home visits//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    if (!utc) {
      icalcomponent *vtz =
          icalcomponent_new_clone(icaltimezone_get_component(tz));
      icalproperty *id =
          icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
      if (id) icalproperty_set_tzid(id, s->timezone);
      icalcomponent_add_component(cal, vtz);
    }
    size_t events = 0;
    for (size_t r = 0; r < p->nroutes; r++) {
      const hv_plan_route *pr = &p->routes[r];
      int me = strcmp(pr->staff[0], st->id) == 0   ? 0
               : strcmp(pr->staff[1], st->id) == 0 ? 1
                                                   : -1;
      if (me < 0) continue;
      long other = pr->staff_index[1 - me];
      const char *partner =
          other >= 0 ? s->staff[other].name : pr->staff[1 - me];
      for (size_t k = 0; k < pr->nstops; k++) {
        const hv_plan_stop *ps = &pr->stops[k];
        const hv_household *h = ps->household < s->nhouseholds
                                    ? &s->households[ps->household]
                                    : NULL;
        icalcomponent *ev = icalcomponent_new_vevent();
        char uid[160], summary[200], desc[400], date[HV_DATE_TEXT];
        hv_date_format(pr->date, date);
        snprintf(uid, sizeof uid, "%s-%s-%s@hvplan", date, pr->pair,
                 ps->household_id);
        snprintf(summary, sizeof summary, "Home visit %s (with %s)",
                 ps->household_id, partner);
        snprintf(desc, sizeof desc,
                 "Pair %s, stop %zu of %zu. Route sheet and packet: %s_%s.pdf.",
                 pr->pair, k + 1, pr->nstops, date, pr->pair);
        icalcomponent_add_property(ev, icalproperty_new_uid(uid));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
        icalcomponent_add_property(
            ev, with_tzid(icalproperty_new_dtstart(
                              local_time(pr->date, ps->start, tz)),
                          s->timezone, utc));
        icalcomponent_add_property(
            ev,
            with_tzid(icalproperty_new_dtend(local_time(pr->date, ps->end, tz)),
                      s->timezone, utc));
        icalcomponent_add_property(ev, icalproperty_new_summary(summary));
        icalcomponent_add_property(ev, icalproperty_new_description(desc));
        char site[400];
        if (h && hv_household_site_text(s, h, site, sizeof site)[0])
          icalcomponent_add_property(ev, icalproperty_new_location(site));
        icalcomponent_add_component(cal, ev);
        events++;
        if (ps->school_from >= 0) {
          /* The long gap before this visit, back at school. */
          icalcomponent *gap = icalcomponent_new_vevent();
          snprintf(uid, sizeof uid, "%s-%s-school-%zu@hvplan", date, pr->pair,
                   k + 1);
          snprintf(summary, sizeof summary, "Back at school (with %s)",
                   partner);
          snprintf(desc, sizeof desc,
                   "Pair %s: back at %s between stops %zu and %zu.", pr->pair,
                   s->base.name, k, k + 1);
          icalcomponent_add_property(gap, icalproperty_new_uid(uid));
          icalcomponent_add_property(gap, icalproperty_new_dtstamp(stamp));
          icalcomponent_add_property(
              gap, with_tzid(icalproperty_new_dtstart(
                                 local_time(pr->date, ps->school_from, tz)),
                             s->timezone, utc));
          icalcomponent_add_property(
              gap, with_tzid(icalproperty_new_dtend(
                                 local_time(pr->date, ps->school_to, tz)),
                             s->timezone, utc));
          icalcomponent_add_property(gap, icalproperty_new_summary(summary));
          icalcomponent_add_property(gap, icalproperty_new_description(desc));
          if (s->base.address[0])
            icalcomponent_add_property(
                gap, icalproperty_new_location(s->base.address));
          icalcomponent_add_component(cal, gap);
        }
      }
    }
    /* Video calls: this person alone, with how to join. */
    for (size_t c = 0; c < p->ncalls; c++) {
      const hv_plan_call *pc = &p->calls[c];
      if (strcmp(pc->staff, st->id) != 0) continue;
      const hv_household *h =
          pc->household < s->nhouseholds ? &s->households[pc->household] : NULL;
      icalcomponent *ev = icalcomponent_new_vevent();
      char uid[160], summary[200], desc[800], date[HV_DATE_TEXT], link[512];
      hv_date_format(pc->date, date);
      hv_plan_call_link(s, pc, link, sizeof link);
      snprintf(uid, sizeof uid, "%s-call-%s@hvplan", date, pc->household_id);
      snprintf(summary, sizeof summary, "Video call %s", pc->household_id);
      snprintf(desc, sizeof desc,
               "Virtual home visit with household %s (in %s). Join: %s. If "
               "the call fails, phone the family at %s. Packet: "
               "%s_calls_%s.pdf.",
               pc->household_id, h ? hv_language_name(h->language) : "?",
               link + 12,
               h && h->phone[0] ? h->phone : "the number in the packet", date,
               st->id);
      icalcomponent_add_property(ev, icalproperty_new_uid(uid));
      icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
      icalcomponent_add_property(
          ev, with_tzid(
                  icalproperty_new_dtstart(local_time(pc->date, pc->start, tz)),
                  s->timezone, utc));
      icalcomponent_add_property(
          ev,
          with_tzid(icalproperty_new_dtend(local_time(pc->date, pc->end, tz)),
                    s->timezone, utc));
      icalcomponent_add_property(ev, icalproperty_new_summary(summary));
      icalcomponent_add_property(ev, icalproperty_new_description(desc));
      icalcomponent_add_property(ev, icalproperty_new_location(link + 12));
      icalcomponent_add_component(cal, ev);
      events++;
    }
    char *text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (events == 0) {
      free(text);
      continue;
    }
    char path[4600];
    snprintf(path, sizeof path, "%s/%s.ics", cdir, st->id);
    hv_status rc =
        text ? hv_write_file_atomic(path, text, strlen(text), err)
             : hv_error_set(err, HV_E_NOMEM, (hv_where){0}, "out of memory");
    free(text);
    if (rc != HV_OK) return rc;
  }
  return HV_OK;
}
