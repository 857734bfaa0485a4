//! Times the allocation of a synthetic Sahel problem (default 5,000 tasks × 40
//! organisations): `cargo run --release -p vigie-coord --example allocate_bench [TASKS ORGS SEED]`.
//! With `ALLOCATE_LP=FILE` it also writes the problem as a mixed-integer program in CPLEX LP
//! format, for another solver to compare with (docs/benchmarks.md, "Allocation").

use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("TASKS ORGS SEED as numbers"))
        .collect();
    let n_tasks = args.first().copied().unwrap_or(5000);
    let n_orgs = args.get(1).copied().unwrap_or(40);
    let seed = args.get(2).copied().unwrap_or(1) as u64;
    let mut problem = vigie_coord::synthetic::sahel(n_tasks, n_orgs, seed);
    problem.time_limit_secs = std::env::var("TIME_LIMIT")
        .ok()
        .map(|s| s.parse().expect("seconds"));
    if let Ok(path) = std::env::var("ALLOCATE_LP") {
        std::fs::write(&path, lp_format(&problem)).expect("writes the LP file");
        println!("wrote {path}");
    }
    let started = Instant::now();
    let solution = vigie_coord::solve(&problem).expect("solves");
    let secs = started.elapsed().as_secs_f64();
    let s = &solution.stats;
    println!(
        "{n_tasks} tasks × {n_orgs} organisations (seed {seed}): {secs:.3} s, optimal: {}, objective {:.2}, bound {:.2}",
        solution.optimal, solution.objective, solution.bound
    );
    println!(
        "assigned {}, unassigned {}; eligible pairs {}, binding capacity periods {}, parts {} ({} by MIP, {} pairs in the MIPs; {} by prices)",
        solution.assignments.len(),
        solution.unassigned.len(),
        s.eligible_pairs,
        s.binding_pools,
        s.components,
        s.mip_components,
        s.model_pairs,
        s.priced_components
    );
    let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
    for u in &solution.unassigned {
        *by.entry(u.binding.as_str()).or_default() += 1;
    }
    println!("unassigned by binding constraint: {by:?}");
}

/// The problem as a MIP in CPLEX LP format: `x_t_o` for each pair passing every rule (and
/// fitting its capacity period alone), one organisation per task, days and budget of each
/// capacity period, dependencies. Only for problems of open tasks without pins or
/// exclusions, as the synthetic ones are.
fn lp_format(p: &vigie_coord::Problem) -> String {
    use std::fmt::Write as _;
    use vigie_coord::rules::{eligibility, fits, value};
    assert!(p.pins.is_empty() && p.excludes.is_empty());
    assert!(p.tasks.iter().all(|t| t.status.is_allocatable()));
    let index: std::collections::HashMap<_, _> =
        p.tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut pairs: Vec<Vec<usize>> = vec![Vec::new(); p.tasks.len()];
    let mut pools: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    let (mut obj, mut rows) = (String::new(), String::new());
    for (t, task) in p.tasks.iter().enumerate() {
        for (o, org) in p.organisations.iter().enumerate() {
            let Some(k) = org.capacity.iter().position(|c| c.contains(task.deadline)) else {
                continue;
            };
            let c = &org.capacity[k];
            if eligibility(task, org, p.as_of, false, false).is_ok()
                && fits(task.effort_days, c.person_days)
                && fits(task.budget, c.budget)
            {
                write!(obj, " + {:.6} x_{t}_{o}", value(task, org)).unwrap();
                pairs[t].push(o);
                pools.entry((o, k)).or_default().push(t);
            }
        }
    }
    for (t, os) in pairs.iter().enumerate().filter(|(_, os)| !os.is_empty()) {
        let sum: Vec<String> = os.iter().map(|o| format!("x_{t}_{o}")).collect();
        writeln!(rows, " one_{t}: {} <= 1", sum.join(" + ")).unwrap();
        for d in &p.tasks[t].depends_on {
            let d = index[d];
            let mut e = sum.join(" + ");
            for o in &pairs[d] {
                write!(e, " - x_{d}_{o}").unwrap();
            }
            writeln!(rows, " dep_{t}_{d}: {e} <= 0").unwrap();
        }
    }
    for ((o, k), ts) in &pools {
        let c = &p.organisations[*o].capacity[*k];
        let days: Vec<String> = ts
            .iter()
            .map(|&t| format!("{} x_{t}_{o}", p.tasks[t].effort_days))
            .collect();
        let budget: Vec<String> = ts
            .iter()
            .map(|&t| format!("{} x_{t}_{o}", p.tasks[t].budget))
            .collect();
        writeln!(
            rows,
            " days_{o}_{k}: {} <= {}",
            days.join(" + "),
            c.person_days
        )
        .unwrap();
        writeln!(
            rows,
            " budget_{o}_{k}: {} <= {}",
            budget.join(" + "),
            c.budget
        )
        .unwrap();
    }
    let vars: Vec<String> = pairs
        .iter()
        .enumerate()
        .flat_map(|(t, os)| os.iter().map(move |o| format!("x_{t}_{o}")))
        .collect();
    format!(
        "Maximize\n obj:{obj}\nSubject To\n{rows}Binary\n {}\nEnd\n",
        vars.join("\n ")
    )
}
