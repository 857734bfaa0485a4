//! Administration over HTTP: organisations, users, communities and their memberships,
//! sharing groups. Who may do and know what is `vigie_app::admin`'s (docs/sharing.md's
//! "Administration" table); these handlers extract, call and answer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_app::admin::{
    self, EndMember, GroupMembers, NewGroup, NewMember, NewUser, UserChanged, UserPatch,
};
use vigie_core::{Community, Membership, Organisation, SharingGroup, User};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrgList {
    pub items: Vec<Organisation>,
}

#[utoipa::path(get, path = "/api/v1/orgs", tag = "admin", responses((status = 200, body = OrgList)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<OrgList>> {
    let items = admin::orgs(&caller.author(&state)).await?;
    Ok(axum::Json(OrgList { items }))
}

#[utoipa::path(post, path = "/api/v1/orgs", tag = "admin", request_body = Organisation,
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: Caller,
    Json(org): Json<Organisation>,
) -> ApiResult<(StatusCode, axum::Json<Organisation>)> {
    let org = admin::create_org(&caller.author(&state), org).await?;
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
    let items = admin::users(&caller.author(&state)).await?;
    Ok(axum::Json(UserList { items }))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    let user = admin::create_user(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
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
    Ok(axum::Json(
        admin::update_user(&caller.author(&state), &id, patch).await?,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CommunityList {
    pub items: Vec<Community>,
}

#[utoipa::path(get, path = "/api/v1/communities", tag = "admin", responses((status = 200, body = CommunityList)))]
pub async fn list_communities(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<CommunityList>> {
    let items = admin::communities(&caller.author(&state)).await?;
    Ok(axum::Json(CommunityList { items }))
}

#[utoipa::path(post, path = "/api/v1/communities", tag = "admin", request_body = Community,
    responses((status = 201, body = Community), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_community(
    State(state): State<AppState>,
    caller: Caller,
    Json(c): Json<Community>,
) -> ApiResult<(StatusCode, axum::Json<Community>)> {
    let c = admin::create_community(&caller.author(&state), c).await?;
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
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MembershipList>> {
    let items = admin::members(&caller.author(&state), &id).await?;
    Ok(axum::Json(MembershipList { items }))
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
    let m = admin::add_member(&caller.author(&state), &id, input).await?;
    Ok((StatusCode::CREATED, axum::Json(m)))
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
    admin::end_member(&caller.author(&state), &id, &org, input).await?;
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
    let items = admin::groups(&caller.author(&state)).await?;
    Ok(axum::Json(GroupList { items }))
}

#[utoipa::path(post, path = "/api/v1/sharing-groups", tag = "admin", request_body = NewGroup,
    responses((status = 201, body = SharingGroup), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewGroup>,
) -> ApiResult<(StatusCode, axum::Json<SharingGroup>)> {
    let g = admin::create_group(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(g)))
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
    let g = admin::set_group_members(&caller.author(&state), &id, input).await?;
    Ok(axum::Json(g))
}
