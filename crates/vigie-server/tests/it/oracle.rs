//! The visibility oracle: docs/sharing.md, tables 1 and 2, written from that page alone.
//!
//! It is deliberately independent of the production code: it does not read, call or
//! mirror the store's gate (`vigie_store::gate`) or any helper of `vigie-core` that decides
//! who sees what. Its world is plain data (organisations, communities with memberships over
//! `[from, until)`, sharing groups, records with their audience), and [`visible`] is a pure
//! function of that world and a viewer. The matrix test (`matrix.rs`) writes the same world
//! into a real store and compares what the server answers with what this module says.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

/// A TLP 2.0 marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

/// How far a record travels besides its owner organisation (its distribution *D*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dist {
    /// The owner organisation only.
    Organisation,
    /// Named organisations.
    Organisations(Vec<String>),
    /// A sharing group, by id (which may name no group).
    SharingGroup(String),
    /// A community, by id (which may name no community).
    Community(String),
    /// Every organisation that is a member of some community on the day of the read.
    AllCommunities,
    /// TLP:RED's named users.
    Recipients(Vec<String>),
}

/// Organisation `org` is a member of `community` over `[from, until)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub community: String,
    pub org: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// A sharing group: its owner and the organisations it lists now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub owner: String,
    pub members: Vec<String>,
}

/// Which kind of record (the oracle treats every kind alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Event,
    Report,
    Task,
}

/// A record and its audience: owner *W*, creator *K*, marking *M*, distribution *D*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: Uuid,
    pub kind: Kind,
    pub owner: String,
    pub creator: Option<String>,
    pub marking: Tlp,
    pub dist: Dist,
}

/// Everything the rule looks at.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub memberships: Vec<Membership>,
    pub groups: Vec<Group>,
    pub records: Vec<Record>,
}

/// Who reads, and on which day. Roles are absent on purpose: table 2 says they do not
/// matter for reading (a site-admin reads what any user of their organisation reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// No signed-in user: TLP:CLEAR only.
    Public { day: NaiveDate },
    /// User `user` of organisation `org`, reading on `day`.
    User {
        user: String,
        org: String,
        day: NaiveDate,
    },
}

impl World {
    /// Whether `org` has a membership of `community` covering `day` (`from <= day < until`).
    fn member_of(&self, community: &str, org: &str, day: NaiveDate) -> bool {
        self.memberships
            .iter()
            .any(|m| m.community == community && m.org == org && covers(m, day))
    }

    /// Whether `org` has a membership of at least one community covering `day`.
    fn member_of_any(&self, org: &str, day: NaiveDate) -> bool {
        self.memberships
            .iter()
            .any(|m| m.org == org && covers(m, day))
    }

    /// Whether group `id` exists and lists `org` (the owner counts only if listed).
    fn listed_in(&self, id: &str, org: &str) -> bool {
        self.groups
            .iter()
            .any(|g| g.id == id && g.members.iter().any(|m| m == org))
    }

    /// Table 2: whether `reader` may see `record`.
    pub fn sees(&self, reader: &Reader, record: &Record) -> bool {
        if record.marking == Tlp::Clear {
            return true;
        }
        let (user, org, day) = match reader {
            // The public viewer has no organisation: no row but CLEAR matches.
            Reader::Public { .. } => return false,
            Reader::User { user, org, day } => (user.as_str(), org.as_str(), *day),
        };
        if record.marking == Tlp::Red {
            let creator = record.creator.as_deref() == Some(user);
            let named = match &record.dist {
                Dist::Recipients(users) => users.iter().any(|u| u == user),
                _ => false,
            };
            return creator || named;
        }
        // GREEN, AMBER, AMBER+STRICT.
        if org == record.owner {
            return true;
        }
        match &record.dist {
            Dist::Organisation => false,
            Dist::Organisations(orgs) => orgs.iter().any(|o| o == org),
            Dist::SharingGroup(g) => self.listed_in(g, org),
            Dist::Community(c) => self.member_of(c, org, day),
            Dist::AllCommunities => self.member_of_any(org, day),
            // Recipients belong to RED alone (table 1); such a record reaches only its owner.
            Dist::Recipients(_) => false,
        }
    }

    /// The ids of the records `reader` may see.
    pub fn visible(&self, reader: &Reader) -> BTreeSet<Uuid> {
        self.records
            .iter()
            .filter(|r| self.sees(reader, r))
            .map(|r| r.id)
            .collect()
    }
}

fn covers(m: &Membership, day: NaiveDate) -> bool {
    m.from <= day && m.until.is_none_or(|until| day < until)
}

/// Table 1: whether marking `m` allows distribution `d` (names unique, `organisations`
/// non-empty). The matrix test writes only worlds this accepts.
pub fn allowed(m: Tlp, d: &Dist) -> bool {
    let unique = |names: &[String]| {
        let set: BTreeSet<&String> = names.iter().collect();
        set.len() == names.len()
    };
    let fits = match m {
        Tlp::Clear => matches!(d, Dist::AllCommunities),
        Tlp::Red => matches!(d, Dist::Recipients(_)),
        Tlp::AmberStrict => matches!(d, Dist::Organisation | Dist::Organisations(_)),
        Tlp::Green | Tlp::Amber => !matches!(d, Dist::Recipients(_)),
    };
    let names_ok = match d {
        Dist::Organisations(orgs) => !orgs.is_empty() && unique(orgs),
        Dist::Recipients(users) => unique(users),
        _ => true,
    };
    fits && names_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rec(owner: &str, creator: &str, marking: Tlp, dist: Dist) -> Record {
        Record {
            id: Uuid::new_v4(),
            kind: Kind::Event,
            owner: owner.into(),
            creator: Some(creator.into()),
            marking,
            dist,
        }
    }

    fn user(user: &str, org: &str, on: &str) -> Reader {
        Reader::User {
            user: user.into(),
            org: org.into(),
            day: day(on),
        }
    }

    /// The page's own example: Mali leaves ECOWAS on 2025-01-29.
    #[test]
    fn the_pages_examples() {
        let mut w = World::default();
        w.memberships.push(Membership {
            community: "ecowas".into(),
            org: "mli".into(),
            from: day("2000-01-01"),
            until: Some(day("2025-01-29")),
        });
        let r = rec("sen", "awa", Tlp::Green, Dist::Community("ecowas".into()));
        assert!(w.sees(&user("moussa", "mli", "2025-01-28"), &r));
        assert!(!w.sees(&user("moussa", "mli", "2025-01-29"), &r));
        let all = rec("sen", "awa", Tlp::Amber, Dist::AllCommunities);
        assert!(w.sees(&user("moussa", "mli", "2025-01-28"), &all));
        assert!(!w.sees(&user("moussa", "mli", "2025-01-29"), &all));

        let red = rec(
            "sen",
            "awa",
            Tlp::Red,
            Dist::Recipients(vec!["moussa".into()]),
        );
        assert!(w.sees(&user("awa", "sen", "2025-01-01"), &red));
        assert!(w.sees(&user("moussa", "mli", "2025-01-01"), &red));
        assert!(!w.sees(&user("fatou", "sen", "2025-01-01"), &red));

        let clear = rec("sen", "awa", Tlp::Clear, Dist::AllCommunities);
        let public = Reader::Public {
            day: day("2025-01-01"),
        };
        assert!(w.sees(&public, &clear));
        assert!(!w.sees(&public, &all));

        w.groups.push(Group {
            id: "g".into(),
            owner: "mli".into(),
            members: vec!["sen".into()],
        });
        let to_group = rec("ner", "ali", Tlp::Green, Dist::SharingGroup("g".into()));
        assert!(w.sees(&user("awa", "sen", "2025-01-01"), &to_group));
        assert!(!w.sees(&user("moussa", "mli", "2025-01-01"), &to_group));
        assert!(allowed(
            Tlp::AmberStrict,
            &Dist::Organisations(vec!["x".into()])
        ));
        assert!(!allowed(Tlp::AmberStrict, &Dist::Community("c".into())));
        assert!(!allowed(Tlp::Green, &Dist::Organisations(vec![])));
    }
}
