//! The secretariat's views: organisations' coordination profiles, the allocation of open
//! tasks to organisations (`vigie-coord`), the alert → task → outcome chain with its
//! warning-to-response figures, and the 3W matrix (who does what where), as JSON or as CSV
//! with HXL hashtags. Every task read goes through the gate as the caller.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use vigie_core::{CoordinationProfile, Role, Task, TaskStatus};
use vigie_store::TaskFilter;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::tasks::audit_tasks;
use crate::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileList {
    pub items: Vec<CoordinationProfile>,
}

#[utoipa::path(get, path = "/api/v1/coord/profiles", tag = "coordination",
    responses((status = 200, description = "Every organisation's coordination profile", body = ProfileList)))]
pub async fn profiles(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<axum::Json<ProfileList>> {
    Ok(axum::Json(ProfileList {
        items: state.store.coordination_profiles().await?,
    }))
}

#[utoipa::path(put, path = "/api/v1/coord/profiles/{org}", tag = "coordination", request_body = CoordinationProfile,
    params(("org" = String, Path, description = "The organisation's id")),
    responses((status = 200, body = CoordinationProfile), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(profile): Json<CoordinationProfile>,
) -> ApiResult<axum::Json<CoordinationProfile>> {
    let allowed =
        caller.has(Role::SiteAdmin) || (caller.has(Role::OrgAdmin) && caller.org() == org);
    if !allowed {
        return Err(ApiError::forbidden(
            "an organisation's profile is set by its org-admins or a site-admin",
        ));
    }
    if state.store.org(&org).await?.is_none() {
        return Err(ApiError::not_found());
    }
    if profile.org != org {
        return Err(ApiError::invalid(
            "org",
            format!("the profile names {:?}, the address {org:?}", profile.org),
        ));
    }
    profile.check().map_err(ApiError::check)?;
    let entry = crate::audit::entry(
        Some(&caller),
        "admin",
        Some("coordination-profile"),
        Some(org.clone()),
        serde_json::json!({"op": "set-profile"}),
    );
    state
        .store
        .set_coordination_profile(&profile, Some(&entry))
        .await?;
    Ok(axum::Json(profile))
}

/// One task of the chain.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChainTask {
    pub id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    pub assignee: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When an organisation first accepted it.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was done or failed.
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

/// One alert and the tasks that answer it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChainLink {
    pub alert: Uuid,
    /// The alert as the caller gets it now (absent when it no longer fires for the caller).
    pub current: Option<vigie_core::Alert>,
    /// When the alert was first raised to the caller.
    pub first_seen: Option<DateTime<Utc>>,
    pub tasks: Vec<ChainTask>,
    /// Hours from the alert to the first accepted task.
    pub hours_to_accepted: Option<f64>,
}

/// Warning-to-response figures over the chain.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    /// Alerts in the chain: the caller's current alerts and those its tasks answer.
    pub alerts: usize,
    pub with_task: usize,
    pub with_accepted_task: usize,
    /// with_accepted_task / alerts.
    pub share_responded: Option<f64>,
    pub median_hours_to_accepted: Option<f64>,
    pub mean_hours_to_accepted: Option<f64>,
    /// Tasks answering alerts, by status.
    pub outcomes: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Chain {
    pub links: Vec<ChainLink>,
    pub figures: Figures,
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

#[utoipa::path(get, path = "/api/v1/coord/chain", tag = "coordination",
    responses((status = 200, description = "Alert → task → outcome, for what the caller may see, with warning-to-response figures", body = Chain)))]
pub async fn chain(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Chain>> {
    let store = state.store.as_ref();
    let current = vigie_app::alerts::alerts_for(store, caller.viewer()).await?;
    let tasks = store.tasks(caller.viewer(), &TaskFilter::default()).await?;
    audit_tasks(&state, &caller, &tasks).await?;
    let mut by_alert: BTreeMap<Uuid, Vec<&Task>> = BTreeMap::new();
    for a in &current {
        by_alert.entry(a.id).or_default();
    }
    for t in &tasks {
        if let Some(a) = t.alert {
            by_alert.entry(a).or_default().push(t);
        }
    }
    let ids: Vec<Uuid> = by_alert.keys().copied().collect();
    let seen = store
        .alerts_first_seen(&caller.viewer().reader_key(), &ids)
        .await?;
    let current: HashMap<Uuid, vigie_core::Alert> =
        current.into_iter().map(|a| (a.id, a)).collect();
    let mut figures = Figures::default();
    let mut delays = Vec::new();
    let mut links = Vec::new();
    for ((alert, ts), first_seen) in by_alert.into_iter().zip(seen) {
        let mut chain_tasks = Vec::new();
        for t in ts {
            let history = store.task_events(caller.viewer(), t.id).await?;
            let accepted_at = history
                .iter()
                .find(|e| e.to_status == TaskStatus::Accepted)
                .map(|e| e.at);
            let closed_at = history
                .iter()
                .find(|e| e.to_status.is_final())
                .map(|e| e.at);
            *figures
                .outcomes
                .entry(t.status.as_str().to_string())
                .or_default() += 1;
            chain_tasks.push(ChainTask {
                id: t.id,
                title: t.title.clone(),
                status: t.status,
                assignee: t.assignee.clone(),
                created_at: t.created_at,
                accepted_at,
                closed_at,
                outcome: t.outcome.clone(),
            });
        }
        let first_accepted = chain_tasks.iter().filter_map(|t| t.accepted_at).min();
        let start = first_seen.or_else(|| chain_tasks.iter().map(|t| t.created_at).min());
        let hours_to_accepted = start.zip(first_accepted).map(|(a, b)| hours(a, b));
        figures.alerts += 1;
        figures.with_task += usize::from(!chain_tasks.is_empty());
        figures.with_accepted_task += usize::from(first_accepted.is_some());
        delays.extend(hours_to_accepted);
        links.push(ChainLink {
            alert,
            current: current.get(&alert).cloned(),
            first_seen,
            tasks: chain_tasks,
            hours_to_accepted,
        });
    }
    figures.share_responded =
        (figures.alerts > 0).then(|| figures.with_accepted_task as f64 / figures.alerts as f64);
    if !delays.is_empty() {
        delays.sort_by(f64::total_cmp);
        let n = delays.len();
        figures.median_hours_to_accepted = Some(if n % 2 == 1 {
            delays[n / 2]
        } else {
            (delays[n / 2 - 1] + delays[n / 2]) / 2.0
        });
        figures.mean_hours_to_accepted = Some(delays.iter().sum::<f64>() / n as f64);
    }
    Ok(axum::Json(Chain { links, figures }))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreeWQuery {
    /// json (the default) or csv (with an HXL hashtag row)
    pub format: Option<String>,
}

/// Who does what where: tasks an organisation has taken on, per region and type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ThreeWRow {
    pub org: String,
    pub country: String,
    /// The admin-1 region, when the task names one.
    pub admin1: Option<String>,
    pub task_type: String,
    pub accepted: usize,
    pub in_progress: usize,
    pub done: usize,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ThreeW {
    pub rows: Vec<ThreeWRow>,
}

/// The 3W rows of `tasks`: committed tasks (accepted, in progress, done) with an assignee,
/// one count per region they name (or per country when they name none).
pub fn three_w(tasks: &[Task]) -> Vec<ThreeWRow> {
    let mut rows: BTreeMap<(String, String, Option<String>, String), ThreeWRow> = BTreeMap::new();
    for t in tasks.iter().filter(|t| t.status.is_committed()) {
        let Some(org) = &t.assignee else { continue };
        let mut places: Vec<(String, Option<String>)> = t
            .regions
            .iter()
            .map(|r| match r.split_once('/') {
                Some((c, a)) => (c.to_string(), Some(a.to_string())),
                None => (
                    t.countries.first().cloned().unwrap_or_default(),
                    Some(r.clone()),
                ),
            })
            .collect();
        if places.is_empty() {
            places = t.countries.iter().map(|c| (c.clone(), None)).collect();
        }
        for (country, admin1) in places {
            let key = (
                org.clone(),
                country.clone(),
                admin1.clone(),
                t.task_type.as_str().to_string(),
            );
            let row = rows.entry(key).or_insert_with(|| ThreeWRow {
                org: org.clone(),
                country,
                admin1,
                task_type: t.task_type.as_str().to_string(),
                accepted: 0,
                in_progress: 0,
                done: 0,
            });
            match t.status {
                TaskStatus::Accepted => row.accepted += 1,
                TaskStatus::InProgress => row.in_progress += 1,
                _ => row.done += 1,
            }
        }
    }
    rows.into_values().collect()
}

/// The HXL hashtags of the 3W CSV, in column order.
pub const THREE_W_HXL: [&str; 7] = [
    "#org+code",
    "#country+code",
    "#adm1+name",
    "#sector",
    "#activity+accepted+num",
    "#activity+inprogress+num",
    "#activity+done+num",
];

#[utoipa::path(get, path = "/api/v1/coord/3w", tag = "coordination", params(ThreeWQuery),
    responses((status = 200, description = "Organisation × region × task type, from the tasks the caller may see", body = ThreeW), (status = 400, body = ErrorBody)))]
pub async fn three_w_matrix(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ThreeWQuery>,
) -> ApiResult<Response> {
    let tasks = state
        .store
        .tasks(caller.viewer(), &TaskFilter::default())
        .await?;
    audit_tasks(&state, &caller, &tasks).await?;
    let rows = three_w(&tasks);
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(axum::Json(ThreeW { rows }).into_response()),
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let io = |e: csv::Error| {
                tracing::error!(error = %e, "writing the 3W CSV");
                ApiError::internal()
            };
            w.write_record([
                "organisation",
                "country",
                "admin1",
                "task_type",
                "accepted",
                "in_progress",
                "done",
            ])
            .map_err(io)?;
            w.write_record(THREE_W_HXL).map_err(io)?;
            for r in &rows {
                w.write_record([
                    r.org.clone(),
                    r.country.clone(),
                    r.admin1.clone().unwrap_or_default(),
                    r.task_type.clone(),
                    r.accepted.to_string(),
                    r.in_progress.to_string(),
                    r.done.to_string(),
                ])
                .map_err(io)?;
            }
            let body = w.into_inner().map_err(|_| ApiError::internal())?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"vigie-3w.csv\"",
                    ),
                ],
                body,
            )
                .into_response())
        }
        other => Err(ApiError::invalid(
            "format",
            format!("{other:?} is not json or csv"),
        )),
    }
}

/// A what-if allocation request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocateRequest {
    /// Force these assignments.
    #[serde(default)]
    pub pins: Vec<vigie_coord::Pin>,
    /// Leave out these organisations (for every task, or for one).
    #[serde(default)]
    pub excludes: Vec<vigie_coord::Exclude>,
    /// Write the proposal: each assigned task the caller's organisation owns becomes
    /// `proposed` to its organisation.
    #[serde(default)]
    pub apply: bool,
}

/// A proposal, and the tasks it was written to (when applied).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Allocation {
    #[serde(flatten)]
    pub solution: vigie_coord::Solution,
    /// Tasks now proposed to the organisation of their assignment.
    pub applied: Vec<Uuid>,
    /// Tasks the assignment gives to another organisation than the one they are already
    /// proposed to: left as they are (that organisation answers first, or the owner
    /// reopens the task).
    pub kept: Vec<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/coord/allocate", tag = "coordination", request_body = AllocateRequest,
    responses((status = 200, description = "An optimal assignment of the open tasks the caller may see, with reasons", body = Allocation),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn allocate(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<AllocateRequest>,
) -> ApiResult<axum::Json<Allocation>> {
    crate::write::require_writer(&caller)?;
    let store = state.store.as_ref();
    let problem =
        vigie_app::allocation::problem_for(store, caller.viewer(), req.pins, req.excludes).await?;
    let solved = tokio::task::spawn_blocking(move || vigie_coord::solve(&problem))
        .await
        .map_err(|_| ApiError::internal())?;
    let solution = match solved {
        Ok(s) => s,
        Err(vigie_coord::CoordError::Input(m)) => return Err(ApiError::bad_request(m)),
        Err(vigie_coord::CoordError::PinInfeasible(m)) => {
            return Err(ApiError::invalid("pins", m));
        }
        Err(e @ vigie_coord::CoordError::Solver(_)) => {
            tracing::error!(error = %e, "allocation");
            return Err(ApiError::internal());
        }
    };
    let mut applied = Vec::new();
    let mut kept = Vec::new();
    if req.apply {
        // Every change is worked out first, then written at once with its audit entry.
        let mut changes = Vec::new();
        for a in &solution.assignments {
            let Some(mut task) = store.task(caller.viewer(), a.task).await? else {
                continue;
            };
            let owner = vigie_core::audience::may_edit(
                &caller.user().roles,
                caller.org(),
                &task.audience,
                true,
            );
            if !owner {
                continue;
            }
            if task.status == TaskStatus::Proposed {
                // A pending proposal is the organisation's to answer: left as it is.
                if task.assignee.as_deref() == Some(a.org.as_str()) {
                    applied.push(task.id);
                } else {
                    kept.push(task.id);
                }
                continue;
            }
            if !task.status.can_move_to(TaskStatus::Proposed) {
                continue;
            }
            // The task's history is read by everyone the task is shared with: it gets the
            // note, which derives from the task and the organisation's profile alone, never
            // the full reason (capacity left after tasks its readers may not see).
            let t = crate::tasks::Transition {
                to: TaskStatus::Proposed,
                org: Some(a.org.clone()),
                note: Some(format!("Allocated: {}", a.note)),
                outcome: None,
                consent_obtained: None,
            };
            let event = crate::tasks::apply(&mut task, &caller, &t)?;
            applied.push(task.id);
            changes.push((task, event));
        }
        let entry = crate::audit::entry(
            Some(&caller),
            "allocate",
            Some("task"),
            None,
            serde_json::json!({"applied": applied, "kept": kept}),
        );
        store.update_tasks(&changes, Some(&entry)).await?;
    }
    Ok(axum::Json(Allocation {
        solution,
        applied,
        kept,
    }))
}
