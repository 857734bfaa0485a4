//! Writing records: creating events and reports, editing reports, re-marking and
//! re-sharing. Seeing a record is not editing it: a writer must see the record (the gate)
//! *and* pass `vigie_core::audience::may_edit`, and every audience written passes
//! `check_write` and the checks below (docs/sharing.md, "Writing").

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_core::audience::{check_write, may_edit};
use vigie_core::{
    Actor, Audience, AudienceError, DatePrecision, Distribution, Event, Fatalities,
    LocationPrecision, Marking, Period, Place, Provenance, Report, ReportStatus, Role, Source,
    ViolenceCategory,
};
use vigie_store::RecordKind;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::EventDetail;
use crate::extract::{record_id, Json};
use crate::AppState;

/// The audience a writer asks for; the owner is always the writer's organisation (or the
/// record's, when changing one) and the creator the writer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AudienceInput {
    pub marking: Marking,
    pub distribution: Distribution,
}

fn audience_error(e: AudienceError, at: &str) -> ApiError {
    match e {
        AudienceError::Combination { .. } | AudienceError::Names => {
            ApiError::invalid(&format!("{at}distribution"), e.to_string())
        }
        AudienceError::TooWide { .. }
        | AudienceError::ClearNeedsPublisher
        | AudienceError::Loosening => ApiError::forbidden(e.to_string()),
    }
}

/// Builds and checks the audience `input` gives a record (new when `old` is `None`). Errors
/// name the field by its path in the request body: `at` is where the audience sits in it
/// (`"audience."` in a new record, `""` when the body is the audience).
pub(crate) async fn checked_audience(
    state: &AppState,
    caller: &Caller,
    old: Option<&Audience>,
    input: AudienceInput,
    at: &str,
) -> ApiResult<Audience> {
    let audience = Audience {
        owner: old.map_or_else(|| caller.org().to_string(), |o| o.owner.clone()),
        creator: old.map_or_else(|| Some(caller.user().id.clone()), |o| o.creator.clone()),
        marking: input.marking,
        distribution: input.distribution,
    };
    check_write(&caller.user().roles, caller.org(), old, &audience)
        .map_err(|e| audience_error(e, at))?;
    let store = state.store.as_ref();
    match &audience.distribution {
        Distribution::SharingGroup { id } => {
            let usable = store.sharing_group(id).await?.is_some_and(|g| {
                g.owner == caller.org() || g.members.iter().any(|m| m == caller.org())
            });
            if !usable {
                return Err(ApiError::invalid(
                    &format!("{at}distribution.id"),
                    format!("sharing group {id:?} does not exist or is neither owned by nor lists your organisation"),
                ));
            }
        }
        Distribution::Community { id } => {
            let today = Utc::now().date_naive();
            if !store.is_member(id, caller.org(), today).await? {
                return Err(ApiError::invalid(
                    &format!("{at}distribution.id"),
                    format!("your organisation is not a member of community {id:?} today"),
                ));
            }
        }
        Distribution::Organisations { orgs } => {
            for o in orgs {
                if store.org(o).await?.is_none() {
                    return Err(ApiError::invalid(
                        &format!("{at}distribution.orgs"),
                        format!("organisation {o:?} does not exist"),
                    ));
                }
            }
        }
        Distribution::Recipients { users } => {
            // Who may be named is worked out once, before any name is looked up, so that
            // every name costs the same to refuse.
            let reach = addressable_orgs(state, caller, Utc::now().date_naive()).await?;
            for u in users {
                let addressable = store
                    .user(u)
                    .await?
                    .is_some_and(|x| !x.disabled && reach.contains(&x.org));
                if !addressable {
                    // The same answer whether the user does not exist, is disabled or is
                    // out of reach: naming a recipient confirms nothing (threat 30).
                    return Err(ApiError::invalid(
                        &format!("{at}distribution.users"),
                        format!("{u:?} cannot be addressed: a TLP:RED recipient is an active user of your organisation or of an organisation that shares a community with it today"),
                    ));
                }
            }
        }
        Distribution::Organisation | Distribution::AllCommunities => {}
    }
    Ok(audience)
}

/// The organisations whose active users `caller` may name as TLP:RED recipients on `day`:
/// the caller's own, and every organisation that shares a community with it that day
/// (docs/sharing.md, "Naming recipients").
async fn addressable_orgs(
    state: &AppState,
    caller: &Caller,
    day: NaiveDate,
) -> ApiResult<std::collections::BTreeSet<String>> {
    let memberships = state.store.memberships(None).await?;
    let mine: std::collections::BTreeSet<&str> = memberships
        .iter()
        .filter(|m| m.org == caller.org() && m.covers(day))
        .map(|m| m.community.as_str())
        .collect();
    let mut orgs: std::collections::BTreeSet<String> = memberships
        .iter()
        .filter(|m| mine.contains(m.community.as_str()) && m.covers(day))
        .map(|m| m.org.clone())
        .collect();
    orgs.insert(caller.org().to_string());
    Ok(orgs)
}

pub(crate) fn require_writer(caller: &Caller) -> ApiResult<()> {
    if caller.has(Role::Analyst) || caller.has(Role::Publisher) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "writing records needs the analyst or publisher role",
        ))
    }
}

pub(crate) fn audience_detail(a: &Audience) -> serde_json::Value {
    serde_json::json!({
        "marking": a.marking,
        "distribution": a.distribution.kind(),
        "reference": a.distribution.reference(),
        "names": a.distribution.names(),
    })
}

/// An event reported in Vigie (by a monitor or an analyst).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewEvent {
    /// The day it happened (YYYY-MM-DD).
    pub date: NaiveDate,
    /// The last day, for events over several days.
    pub date_end: Option<NaiveDate>,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub category: ViolenceCategory,
    pub description: Option<String>,
    /// 0 to `MAX_FATALITIES` (10,000,000).
    #[schema(minimum = 0, maximum = 10000000)]
    pub fatalities: Option<i64>,
    pub side_a: Option<String>,
    pub side_b: Option<String>,
    pub audience: AudienceInput,
}

fn check_new_event(n: &NewEvent) -> ApiResult<()> {
    if let Some(c) = &n.country {
        if vigie_core::country::by_iso3(c).is_none() {
            return Err(ApiError::invalid(
                "country",
                format!("{c:?} is not an ISO 3166 alpha-3 code"),
            ));
        }
    }
    if n.latitude.is_some() != n.longitude.is_some() {
        return Err(ApiError::invalid(
            "latitude",
            "give both latitude and longitude, or neither",
        ));
    }
    if let Some(lat) = n.latitude {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(ApiError::invalid(
                "latitude",
                format!("{lat} is outside -90..90"),
            ));
        }
    }
    if let Some(lon) = n.longitude {
        if !(-180.0..=180.0).contains(&lon) {
            return Err(ApiError::invalid(
                "longitude",
                format!("{lon} is outside -180..180"),
            ));
        }
    }
    if n.date_end.is_some_and(|e| e < n.date) {
        return Err(ApiError::invalid("date_end", "date_end is before date"));
    }
    if let Some(f) = n.fatalities {
        if let Some(reason) = vigie_core::fatality_count_problem(f) {
            return Err(ApiError::invalid("fatalities", format!("{f} {reason}")));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = NewEvent,
    responses((status = 201, description = "Created", body = EventDetail), (status = 403, body = ErrorBody)))]
pub async fn create_event(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewEvent>,
) -> ApiResult<(StatusCode, axum::Json<EventDetail>)> {
    require_writer(&caller)?;
    check_new_event(&input)?;
    let audience =
        checked_audience(&state, &caller, None, input.audience.clone(), "audience.").await?;
    let source_id = uuid::Uuid::new_v4().to_string();
    let country = input.country.as_ref().map(|c| c.to_ascii_uppercase());
    let info = country.as_deref().and_then(vigie_core::country::by_iso3);
    let event = Event {
        id: Event::stable_id(Source::Vigie, &source_id),
        source: Source::Vigie,
        source_id,
        source_version: None,
        period: Period {
            start: input.date,
            end: input.date_end.unwrap_or(input.date),
            precision: DatePrecision::Day,
        },
        place: Place {
            latitude: input.latitude,
            longitude: input.longitude,
            precision: input.latitude.map(|_| LocationPrecision::Exact),
            source_precision: None,
            gw_id: info.and_then(|c| c.gw).map(i32::from),
            views_id: info.and_then(|c| c.views_id).map(i32::from),
            country,
            admin1: input.admin1.clone(),
            admin2: None,
            location: input.location.clone(),
            priogrid_gid: match (input.latitude, input.longitude) {
                (Some(lat), Some(lon)) => vigie_core::priogrid::gid(lat, lon),
                _ => None,
            },
        },
        category: input.category,
        source_type: "report".into(),
        side_a: input.side_a.clone().map(|name| Actor {
            name,
            source_id: None,
        }),
        side_b: input.side_b.clone().map(|name| Actor {
            name,
            source_id: None,
        }),
        fatalities: Fatalities {
            best: input.fatalities,
            low: None,
            high: None,
        },
        description: input.description.clone(),
        extra: serde_json::Map::new(),
        provenance: Provenance {
            batch: None,
            file: "api".into(),
            line: 0,
        },
        owner: audience.owner.clone(),
        marking: audience.marking,
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "create",
        Some("event"),
        Some(event.id.to_string()),
        audience_detail(&audience),
    );
    state
        .store
        .create_event(&event, &audience, Some(&entry))
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EventDetail { event, audience }),
    ))
}

#[utoipa::path(put, path = "/api/v1/events/{id}/audience", tag = "events", request_body = AudienceInput,
    params(("id" = String, Path, description = "The event's UUID")),
    responses((status = 200, body = EventDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_event_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<EventDetail>> {
    let id = record_id(&id)?;
    let Some((event, old)) = state.store.event(caller.viewer(), id).await? else {
        return Err(ApiError::not_found());
    };
    if !may_edit(&caller.user().roles, caller.org(), &old, false) {
        return Err(ApiError::forbidden(
            "only a publisher of the owner organisation may re-mark or re-share this event",
        ));
    }
    let audience = checked_audience(&state, &caller, Some(&old), input, "").await?;
    let entry = crate::audit::entry(
        Some(&caller),
        "audience",
        Some("event"),
        Some(id.to_string()),
        serde_json::json!({ "from": audience_detail(&old), "to": audience_detail(&audience) }),
    );
    state
        .store
        .set_audience(RecordKind::Event, id, &audience, Some(&entry))
        .await?;
    // Read back through the gate; a writer who narrowed the event beyond themselves (RED to
    // others) no longer sees it, and gets back only what they just wrote.
    let detail = match state.store.event(caller.viewer(), id).await? {
        Some((event, audience)) => EventDetail { event, audience },
        None => EventDetail {
            event: vigie_core::Event {
                marking: audience.marking,
                ..event
            },
            audience,
        },
    };
    Ok(axum::Json(detail))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewReport {
    pub title: String,
    pub body: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    /// draft (the default) or published; publishing needs the publisher role.
    pub status: Option<ReportStatus>,
    pub audience: AudienceInput,
}

/// Changes to a report; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ReportPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub status: Option<ReportStatus>,
}

fn check_text(title: &str, body: &str, country: Option<&str>) -> ApiResult<()> {
    if title.trim().is_empty() || title.chars().count() > 300 {
        return Err(ApiError::invalid(
            "title",
            "a title has 1 to 300 characters",
        ));
    }
    if body.len() > 1_000_000 {
        return Err(ApiError::invalid("body", "a report body is at most 1 MB"));
    }
    if let Some(c) = country {
        if vigie_core::country::by_iso3(c).is_none() {
            return Err(ApiError::invalid(
                "country",
                format!("{c:?} is not an ISO 3166 alpha-3 code"),
            ));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = NewReport,
    responses((status = 201, description = "Created", body = Report), (status = 403, body = ErrorBody)))]
pub async fn create_report(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewReport>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    require_writer(&caller)?;
    check_text(&input.title, &input.body, input.country.as_deref())?;
    let status = input.status.unwrap_or(ReportStatus::Draft);
    if status == ReportStatus::Published && !caller.has(Role::Publisher) {
        return Err(ApiError::forbidden(
            "publishing a report needs the publisher role",
        ));
    }
    let audience = checked_audience(&state, &caller, None, input.audience, "audience.").await?;
    let now = Utc::now();
    let report = Report {
        id: uuid::Uuid::new_v4(),
        title: input.title,
        body: input.body,
        country: input.country.map(|c| c.to_ascii_uppercase()),
        admin1: input.admin1,
        status,
        version: 1,
        created_at: now,
        updated_at: now,
        audience,
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "create",
        Some("report"),
        Some(report.id.to_string()),
        audience_detail(&report.audience),
    );
    state.store.create_report(&report, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(report)))
}

#[utoipa::path(patch, path = "/api/v1/reports/{id}", tag = "reports", request_body = ReportPatch,
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<ReportPatch>,
) -> ApiResult<axum::Json<Report>> {
    let id = record_id(&id)?;
    let Some(mut report) = state.store.report(caller.viewer(), id).await? else {
        return Err(ApiError::not_found());
    };
    let draft = report.status == ReportStatus::Draft;
    if !may_edit(&caller.user().roles, caller.org(), &report.audience, draft) {
        return Err(ApiError::forbidden(
            "only the owner organisation's publishers (or its analysts, for a draft) may edit this report",
        ));
    }
    if patch.status == Some(ReportStatus::Published) && !caller.has(Role::Publisher) {
        return Err(ApiError::forbidden(
            "publishing a report needs the publisher role",
        ));
    }
    if let Some(t) = patch.title {
        report.title = t;
    }
    if let Some(b) = patch.body {
        report.body = b;
    }
    if let Some(c) = patch.country {
        report.country = Some(c.to_ascii_uppercase()).filter(|c| !c.is_empty());
    }
    if let Some(a) = patch.admin1 {
        report.admin1 = Some(a).filter(|a| !a.is_empty());
    }
    if let Some(s) = patch.status {
        report.status = s;
    }
    check_text(&report.title, &report.body, report.country.as_deref())?;
    report.updated_at = Utc::now();
    let entry = crate::audit::entry(
        Some(&caller),
        "update",
        Some("report"),
        Some(id.to_string()),
        serde_json::json!({ "status": report.status }),
    );
    state.store.update_report(&report, Some(&entry)).await?;
    match state.store.report(caller.viewer(), id).await? {
        Some(r) => Ok(axum::Json(r)),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(put, path = "/api/v1/reports/{id}/audience", tag = "reports", request_body = AudienceInput,
    params(("id" = String, Path, description = "The report's UUID")),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_report_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<Report>> {
    let id = record_id(&id)?;
    let Some(report) = state.store.report(caller.viewer(), id).await? else {
        return Err(ApiError::not_found());
    };
    let draft = report.status == ReportStatus::Draft;
    if !may_edit(&caller.user().roles, caller.org(), &report.audience, draft) {
        return Err(ApiError::forbidden(
            "only the owner organisation's publishers (or its analysts, for a draft) may re-mark or re-share this report",
        ));
    }
    let audience = checked_audience(&state, &caller, Some(&report.audience), input, "").await?;
    let entry = crate::audit::entry(
        Some(&caller),
        "audience",
        Some("report"),
        Some(id.to_string()),
        serde_json::json!({ "from": audience_detail(&report.audience), "to": audience_detail(&audience) }),
    );
    state
        .store
        .set_audience(RecordKind::Report, id, &audience, Some(&entry))
        .await?;
    let mut updated = report;
    updated.audience = audience;
    Ok(axum::Json(updated))
}
