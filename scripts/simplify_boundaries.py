#!/usr/bin/env python3
"""Writes the web UI's boundary layers, simplified, from data/boundaries/.

Run once, from the repository root, when the source boundaries change (the build never
runs it; its outputs are committed):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pycountry
    /tmp/venv/bin/python scripts/simplify_boundaries.py

Outputs, under crates/vigie-server/assets/geo/:
- countries.geojson: every country (world-atlas 1:110m), the 13 West African countries
  replaced by Natural Earth 1:50m; properties `iso3`, `iso2`, `name`.
- admin1.geojson: the 277 admin-1 polygons of westafrica_admin1.geojson; Burkina Faso's 45
  provinces are grouped into its 13 regions (the level UCDP and ACLED report), each one
  feature; properties `iso3`, `name`, `aliases` (other spellings sources use).
- iso2.json: ISO 3166 alpha-3 -> alpha-2 for every country pycountry knows, so that the
  browser's Intl.DisplayNames can name countries in the user's language.

Simplification: Douglas-Peucker (tolerance below), then coordinates rounded to 0.01 degree
(about 1 km) and repeated points dropped; rings with fewer than 4 points are dropped.
"""

import json
import os
import sys

import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "data", "boundaries")
OUT = os.path.join(ROOT, "crates", "vigie-server", "assets", "geo")

WEST_AFRICA = {"BEN", "BFA", "CIV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI", "NER", "NGA", "SEN", "TGO"}

# Burkina Faso: province -> region (the 13 regions of 2001, as UCDP and ACLED name them).
BFA_REGIONS = {
    "Boucle du Mouhoun": ["Balé", "Banwa", "Kossi", "Mou Houn", "Nayala", "Sourou"],
    "Cascades": ["Komoé", "Léraba"],
    "Centre": ["Kadiogo"],
    "Centre-Est": ["Boulgou", "Koulpélogo", "Kouritenga"],
    "Centre-Nord": ["Bam", "Namentenga", "Sanmatenga"],
    "Centre-Ouest": ["Boulkiemdé", "Sanguié", "Sissili", "Ziro"],
    "Centre-Sud": ["Bazéga", "Nahouri", "Zoundwéogo"],
    "Est": ["Gnagna", "Gourma", "Komondjari", "Kompienga", "Tapoa"],
    "Hauts-Bassins": ["Houet", "Kénédougou", "Tuy"],
    "Nord": ["Loroum", "Passoré", "Yatenga", "Zondoma"],
    "Plateau-Central": ["Ganzourgou", "Kourwéogo", "Oubritenga"],
    "Sahel": ["Oudalan", "Séno", "Soum", "Yagha"],
    "Sud-Ouest": ["Bougouriba", "Ioba", "Noumbiel", "Poni"],
}

# Other spellings the sources use for the same admin-1 unit, and newer units' names.
from admin1_aliases import ALIASES  # noqa: E402


def perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def dp(points, tol):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, None
        for k in range(i + 1, j):
            d = perp(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if idx is not None and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]


def ring(points, tol):
    out = []
    for x, y in dp(points, tol):
        q = [round(x, 2), round(y, 2)]
        if not out or out[-1] != q:
            out.append(q)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def simplify(polys, tol):
    out = []
    for poly in polys:
        rings = [ring(r, tol) for r in poly]
        if rings and rings[0]:
            out.append([r for r in rings if r])
    return out


def geometry(polys):
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def topo_countries(path):
    """Decodes world-atlas TopoJSON (quantised, delta-encoded arcs) into polygons."""
    t = json.load(open(path))
    (sx, sy), (tx, ty) = t["transform"]["scale"], t["transform"]["translate"]
    arcs = []
    for arc in t["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        arcs.append(pts)

    def arc_points(i):
        return arcs[i] if i >= 0 else list(reversed(arcs[~i]))

    def ring_of(indexes):
        pts = []
        for i in indexes:
            a = arc_points(i)
            pts.extend(a if not pts else a[1:])
        return pts

    for g in t["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [[ring_of(r) for r in g["arcs"]]]
        elif g["type"] == "MultiPolygon":
            polys = [[ring_of(r) for r in p] for p in g["arcs"]]
        else:
            continue
        yield g.get("id"), g["properties"].get("name"), polys


def iso2_of(iso3):
    c = pycountry.countries.get(alpha_3=iso3)
    return c.alpha_2 if c else None


def main():
    os.makedirs(OUT, exist_ok=True)
    features = []
    for num, name, polys in topo_countries(os.path.join(SRC, "world_countries_110m.topo.json")):
        c = pycountry.countries.get(numeric=num) if num else None
        iso3 = c.alpha_3 if c else None
        if iso3 in WEST_AFRICA:
            continue
        polys = simplify(polys, 0.1)
        if polys:
            features.append({"type": "Feature", "properties": {"iso3": iso3, "iso2": c.alpha_2 if c else None, "name": name},
                             "geometry": geometry(polys)})
    for f in json.load(open(os.path.join(SRC, "westafrica_countries_ne50m.geojson")))["features"]:
        iso3 = f["properties"]["ISO_A3"]
        polys = simplify(polygons(f["geometry"]), 0.02)
        features.append({"type": "Feature", "properties": {"iso3": iso3, "iso2": iso2_of(iso3), "name": f["properties"]["NAME"]},
                         "geometry": geometry(polys)})
    write("countries.geojson", {"type": "FeatureCollection", "features": features})

    province_region = {p: r for r, ps in BFA_REGIONS.items() for p in ps}
    admin1, regions = [], {}
    for f in json.load(open(os.path.join(SRC, "westafrica_admin1.geojson")))["features"]:
        p = f["properties"]
        polys = simplify(polygons(f["geometry"]), 0.02)
        if not polys:
            continue
        if p["iso3"] == "BFA":
            region = province_region.get(p["name"])
            if region is None:
                sys.exit(f"Burkina Faso province {p['name']!r} has no region")
            regions.setdefault(region, []).extend(polys)
            continue
        admin1.append({"type": "Feature",
                       "properties": {"iso3": p["iso3"], "name": p["name"], "aliases": ALIASES.get((p["iso3"], p["name"]), [])},
                       "geometry": geometry(polys)})
    for region, polys in sorted(regions.items()):
        admin1.append({"type": "Feature",
                       "properties": {"iso3": "BFA", "name": region, "aliases": ALIASES[("BFA", region)]},
                       "geometry": geometry(polys)})
    write("admin1.geojson", {"type": "FeatureCollection", "features": admin1})

    write("iso2.json", {c.alpha_3: c.alpha_2 for c in pycountry.countries})


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
