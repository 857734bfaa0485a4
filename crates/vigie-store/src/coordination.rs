//! Response coordination in the store: organisations' coordination profiles (directory
//! data, readable by every signed-in user like the organisations themselves), response
//! tasks (records with an audience, behind the gate) and each task's history of status
//! changes (append-only), which the alert → task → outcome chain is read from.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::{CoordinationProfile, Task, TaskStatus, Viewer};

use crate::audit::NewAuditEntry;
use crate::StoreError;

/// Which tasks a list wants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    pub status: Option<TaskStatus>,
    pub assignee: Option<String>,
    pub alert: Option<Uuid>,
    /// ISO3: tasks with this country among theirs.
    pub country: Option<String>,
}

/// One change of a task's status (or its creation, with no `from_status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskEvent {
    pub at: DateTime<Utc>,
    /// The user who made the change (absent for the system).
    pub actor: Option<String>,
    pub actor_org: Option<String>,
    pub from_status: Option<TaskStatus>,
    pub to_status: TaskStatus,
    /// The organisation concerned: proposed to, accepted or declined by.
    pub org: Option<String>,
    pub note: Option<String>,
}

/// Implemented once for every backend by [`crate::impl_coordination!`]; every read of a
/// task or its history starts from [`crate::gate::push_visible`].
#[async_trait]
pub trait Coordination: Send + Sync {
    /// Every organisation's profile, by organisation id.
    async fn coordination_profiles(&self) -> Result<Vec<CoordinationProfile>, StoreError>;

    async fn coordination_profile(
        &self,
        org: &str,
    ) -> Result<Option<CoordinationProfile>, StoreError>;

    // Every write takes the audit entry that records it, written in the same transaction
    // (see `Directory`); `None` is for seeding and tests.

    /// Creates or replaces an organisation's profile; the caller has checked it.
    async fn set_coordination_profile(
        &self,
        profile: &CoordinationProfile,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Visible tasks matching `filter`, by deadline then creation. Each task's
    /// `depends_on` holds the dependencies the viewer may see; the others are only
    /// counted (`hidden_dependencies`).
    async fn tasks(&self, viewer: &Viewer, filter: &TaskFilter) -> Result<Vec<Task>, StoreError>;

    /// A visible task (dependencies as in [`Coordination::tasks`]); `None` when it does not
    /// exist or is not visible.
    async fn task(&self, viewer: &Viewer, id: Uuid) -> Result<Option<Task>, StoreError>;

    /// Writes a new task and its first history entry, in one transaction.
    async fn create_task(
        &self,
        task: &Task,
        event: &TaskEvent,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// For each (task, event): replaces the task's mutable fields (status, assignee,
    /// declines, outcome, consent, priority, deadline, effort, budget, title, regions; never
    /// its dependencies, which a reader may have seen only in part) and appends `event`; all
    /// in one transaction.
    async fn update_tasks(
        &self,
        changes: &[(Task, TaskEvent)],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// The history of a visible task, oldest first (empty when not visible).
    async fn task_events(&self, viewer: &Viewer, id: Uuid) -> Result<Vec<TaskEvent>, StoreError>;
}
