#!/usr/bin/env python3
"""Writes crates/vigie-core/data/admin1.csv: the West African admin-1 regions the UI shades
(crates/vigie-server/assets/geo/admin1.geojson, itself written by simplify_boundaries.py),
their other spellings and their neighbours.

Run from the repository root when the boundaries change (the build never runs it; its
output is committed). Python 3 standard library only:

    python3 scripts/admin1_neighbours.py

Two regions are neighbours when at least 3 vertices of one lie within 0.03 degree (about
3 km, three times the simplified layer's rounding) of the other's boundary. The tolerance
bridges the gaps between the polygons of neighbouring countries, which come from separate
sources and do not share vertices.

Output columns: iso3, name, aliases (separated by '|'), neighbours (iso3:name, separated
by '|').
"""

import csv
import json
import math
import os
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "crates", "vigie-server", "assets", "geo", "admin1.geojson")
OUT = os.path.join(ROOT, "crates", "vigie-core", "data", "admin1.csv")
TOL = 0.03
CELL = 0.1
MIN_NEAR = 3


def rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def seg_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def main():
    features = json.load(open(SRC, encoding="utf-8"))["features"]
    grid = defaultdict(set)  # cell -> {(feature, a, b)}
    for i, f in enumerate(features):
        for ring in rings(f["geometry"]):
            for a, b in zip(ring, ring[1:]):
                x0, x1 = sorted((a[0], b[0]))
                y0, y1 = sorted((a[1], b[1]))
                for cx in range(math.floor((x0 - TOL) / CELL), math.floor((x1 + TOL) / CELL) + 1):
                    for cy in range(math.floor((y0 - TOL) / CELL), math.floor((y1 + TOL) / CELL) + 1):
                        grid[(cx, cy)].add((i, tuple(a), tuple(b)))
    near = defaultdict(int)
    for i, f in enumerate(features):
        seen = set()
        for ring in rings(f["geometry"]):
            for p in ring:
                p = tuple(p)
                if p in seen:
                    continue
                seen.add(p)
                close = {
                    j
                    for (j, a, b) in grid[(math.floor(p[0] / CELL), math.floor(p[1] / CELL))]
                    if j != i and seg_dist(p, a, b) <= TOL
                }
                for j in close:
                    near[(min(i, j), max(i, j))] += 1
    adjacent = defaultdict(set)
    for (i, j), n in near.items():
        if n >= MIN_NEAR:
            adjacent[i].add(j)
            adjacent[j].add(i)
    key = lambda i: (features[i]["properties"]["iso3"], features[i]["properties"]["name"])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["iso3", "name", "aliases", "neighbours"])
        for i in sorted(range(len(features)), key=key):
            iso3, name = key(i)
            aliases = "|".join(features[i]["properties"].get("aliases") or [])
            neighbours = "|".join(f"{a}:{b}" for a, b in sorted(key(j) for j in adjacent[i]))
            w.writerow([iso3, name, aliases, neighbours])


if __name__ == "__main__":
    main()
