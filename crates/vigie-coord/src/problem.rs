//! The input of an allocation: organisations, tasks, what-if pins and exclusions.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::coordination::{CoordinationProfile, TaskType};
use vigie_core::task::{check_task_fields, Task, TaskStatus};

use crate::CoordError;

/// An allocation problem, as read from `--input problem.json` (see docs/coordination.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The day the scope windows are read on.
    pub as_of: NaiveDate,
    pub organisations: Vec<CoordinationProfile>,
    pub tasks: Vec<ProblemTask>,
    /// What-if: force these assignments.
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// What-if: leave out an organisation, or one organisation for one task.
    #[serde(default)]
    pub excludes: Vec<Exclude>,
    /// Stop the search after this many seconds (default 10) and report the best assignment
    /// found, with `optimal: false` and an upper bound; `null` searches until optimality is
    /// proven, however long that takes.
    #[serde(default = "default_time_limit")]
    pub time_limit_secs: Option<f64>,
}

/// The solver's view of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemTask {
    pub id: Uuid,
    pub title: String,
    pub task_type: TaskType,
    /// ISO 3166 alpha-3 codes, at least one.
    pub countries: Vec<String>,
    pub effort_days: f64,
    pub budget: f64,
    pub deadline: NaiveDate,
    /// 1 (low) to 5 (urgent).
    pub priority: u8,
    #[serde(default)]
    pub depends_on: Vec<Uuid>,
    /// Dependencies the allocating reader may not see (only counted): the task cannot be
    /// allocated, since whether they are taken on cannot be known.
    #[serde(default)]
    pub hidden_dependencies: u32,
    #[serde(default)]
    pub consent_required: bool,
    #[serde(default)]
    pub consent_obtained: bool,
    /// Organisations that declined the task: never proposed to them again.
    #[serde(default)]
    pub declined_by: Vec<String>,
    /// Open, proposed and declined tasks are allocated; accepted, in-progress and done ones
    /// are not, count as satisfied dependencies and use their assignee's capacity; failed
    /// ones are not allocated and do not satisfy a dependency.
    #[serde(default = "open")]
    pub status: TaskStatus,
    /// The organisation that has the task (for accepted, in-progress and done tasks).
    #[serde(default)]
    pub assignee: Option<String>,
}

/// The default `time_limit_secs`.
pub const DEFAULT_TIME_LIMIT_SECS: f64 = 10.0;

fn default_time_limit() -> Option<f64> {
    Some(DEFAULT_TIME_LIMIT_SECS)
}

fn open() -> TaskStatus {
    TaskStatus::Open
}

impl From<&Task> for ProblemTask {
    fn from(t: &Task) -> Self {
        ProblemTask {
            id: t.id,
            title: t.title.clone(),
            task_type: t.task_type,
            countries: t.countries.clone(),
            effort_days: t.effort_days,
            budget: t.budget,
            deadline: t.deadline,
            priority: t.priority,
            depends_on: t.depends_on.clone(),
            hidden_dependencies: t.hidden_dependencies,
            consent_required: t.consent_required,
            consent_obtained: t.consent_obtained,
            declined_by: t.declined_by.clone(),
            status: t.status,
            assignee: t.assignee.clone(),
        }
    }
}

/// What-if: this task must go to this organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pin {
    pub task: Uuid,
    pub org: String,
}

/// What-if: leave out an organisation (for every task, or only for `task`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exclude {
    pub org: String,
    #[serde(default)]
    pub task: Option<Uuid>,
    /// Why, in words, when it is not a what-if (e.g. the organisation cannot read the task
    /// under its audience): the explanations say it instead of "what-if".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Set by Vigie when the organisation cannot read the task under its audience: the
    /// task's marking. The explanations then say so, as a phrase of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

impl Problem {
    /// Checks the input: every profile and task field, unique organisations and task ids,
    /// pins and exclusions naming known ones. Pins that cannot hold are found by the solve.
    pub fn check(&self) -> Result<(), CoordError> {
        let mut orgs = HashSet::new();
        for (i, p) in self.organisations.iter().enumerate() {
            p.check()
                .map_err(|e| CoordError::Input(format!("organisations[{i}] ({}): {e}", p.org)))?;
            if !orgs.insert(p.org.as_str()) {
                return Err(CoordError::Input(format!(
                    "organisations: {:?} is listed twice",
                    p.org
                )));
            }
        }
        let mut ids = HashMap::new();
        for (i, t) in self.tasks.iter().enumerate() {
            check_task_fields(
                t.id,
                &t.title,
                &t.countries,
                t.effort_days,
                t.budget,
                t.priority,
                &t.depends_on,
            )
            .map_err(|e| CoordError::Input(format!("tasks[{i}] ({}): {e}", t.id)))?;
            if ids.insert(t.id, i).is_some() {
                return Err(CoordError::Input(format!(
                    "tasks[{i}]: the id {} is used twice",
                    t.id
                )));
            }
        }
        let mut pinned = HashSet::new();
        for (i, p) in self.pins.iter().enumerate() {
            if !orgs.contains(p.org.as_str()) {
                return Err(CoordError::Input(format!(
                    "pins[{i}]: unknown organisation {:?}",
                    p.org
                )));
            }
            let Some(&ti) = ids.get(&p.task) else {
                return Err(CoordError::Input(format!(
                    "pins[{i}]: unknown task {}",
                    p.task
                )));
            };
            if !pinned.insert(p.task) {
                return Err(CoordError::Input(format!(
                    "pins[{i}]: the task {} is pinned twice",
                    p.task
                )));
            }
            let status = self.tasks[ti].status;
            if !status.is_allocatable() {
                return Err(CoordError::Input(format!(
                    "pins[{i}]: the task {} is {status}, not open for allocation",
                    p.task
                )));
            }
        }
        for (i, e) in self.excludes.iter().enumerate() {
            if !orgs.contains(e.org.as_str()) {
                return Err(CoordError::Input(format!(
                    "excludes[{i}]: unknown organisation {:?}",
                    e.org
                )));
            }
            if let Some(t) = e.task {
                if !ids.contains_key(&t) {
                    return Err(CoordError::Input(format!(
                        "excludes[{i}]: unknown task {t}"
                    )));
                }
            }
        }
        if let Some(s) = self.time_limit_secs {
            if !(s.is_finite() && s > 0.0) {
                return Err(CoordError::Input(format!(
                    "time_limit_secs: {s} is not a positive number of seconds"
                )));
            }
        }
        Ok(())
    }
}
