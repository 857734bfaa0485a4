//! The output of an allocation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::phrase::Phrase;

/// A proposed allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Solution {
    pub as_of: NaiveDate,
    /// Whether the optimum is proven (false only when `time_limit_secs` stopped the search).
    pub optimal: bool,
    /// Total value of the assignments (see docs/coordination.md, "Objective").
    pub objective: f64,
    /// An upper bound on the best objective: equal to `objective` when optimal.
    pub bound: f64,
    /// One per allocated task, in the order of the input.
    pub assignments: Vec<Assignment>,
    /// One per open task left without an organisation, in the order of the input.
    pub unassigned: Vec<Unassigned>,
    /// Use of every capacity period.
    pub capacity: Vec<PoolUse>,
    pub stats: SolveStats,
    /// Wall time of the whole solve, explanations included, in milliseconds.
    pub solve_ms: f64,
}

/// A task and the organisation proposed for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub task: Uuid,
    pub org: String,
    /// `value(t, o)`.
    pub value: f64,
    /// Forced by a what-if pin.
    #[serde(default)]
    pub pinned: bool,
    /// Why this organisation, in plain language: for the allocating caller, since it
    /// rests on every task the caller may see (capacity left, the other organisations).
    pub reason: String,
    /// `reason` as phrases, which each reader's language words ([`Phrase`]).
    #[serde(default)]
    pub reason_phrases: Vec<Phrase>,
    /// What applying the allocation writes into the task's history, which every reader of
    /// the task reads: from the task and the organisation's profile alone (threat 28).
    #[serde(default)]
    pub note: String,
    /// Every other organisation, and why not.
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alternative {
    pub org: String,
    /// Why not, in English.
    pub why_not: String,
    /// `why_not` as a phrase, which each reader's language words.
    pub why_not_phrase: Phrase,
}

/// The constraint that keeps a task unassigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Binding {
    NoMandate,
    OutOfScope,
    ConsentMissing,
    CapacityExhausted,
    DependencyUnassigned,
    Declined,
    Excluded,
}

impl Binding {
    pub fn as_str(self) -> &'static str {
        match self {
            Binding::NoMandate => "no-mandate",
            Binding::OutOfScope => "out-of-scope",
            Binding::ConsentMissing => "consent-missing",
            Binding::CapacityExhausted => "capacity-exhausted",
            Binding::DependencyUnassigned => "dependency-unassigned",
            Binding::Declined => "declined",
            Binding::Excluded => "excluded",
        }
    }
}

/// An open task left without an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unassigned {
    pub task: Uuid,
    pub binding: Binding,
    /// The explanation, in English.
    pub explanation: String,
    /// `explanation` as a phrase, which each reader's language words.
    pub explanation_phrase: Phrase,
}

/// One capacity period of one organisation: total, used by committed (accepted,
/// in-progress, done) tasks, and allocated now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolUse {
    pub org: String,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub person_days: f64,
    pub person_days_committed: f64,
    pub person_days_allocated: f64,
    pub budget: f64,
    pub budget_committed: f64,
    pub budget_allocated: f64,
}

/// Sizes of the solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SolveStats {
    pub tasks: usize,
    /// Open, proposed or declined tasks.
    pub allocatable: usize,
    pub organisations: usize,
    /// (task, organisation) pairs passing every rule.
    pub eligible_pairs: usize,
    /// Pairs left in the mixed-integer programs after pruning.
    pub model_pairs: usize,
    /// Independent parts (tasks linked by a capacity pool that can run out or a dependency).
    pub components: usize,
    /// Parts solved by the mixed-integer solver (parts where no capacity can run out are
    /// solved exactly by giving each task its best organisation).
    pub mip_components: usize,
    /// Parts too large for the mixed-integer solver (over `MAX_MIP_PAIRS` pairs), or left
    /// without time: solved by Lagrangian prices and local moves, with a proven bound.
    #[serde(default)]
    pub priced_components: usize,
    /// Capacity periods whose candidate tasks exceed them.
    pub binding_pools: usize,
}
