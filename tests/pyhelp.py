"""tests/pyhelp.py -- what every Python test shares: check() counts a check
and prints what failed; failures() says how many so far; done() prints the
count and exits non-zero on any failure; runner(program) makes the run()
that calls a program.  A test in tests/<area>/ imports it with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from pyhelp import check, done
"""
import os
import subprocess
import sys

_checks = 0
_failed = []


def check(ok, what):
    """Counts one check; prints `what` when ok is false.  Returns ok."""
    global _checks
    _checks += 1
    if not ok:
        _failed.append(what)
        print("FAIL:", what)
    return bool(ok)


def failures():
    """The number of failed checks so far."""
    return len(_failed)


def done():
    """Prints the count and exits: 1 on any failure, else 0."""
    print(f"{_checks} checks, {len(_failed)} failures")
    sys.exit(1 if _failed else 0)


def runner(program):
    """run(*args, ok=True): runs program with args and returns the finished
    process (text output).  With ok, an exit other than 0 prints its output
    and stops the test."""
    def run(*args, ok=True):
        r = subprocess.run([program, *args], capture_output=True, text=True)
        if ok and r.returncode != 0:
            print(r.stdout, r.stderr)
            raise SystemExit(f"{os.path.basename(program)} {' '.join(args)} exited {r.returncode}")
        return r
    return run
