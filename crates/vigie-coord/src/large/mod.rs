//! Parts too large for the mixed-integer solver: a Lagrangian relaxation of the capacity
//! rows gives an upper bound and prices; assignments built from those prices and improved by
//! local moves give the lower bound (every one of them respects every constraint).

use std::time::Instant;

use crate::model::{Assignment, Part};

mod knapsack;
mod moves;
mod relaxation;
mod repack;

use moves::{construct, from_frequencies, local_search};
use relaxation::{dual, knapsack_bound};

/// The outcome for a large part.
pub(crate) struct Outcome {
    pub best: Assignment,
    pub bound: f64,
}

/// Deflection of the subgradient direction.
const BETA: f64 = 0.5;
/// Subgradient steps at most.
const DUAL_STEPS: usize = 10_000;

/// Solves a large part: the best assignment found and a proven upper bound. The prices
/// come from projected, deflected subgradient steps on the Lagrangian dual (stopping at
/// `deadline`); every 500 steps the prices' assignment is built and improved; at the end the
/// knapsack bound may lower the bound, and the best assignments are improved further.
pub(crate) fn solve(part: &Part, deadline: Option<Instant>) -> Result<Outcome, String> {
    let n_rows = part.rows.len();
    let mut lam = vec![[0.0f64; 2]; n_rows];
    let mut best = local_search(part, construct(part, &lam), false);
    let mut bound = f64::INFINITY;
    let mut best_lam = lam.clone();
    let mut g = vec![[0.0f64; 2]; n_rows];
    let mut dir = vec![[0.0f64; 2]; n_rows];
    let mut choice = vec![None; part.len()];
    let mut freq = vec![0.0f64; part.pairs.len()];
    let mut theta = 1.0;
    let mut since = 0;
    let mut iter = 0;
    while iter < DUAL_STEPS && theta > 1e-6 {
        if iter % 16 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        iter += 1;
        let l = dual(part, &lam, &mut g, &mut choice);
        if iter > DUAL_STEPS / 2 {
            for &k in choice.iter().flatten() {
                freq[k] += 1.0;
            }
        }
        if !bound.is_finite() || l < bound - 1e-9 * bound.abs() {
            bound = l;
            best_lam.clone_from(&lam);
            since = 0;
        } else {
            since += 1;
            if since >= 30 {
                theta /= 2.0;
                since = 0;
                lam.clone_from(&best_lam);
                dir.iter_mut().for_each(|d| *d = [0.0, 0.0]);
            }
        }
        if iter % 500 == 0 {
            let a = local_search(part, construct(part, &lam), false);
            if a.value > best.value {
                best = a;
            }
        }
        if bound - best.value <= 1e-9 * bound.abs().max(1.0) {
            break;
        }
        // The direction: the subgradient, less what the bounds λ ≥ 0 would cut, deflected
        // by the previous direction when they point apart (Camerini, Fratta, Maffioli).
        for (gi, x) in g.iter_mut().zip(&lam) {
            for d in 0..2 {
                if x[d] <= 0.0 && gi[d] > 0.0 {
                    gi[d] = 0.0;
                }
            }
        }
        let dot: f64 = g
            .iter()
            .zip(&dir)
            .map(|(a, b)| a[0] * b[0] + a[1] * b[1])
            .sum();
        let beta = if dot < 0.0 { BETA } else { 0.0 };
        for (d, gi) in dir.iter_mut().zip(&g) {
            *d = [gi[0] + beta * d[0], gi[1] + beta * d[1]];
        }
        let norm: f64 = dir.iter().map(|x| x[0] * x[0] + x[1] * x[1]).sum();
        if norm < 1e-18 {
            break;
        }
        let step = theta * (l - best.value).max(1e-9 * l.abs().max(1.0)) / norm;
        for (x, d) in lam.iter_mut().zip(&dir) {
            x[0] = (x[0] - step * d[0]).max(0.0);
            x[1] = (x[1] - step * d[1]).max(0.0);
        }
    }
    bound = bound.min(knapsack_bound(part, &best_lam, 2_000));
    // The assignment the averaged relaxed choices suggest (they tend to the relaxation's
    // optimal solution): pairs by how often they were chosen.
    if freq.iter().any(|&f| f > 0.0) {
        let a = local_search(part, from_frequencies(part, &freq), true);
        if a.value > best.value {
            best = a;
        }
    }
    // The best so far and the assignment of the best prices, each improved further.
    let a = local_search(part, construct(part, &best_lam), true);
    best = local_search(part, best, true);
    if a.value > best.value {
        best = a;
    }
    // Every move keeps the rules; checked once more from scratch, in release builds too, so
    // that a fault here can never propose a rule-breaking assignment.
    if !part.allows(&best.pick) {
        return Err("an assignment of a large part broke a rule (a fault in vigie-coord)".into());
    }
    debug_assert!(
        bound >= best.value - 1e-6 * bound.abs().max(1.0),
        "bound below a solution"
    );
    Ok(Outcome {
        bound: bound.max(best.value),
        best,
    })
}
