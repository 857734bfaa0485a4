//! Administration: organisations, users, communities and their memberships, sharing
//! groups. Who may do and know what is docs/sharing.md's "Administration" table, here and
//! nowhere else. Administering is not reading: nothing here touches a record.
//!
//! Every change checks everything before it changes anything, and is written with its
//! audit entry in one transaction. A user or sharing group the author may not administer
//! answers exactly like one that does not exist (threat 30); new ones are named inside
//! their organisation (`<org>.<name>`), so creating one never tells whether another
//! organisation's exists.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use vigie_core::{
    check_org_id, check_scoped_id, check_slug, Community, Membership, Organisation, Role,
    SharingGroup, User,
};
use vigie_store::audit::{AuditCheck, AuditEntry, NewAuditEntry};
use vigie_store::{Revoked, Store, UserChange};

use crate::author::Author;
use crate::error::{AppError, AppResult};

/// A new password follows the rule (10 characters or more).
fn password_rule(password: &str) -> AppResult<()> {
    match crate::accounts::password_problem(password) {
        Some(reason) => Err(AppError::invalid("password", reason)),
        None => Ok(()),
    }
}

/// A password's hash, worked out off the async threads (argon2 is slow on purpose).
async fn hashed(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || crate::accounts::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// The audit log as `author` may read it: every entry for a site-admin, those whose actor
/// belongs to their organisation for an org-admin; `limit` entries after `after`.
pub async fn audit_entries(
    author: &Author<'_>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<AuditEntry>> {
    let org = if author.has(Role::SiteAdmin) {
        None
    } else if author.has(Role::OrgAdmin) {
        Some(author.org())
    } else {
        return Err(AppError::forbidden(
            "the audit log is for org-admins and site-admins",
        ));
    };
    if !(1..=1000).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("limit={limit} is outside 1..=1000"),
        ));
    }
    Ok(author
        .store()
        .audit_entries(org, after.max(0), limit)
        .await?)
}

/// The audit log's hash chain walked from its first entry to its head: every entry edited,
/// removed or unlinked is a problem, and `first_broken` says where the chain first breaks.
/// Beneath the gate (a storage operation): for the database's owner (`vigie audit verify`)
/// and, through [`verify_audit`], the site-admin.
pub async fn audit_chain(store: &dyn Store) -> AppResult<AuditCheck> {
    Ok(store.audit_verify().await?)
}

/// Verifies the audit log's chain ([`audit_chain`]): a site-admin, since the chain covers
/// every organisation's entries.
pub async fn verify_audit(author: &Author<'_>) -> AppResult<AuditCheck> {
    site_admin(author)?;
    audit_chain(author.store()).await
}

fn site_admin(author: &Author<'_>) -> AppResult<()> {
    if author.has(Role::SiteAdmin) {
        Ok(())
    } else {
        Err(AppError::forbidden("this needs the site-admin role"))
    }
}

fn slug(field: &str, s: &str) -> AppResult<()> {
    check_slug(field, s).map_err(|e| AppError::Check(e.at(field)))
}

/// The audit entry of an administrative change.
fn log(author: &Author<'_>, what: &str, id: &str, detail: serde_json::Value) -> NewAuditEntry {
    author.entry("admin", what, Some(id.to_string()), detail)
}

/// A name (of an organisation, a user, a sharing group, a community): 1 to 200 characters,
/// not only spaces.
fn display_name(field: &str, s: &str) -> AppResult<()> {
    if s.trim().is_empty() || s.chars().count() > 200 {
        return Err(AppError::invalid(
            field,
            format!("{field} {s:?}: a name has 1 to 200 characters, not only spaces"),
        ));
    }
    Ok(())
}

/// Every organisation (the directory is known to every user).
pub async fn orgs(author: &Author<'_>) -> AppResult<Vec<Organisation>> {
    Ok(author.store().orgs().await?)
}

/// Creates an organisation: a site-admin.
pub async fn create_org(author: &Author<'_>, org: Organisation) -> AppResult<Organisation> {
    site_admin(author)?;
    check_org_id(&org.id).map_err(|e| AppError::Check(e.at("id")))?;
    display_name("name", &org.name)?;
    let entry = log(
        author,
        "organisation",
        &org.id,
        serde_json::json!({ "op": "create", "kind": org.kind }),
    );
    author.store().create_org(&org, Some(&entry)).await?;
    Ok(org)
}

/// The users `author` may know of: all for a site-admin, their own organisation's otherwise.
pub async fn users(author: &Author<'_>) -> AppResult<Vec<User>> {
    let org = (!author.has(Role::SiteAdmin)).then(|| author.org());
    Ok(author.store().users(org).await?)
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    /// `<org>.<name>`: the organisation's id, a dot, a name without dots.
    pub id: String,
    pub org: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// At least 10 characters.
    pub password: String,
}

/// Whether `author` administers users at all (an org-admin or a site-admin): asked before
/// any user is looked up, so that the answer says nothing about who exists.
fn user_admin(author: &Author<'_>) -> AppResult<()> {
    if author.has(Role::SiteAdmin) || author.has(Role::OrgAdmin) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "managing users needs the org-admin or site-admin role",
        ))
    }
}

/// Whether `author` may manage users of `org` giving them `roles`.
fn may_manage(author: &Author<'_>, org: &str, roles: &[Role]) -> AppResult<()> {
    user_admin(author)?;
    if author.has(Role::SiteAdmin) {
        return Ok(());
    }
    if author.org() != org {
        return Err(AppError::forbidden(
            "org-admins manage the users of their own organisation only",
        ));
    }
    if roles.contains(&Role::SiteAdmin) {
        return Err(AppError::forbidden(
            "only a site-admin may give the site-admin role",
        ));
    }
    Ok(())
}

/// Creates a user: an org-admin of its organisation (never a site-admin one), or a
/// site-admin.
pub async fn create_user(author: &Author<'_>, input: NewUser) -> AppResult<User> {
    may_manage(author, &input.org, &input.roles)?;
    let store = author.store();
    check_scoped_id("user", &input.org, &input.id).map_err(|e| AppError::Check(e.at("id")))?;
    display_name("name", &input.name)?;
    password_rule(&input.password)?;
    if store.org(&input.org).await?.is_none() {
        return Err(AppError::invalid(
            "org",
            format!("organisation {:?} does not exist", input.org),
        ));
    }
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    let user = User {
        id: input.id.clone(),
        org: input.org.clone(),
        name: input.name.clone(),
        roles,
        disabled: false,
    };
    let password = input.password;
    let hash = hashed(password).await?;
    let entry = log(
        author,
        "user",
        &user.id,
        serde_json::json!({ "op": "create", "org": user.org, "roles": user.roles }),
    );
    store.create_user(&user, Some(&hash), Some(&entry)).await?;
    Ok(user)
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
    /// A new password (at least 10 characters). It ends every session of the user and
    /// revokes every live API token of theirs (see `revoked` in the answer).
    pub password: Option<String>,
}

/// A user after a change, and, when the password was reset, what the reset ended.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserChanged {
    #[serde(flatten)]
    pub user: User,
    /// Present when the password was reset: the sessions it ended and the API tokens it
    /// revoked (all of the user's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revoked>,
}

/// Changes a user (name, roles, disabled, password): as [`create_user`] for who may. Who
/// may administer users is asked first; a user of another organisation (for an org-admin)
/// then answers exactly like one that does not exist.
pub async fn update_user(
    author: &Author<'_>,
    id: &str,
    patch: UserPatch,
) -> AppResult<UserChanged> {
    user_admin(author)?;
    let store = author.store();
    let found = store.user(id).await?;
    let Some(mut user) = found.filter(|u| author.has(Role::SiteAdmin) || u.org == author.org())
    else {
        return Err(AppError::NotFound);
    };
    // An org-admin may neither alter a site-level account nor create one.
    let new_roles = patch.roles.clone().unwrap_or_else(|| user.roles.clone());
    may_manage(author, &user.org, &new_roles)?;
    if !author.has(Role::SiteAdmin) && user.has(Role::SiteAdmin) {
        return Err(AppError::forbidden(
            "only a site-admin may alter a site-admin's account",
        ));
    }
    // Everything is checked before anything changes.
    if let Some(n) = &patch.name {
        display_name("name", n)?;
    }
    if let Some(pw) = &patch.password {
        password_rule(pw)?;
    }
    let hash = match patch.password {
        Some(pw) => Some(hashed(pw).await?),
        None => None,
    };
    if let Some(n) = patch.name {
        user.name = n;
    }
    let mut roles = new_roles;
    roles.sort();
    roles.dedup();
    user.roles = roles;
    if let Some(d) = patch.disabled {
        user.disabled = d;
    }
    let entry = log(
        author,
        "user",
        &user.id,
        serde_json::json!({
            "op": "update",
            "roles": user.roles,
            "disabled": user.disabled,
            "password": hash.is_some(),
        }),
    );
    let revoked = store
        .update_user(
            &UserChange {
                user: &user,
                password_hash: hash.as_deref(),
                keep_session: None,
            },
            Some(&entry),
        )
        .await?;
    Ok(UserChanged {
        user,
        revoked: hash.is_some().then_some(revoked),
    })
}

/// Every community (known to every user).
pub async fn communities(author: &Author<'_>) -> AppResult<Vec<Community>> {
    Ok(author.store().communities().await?)
}

/// Creates a community: a site-admin.
pub async fn create_community(author: &Author<'_>, c: Community) -> AppResult<Community> {
    site_admin(author)?;
    slug("id", &c.id)?;
    display_name("name", &c.name)?;
    let entry = log(
        author,
        "community",
        &c.id,
        serde_json::json!({ "op": "create" }),
    );
    author.store().create_community(&c, Some(&entry)).await?;
    Ok(c)
}

/// Every membership of a community, past, present and future (known to every user).
pub async fn members(author: &Author<'_>, community: &str) -> AppResult<Vec<Membership>> {
    Ok(author.store().memberships(Some(community)).await?)
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMember {
    pub org: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// Adds a dated membership to community `id`: a site-admin.
pub async fn add_member(author: &Author<'_>, id: &str, input: NewMember) -> AppResult<Membership> {
    site_admin(author)?;
    if input.until.is_some_and(|u| u <= input.from) {
        return Err(AppError::invalid("until", "until must be after from"));
    }
    let m = Membership {
        community: id.to_string(),
        org: input.org,
        from: input.from,
        until: input.until,
    };
    let entry = log(
        author,
        "community",
        id,
        serde_json::json!({ "op": "member", "org": m.org, "from": m.from, "until": m.until }),
    );
    author.store().add_membership(&m, Some(&entry)).await?;
    Ok(m)
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndMember {
    /// The first day the organisation is no longer a member.
    pub until: NaiveDate,
}

/// Ends `org`'s membership of community `id`: a site-admin.
pub async fn end_member(
    author: &Author<'_>,
    id: &str,
    org: &str,
    input: EndMember,
) -> AppResult<()> {
    site_admin(author)?;
    let entry = log(
        author,
        "community",
        id,
        serde_json::json!({ "op": "end", "org": org, "until": input.until }),
    );
    if !author
        .store()
        .end_membership(id, org, input.until, Some(&entry))
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The sharing groups `author` may know of: all for a site-admin; otherwise those their
/// organisation owns or is listed in.
pub async fn groups(author: &Author<'_>) -> AppResult<Vec<SharingGroup>> {
    let all = author.store().sharing_groups().await?;
    Ok(all
        .into_iter()
        .filter(|g| group_visible(author, g))
        .collect())
}

/// Whether `author` may know of group `g`: a site-admin, or an organisation that owns it or
/// is listed in it.
fn group_visible(author: &Author<'_>, g: &SharingGroup) -> bool {
    author.has(Role::SiteAdmin)
        || g.owner == author.org()
        || g.members.iter().any(|m| m == author.org())
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGroup {
    /// `<owner>.<name>`: the owner organisation's id, a dot, a name without dots.
    pub id: String,
    pub name: String,
    /// The owning organisation; org-admins may only give their own (the default).
    pub owner: Option<String>,
    pub members: Vec<String>,
}

/// Creates a sharing group: an org-admin for their own organisation, a site-admin for any.
pub async fn create_group(author: &Author<'_>, input: NewGroup) -> AppResult<SharingGroup> {
    let owner = input
        .owner
        .clone()
        .unwrap_or_else(|| author.org().to_string());
    if !(author.has(Role::SiteAdmin) || (author.has(Role::OrgAdmin) && owner == author.org())) {
        return Err(AppError::forbidden(
            "org-admins create sharing groups owned by their own organisation; site-admins for any",
        ));
    }
    check_scoped_id("sharing group", &owner, &input.id).map_err(|e| AppError::Check(e.at("id")))?;
    display_name("name", &input.name)?;
    let mut members = input.members.clone();
    members.sort();
    members.dedup();
    let g = SharingGroup {
        id: input.id,
        name: input.name,
        owner,
        members,
    };
    let entry = log(
        author,
        "sharing-group",
        &g.id,
        serde_json::json!({ "op": "create", "members": g.members }),
    );
    author
        .store()
        .create_sharing_group(&g, Some(&entry))
        .await?;
    Ok(g)
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMembers {
    pub members: Vec<String>,
}

/// Sets a sharing group's members: the owner organisation's org-admins, or a site-admin. A
/// group the author's organisation neither owns nor belongs to answers exactly like one
/// that does not exist (the author could not list it either).
pub async fn set_group_members(
    author: &Author<'_>,
    id: &str,
    input: GroupMembers,
) -> AppResult<SharingGroup> {
    let store = author.store();
    let Some(g) = store
        .sharing_group(id)
        .await?
        .filter(|g| group_visible(author, g))
    else {
        return Err(AppError::NotFound);
    };
    if !(author.has(Role::SiteAdmin) || (author.has(Role::OrgAdmin) && g.owner == author.org())) {
        return Err(AppError::forbidden(
            "only the owner organisation's org-admins (or a site-admin) edit a sharing group",
        ));
    }
    let entry = log(
        author,
        "sharing-group",
        id,
        serde_json::json!({ "op": "members", "members": input.members }),
    );
    store
        .set_sharing_group_members(id, &input.members, Some(&entry))
        .await?;
    store.sharing_group(id).await?.ok_or(AppError::NotFound)
}
