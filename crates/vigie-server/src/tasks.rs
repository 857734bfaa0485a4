//! Response tasks: records behind the gate, created from an alert or by hand, and their
//! lifecycle (docs/coordination.md): proposed to an organisation, accepted or declined by
//! it (a decline is remembered and feeds the next allocation), in progress, done or failed
//! with outcome notes. Every change is appended to the task's history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use vigie_app::audience::AudienceInput;
use vigie_app::filters;
use vigie_app::tasks::{NewTask, Transition};
use vigie_core::{Task, TaskStatus};
use vigie_store::{TaskEvent, TaskFilter};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{record_id, Json, Query};
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
            status: filters::parsed::<TaskStatus>("status", some(&self.status).as_deref())?,
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

#[utoipa::path(get, path = "/api/v1/tasks", tag = "coordination", params(TaskQuery),
    responses((status = 200, description = "The tasks the caller may see, by deadline", body = TaskList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskList>> {
    let items = caller.reader(&state).tasks(&q.filter()?).await?;
    Ok(axum::Json(TaskList { items }))
}

/// A task and its history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskDetail {
    pub task: Task,
    pub history: Vec<TaskEvent>,
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "coordination",
    params(("id" = String, Path, description = "The task's UUID")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<TaskDetail>> {
    let id = record_id(&id)?;
    let reader = caller.reader(&state);
    let Some(task) = reader.task(id).await? else {
        return Err(ApiError::not_found());
    };
    let history = reader.task_events(task.id).await?;
    Ok(axum::Json(TaskDetail { task, history }))
}

#[utoipa::path(post, path = "/api/v1/tasks", tag = "coordination", request_body = NewTask,
    responses((status = 201, description = "Created", body = Task), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewTask>,
) -> ApiResult<(StatusCode, axum::Json<Task>)> {
    let task = vigie_app::tasks::create_task(&caller.author(&state), input).await?;
    Ok((StatusCode::CREATED, axum::Json(task)))
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}/audience", tag = "coordination", request_body = AudienceInput,
    params(("id" = String, Path, description = "The task's UUID")),
    responses((status = 200, body = Task), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
/// Re-marks or re-shares a task (so that the organisation it should go to can read it).
pub async fn set_audience(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<AudienceInput>,
) -> ApiResult<axum::Json<Task>> {
    let id = record_id(&id)?;
    let task = vigie_app::tasks::set_task_audience(&caller.author(&state), id, input).await?;
    Ok(axum::Json(task))
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
    let id = record_id(&id)?;
    let (task, history) = vigie_app::tasks::transition(&caller.author(&state), id, t).await?;
    Ok(axum::Json(TaskDetail { task, history }))
}
