//! Reasons as phrases (codes with arguments, [`crate::phrase`]): why this organisation, why
//! not the others, and what keeps a task unassigned.

use std::collections::HashMap;

use uuid::Uuid;

use chrono::NaiveDate;
use vigie_core::coordination::CoordinationProfile;

use serde_json::json;

use crate::model::{Analysis, Pair, Pool};
use crate::phrase::{self, amount as num, Phrase};
use crate::problem::{Problem, ProblemTask};
use crate::rules::Why;
use crate::solution::{Alternative, Binding};

/// Why `org` may not take task `t`.
pub(crate) fn why_not(problem: &Problem, t: usize, o: usize, why: &Why) -> Phrase {
    let task = &problem.tasks[t];
    let org = &problem.organisations[o];
    let name = ("org", json!(org.org));
    match why {
        Why::Excluded { pair: false } => Phrase::new("coord.excluded", [name]),
        Why::Excluded { pair: true } => {
            let exclude = problem
                .excludes
                .iter()
                .find(|e| e.org == org.org && e.task == Some(task.id));
            match exclude.map(|e| (e.unreadable.as_deref(), e.reason.as_deref())) {
                Some((Some(marking), _)) => {
                    Phrase::new("coord.unreadable", [name, ("marking", json!(marking))])
                }
                Some((None, Some(r))) => {
                    Phrase::new("coord.excludedWhy", [name, ("reason", json!(r))])
                }
                _ => Phrase::new("coord.excludedTask", [name]),
            }
        }
        Why::Declined => Phrase::new("coord.declined", [name]),
        Why::NoMandate => Phrase::new(
            "coord.noMandate",
            [name, ("type", json!(task.task_type.as_str()))],
        ),
        Why::OutOfScope { country } => Phrase::new(
            "coord.outOfScope",
            [
                name,
                ("country", json!(task.countries[*country])),
                ("date", json!(problem.as_of.to_string())),
            ],
        ),
        Why::ConsentMissing { country: None } => Phrase::new("coord.consentTask", [name]),
        Why::ConsentMissing { country: Some(c) } => Phrase::new(
            "coord.consentCountry",
            [
                name,
                ("country", json!(task.countries[*c])),
                ("date", json!(problem.as_of.to_string())),
            ],
        ),
        Why::NoCapacityPeriod => Phrase::new(
            "coord.noCapacityPeriod",
            [name, ("deadline", json!(task.deadline.to_string()))],
        ),
        Why::TooBig {
            days_left,
            budget_left,
            ..
        } => Phrase::new(
            "coord.tooBig",
            [
                name,
                ("days", amount_arg(days_left.max(0.0))),
                ("budget", amount_arg(budget_left.max(0.0))),
                ("deadline", json!(task.deadline.to_string())),
                ("effort", amount_arg(task.effort_days)),
                ("cost", amount_arg(task.budget)),
            ],
        ),
    }
}

/// An amount as an argument, rounded as the explanations show it (one decimal at most).
fn amount_arg(x: f64) -> serde_json::Value {
    json!((x * 10.0).round() / 10.0)
}

fn pool_of(a: &Analysis, o: usize, t: usize) -> Option<usize> {
    let deadline = a.problem.tasks[t].deadline;
    a.problem.organisations[o]
        .capacity
        .iter()
        .position(|c| c.contains(deadline))
        .map(|k| a.pool_of[o][k])
}

/// The part of a reason every reader of the task may read: the what-if pin, the chosen
/// organisation's mandate, scope and consent, from the task and that organisation's profile.
fn mandate_part(
    task: &ProblemTask,
    org: &CoordinationProfile,
    as_of: NaiveDate,
    pinned: bool,
) -> Vec<Phrase> {
    let mut out = Vec::new();
    if pinned {
        out.push(Phrase::new("coord.pinned", []));
    }
    let consent = task.consent_obtained
        && (task.consent_required
            || task
                .countries
                .iter()
                .any(|c| org.acts_in(c, as_of).is_some_and(|w| w.consent_required)));
    out.push(Phrase::new(
        if consent {
            "coord.mandateConsent"
        } else {
            "coord.mandate"
        },
        [
            ("org", json!(org.org)),
            ("level", json!(org.level.as_str())),
            ("type", json!(task.task_type.as_str())),
            ("countries", json!(task.countries.join(", "))),
            ("date", json!(as_of.to_string())),
        ],
    ));
    out
}

/// The chosen organisation's comparative advantage for the task, from its profile.
fn advantage_part(task: &ProblemTask, org: &CoordinationProfile) -> Phrase {
    match org.advantage_entry(task.task_type) {
        Some(adv) if !adv.rationale.is_empty() => Phrase::new(
            "coord.advantageWhy",
            [
                ("advantage", score_arg(adv.score)),
                ("rationale", json!(adv.rationale.trim_end_matches('.'))),
            ],
        ),
        Some(adv) => Phrase::new("coord.advantage", [("advantage", score_arg(adv.score))]),
        None => Phrase::new("coord.noAdvantage", []),
    }
}

/// A score as an argument, rounded as the explanations show it (two decimals).
fn score_arg(x: f64) -> serde_json::Value {
    json!((x * 100.0).round() / 100.0)
}

/// What an applied allocation writes into the task's history, which every reader of the
/// task reads: derived from the task and the chosen organisation's profile (directory
/// data) alone, never from other tasks. Capacity left, the count of eligible organisations
/// and why lower levels were passed over all depend on tasks a reader of this one may not
/// see, so they stay in [`reason`], for the allocating caller only (threat 28).
pub fn shared_note(
    task: &ProblemTask,
    org: &CoordinationProfile,
    as_of: NaiveDate,
    pinned: bool,
) -> String {
    phrase::english(&shared_note_phrases(task, org, as_of, pinned))
}

/// [`shared_note`] as phrases.
pub fn shared_note_phrases(
    task: &ProblemTask,
    org: &CoordinationProfile,
    as_of: NaiveDate,
    pinned: bool,
) -> Vec<Phrase> {
    let mut out = mandate_part(task, org, as_of, pinned);
    out.push(advantage_part(task, org));
    out
}

/// Why the chosen organisation.
pub(crate) fn reason(a: &Analysis, t: usize, o: usize) -> Vec<Phrase> {
    let p = a.problem;
    let task = &p.tasks[t];
    let org = &p.organisations[o];
    let mut out = mandate_part(task, org, p.as_of, a.pinned[t].is_some());
    let eligible: Vec<usize> = (0..p.organisations.len())
        .filter(|&k| a.why[t][k].is_none())
        .collect();
    let lowest = eligible
        .iter()
        .map(|&k| p.organisations[k].level.rank())
        .min()
        .unwrap_or(0);
    if org.level.rank() == lowest {
        if eligible.len() == 1 {
            out.push(Phrase::new("coord.onlyCompetent", []));
        } else {
            out.push(Phrase::new(
                "coord.lowestLevel",
                [("n", json!(eligible.len()))],
            ));
        }
    } else {
        let lower: Vec<&str> = eligible
            .iter()
            .filter(|&&k| p.organisations[k].level.rank() < org.level.rank())
            .map(|&k| p.organisations[k].org.as_str())
            .collect();
        out.push(Phrase::new(
            "coord.lowerLevelsBusy",
            [("orgs", json!(lower.join(", ")))],
        ));
    }
    out.push(advantage_part(task, org));
    if let Some(pool) = pool_of(a, o, t) {
        let period = &p.organisations[o].capacity[a.pools[pool].period];
        out.push(Phrase::new(
            "coord.uses",
            [
                ("effort", amount_arg(task.effort_days)),
                ("days", amount_arg(a.pools[pool].days_left)),
                ("from", json!(period.from.to_string())),
                ("until", json!(period.until.to_string())),
            ],
        ));
    }
    out
}

/// For every other organisation, why not.
pub(crate) fn alternatives(a: &Analysis, t: usize, chosen: usize) -> Vec<Alternative> {
    let p = a.problem;
    let task = &p.tasks[t];
    let c = &p.organisations[chosen];
    let cv = a.values[t][chosen];
    let mut out = Vec::with_capacity(p.organisations.len().saturating_sub(1));
    for (o, org) in p.organisations.iter().enumerate() {
        if o == chosen {
            continue;
        }
        let name = ("org", json!(org.org));
        let why_not = match &a.why[t][o] {
            Some(w) => why_not(p, t, o, w),
            None if a.pinned[t].is_some() => {
                Phrase::new("coord.pinnedElsewhere", [name, ("chosen", json!(c.org))])
            }
            None => {
                let v = a.values[t][o];
                if v > cv + 1e-9 {
                    let pool = pool_of(a, o, t).expect("an eligible pair has a pool");
                    Phrase::new(
                        "coord.worthMore",
                        [
                            name,
                            ("value", amount_arg(v)),
                            ("chosen_value", amount_arg(cv)),
                            ("days", amount_arg(a.days_after[pool].max(0.0))),
                            ("budget", amount_arg(a.budget_after[pool].max(0.0))),
                            ("effort", amount_arg(task.effort_days)),
                            ("cost", amount_arg(task.budget)),
                        ],
                    )
                } else if org.level.rank() > c.level.rank() {
                    Phrase::new(
                        "coord.higherLevel",
                        [
                            name,
                            ("level", json!(org.level.as_str())),
                            ("chosen", json!(c.org)),
                            ("chosen_level", json!(c.level.as_str())),
                        ],
                    )
                } else if v < cv - 1e-9 {
                    Phrase::new(
                        "coord.lowerAdvantage",
                        [
                            name,
                            ("type", json!(task.task_type.as_str())),
                            ("advantage", score_arg(org.advantage(task.task_type))),
                            ("chosen_advantage", score_arg(c.advantage(task.task_type))),
                        ],
                    )
                } else {
                    Phrase::new("coord.asGood", [name, ("chosen", json!(c.org))])
                }
            }
        };
        out.push(Alternative {
            org: org.org.clone(),
            why_not: why_not.english(),
            why_not_phrase: why_not,
        });
    }
    out
}

/// Why a dependency of `t` cannot be satisfied, if one cannot.
pub(crate) fn dependency_problem(
    problem: &Problem,
    task_index: &HashMap<Uuid, usize>,
    committed: &[bool],
    possible: &[bool],
    t: usize,
) -> Option<Phrase> {
    let hidden = problem.tasks[t].hidden_dependencies;
    if hidden > 0 {
        return Some(Phrase::new(
            if hidden == 1 {
                "coord.dependsHidden.one"
            } else {
                "coord.dependsHidden.other"
            },
            [("n", json!(hidden))],
        ));
    }
    for d in &problem.tasks[t].depends_on {
        let task = ("task", json!(d.to_string()));
        match task_index.get(d) {
            None => return Some(Phrase::new("coord.dependsMissing", [task])),
            Some(&di) if committed[di] => {}
            Some(&di) if !problem.tasks[di].status.is_allocatable() => {
                return Some(Phrase::new(
                    "coord.dependsStatus",
                    [
                        task,
                        ("title", json!(problem.tasks[di].title)),
                        ("status", json!(problem.tasks[di].status.to_string())),
                    ],
                ))
            }
            Some(&di) if !possible[di] => {
                return Some(Phrase::new(
                    "coord.dependsNobody",
                    [task, ("title", json!(problem.tasks[di].title))],
                ))
            }
            Some(_) => {}
        }
    }
    None
}

fn binding_of(w: &Why) -> Binding {
    match w {
        Why::Excluded { .. } => Binding::Excluded,
        Why::Declined => Binding::Declined,
        Why::NoMandate => Binding::NoMandate,
        Why::OutOfScope { .. } => Binding::OutOfScope,
        Why::ConsentMissing { .. } => Binding::ConsentMissing,
        Why::NoCapacityPeriod | Why::TooBig { .. } => Binding::CapacityExhausted,
    }
}

/// The constraint that binds for an unassigned task, and its explanation.
pub(crate) fn binding(a: &Analysis, t: usize) -> (Binding, Phrase) {
    let p = a.problem;
    let task = &p.tasks[t];
    let task_type = ("type", json!(task.task_type.as_str()));
    let eligible: Vec<usize> = (0..p.organisations.len())
        .filter(|&o| a.why[t][o].is_none())
        .collect();
    if eligible.is_empty() {
        // Nobody can: no mandate anywhere, or the most common reason among those that
        // hold the mandate.
        let mandated: Vec<usize> = (0..p.organisations.len())
            .filter(|&o| p.organisations[o].has_mandate(task.task_type))
            .collect();
        if mandated.is_empty() {
            return (
                Binding::NoMandate,
                Phrase::new("coord.nobodyMandated", [task_type]),
            );
        }
        let mut counts: Vec<(Binding, usize)> = Vec::new();
        for &o in &mandated {
            let b = binding_of(a.why[t][o].as_ref().expect("not eligible"));
            match counts.iter_mut().find(|(k, _)| *k == b) {
                Some((_, n)) => *n += 1,
                None => counts.push((b, 1)),
            }
        }
        let top = counts
            .iter()
            .max_by_key(|(_, n)| *n)
            .map(|(b, _)| *b)
            .expect("some mandated organisation");
        let details: Vec<Phrase> = mandated
            .iter()
            .map(|&o| why_not(p, t, o, a.why[t][o].as_ref().expect("not eligible")))
            .collect();
        let n = counts
            .iter()
            .find(|(b, _)| *b == top)
            .map_or(0, |(_, n)| *n);
        return (
            top,
            Phrase::new(
                "coord.noneEligible",
                [
                    ("n", json!(n)),
                    ("mandated", json!(mandated.len())),
                    task_type,
                    ("details", phrase::list(details)),
                ],
            ),
        );
    }
    if !a.possible[t] {
        let d = dependency_problem(p, &a.task_index, &a.committed, &a.possible, t)
            .unwrap_or_else(|| Phrase::new("coord.dependency", []));
        return (Binding::DependencyUnassigned, d);
    }
    for d in &task.depends_on {
        if let Some(&di) = a.task_index.get(d) {
            if !a.committed[di] && a.chosen[di].is_none() {
                return (
                    Binding::DependencyUnassigned,
                    Phrase::new(
                        "coord.dependsUnassigned",
                        [
                            ("task", json!(d.to_string())),
                            ("title", json!(p.tasks[di].title)),
                        ],
                    ),
                );
            }
        }
    }
    let details: Vec<Phrase> = eligible
        .iter()
        .map(|&o| {
            let pool = pool_of(a, o, t).expect("an eligible pair has a pool");
            Phrase::new(
                "coord.capacityLeft",
                [
                    ("org", json!(p.organisations[o].org)),
                    ("days", amount_arg(a.days_after[pool].max(0.0))),
                    ("budget", amount_arg(a.budget_after[pool].max(0.0))),
                ],
            )
        })
        .collect();
    (
        Binding::CapacityExhausted,
        Phrase::new(
            "coord.capacityTaken",
            [
                ("deadline", json!(task.deadline.to_string())),
                ("effort", amount_arg(task.effort_days)),
                ("cost", amount_arg(task.budget)),
                ("details", phrase::list(details)),
            ],
        ),
    )
}

/// Why the pins of a part cannot all hold.
pub(crate) fn pins_infeasible(
    problem: &Problem,
    group: &[usize],
    pinned: &[Option<usize>],
    pairs_of: &[Vec<Pair>],
    pools: &[Pool],
) -> String {
    let mut days: HashMap<usize, f64> = HashMap::new();
    let mut budget: HashMap<usize, f64> = HashMap::new();
    for &t in group {
        if pinned[t].is_some() {
            if let Some(pair) = pairs_of[t].first() {
                *days.entry(pair.pool).or_default() += problem.tasks[t].effort_days;
                *budget.entry(pair.pool).or_default() += problem.tasks[t].budget;
            }
        }
    }
    for (pool, d) in &days {
        let pl = &pools[*pool];
        let b = budget[pool];
        if !crate::rules::fits(*d, pl.days_left) || !crate::rules::fits(b, pl.budget_left) {
            let c = &problem.organisations[pl.org].capacity[pl.period];
            return format!(
                "the pins to {} need {} person-days and a budget of {} in {}–{}, more than the {} and {} left",
                problem.organisations[pl.org].org,
                num(*d),
                num(b),
                c.from,
                c.until,
                num(pl.days_left),
                num(pl.budget_left)
            );
        }
    }
    "the pins cannot all hold together with their dependencies and the capacities".into()
}
