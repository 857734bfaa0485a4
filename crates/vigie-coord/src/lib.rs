//! Response coordination: proposes an assignment of open tasks to organisations (AU,
//! ECOWAS, the UN, national institutions, coalitions) that respects mandates, scope,
//! host-state consent, capacity and dependencies, and maximises the value of the
//! assignment: tasks first (weighted by priority), then the lowest competent level
//! (subsidiarity, as in the African Peace and Security Architecture), then comparative
//! advantage. The optimum is proven by a mixed-integer solver (good_lp with the pure-Rust
//! microlp), after exact pruning and decomposition; parts too large for it get Lagrangian
//! prices, assignments improved by local moves and a proven upper bound (`large`). Every assignment says why this
//! organisation and why not each other; every unassigned task names the constraint that
//! binds.
//!
//! No I/O: [`Problem`] in, [`Solution`] out, both JSON (docs/coordination.md).

mod explain;
mod large;
mod model;
pub mod phrase;
pub mod problem;
pub mod rules;
pub mod solution;
mod solve;
pub mod synthetic;

pub use explain::{shared_note, shared_note_phrases};
pub use phrase::Phrase;
pub use problem::{Exclude, Pin, Problem, ProblemTask};
pub use solution::{Alternative, Assignment, Binding, PoolUse, Solution, SolveStats, Unassigned};
pub use solve::solve;

/// Why an allocation could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordError {
    /// The input is wrong: the message names the field and the value.
    #[error("invalid problem: {0}")]
    Input(String),
    /// What-if pins that cannot hold.
    #[error("infeasible pin: {0}")]
    PinInfeasible(String),
    /// The solver failed.
    #[error("solver: {0}")]
    Solver(String),
}
