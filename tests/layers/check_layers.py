#!/usr/bin/env python3
"""tests/layers/check_layers.py BUILD SOURCE -- the layer rules, checked the
way the build enforces them: for one file of each layer, a probe that
includes a header the layer must not see is compiled with that file's own
flags (from compile_commands.json) and must fail, and one it may see must
compile.  Also: glpk.h is included only under solver/, microhttpd.h only
under web/."""
import json, os, shlex, subprocess, sys, tempfile

build, src = sys.argv[1], sys.argv[2]
cmds = json.load(open(os.path.join(build, "compile_commands.json")))

# layer: (a file of it, headers it must not see, a header it must see)
RULES = {
    "solver": ("solver/route.c", ["hv/scenario.h", "hv/geo.h", "hv/plan.h",
                                  "csv_table.h",
                                  "plan_def.h", "render.h"], "hv/solver.h"),
    "geo": ("geo/osrm.c", ["hv/solver.h", "hv/scenario.h", "solver_int.h",
                           "plan_def.h"], "hv/geo.h"),
    "io": ("planner/io/scenario.c", ["hv/solver.h", "hv/planning.h",
                                     "hv/print.h", "solver_int.h",
                                     "plan_int.h", "render.h"], "hv/plan.h"),
    "store": ("store/store.c", ["hv/scenario.h", "hv/plan.h", "hv/solver.h",
                                "hv/planning.h", "hv/print.h", "hv/geo.h",
                                "plan_def.h", "scenario_def.h",
                                "hv/web.h"], "hv/store.h"),
    "planning": ("planner/plan/plan.c", ["hv/print.h", "render.h",
                                         "csv_table.h", "solver_int.h"],
                 "hv/solver.h"),
    "print": ("planner/print/render.c", ["hv/solver.h", "solver_int.h",
                                         "plan_int.h", "csv_table.h"],
              "hv/planning.h"),
    "web": ("web/api.c", ["hv/solver.h", "solver_int.h", "plan_int.h",
                          "plan_def.h", "scenario_def.h", "csv_table.h",
                          "render.h", "common_int.h"], "hv/web.h"),
    "cli": ("planner/cli/cli_plan.c", ["common_int.h", "plan_def.h",
                                       "scenario_def.h", "csv_table.h",
                                       "render.h", "plan_int.h",
                                       "solver_int.h"], "hv/print.h"),
}

def flags_for(rel):
    path = os.path.realpath(os.path.join(src, rel))
    for c in cmds:
        if os.path.realpath(c["file"]) == path:
            args = c.get("arguments") or shlex.split(c["command"])
            keep, skip = [], False
            for a in args[1:]:
                if skip:
                    skip = False
                    continue
                if a in ("-o", "-c"):
                    skip = a == "-o"
                    continue
                if os.path.realpath(a) == path:
                    continue
                keep.append(a)
            return args[0], keep, c["directory"]
    sys.exit(f"no compile command for {rel}")

def compiles(cc, flags, cwd, header):
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write(f'#include "{header}"\nint hv_probe(void);\nint hv_probe(void) {{ return 0; }}\n')
        probe = f.name
    try:
        r = subprocess.run([cc, *flags, "-fsyntax-only", probe], cwd=cwd,
                           capture_output=True, text=True)
        return r.returncode == 0, r.stderr.strip().splitlines()[:1]
    finally:
        os.unlink(probe)

failed = 0
for layer, (rel, banned, allowed) in RULES.items():
    cc, flags, cwd = flags_for(rel)
    ok, _ = compiles(cc, flags, cwd, allowed)
    if not ok:
        print(f"FAIL: {layer} cannot include its own {allowed}")
        failed += 1
    for h in banned:
        ok, msg = compiles(cc, flags, cwd, h)
        if ok:
            print(f"FAIL: {layer} ({rel}) can include {h}")
            failed += 1
        else:
            print(f"ok: {layer} cannot include {h}: {msg[0] if msg else ''}")

for root, _, files in os.walk(src):
    rel = os.path.relpath(root, src)
    if rel.startswith((".git", "build", "solver")) or "/." in root:
        continue
    for name in files:
        if name.endswith((".c", ".h")):
            text = open(os.path.join(root, name), errors="replace").read()
            if "<glpk.h>" in text or '"glpk.h"' in text:
                print(f"FAIL: {os.path.join(rel, name)} includes glpk.h outside solver/")
                failed += 1
            # HTTP lives in web/ only: the store and the planner know
            # nothing of it.
            if "<microhttpd.h>" in text and not rel.startswith("web"):
                print(f"FAIL: {os.path.join(rel, name)} includes microhttpd.h outside web/")
                failed += 1
print("layers:", "broken" if failed else "enforced")
sys.exit(1 if failed else 0)
