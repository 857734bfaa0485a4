//! Administration: organisations, users, communities and their memberships, sharing
//! groups. Who may do what is docs/sharing.md's "Administration" table. Administering is
//! not reading: nothing here touches a record.
//!
//! Every change checks everything before it changes anything, and is written with its
//! audit entry in one transaction. A user or sharing group the caller may not administer
//! answers exactly like one that does not exist (threat 30); new ones are named inside
//! their organisation (`<org>.<name>`), so creating one never tells whether another
//! organisation's exists.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_core::{
    check_org_id, check_scoped_id, check_slug, Community, Membership, Organisation, Role,
    SharingGroup, User,
};
use vigie_store::audit::NewAuditEntry;
use vigie_store::{Revoked, UserChange};

use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::AppState;

fn site_admin(caller: &Caller) -> ApiResult<()> {
    if caller.has(Role::SiteAdmin) {
        Ok(())
    } else {
        Err(ApiError::forbidden("this needs the site-admin role"))
    }
}

fn slug(field: &str, s: &str) -> ApiResult<()> {
    check_slug(field, s).map_err(|e| ApiError::check(e.at(field)))
}

/// The audit entry of an administrative change.
fn log(caller: &Caller, what: &str, id: &str, detail: serde_json::Value) -> NewAuditEntry {
    crate::audit::entry(
        Some(caller),
        "admin",
        Some(what),
        Some(id.to_string()),
        detail,
    )
}

/// A name (of an organisation, a user, a sharing group, a community): 1 to 200 characters,
/// not only spaces.
fn display_name(field: &str, s: &str) -> ApiResult<()> {
    if s.trim().is_empty() || s.chars().count() > 200 {
        return Err(ApiError::invalid(
            field,
            format!("{field} {s:?}: a name has 1 to 200 characters, not only spaces"),
        ));
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrgList {
    pub items: Vec<Organisation>,
}

#[utoipa::path(get, path = "/api/v1/orgs", tag = "admin", responses((status = 200, body = OrgList)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<OrgList>> {
    Ok(axum::Json(OrgList {
        items: state.store.orgs().await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/orgs", tag = "admin", request_body = Organisation,
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: Caller,
    Json(org): Json<Organisation>,
) -> ApiResult<(StatusCode, axum::Json<Organisation>)> {
    site_admin(&caller)?;
    check_org_id(&org.id).map_err(|e| ApiError::check(e.at("id")))?;
    display_name("name", &org.name)?;
    let entry = log(
        &caller,
        "organisation",
        &org.id,
        serde_json::json!({ "op": "create", "kind": org.kind }),
    );
    state.store.create_org(&org, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(org)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    pub items: Vec<User>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, description = "All users for a site-admin; one's own organisation's otherwise", body = UserList)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<UserList>> {
    let org = (!caller.has(Role::SiteAdmin)).then(|| caller.org().to_string());
    Ok(axum::Json(UserList {
        items: state.store.users(org.as_deref()).await?,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    /// `<org>.<name>`: the organisation's id, a dot, a name without dots.
    pub id: String,
    pub org: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// At least 10 characters.
    pub password: String,
}

/// Whether `caller` administers users at all (an org-admin or a site-admin): asked before
/// any user is looked up, so that the answer says nothing about who exists.
fn user_admin(caller: &Caller) -> ApiResult<()> {
    if caller.has(Role::SiteAdmin) || caller.has(Role::OrgAdmin) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "managing users needs the org-admin or site-admin role",
        ))
    }
}

/// Whether `caller` may manage users of `org` giving them `roles`.
fn may_manage(caller: &Caller, org: &str, roles: &[Role]) -> ApiResult<()> {
    user_admin(caller)?;
    if caller.has(Role::SiteAdmin) {
        return Ok(());
    }
    if caller.org() != org {
        return Err(ApiError::forbidden(
            "org-admins manage the users of their own organisation only",
        ));
    }
    if roles.contains(&Role::SiteAdmin) {
        return Err(ApiError::forbidden(
            "only a site-admin may give the site-admin role",
        ));
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    may_manage(&caller, &input.org, &input.roles)?;
    check_scoped_id("user", &input.org, &input.id).map_err(|e| ApiError::check(e.at("id")))?;
    display_name("name", &input.name)?;
    auth::check_password_rule(&input.password)?;
    if state.store.org(&input.org).await?.is_none() {
        return Err(ApiError::invalid(
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
    let hash = tokio::task::spawn_blocking(move || vigie_app::accounts::hash_password(&password))
        .await
        .map_err(|_| ApiError::internal())?;
    let entry = log(
        &caller,
        "user",
        &user.id,
        serde_json::json!({ "op": "create", "org": user.org, "roles": user.roles }),
    );
    state
        .store
        .create_user(&user, Some(&hash), Some(&entry))
        .await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserChanged {
    #[serde(flatten)]
    pub user: User,
    /// Present when the password was reset: the sessions it ended and the API tokens it
    /// revoked (all of the user's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revoked>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UserPatch,
    params(("id" = String, Path, description = "The user's login name")),
    responses((status = 200, body = UserChanged), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<UserPatch>,
) -> ApiResult<axum::Json<UserChanged>> {
    // Who may administer users is asked first; a user of another organisation (for an
    // org-admin) then answers exactly like one that does not exist.
    user_admin(&caller)?;
    let found = state.store.user(&id).await?;
    let Some(mut user) = found.filter(|u| caller.has(Role::SiteAdmin) || u.org == caller.org())
    else {
        return Err(ApiError::not_found());
    };
    // An org-admin may neither alter a site-level account nor create one.
    let new_roles = patch.roles.clone().unwrap_or_else(|| user.roles.clone());
    may_manage(&caller, &user.org, &new_roles)?;
    if !caller.has(Role::SiteAdmin) && user.has(Role::SiteAdmin) {
        return Err(ApiError::forbidden(
            "only a site-admin may alter a site-admin's account",
        ));
    }
    // Everything is checked before anything changes.
    if let Some(n) = &patch.name {
        display_name("name", n)?;
    }
    if let Some(pw) = &patch.password {
        auth::check_password_rule(pw)?;
    }
    let hash = match patch.password {
        Some(pw) => Some(
            tokio::task::spawn_blocking(move || vigie_app::accounts::hash_password(&pw))
                .await
                .map_err(|_| ApiError::internal())?,
        ),
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
        &caller,
        "user",
        &user.id,
        serde_json::json!({
            "op": "update",
            "roles": user.roles,
            "disabled": user.disabled,
            "password": hash.is_some(),
        }),
    );
    let revoked = state
        .store
        .update_user(
            &UserChange {
                user: &user,
                password_hash: hash.as_deref(),
                keep_session: None,
            },
            Some(&entry),
        )
        .await?;
    Ok(axum::Json(UserChanged {
        user,
        revoked: hash.is_some().then_some(revoked),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CommunityList {
    pub items: Vec<Community>,
}

#[utoipa::path(get, path = "/api/v1/communities", tag = "admin", responses((status = 200, body = CommunityList)))]
pub async fn list_communities(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<CommunityList>> {
    Ok(axum::Json(CommunityList {
        items: state.store.communities().await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/communities", tag = "admin", request_body = Community,
    responses((status = 201, body = Community), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_community(
    State(state): State<AppState>,
    caller: Caller,
    Json(c): Json<Community>,
) -> ApiResult<(StatusCode, axum::Json<Community>)> {
    site_admin(&caller)?;
    slug("id", &c.id)?;
    display_name("name", &c.name)?;
    let entry = log(
        &caller,
        "community",
        &c.id,
        serde_json::json!({ "op": "create" }),
    );
    state.store.create_community(&c, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<Membership>,
}

#[utoipa::path(get, path = "/api/v1/communities/{id}/members", tag = "admin",
    params(("id" = String, Path, description = "The community's id")),
    responses((status = 200, description = "Every membership, past, present and future", body = MembershipList)))]
pub async fn list_members(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MembershipList>> {
    Ok(axum::Json(MembershipList {
        items: state.store.memberships(Some(&id)).await?,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewMember {
    pub org: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/communities/{id}/members", tag = "admin", request_body = NewMember,
    params(("id" = String, Path, description = "The community's id")),
    responses((status = 201, body = Membership), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<NewMember>,
) -> ApiResult<(StatusCode, axum::Json<Membership>)> {
    site_admin(&caller)?;
    if input.until.is_some_and(|u| u <= input.from) {
        return Err(ApiError::invalid("until", "until must be after from"));
    }
    let m = Membership {
        community: id.clone(),
        org: input.org,
        from: input.from,
        until: input.until,
    };
    let entry = log(
        &caller,
        "community",
        &id,
        serde_json::json!({ "op": "member", "org": m.org, "from": m.from, "until": m.until }),
    );
    state.store.add_membership(&m, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(m)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndMember {
    /// The first day the organisation is no longer a member.
    pub until: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/communities/{id}/members/{org}/end", tag = "admin", request_body = EndMember,
    params(("id" = String, Path, description = "The community's id"), ("org" = String, Path, description = "The organisation")),
    responses((status = 204, description = "Ended"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, org)): Path<(String, String)>,
    Json(input): Json<EndMember>,
) -> ApiResult<StatusCode> {
    site_admin(&caller)?;
    let entry = log(
        &caller,
        "community",
        &id,
        serde_json::json!({ "op": "end", "org": org, "until": input.until }),
    );
    if !state
        .store
        .end_membership(&id, &org, input.until, Some(&entry))
        .await?
    {
        return Err(ApiError::not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<SharingGroup>,
}

#[utoipa::path(get, path = "/api/v1/sharing-groups", tag = "admin",
    responses((status = 200, description = "All groups for a site-admin; otherwise those the caller's organisation owns or belongs to", body = GroupList)))]
pub async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<GroupList>> {
    let items = state
        .store
        .sharing_groups()
        .await?
        .into_iter()
        .filter(|g| group_visible(&caller, g))
        .collect();
    Ok(axum::Json(GroupList { items }))
}

/// Whether `caller` may know of group `g`: a site-admin, or an organisation that owns it or
/// is listed in it.
fn group_visible(caller: &Caller, g: &SharingGroup) -> bool {
    caller.has(Role::SiteAdmin)
        || g.owner == caller.org()
        || g.members.iter().any(|m| m == caller.org())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewGroup {
    /// `<owner>.<name>`: the owner organisation's id, a dot, a name without dots.
    pub id: String,
    pub name: String,
    /// The owning organisation; org-admins may only give their own (the default).
    pub owner: Option<String>,
    pub members: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/sharing-groups", tag = "admin", request_body = NewGroup,
    responses((status = 201, body = SharingGroup), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewGroup>,
) -> ApiResult<(StatusCode, axum::Json<SharingGroup>)> {
    let owner = input
        .owner
        .clone()
        .unwrap_or_else(|| caller.org().to_string());
    if !(caller.has(Role::SiteAdmin) || (caller.has(Role::OrgAdmin) && owner == caller.org())) {
        return Err(ApiError::forbidden(
            "org-admins create sharing groups owned by their own organisation; site-admins for any",
        ));
    }
    check_scoped_id("sharing group", &owner, &input.id).map_err(|e| ApiError::check(e.at("id")))?;
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
        &caller,
        "sharing-group",
        &g.id,
        serde_json::json!({ "op": "create", "members": g.members }),
    );
    state.store.create_sharing_group(&g, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(g)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupMembers {
    pub members: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/sharing-groups/{id}/members", tag = "admin", request_body = GroupMembers,
    params(("id" = String, Path, description = "The sharing group's id")),
    responses((status = 200, body = SharingGroup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_group_members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<GroupMembers>,
) -> ApiResult<axum::Json<SharingGroup>> {
    // A group the caller's organisation neither owns nor belongs to answers exactly like
    // one that does not exist (the caller could not list it either).
    let Some(g) = state
        .store
        .sharing_group(&id)
        .await?
        .filter(|g| group_visible(&caller, g))
    else {
        return Err(ApiError::not_found());
    };
    if !(caller.has(Role::SiteAdmin) || (caller.has(Role::OrgAdmin) && g.owner == caller.org())) {
        return Err(ApiError::forbidden(
            "only the owner organisation's org-admins (or a site-admin) edit a sharing group",
        ));
    }
    let entry = log(
        &caller,
        "sharing-group",
        &id,
        serde_json::json!({ "op": "members", "members": input.members }),
    );
    state
        .store
        .set_sharing_group_members(&id, &input.members, Some(&entry))
        .await?;
    match state.store.sharing_group(&id).await? {
        Some(g) => Ok(axum::Json(g)),
        None => Err(ApiError::not_found()),
    }
}
