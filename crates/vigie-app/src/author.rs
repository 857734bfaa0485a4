//! Who makes a change: an enabled user, what they may see (the gate) and what they may do
//! (their roles), and the audit entry every change of theirs carries.

use vigie_core::{Role, User, Viewer};
use vigie_store::audit::NewAuditEntry;
use vigie_store::Store;

use crate::error::{AppError, AppResult};
use crate::reads::Reader;

/// A signed-in user acting on the store. Its viewer is the user's own (built by
/// [`Viewer::for_user`] when the user signed in or presented a token).
#[derive(Clone, Copy)]
pub struct Author<'a> {
    store: &'a dyn Store,
    user: &'a User,
    viewer: &'a Viewer,
}

impl<'a> Author<'a> {
    pub fn new(store: &'a dyn Store, user: &'a User, viewer: &'a Viewer) -> Author<'a> {
        Author {
            store,
            user,
            viewer,
        }
    }

    pub fn store(&self) -> &'a dyn Store {
        self.store
    }
    pub fn user(&self) -> &'a User {
        self.user
    }
    pub fn viewer(&self) -> &'a Viewer {
        self.viewer
    }
    pub fn org(&self) -> &'a str {
        &self.user.org
    }
    pub fn roles(&self) -> &'a [Role] {
        &self.user.roles
    }
    pub fn has(&self, role: Role) -> bool {
        self.user.has(role)
    }

    /// The same user reading (reads of restricted records audited).
    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.store, self.viewer)
    }

    /// The audit entry of a change this user makes.
    pub fn entry(
        &self,
        action: &str,
        record_kind: &str,
        record_id: Option<String>,
        detail: serde_json::Value,
    ) -> NewAuditEntry {
        NewAuditEntry {
            actor: Some(self.user.id.clone()),
            actor_org: Some(self.user.org.clone()),
            action: action.to_string(),
            record_kind: Some(record_kind.to_string()),
            record_id,
            detail,
        }
    }

    /// The audit entry of something this user does that concerns no record (signing out,
    /// their tokens).
    pub fn entry_of(&self, action: &str, detail: serde_json::Value) -> NewAuditEntry {
        NewAuditEntry {
            actor: Some(self.user.id.clone()),
            actor_org: Some(self.user.org.clone()),
            action: action.to_string(),
            record_kind: None,
            record_id: None,
            detail,
        }
    }

    /// Writing records needs the analyst or publisher role.
    pub fn require_writer(&self) -> AppResult<()> {
        if self.has(Role::Analyst) || self.has(Role::Publisher) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "writing records needs the analyst or publisher role",
            ))
        }
    }
}
