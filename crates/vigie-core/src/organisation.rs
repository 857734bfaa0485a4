//! Organisations own records; users belong to exactly one.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::CheckError;

/// The organisation that owns records imported from public datasets (UCDP, GDELT, …).
pub const PUBLIC_SOURCES_ORG: &str = "public-sources";

/// What kind of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgKind {
    /// The African Union and its organs.
    Continental,
    /// A regional economic community (ECOWAS) or regional body.
    Regional,
    Un,
    NationalAgency,
    AdHocCoalition,
    Ngo,
    PublicSource,
}

impl OrgKind {
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Continental,
        OrgKind::Regional,
        OrgKind::Un,
        OrgKind::NationalAgency,
        OrgKind::AdHocCoalition,
        OrgKind::Ngo,
        OrgKind::PublicSource,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Continental => "continental",
            OrgKind::Regional => "regional",
            OrgKind::Un => "un",
            OrgKind::NationalAgency => "national-agency",
            OrgKind::AdHocCoalition => "ad-hoc-coalition",
            OrgKind::Ngo => "ngo",
            OrgKind::PublicSource => "public-source",
        }
    }
}

display_as_str!(OrgKind);

impl FromStr for OrgKind {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown organisation kind {s:?} (expected one of: {})",
                    OrgKind::ALL.map(|k| k.as_str()).join(", ")
                ))
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    /// A short stable slug: `ecowas`, `au-psd`, `mli-anse`.
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
}

/// Checks an identifier (organisation, community, sharing group, user): 1–64 characters
/// of lowercase ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit.
pub fn check_slug(what: &str, s: &str) -> Result<(), CheckError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CheckError::new(crate::FieldPath::root(), crate::Code::Malformed, format!(
            "{what} {s:?} is not a valid identifier: use 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
        )))
    }
}

/// Checks a new organisation's id: a slug ([`check_slug`]) without `.`, since the users
/// and sharing groups of an organisation are named `<organisation>.<name>`
/// ([`check_scoped_id`]).
pub fn check_org_id(id: &str) -> Result<(), CheckError> {
    check_slug("organisation", id)?;
    if id.contains('.') {
        return Err(CheckError::new(crate::FieldPath::root(), crate::Code::Malformed, format!(
            "organisation {id:?} holds a '.': an organisation's id has none, since its users and sharing groups are named <organisation>.<name>"
        )));
    }
    Ok(())
}

/// Checks the id of a new user or sharing group of organisation `org`:
/// `<org>.<name>`, the name a slug without `.`. Each organisation names its own in its own
/// space, so creating one never tells whether another organisation's exists (threat 30).
pub fn check_scoped_id(what: &str, org: &str, id: &str) -> Result<(), CheckError> {
    check_slug(what, id)?;
    let ok = id
        .strip_prefix(org)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|name| !name.is_empty() && !name.contains('.'));
    if ok {
        Ok(())
    } else {
        Err(CheckError::new(crate::FieldPath::root(), crate::Code::Malformed, format!(
            "{what} {id:?} must be named {org}.<name> (its organisation's id, a dot, then a name without dots), e.g. {org}.analyst"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_ids_live_in_their_organisation() {
        assert!(check_org_id("mli-nia").is_ok());
        assert!(check_org_id("mli.nia").is_err());
        assert!(check_scoped_id("user", "mli-nia", "mli-nia.analyst").is_ok());
        assert!(check_scoped_id("user", "mli-nia", "mli-nia.").is_err());
        assert!(check_scoped_id("user", "mli-nia", "mli-nia.a.b").is_err());
        assert!(check_scoped_id("user", "mli-nia", "mli-niax.a").is_err());
        assert!(check_scoped_id("user", "mli-nia", "analyst").is_err());
        assert!(check_scoped_id("user", "mli-nia", "ecowas.analyst").is_err());
        assert!(check_scoped_id("user", "mli-nia", "mli-nia.Analyst").is_err());
    }

    #[test]
    fn kinds_parse_and_slugs() {
        for k in OrgKind::ALL {
            assert_eq!(k.as_str().parse::<OrgKind>().unwrap(), k);
        }
        assert!("army".parse::<OrgKind>().is_err());
        assert!(check_slug("organisation", "au-psd").is_ok());
        assert!(check_slug("organisation", "AU").is_err());
        assert!(check_slug("organisation", "").is_err());
        assert!(check_slug("organisation", "-x").is_err());
    }
}
