#!/usr/bin/env python3
"""Writes crates/vigie-forecast/data/country_neighbours.csv: pairs of ViEWS country_ids
whose countries share a land border, from the world-atlas 1:110m TopoJSON.

Run from the repository root, when the boundaries or the country table change (the build
never runs it; its output is committed and `include_str!`-ed by vigie-forecast):

    python3 scripts/country_neighbours.py

Two countries are neighbours when their polygons share a TopoJSON arc (world-atlas
builds its topology from shared borders, so a shared arc is a shared land border; at
1:110m, tiny borders can be lost). TopoJSON ids are ISO 3166-1 numeric codes, mapped to
ISO alpha-3 and ViEWS `country_id` with the table of crates/vigie-core/src/country.rs
(parsed here; the same table `vigie_core::country` serves). The three features without an
id are mapped by name: N. Cyprus to Cyprus, Somaliland to Somalia, Kosovo to Kosovo
(XKX). Countries ViEWS does not have (no `country_id`) are dropped. Each unordered pair
is written once, `a < b`.
"""
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

TOPO = Path("data/boundaries/world_countries_110m.topo.json")
TABLE = Path("crates/vigie-core/src/country.rs")
OUT = Path("crates/vigie-forecast/data/country_neighbours.csv")
NO_ID = {"N. Cyprus": "CYP", "Somaliland": "SOM", "Kosovo": "XKX"}


def main() -> None:
    topo = Path(sys.argv[1]) if len(sys.argv) > 1 else TOPO
    rows = re.findall(
        r'c\("([A-Z]{3})",\s*(\d+),\s*"[^"]*",\s*(\d+),\s*(\d+),\s*"([^"]*)"',
        TABLE.read_text(encoding="utf-8"),
    )
    by_numeric = {int(n): (iso3, int(v)) for iso3, n, _gw, v, _name in rows}
    by_iso3 = {iso3: int(v) for iso3, _n, _gw, v, _name in rows}
    data = json.loads(topo.read_text(encoding="utf-8"))
    arcs_of = defaultdict(set)  # arc index -> set of (views_id, iso3)
    for g in data["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        if g.get("id") is not None:
            iso3, views = by_numeric.get(int(g["id"]), (None, 0))
        else:
            iso3 = NO_ID.get(name)
            views = by_iso3.get(iso3, 0)
        if not views:
            print(f"skipped (no ViEWS id): {name} ({g.get('id')})", file=sys.stderr)
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for ring in poly:
                for a in ring:
                    arcs_of[a if a >= 0 else ~a].add((views, iso3))
    pairs = set()
    for owners in arcs_of.values():
        for a in owners:
            for b in owners:
                if a[0] < b[0]:
                    pairs.add((a, b))
    with OUT.open("w", encoding="utf-8") as f:
        f.write("country_id_a,country_id_b,iso3_a,iso3_b\n")
        for a, b in sorted(pairs):
            f.write(f"{a[0]},{b[0]},{a[1]},{b[1]}\n")
    print(f"{len(pairs)} pairs -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
