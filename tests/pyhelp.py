"""tests/pyhelp.py -- what every Python test shares: check() counts a check
and prints what failed; failures() says how many so far; done() prints the
count and exits non-zero on any failure.  A test in tests/<area>/ imports it
with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from pyhelp import check, done
"""
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
