//! Organisations, users, communities, sharing groups, sessions and API tokens: who is who.
//! Nothing here reads a record; permission to change these is the caller's rule
//! (docs/sharing.md, "Administration").

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use vigie_core::{Community, MemberState, Membership, Organisation, SharingGroup, User};

use crate::audit::{AuditCheck, AuditEntry, NewAuditEntry};
use crate::StoreError;

/// A signed-in browser session. The cookie holds the token; the store keeps its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub user_id: String,
    /// The value cookie-authenticated writes must echo in `X-CSRF-Token`.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TokenScope {
    Read,
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
    pub fn parse(s: &str) -> Option<TokenScope> {
        match s {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// An API token. Its secret is shown once, at creation; the store keeps its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    #[serde(skip)]
    pub secret_hash: Vec<u8>,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A change to a user account ([`Directory::update_user`]).
#[derive(Debug, Clone, Copy)]
pub struct UserChange<'a> {
    /// The new name, roles and disabled flag (the organisation never changes).
    pub user: &'a User,
    /// A new password (its hash). Setting one also ends every session of the user but
    /// `keep_session`, and revokes every live API token of theirs: a password is changed
    /// because it may be known to someone else, who may have signed in or made a token.
    pub password_hash: Option<&'a str>,
    /// The session that changes its own password stays signed in.
    pub keep_session: Option<&'a [u8]>,
}

/// What a password change ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revoked {
    /// Sessions ended (signed out).
    pub sessions: u64,
    /// Live API tokens revoked.
    pub tokens: u64,
}

/// Who is who. Implemented once for all backends by [`crate::impl_directory!`].
///
/// Every change takes the audit entry that records it, `Some` on every channel a person
/// uses: the change and its entry are written in one transaction, so a change is never
/// without its entry nor an entry without its change. `None` is for seeding and tests.
#[async_trait]
pub trait Directory: Send + Sync {
    /// Fails with [`StoreError::Conflict`] when the id is taken.
    async fn create_org(
        &self,
        org: &Organisation,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn orgs(&self) -> Result<Vec<Organisation>, StoreError>;
    async fn org(&self, id: &str) -> Result<Option<Organisation>, StoreError>;

    async fn create_user(
        &self,
        user: &User,
        password_hash: Option<&str>,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn user(&self, id: &str) -> Result<Option<User>, StoreError>;
    /// Users of one organisation, or all.
    async fn users(&self, org: Option<&str>) -> Result<Vec<User>, StoreError>;
    /// Replaces a user's name, roles and disabled flag (not the organisation), and sets a
    /// new password with what it ends (see [`UserChange`]); all or nothing.
    async fn update_user(
        &self,
        change: &UserChange<'_>,
        audit: Option<&NewAuditEntry>,
    ) -> Result<Revoked, StoreError>;
    async fn password_hash(&self, user: &str) -> Result<Option<String>, StoreError>;
    /// The language a user chose for the UI (`None` until they choose).
    async fn locale(&self, user: &str) -> Result<Option<String>, StoreError>;
    /// Stores a user's language; the caller has checked it.
    async fn set_locale(&self, user: &str, locale: &str) -> Result<(), StoreError>;

    async fn create_community(
        &self,
        community: &Community,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn communities(&self) -> Result<Vec<Community>, StoreError>;
    /// Memberships of one community, or all, by community, organisation and start.
    async fn memberships(&self, community: Option<&str>) -> Result<Vec<Membership>, StoreError>;
    async fn add_membership(
        &self,
        membership: &Membership,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    /// The member states of one community, or all, by community, country and start (public:
    /// which states belong to ECOWAS is no secret).
    async fn member_states(&self, community: Option<&str>) -> Result<Vec<MemberState>, StoreError>;
    async fn add_member_state(
        &self,
        state: &MemberState,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    /// Ends `country`'s open membership of `community` on `until`; false (and nothing
    /// audited) when there is none.
    async fn end_member_state(
        &self,
        community: &str,
        country: &str,
        until: NaiveDate,
        audit: Option<&NewAuditEntry>,
    ) -> Result<bool, StoreError>;
    /// Ends `org`'s open membership of `community` on `until`; false (and nothing
    /// audited) when there is none.
    async fn end_membership(
        &self,
        community: &str,
        org: &str,
        until: NaiveDate,
        audit: Option<&NewAuditEntry>,
    ) -> Result<bool, StoreError>;
    /// Whether `org` is a member of `community` on `day` (a write-time check).
    async fn is_member(
        &self,
        community: &str,
        org: &str,
        day: NaiveDate,
    ) -> Result<bool, StoreError>;

    async fn create_sharing_group(
        &self,
        group: &SharingGroup,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn set_sharing_group_members(
        &self,
        id: &str,
        members: &[String],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn sharing_group(&self, id: &str) -> Result<Option<SharingGroup>, StoreError>;
    async fn sharing_groups(&self) -> Result<Vec<SharingGroup>, StoreError>;

    async fn create_session(
        &self,
        session: &Session,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>, StoreError>;
    async fn delete_session(
        &self,
        token_hash: &[u8],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    async fn create_token(
        &self,
        token: &ApiToken,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
    async fn token(&self, id: &str) -> Result<Option<ApiToken>, StoreError>;
    async fn tokens(&self, user: &str) -> Result<Vec<ApiToken>, StoreError>;
    /// Marks a token revoked at `at`; false (and nothing audited) when there is no such
    /// live token.
    async fn revoke_token(
        &self,
        id: &str,
        at: DateTime<Utc>,
        audit: Option<&NewAuditEntry>,
    ) -> Result<bool, StoreError>;

    /// Completed imports, oldest first (the import log: files, not records).
    async fn imports(&self) -> Result<Vec<crate::ImportRecord>, StoreError>;

    /// Appends an entry to the hash-chained audit log; returns its number.
    async fn audit(&self, entry: &NewAuditEntry) -> Result<i64, StoreError>;
    /// Entries after `after`, oldest first, at most `limit`; only those whose actor belongs
    /// to `org` when it is given.
    async fn audit_entries(
        &self,
        org: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError>;
    /// The entries that changed one record (`create`, `update` and `audience`), oldest
    /// first. Beneath the gate: the caller reads the record through the gate first.
    async fn record_changes(
        &self,
        record_kind: &str,
        record_id: &str,
    ) -> Result<Vec<AuditEntry>, StoreError>;
    /// Walks the whole log and checks every link of the chain and the head.
    async fn audit_verify(&self) -> Result<AuditCheck, StoreError>;
}
