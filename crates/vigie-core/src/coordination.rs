//! What each organisation can do in the response: its level in the African Peace and
//! Security Architecture, its mandates, where and when it may act (and whether the host
//! state must consent), its capacity over time and its comparative advantages. The
//! allocation of tasks to organisations (`vigie-coord`) reads these profiles.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::CheckError;

/// The level an organisation acts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgLevel {
    /// A member state's own institutions.
    National,
    /// A regional economic community or mechanism (ECOWAS, ECCAS …).
    Regional,
    /// The African Union.
    Continental,
    /// The United Nations.
    Global,
    /// An ad hoc coalition of states (the MNJTF, the former G5 Sahel joint force …).
    Coalition,
}

impl OrgLevel {
    pub const ALL: [OrgLevel; 5] = [
        OrgLevel::National,
        OrgLevel::Regional,
        OrgLevel::Continental,
        OrgLevel::Global,
        OrgLevel::Coalition,
    ];

    /// Subsidiarity rank, the lowest competent level first: national 0, regional and
    /// coalition 1, continental 2, global 3.
    pub fn rank(self) -> u8 {
        match self {
            OrgLevel::National => 0,
            OrgLevel::Regional | OrgLevel::Coalition => 1,
            OrgLevel::Continental => 2,
            OrgLevel::Global => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrgLevel::National => "national",
            OrgLevel::Regional => "regional",
            OrgLevel::Continental => "continental",
            OrgLevel::Global => "global",
            OrgLevel::Coalition => "coalition",
        }
    }
}

display_as_str!(OrgLevel);

impl std::str::FromStr for OrgLevel {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        OrgLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == key)
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown organisation level {s:?} (expected national, regional, continental, global or coalition)"
                ))
            })
    }
}

/// The kinds of response task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskType {
    Mediation,
    EarlyWarning,
    HumanitarianAccess,
    Disengagement,
    CounterFinancing,
    BorderSecurity,
    StandbyForce,
    IntelligenceLiaison,
    GovernanceSupport,
}

impl TaskType {
    pub const ALL: [TaskType; 9] = [
        TaskType::Mediation,
        TaskType::EarlyWarning,
        TaskType::HumanitarianAccess,
        TaskType::Disengagement,
        TaskType::CounterFinancing,
        TaskType::BorderSecurity,
        TaskType::StandbyForce,
        TaskType::IntelligenceLiaison,
        TaskType::GovernanceSupport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::Mediation => "mediation",
            TaskType::EarlyWarning => "early-warning",
            TaskType::HumanitarianAccess => "humanitarian-access",
            TaskType::Disengagement => "disengagement",
            TaskType::CounterFinancing => "counter-financing",
            TaskType::BorderSecurity => "border-security",
            TaskType::StandbyForce => "standby-force",
            TaskType::IntelligenceLiaison => "intelligence-liaison",
            TaskType::GovernanceSupport => "governance-support",
        }
    }

    /// Position in [`TaskType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

display_as_str!(TaskType);

impl std::str::FromStr for TaskType {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('_', "-");
        TaskType::ALL
            .into_iter()
            .find(|t| t.as_str() == key)
            .ok_or_else(|| {
                let names: Vec<&str> = TaskType::ALL.iter().map(|t| t.as_str()).collect();
                CheckError::unknown(format!(
                    "unknown task type {s:?} (expected one of {})",
                    names.join(", ")
                ))
            })
    }
}

/// Where and when an organisation may act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeWindow {
    /// ISO 3166 alpha-3.
    pub country: String,
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, exclusive; `None` open-ended.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Whether acting there needs the host state's consent (for example ECOWAS in Mali
    /// after the withdrawal took effect on 2025-01-29).
    #[serde(default)]
    pub consent_required: bool,
}

impl ScopeWindow {
    /// `country` from `from` on, with no end and no consent needed.
    pub fn open(country: &str, from: NaiveDate) -> ScopeWindow {
        ScopeWindow {
            country: country.to_string(),
            from,
            until: None,
            consent_required: false,
        }
    }

    /// This window, ending on `until` (exclusive).
    pub fn ending(self, until: NaiveDate) -> ScopeWindow {
        ScopeWindow {
            until: Some(until),
            ..self
        }
    }

    /// This window, where acting needs the host state's consent.
    pub fn with_consent(self) -> ScopeWindow {
        ScopeWindow {
            consent_required: true,
            ..self
        }
    }

    /// Whether `day` is in the window.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day < u)
    }
}

/// What an organisation can give over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapacityPeriod {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, exclusive.
    pub until: NaiveDate,
    pub person_days: f64,
    pub budget: f64,
}

impl CapacityPeriod {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day < self.until
    }
}

/// How well an organisation does one type of task, 0 to 1, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Advantage {
    pub task_type: TaskType,
    pub score: f64,
    #[serde(default)]
    pub rationale: String,
}

/// An organisation's profile for coordination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoordinationProfile {
    /// The organisation's slug.
    pub org: String,
    pub level: OrgLevel,
    #[serde(default)]
    pub mandates: Vec<TaskType>,
    #[serde(default)]
    pub scope: Vec<ScopeWindow>,
    #[serde(default)]
    pub capacity: Vec<CapacityPeriod>,
    #[serde(default)]
    pub advantages: Vec<Advantage>,
}

impl CoordinationProfile {
    /// Checks the profile, naming the wrong field (`advantages[0].score`) and its value.
    pub fn check(&self) -> Result<(), CheckError> {
        use crate::{Code, FieldPath};
        let at = |list: &str, i: usize| FieldPath::new(list).index(i);
        if self.org.trim().is_empty() {
            return Err(CheckError::new("org", Code::Missing, "must not be empty"));
        }
        let mut seen = HashSet::new();
        for (i, m) in self.mandates.iter().enumerate() {
            if !seen.insert(*m) {
                return Err(CheckError::new(
                    at("mandates", i),
                    Code::Duplicate,
                    format!("{m} is listed twice"),
                ));
            }
        }
        for (i, w) in self.scope.iter().enumerate() {
            crate::country::checked(&w.country)
                .map_err(|e| e.at_path(&at("scope", i).field("country")))?;
            if let Some(u) = w.until {
                if w.from >= u {
                    return Err(CheckError::new(
                        at("scope", i),
                        Code::Inconsistent,
                        format!("from {} is not before until {u}", w.from),
                    ));
                }
            }
        }
        for (i, c) in self.capacity.iter().enumerate() {
            if c.from >= c.until {
                return Err(CheckError::new(
                    at("capacity", i),
                    Code::Inconsistent,
                    format!("from {} is not before until {}", c.from, c.until),
                ));
            }
            if !(c.person_days.is_finite() && c.person_days >= 0.0) {
                return Err(CheckError::new(
                    at("capacity", i).field("person_days"),
                    Code::OutOfRange,
                    format!("{} is not a finite number ≥ 0", c.person_days),
                ));
            }
            if !(c.budget.is_finite() && c.budget >= 0.0) {
                return Err(CheckError::new(
                    at("capacity", i).field("budget"),
                    Code::OutOfRange,
                    format!("{} is not a finite number ≥ 0", c.budget),
                ));
            }
            for (j, d) in self.capacity.iter().enumerate().take(i) {
                if c.from < d.until && d.from < c.until {
                    return Err(CheckError::new(
                        at("capacity", i),
                        Code::Inconsistent,
                        format!(
                            "{} to {} overlaps capacity[{j}] ({} to {})",
                            c.from, c.until, d.from, d.until
                        ),
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        for (i, a) in self.advantages.iter().enumerate() {
            if !(a.score.is_finite() && (0.0..=1.0).contains(&a.score)) {
                return Err(CheckError::new(
                    at("advantages", i).field("score"),
                    Code::OutOfRange,
                    format!("{} is not between 0 and 1", a.score),
                ));
            }
            if !seen.insert(a.task_type) {
                return Err(CheckError::new(
                    at("advantages", i),
                    Code::Duplicate,
                    format!("a second advantage for {}", a.task_type),
                ));
            }
        }
        Ok(())
    }

    /// Whether the organisation holds a mandate for this type of task.
    pub fn has_mandate(&self, task_type: TaskType) -> bool {
        self.mandates.contains(&task_type)
    }

    /// The scope window that lets the organisation act in `country` on `day`, if any.
    pub fn acts_in(&self, country: &str, day: NaiveDate) -> Option<&ScopeWindow> {
        self.scope
            .iter()
            .find(|w| w.country.eq_ignore_ascii_case(country) && w.contains(day))
    }

    /// The comparative advantage for a task type, 0 when none is recorded.
    pub fn advantage(&self, task_type: TaskType) -> f64 {
        self.advantage_entry(task_type).map_or(0.0, |a| a.score)
    }

    /// The recorded advantage for a task type, with its rationale.
    pub fn advantage_entry(&self, task_type: TaskType) -> Option<&Advantage> {
        self.advantages.iter().find(|a| a.task_type == task_type)
    }

    /// The capacity period containing `day`.
    pub fn capacity_on(&self, day: NaiveDate) -> Option<&CapacityPeriod> {
        self.capacity.iter().find(|c| c.contains(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ecowas() -> CoordinationProfile {
        CoordinationProfile {
            org: "ecowas".into(),
            level: OrgLevel::Regional,
            mandates: vec![TaskType::Mediation, TaskType::StandbyForce],
            scope: vec![
                ScopeWindow::open("MLI", d("2000-01-01")).ending(d("2025-01-29")),
                ScopeWindow::open("MLI", d("2025-01-29")).with_consent(),
            ],
            capacity: vec![CapacityPeriod {
                from: d("2025-01-01"),
                until: d("2025-07-01"),
                person_days: 100.0,
                budget: 1e6,
            }],
            advantages: vec![Advantage {
                task_type: TaskType::Mediation,
                score: 0.8,
                rationale: "protocol on democracy and good governance".into(),
            }],
        }
    }

    #[test]
    fn ranks_and_names() {
        assert_eq!(OrgLevel::National.rank(), 0);
        assert_eq!(OrgLevel::Coalition.rank(), OrgLevel::Regional.rank());
        assert_eq!(OrgLevel::Global.rank(), 3);
        for t in TaskType::ALL {
            assert_eq!(t.as_str().parse::<TaskType>().unwrap(), t);
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
        for l in OrgLevel::ALL {
            assert_eq!(l.as_str().parse::<OrgLevel>().unwrap(), l);
        }
        let e = "peacekeeping".parse::<TaskType>().unwrap_err();
        assert!(
            e.message.contains("peacekeeping") && e.message.contains("early-warning"),
            "{e}"
        );
    }

    #[test]
    fn helpers() {
        let p = ecowas();
        p.check().unwrap();
        assert!(!p.acts_in("MLI", d("2024-06-01")).unwrap().consent_required);
        assert!(p.acts_in("mli", d("2025-01-29")).unwrap().consent_required);
        assert!(p.acts_in("NER", d("2025-01-29")).is_none());
        assert_eq!(p.advantage(TaskType::Mediation), 0.8);
        assert_eq!(p.advantage(TaskType::StandbyForce), 0.0);
        assert!(p.capacity_on(d("2025-06-30")).is_some());
        assert!(p.capacity_on(d("2025-07-01")).is_none());
    }

    #[test]
    fn check_names_field_and_value() {
        let mut p = ecowas();
        p.advantages[0].score = 1.5;
        let e = p.check().unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("advantages[0].score", crate::Code::OutOfRange)
        );
        assert!(p
            .check()
            .unwrap_err()
            .to_string()
            .contains("advantages[0].score: 1.5"));
        let mut p = ecowas();
        p.capacity[0].person_days = -1.0;
        assert!(p
            .check()
            .unwrap_err()
            .to_string()
            .contains("person_days: -1"));
        let mut p = ecowas();
        p.scope[0].country = "XYZ".into();
        assert!(p.check().unwrap_err().to_string().contains("\"XYZ\""));
        let mut p = ecowas();
        p.capacity[0].until = p.capacity[0].from;
        assert!(p.check().unwrap_err().to_string().contains("not before"));
        let mut p = ecowas();
        p.advantages.push(p.advantages[0].clone());
        assert!(p
            .check()
            .unwrap_err()
            .to_string()
            .contains("second advantage"));
    }
}
