//! Who is reading. Every store read takes a [`Viewer`]; there is no read without one.

use chrono::NaiveDate;
use serde::Serialize;

use crate::Role;

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
    /// A signed-in user of `org`, reading on `day` (UTC).
    pub fn user(user: &str, org: &str, roles: &[Role], day: NaiveDate) -> Viewer {
        Viewer {
            user: Some(user.to_string()),
            org: Some(org.to_string()),
            roles: roles.to_vec(),
            day,
        }
    }

    /// Any member of `org` with no rights of their own (never a RED recipient): what the
    /// organisation as a whole may read on `day`. Used to check that an organisation a task
    /// is proposed to can read it.
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
