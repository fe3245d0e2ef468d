/* planner/cli/cli_usage.c -- every subcommand's usage text, in one table:
 * printed on stdout for `hvplan CMD --help`, `hvplan CMD -h` and
 * `hvplan help CMD`, and on stderr after a usage error. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const hv_cli_command commands[] = {
    {"plan", hv_cli_plan, "plan the week: plan.json, roster.csv, unvisited.csv",
     "usage: hvplan plan DIR -o OUT [options]\n"
     "\n"
     "Plans the week of scenario folder DIR into the folder OUT: plan.json,\n"
     "roster.csv, unvisited.csv, and (unless --no-pdf) route sheets, visit\n"
     "packets, roster.pdf, week.svg and a calendar per staff member.\n"
     "\n"
     "options:\n"
     "  -o, --out OUT              output folder (replaced as a whole)\n"
     "  --time-limit S             seconds for the whole plan (default: "
     "scenario.json)\n"
     "  --seed N                   random seed (default: scenario.json)\n"
     "  --iterations N             search iterations (default: 20,000 per "
     "second)\n"
     "  --keep PLAN --from DAY     keep PLAN's routes before DAY, re-plan the "
     "rest\n"
     "  --pairs-in-file-order      pair staff 1+2, 3+4, ... (for comparison)\n"
     "  --on-interrupt=discard|save  on Ctrl-C keep OUT as it was, or save "
     "the best plan\n"
     "  --a4                       A4 paper instead of US Letter\n"
     "  --no-pdf                   data files only\n"
     "  -q, --quiet                no summary\n"},
    {"packets", hv_cli_packets,
     "check an edited plan.json and regenerate sheets, packets, calendars",
     "usage: hvplan packets OUT/plan.json [--scenario DIR] [--a4] [--force]\n"
     "\n"
     "Checks OUT/plan.json (perhaps edited by hand) against every planning\n"
     "rule and regenerates the route sheets, packets, roster.pdf, week.svg\n"
     "and calendars in OUT.  A plan that breaks a rule is refused with the\n"
     "list of broken rules; --force prints it anyway, marked \"not checked\".\n"
     "\n"
     "options:\n"
     "  --scenario DIR   the scenario (default: the one plan.json names)\n"
     "  --a4             A4 paper instead of US Letter\n"
     "  --force          print a plan that breaks rules, marked as such\n"},
    {"check", hv_cli_check, "check a plan.json against every planning rule",
     "usage: hvplan check OUT/plan.json [--scenario DIR]\n"
     "\n"
     "Checks a plan (perhaps edited by hand) against every planning rule:\n"
     "windows, shared shifts, languages, travel times, daily limits, each\n"
     "family visited once, each staff member in one route a day.  Prints\n"
     "one line per broken rule; exit status 0 when there is none, 4 "
     "otherwise.\n"},
    {"flag", hv_cli_flag, "flag students from an attendance export",
     "usage: hvplan flag DIR --attendance export.csv [--contacts calls.csv]\n"
     "                  [--explain HOUSEHOLD]\n"
     "\n"
     "Reads a student-information system's attendance export (one row per\n"
     "student with enrolled and absent days, or one row per absence), flags\n"
     "students chronically absent (10 % or more of enrolled days), trending\n"
     "there (the last 30 school days), or unreachable (unanswered contact\n"
     "attempts), groups siblings into households (same guardian and\n"
     "address), gives each a priority, and merges DIR/households.csv: ids,\n"
     "coordinates and manual edits stay; households no longer flagged are\n"
     "listed.  --explain prints how a household's priority was made and\n"
     "writes nothing.  The rules and the column map are in scenario.json's\n"
     "\"attendance\" (docs/flagging.md).\n"},
    {"init", hv_cli_init,
     "create the program database (program.sqlite) and import the lists",
     "usage: hvplan init DIR\n"
     "\n"
     "Creates DIR/program.sqlite, the program's case history (or the one\n"
     "scenario.json's \"program\" names), and stores the households and\n"
     "staff of scenario DIR.  Run again to update their details; history\n"
     "is never lost.  From then on `hvplan plan` stores each week's plan.\n"},
    {"record", hv_cli_record, "record visit outcomes and contact attempts",
     "usage: hvplan record DIR --week OUT/plan.json --log visits.csv\n"
     "       hvplan record DIR --contacts calls.csv\n"
     "\n"
     "Records what staff wrote on the visit logs (visits.csv: household,\n"
     "date, outcome, barriers, referrals, next_step, follow_up_date, notes,\n"
     "staff) against the week's plan, and calls, letters, texts and emails\n"
     "(calls.csv: household, date, kind, result, staff, notes) in DIR's\n"
     "program database.  Every row is checked first; with any problem\n"
     "nothing is recorded.  Recording the same log again changes nothing; a\n"
     "corrected row replaces the earlier one, which is kept.\n"
     "\n"
     "options:\n"
     "  --week PLAN      the week's plan.json (for --log)\n"
     "  --log FILE       the visit log\n"
     "  --contacts FILE  contact attempts\n"},
    {"next", hv_cli_next, "write next week's scenario from the history",
     "usage: hvplan next DIR --week-of YYYY-MM-DD -o NEXT [--max-attempts N]\n"
     "\n"
     "Writes the scenario folder NEXT for the week of YYYY-MM-DD from\n"
     "scenario DIR (the current flagged list, staff and settings) and the\n"
     "program database, and prints what changed and why: families not home\n"
     "are tried again on another day or window with a higher priority;\n"
     "after N attempts (default 3) they go to the office's list; follow-ups\n"
     "due that week go to the same pair; families met are not visited again\n"
     "unless flagged again; declined and moved families are not planned.\n"
     "See docs/cycle.md.\n"},
    {"history", hv_cli_history, "a family's whole history",
     "usage: hvplan history DIR --household ID [--csv]\n"
     "\n"
     "Prints every visit, outcome, contact attempt and office note of one\n"
     "household in date order; --csv for a spreadsheet.\n"},
    {"report", hv_cli_report, "a family's SARB record, or the program summary",
     "usage: hvplan report DIR --household ID -o FILE.pdf [--a4]\n"
     "       hvplan report DIR --from YYYY-MM-DD --to YYYY-MM-DD -o OUT "
     "[--a4]\n"
     "\n"
     "With --household: the family's contact-attempt record for a SARB\n"
     "referral (every visit, outcome, call and letter with date and staff,\n"
     "the totals, and a sign-off section), as a PDF.\n"
     "With --from/--to: the program's summary for those dates in the folder\n"
     "OUT: visits made and attempted, outcomes, barriers found (counts and\n"
     "a bar chart, barriers.svg and barriers.png), referrals, follow-ups\n"
     "kept; summary.csv and summary.pdf.\n"},
    {"whatif", hv_cli_whatif, "coverage by staffing level",
     "usage: hvplan whatif DIR -o OUT [--pairs A..B]\n"
     "                     [--add-staff \"LANGS DAYS HH:MM-HH:MM\" --count "
     "A..B]...\n"
     "                     [--time-limit S] [--seed N] [--jobs N]\n"
     "\n"
     "Plans the week with A, A+1, ... B pairs (nested), and with extra staff\n"
     "of each kind given; writes whatif.csv, whatif_marginal.csv, whatif.svg,\n"
     "whatif.png and each variant's plan under OUT/variants/.\n"},
    {"validate", hv_cli_validate, "check a scenario folder and summarise it",
     "usage: hvplan validate [--quiet] DIR\n"
     "\n"
     "Reads scenario folder DIR, prints every problem as\n"
     "file:line:field: error|warning: message, and (unless --quiet) a\n"
     "summary.  Exit status 0 when there is no error.\n"},
    {"geocode", hv_cli_geocode,
     "look up missing coordinates (only addresses are sent)",
     "usage: hvplan geocode [--quiet] DIR\n"
     "\n"
     "Fills in the coordinates of the school and of every household with an\n"
     "address and no lat/lon, with the scenario's geocoder.  Only addresses\n"
     "are sent; answers are cached in DIR/geocode_cache.json.\n"},
    {"users", hv_cli_users, "accounts of the web application",
     "usage: hvplan users add DIR --login NAME --role "
     "coordinator|staff|viewer\n"
     "                        [--staff ID]\n"
     "       hvplan users remove DIR --login NAME\n"
     "       hvplan users list DIR\n"
     "\n"
     "add: adds (or replaces) an account in DIR's program database; the\n"
     "password is read from standard input (one line, at least 10\n"
     "characters) and stored only as an Argon2id hash.  A staff account\n"
     "names its staff member (--staff S01): it sees and records only that\n"
     "person's visits.  remove: deletes an account (someone who left).\n"
     "list: login, role, staff member and lock of every account.  A\n"
     "replaced or removed account's sessions in a running 'hvplan serve'\n"
     "end at their next request.  Both changes are audited.\n"},
    {"audit", hv_cli_audit, "who changed what, and when",
     "usage: hvplan audit DIR\n"
     "\n"
     "Prints the audit trail of DIR's program database: plans made,\n"
     "outcomes and contacts recorded (from the command line or the web),\n"
     "users added, changed and removed.\n"},
    {"serve", hv_cli_serve, "the dashboard and the staff's phone page",
     "usage: hvplan serve DIR [--listen ADDRESS:PORT]\n"
     "                       [--tls-cert FILE --tls-key FILE]\n"
     "\n"
     "Serves the coordinator's dashboard and the staff's page over DIR's\n"
     "program database (docs/api.md).  Listens on 127.0.0.1:8080 by\n"
     "default; any address other than loopback needs --tls-cert and\n"
     "--tls-key (PEM).  SIGTERM or Ctrl-C stops it after the requests in\n"
     "flight.\n"},
    {"send", hv_cli_send, "e-mail each staff member their week",
     "usage: hvplan send OUT --smtp smtp://HOST:587 --from ADDRESS\n"
     "                  [--user NAME --password-file FILE] [--dry-run]\n"
     "                  [--scenario DIR]\n"
     "\n"
     "Checks OUT/plan.json, then e-mails every staff member with a visit or\n"
     "call that week (the address in staff.csv) their route sheets, packets\n"
     "and calendar as attachments, and nobody else.  Off loopback the\n"
     "connection must be TLS: smtps://, or smtp:// with STARTTLS (required).\n"
     "--dry-run lists what would go to whom.\n"},
    {"solve", hv_cli_solve, "run the routing engine on a VRPTW benchmark",
     "usage: hvplan solve --solomon FILE [--objective distance|vehicles]\n"
     "                    [--distances exact|trunc1] [--time-limit S]\n"
     "                    [--seed N] [--iterations N] [--no-pool]\n"
     "                    [--customers N] [--fleet N] [--exact]\n"
     "                    [--threads N]\n"
     "       hvplan solve --vroom FILE [--time-limit S] [--seed N]\n"
     "                    [--iterations N] [--threads N]\n"
     "       hvplan solve --toptw FILE --tours M [--decimals D]\n"
     "                    [--time-limit S] [--seed N] [--iterations N]\n"
     "                    [--threads N]\n"
     "\n"
     "--threads N: N searches side by side from different seeds (the first\n"
     "from --seed; under --objective vehicles the others anneal for\n"
     "distance before cutting the fleet), the best kept; reproducible\n"
     "under --iterations.\n"
     "--toptw: a team orienteering instance with time windows (KU Leuven\n"
     "format); prints JSON with score, tours, seconds and routes (vertex\n"
     "ids in visit order).  Distances are truncated to 1 decimal, or 2 for\n"
     "pr* files, unless --decimals says otherwise.\n"
     "--vroom: VROOM's JSON input (jobs, vehicles, matrices or [lon, lat]\n"
     "coordinates) solved by hvplan's engine; prints VROOM's output format.\n"
     "Unsupported keys are refused by name (docs/vroom.md).\n"},
};

const hv_cli_command *hv_cli_find(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

void hv_cli_usage(const char *name, FILE *f) {
  const hv_cli_command *c = hv_cli_find(name);
  if (c) fputs(c->usage, f);
}

void hv_cli_list(FILE *f) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
}
