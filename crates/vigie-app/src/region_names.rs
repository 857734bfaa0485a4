//! One name per region in statistics: sources spell a West African region differently
//! (UCDP's "Tillabéri region", a monitor's "Tillabéri", "Région de Mopti"), and a table
//! that listed each spelling would show one region twice. Spellings that reduce to the
//! bundled boundaries' name ([`vigie_core::region::norm`]) become that name and their rows
//! are added up; units the boundaries do not have (newer regions such as Ménaka, places
//! outside West Africa) keep a source's name, one for all the spellings that reduce alike.

use std::collections::HashMap;

use vigie_core::region;
use vigie_store::StatRow;

/// What a row is grouped by: country, region and month.
type Group = (Option<String>, Option<String>, Option<String>);

/// The boundaries' name of the region a source calls `admin1` in `country`, when it is the
/// same name spelled otherwise.
fn boundary_name(country: &str, admin1: &str) -> Option<&'static str> {
    let r = &region::regions()[region::find(country, admin1)?];
    (region::norm(r.name) == region::norm(admin1)).then_some(r.name)
}

/// `rows` (grouped by region, and maybe month), each region under one name, rows that then
/// share their group added up in the place of the first. A region the boundaries do not
/// have takes the first of its spellings that reduce alike ("Nord Kivu province" and
/// "Nord Kivu region").
pub fn merged(rows: Vec<StatRow>) -> Vec<StatRow> {
    // (country, spelling) → its name, worked out once per spelling; (country, reduced
    // name) → the first spelling of a region the boundaries do not have.
    let mut names: HashMap<(String, String), String> = HashMap::new();
    let mut first_spelling: HashMap<(String, String), String> = HashMap::new();
    let mut at: HashMap<Group, usize> = HashMap::new();
    let mut out: Vec<StatRow> = Vec::with_capacity(rows.len());
    for mut row in rows {
        if let (Some(c), Some(a)) = (&row.country, &row.admin1) {
            let name = names.entry((c.clone(), a.clone())).or_insert_with(|| {
                boundary_name(c, a).map_or_else(
                    || {
                        first_spelling
                            .entry((c.clone(), region::norm(a)))
                            .or_insert_with(|| a.clone())
                            .clone()
                    },
                    str::to_string,
                )
            });
            row.admin1 = Some(name.clone());
        }
        let group = (row.country.clone(), row.admin1.clone(), row.month.clone());
        match at.get(&group) {
            Some(&i) => {
                out[i].events += row.events;
                out[i].fatalities += row.fatalities;
            }
            None => {
                at.insert(group, out.len());
                out.push(row);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(country: &str, admin1: &str, month: Option<&str>, events: i64) -> StatRow {
        StatRow {
            country: Some(country.into()),
            admin1: Some(admin1.into()),
            category: None,
            priogrid_gid: None,
            month: month.map(str::to_string),
            events,
            fatalities: 10 * events,
        }
    }

    #[test]
    fn one_region_is_one_row() {
        let rows = merged(vec![
            row("NER", "Tillabéri", None, 2),
            row("NER", "Tillabéri region", None, 3),
            row("MLI", "Ménaka region", None, 1),
            row("MLI", "région de Mopti", Some("2024-01"), 1),
            row("MLI", "Mopti", Some("2024-01"), 1),
            row("MLI", "Mopti", Some("2024-02"), 1),
            row("UKR", "Donetsk oblast", None, 4),
            row("COD", "Nord Kivu province", None, 2),
            row("COD", "Nord Kivu region", None, 1),
        ]);
        let got: Vec<(&str, Option<&str>, i64, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r.admin1.as_deref().unwrap(),
                    r.month.as_deref(),
                    r.events,
                    r.fatalities,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Tillabéri", None, 5, 50),
                // A newer unit inside an older region keeps its own name.
                ("Ménaka region", None, 1, 10),
                ("Mopti", Some("2024-01"), 2, 20),
                ("Mopti", Some("2024-02"), 1, 10),
                ("Donetsk oblast", None, 4, 40),
                ("Nord Kivu province", None, 3, 30),
            ]
        );
    }
}
