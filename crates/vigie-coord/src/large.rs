//! Parts too large for the mixed-integer solver: a Lagrangian relaxation of the capacity
//! rows gives an upper bound and prices; assignments built from those prices and improved by
//! local moves give the lower bound (every one of them respects every constraint).

use std::collections::HashMap;
use std::time::Instant;

use uuid::Uuid;

use crate::moves::{construct, from_frequencies, local_search, State};
use crate::problem::Problem;
use crate::relaxation::{dual, knapsack_bound};
use crate::solve::{Pair, Pool};

/// A part in local form: its tasks numbered 0.., their pairs in one array.
pub(crate) struct Part {
    /// Global index of each local task.
    pub tasks: Vec<usize>,
    /// Pairs of local task `i`: `pairs[first[i]..first[i + 1]]`.
    pub first: Vec<usize>,
    pub pairs: Vec<Pair>,
    /// Capacity row (index into `rows`) of each pair's pool, if it binds.
    pub row: Vec<Option<usize>>,
    /// Binding pools, and what is left in each: `[days, budget]`.
    pub rows: Vec<usize>,
    pub cap: Vec<[f64; 2]>,
    /// The share of its row's `[days, budget]` each pair's task takes (zeros without a row).
    pub share: Vec<[f64; 2]>,
    /// Use of each local task: `[days, budget]`.
    pub need: Vec<[f64; 2]>,
    /// Allocatable dependencies of each local task (local indices), and their reverse.
    pub deps: Vec<Vec<usize>>,
    pub needed_by: Vec<Vec<usize>>,
    pub pinned: Vec<bool>,
    /// The pairs of each row, as (local task, pair).
    pub row_pairs: Vec<Vec<(usize, usize)>>,
}

impl Part {
    pub fn new(
        problem: &Problem,
        group: &[usize],
        pairs_of: &[Vec<Pair>],
        pools: &[Pool],
        binding: &[bool],
        task_index: &HashMap<Uuid, usize>,
        pinned: &[Option<usize>],
    ) -> Part {
        let local: HashMap<usize, usize> = group.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let mut first = vec![0];
        let mut pairs = Vec::new();
        let mut row = Vec::new();
        let mut rows = Vec::new();
        let mut row_of: HashMap<usize, usize> = HashMap::new();
        let mut cap = Vec::new();
        let mut row_pairs: Vec<Vec<(usize, usize)>> = Vec::new();
        for (i, &t) in group.iter().enumerate() {
            for p in &pairs_of[t] {
                let r = binding[p.pool].then(|| {
                    *row_of.entry(p.pool).or_insert_with(|| {
                        rows.push(p.pool);
                        cap.push([pools[p.pool].days_left, pools[p.pool].budget_left]);
                        row_pairs.push(Vec::new());
                        rows.len() - 1
                    })
                });
                if let Some(r) = r {
                    row_pairs[r].push((i, pairs.len()));
                }
                pairs.push(*p);
                row.push(r);
            }
            first.push(pairs.len());
        }
        let need: Vec<[f64; 2]> = group
            .iter()
            .map(|&t| [problem.tasks[t].effort_days, problem.tasks[t].budget])
            .collect();
        let mut share = vec![[0.0; 2]; pairs.len()];
        for (i, n) in need.iter().enumerate() {
            for k in first[i]..first[i + 1] {
                if let Some(r) = row[k] {
                    let c: &[f64; 2] = &cap[r];
                    share[k] = [n[0] / c[0].max(1e-9), n[1] / c[1].max(1e-9)];
                }
            }
        }
        let mut deps = vec![Vec::new(); group.len()];
        let mut needed_by = vec![Vec::new(); group.len()];
        for (i, &t) in group.iter().enumerate() {
            for d in &problem.tasks[t].depends_on {
                if let Some(&j) = task_index.get(d).and_then(|g| local.get(g)) {
                    deps[i].push(j);
                    needed_by[j].push(i);
                }
            }
        }
        Part {
            row_pairs,
            pinned: group.iter().map(|&t| pinned[t].is_some()).collect(),
            tasks: group.to_vec(),
            first,
            pairs,
            row,
            rows,
            cap,
            share,
            need,
            deps,
            needed_by,
        }
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn pairs(&self, i: usize) -> std::ops::Range<usize> {
        self.first[i]..self.first[i + 1]
    }

    /// Local tasks by the value of their best pair, highest first.
    pub fn by_best_value(&self) -> Vec<usize> {
        let best: Vec<f64> = (0..self.len())
            .map(|i| {
                self.pairs(i)
                    .map(|k| self.pairs[k].value)
                    .fold(0.0, f64::max)
            })
            .collect();
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| best[b].total_cmp(&best[a]).then(a.cmp(&b)));
        order
    }

    /// What pair `k` costs at multipliers `lam` (per share of its row).
    pub fn price_of(&self, lam: &[[f64; 2]], k: usize) -> f64 {
        match self.row[k] {
            None => 0.0,
            Some(r) => lam[r][0] * self.share[k][0] + lam[r][1] * self.share[k][1],
        }
    }

    /// Whether `pick` keeps every rule of the part: capacity, dependencies, pins.
    pub fn allows(&self, pick: &[Option<usize>]) -> bool {
        let mut s = State::new(self);
        for (i, k) in pick.iter().enumerate() {
            match k {
                Some(k) if self.pairs(i).contains(k) => {
                    if !s.fits(i, *k) {
                        return false;
                    }
                    s.place(i, *k);
                }
                Some(_) => return false,
                None if self.pinned[i] => return false,
                None => {}
            }
        }
        (0..self.len()).all(|i| pick[i].is_none() || s.deps_placed(i))
    }
}

/// An assignment of a part: the chosen pair of each local task, if any.
#[derive(Clone)]
pub(crate) struct Assignment {
    pub pick: Vec<Option<usize>>,
    pub value: f64,
}

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
