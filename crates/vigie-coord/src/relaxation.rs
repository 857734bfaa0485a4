//! The Lagrangian relaxation of a large part's capacity rows: its value at given prices (an
//! upper bound on every assignment), a subgradient, and a second bound with each row kept
//! as a knapsack.

use crate::knapsack;
use crate::large::Part;

/// The Lagrangian function at `lam` (capacity rows relaxed, dependencies dropped: both only
/// raise it, so it bounds the best value from above) and a subgradient.
pub(crate) fn dual(
    part: &Part,
    flat: &Flat,
    lam: &[[f64; 2]],
    g: &mut [[f64; 2]],
    choice: &mut [usize],
) -> f64 {
    g.iter_mut().for_each(|x| *x = [1.0, 1.0]);
    let mut l: f64 = lam.iter().map(|x| x[0] + x[1]).sum();
    for (i, chosen) in choice.iter_mut().enumerate() {
        let mut top = if part.pinned[i] {
            f64::NEG_INFINITY
        } else {
            0.0
        };
        let mut arg = usize::MAX;
        for k in part.pairs(i) {
            let r = flat.row[k];
            let red = if r == usize::MAX {
                flat.value[k]
            } else {
                flat.value[k] - lam[r][0] * flat.share[k][0] - lam[r][1] * flat.share[k][1]
            };
            if red > top {
                top = red;
                arg = k;
            }
        }
        l += top;
        *chosen = arg;
        if arg != usize::MAX && flat.row[arg] != usize::MAX {
            let r = flat.row[arg];
            g[r][0] -= flat.share[arg][0];
            g[r][1] -= flat.share[arg][1];
        }
    }
    l
}

/// A second, stronger bound from the prices `lam`: with `u` the priced value of each task's
/// best choice, relax "one organisation per task" with multipliers `u` instead and keep each
/// row's capacity: each row is then a two-resource knapsack of the profits `value − u`,
/// solved exactly (or, past `node_limit`, bounded by its relaxation or by the row's prices,
/// whichever is smaller). Dependencies are dropped; pinned tasks are taken.
pub(crate) fn knapsack_bound(part: &Part, flat: &Flat, lam: &[[f64; 2]], node_limit: usize) -> f64 {
    let mut total = 0.0;
    let mut u = vec![0.0; part.len()];
    let mut room = part.cap.clone();
    for (i, ui) in u.iter_mut().enumerate() {
        if part.pinned[i] {
            let k = part.first[i];
            total += flat.value[k];
            if flat.row[k] != usize::MAX {
                room[flat.row[k]][0] -= part.need[i][0];
                room[flat.row[k]][1] -= part.need[i][1];
            }
            continue;
        }
        *ui = part
            .pairs(i)
            .map(|k| flat.value[k] - priced(flat, lam, k))
            .fold(0.0, f64::max);
        total += *ui;
        for k in part.pairs(i) {
            if flat.row[k] == usize::MAX {
                total += (flat.value[k] - *ui).max(0.0);
            }
        }
    }
    for (r, pairs) in part.row_pairs.iter().enumerate() {
        let items: Vec<knapsack::Item> = pairs
            .iter()
            .filter(|(i, _)| !part.pinned[*i])
            .map(|&(i, k)| knapsack::Item {
                value: flat.value[k] - u[i],
                need: part.need[i],
            })
            .collect();
        let packed = knapsack::pack(&items, room[r], 0.0, node_limit);
        total += packed.bound.min(lam[r][0] + lam[r][1] + 1e-9);
    }
    total
}

pub(crate) fn priced(flat: &Flat, lam: &[[f64; 2]], k: usize) -> f64 {
    match flat.row[k] {
        usize::MAX => 0.0,
        r => lam[r][0] * flat.share[k][0] + lam[r][1] * flat.share[k][1],
    }
}

/// The pairs' numbers the relaxation reads, flat: value, row (`usize::MAX`: none) and the
/// share of the row's days and budget the task takes.
pub(crate) struct Flat {
    pub value: Vec<f64>,
    pub row: Vec<usize>,
    pub share: Vec<[f64; 2]>,
}

impl Flat {
    pub(crate) fn new(part: &Part) -> Flat {
        let mut share = vec![[0.0; 2]; part.pairs.len()];
        for i in 0..part.len() {
            for k in part.pairs(i) {
                if let Some(r) = part.row[k] {
                    share[k] = [
                        part.need[i][0] / part.cap[r][0].max(1e-9),
                        part.need[i][1] / part.cap[r][1].max(1e-9),
                    ];
                }
            }
        }
        Flat {
            value: part.pairs.iter().map(|p| p.value).collect(),
            row: part.row.iter().map(|r| r.unwrap_or(usize::MAX)).collect(),
            share,
        }
    }
}
