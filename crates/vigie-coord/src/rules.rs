//! The rules of an allocation, shared by the solver and the explanations: eligibility of an
//! (organisation, task) pair, capacity pools and the value of an assignment.

use vigie_core::coordination::CoordinationProfile;

use crate::problem::ProblemTask;

/// `B`: the value of assigning a task at all, per unit of priority weight. Larger than the
/// largest level-and-advantage bonus `S × 3 + 1 = 7` of a task, and by a factor: see
/// [`value`].
pub const BASE: f64 = 1000.0;
/// `S`: the value of one subsidiarity rank, per unit of priority weight. Larger than the
/// largest advantage difference (1), so a lower level always wins over a higher one for the
/// same task, whatever the advantages.
pub const SUBSIDIARITY: f64 = 2.0;

/// `w(priority) = 2^(priority − 1)`: 1, 2, 4, 8, 16. Doubling with each step and `B > 2 × 7`
/// make one task of priority p+1 worth more than one task of priority p, whatever
/// organisations they get.
pub fn priority_weight(priority: u8) -> f64 {
    f64::from(1u32 << (priority.clamp(1, 5) - 1))
}

/// `value(t, o) = w(priority) × (B + S × (3 − rank(o)) + advantage(o, type))`.
pub fn value(task: &ProblemTask, org: &CoordinationProfile) -> f64 {
    priority_weight(task.priority)
        * (BASE
            + SUBSIDIARITY * f64::from(3 - org.level.rank().min(3))
            + org.advantage(task.task_type))
}

/// Why an organisation may not take a task, in the order the rules are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// Excluded by a what-if, for every task (`pair` false) or this one.
    Excluded {
        pair: bool,
    },
    Declined,
    NoMandate,
    /// Its scope does not cover this country (index into the task's countries) on `as_of`.
    OutOfScope {
        country: usize,
    },
    /// Consent is needed (by the task, or by the scope window in this country) and not
    /// obtained.
    ConsentMissing {
        country: Option<usize>,
    },
    /// No capacity period contains the task's deadline.
    NoCapacityPeriod,
    /// The task alone does not fit in what is left of the period.
    TooBig {
        days_left: f64,
        budget_left: f64,
        pool: usize,
    },
}

/// Capacity tolerance: amounts are compared with this relative slack, for rounding.
pub const EPS: f64 = 1e-7;

pub fn fits(need: f64, left: f64) -> bool {
    need <= left + EPS * left.abs().max(1.0)
}

/// Eligibility of `org` for `task` on `as_of`, capacity aside.
pub fn eligibility(
    task: &ProblemTask,
    org: &CoordinationProfile,
    as_of: chrono::NaiveDate,
    excluded_org: bool,
    excluded_pair: bool,
) -> Result<(), Why> {
    if excluded_org || excluded_pair {
        return Err(Why::Excluded {
            pair: !excluded_org,
        });
    }
    if task.declined_by.iter().any(|d| d == &org.org) {
        return Err(Why::Declined);
    }
    if !org.has_mandate(task.task_type) {
        return Err(Why::NoMandate);
    }
    let mut window_consent = None;
    for (i, c) in task.countries.iter().enumerate() {
        match org.acts_in(c, as_of) {
            None => return Err(Why::OutOfScope { country: i }),
            Some(w) if w.consent_required && window_consent.is_none() => window_consent = Some(i),
            Some(_) => {}
        }
    }
    if !task.consent_obtained {
        if task.consent_required {
            return Err(Why::ConsentMissing { country: None });
        }
        if let Some(i) = window_consent {
            return Err(Why::ConsentMissing { country: Some(i) });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_core::coordination::{Advantage, OrgLevel, TaskType};

    fn org(level: OrgLevel, adv: f64) -> CoordinationProfile {
        CoordinationProfile {
            org: "x".into(),
            level,
            mandates: vec![TaskType::Mediation],
            scope: vec![],
            capacity: vec![],
            advantages: vec![Advantage {
                task_type: TaskType::Mediation,
                score: adv,
                rationale: String::new(),
            }],
        }
    }

    fn task(priority: u8) -> ProblemTask {
        ProblemTask {
            id: uuid::Uuid::nil(),
            title: "t".into(),
            task_type: TaskType::Mediation,
            countries: vec!["MLI".into()],
            effort_days: 1.0,
            budget: 0.0,
            deadline: "2025-06-01".parse().unwrap(),
            priority,
            depends_on: vec![],
            hidden_dependencies: 0,
            consent_required: false,
            consent_obtained: false,
            declined_by: vec![],
            status: vigie_core::task::TaskStatus::Open,
            assignee: None,
        }
    }

    #[test]
    fn the_order_is_strict() {
        // A lower level beats a higher one whatever the advantages.
        assert!(
            value(&task(3), &org(OrgLevel::National, 0.0))
                > value(&task(3), &org(OrgLevel::Regional, 1.0))
        );
        assert_eq!(
            value(&task(3), &org(OrgLevel::Coalition, 0.5)),
            value(&task(3), &org(OrgLevel::Regional, 0.5))
        );
        // Within a level, the advantage decides.
        assert!(
            value(&task(3), &org(OrgLevel::Global, 0.6))
                > value(&task(3), &org(OrgLevel::Global, 0.5))
        );
        // Assigning one more task of the same priority beats the best bonus of another.
        let best = value(&task(2), &org(OrgLevel::National, 1.0));
        let worst = value(&task(2), &org(OrgLevel::Global, 0.0));
        assert!(worst > best - worst);
        // One task of priority p + 1 beats one of priority p, whatever the organisations.
        for p in 1..5 {
            assert!(
                value(&task(p + 1), &org(OrgLevel::Global, 0.0))
                    > value(&task(p), &org(OrgLevel::National, 1.0))
            );
        }
    }
}
