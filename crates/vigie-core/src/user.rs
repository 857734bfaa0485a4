//! Users and their roles.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::CheckError;

/// What a user may do. Roles add up; none of them widens what a user may *read*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Reads what the organisation may see.
    Reader,
    /// Also writes drafts for the organisation.
    Analyst,
    /// Also publishes, edits, re-marks and re-shares the organisation's records.
    Publisher,
    /// Manages the organisation's own users and sharing groups.
    OrgAdmin,
    /// Manages organisations, communities and site-level accounts. Reads nothing extra.
    SiteAdmin,
    /// A partner node's synchronisation account.
    Sync,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Reader,
        Role::Analyst,
        Role::Publisher,
        Role::OrgAdmin,
        Role::SiteAdmin,
        Role::Sync,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Analyst => "analyst",
            Role::Publisher => "publisher",
            Role::OrgAdmin => "org-admin",
            Role::SiteAdmin => "site-admin",
            Role::Sync => "sync",
        }
    }

    /// Parses a comma-separated list, e.g. `analyst,publisher`. Duplicates collapse.
    pub fn parse_list(s: &str) -> Result<Vec<Role>, CheckError> {
        let mut roles = s
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Role>, _>>()?;
        roles.sort();
        roles.dedup();
        Ok(roles)
    }

    pub fn join(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

display_as_str!(Role);

impl FromStr for Role {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == t)
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown role {s:?} (expected one of: {})",
                    Role::ALL.map(|r| r.as_str()).join(", ")
                ))
            })
    }
}

/// An account. The password hash never leaves the store through this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// The login name, a slug.
    pub id: String,
    pub org: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_lists() {
        assert_eq!(
            Role::parse_list("publisher, analyst,analyst").unwrap(),
            vec![Role::Analyst, Role::Publisher]
        );
        assert!(Role::parse_list("king").is_err());
        assert_eq!(
            Role::join(&[Role::Reader, Role::OrgAdmin]),
            "reader,org-admin"
        );
    }
}
