//! Allocation: optimality against brute force on small instances, no violated constraint on
//! large ones, the decline and consent flows, what-if pins and exclusions.

use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;
use vigie_coord::rules::value;
use vigie_coord::{solve, Binding, CoordError, Exclude, Pin, Problem, ProblemTask, Solution};
use vigie_core::coordination::{
    Advantage, CapacityPeriod, CoordinationProfile, OrgLevel, ScopeWindow, TaskType,
};
use vigie_core::task::TaskStatus;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Independent check of every rule (docs/coordination.md): returns the violations.
fn violations(p: &Problem, s: &Solution) -> Vec<String> {
    let mut out = Vec::new();
    let orgs: HashMap<&str, &CoordinationProfile> = p
        .organisations
        .iter()
        .map(|o| (o.org.as_str(), o))
        .collect();
    let tasks: HashMap<Uuid, &ProblemTask> = p.tasks.iter().map(|t| (t.id, t)).collect();
    let assigned: HashMap<Uuid, &str> = s
        .assignments
        .iter()
        .map(|a| (a.task, a.org.as_str()))
        .collect();
    if assigned.len() != s.assignments.len() {
        out.push("a task assigned twice".into());
    }
    let mut used: HashMap<(&str, usize), (f64, f64)> = HashMap::new();
    for t in p.tasks.iter().filter(|t| t.status.is_committed()) {
        if let Some(o) = t.assignee.as_deref().and_then(|a| orgs.get(a)) {
            if let Some(k) = o.capacity.iter().position(|c| c.contains(t.deadline)) {
                let e = used.entry((o.org.as_str(), k)).or_default();
                e.0 += t.effort_days;
                e.1 += t.budget;
            }
        }
    }
    for (id, org) in &assigned {
        let t = tasks[id];
        let o = orgs[org];
        if !t.status.is_allocatable() {
            out.push(format!("{id}: not allocatable"));
        }
        if !o.mandates.contains(&t.task_type) {
            out.push(format!("{id}: {org} has no mandate"));
        }
        let mut window_consent = false;
        for c in &t.countries {
            match o
                .scope
                .iter()
                .find(|w| w.country == *c && w.contains(p.as_of))
            {
                None => out.push(format!("{id}: {org} out of scope in {c}")),
                Some(w) => window_consent |= w.consent_required,
            }
        }
        if (t.consent_required || window_consent) && !t.consent_obtained {
            out.push(format!("{id}: consent missing for {org}"));
        }
        if t.declined_by.iter().any(|x| x == org) {
            out.push(format!("{id}: {org} declined"));
        }
        if p.excludes
            .iter()
            .any(|e| e.org == *org && e.task.is_none_or(|x| x == *id))
        {
            out.push(format!("{id}: {org} excluded"));
        }
        match o.capacity.iter().position(|c| c.contains(t.deadline)) {
            None => out.push(format!("{id}: {org} has no capacity period")),
            Some(k) => {
                let e = used.entry((o.org.as_str(), k)).or_default();
                e.0 += t.effort_days;
                e.1 += t.budget;
            }
        }
        for dep in &t.depends_on {
            let ok = tasks.get(dep).is_some_and(|d| d.status.is_committed())
                || assigned.contains_key(dep);
            if !ok {
                out.push(format!("{id}: dependency {dep} not satisfied"));
            }
        }
    }
    for ((org, k), (days, budget)) in used {
        let c = &orgs[org].capacity[k];
        if days > c.person_days * (1.0 + 1e-6) + 1e-6 || budget > c.budget * (1.0 + 1e-6) + 1e-6 {
            // Committed tasks alone may already exceed it; only new assignments count.
            let assigned_here = s
                .assignments
                .iter()
                .any(|a| a.org == org && c.contains(tasks[&a.task].deadline));
            if assigned_here {
                out.push(format!("{org} period {k} over capacity: {days} / {budget}"));
            }
        }
    }
    for pin in &p.pins {
        if assigned.get(&pin.task) != Some(&pin.org.as_str()) {
            out.push(format!("pin {} → {} not honoured", pin.task, pin.org));
        }
    }
    // Every allocatable task is either assigned or unassigned with a reason, once.
    let n = p.tasks.iter().filter(|t| t.status.is_allocatable()).count();
    if s.assignments.len() + s.unassigned.len() != n {
        out.push("not every open task is accounted for".into());
    }
    let objective: f64 = s
        .assignments
        .iter()
        .map(|a| value(tasks[&a.task], orgs[a.org.as_str()]))
        .sum();
    if (objective - s.objective).abs() > 1e-6 * objective.abs().max(1.0) {
        out.push(format!(
            "objective {} but assignments add to {objective}",
            s.objective
        ));
    }
    out
}

/// The best objective by enumerating every assignment (each task: nobody or one
/// organisation) and keeping those with no violation.
fn brute_force(p: &Problem) -> f64 {
    let open: Vec<usize> = (0..p.tasks.len())
        .filter(|&i| p.tasks[i].status.is_allocatable())
        .collect();
    let k = p.organisations.len() + 1;
    let total = k.pow(open.len() as u32);
    let mut best = 0.0f64;
    for code in 0..total {
        let mut c = code;
        let mut s = Solution {
            as_of: p.as_of,
            optimal: true,
            objective: 0.0,
            bound: 0.0,
            assignments: vec![],
            unassigned: vec![],
            capacity: vec![],
            stats: solve(&Problem {
                tasks: vec![],
                pins: vec![],
                excludes: vec![],
                ..p.clone()
            })
            .unwrap()
            .stats,
            solve_ms: 0.0,
        };
        let mut obj = 0.0;
        for &t in &open {
            let choice = c % k;
            c /= k;
            if choice == 0 {
                s.unassigned.push(vigie_coord::Unassigned {
                    task: p.tasks[t].id,
                    binding: Binding::NoMandate,
                    explanation: String::new(),
                    explanation_phrase: vigie_coord::Phrase::new("coord.dependency", []),
                });
            } else {
                let o = &p.organisations[choice - 1];
                obj += value(&p.tasks[t], o);
                s.assignments.push(vigie_coord::Assignment {
                    task: p.tasks[t].id,
                    org: o.org.clone(),
                    value: 0.0,
                    pinned: false,
                    reason: String::new(),
                    reason_phrases: vec![],
                    note: String::new(),
                    alternatives: vec![],
                });
            }
        }
        s.objective = obj;
        if obj > best && violations(p, &s).is_empty() {
            best = obj;
        }
    }
    best
}

const TYPES: [TaskType; 3] = [
    TaskType::Mediation,
    TaskType::EarlyWarning,
    TaskType::BorderSecurity,
];
const CS: [&str; 2] = ["MLI", "NER"];

prop_compose! {
    fn small_org(i: usize)(
        level in 0usize..5,
        mandates in proptest::collection::vec(any::<bool>(), 3),
        windows in proptest::collection::vec((0usize..2, 0u32..3, any::<bool>(), any::<bool>()), 0..3),
        cap in proptest::collection::vec((0u32..12, 0u32..8), 1..3),
        adv in proptest::collection::vec(0u32..=10, 3),
    ) -> CoordinationProfile {
        CoordinationProfile {
            org: format!("org{i}"),
            level: OrgLevel::ALL[level],
            mandates: TYPES.iter().zip(&mandates).filter(|(_, m)| **m).map(|(t, _)| *t).collect(),
            scope: windows.iter().map(|&(c, from, open, consent)| ScopeWindow {
                country: CS[c].into(),
                // as_of is 2025-03-01: some windows start after it, some end before it.
                from: [d("2024-01-01"), d("2025-02-01"), d("2025-04-01")][from as usize],
                until: if open { None } else { Some(d("2025-03-01")) },
                consent_required: consent,
            }).filter(|w| w.until.is_none_or(|u| w.from < u)).collect(),
            capacity: cap.iter().enumerate().map(|(k, &(days, budget))| CapacityPeriod {
                from: [d("2025-01-01"), d("2025-07-01")][k],
                until: [d("2025-07-01"), d("2026-01-01")][k],
                person_days: f64::from(days),
                budget: f64::from(budget),
            }).collect(),
            advantages: TYPES.iter().zip(&adv).map(|(t, a)| Advantage {
                task_type: *t, score: f64::from(*a) / 10.0, rationale: String::new(),
            }).collect(),
        }
    }
}

fn small_problem() -> impl Strategy<Value = Problem> {
    (1usize..=3, 1usize..=6).prop_flat_map(|(n_orgs, n_tasks)| {
        let orgs: Vec<_> = (0..n_orgs).map(small_org).collect();
        let tasks = proptest::collection::vec(
            (
                0usize..3,
                0usize..3,
                1u32..6,
                0u32..4,
                any::<bool>(),
                1u8..=5,
                (any::<bool>(), any::<bool>(), 0usize..8),
                (0usize..6, 0usize..10),
            ),
            n_tasks,
        );
        (orgs, tasks).prop_map(move |(orgs, raw)| {
            let ids: Vec<Uuid> = (0..raw.len())
                .map(|i| Uuid::from_u128(i as u128 + 1))
                .collect();
            let tasks = raw
                .iter()
                .enumerate()
                .map(
                    |(
                        i,
                        &(
                            ty,
                            c,
                            effort,
                            budget,
                            late,
                            priority,
                            (creq, cobt, declined),
                            (dep, status),
                        ),
                    )| {
                        ProblemTask {
                            id: ids[i],
                            title: format!("task {i}"),
                            task_type: TYPES[ty],
                            countries: match c {
                                0 => vec!["MLI".into()],
                                1 => vec!["NER".into()],
                                _ => vec!["MLI".into(), "NER".into()],
                            },
                            effort_days: f64::from(effort),
                            budget: f64::from(budget),
                            deadline: if late {
                                d("2025-09-01")
                            } else {
                                d("2025-03-15")
                            },
                            priority,
                            depends_on: if dep < i && dep % 2 == 0 {
                                vec![ids[dep]]
                            } else {
                                vec![]
                            },
                            hidden_dependencies: 0,
                            consent_required: creq,
                            consent_obtained: cobt,
                            declined_by: if declined < n_orgs {
                                vec![format!("org{declined}")]
                            } else {
                                vec![]
                            },
                            status: match status {
                                0 => TaskStatus::Accepted,
                                1 => TaskStatus::Declined,
                                2 => TaskStatus::Failed,
                                _ => TaskStatus::Open,
                            },
                            assignee: if status == 0 {
                                Some("org0".into())
                            } else {
                                None
                            },
                        }
                    },
                )
                .collect();
            Problem {
                as_of: d("2025-03-01"),
                organisations: orgs,
                tasks,
                pins: vec![],
                excludes: vec![],
                time_limit_secs: None,
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn optimal_against_brute_force(p in small_problem()) {
        let s = solve(&p).unwrap();
        prop_assert!(s.optimal);
        let v = violations(&p, &s);
        prop_assert!(v.is_empty(), "{v:?}");
        let best = brute_force(&p);
        prop_assert!((s.objective - best).abs() <= 1e-6 * best.max(1.0),
            "solver {} vs brute force {best}", s.objective);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn large_instances_violate_nothing(seed in any::<u64>()) {
        let mut p = vigie_coord::synthetic::sahel(300, 15, seed);
        p.time_limit_secs = Some(3.0);
        // Some declines and exclusions too.
        let orgs: Vec<String> = p.organisations.iter().map(|o| o.org.clone()).collect();
        for (i, t) in p.tasks.iter_mut().enumerate() {
            if i % 7 == 0 {
                t.declined_by.push(orgs[i % orgs.len()].clone());
            }
        }
        p.excludes.push(Exclude { org: orgs[3].clone(), task: None, reason: None, unreadable: None });
        let s = solve(&p).unwrap();
        let v = violations(&p, &s);
        prop_assert!(v.is_empty(), "{v:?}");
        prop_assert!(s.bound >= s.objective - 1e-6);
        for a in &s.assignments {
            prop_assert_eq!(a.alternatives.len(), p.organisations.len() - 1);
            prop_assert!(!a.reason.is_empty());
            // The shared note is a function of the task and the organisation alone.
            let t = p.tasks.iter().find(|t| t.id == a.task).unwrap();
            let o = p.organisations.iter().find(|o| o.org == a.org).unwrap();
            prop_assert_eq!(&a.note, &vigie_coord::shared_note(t, o, p.as_of, a.pinned));
        }
    }
}

/// Parts beyond the mixed-integer solver's size (`MAX_MIP_PAIRS`) take the Lagrangian path:
/// its assignments must break no rule either, and its bound must hold.
#[test]
fn a_part_too_large_for_the_mip_violates_nothing() {
    // 2,500 tasks: capacity suffices overall; 5,000: it runs out (the benchmark's size).
    for (n, seed) in [(2500, 1), (2500, 7), (5000, 2)] {
        let mut p = vigie_coord::synthetic::sahel(n, 40, seed);
        let orgs: Vec<String> = p.organisations.iter().map(|o| o.org.clone()).collect();
        for (i, t) in p.tasks.iter_mut().enumerate() {
            if i % 11 == 0 {
                t.declined_by.push(orgs[i % orgs.len()].clone());
            }
        }
        let s = solve(&p).unwrap();
        assert!(s.stats.priced_components >= 1, "{:?}", s.stats);
        let v = violations(&p, &s);
        assert!(v.is_empty(), "seed {seed}: {v:?}");
        assert!(s.bound >= s.objective - 1e-6);
    }
}

// ---- Scenarios -------------------------------------------------------------------------

fn org(
    name: &str,
    level: OrgLevel,
    mandates: &[TaskType],
    countries: &[&str],
    days: f64,
) -> CoordinationProfile {
    CoordinationProfile {
        org: name.into(),
        level,
        mandates: mandates.to_vec(),
        scope: countries
            .iter()
            .map(|c| ScopeWindow::open(c, d("2020-01-01")))
            .collect(),
        capacity: vec![CapacityPeriod {
            from: d("2025-01-01"),
            until: d("2026-01-01"),
            person_days: days,
            budget: 1e6,
        }],
        advantages: mandates
            .iter()
            .map(|t| Advantage {
                task_type: *t,
                score: 0.5,
                rationale: format!("{name} experience"),
            })
            .collect(),
    }
}

fn task(n: u128, ty: TaskType, country: &str, effort: f64) -> ProblemTask {
    ProblemTask {
        id: Uuid::from_u128(n),
        title: format!("task {n}"),
        task_type: ty,
        countries: vec![country.into()],
        effort_days: effort,
        budget: 1000.0,
        deadline: d("2025-06-01"),
        priority: 3,
        depends_on: vec![],
        hidden_dependencies: 0,
        consent_required: false,
        consent_obtained: false,
        declined_by: vec![],
        status: TaskStatus::Open,
        assignee: None,
    }
}

/// ECOWAS (regional), the AU (continental) and the UN (global) can all mediate in Mali.
fn mali() -> Problem {
    let mut ecowas = org(
        "ecowas",
        OrgLevel::Regional,
        &[TaskType::Mediation],
        &[],
        100.0,
    );
    ecowas.scope = vec![
        ScopeWindow::open("MLI", d("2000-01-01")).ending(d("2025-01-29")),
        ScopeWindow::open("MLI", d("2025-01-29")).with_consent(),
    ];
    ecowas.advantages[0].score = 0.9;
    Problem {
        as_of: d("2025-03-01"),
        organisations: vec![
            ecowas,
            org(
                "au-psc",
                OrgLevel::Continental,
                &[TaskType::Mediation],
                &["MLI"],
                100.0,
            ),
            org(
                "un-dppa",
                OrgLevel::Global,
                &[TaskType::Mediation],
                &["MLI"],
                100.0,
            ),
        ],
        tasks: vec![task(1, TaskType::Mediation, "MLI", 20.0)],
        pins: vec![],
        excludes: vec![],
        time_limit_secs: None,
    }
}

#[test]
fn ecowas_in_mali_after_withdrawal_needs_consent() {
    let mut p = mali();
    let s = solve(&p).unwrap();
    assert_eq!(s.assignments[0].org, "au-psc");
    let why = &s.assignments[0]
        .alternatives
        .iter()
        .find(|a| a.org == "ecowas")
        .unwrap()
        .why_not;
    assert!(why.contains("consent") && why.contains("MLI"), "{why}");
    let un = &s.assignments[0]
        .alternatives
        .iter()
        .find(|a| a.org == "un-dppa")
        .unwrap()
        .why_not;
    assert!(un.contains("subsidiarity"), "{un}");

    // Consent obtained: ECOWAS, the lowest competent level, gets it.
    p.tasks[0].consent_obtained = true;
    let s = solve(&p).unwrap();
    assert_eq!(s.assignments[0].org, "ecowas");
    assert!(
        s.assignments[0].reason.contains("consent"),
        "{}",
        s.assignments[0].reason
    );
    assert!(s.assignments[0].reason.contains("lowest competent level"));

    // Before the withdrawal no consent was needed.
    p.tasks[0].consent_obtained = false;
    p.as_of = d("2024-12-01");
    assert_eq!(solve(&p).unwrap().assignments[0].org, "ecowas");
}

#[test]
fn consent_missing_is_the_binding_constraint() {
    let mut p = mali();
    p.tasks[0].consent_required = true;
    let s = solve(&p).unwrap();
    assert!(s.assignments.is_empty());
    assert_eq!(s.unassigned[0].binding, Binding::ConsentMissing);
    assert!(s.unassigned[0].explanation.contains("consent"));
    p.tasks[0].consent_obtained = true;
    assert_eq!(solve(&p).unwrap().assignments[0].org, "ecowas");
}

#[test]
fn decline_moves_the_task_elsewhere() {
    let mut p = mali();
    p.tasks[0].consent_obtained = true;
    assert_eq!(solve(&p).unwrap().assignments[0].org, "ecowas");
    p.tasks[0].declined_by.push("ecowas".into());
    p.tasks[0].status = TaskStatus::Declined;
    let s = solve(&p).unwrap();
    assert_eq!(s.assignments[0].org, "au-psc");
    assert!(s.assignments[0]
        .alternatives
        .iter()
        .any(|a| a.org == "ecowas" && a.why_not.contains("declined")));
    p.tasks[0]
        .declined_by
        .extend(["au-psc".into(), "un-dppa".into()]);
    let s = solve(&p).unwrap();
    assert_eq!(s.unassigned[0].binding, Binding::Declined);
}

#[test]
fn no_mandate_scope_and_capacity_bind() {
    let mut p = mali();
    p.tasks.push(task(2, TaskType::StandbyForce, "MLI", 5.0));
    p.tasks.push(task(3, TaskType::Mediation, "SEN", 5.0));
    let s = solve(&p).unwrap();
    let b: HashMap<Uuid, Binding> = s.unassigned.iter().map(|u| (u.task, u.binding)).collect();
    assert_eq!(b[&Uuid::from_u128(2)], Binding::NoMandate);
    assert_eq!(b[&Uuid::from_u128(3)], Binding::OutOfScope);

    // Three tasks of 60 days for AU and UN with 100 days each: one is left over.
    let mut p = mali();
    p.tasks = (1..=3)
        .map(|i| task(i, TaskType::Mediation, "MLI", 60.0))
        .collect();
    p.tasks[2].priority = 1;
    let s = solve(&p).unwrap();
    assert!(s.optimal);
    assert_eq!(s.assignments.len(), 2);
    assert_eq!(
        s.unassigned[0].task,
        Uuid::from_u128(3),
        "the lowest priority waits"
    );
    assert_eq!(s.unassigned[0].binding, Binding::CapacityExhausted);
}

/// An urgent task waiting on a minor one, in an organisation already full of middling
/// tasks: the best assignment drops the middling ones for the pair. The mixed-integer
/// solver finds it, and so does the path for large parts (forced here by a time limit that
/// has run out before the solve starts), which must place the dependency for the task.
#[test]
fn an_urgent_task_brings_its_minor_dependency_in() {
    let a = org(
        "gov-mli",
        OrgLevel::National,
        &[TaskType::Mediation],
        &["MLI"],
        20.0,
    );
    let mut tasks = vec![
        task(1, TaskType::Mediation, "MLI", 10.0),
        task(2, TaskType::Mediation, "MLI", 10.0),
        task(3, TaskType::Mediation, "MLI", 10.0),
        task(4, TaskType::Mediation, "MLI", 10.0),
    ];
    tasks[0].priority = 2;
    tasks[1].priority = 2;
    tasks[2].priority = 1; // the dependency
    tasks[3].priority = 5;
    tasks[3].depends_on = vec![Uuid::from_u128(3)];
    let mut p = Problem {
        as_of: d("2025-03-01"),
        organisations: vec![a],
        tasks,
        pins: vec![],
        excludes: vec![],
        time_limit_secs: None,
    };
    let exact = solve(&p).unwrap();
    assert!(exact.optimal);
    let assigned = |s: &Solution| {
        let mut v: Vec<u128> = s.assignments.iter().map(|a| a.task.as_u128()).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(assigned(&exact), [3, 4]);
    p.time_limit_secs = Some(1e-9);
    let priced = solve(&p).unwrap();
    assert_eq!(priced.stats.priced_components, 1, "{:?}", priced.stats);
    assert_eq!(assigned(&priced), [3, 4]);
    assert!(violations(&p, &priced).is_empty());
    assert!((priced.objective - exact.objective).abs() < 1e-6);
    assert!(priced.bound >= exact.objective - 1e-6);
}

#[test]
fn dependencies() {
    let mut p = mali();
    let mut t2 = task(2, TaskType::Mediation, "MLI", 10.0);
    t2.depends_on = vec![Uuid::from_u128(9)];
    p.tasks.push(t2);
    let s = solve(&p).unwrap();
    let u = s
        .unassigned
        .iter()
        .find(|u| u.task == Uuid::from_u128(2))
        .unwrap();
    assert_eq!(u.binding, Binding::DependencyUnassigned);
    // A dependency already accepted counts as satisfied.
    let mut dep = task(9, TaskType::Mediation, "MLI", 10.0);
    dep.status = TaskStatus::Accepted;
    dep.assignee = Some("au-psc".into());
    p.tasks.push(dep);
    let s = solve(&p).unwrap();
    assert!(s.assignments.iter().any(|a| a.task == Uuid::from_u128(2)));
    assert!(violations(&p, &s).is_empty());
}

/// A dependency the allocating reader may not see keeps the task unassigned, and the
/// explanation counts it without naming it.
#[test]
fn a_hidden_dependency_is_counted_never_named() {
    let mut p = mali();
    p.tasks[0].hidden_dependencies = 1;
    let s = solve(&p).unwrap();
    assert!(s.assignments.is_empty());
    assert_eq!(s.unassigned[0].binding, Binding::DependencyUnassigned);
    assert!(
        s.unassigned[0]
            .explanation
            .contains("1 task you may not see"),
        "{}",
        s.unassigned[0].explanation
    );
}

/// What an applied allocation stores in a task's shared history derives from that task and
/// the chosen organisation's profile alone (threat 28): the full reason says how much
/// capacity is left after the other tasks; the note is the same with or without them.
#[test]
fn shared_notes_never_derive_from_other_tasks() {
    let ecowas = org(
        "ecowas",
        OrgLevel::Regional,
        &[TaskType::Mediation],
        &["BEN"],
        60.0,
    );
    let mut hidden = task(1, TaskType::Mediation, "BEN", 3.0);
    hidden.status = TaskStatus::Accepted;
    hidden.assignee = Some("ecowas".into());
    let shared = task(2, TaskType::Mediation, "BEN", 0.5);
    let problem = |tasks: Vec<ProblemTask>| Problem {
        as_of: d("2025-03-01"),
        organisations: vec![ecowas.clone()],
        tasks,
        pins: vec![Pin {
            task: Uuid::from_u128(2),
            org: "ecowas".into(),
        }],
        excludes: vec![],
        time_limit_secs: None,
    };
    let with = solve(&problem(vec![hidden, shared.clone()])).unwrap();
    let without = solve(&problem(vec![shared.clone()])).unwrap();
    let (a, b) = (&with.assignments[0], &without.assignments[0]);
    assert!(a.reason.contains("57 person-days left"), "{}", a.reason);
    assert!(b.reason.contains("60 person-days left"), "{}", b.reason);
    assert_eq!(a.note, b.note);
    assert!(
        !a.note.contains("57") && !a.note.contains("person-days"),
        "{}",
        a.note
    );
    assert_eq!(
        a.note,
        vigie_coord::shared_note(&shared, &ecowas, d("2025-03-01"), true)
    );
}

#[test]
fn what_if_pin_and_exclude() {
    let mut p = mali();
    p.pins.push(Pin {
        task: Uuid::from_u128(1),
        org: "un-dppa".into(),
    });
    let s = solve(&p).unwrap();
    assert_eq!(s.assignments[0].org, "un-dppa");
    assert!(s.assignments[0].pinned);

    // A pin to an organisation that cannot do it is an error that says why.
    p.pins[0].org = "ecowas".into();
    match solve(&p) {
        Err(CoordError::PinInfeasible(m)) => assert!(m.contains("consent"), "{m}"),
        other => panic!("{other:?}"),
    }
    p.pins.clear();

    p.excludes.push(Exclude {
        org: "au-psc".into(),
        task: None,
        reason: None,
        unreadable: None,
    });
    let s = solve(&p).unwrap();
    assert_eq!(s.assignments[0].org, "un-dppa");
    p.excludes[0].task = Some(Uuid::from_u128(1));
    p.excludes.push(Exclude {
        org: "un-dppa".into(),
        task: None,
        reason: None,
        unreadable: None,
    });
    let s = solve(&p).unwrap();
    assert_eq!(s.unassigned[0].binding, Binding::Excluded);
}

#[test]
fn pins_beyond_capacity_are_an_error() {
    let mut p = mali();
    p.tasks = (1..=3)
        .map(|i| task(i, TaskType::Mediation, "MLI", 60.0))
        .collect();
    p.pins = (1..=2)
        .map(|i| Pin {
            task: Uuid::from_u128(i),
            org: "au-psc".into(),
        })
        .collect();
    match solve(&p) {
        Err(CoordError::PinInfeasible(m)) => assert!(m.contains("au-psc"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_in_and_out() {
    let p = mali();
    let json = serde_json::to_string_pretty(&p).unwrap();
    let back: Problem = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    let s = solve(&back).unwrap();
    let v: serde_json::Value = serde_json::to_value(&s).unwrap();
    assert!(v["assignments"][0]["alternatives"].is_array());
    // The documented example parses and solves.
    let doc = include_str!("../../../../docs/coordination.md");
    let start = doc.find("```json\n").unwrap() + 8;
    let end = start + doc[start..].find("```").unwrap();
    let p: Problem = serde_json::from_str(&doc[start..end]).unwrap();
    let s = solve(&p).unwrap();
    assert!(s.optimal && !s.assignments.is_empty());
    assert!(violations(&p, &s).is_empty());
}

#[test]
fn invalid_input_names_the_field() {
    let mut p = mali();
    p.organisations[1].advantages[0].score = 2.0;
    let e = solve(&p).unwrap_err().to_string();
    assert!(e.contains("score: 2"), "{e}");
    let mut p = mali();
    p.tasks[0].priority = 9;
    assert!(solve(&p).unwrap_err().to_string().contains("priority: 9"));
}

/// Every explanation is also a list of codes with arguments (which the UI words in its
/// reader's language), and its English is exactly those codes' English.
#[test]
fn explanations_are_codes_with_arguments() {
    use vigie_coord::phrase::{english, ENGLISH};
    let known = |code: &str| ENGLISH.iter().any(|(c, _)| *c == code);
    let mut p = mali();
    p.tasks[0].consent_obtained = true;
    let s = solve(&p).unwrap();
    let a = &s.assignments[0];
    let codes: Vec<&str> = a.reason_phrases.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "coord.mandateConsent",
            "coord.lowestLevel",
            "coord.advantageWhy",
            "coord.uses"
        ]
    );
    assert_eq!(a.reason_phrases[0].args["org"], "ecowas");
    assert_eq!(a.reason_phrases[0].args["countries"], "MLI");
    assert_eq!(english(&a.reason_phrases), a.reason);
    assert!(!a.alternatives.is_empty());
    for alt in &a.alternatives {
        assert!(known(&alt.why_not_phrase.code), "{:?}", alt.why_not_phrase);
        assert_eq!(alt.why_not_phrase.english(), alt.why_not);
        assert_eq!(alt.why_not_phrase.args["org"], alt.org.as_str());
    }
    let un = a.alternatives.iter().find(|x| x.org == "un-dppa").unwrap();
    assert_eq!(un.why_not_phrase.code, "coord.higherLevel");
    assert_eq!(un.why_not_phrase.args["chosen"], "ecowas");
    // Unassigned: the binding constraint's explanation, with the reasons of each organisation
    // nested as phrases.
    p.tasks[0].consent_obtained = false;
    p.tasks[0].consent_required = true;
    let s = solve(&p).unwrap();
    let u = &s.unassigned[0];
    assert_eq!(u.explanation_phrase.code, "coord.noneEligible");
    assert_eq!(u.explanation_phrase.english(), u.explanation);
    let details = u.explanation_phrase.args["details"].as_array().unwrap();
    assert!(!details.is_empty());
    for d in details {
        let d: vigie_coord::Phrase = serde_json::from_value(d.clone()).unwrap();
        assert!(known(&d.code), "{d:?}");
        assert!(u.explanation.contains(&d.english()));
    }
}
