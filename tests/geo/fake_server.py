#!/usr/bin/env python3
"""tests/geo/fake_server.py FIXTURE.json LOGFILE -- a local stand-in for the
web services hvplan talks to, for its tests only.  Binds 127.0.0.1 on a free
port and prints the port on the first line of stdout.

  /search?q=...&format=jsonv2          Nominatim (answers from the fixture)
  /geocoder/locations/onelineaddress   US Census Bureau geocoder
  /table/v1/<profile>/<lon,lat;...>    OSRM table: durations = metres / 10
                                       (haversine), null where a point has
                                       lat < -60; TooBig past 100 x 100
  /__mode?set=MODE&count=N             misbehave for the next N requests:
                                       429 (Retry-After: 1), 500, hang (6 s),
                                       slow (0.3 s, then answer), truncated,
                                       malformed, empty, drop
  /__count                             {"requests": N} (service requests)

Every service request is logged to LOGFILE as "PATH?QUERY | USER-AGENT".
"""
import http.server, json, math, socketserver, sys, threading, time, urllib.parse

FIXTURE = json.load(open(sys.argv[1], encoding="utf-8"))
LOG = sys.argv[2]
lock = threading.Lock()
state = {"mode": "ok", "count": 0, "requests": 0}


def norm(a):
    return " ".join(a.lower().split()).rstrip(",. ")


def haversine(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, obj=None, raw=None, headers=()):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a test killed it)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/__mode":
            with lock:
                state["mode"] = q.get("set", ["ok"])[0]
                state["count"] = int(q.get("count", ["1"])[0])
            return self.send(200, {"ok": True})
        if url.path == "/__count":
            return self.send(200, {"requests": state["requests"]})
        with lock:
            state["requests"] += 1
            mode = state["mode"] if state["count"] > 0 else "ok"
            if state["count"] > 0:
                state["count"] -= 1
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(f"{self.path} | {self.headers.get('User-Agent', '')}\n")
        if mode == "429":
            return self.send(429, {"error": "slow down"}, headers=[("Retry-After", "1")])
        if mode == "500":
            return self.send(500, {"error": "boom"})
        if mode == "hang":
            time.sleep(6)
        if mode == "slow":
            time.sleep(0.3)
        if mode == "drop":
            self.close_connection = True
            return
        if mode == "malformed":
            return self.send(200, raw=b'{"code": "Ok", "durations": [[0, ')
        if mode == "empty":
            return self.send(200, raw=b"")
        if mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'[{"lat": "44.9')
            self.close_connection = True
            return
        if url.path == "/search":
            hits = FIXTURE["addresses"].get(norm(q.get("q", [""])[0]), [])
            return self.send(200, [{"lat": str(h["lat"]), "lon": str(h["lon"]),
                                    "display_name": h["display"]} for h in hits])
        if url.path == "/geocoder/locations/onelineaddress":
            hits = FIXTURE["addresses"].get(norm(q.get("address", [""])[0]), [])
            return self.send(200, {"result": {"addressMatches": [
                {"coordinates": {"x": h["lon"], "y": h["lat"]}, "matchedAddress": h["display"]}
                for h in hits]}})
        if url.path.startswith("/table/v1/"):
            coords = [tuple(map(float, c.split(","))) for c in url.path.split("/", 4)[4].split(";")]
            src = [int(i) for i in q["sources"][0].split(";")] if "sources" in q else list(range(len(coords)))
            dst = [int(i) for i in q["destinations"][0].split(";")] if "destinations" in q else list(range(len(coords)))
            if len(src) * len(dst) > 100 * 100:
                return self.send(400, {"code": "TooBig", "message": "Too many table coordinates"})
            def cell(i, j, scale):
                a, b = coords[i], coords[j]
                if (a[1] < -60) != (b[1] < -60):
                    return None
                return round(haversine(a, b) * scale, 1)
            return self.send(200, {"code": "Ok",
                                   "durations": [[cell(i, j, 0.1) for j in dst] for i in src],
                                   "distances": [[cell(i, j, 1.0) for j in dst] for i in src]})
        return self.send(404, {"error": "not found"})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients killed mid-request are part of the tests


srv = Server(("127.0.0.1", 0), Handler)
try:
    print(srv.server_address[1], flush=True)
except BrokenPipeError:
    pass
# Stops by itself after ten minutes, whatever happens to the test.
threading.Timer(600, srv.shutdown).start()
srv.serve_forever()
