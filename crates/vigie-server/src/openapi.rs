//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types'
//! schemas, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(title = "Vigie API", description = "Conflict early warning, information sharing and response coordination. Every read of a record is filtered by one visibility rule (docs/sharing.md); a record the caller may not see answers exactly like one that does not exist."),
    paths(
        crate::account::login, crate::account::logout, crate::account::me, crate::account::set_locale,
        crate::account::change_password,
        crate::account::create_token, crate::account::list_tokens, crate::account::revoke_token,
        crate::events::list, crate::events::get_one, crate::events::by_source, crate::events::history,
        crate::events::stats, crate::events::actors, crate::events::export,
        crate::write::create_event, crate::write::set_event_audience,
        crate::map::events, crate::map::cells,
        crate::map_layers::points, crate::map_layers::clusters,
        crate::search::search,
        crate::reports::list, crate::reports::get_one,
        crate::write::create_report, crate::write::update_report, crate::write::set_report_audience,
        crate::write::preview_audience, crate::reports::audience_history,
        crate::admin::list_orgs, crate::admin::create_org,
        crate::admin::list_users, crate::admin::create_user, crate::admin::update_user,
        crate::admin::list_communities, crate::admin::create_community,
        crate::admin::list_members, crate::admin::add_member, crate::admin::end_member,
        crate::admin::list_groups, crate::admin::create_group, crate::admin::set_group_members,
        crate::forecasts::forecasts, crate::forecasts::runs, crate::forecasts::run,
        crate::alerts::list, crate::alerts::rules, crate::alerts::rule, crate::alerts::create,
        crate::alerts::delete, crate::alerts::acknowledge, crate::alerts::coverage, crate::alerts::state_coverage,
        crate::tasks::list, crate::tasks::get_one, crate::tasks::create, crate::tasks::transition, crate::tasks::set_audience,
        crate::coord::profiles, crate::coord::set_profile, crate::coord::chain,
        crate::coord::three_w_matrix, crate::coord::allocate,
        crate::audit::list, crate::audit::verify,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Common),
    security(("token" = []), ("session" = [])),
)]
pub struct ApiDoc;

/// Adds what every operation shares: the security schemes, and the error responses any
/// operation may give (each in the one error format).
struct Common;

impl Modify for Common {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        let error = |description: &str| -> RefOr<Response> {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        utoipa::openapi::ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        let common = [
            (
                "400",
                "The request is invalid (`invalid_request`, naming the field)",
            ),
            (
                "401",
                "Not signed in, or the credential is wrong, expired or revoked",
            ),
            (
                "403",
                "Signed in, but not allowed (`forbidden`, `csrf_failed`, `token_scope`)",
            ),
            (
                "404",
                "No such record, or one the caller may not see: the same answer",
            ),
            ("409", "The identifier is taken"),
            ("429", "Too many failed sign-ins"),
            ("500", "Internal error"),
        ];
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in ops.into_iter().flatten() {
                for (code, description) in common {
                    op.responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| error(description));
                }
            }
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
