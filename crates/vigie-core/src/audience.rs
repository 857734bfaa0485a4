//! Who a record is for: its owner, creator, TLP marking and distribution, and the rules for
//! writing one. *Reading* is decided by one SQL predicate in `vigie-store` (the gate),
//! written from the table in docs/sharing.md; nothing here decides visibility.

use serde::{Deserialize, Serialize};

use crate::{CheckError, Marking, Role};

/// How far a record travels, besides its owner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Distribution {
    /// The owner organisation only.
    Organisation,
    /// The owner and these organisations, named on the record.
    Organisations { orgs: Vec<String> },
    /// The owner and the current members of a sharing group.
    SharingGroup { id: String },
    /// The owner and the organisations that are members of this community on the day of the read.
    Community { id: String },
    /// The owner and every organisation that is a member of some community on the day of the read.
    AllCommunities,
    /// TLP:RED: the creator and these users, by name, and nobody else.
    Recipients { users: Vec<String> },
}

impl Distribution {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Organisation => "organisation",
            Distribution::Organisations { .. } => "organisations",
            Distribution::SharingGroup { .. } => "sharing-group",
            Distribution::Community { .. } => "community",
            Distribution::AllCommunities => "all-communities",
            Distribution::Recipients { .. } => "recipients",
        }
    }

    /// The stored reference: a sharing group or community id.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Distribution::SharingGroup { id } | Distribution::Community { id } => Some(id),
            _ => None,
        }
    }

    /// The names stored beside the record: organisations or users.
    pub fn names(&self) -> &[String] {
        match self {
            Distribution::Organisations { orgs } => orgs,
            Distribution::Recipients { users } => users,
            _ => &[],
        }
    }

    /// Rebuilds a distribution from its stored parts.
    pub fn from_parts(
        kind: &str,
        reference: Option<String>,
        names: Vec<String>,
    ) -> Result<Distribution, CheckError> {
        let need = |r: Option<String>| {
            r.ok_or_else(|| {
                CheckError::unknown(format!("distribution {kind:?} without a reference"))
            })
        };
        Ok(match kind {
            "organisation" => Distribution::Organisation,
            "organisations" => Distribution::Organisations { orgs: names },
            "sharing-group" => Distribution::SharingGroup {
                id: need(reference)?,
            },
            "community" => Distribution::Community {
                id: need(reference)?,
            },
            "all-communities" => Distribution::AllCommunities,
            "recipients" => Distribution::Recipients { users: names },
            _ => {
                return Err(CheckError::unknown(format!(
                    "unknown distribution {kind:?}"
                )))
            }
        })
    }

    /// How wide the distribution reaches, for the role limits: 0 the organisation, 1 named
    /// organisations, recipients or a sharing group, 2 a community, 3 all communities.
    pub fn reach(&self) -> u8 {
        match self {
            Distribution::Organisation => 0,
            Distribution::Organisations { .. }
            | Distribution::Recipients { .. }
            | Distribution::SharingGroup { .. } => 1,
            Distribution::Community { .. } => 2,
            Distribution::AllCommunities => 3,
        }
    }
}

/// A record's audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audience {
    pub owner: String,
    /// The user who created the record; `None` for imported public data.
    pub creator: Option<String>,
    pub marking: Marking,
    pub distribution: Distribution,
}

/// Why an audience may not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AudienceError {
    #[error("{marking} cannot be distributed to {distribution}: {reason}")]
    Combination {
        marking: Marking,
        distribution: &'static str,
        reason: &'static str,
    },
    #[error("role {role} may not distribute to {distribution}")]
    TooWide {
        role: &'static str,
        distribution: &'static str,
    },
    #[error("only a publisher may mark a record TLP:CLEAR")]
    ClearNeedsPublisher,
    #[error("only the owner organisation may loosen a marking")]
    Loosening,
    #[error("a list of names is empty or repeats a name")]
    Names,
}

impl Audience {
    /// The public audience of imported open data.
    pub fn public() -> Audience {
        Audience {
            owner: crate::PUBLIC_SOURCES_ORG.into(),
            creator: None,
            marking: Marking::Clear,
            distribution: Distribution::AllCommunities,
        }
    }

    /// Checks that the marking and the distribution fit together (docs/sharing.md, table 1).
    pub fn check(&self) -> Result<(), AudienceError> {
        use Distribution as D;
        let bad = |reason| AudienceError::Combination {
            marking: self.marking,
            distribution: self.distribution.kind(),
            reason,
        };
        match (self.marking, &self.distribution) {
            (Marking::Clear, D::AllCommunities) => {}
            (Marking::Clear, _) => return Err(bad("TLP:CLEAR is public; use all-communities")),
            (Marking::Red, D::Recipients { .. }) => {}
            (Marking::Red, _) => return Err(bad("TLP:RED goes to named recipients only")),
            (_, D::Recipients { .. }) => return Err(bad("named recipients are for TLP:RED only")),
            (Marking::AmberStrict, D::Organisation | D::Organisations { .. }) => {}
            (Marking::AmberStrict, _) => {
                return Err(bad(
                    "TLP:AMBER+STRICT goes to the owner or named organisations only",
                ))
            }
            _ => {}
        }
        let names = self.distribution.names();
        let mut sorted = names.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != names.len()
            || matches!(self.distribution, D::Organisations { .. } if names.is_empty())
        {
            return Err(AudienceError::Names);
        }
        Ok(())
    }
}

/// The widest distribution a set of roles may give (see [`Distribution::reach`]):
/// analysts share as far as named organisations or a sharing group, publishers anywhere.
pub fn max_reach(roles: &[Role]) -> Option<u8> {
    if roles.contains(&Role::Publisher) {
        Some(3)
    } else if roles.contains(&Role::Analyst) {
        Some(1)
    } else {
        None
    }
}

/// Checks that a writer with `roles` may give `new` (replacing `old`, for an existing
/// record). Whether the writer may touch the record at all is [`may_edit`]'s question.
pub fn check_write(
    roles: &[Role],
    writer_org: &str,
    old: Option<&Audience>,
    new: &Audience,
) -> Result<(), AudienceError> {
    new.check()?;
    let role = if roles.contains(&Role::Publisher) {
        "publisher"
    } else if roles.contains(&Role::Analyst) {
        "analyst"
    } else {
        "reader"
    };
    let widening = old.is_none_or(|o| new.distribution.reach() > o.distribution.reach());
    if widening && max_reach(roles).is_none_or(|m| new.distribution.reach() > m) {
        return Err(AudienceError::TooWide {
            role,
            distribution: new.distribution.kind(),
        });
    }
    if new.marking == Marking::Clear
        && old.is_none_or(|o| o.marking != Marking::Clear)
        && !roles.contains(&Role::Publisher)
    {
        return Err(AudienceError::ClearNeedsPublisher);
    }
    if let Some(o) = old {
        if new.marking < o.marking && writer_org != o.owner {
            return Err(AudienceError::Loosening);
        }
    }
    Ok(())
}

/// Whether a user of `org` with `roles` may edit, re-mark or re-share a record with this
/// audience that is (`draft`) or is not yet published. The caller must also be able to see
/// it: that is the gate's question, asked first.
/// Imported public data (owner `public-sources`) is edited by nobody: it changes only by
/// re-import from its source.
pub fn may_edit(roles: &[Role], org: &str, audience: &Audience, draft: bool) -> bool {
    audience.owner != crate::PUBLIC_SOURCES_ORG
        && org == audience.owner
        && (roles.contains(&Role::Publisher) || (draft && roles.contains(&Role::Analyst)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Distribution as D;

    fn aud(m: Marking, d: Distribution) -> Audience {
        Audience {
            owner: "ecowas".into(),
            creator: Some("amina".into()),
            marking: m,
            distribution: d,
        }
    }

    #[test]
    fn combinations() {
        assert!(aud(Marking::Clear, D::AllCommunities).check().is_ok());
        assert!(aud(Marking::Clear, D::Organisation).check().is_err());
        assert!(aud(Marking::Red, D::Recipients { users: vec![] })
            .check()
            .is_ok());
        assert!(aud(Marking::Red, D::Organisation).check().is_err());
        assert!(aud(
            Marking::Amber,
            D::Recipients {
                users: vec!["x".into()]
            }
        )
        .check()
        .is_err());
        assert!(aud(
            Marking::AmberStrict,
            D::Community {
                id: "ecowas".into()
            }
        )
        .check()
        .is_err());
        assert!(aud(
            Marking::AmberStrict,
            D::Organisations {
                orgs: vec!["un".into()]
            }
        )
        .check()
        .is_ok());
        assert!(aud(Marking::Green, D::Organisations { orgs: vec![] })
            .check()
            .is_err());
        assert!(aud(
            Marking::Green,
            D::Organisations {
                orgs: vec!["a".into(), "a".into()]
            }
        )
        .check()
        .is_err());
    }

    #[test]
    fn role_limits() {
        let a = [Role::Analyst];
        let p = [Role::Publisher];
        let wide = aud(
            Marking::Green,
            D::Community {
                id: "ecowas".into(),
            },
        );
        assert!(check_write(&a, "ecowas", None, &wide).is_err());
        assert!(check_write(&p, "ecowas", None, &wide).is_ok());
        let clear = aud(Marking::Clear, D::AllCommunities);
        assert_eq!(
            check_write(&a, "ecowas", None, &clear),
            Err(AudienceError::TooWide {
                role: "analyst",
                distribution: "all-communities"
            })
        );
        assert!(check_write(
            &[Role::Reader],
            "ecowas",
            None,
            &aud(Marking::Red, D::Recipients { users: vec![] })
        )
        .is_err());
        let amber = aud(Marking::Amber, D::Organisation);
        assert_eq!(
            check_write(
                &p,
                "un",
                Some(&amber),
                &aud(Marking::Green, D::Organisation)
            ),
            Err(AudienceError::Loosening)
        );
        assert!(check_write(
            &p,
            "ecowas",
            Some(&amber),
            &aud(Marking::Green, D::Organisation)
        )
        .is_ok());
        assert!(may_edit(&p, "ecowas", &amber, false));
        assert!(!may_edit(&p, "un", &amber, false));
        assert!(!may_edit(&a, "ecowas", &amber, false));
        assert!(may_edit(&a, "ecowas", &amber, true));
        assert!(!may_edit(
            &[Role::SiteAdmin, Role::OrgAdmin],
            "ecowas",
            &amber,
            true
        ));
    }
}
