"""Other names sources use for the admin-1 regions of the bundled boundaries, imported by
simplify_boundaries.py (which writes them into assets/geo/admin1.geojson, read by the UI)
and so carried into crates/vigie-core/data/admin1.csv by admin1_neighbours.py.

The boundaries (Natural Earth) predate several reforms; sources such as UCDP name the newer
units. A newer unit maps to the older region that holds it — exactly for the splits
(Mali 2016 and 2023, Ghana 2019, Burkina Faso 2025), approximately for Côte d'Ivoire's 2011 districts and
regions, which regroup the older regions: a district that straddles two older regions maps
to the one holding its capital (noted below). Matching ignores accents, case, hyphens and
words such as "region", "district" or "state" (vigie_core::region::norm).

To apply a change without re-running simplify_boundaries.py (which needs pycountry and
rewrites every layer): python3 scripts/admin1_aliases.py, then
python3 scripts/admin1_neighbours.py.
"""

import json
import os

ALIASES = {
    ("MLI", "Timbuktu"): ["Tombouctou", "Taoudénit", "Taoudenni"],
    ("MLI", "Ségou"): ["Segou", "San"],
    ("MLI", "Gao"): ["Ménaka"],
    ("MLI", "Mopti"): ["Bandiagara", "Douentza"],
    ("MLI", "Sikasso"): ["Bougouni", "Koutiala"],
    ("MLI", "Koulikoro"): ["Dioïla", "Nara"],
    ("MLI", "Kayes"): ["Kita", "Nioro", "Nioro du Sahel"],
    ("NER", "Tillabéri"): ["Tillaberi"],
    ("NGA", "Nassarawa"): ["Nasarawa"],
    ("DZA", "Alger"): ["Algiers"],
    # Ghana, 2019: six new regions split from four.
    ("GHA", "Northern"): ["Savannah", "North East"],
    ("GHA", "Brong Ahafo"): ["Bono", "Bono East", "Ahafo"],
    ("GHA", "Volta"): ["Oti"],
    ("GHA", "Western"): ["Western North"],
    # Côte d'Ivoire, 2011: districts (UCDP's admin-1) and the regions within them.
    ("CIV", "Savanes"): ["Poro", "Tchologo", "Bagoué"],
    ("CIV", "Denguélé"): ["Kabadougou", "Folon"],
    ("CIV", "Zanzan"): ["Bounkani", "Gontougo"],
    ("CIV", "Vallée du Bandama"): ["Gbêkê", "Hambol"],
    ("CIV", "Lacs"): ["Bélier", "Yamoussoukro"],
    ("CIV", "N'zi-Comoé"): ["Iffou", "N'Zi", "Moronou"],
    ("CIV", "Lagunes"): ["Abidjan", "Grands-Ponts"],
    ("CIV", "Agnéby"): ["Agnéby-Tiassa", "La Mé"],
    ("CIV", "Bas-Sassandra"): ["San-Pédro", "Gbôklé", "Nawa"],
    ("CIV", "Sud-Comoé"): ["Comoé"],  # Comoé district: also Indénié-Djuablin (Moyen-Comoé)
    ("CIV", "Moyen-Comoe"): ["Indénié-Djuablin"],
    ("CIV", "Fromager"): ["Gôh-Djiboua", "Gôh"],  # Gôh-Djiboua: also Lôh-Djiboua (Sud-Bandama)
    ("CIV", "Sud-Bandama"): ["Lôh-Djiboua"],
    ("CIV", "Dix-Huit Montagnes"): ["Montagnes", "Tonkpi"],  # Montagnes: also Cavally, Guémon
    ("CIV", "Moyen-Cavally"): ["Cavally", "Guémon"],
    ("CIV", "Haut-Sassandra"): ["Sassandra-Marahoué"],  # also Marahoué
    ("CIV", "Worodougou"): ["Woroba", "Béré"],  # Woroba: also Bafing
    # Burkina Faso, 2025: 17 regions with new names, each within one of the 13 older ones
    # (by its provinces and capital).
    ("BFA", "Boucle du Mouhoun"): ["Boucle du Mouhoun", "Bankui", "Sourou"],
    ("BFA", "Cascades"): ["Cascades", "Tannounyan"],
    ("BFA", "Centre"): ["Centre", "Kadiogo"],
    ("BFA", "Centre-Est"): ["Centre Est", "Nakambé"],
    ("BFA", "Centre-Nord"): ["Centre Nord", "Kuilsé"],
    ("BFA", "Centre-Ouest"): ["Centre Ouest", "Nando"],
    ("BFA", "Centre-Sud"): ["Centre Sud", "Nazinon"],
    ("BFA", "Est"): ["Est", "Goulmou", "Sirba", "Tapoa"],
    ("BFA", "Hauts-Bassins"): ["Hauts Bassins", "Guiriko"],
    ("BFA", "Nord"): ["Nord", "Yaadga"],
    ("BFA", "Plateau-Central"): ["Plateau Central", "Oubri"],
    ("BFA", "Sahel"): ["Sahel", "Liptako", "Soum"],
    ("BFA", "Sud-Ouest"): ["Sud Ouest", "Djôrô"],
}


def apply():
    """Writes ALIASES into assets/geo/admin1.geojson (same serialisation as
    simplify_boundaries.py), leaving every geometry as it is."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "crates", "vigie-server", "assets", "geo", "admin1.geojson")
    data = json.load(open(path, encoding="utf-8"))
    known = set()
    for f in data["features"]:
        p = f["properties"]
        key = (p["iso3"], p["name"])
        known.add(key)
        p["aliases"] = ALIASES.get(key, [])
    missing = set(ALIASES) - known
    if missing:
        raise SystemExit(f"aliases for regions the boundaries do not have: {sorted(missing)}")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    apply()
