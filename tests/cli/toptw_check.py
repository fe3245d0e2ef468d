"""tests/cli/toptw_check.py -- reads a TOPTW instance (KU Leuven format) and
scores tours apart from the engine: windows, depot hours, each vertex once,
distances truncated to `dec` decimals as the published scores assume.  Used
by tests/cli/toptw_test.py and bench/toptw."""
import math


def read(path):
    """The vertices (x, y, service, score, open, close); the depot first."""
    tok = open(path).read().split()
    n = int(float(tok[2])) + 1
    k, verts = 6, []
    for _ in range(n):
        x, y, d, s = (float(t) for t in tok[k + 1:k + 5])
        cnt = int(float(tok[k + 6]))
        verts.append((x, y, d, s, float(tok[k + 7 + cnt]), float(tok[k + 8 + cnt])))
        k += 9 + cnt
    return verts


def score_of(verts, routes, dec):
    """(score, "") for feasible tours, else (None, what is wrong)."""
    f = 10 ** dec
    dist = lambda i, j: math.floor(math.hypot(verts[i][0] - verts[j][0],
                                              verts[i][1] - verts[j][1]) * f + 1e-9) / f
    seen, score = set(), 0
    for r in routes:
        t, prev = verts[0][4], 0
        for v in r:
            if v in seen or not 0 < v < len(verts):
                return None, f"vertex {v} twice or unknown"
            seen.add(v)
            t = max(t + dist(prev, v), verts[v][4])
            if t > verts[v][5] + 1e-6:
                return None, f"vertex {v} served at {t}, after {verts[v][5]}"
            t += verts[v][2]
            score += verts[v][3]
            prev = v
        if t + dist(prev, 0) > verts[0][5] + 1e-6:
            return None, "back at the depot too late"
    return score, ""
