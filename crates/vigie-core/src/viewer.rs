//! Who is reading. Every store read takes a [`Viewer`]; there is no read without one, and
//! a viewer comes only from an enabled user's account ([`Viewer::for_user`]), from an
//! organisation of the directory ([`Viewer::for_organisation`]), or is the public viewer.
//! Building one from loose names is for tests only (feature `testing`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Organisation, Role, User};

/// The reader of a request: a user of an organisation, on a day. Membership of
/// communities and sharing groups is not carried here: the gate looks it up in the same
/// query, for `day`, so a change of membership applies to the very next read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viewer {
    user: Option<String>,
    org: Option<String>,
    roles: Vec<Role>,
    day: NaiveDate,
}

impl Viewer {
    /// The reader `user` is, on `day` (UTC): `None` when the account is disabled, since a
    /// disabled user reads nothing, on any channel.
    pub fn for_user(user: &User, day: NaiveDate) -> Option<Viewer> {
        (!user.disabled).then(|| Viewer {
            user: Some(user.id.clone()),
            org: Some(user.org.clone()),
            roles: user.roles.clone(),
            day,
        })
    }

    /// What any member of `org` with no rights of its own (never a RED recipient) may read
    /// on `day`: the organisation as a whole. Used to check that an organisation a task is
    /// proposed or allocated to can read it.
    pub fn for_organisation(org: &Organisation, day: NaiveDate) -> Viewer {
        Viewer {
            user: None,
            org: Some(org.id.clone()),
            roles: vec![Role::Reader],
            day,
        }
    }

    /// A user of `org` by name, reading on `day` (UTC): tests only, where no account need
    /// exist.
    #[cfg(any(test, feature = "testing"))]
    pub fn user(user: &str, org: &str, roles: &[Role], day: NaiveDate) -> Viewer {
        Viewer {
            user: Some(user.to_string()),
            org: Some(org.to_string()),
            roles: roles.to_vec(),
            day,
        }
    }

    /// [`Viewer::for_organisation`] by name: tests only.
    #[cfg(any(test, feature = "testing"))]
    pub fn organisation(org: &str, day: NaiveDate) -> Viewer {
        Viewer {
            user: None,
            org: Some(org.to_string()),
            roles: vec![Role::Reader],
            day,
        }
    }

    /// Nobody in particular: sees TLP:CLEAR records only. The command line reads as this
    /// viewer unless told `--as USER`.
    pub fn public(day: NaiveDate) -> Viewer {
        Viewer {
            user: None,
            org: None,
            roles: Vec::new(),
            day,
        }
    }

    pub fn user_id(&self) -> Option<&str> {
        self.user.as_deref()
    }
    pub fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    /// The creator of a record as this viewer may know it: the user's name only to the
    /// record's owner organisation and to that user, never to other organisations (threat 13:
    /// other organisations' user directories stay hidden).
    pub fn sees_creator(&self, owner: &str, creator: Option<String>) -> Option<String> {
        let known = self.org.as_deref() == Some(owner)
            || (self.user.is_some() && self.user.as_deref() == creator.as_deref());
        creator.filter(|_| known)
    }

    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The key of what is kept per reader (when each alert was first raised to them): the
    /// user, else the organisation as a whole, else the public. Two readers share a key
    /// only when they may see exactly the same records.
    pub fn reader_key(&self) -> String {
        match (&self.user, &self.org) {
            (Some(u), _) => format!("user:{u}"),
            (None, Some(o)) => format!("org:{o}"),
            (None, None) => "public".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_keys_tell_users_organisations_and_the_public_apart() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let ana = Viewer::user("ana", "mli", &[Role::Analyst], day);
        let keys = [
            ana.reader_key(),
            Viewer::user("ben", "mli", &[Role::Analyst], day).reader_key(),
            Viewer::organisation("mli", day).reader_key(),
            Viewer::public(day).reader_key(),
            // A user named like an organisation is still another key.
            Viewer::user("mli", "mli", &[], day).reader_key(),
        ];
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        // The key does not depend on the day or the roles.
        let later = Viewer::user("ana", "mli", &[], day.succ_opt().unwrap());
        assert_eq!(later.reader_key(), ana.reader_key());
    }
}
