//! Plain-language reasons: why this organisation, why not the others, and what keeps a task
//! unassigned.

use std::collections::HashMap;

use uuid::Uuid;

use chrono::NaiveDate;
use vigie_core::coordination::CoordinationProfile;

use crate::model::{Analysis, Pair, Pool};
use crate::problem::{Problem, ProblemTask};
use crate::rules::Why;
use crate::solution::{Alternative, Binding};

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Why `org` may not take task `t`, in words.
pub(crate) fn why_not(problem: &Problem, t: usize, o: usize, why: &Why) -> String {
    let task = &problem.tasks[t];
    let org = &problem.organisations[o];
    match why {
        Why::Excluded { pair: false } => format!("{} is excluded (what-if)", org.org),
        Why::Excluded { pair: true } => {
            let reason = problem
                .excludes
                .iter()
                .find(|e| e.org == org.org && e.task == Some(task.id))
                .and_then(|e| e.reason.as_deref());
            match reason {
                Some(r) => format!("{} {r}", org.org),
                None => format!("{} is excluded for this task (what-if)", org.org),
            }
        }
        Why::Declined => format!("{} declined this task", org.org),
        Why::NoMandate => format!("{} has no {} mandate", org.org, task.task_type),
        Why::OutOfScope { country } => format!(
            "{} cannot act in {} on {} (out of scope)",
            org.org, task.countries[*country], problem.as_of
        ),
        Why::ConsentMissing { country: None } => format!(
            "the task needs host-state consent, not obtained, before {} can act",
            org.org
        ),
        Why::ConsentMissing { country: Some(c) } => format!(
            "{} needs host-state consent to act in {} on {}, not obtained",
            org.org, task.countries[*c], problem.as_of
        ),
        Why::NoCapacityPeriod => format!(
            "{} has no capacity period covering the deadline {}",
            org.org, task.deadline
        ),
        Why::TooBig {
            days_left,
            budget_left,
            ..
        } => format!(
            "{} has {} person-days and a budget of {} left for the period of the deadline {}; the task needs {} and {}",
            org.org,
            num(days_left.max(0.0)),
            num(budget_left.max(0.0)),
            task.deadline,
            num(task.effort_days),
            num(task.budget)
        ),
    }
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
) -> String {
    let mut s = String::new();
    if pinned {
        s.push_str("Pinned by a what-if. ");
    }
    s.push_str(&format!(
        "{} ({} level) holds the {} mandate and can act in {} on {}",
        org.org,
        org.level,
        task.task_type,
        task.countries.join(", "),
        as_of
    ));
    if task.consent_obtained
        && (task.consent_required
            || task
                .countries
                .iter()
                .any(|c| org.acts_in(c, as_of).is_some_and(|w| w.consent_required)))
    {
        s.push_str(", with the host-state consent it needs");
    }
    s.push_str(". ");
    s
}

/// The chosen organisation's comparative advantage for the task, from its profile.
fn advantage_part(task: &ProblemTask, org: &CoordinationProfile) -> String {
    match org.advantage_entry(task.task_type) {
        Some(adv) if !adv.rationale.is_empty() => format!(
            "Comparative advantage {:.2}: {}.",
            adv.score,
            adv.rationale.trim_end_matches('.')
        ),
        Some(adv) => format!("Comparative advantage {:.2}.", adv.score),
        None => "No comparative advantage recorded (0).".to_string(),
    }
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
    let mut s = mandate_part(task, org, as_of, pinned);
    s.push_str(&advantage_part(task, org));
    s
}

/// Why the chosen organisation.
pub(crate) fn reason(a: &Analysis, t: usize, o: usize) -> String {
    let p = a.problem;
    let task = &p.tasks[t];
    let org = &p.organisations[o];
    let mut s = mandate_part(task, org, p.as_of, a.pinned[t].is_some());
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
            s.push_str("It is the only competent organisation. ");
        } else {
            s.push_str(&format!(
                "It is at the lowest competent level among the {} eligible organisations (subsidiarity). ",
                eligible.len()
            ));
        }
    } else {
        let lower: Vec<&str> = eligible
            .iter()
            .filter(|&&k| p.organisations[k].level.rank() < org.level.rank())
            .map(|&k| p.organisations[k].org.as_str())
            .collect();
        s.push_str(&format!(
            "Lower levels ({}) are competent but their capacity goes to other tasks. ",
            lower.join(", ")
        ));
    }
    s.push_str(&advantage_part(task, org));
    if let Some(pool) = pool_of(a, o, t) {
        s.push_str(&format!(
            " It uses {} of the {} person-days left for {}–{}.",
            num(task.effort_days),
            num(a.pools[pool].days_left),
            p.organisations[o].capacity[a.pools[pool].period].from,
            p.organisations[o].capacity[a.pools[pool].period].until
        ));
    }
    s
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
        let why_not = match &a.why[t][o] {
            Some(w) => why_not(p, t, o, w),
            None if a.pinned[t].is_some() => format!(
                "{} is eligible, but the task is pinned to {} (what-if)",
                org.org, c.org
            ),
            None => {
                let v = a.values[t][o];
                if v > cv + 1e-9 {
                    let pool = pool_of(a, o, t).expect("an eligible pair has a pool");
                    format!(
                        "{} would be worth more here ({} vs {}), but its capacity for the period goes to tasks that add more in total: {} person-days and a budget of {} left after the allocation, the task needs {} and {}",
                        org.org,
                        num(v),
                        num(cv),
                        num(a.days_after[pool].max(0.0)),
                        num(a.budget_after[pool].max(0.0)),
                        num(task.effort_days),
                        num(task.budget)
                    )
                } else if org.level.rank() > c.level.rank() {
                    format!(
                        "{} is at a higher level ({}) than {} ({}): subsidiarity prefers the lowest competent level",
                        org.org, org.level, c.org, c.level
                    )
                } else if v < cv - 1e-9 {
                    format!(
                        "{} has a lower comparative advantage for {} ({:.2} vs {:.2})",
                        org.org,
                        task.task_type,
                        org.advantage(task.task_type),
                        c.advantage(task.task_type)
                    )
                } else {
                    format!(
                        "{} is as good (same level and advantage); the optimiser kept {}",
                        org.org, c.org
                    )
                }
            }
        };
        out.push(Alternative {
            org: org.org.clone(),
            why_not,
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
) -> Option<String> {
    let hidden = problem.tasks[t].hidden_dependencies;
    if hidden > 0 {
        return Some(format!(
            "it depends on {hidden} task{} you may not see, so whether {} taken on cannot be known here",
            if hidden == 1 { "" } else { "s" },
            if hidden == 1 { "it is" } else { "they are" }
        ));
    }
    for d in &problem.tasks[t].depends_on {
        match task_index.get(d) {
            None => {
                return Some(format!(
                    "it depends on task {d}, which is not in the problem"
                ))
            }
            Some(&di) if committed[di] => {}
            Some(&di) if !problem.tasks[di].status.is_allocatable() => {
                return Some(format!(
                    "it depends on task {d} ({:?}), which is {}",
                    problem.tasks[di].title, problem.tasks[di].status
                ))
            }
            Some(&di) if !possible[di] => {
                return Some(format!(
                    "it depends on task {d} ({:?}), which no organisation can take",
                    problem.tasks[di].title
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
pub(crate) fn binding(a: &Analysis, t: usize) -> (Binding, String) {
    let p = a.problem;
    let task = &p.tasks[t];
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
                format!(
                    "no organisation holds a {} mandate",
                    task.task_type.as_str()
                ),
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
        let details: Vec<String> = mandated
            .iter()
            .map(|&o| why_not(p, t, o, a.why[t][o].as_ref().expect("not eligible")))
            .collect();
        return (
            top,
            format!(
                "no eligible organisation: {} of the {} organisations with a {} mandate: {}",
                counts
                    .iter()
                    .find(|(b, _)| *b == top)
                    .map_or(0, |(_, n)| *n),
                mandated.len(),
                task.task_type,
                details.join("; ")
            ),
        );
    }
    if !a.possible[t] {
        let d = dependency_problem(p, &a.task_index, &a.committed, &a.possible, t)
            .unwrap_or_else(|| "a dependency cannot be assigned".into());
        return (Binding::DependencyUnassigned, d);
    }
    for d in &task.depends_on {
        if let Some(&di) = a.task_index.get(d) {
            if !a.committed[di] && a.chosen[di].is_none() {
                return (
                    Binding::DependencyUnassigned,
                    format!(
                        "it depends on task {d} ({:?}), left unassigned in this allocation",
                        p.tasks[di].title
                    ),
                );
            }
        }
    }
    let details: Vec<String> = eligible
        .iter()
        .map(|&o| {
            let pool = pool_of(a, o, t).expect("an eligible pair has a pool");
            format!(
                "{} has {} person-days and a budget of {} left",
                p.organisations[o].org,
                num(a.days_after[pool].max(0.0)),
                num(a.budget_after[pool].max(0.0))
            )
        })
        .collect();
    (
        Binding::CapacityExhausted,
        format!(
            "the eligible organisations' capacity for the period of the deadline {} goes to tasks that add more in total; the task needs {} person-days and a budget of {}: {}",
            task.deadline,
            num(task.effort_days),
            num(task.budget),
            details.join("; ")
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
