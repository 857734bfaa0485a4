//! The solver: prune, decompose, and solve each part that needs it as a mixed-integer
//! program (good_lp with the pure-Rust microlp branch and bound).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use good_lp::solvers::microlp::microlp;
use good_lp::{
    variable, Expression, ProblemVariables, ResolutionError, Solution as _, SolutionStatus,
    SolverModel, Variable, WithInitialSolution, WithTimeLimit,
};
use uuid::Uuid;

use crate::explain;
use crate::large;
use crate::model::{Analysis, Pair, Part, Pool};
use crate::problem::{Problem, ProblemTask};
use crate::rules::{eligibility, fits, value, Why};
use crate::solution::{Assignment, PoolUse, Solution, SolveStats, Unassigned};
use crate::CoordError;

/// Solves an allocation problem. Errors: invalid input, or pins that cannot all hold.
pub fn solve(problem: &Problem) -> Result<Solution, CoordError> {
    let started = Instant::now();
    problem.check()?;
    let n_tasks = problem.tasks.len();
    let n_orgs = problem.organisations.len();
    let org_index: HashMap<&str, usize> = problem
        .organisations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.org.as_str(), i))
        .collect();
    let task_index: HashMap<Uuid, usize> = problem
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i))
        .collect();

    // Capacity pools, less the committed tasks.
    let mut pools = Vec::new();
    let mut pool_of = Vec::with_capacity(n_orgs);
    for (o, org) in problem.organisations.iter().enumerate() {
        let mut ids = Vec::new();
        for (k, c) in org.capacity.iter().enumerate() {
            ids.push(pools.len());
            pools.push(Pool {
                org: o,
                period: k,
                days_left: c.person_days,
                budget_left: c.budget,
            });
        }
        pool_of.push(ids);
    }
    let pool_for = |o: usize, day: chrono::NaiveDate| -> Option<usize> {
        problem.organisations[o]
            .capacity
            .iter()
            .position(|c| c.contains(day))
            .map(|k| pool_of[o][k])
    };
    let committed: Vec<bool> = problem
        .tasks
        .iter()
        .map(|t| t.status.is_committed())
        .collect();
    let allocatable: Vec<bool> = problem
        .tasks
        .iter()
        .map(|t| t.status.is_allocatable())
        .collect();
    for t in problem.tasks.iter().filter(|t| t.status.is_committed()) {
        if let Some(&o) = t.assignee.as_deref().and_then(|a| org_index.get(a)) {
            if let Some(p) = pool_for(o, t.deadline) {
                pools[p].days_left -= t.effort_days;
                pools[p].budget_left -= t.budget;
            }
        }
    }

    // Eligibility of every pair; the pairs the model may use.
    let excluded_orgs: HashSet<&str> = problem
        .excludes
        .iter()
        .filter(|e| e.task.is_none())
        .map(|e| e.org.as_str())
        .collect();
    let excluded_pairs: HashSet<(&str, Uuid)> = problem
        .excludes
        .iter()
        .filter_map(|e| e.task.map(|t| (e.org.as_str(), t)))
        .collect();
    let mut why = vec![Vec::new(); n_tasks];
    let mut values = vec![Vec::new(); n_tasks];
    let mut pairs_of: Vec<Vec<Pair>> = vec![Vec::new(); n_tasks];
    let mut eligible_pairs = 0usize;
    for (t, task) in problem.tasks.iter().enumerate() {
        if !allocatable[t] {
            continue;
        }
        let mut w = Vec::with_capacity(n_orgs);
        let mut v = Vec::with_capacity(n_orgs);
        for (o, org) in problem.organisations.iter().enumerate() {
            v.push(value(task, org));
            let mut r = eligibility(
                task,
                org,
                problem.as_of,
                excluded_orgs.contains(org.org.as_str()),
                excluded_pairs.contains(&(org.org.as_str(), task.id)),
            );
            if r.is_ok() {
                r = match pool_for(o, task.deadline) {
                    None => Err(Why::NoCapacityPeriod),
                    Some(p)
                        if !(fits(task.effort_days, pools[p].days_left)
                            && fits(task.budget, pools[p].budget_left)) =>
                    {
                        Err(Why::TooBig {
                            days_left: pools[p].days_left,
                            budget_left: pools[p].budget_left,
                            pool: p,
                        })
                    }
                    Some(p) => {
                        pairs_of[t].push(Pair {
                            task: t,
                            org: o,
                            pool: p,
                            value: v[o],
                        });
                        Ok(())
                    }
                };
            }
            if r.is_ok() {
                eligible_pairs += 1;
            }
            w.push(r.err());
        }
        why[t] = w;
        values[t] = v;
    }

    // Pins: the pinned pair must be eligible; it becomes the task's only pair.
    let mut pinned = vec![None; n_tasks];
    for pin in &problem.pins {
        let t = task_index[&pin.task];
        let o = org_index[pin.org.as_str()];
        if let Some(w) = &why[t][o] {
            return Err(CoordError::PinInfeasible(format!(
                "pin of task {} ({:?}) to {}: {}",
                pin.task,
                problem.tasks[t].title,
                pin.org,
                explain::why_not(problem, t, o, w).english()
            )));
        }
        pairs_of[t].retain(|p| p.org == o);
        pinned[t] = Some(o);
    }

    // Tasks that can be assigned at all: some pair, and every dependency committed or
    // itself assignable (a fixpoint).
    // A dependency the allocating reader may not see cannot be known to be satisfied.
    let mut possible: Vec<bool> = (0..n_tasks)
        .map(|t| !pairs_of[t].is_empty() && problem.tasks[t].hidden_dependencies == 0)
        .collect();
    loop {
        let mut changed = false;
        for (t, task) in problem.tasks.iter().enumerate() {
            if possible[t]
                && !task.depends_on.iter().all(|d| match task_index.get(d) {
                    Some(&d) => committed[d] || possible[d],
                    None => false,
                })
            {
                possible[t] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in 0..n_tasks {
        if let (Some(o), false) = (pinned[t], possible[t]) {
            return Err(CoordError::PinInfeasible(format!(
                "pin of task {} ({:?}) to {}: {}",
                problem.tasks[t].id,
                problem.tasks[t].title,
                problem.organisations[o].org,
                explain::dependency_problem(problem, &task_index, &committed, &possible, t)
                    .map_or_else(|| "a dependency cannot be assigned".into(), |d| d.english())
            )));
        }
        if !possible[t] {
            pairs_of[t].clear();
        }
    }

    // Pools that cannot run out, and pairs dominated by a pair in such a pool.
    let mut binding = vec![false; pools.len()];
    loop {
        let mut days = vec![0.0; pools.len()];
        let mut budget = vec![0.0; pools.len()];
        for p in pairs_of.iter().flatten() {
            let task = &problem.tasks[p.task];
            days[p.pool] += task.effort_days;
            budget[p.pool] += task.budget;
        }
        for (i, pool) in pools.iter().enumerate() {
            binding[i] = !(fits(days[i], pool.days_left) && fits(budget[i], pool.budget_left));
        }
        let mut changed = false;
        for pairs in &mut pairs_of {
            let best_free = pairs
                .iter()
                .enumerate()
                .filter(|(_, p)| !binding[p.pool])
                .max_by(|a, b| a.1.value.total_cmp(&b.1.value))
                .map(|(i, p)| (i, p.value));
            if let Some((keep, v)) = best_free {
                let before = pairs.len();
                let mut i = 0;
                pairs.retain(|p| {
                    let k = i == keep || p.value > v;
                    i += 1;
                    k
                });
                changed |= pairs.len() != before;
            }
        }
        if !changed {
            break;
        }
    }

    // Components: tasks joined by a binding pool or a dependency.
    let mut uf = UnionFind::new(n_tasks + pools.len());
    for (t, pairs) in pairs_of.iter().enumerate() {
        for p in pairs {
            if binding[p.pool] {
                uf.union(t, n_tasks + p.pool);
            }
        }
        if possible[t] {
            for d in &problem.tasks[t].depends_on {
                if let Some(&d) = task_index.get(d) {
                    if allocatable[d] && possible[d] {
                        uf.union(t, d);
                    }
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for t in (0..n_tasks).filter(|&t| possible[t]) {
        groups.entry(uf.find(t)).or_default().push(t);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);

    let mut chosen: Vec<Option<usize>> = vec![None; n_tasks];
    let mut stats = SolveStats {
        tasks: n_tasks,
        allocatable: allocatable.iter().filter(|a| **a).count(),
        organisations: n_orgs,
        eligible_pairs,
        model_pairs: 0,
        components: groups.len(),
        mip_components: 0,
        priced_components: 0,
        binding_pools: 0,
    };
    let mut optimal = true;
    let mut bound_extra = 0.0;
    let deadline = problem
        .time_limit_secs
        .map(|s| started + std::time::Duration::from_secs_f64(s));
    for group in &groups {
        let has_binding = group
            .iter()
            .any(|&t| pairs_of[t].iter().any(|p| binding[p.pool]));
        if !has_binding {
            // Nothing here can run out: every task gets its best pair.
            for &t in group {
                let best = pairs_of[t]
                    .iter()
                    .max_by(|a, b| a.value.total_cmp(&b.value))
                    .expect("a possible task has a pair");
                chosen[t] = Some(best.org);
            }
            continue;
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
        let size: usize = group.iter().map(|&t| pairs_of[t].len()).sum();
        let out = match left {
            Some(l) if l <= 1e-3 => None,
            // Beyond this the branch and bound of microlp does not prove optimality in
            // seconds (and its time limit is not honoured inside a long root relaxation).
            _ if size > MAX_MIP_PAIRS => None,
            _ => match solve_mip(
                problem,
                group,
                &pairs_of,
                &pools,
                &binding,
                &task_index,
                left,
            ) {
                Ok(out) => Some(out),
                Err(ResolutionError::Infeasible) => {
                    return Err(CoordError::PinInfeasible(explain::pins_infeasible(
                        problem, group, &pinned, &pairs_of, &pools,
                    )))
                }
                // The time limit ran out before the solver found an assignment.
                Err(ResolutionError::Other(m)) if m.starts_with("Time limit") => None,
                Err(other) => return Err(CoordError::Solver(other.to_string())),
            },
        };
        let out = match out {
            Some(out) => {
                stats.mip_components += 1;
                out
            }
            None => {
                stats.priced_components += 1;
                // Too large, or no time left: prices from the Lagrangian relaxation, the
                // assignments they suggest, improved; the relaxations bound the gap.
                let part = Part::new(
                    problem,
                    group,
                    &pairs_of,
                    &pools,
                    &binding,
                    &task_index,
                    &pinned,
                );
                let out = large::solve(&part, deadline).map_err(CoordError::Solver)?;
                let chosen = out
                    .best
                    .pick
                    .iter()
                    .flatten()
                    .map(|&k| (part.pairs[k].task, part.pairs[k].org))
                    .collect();
                MipOut {
                    chosen,
                    optimal: out.bound.is_finite()
                        && out.bound - out.best.value <= 1e-9 * out.bound.abs().max(1.0),
                    gap_abs: out.bound - out.best.value,
                    vars: 0,
                }
            }
        };
        stats.model_pairs += out.vars;
        if !out.optimal {
            optimal = false;
        }
        bound_extra += out.gap_abs;
        for (t, o) in out.chosen {
            chosen[t] = Some(o);
        }
    }
    stats.binding_pools = binding.iter().filter(|b| **b).count();

    // What is left in each pool.
    let mut days_after: Vec<f64> = pools.iter().map(|p| p.days_left).collect();
    let mut budget_after: Vec<f64> = pools.iter().map(|p| p.budget_left).collect();
    let mut objective = 0.0;
    for t in 0..n_tasks {
        if let Some(o) = chosen[t] {
            let task = &problem.tasks[t];
            let p = pool_for(o, task.deadline).expect("an assigned pair has a pool");
            days_after[p] -= task.effort_days;
            budget_after[p] -= task.budget;
            objective += values[t][o];
        }
    }

    let a = Analysis {
        problem,
        pools,
        pool_of,
        why,
        values,
        task_index,
        allocatable,
        committed,
        possible,
        pinned,
        chosen,
        days_after,
        budget_after,
    };
    let mut assignments = Vec::new();
    let mut unassigned = Vec::new();
    for t in 0..n_tasks {
        if !a.allocatable[t] {
            continue;
        }
        match a.chosen[t] {
            Some(o) => {
                let reason = explain::reason(&a, t, o);
                assignments.push(Assignment {
                    task: problem.tasks[t].id,
                    org: problem.organisations[o].org.clone(),
                    value: a.values[t][o],
                    pinned: a.pinned[t].is_some(),
                    reason: crate::phrase::english(&reason),
                    reason_phrases: reason,
                    note: explain::shared_note(
                        &problem.tasks[t],
                        &problem.organisations[o],
                        problem.as_of,
                        a.pinned[t].is_some(),
                    ),
                    alternatives: explain::alternatives(&a, t, o),
                })
            }
            None => {
                let (binding, explanation) = explain::binding(&a, t);
                unassigned.push(Unassigned {
                    task: problem.tasks[t].id,
                    binding,
                    explanation: explanation.english(),
                    explanation_phrase: explanation,
                })
            }
        }
    }
    let capacity = a
        .pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let c = &problem.organisations[p.org].capacity[p.period];
            PoolUse {
                org: problem.organisations[p.org].org.clone(),
                from: c.from,
                until: c.until,
                person_days: c.person_days,
                person_days_committed: c.person_days - p.days_left,
                person_days_allocated: p.days_left - a.days_after[i],
                budget: c.budget,
                budget_committed: c.budget - p.budget_left,
                budget_allocated: p.budget_left - a.budget_after[i],
            }
        })
        .collect();
    // A part too large for the mixed-integer solver gets the greedy assignment, which puts
    // pins first but may still miss one: never answer as if a pin held when it does not.
    for pin in &problem.pins {
        if !assignments
            .iter()
            .any(|a| a.task == pin.task && a.org == pin.org)
        {
            return Err(CoordError::PinInfeasible(format!(
                "task {} could not be given to {} in this solve (its part was too large to solve exactly, and the assignment found could not hold the pin); remove the pin or split the problem",
                pin.task, pin.org
            )));
        }
    }
    Ok(Solution {
        as_of: problem.as_of,
        optimal,
        objective,
        bound: objective + bound_extra,
        assignments,
        unassigned,
        capacity,
        stats,
        solve_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

/// Parts with more pairs than this are not given to the mixed-integer solver: they get the
/// greedy assignment and a Lagrangian upper bound, reported with `optimal: false`.
pub const MAX_MIP_PAIRS: usize = 1500;

/// How much of a resource (days, budget) a task uses.
type UseOf = fn(&ProblemTask) -> f64;

struct MipOut {
    chosen: Vec<(usize, usize)>,
    optimal: bool,
    gap_abs: f64,
    vars: usize,
}

fn solve_mip(
    problem: &Problem,
    group: &[usize],
    pairs_of: &[Vec<Pair>],
    pools: &[Pool],
    binding: &[bool],
    task_index: &HashMap<Uuid, usize>,
    time_left: Option<f64>,
) -> Result<MipOut, ResolutionError> {
    let mut vars = ProblemVariables::new();
    let mut xs: Vec<(Pair, Variable)> = Vec::new();
    let mut first_var: HashMap<usize, (usize, usize)> = HashMap::new();
    let pinned_org = |t: usize| {
        problem
            .pins
            .iter()
            .any(|p| task_index.get(&p.task) == Some(&t))
    };
    for &t in group {
        let start = xs.len();
        let pin = pinned_org(t);
        for p in &pairs_of[t] {
            let v = if pin {
                vars.add(variable().binary().min(1))
            } else {
                vars.add(variable().binary())
            };
            xs.push((*p, v));
        }
        first_var.insert(t, (start, xs.len()));
    }
    // A warm start: greedy by value, dependencies first satisfied.
    let plain: Vec<Pair> = xs.iter().map(|(p, _)| *p).collect();
    let pinned: Vec<Option<usize>> = {
        let mut v = vec![None; problem.tasks.len()];
        for p in &problem.pins {
            if let Some(&t) = task_index.get(&p.task) {
                v[t] = Some(0);
            }
        }
        v
    };
    let warm = greedy(problem, pools, task_index, &first_var, &plain, &pinned);
    let mut objective = Expression::with_capacity(xs.len());
    for (p, v) in &xs {
        objective.add_mul(p.value, *v);
    }
    let mut model = vars
        .maximise(objective)
        .using(microlp)
        .with_initial_solution(xs.iter().zip(&warm).map(|((_, v), &w)| (*v, w)));
    if let Some(s) = time_left {
        model = model.with_time_limit(s.max(0.001));
    }
    // One organisation per task.
    for &t in group {
        let (a, b) = first_var[&t];
        if b - a > 1 {
            let mut e = Expression::with_capacity(b - a);
            for (_, v) in &xs[a..b] {
                e.add_mul(1.0, *v);
            }
            model.add_constraint(e.leq(1.0));
        }
    }
    // Binding pools.
    let mut by_pool: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, (p, _)) in xs.iter().enumerate() {
        if binding[p.pool] {
            by_pool.entry(p.pool).or_default().push(i);
        }
    }
    let mut pool_ids: Vec<usize> = by_pool.keys().copied().collect();
    pool_ids.sort_unstable();
    for pool in pool_ids {
        let members = &by_pool[&pool];
        let resources: [(UseOf, f64); 2] = [
            (|t| t.effort_days, pools[pool].days_left),
            (|t| t.budget, pools[pool].budget_left),
        ];
        for (use_of, left) in resources {
            let total: f64 = members
                .iter()
                .map(|&i| use_of(&problem.tasks[xs[i].0.task]))
                .sum();
            // Rows in shares of what is left, so that the solver's tolerances are relative,
            // as `fits` is, and budgets of hundreds of thousands sit beside days.
            if !fits(total, left) {
                let scale = left.abs().max(1e-9);
                let mut e = Expression::with_capacity(members.len());
                for &i in members {
                    e.add_mul(use_of(&problem.tasks[xs[i].0.task]) / scale, xs[i].1);
                }
                model.add_constraint(e.leq(left / scale));
            }
        }
    }
    // Dependencies: assigned only if each allocatable dependency is assigned.
    for &t in group {
        let (a, b) = first_var[&t];
        for d in &problem.tasks[t].depends_on {
            let Some(&d) = task_index.get(d) else {
                continue;
            };
            let Some(&(da, db)) = first_var.get(&d) else {
                continue; // committed: satisfied
            };
            let mut e = Expression::with_capacity(b - a + db - da);
            for (_, v) in &xs[a..b] {
                e.add_mul(1.0, *v);
            }
            for (_, v) in &xs[da..db] {
                e.add_mul(-1.0, *v);
            }
            model.add_constraint(e.leq(0.0));
        }
    }
    let n = xs.len();
    let sol = model.solve()?;
    let optimal = matches!(sol.status(), SolutionStatus::Optimal);
    let chosen: Vec<(usize, usize)> = xs
        .iter()
        .filter(|(_, v)| sol.value(*v) > 0.5)
        .map(|(p, _)| (p.task, p.org))
        .collect();
    let obj: f64 = xs
        .iter()
        .filter(|(_, v)| sol.value(*v) > 0.5)
        .map(|(p, _)| p.value)
        .sum();
    let gap = if optimal {
        0.0
    } else {
        sol.into_inner().gap().unwrap_or(f64::INFINITY)
    };
    Ok(MipOut {
        chosen,
        optimal,
        gap_abs: gap * obj.abs().max(1.0),
        vars: n,
    })
}

/// A feasible start: pairs by decreasing value, pins first; a task only once its
/// dependencies in the group are placed (repeated passes).
fn greedy(
    problem: &Problem,
    pools: &[Pool],
    task_index: &HashMap<Uuid, usize>,
    first_var: &HashMap<usize, (usize, usize)>,
    xs: &[Pair],
    pinned: &[Option<usize>],
) -> Vec<f64> {
    let mut x = vec![0.0; xs.len()];
    let mut days: HashMap<usize, f64> = HashMap::new();
    let mut budget: HashMap<usize, f64> = HashMap::new();
    let mut placed: HashSet<usize> = HashSet::new();
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| {
        let pa = pinned[xs[a].task].is_some();
        let pb = pinned[xs[b].task].is_some();
        pb.cmp(&pa)
            .then(xs[b].value.total_cmp(&xs[a].value))
            .then(a.cmp(&b))
    });
    loop {
        let mut changed = false;
        for &i in &order {
            let p = xs[i];
            if placed.contains(&p.task) {
                continue;
            }
            let task = &problem.tasks[p.task];
            let deps_ok = task.depends_on.iter().all(|d| match task_index.get(d) {
                Some(d) => !first_var.contains_key(d) || placed.contains(d),
                None => false,
            });
            if !deps_ok {
                continue;
            }
            let dl = days.entry(p.pool).or_insert(pools[p.pool].days_left);
            let bl = budget.entry(p.pool).or_insert(pools[p.pool].budget_left);
            if fits(task.effort_days, *dl) && fits(task.budget, *bl) {
                *dl -= task.effort_days;
                *bl -= task.budget;
                x[i] = 1.0;
                placed.insert(p.task);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    x
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}
