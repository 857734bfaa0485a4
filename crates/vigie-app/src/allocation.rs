//! Allocating open tasks to organisations: the problem as one reader sees it (every
//! organisation's coordination profile and the tasks the reader may see, each organisation
//! excluded from the tasks it could not read, asked of the gate as that organisation), its
//! solution, and writing it as proposals.

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::TaskStatus;
use vigie_store::TaskFilter;

use crate::author::Author;
use crate::error::{AppError, AppResult};
use crate::tasks::{apply, Transition};

/// A what-if allocation request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Solves the allocation of the open tasks `author` may see, and, when asked, writes it:
/// each assigned task the author's organisation owns becomes `proposed` to its
/// organisation, all in one transaction with one audit entry.
pub async fn allocate(author: &Author<'_>, req: AllocateRequest) -> AppResult<Allocation> {
    author.require_writer()?;
    let store = author.store();
    let problem = problem_for(store, author.viewer(), req.pins, req.excludes).await?;
    let solved = tokio::task::spawn_blocking(move || vigie_coord::solve(&problem))
        .await
        .map_err(|e| AppError::Internal(format!("the allocation did not finish: {e}")))?;
    let solution = match solved {
        Ok(s) => s,
        Err(vigie_coord::CoordError::Input(m)) => return Err(AppError::BadRequest(m)),
        Err(vigie_coord::CoordError::PinInfeasible(m)) => {
            return Err(AppError::invalid("pins", m));
        }
        Err(e @ vigie_coord::CoordError::Solver(_)) => {
            return Err(AppError::Internal(format!("allocation: {e}")));
        }
    };
    let mut applied = Vec::new();
    let mut kept = Vec::new();
    if req.apply {
        // Every change is worked out first, then written at once with its audit entry.
        let mut changes = Vec::new();
        for a in &solution.assignments {
            let Some(mut task) = store.task(author.viewer(), a.task).await? else {
                continue;
            };
            let owner =
                vigie_core::audience::may_edit(author.roles(), author.org(), &task.audience, true);
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
            let t = Transition {
                to: TaskStatus::Proposed,
                org: Some(a.org.clone()),
                note: Some(format!("Allocated: {}", a.note)),
                outcome: None,
                consent_obtained: None,
            };
            let event = apply(&mut task, author, &t)?;
            applied.push(task.id);
            changes.push((task, event));
        }
        let entry = author.entry(
            "allocate",
            "task",
            None,
            serde_json::json!({"applied": applied, "kept": kept}),
        );
        store.update_tasks(&changes, Some(&entry)).await?;
    }
    Ok(Allocation {
        solution,
        applied,
        kept,
    })
}

/// The allocation problem of what `viewer` may see: every organisation's profile, and the
/// visible tasks (committed ones hold capacity and satisfy dependencies). An organisation
/// that cannot read a task under its audience (the gate, asked as that organisation) is
/// excluded for it, with that reason, which the explanations then give.
pub async fn problem_for(
    store: &dyn vigie_store::Store,
    viewer: &vigie_core::Viewer,
    pins: Vec<vigie_coord::Pin>,
    mut excludes: Vec<vigie_coord::Exclude>,
) -> Result<vigie_coord::Problem, vigie_store::StoreError> {
    let today = viewer.day();
    let organisations = store.coordination_profiles().await?;
    let directory: std::collections::HashMap<String, vigie_core::Organisation> = store
        .orgs()
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let tasks = store.tasks(viewer, &TaskFilter::default()).await?;
    for org in &organisations {
        // A profile of an organisation the directory does not hold reads nothing.
        let theirs: std::collections::HashSet<Uuid> = match directory.get(&org.org) {
            Some(o) => store
                .tasks(
                    &vigie_core::Viewer::for_organisation(o, today),
                    &TaskFilter::default(),
                )
                .await?
                .iter()
                .map(|t| t.id)
                .collect(),
            None => Default::default(),
        };
        for t in tasks
            .iter()
            .filter(|t| t.status.is_allocatable() && !theirs.contains(&t.id))
        {
            excludes.push(vigie_coord::Exclude {
                org: org.org.clone(),
                task: Some(t.id),
                reason: None,
                unreadable: Some(t.audience.marking.as_str().to_string()),
            });
        }
    }
    Ok(vigie_coord::Problem {
        as_of: today,
        organisations,
        tasks: tasks.iter().map(vigie_coord::ProblemTask::from).collect(),
        pins,
        excludes,
        time_limit_secs: Some(vigie_coord::problem::DEFAULT_TIME_LIMIT_SECS),
    })
}
