//! Response tasks: a piece of work (mediation, early warning, border security …) in one or
//! more countries, proposed to an organisation, accepted or declined, carried out. The
//! allocation of open tasks to organisations is `vigie-coord`'s.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::coordination::TaskType;
use crate::{Audience, CheckError};

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskStatus {
    /// Nobody has it yet.
    Open,
    /// Proposed to an organisation (the assignee), which has not answered.
    Proposed,
    /// The assignee accepted it.
    Accepted,
    /// The last organisation it was proposed to declined it (in `declined_by`).
    Declined,
    InProgress,
    Done,
    Failed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 7] = [
        TaskStatus::Open,
        TaskStatus::Proposed,
        TaskStatus::Accepted,
        TaskStatus::Declined,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Proposed => "proposed",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Declined => "declined",
            TaskStatus::InProgress => "in-progress",
            TaskStatus::Done => "done",
            TaskStatus::Failed => "failed",
        }
    }

    /// Whether a task may go from `self` to `next`: open → proposed; proposed → accepted,
    /// declined or open; declined → open or proposed; accepted → in-progress or open;
    /// in-progress → done or failed; done and failed are final.
    pub fn can_move_to(self, next: TaskStatus) -> bool {
        use TaskStatus::*;
        matches!(
            (self, next),
            (Open, Proposed)
                | (Proposed, Accepted | Declined | Open)
                | (Declined, Open | Proposed)
                | (Accepted, InProgress | Open)
                | (InProgress, Done | Failed)
        )
    }

    /// Whether an organisation has taken the task on (accepted, in progress or done): a
    /// dependency in one of these states counts as satisfied, and the task is not
    /// allocated again.
    pub fn is_committed(self) -> bool {
        matches!(
            self,
            TaskStatus::Accepted | TaskStatus::InProgress | TaskStatus::Done
        )
    }

    /// Whether the task is still to be allocated (open, proposed or declined).
    pub fn is_allocatable(self) -> bool {
        matches!(
            self,
            TaskStatus::Open | TaskStatus::Proposed | TaskStatus::Declined
        )
    }

    /// Done or failed.
    pub fn is_final(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Failed)
    }
}

display_as_str!(TaskStatus);

impl std::str::FromStr for TaskStatus {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('_', "-");
        TaskStatus::ALL
            .into_iter()
            .find(|t| t.as_str() == key)
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown task status {s:?} (expected open, proposed, accepted, declined, in-progress, done or failed)"
                ))
            })
    }
}

/// A response task: a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub task_type: TaskType,
    /// ISO 3166 alpha-3 codes, at least one.
    pub countries: Vec<String>,
    /// Free text or "ISO3/Region" keys.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Person-days of work.
    pub effort_days: f64,
    pub budget: f64,
    pub deadline: NaiveDate,
    /// 1 (low) to 5 (urgent).
    pub priority: u8,
    /// Tasks that must be taken on before this one: those the reader may see.
    #[serde(default)]
    pub depends_on: Vec<Uuid>,
    /// How many more tasks it depends on that the reader may not see. Their ids are never
    /// shown: a visible record never carries the id of a hidden one (threat 31).
    #[serde(default)]
    pub hidden_dependencies: u32,
    /// Whether the host state must consent, whoever does it.
    #[serde(default)]
    pub consent_required: bool,
    #[serde(default)]
    pub consent_obtained: bool,
    /// The alert it came from.
    #[serde(default)]
    pub alert: Option<Uuid>,
    pub status: TaskStatus,
    /// The organisation it is proposed to or taken on by.
    #[serde(default)]
    pub assignee: Option<String>,
    /// The organisations that declined it.
    #[serde(default)]
    pub declined_by: Vec<String>,
    /// What came of it, once done or failed.
    #[serde(default)]
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub audience: Audience,
}

impl Task {
    /// Checks the fields a writer sets, naming the wrong one and its value.
    pub fn check_fields(&self) -> Result<(), CheckError> {
        check_task_fields(
            self.id,
            &self.title,
            &self.countries,
            self.effort_days,
            self.budget,
            self.priority,
            &self.depends_on,
        )
    }
}

/// The checks of [`Task::check_fields`], for callers holding the parts of a task.
pub fn check_task_fields(
    id: Uuid,
    title: &str,
    countries: &[String],
    effort_days: f64,
    budget: f64,
    priority: u8,
    depends_on: &[Uuid],
) -> Result<(), CheckError> {
    use crate::{Code, FieldPath};
    let n = title.trim().chars().count();
    if n == 0 {
        return Err(CheckError::new("title", Code::Missing, "must not be empty"));
    }
    if title.chars().count() > 300 {
        return Err(CheckError::new(
            "title",
            Code::TooLong,
            format!("{} characters, at most 300", title.chars().count()),
        ));
    }
    if countries.is_empty() {
        return Err(CheckError::new(
            "countries",
            Code::Missing,
            "at least one is needed",
        ));
    }
    for (i, c) in countries.iter().enumerate() {
        crate::country::checked(c).map_err(|e| e.at_path(&FieldPath::new("countries").index(i)))?;
    }
    if !(effort_days.is_finite() && effort_days >= 0.0) {
        return Err(CheckError::new(
            "effort_days",
            Code::OutOfRange,
            format!("{effort_days} is not a finite number ≥ 0"),
        ));
    }
    if !(budget.is_finite() && budget >= 0.0) {
        return Err(CheckError::new(
            "budget",
            Code::OutOfRange,
            format!("{budget} is not a finite number ≥ 0"),
        ));
    }
    if !(1..=5).contains(&priority) {
        return Err(CheckError::new(
            "priority",
            Code::OutOfRange,
            format!("{priority} is not between 1 (low) and 5 (urgent)"),
        ));
    }
    if depends_on.contains(&id) {
        return Err(CheckError::new(
            "depends_on",
            Code::Inconsistent,
            format!("the task {id} depends on itself"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Distribution, Marking};

    fn task() -> Task {
        let now = Utc::now();
        Task {
            id: Uuid::new_v4(),
            title: "Mediate between herders and farmers".into(),
            task_type: TaskType::Mediation,
            countries: vec!["MLI".into()],
            regions: vec!["MLI/Mopti".into()],
            effort_days: 30.0,
            budget: 20_000.0,
            deadline: "2025-06-01".parse().unwrap(),
            priority: 4,
            depends_on: vec![],
            hidden_dependencies: 0,
            consent_required: true,
            consent_obtained: false,
            alert: None,
            status: TaskStatus::Open,
            assignee: None,
            declined_by: vec![],
            outcome: None,
            created_at: now,
            updated_at: now,
            audience: Audience {
                owner: "au".into(),
                creator: Some("amina".into()),
                marking: Marking::Green,
                distribution: Distribution::Organisation,
            },
        }
    }

    #[test]
    fn transitions() {
        use TaskStatus::*;
        assert!(Open.can_move_to(Proposed));
        assert!(!Open.can_move_to(Accepted));
        assert!(Proposed.can_move_to(Declined));
        assert!(Declined.can_move_to(Proposed));
        assert!(Accepted.can_move_to(InProgress));
        assert!(InProgress.can_move_to(Failed));
        for s in TaskStatus::ALL {
            assert!(!Done.can_move_to(s) && !Failed.can_move_to(s));
            assert_eq!(s.as_str().parse::<TaskStatus>().unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert!("closed"
            .parse::<TaskStatus>()
            .unwrap_err()
            .to_string()
            .contains("closed"));
    }

    #[test]
    fn checks() {
        task().check_fields().unwrap();
        let mut t = task();
        t.priority = 0;
        assert!(t
            .check_fields()
            .unwrap_err()
            .to_string()
            .starts_with("priority: 0"));
        let mut t = task();
        t.countries = vec!["SAH".into()];
        assert!(t
            .check_fields()
            .unwrap_err()
            .to_string()
            .contains("\"SAH\""));
        let mut t = task();
        t.effort_days = f64::NAN;
        assert!(t
            .check_fields()
            .unwrap_err()
            .to_string()
            .starts_with("effort_days"));
        let mut t = task();
        t.depends_on = vec![t.id];
        assert!(t.check_fields().unwrap_err().to_string().contains("itself"));
        let mut t = task();
        t.title = "x".repeat(301);
        assert!(t.check_fields().unwrap_err().to_string().contains("301"));
        let t = task();
        let back: Task = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
