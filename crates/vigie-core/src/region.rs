//! West Africa's admin-1 regions (the level UCDP and ACLED report, and the UI shades), the
//! spellings sources use for them, and which regions border which — the neighbours that
//! spillover alerts and admin-1 forecasts look at.
//!
//! The table is `data/admin1.csv`, written by `scripts/admin1_neighbours.py` from the UI's
//! bundled boundaries: two regions are neighbours when their borders run within about
//! 3 km of each other (across national borders too).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One admin-1 region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub iso3: &'static str,
    /// The name of the bundled boundaries.
    pub name: &'static str,
    /// Other spellings sources use.
    pub aliases: Vec<&'static str>,
    /// Indexes into [`regions`] of the bordering regions, in the table's order.
    pub neighbours: Vec<usize>,
}

struct Table {
    regions: Vec<Region>,
    /// (iso3, normalised name or alias) → index.
    by_name: HashMap<(&'static str, String), usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let text = include_str!("../data/admin1.csv");
        let mut rows: Vec<(Region, &'static str)> = Vec::new();
        for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
            // No field holds a comma (checked by a test), so a plain split is exact.
            let mut f = line.split(',');
            let (iso3, name, aliases, neighbours) = (
                f.next().unwrap_or_default(),
                f.next().unwrap_or_default(),
                f.next().unwrap_or_default(),
                f.next().unwrap_or_default(),
            );
            let region = Region {
                iso3,
                name,
                aliases: aliases.split('|').filter(|a| !a.is_empty()).collect(),
                neighbours: Vec::new(),
            };
            rows.push((region, neighbours));
        }
        let mut by_name = HashMap::new();
        for (i, (r, _)) in rows.iter().enumerate() {
            by_name.insert((r.iso3, norm(r.name)), i);
            for a in &r.aliases {
                by_name.entry((r.iso3, norm(a))).or_insert(i);
            }
        }
        let exact: HashMap<(&str, &str), usize> = rows
            .iter()
            .enumerate()
            .map(|(i, (r, _))| ((r.iso3, r.name), i))
            .collect();
        let regions = rows
            .iter()
            .map(|(r, neighbours)| {
                let mut r = r.clone();
                r.neighbours = neighbours
                    .split('|')
                    .filter_map(|n| n.split_once(':'))
                    .filter_map(|k| exact.get(&k).copied())
                    .collect();
                r
            })
            .collect();
        Table { regions, by_name }
    })
}

/// Every region, ordered by country then name.
pub fn regions() -> &'static [Region] {
    &table().regions
}

/// The region a source names `name` in country `iso3` ("Mopti region", "Tombouctou",
/// "Borno State"), if the table knows it.
pub fn find(iso3: &str, name: &str) -> Option<usize> {
    let t = table();
    let iso3 = t.regions.iter().find(|r| r.iso3 == iso3)?.iso3;
    t.by_name.get(&(iso3, norm(name))).copied()
}

/// The unit key (`ISO3/Name`) of region `i`.
pub fn key(i: usize) -> String {
    let r = &regions()[i];
    crate::forecast::admin1_unit(r.iso3, r.name)
}

/// The index of the region whose key (`ISO3/Name`) is `key`.
pub fn by_key(key: &str) -> Option<usize> {
    let (iso3, name) = key.split_once('/')?;
    regions()
        .iter()
        .position(|r| r.iso3 == iso3 && r.name == name)
}

/// The countries of the table that border `iso3` (through any of their regions), sorted.
pub fn country_neighbours(iso3: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = regions()
        .iter()
        .filter(|r| r.iso3 == iso3)
        .flat_map(|r| r.neighbours.iter().map(|&j| regions()[j].iso3))
        .filter(|&c| c != iso3)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A name reduced for matching, as the UI does (`assets/js/geo.js`): accents, case,
/// hyphens and apostrophes dropped, and words such as "region" or "state" removed, with
/// the French articles that precede a name ("Région du Liptako" → "liptako").
pub fn norm(name: &str) -> String {
    // The kinds of unit, in English and French (accents already dropped), and the French
    // articles before a name ("région du Sahel", "département de l'Atakora").
    const DROP: [&str; 17] = [
        "region",
        "state",
        "province",
        "department",
        "prefecture",
        "district",
        "governorate",
        "county",
        "division",
        "departement",
        "etat",
        "du",
        "de",
        "des",
        "la",
        "le",
        "l",
    ];
    let plain: String = name
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                'a'
            }
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            '-' | '\'' | '’' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    plain
        .split_whitespace()
        .filter(|w| !DROP.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(iso3: &str, name: &str) -> &'static Region {
        &regions()[find(iso3, name).unwrap_or_else(|| panic!("{iso3} {name} not found"))]
    }

    #[test]
    fn sources_spellings_find_their_region() {
        assert_eq!(named("MLI", "Tombouctou region").name, "Timbuktu");
        assert_eq!(named("MLI", "Mopti region").name, "Mopti");
        assert_eq!(named("BFA", "Centre-Est region").name, "Centre-Est");
        assert_eq!(named("NER", "Tillaberi region").name, "Tillabéri");
        assert_eq!(find("MLI", "Atlantis"), None);
        assert_eq!(find("XXX", "Mopti"), None);
        assert_eq!(norm("N'zi-Comoé Région"), "n zi comoe");
        // Units newer than the boundaries (UCDP's names): inside an older region.
        assert_eq!(named("MLI", "Ménaka region").name, "Gao");
        assert_eq!(named("GHA", "Savannah region").name, "Northern");
        assert_eq!(named("GHA", "Bono East region").name, "Brong Ahafo");
        assert_eq!(named("CIV", "Gôh-Djiboua district").name, "Fromager");
        assert_eq!(named("CIV", "Poro region").name, "Savanes");
        assert_eq!(named("NGA", "Nasarawa state").name, "Nassarawa");
        // Burkina Faso's 2025 regions.
        assert_eq!(named("BFA", "Liptako").name, "Sahel");
        assert_eq!(named("BFA", "Djôrô region").name, "Sud-Ouest");
        assert_eq!(named("BFA", "Sirba").name, "Est");
        // As a French report writes them.
        assert_eq!(named("BFA", "Région du Liptako").name, "Sahel");
        assert_eq!(named("MLI", "région de Mopti").name, "Mopti");
        assert_eq!(named("BEN", "Département de l'Atakora").name, "Atakora");
        assert_eq!(named("CIV", "District des Savanes").name, "Savanes");
    }

    #[test]
    fn no_name_or_alias_points_to_two_regions() {
        let mut seen = std::collections::HashMap::new();
        for (i, r) in regions().iter().enumerate() {
            for n in std::iter::once(&r.name).chain(&r.aliases) {
                if let Some(j) = seen.insert((r.iso3, norm(n)), i) {
                    assert_eq!(
                        i,
                        j,
                        "{} {n:?} names {} and {}",
                        r.iso3,
                        regions()[j].name,
                        r.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_coastal_states_northern_regions_border_burkina_faso() {
        let names = |r: &Region| -> Vec<String> {
            r.neighbours
                .iter()
                .map(|&i| format!("{}:{}", regions()[i].iso3, regions()[i].name))
                .collect()
        };
        let est = names(named("BFA", "Est"));
        for n in ["BEN:Alibori", "BEN:Atakora", "TGO:Savanes", "NER:Tillabéri"] {
            assert!(est.contains(&n.to_string()), "{n} not in {est:?}");
        }
        assert!(names(named("GHA", "Upper West")).contains(&"BFA:Sud-Ouest".to_string()));
        assert!(names(named("CIV", "Savanes")).contains(&"BFA:Cascades".to_string()));
        // Symmetric, never itself, and every region has a neighbour.
        for (i, r) in regions().iter().enumerate() {
            assert!(!r.neighbours.is_empty(), "{} has no neighbour", r.name);
            for &j in &r.neighbours {
                assert_ne!(i, j);
                assert!(regions()[j].neighbours.contains(&i));
            }
        }
        assert_eq!(regions().len(), 244);
        assert_eq!(
            country_neighbours("BFA"),
            ["BEN", "CIV", "GHA", "MLI", "NER", "TGO"]
        );
        let i = find("BFA", "Est region").unwrap();
        assert_eq!(key(i), "BFA/Est");
        assert_eq!(by_key("BFA/Est"), Some(i));
    }

    #[test]
    fn the_table_has_four_fields_per_line() {
        for line in include_str!("../data/admin1.csv").lines() {
            assert_eq!(line.split(',').count(), 4, "{line}");
        }
    }
}
