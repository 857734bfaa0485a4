//! Times the allocation of a synthetic Sahel problem (default 5,000 tasks × 40
//! organisations): `cargo run --release -p vigie-coord --example allocate_bench [TASKS ORGS SEED]`.

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
