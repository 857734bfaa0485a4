#!/usr/bin/env python3
"""Times the early-warning and coordination reads of a running demo server, as a signed-in
secretariat officer (docs/benchmarks.md, "Alerts, forecasts and coordination on the demo").

    vigie --data-dir /tmp/d demo --listen 127.0.0.1:18089 &
    python3 scripts/measure_demo_reads.py http://127.0.0.1:18089

Standard library only. 20 requests per read; p50 and p95 of the wall time seen here.
"""

import http.cookiejar
import json
import sys
import time
import urllib.request

base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18089") + "/api/v1"
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def post(path, body, headers=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", **(headers or {})})
    return json.loads(op.open(req).read())


me = post("/auth/login", {"username": "secretariat.publisher", "password": "vigie-demo-2026"})
for path in ["/alerts", "/coord/chain", "/forecasts?level=a1m", "/forecasts?level=cm&unit=MLI", "/coord/3w"]:
    times = []
    for _ in range(20):
        t = time.perf_counter()
        body = op.open(base + path).read()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"GET {path}: p50 {times[10]:.1f} ms, p95 {times[18]:.1f} ms, {len(body):,} bytes")
t = time.perf_counter()
r = post("/coord/allocate", {}, {"x-csrf-token": me["csrf_token"]})
print(f"POST /coord/allocate: {(time.perf_counter() - t) * 1000:.1f} ms, optimal {r['optimal']}, "
      f"{len(r['assignments'])} assigned, {len(r['unassigned'])} unassigned")
