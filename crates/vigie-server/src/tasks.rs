//! Response tasks: records behind the gate, created from an alert or by hand, and their
//! lifecycle (docs/coordination.md): proposed to an organisation, accepted or declined by
//! it (a decline is remembered and feeds the next allocation), in progress, done or failed
//! with outcome notes. Every change is appended to the task's history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use vigie_core::audience::may_edit;
use vigie_core::{Marking, Role, Task, TaskStatus, TaskType};
use vigie_store::{TaskEvent, TaskFilter};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::audit_reads;
use crate::extract::{record_id, Json, Query};
use crate::write::{audience_detail, checked_audience, require_writer, AudienceInput};
use crate::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// open, proposed, accepted, declined, in-progress, done or failed
    pub status: Option<String>,
    /// The organisation a task is assigned to.
    pub assignee: Option<String>,
    /// The alert a task came from (its UUID).
    pub alert: Option<String>,
    /// ISO3: tasks in this country.
    pub country: Option<String>,
}

impl TaskQuery {
    fn filter(&self) -> ApiResult<TaskFilter> {
        let some = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        Ok(TaskFilter {
            status: some(&self.status)
                .map(|s| {
                    s.parse::<TaskStatus>()
                        .map_err(|e| ApiError::check(e.at("status")))
                })
                .transpose()?,
            assignee: some(&self.assignee),
            alert: some(&self.alert)
                .map(|a| {
                    Uuid::parse_str(&a)
                        .map_err(|_| ApiError::invalid("alert", format!("{a:?} is not a UUID")))
                })
                .transpose()?,
            country: some(&self.country),
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskList {
    pub items: Vec<Task>,
}

pub(crate) async fn audit_tasks(
    state: &AppState,
    caller: &Caller,
    tasks: &[Task],
) -> ApiResult<()> {
    let restricted: Vec<String> = tasks
        .iter()
        .filter(|t| t.audience.marking != Marking::Clear)
        .map(|t| t.id.to_string())
        .collect();
    audit_reads(state, caller, "task", restricted).await
}

#[utoipa::path(get, path = "/api/v1/tasks", tag = "coordination", params(TaskQuery),
    responses((status = 200, description = "The tasks the caller may see, by deadline", body = TaskList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskList>> {
    let items = state.store.tasks(caller.viewer(), &q.filter()?).await?;
    audit_tasks(&state, &caller, &items).await?;
    Ok(axum::Json(TaskList { items }))
}

/// A task's history as `caller` may read it: the users of other organisations who moved
/// it are not named (their organisation is), so the history is no directory of them.
fn redact(mut history: Vec<TaskEvent>, caller: &Caller) -> Vec<TaskEvent> {
    for e in &mut history {
        if e.actor_org.as_deref() != Some(caller.org()) {
            e.actor = None;
        }
    }
    history
}

/// A task and its history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskDetail {
    pub task: Task,
    pub history: Vec<TaskEvent>,
}

async fn visible(state: &AppState, caller: &Caller, id: &str) -> ApiResult<Task> {
    let id = record_id(id)?;
    match state.store.task(caller.viewer(), id).await? {
        Some(t) => Ok(t),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "coordination",
    params(("id" = String, Path, description = "The task's UUID")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<TaskDetail>> {
    let task = visible(&state, &caller, &id).await?;
    let history = redact(
        state.store.task_events(caller.viewer(), task.id).await?,
        &caller,
    );
    audit_tasks(&state, &caller, std::slice::from_ref(&task)).await?;
    Ok(axum::Json(TaskDetail { task, history }))
}

/// A new response task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// 1 to 300 characters, not only spaces.
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    pub task_type: TaskType,
    /// ISO 3166 alpha-3 codes, at least one.
    #[schema(min_items = 1)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[schema(minimum = 0)]
    pub effort_days: f64,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub budget: f64,
    pub deadline: NaiveDate,
    /// 1 (low) to 5 (urgent); 3 when absent.
    #[schema(minimum = 1, maximum = 5)]
    pub priority: Option<u8>,
    #[serde(default)]
    pub depends_on: Vec<Uuid>,
    #[serde(default)]
    pub consent_required: bool,
    #[serde(default)]
    pub consent_obtained: bool,
    /// The alert it answers: one of the caller's alerts (`GET /alerts`).
    pub alert: Option<Uuid>,
    pub audience: AudienceInput,
}

#[utoipa::path(post, path = "/api/v1/tasks", tag = "coordination", request_body = NewTask,
    responses((status = 201, description = "Created", body = Task), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewTask>,
) -> ApiResult<(StatusCode, axum::Json<Task>)> {
    require_writer(&caller)?;
    let store = state.store.as_ref();
    if let Some(alert) = input.alert {
        let mine = vigie_app::alerts::alerts_for(store, caller.viewer()).await?;
        if !mine.iter().any(|a| a.id == alert) {
            return Err(ApiError::invalid(
                "alert",
                format!("{alert} is not one of your current alerts"),
            ));
        }
    }
    for dep in &input.depends_on {
        if store.task(caller.viewer(), *dep).await?.is_none() {
            return Err(ApiError::invalid(
                "depends_on",
                format!("task {dep} does not exist or is not visible to you"),
            ));
        }
    }
    let audience = checked_audience(&state, &caller, None, input.audience, "audience.").await?;
    let now = Utc::now();
    let task = Task {
        id: Uuid::new_v4(),
        title: input.title.trim().to_string(),
        task_type: input.task_type,
        countries: input
            .countries
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .collect(),
        regions: input.regions,
        effort_days: input.effort_days,
        budget: input.budget,
        deadline: input.deadline,
        priority: input.priority.unwrap_or(3),
        depends_on: input.depends_on,
        hidden_dependencies: 0,
        consent_required: input.consent_required,
        consent_obtained: input.consent_obtained,
        alert: input.alert,
        status: TaskStatus::Open,
        assignee: None,
        declined_by: Vec::new(),
        outcome: None,
        created_at: now,
        updated_at: now,
        audience,
    };
    task.check_fields().map_err(ApiError::check)?;
    let event = TaskEvent {
        at: now,
        actor: Some(caller.user().id.clone()),
        actor_org: Some(caller.org().to_string()),
        from_status: None,
        to_status: TaskStatus::Open,
        org: None,
        note: task.alert.map(|a| format!("from alert {a}")),
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "create",
        Some("task"),
        Some(task.id.to_string()),
        audience_detail(&task.audience),
    );
    store.create_task(&task, &event, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(task)))
}

/// A change of status: to `proposed` naming `org`; `accepted`, `declined`, `in-progress`
/// by the assigned organisation; `done` or `failed` with an `outcome`; back to `open`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub to: TaskStatus,
    /// The organisation proposed to (for `proposed`).
    pub org: Option<String>,
    pub note: Option<String>,
    /// What came of the task (required for `done` and `failed`).
    pub outcome: Option<String>,
    /// Host consent obtained (may be set with any transition).
    pub consent_obtained: Option<bool>,
}

fn is_writer_of(caller: &Caller, org: Option<&str>) -> bool {
    org == Some(caller.org()) && (caller.has(Role::Analyst) || caller.has(Role::Publisher))
}

/// Applies `t` to `task` as `caller`: checks the lifecycle and who may make the change.
pub(crate) fn apply(task: &mut Task, caller: &Caller, t: &Transition) -> ApiResult<TaskEvent> {
    let from = task.status;
    if !from.can_move_to(t.to) {
        return Err(ApiError::invalid(
            "to",
            format!("a task cannot go from {from} to {}", t.to),
        ));
    }
    let owner = may_edit(&caller.user().roles, caller.org(), &task.audience, true);
    let assignee = is_writer_of(caller, task.assignee.as_deref());
    let mut org = None;
    match t.to {
        TaskStatus::Proposed => {
            if !owner {
                return Err(ApiError::forbidden(
                    "only the task owner's analysts and publishers propose it to an organisation",
                ));
            }
            let Some(o) = t.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) else {
                return Err(ApiError::invalid(
                    "org",
                    "proposing a task names the organisation",
                ));
            };
            if task.declined_by.iter().any(|d| d == o) {
                return Err(ApiError::invalid("org", format!("{o} declined this task")));
            }
            task.assignee = Some(o.to_string());
            org = Some(o.to_string());
        }
        TaskStatus::Accepted
        | TaskStatus::Declined
        | TaskStatus::InProgress
        | TaskStatus::Done
        | TaskStatus::Failed => {
            if !assignee {
                return Err(ApiError::forbidden("only the assigned organisation's analysts and publishers change this task's progress"));
            }
            org = task.assignee.clone();
            if t.to == TaskStatus::Declined {
                if let Some(a) = task.assignee.take() {
                    if !task.declined_by.contains(&a) {
                        task.declined_by.push(a);
                    }
                }
            }
            if t.to.is_final() {
                let Some(outcome) = t
                    .outcome
                    .as_deref()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                else {
                    return Err(ApiError::invalid(
                        "outcome",
                        "closing a task records its outcome",
                    ));
                };
                task.outcome = Some(outcome.to_string());
            }
            let consent = t.consent_obtained.unwrap_or(task.consent_obtained);
            if t.to == TaskStatus::Accepted && task.consent_required && !consent {
                return Err(ApiError::invalid(
                    "consent_obtained",
                    "this task needs the host state's consent before it is accepted",
                ));
            }
        }
        TaskStatus::Open => {
            if !owner {
                return Err(ApiError::forbidden(
                    "only the task owner's analysts and publishers reopen it",
                ));
            }
            task.assignee = None;
        }
    }
    if let Some(c) = t.consent_obtained {
        task.consent_obtained = c;
    }
    task.status = t.to;
    task.updated_at = Utc::now();
    Ok(TaskEvent {
        at: task.updated_at,
        actor: Some(caller.user().id.clone()),
        actor_org: Some(caller.org().to_string()),
        from_status: Some(from),
        to_status: t.to,
        org,
        note: t.note.clone().or_else(|| t.outcome.clone()),
    })
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}/audience", tag = "coordination", request_body = AudienceInput,
    params(("id" = String, Path, description = "The task's UUID")),
    responses((status = 200, body = Task), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
/// Re-marks or re-shares a task (so that the organisation it should go to can read it):
/// the owner organisation's analysts and publishers, within their role's reach, never
/// loosening a marking set by another organisation (`check_write`).
pub async fn set_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<Task>> {
    let task = visible(&state, &caller, &id).await?;
    if !may_edit(&caller.user().roles, caller.org(), &task.audience, true) {
        return Err(ApiError::forbidden(
            "only the task owner's analysts and publishers re-mark or re-share it",
        ));
    }
    let audience = checked_audience(&state, &caller, Some(&task.audience), input, "").await?;
    let entry = crate::audit::entry(
        Some(&caller),
        "audience",
        Some("task"),
        Some(task.id.to_string()),
        serde_json::json!({ "from": audience_detail(&task.audience), "to": audience_detail(&audience) }),
    );
    state
        .store
        .set_audience(
            vigie_store::RecordKind::Task,
            task.id,
            &audience,
            Some(&entry),
        )
        .await?;
    let mut updated = task;
    updated.audience = audience;
    Ok(axum::Json(updated))
}

/// Whether `org` as a whole may read task `id` today (through the gate).
pub(crate) async fn org_may_see(
    state: &AppState,
    org: &vigie_core::Organisation,
    id: Uuid,
) -> ApiResult<bool> {
    let viewer = vigie_core::Viewer::for_organisation(org, Utc::now().date_naive());
    Ok(state.store.task(&viewer, id).await?.is_some())
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/transition", tag = "coordination", request_body = Transition,
    params(("id" = String, Path, description = "The task's UUID")),
    responses((status = 200, body = TaskDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(t): Json<Transition>,
) -> ApiResult<axum::Json<TaskDetail>> {
    let mut task = visible(&state, &caller, &id).await?;
    if t.to == TaskStatus::Proposed {
        let Some(o) = t.org.as_deref() else {
            return Err(ApiError::invalid(
                "org",
                "proposing a task names the organisation",
            ));
        };
        let o = o.trim();
        let Some(organisation) = state.store.org(o).await? else {
            return Err(ApiError::invalid(
                "org",
                format!("organisation {o:?} does not exist"),
            ));
        };
        // The organisation must be able to read the task to accept it: never widen the
        // audience behind the owner's back; say what to do instead.
        if !org_may_see(&state, &organisation, task.id).await? {
            return Err(ApiError::invalid(
                "org",
                format!(
                    "{o} cannot read this task under its audience ({}); share it with {o} first",
                    task.audience.marking.as_str()
                ),
            ));
        }
    }
    let event = apply(&mut task, &caller, &t)?;
    let entry = crate::audit::entry(
        Some(&caller),
        "task-status",
        Some("task"),
        Some(task.id.to_string()),
        serde_json::json!({"from": event.from_status, "to": event.to_status, "org": event.org}),
    );
    let changes = [(task, event)];
    state.store.update_tasks(&changes, Some(&entry)).await?;
    let [(task, _)] = changes;
    let history = redact(
        state.store.task_events(caller.viewer(), task.id).await?,
        &caller,
    );
    Ok(axum::Json(TaskDetail { task, history }))
}
