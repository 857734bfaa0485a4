//! Large-neighbourhood search for a large part: keep an assignment's choices for most tasks,
//! free the few whose best choice the Lagrangian prices leave in doubt, and give those to
//! the mixed-integer solver (microlp) with the capacity the others leave. The result is
//! never worse than the assignment it starts from, which is also the solver's warm start.

use std::time::{Duration, Instant};

use microlp::{ComparisonOp, OptimizationDirection, SolveOptions};

use crate::large::{Assignment, Part};

/// Re-solves the `size` tasks of smallest price margin exactly (or as well as `until`
/// allows). Returns an assignment at least as good as `start`.
pub(crate) fn improve(
    part: &Part,
    lam: &[[f64; 2]],
    start: &Assignment,
    size: usize,
    until: Instant,
) -> Assignment {
    let n = part.tasks.len();
    // Margin of each task: its best priced option against its second (not taking it = 0).
    let mut margin: Vec<(f64, usize)> = (0..n)
        .map(|i| {
            let mut top = [if part.pinned[i] { f64::NEG_INFINITY } else { 0.0 }, f64::NEG_INFINITY];
            for k in part.first[i]..part.first[i + 1] {
                let v = part.pairs[k].value - part.price_of(lam, i, k);
                if v > top[0] {
                    top = [v, top[0]];
                } else if v > top[1] {
                    top[1] = v;
                }
            }
            (top[0] - top[1], i)
        })
        .collect();
    margin.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut free = vec![false; n];
    for &(_, i) in margin.iter().take(size) {
        free[i] = true;
    }
    // What the kept tasks leave in each row.
    let mut left = part.cap.clone();
    for i in (0..n).filter(|&i| !free[i]) {
        if let Some(r) = start.pick[i].and_then(|k| part.row[k]) {
            left[r][0] -= part.need[i][0];
            left[r][1] -= part.need[i][1];
        }
    }
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let mut vars: Vec<Vec<(usize, microlp::Variable)>> = vec![Vec::new(); n];
    let mut warm = Vec::new();
    let mut rows: Vec<[Vec<(microlp::Variable, f64)>; 2]> =
        vec![[Vec::new(), Vec::new()]; part.rows.len()];
    for i in (0..n).filter(|&i| free[i]) {
        // A kept task that is not placed keeps its dependants out.
        if part.deps[i]
            .iter()
            .any(|&d| !free[d] && start.pick[d].is_none())
        {
            continue;
        }
        for k in part.first[i]..part.first[i + 1] {
            // Values in thousands, rows in shares of the capacity: both near 1.
            let v = lp.add_binary_var(part.pairs[k].value / 1000.0);
            warm.push((v, if start.pick[i] == Some(k) { 1.0 } else { 0.0 }));
            if let Some(r) = part.row[k] {
                rows[r][0].push((v, part.need[i][0] / part.cap[r][0].max(1e-9)));
                rows[r][1].push((v, part.need[i][1] / part.cap[r][1].max(1e-9)));
            }
            vars[i].push((k, v));
        }
    }
    let one = |vs: &[(usize, microlp::Variable)], sign: f64| -> Vec<(microlp::Variable, f64)> {
        vs.iter().map(|(_, v)| (*v, sign)).collect()
    };
    for i in (0..n).filter(|&i| free[i] && !vars[i].is_empty()) {
        let op = if part.pinned[i]
            || part.needed_by[i]
                .iter()
                .any(|&j| !free[j] && start.pick[j].is_some())
        {
            ComparisonOp::Eq
        } else {
            ComparisonOp::Le
        };
        lp.add_constraint(one(&vars[i], 1.0), op, 1.0);
        for &d in &part.deps[i] {
            if free[d] {
                let mut e = one(&vars[i], 1.0);
                e.extend(one(&vars[d], -1.0));
                lp.add_constraint(e, ComparisonOp::Le, 0.0);
            }
        }
    }
    for (r, [days, budget]) in rows.into_iter().enumerate() {
        for (terms, d) in [(days, 0), (budget, 1)] {
            let total: f64 = terms.iter().map(|t| t.1).sum();
            let room = left[r][d] / part.cap[r][d].max(1e-9);
            if !terms.is_empty() && total > room {
                lp.add_constraint(terms, ComparisonOp::Le, room);
            }
        }
    }
    let mut options = SolveOptions::default();
    options.time_limit = Some(until.saturating_duration_since(Instant::now()).max(Duration::from_millis(1)));
    options.warm_start = Some(warm);
    let t0 = Instant::now();
    let outcome = lp.solve_with(options);
    if std::env::var_os("VIGIE_DEBUG_LARGE").is_some() {
        match &outcome {
            Ok(o) => eprintln!("mip {:?}: {:?} {:?} in {:?}", lp, o.termination_reason(), o.stats(), t0.elapsed()),
            Err(e) => eprintln!("mip error {e:?}"),
        }
    }
    let Ok(outcome) = outcome else {
        return start.clone();
    };
    let Some(sol) = outcome.solution() else {
        return start.clone();
    };
    let mut pick = start.pick.clone();
    for i in (0..n).filter(|&i| free[i]) {
        pick[i] = vars[i]
            .iter()
            .find(|(_, v)| sol.var_value_raw(*v) > 0.5)
            .map(|(k, _)| *k);
    }
    let value = pick.iter().flatten().map(|&k| part.pairs[k].value).sum();
    if value > start.value {
        Assignment { pick, value }
    } else {
        start.clone()
    }
}
