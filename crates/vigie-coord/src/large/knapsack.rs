//! A two-resource 0-1 knapsack (person-days and budget), by depth-first branch and bound
//! on the surrogate relaxation (the two shares of the room added up). Used to re-pack one
//! capacity row and to bound what one row can hold.

use crate::rules::fits;

/// An item: its value and what it uses, `[days, budget]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub value: f64,
    pub need: [f64; 2],
}

/// The best packing found.
pub(crate) struct Packing {
    /// Items taken (in the input order), when a packing worth more than `floor` was found.
    pub taken: Option<Vec<bool>>,
    /// No packing is worth more than this: the value when the search finished, else the
    /// surrogate relaxation's.
    pub bound: f64,
}

/// Packs `items` into `room`, looking for more than `floor`, exploring at most `node_limit`
/// nodes. Items that use nothing are taken alike. Only items of positive value are taken.
pub(crate) fn pack(items: &[Item], room: [f64; 2], floor: f64, node_limit: usize) -> Packing {
    let scale = [room[0].max(1e-9), room[1].max(1e-9)];
    let mut order: Vec<(usize, f64)> = items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.value > 0.0 && fits(it.need[0], room[0]) && fits(it.need[1], room[1]))
        .map(|(i, it)| (i, it.need[0] / scale[0] + it.need[1] / scale[1]))
        .collect();
    order.sort_by(|a, b| {
        (items[b.0].value * a.1)
            .total_cmp(&(items[a.0].value * b.1))
            .then(a.0.cmp(&b.0))
    });
    let mut s = Search {
        items,
        order: &order,
        room,
        taken: vec![false; order.len()],
        best: floor,
        best_taken: None,
        nodes: 0,
        limit: node_limit,
    };
    let root = s.relaxation(0, [0.0, 0.0]);
    s.dfs(0, 0.0, [0.0, 0.0]);
    let finished = s.nodes <= node_limit;
    let taken = s.best_taken.map(|t| {
        let mut out = vec![false; items.len()];
        for (j, &(i, _)) in order.iter().enumerate() {
            out[i] = t[j];
        }
        out
    });
    Packing {
        taken,
        bound: if finished { s.best } else { root.max(s.best) },
    }
}

struct Search<'a> {
    items: &'a [Item],
    /// Items that may be taken, best value per combined share first, with that share.
    order: &'a [(usize, f64)],
    room: [f64; 2],
    taken: Vec<bool>,
    best: f64,
    best_taken: Option<Vec<bool>>,
    nodes: usize,
    limit: usize,
}

impl Search<'_> {
    fn dfs(&mut self, j: usize, value: f64, used: [f64; 2]) {
        self.nodes += 1;
        if value > self.best {
            self.best = value;
            self.best_taken = Some(self.taken.clone());
        }
        if j == self.order.len() || self.nodes > self.limit {
            return;
        }
        if value + self.relaxation(j, used) <= self.best {
            return;
        }
        let it = &self.items[self.order[j].0];
        if fits(used[0] + it.need[0], self.room[0]) && fits(used[1] + it.need[1], self.room[1]) {
            self.taken[j] = true;
            self.dfs(
                j + 1,
                value + it.value,
                [used[0] + it.need[0], used[1] + it.need[1]],
            );
            self.taken[j] = false;
        }
        self.dfs(j + 1, value, used);
    }

    /// What items `j..` could still add, at most: the fractional fill of the surrogate
    /// constraint (days share + budget share ≤ the shares left, with the tolerance `fits`
    /// allows).
    fn relaxation(&self, j: usize, used: [f64; 2]) -> f64 {
        let slack = |d: usize| {
            let r = self.room[d];
            (r + crate::rules::EPS * r.abs().max(1.0) - used[d]) / r.max(1e-9)
        };
        let mut cap = slack(0) + slack(1);
        let mut add = 0.0;
        for &(i, w) in &self.order[j..] {
            if cap <= 0.0 {
                break;
            }
            let v = self.items[i].value;
            if w <= cap {
                add += v;
                cap -= w;
            } else {
                add += v * cap / w;
                break;
            }
        }
        add
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(items: &[Item], room: [f64; 2]) -> f64 {
        let mut best = 0.0f64;
        for mask in 0u32..(1 << items.len()) {
            let (mut v, mut d, mut b) = (0.0, 0.0, 0.0);
            for (i, it) in items.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    v += it.value;
                    d += it.need[0];
                    b += it.need[1];
                }
            }
            if fits(d, room[0]) && fits(b, room[1]) {
                best = best.max(v);
            }
        }
        best
    }

    #[test]
    fn finds_the_best_packing_and_a_bound_above_it() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        for _ in 0..200 {
            let n = 1 + (next() * 12.0) as usize;
            let items: Vec<Item> = (0..n)
                .map(|_| Item {
                    value: (next() * 100.0).round() - 10.0,
                    need: [(next() * 60.0).round(), (next() * 200.0).round()],
                })
                .collect();
            let room = [(next() * 150.0).round(), (next() * 400.0).round()];
            let want = brute(&items, room);
            let value = |t: &Option<Vec<bool>>| -> f64 {
                t.as_ref().map_or(0.0, |t| {
                    items
                        .iter()
                        .zip(t)
                        .filter(|(_, t)| **t)
                        .map(|(i, _)| i.value)
                        .sum()
                })
            };
            let got = pack(&items, room, 0.0, usize::MAX);
            assert!(
                (value(&got.taken) - want).abs() < 1e-9,
                "{} vs {want}",
                value(&got.taken)
            );
            assert!((got.bound - want).abs() < 1e-9);
            let limited = pack(&items, room, 0.0, 3);
            assert!(limited.bound >= want - 1e-9 && value(&limited.taken) <= want + 1e-9);
        }
    }
}
