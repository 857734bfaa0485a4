//! The area a rule watches: countries, admin-1 regions, or the member states of a community
//! on the day of evaluation (resolved by the caller from the dated memberships, so that
//! ECOWAS's rules stop watching Mali, Burkina Faso and Niger from 2025-01-29), with or
//! without the admin-1 regions that border them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::forecast::Level;
use crate::region;
use crate::{CheckError, Code};

/// A rule's area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scope {
    /// ISO3 codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Admin-1 regions, as `ISO3/Name` (the forecasts' unit keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// A community id: its member states on the day the rule is evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// Also the admin-1 regions (and, for country rules, the countries) bordering the
    /// countries above, across the border.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bordering: bool,
}

impl Scope {
    /// Checks the scope names known countries and regions and is not empty.
    pub fn check(&self) -> Result<(), CheckError> {
        if self.countries.is_empty() && self.regions.is_empty() && self.community.is_none() {
            return Err(CheckError::new(
                "scope",
                Code::Missing,
                "a scope names countries, regions or a community",
            ));
        }
        if self.countries.len() > 300 || self.regions.len() > 1000 {
            return Err(CheckError::new(
                "scope",
                Code::TooLong,
                "a scope names at most 300 countries and 1,000 regions",
            ));
        }
        for (i, c) in self.countries.iter().enumerate() {
            if crate::country::by_iso3(c).is_none() {
                return Err(CheckError::new(
                    crate::FieldPath::new("scope").field("countries").index(i),
                    Code::Unknown,
                    format!("unknown country {c:?} (expected an ISO3 code such as MLI)"),
                ));
            }
        }
        for (i, r) in self.regions.iter().enumerate() {
            if region::by_key(r).is_none() {
                return Err(CheckError::new(
                    crate::FieldPath::new("scope").field("regions").index(i),
                    Code::Unknown,
                    format!("unknown admin-1 region {r:?} (expected ISO3/Name, as the forecasts' units)"),
                ));
            }
        }
        Ok(())
    }

    /// The scope on a day, given its community's member states on that day.
    pub fn resolve(&self, member_states: &[String]) -> Watch {
        let mut countries: BTreeSet<String> = self.countries.iter().cloned().collect();
        countries.extend(member_states.iter().cloned());
        let mut regions: BTreeSet<String> = self.regions.iter().cloned().collect();
        let mut bordering_countries = BTreeSet::new();
        if self.bordering {
            for (i, r) in region::regions().iter().enumerate() {
                if countries.contains(r.iso3) {
                    continue;
                }
                if r.neighbours
                    .iter()
                    .any(|&j| countries.contains(region::regions()[j].iso3))
                {
                    regions.insert(region::key(i));
                    bordering_countries.insert(r.iso3.to_string());
                }
            }
        }
        Watch {
            countries,
            regions,
            bordering_countries,
        }
    }
}

/// A scope resolved for one day: what it watches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Watch {
    /// Countries watched whole.
    pub countries: BTreeSet<String>,
    /// Admin-1 regions watched beyond those countries.
    pub regions: BTreeSet<String>,
    /// Countries with a bordering region watched (country rules watch them).
    pub bordering_countries: BTreeSet<String>,
}

impl Watch {
    /// Whether a unit of `level` is watched.
    pub fn watches(&self, level: Level, unit: &str) -> bool {
        match level {
            Level::Country => {
                self.countries.contains(unit) || self.bordering_countries.contains(unit)
            }
            Level::Admin1 => {
                self.regions.contains(unit)
                    || unit
                        .split_once('/')
                        .is_some_and(|(c, _)| self.countries.contains(c))
            }
            // A cell's country is not known here: cell rules watch their listed units only.
            Level::Grid => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_community_scope_follows_its_member_states_and_their_borders() {
        let scope = Scope {
            community: Some("ecowas".into()),
            bordering: true,
            ..Default::default()
        };
        let before: Vec<String> = ["BEN", "TGO", "NGA", "MLI", "BFA", "NER"]
            .map(String::from)
            .to_vec();
        let after: Vec<String> = ["BEN", "TGO", "NGA"].map(String::from).to_vec();
        let (w0, w1) = (scope.resolve(&before), scope.resolve(&after));
        assert!(w0.watches(Level::Country, "MLI") && !w1.watches(Level::Country, "MLI"));
        let gao = region::regions()
            .iter()
            .position(|r| r.iso3 == "MLI" && r.name == "Gao")
            .map(region::key)
            .expect("Gao is in the table");
        assert!(w0.watches(Level::Admin1, &gao));
        assert!(
            !w1.watches(Level::Admin1, &gao),
            "Gao borders no remaining member"
        );
        // Niger's regions bordering Benin or Nigeria are still watched after the exit.
        assert!(w1.regions.iter().any(|r| r.starts_with("NER/")));
        assert!(w1.watches(Level::Admin1, "BEN/Alibori"));
        assert!(scope.check().is_ok());
        assert!(Scope::default().check().is_err());
        let bad = Scope {
            countries: vec!["XXX".into()],
            ..Default::default()
        };
        assert_eq!(
            bad.check().unwrap_err().field.to_string(),
            "scope.countries[0]"
        );
    }
}
