//! The Lagrangian relaxation of a large part's capacity rows: its value at given prices (an
//! upper bound on every assignment), a subgradient, and a second bound with each row kept
//! as a knapsack.

use super::knapsack;
use crate::model::Part;

/// The Lagrangian function at `lam` (capacity rows relaxed, dependencies dropped: both only
/// raise it, so it bounds the best value from above) and a subgradient.
pub(crate) fn dual(
    part: &Part,
    lam: &[[f64; 2]],
    g: &mut [[f64; 2]],
    choice: &mut [Option<usize>],
) -> f64 {
    g.iter_mut().for_each(|x| *x = [1.0, 1.0]);
    let mut l: f64 = lam.iter().map(|x| x[0] + x[1]).sum();
    for (i, chosen) in choice.iter_mut().enumerate() {
        let mut top = if part.pinned[i] {
            f64::NEG_INFINITY
        } else {
            0.0
        };
        let mut arg = None;
        for k in part.pairs(i) {
            let red = part.pairs[k].value - part.price_of(lam, k);
            if red > top {
                top = red;
                arg = Some(k);
            }
        }
        l += top;
        *chosen = arg;
        if let Some(k) = arg {
            if let Some(r) = part.row[k] {
                g[r][0] -= part.share[k][0];
                g[r][1] -= part.share[k][1];
            }
        }
    }
    l
}

/// A second, stronger bound from the prices `lam`: with `u` the priced value of each task's
/// best choice, relax "one organisation per task" with multipliers `u` instead and keep each
/// row's capacity: each row is then a two-resource knapsack of the profits `value − u`,
/// solved exactly (or, past `node_limit`, bounded by its relaxation or by the row's prices,
/// whichever is smaller). Dependencies are dropped; pinned tasks are taken.
pub(crate) fn knapsack_bound(part: &Part, lam: &[[f64; 2]], node_limit: usize) -> f64 {
    let mut total = 0.0;
    let mut u = vec![0.0; part.len()];
    let mut room = part.cap.clone();
    for (i, ui) in u.iter_mut().enumerate() {
        if part.pinned[i] {
            let k = part.first[i];
            total += part.pairs[k].value;
            if let Some(r) = part.row[k] {
                room[r][0] -= part.need[i][0];
                room[r][1] -= part.need[i][1];
            }
            continue;
        }
        *ui = part
            .pairs(i)
            .map(|k| part.pairs[k].value - part.price_of(lam, k))
            .fold(0.0, f64::max);
        total += *ui;
        for k in part.pairs(i) {
            if part.row[k].is_none() {
                total += (part.pairs[k].value - *ui).max(0.0);
            }
        }
    }
    for (r, pairs) in part.row_pairs.iter().enumerate() {
        let items: Vec<knapsack::Item> = pairs
            .iter()
            .filter(|(i, _)| !part.pinned[*i])
            .map(|&(i, k)| knapsack::Item {
                value: part.pairs[k].value - u[i],
                need: part.need[i],
            })
            .collect();
        let packed = knapsack::pack(&items, room[r], 0.0, node_limit);
        total += packed.bound.min(lam[r][0] + lam[r][1] + 1e-9);
    }
    total
}
