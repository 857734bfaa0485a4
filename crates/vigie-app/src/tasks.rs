//! Response tasks' lifecycle (docs/coordination.md): created from an alert or by hand,
//! proposed to an organisation, accepted or declined by it (a decline is remembered and
//! feeds the next allocation), in progress, done or failed with outcome notes. Every change
//! is appended to the task's history.

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::audience::may_edit;
use vigie_core::{Organisation, Role, Task, TaskStatus, TaskType, Viewer};
use vigie_store::{RecordKind, Store, TaskEvent};

use crate::audience::{self, AudienceInput};
use crate::author::Author;
use crate::error::{AppError, AppResult};

/// A task the author may see (not read: nothing of it is handed back as is), for a change.
async fn visible(author: &Author<'_>, id: Uuid) -> AppResult<Task> {
    author
        .store()
        .task(author.viewer(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A new response task.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// 1 to 300 characters, not only spaces.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, pattern = "\\S")
    )]
    pub title: String,
    pub task_type: TaskType,
    /// ISO 3166 alpha-3 codes, at least one.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub countries: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub effort_days: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub budget: f64,
    pub deadline: NaiveDate,
    /// 1 (low) to 5 (urgent); 3 when absent.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
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

/// Writes a new task (open), from one of the author's current alerts or by hand.
pub async fn create_task(author: &Author<'_>, input: NewTask) -> AppResult<Task> {
    author.require_writer()?;
    let store = author.store();
    if let Some(alert) = input.alert {
        let mine = crate::alerts::alerts_for(store, author.viewer()).await?;
        if !mine.iter().any(|a| a.id == alert) {
            return Err(AppError::invalid(
                "alert",
                format!("{alert} is not one of your current alerts"),
            ));
        }
    }
    for dep in &input.depends_on {
        if store.task(author.viewer(), *dep).await?.is_none() {
            return Err(AppError::invalid(
                "depends_on",
                format!("task {dep} does not exist or is not visible to you"),
            ));
        }
    }
    let audience = audience::checked(author, None, input.audience, "audience.").await?;
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
    task.check_fields().map_err(AppError::Check)?;
    let event = TaskEvent {
        at: now,
        actor: Some(author.user().id.clone()),
        actor_org: Some(author.org().to_string()),
        from_status: None,
        to_status: TaskStatus::Open,
        org: None,
        note: task.alert.map(|a| format!("from alert {a}")),
    };
    let entry = author.entry(
        "create",
        "task",
        Some(task.id.to_string()),
        audience::detail(&task.audience),
    );
    store.create_task(&task, &event, Some(&entry)).await?;
    Ok(task)
}

/// A change of status: to `proposed` naming `org`; `accepted`, `declined`, `in-progress`
/// by the assigned organisation; `done` or `failed` with an `outcome`; back to `open`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

fn is_writer_of(author: &Author<'_>, org: Option<&str>) -> bool {
    org == Some(author.org()) && (author.has(Role::Analyst) || author.has(Role::Publisher))
}

/// Applies `t` to `task` as `author`: checks the lifecycle and who may make the change.
pub fn apply(task: &mut Task, author: &Author<'_>, t: &Transition) -> AppResult<TaskEvent> {
    let from = task.status;
    if !from.can_move_to(t.to) {
        return Err(AppError::invalid(
            "to",
            format!("a task cannot go from {from} to {}", t.to),
        ));
    }
    let owner = may_edit(author.roles(), author.org(), &task.audience, true);
    let assignee = is_writer_of(author, task.assignee.as_deref());
    let mut org = None;
    match t.to {
        TaskStatus::Proposed => {
            if !owner {
                return Err(AppError::forbidden(
                    "only the task owner's analysts and publishers propose it to an organisation",
                ));
            }
            let Some(o) = t.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) else {
                return Err(AppError::invalid(
                    "org",
                    "proposing a task names the organisation",
                ));
            };
            if task.declined_by.iter().any(|d| d == o) {
                return Err(AppError::invalid("org", format!("{o} declined this task")));
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
                return Err(AppError::forbidden("only the assigned organisation's analysts and publishers change this task's progress"));
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
                    return Err(AppError::invalid(
                        "outcome",
                        "closing a task records its outcome",
                    ));
                };
                task.outcome = Some(outcome.to_string());
            }
            let consent = t.consent_obtained.unwrap_or(task.consent_obtained);
            if t.to == TaskStatus::Accepted && task.consent_required && !consent {
                return Err(AppError::invalid(
                    "consent_obtained",
                    "this task needs the host state's consent before it is accepted",
                ));
            }
        }
        TaskStatus::Open => {
            if !owner {
                return Err(AppError::forbidden(
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
        actor: Some(author.user().id.clone()),
        actor_org: Some(author.org().to_string()),
        from_status: Some(from),
        to_status: t.to,
        org,
        note: t.note.clone().or_else(|| t.outcome.clone()),
    })
}

/// Re-marks or re-shares a task (so that the organisation it should go to can read it):
/// the owner organisation's analysts and publishers, within their role's reach, never
/// loosening a marking set by another organisation (`check_write`).
pub async fn set_task_audience(
    author: &Author<'_>,
    id: Uuid,
    input: AudienceInput,
) -> AppResult<Task> {
    let task = visible(author, id).await?;
    if !may_edit(author.roles(), author.org(), &task.audience, true) {
        return Err(AppError::forbidden(
            "only the task owner's analysts and publishers re-mark or re-share it",
        ));
    }
    let audience = audience::checked(author, Some(&task.audience), input, "").await?;
    let entry = author.entry(
        "audience",
        "task",
        Some(task.id.to_string()),
        serde_json::json!({ "from": audience::detail(&task.audience), "to": audience::detail(&audience) }),
    );
    author
        .store()
        .set_audience(RecordKind::Task, task.id, &audience, Some(&entry))
        .await?;
    let mut updated = task;
    updated.audience = audience;
    Ok(updated)
}

/// Whether `org` as a whole may read task `id` today (through the gate).
pub async fn org_may_see(store: &dyn Store, org: &Organisation, id: Uuid) -> AppResult<bool> {
    let viewer = Viewer::for_organisation(org, Utc::now().date_naive());
    Ok(store.task(&viewer, id).await?.is_some())
}

/// Moves a task along its lifecycle; returns it and its history as the author now reads
/// them.
pub async fn transition(
    author: &Author<'_>,
    id: Uuid,
    t: Transition,
) -> AppResult<(Task, Vec<TaskEvent>)> {
    let store = author.store();
    let mut task = visible(author, id).await?;
    if t.to == TaskStatus::Proposed {
        let Some(o) = t.org.as_deref() else {
            return Err(AppError::invalid(
                "org",
                "proposing a task names the organisation",
            ));
        };
        let o = o.trim();
        let Some(organisation) = store.org(o).await? else {
            return Err(AppError::invalid(
                "org",
                format!("organisation {o:?} does not exist"),
            ));
        };
        // The organisation must be able to read the task to accept it: never widen the
        // audience behind the owner's back; say what to do instead.
        if !org_may_see(store, &organisation, task.id).await? {
            return Err(AppError::invalid(
                "org",
                format!(
                    "{o} cannot read this task under its audience ({}); share it with {o} first",
                    task.audience.marking.as_str()
                ),
            ));
        }
    }
    let event = apply(&mut task, author, &t)?;
    let entry = author.entry(
        "task-status",
        "task",
        Some(task.id.to_string()),
        serde_json::json!({"from": event.from_status, "to": event.to_status, "org": event.org}),
    );
    let changes = [(task, event)];
    store.update_tasks(&changes, Some(&entry)).await?;
    let [(task, _)] = changes;
    let history = author.reader().task_events(task.id).await?;
    Ok((task, history))
}
