//! Assignments of a large part: built from prices or from the relaxation's averaged
//! choices, then improved by moves that keep every rule (better pairs, making room,
//! dependency chains, re-packing a row).

use super::repack;
use crate::model::{Assignment, Part, State};
use crate::rules::fits;

/// An assignment from prices: pins first, then tasks by their priced value (best first) at
/// their best priced pair; then whatever still fits, by value.
pub(crate) fn construct(part: &Part, lam: &[[f64; 2]]) -> Assignment {
    let mut s = State::new(part);
    let priced = |_: usize, k: usize| part.pairs[k].value - part.price_of(lam, k);
    let best_priced: Vec<f64> = (0..part.len())
        .map(|i| {
            part.pairs(i)
                .map(|k| priced(i, k))
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let mut order: Vec<usize> = (0..part.len()).collect();
    order.sort_by(|&a, &b| {
        part.pinned[b]
            .cmp(&part.pinned[a])
            .then(best_priced[b].total_cmp(&best_priced[a]))
            .then(a.cmp(&b))
    });
    let first: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| part.pinned[i] || best_priced[i] > 0.0)
        .collect();
    let positive = |i: usize, k: usize| {
        let v = priced(i, k);
        if v > 0.0 || part.pinned[i] {
            v
        } else {
            f64::NEG_INFINITY
        }
    };
    s.fill_if(&first, &positive);
    let by_value = |_: usize, k: usize| part.pairs[k].value;
    let rest = part.by_best_value();
    s.fill(&rest, &by_value);
    s.finish()
}

/// An assignment from how often each pair was the relaxation's choice: pins first, then
/// pairs by frequency (then value), each placed if its task is free and it fits; then
/// whatever still fits, by value.
pub(crate) fn from_frequencies(part: &Part, freq: &[f64]) -> Assignment {
    let mut s = State::new(part);
    let mut order: Vec<usize> = (0..part.pairs.len()).collect();
    let task_of: Vec<usize> = (0..part.len())
        .flat_map(|i| part.pairs(i).map(move |_| i))
        .collect();
    order.sort_by(|&a, &b| {
        part.pinned[task_of[b]]
            .cmp(&part.pinned[task_of[a]])
            .then(freq[b].total_cmp(&freq[a]))
            .then(part.pairs[b].value.total_cmp(&part.pairs[a].value))
            .then(a.cmp(&b))
    });
    loop {
        let mut changed = false;
        for &k in &order {
            let i = task_of[k];
            if freq[k] <= 0.0 && !part.pinned[i] {
                break;
            }
            if s.pick[i].is_none() && s.deps_placed(i) && s.fits(i, k) {
                s.place(i, k);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let rest = part.by_best_value();
    s.fill(&rest, &|_, k| part.pairs[k].value);
    s.finish()
}

/// Improves an assignment by moves that keep every constraint: a task to a better pair that
/// fits; an unplaced task in, after moving one placed task of that row elsewhere or
/// dropping one of less value.
pub(crate) fn local_search(part: &Part, a: Assignment, repack_rows: bool) -> Assignment {
    let mut s = State::new(part);
    for (i, k) in a.pick.iter().enumerate() {
        if let Some(k) = k {
            s.place(i, *k);
        }
    }
    let order = part.by_best_value();
    for _round in 0..4 {
        let mut gained = false;
        // Better pairs for placed tasks.
        for i in 0..part.len() {
            let Some(k) = s.pick[i] else { continue };
            if part.pinned[i] {
                continue;
            }
            let v = part.pairs[k].value;
            let better = part
                .pairs(i)
                .filter(|&j| part.pairs[j].value > v && s.fits(i, j))
                .max_by(|&a, &b| part.pairs[a].value.total_cmp(&part.pairs[b].value));
            if let Some(j) = better {
                s.remove(i);
                s.place(i, j);
                gained = true;
            }
        }
        // Unplaced tasks in.
        for &u in &order {
            if s.pick[u].is_some() || !s.deps_placed(u) {
                continue;
            }
            if let Some(k) = part
                .pairs(u)
                .filter(|&k| s.fits(u, k))
                .max_by(|&a, &b| part.pairs[a].value.total_cmp(&part.pairs[b].value))
            {
                s.place(u, k);
                gained = true;
                continue;
            }
            if let Some(mv) = best_make_room(&s, u, 1e-9, &[]) {
                apply(&mut s, u, mv);
                gained = true;
            }
        }
        // Unplaced tasks waiting for unplaced dependencies: the dependencies in first, then
        // the task, if together they add value.
        for &u in &order {
            if s.pick[u].is_none() && !s.deps_placed(u) {
                gained |= place_chain(&mut s, u);
            }
        }
        // Each capacity row packed again.
        if repack_rows {
            for r in 0..part.rows.len() {
                gained |= repack::repack(&mut s, r);
            }
        }
        if !gained {
            break;
        }
    }
    s.finish()
}

/// Longest chain of unplaced dependencies placed together with a task.
const CHAIN: usize = 4;

/// Places `u` with the unplaced tasks it depends on (dependencies first), making room as
/// needed, if the whole adds value; otherwise changes nothing.
fn place_chain(s: &mut State, u: usize) -> bool {
    let part = s.part;
    let mut chain = Vec::new();
    if !collect_chain(s, u, &mut chain) {
        return false;
    }
    let best_value = |i: usize| {
        part.pairs(i)
            .map(|k| part.pairs[k].value)
            .fold(0.0, f64::max)
    };
    let mut budget: f64 = chain.iter().map(|&i| best_value(i)).sum();
    let saved = (s.pick.clone(), s.left.clone(), s.members.clone());
    let mut gain = 0.0;
    for &i in &chain {
        budget -= best_value(i);
        let direct = part
            .pairs(i)
            .filter(|&k| s.fits(i, k))
            .max_by(|&a, &b| part.pairs[a].value.total_cmp(&part.pairs[b].value));
        if let Some(k) = direct {
            s.place(i, k);
            gain += part.pairs[k].value;
        } else if let Some(mv) = best_make_room(s, i, -(budget + gain), &chain) {
            gain += mv.gain;
            apply(s, i, mv);
        } else {
            break;
        }
    }
    if s.pick[u].is_some() && gain > 1e-9 {
        return true;
    }
    (s.pick, s.left, s.members) = saved;
    false
}

/// The unplaced tasks `u` needs, dependencies before dependants, ending with `u`; false if
/// more than [`CHAIN`].
fn collect_chain(s: &State, u: usize, chain: &mut Vec<usize>) -> bool {
    if s.pick[u].is_some() || chain.contains(&u) {
        return true;
    }
    for &d in &s.part.deps[u] {
        if !collect_chain(s, d, chain) {
            return false;
        }
    }
    chain.push(u);
    chain.len() <= CHAIN
}

/// How to make room for `u` at pair `k`: move `v` to pair `to`, or drop `v`.
#[derive(Clone, Copy)]
struct MakeRoom {
    k: usize,
    v: usize,
    to: Option<usize>,
    gain: f64,
}

/// `keep`: tasks that must stay where they are (a chain being placed).
fn best_make_room(s: &State, u: usize, min_gain: f64, keep: &[usize]) -> Option<MakeRoom> {
    let part = s.part;
    let mut best: Option<MakeRoom> = None;
    for k in part.pairs(u) {
        let Some(r) = part.row[k] else { continue };
        let vu = part.pairs[k].value;
        for &v in &s.members[r] {
            if part.pinned[v] || keep.contains(&v) {
                continue;
            }
            let kv = s.pick[v].expect("member is placed");
            let room = [
                s.left[r][0] + part.need[v][0],
                s.left[r][1] + part.need[v][1],
            ];
            if !(fits(part.need[u][0], room[0]) && fits(part.need[u][1], room[1])) {
                continue;
            }
            let vv = part.pairs[kv].value;
            // Move v elsewhere.
            for j in part.pairs(v) {
                if j == kv || part.row[j] == Some(r) || !s.fits(v, j) {
                    continue;
                }
                let gain = vu + part.pairs[j].value - vv;
                if gain > min_gain && best.is_none_or(|b| gain > b.gain) {
                    best = Some(MakeRoom {
                        k,
                        v,
                        to: Some(j),
                        gain,
                    });
                }
            }
            // Or drop it, if nothing placed needs it.
            let gain = vu - vv;
            if gain > min_gain && !s.needed(v) && best.is_none_or(|b| gain > b.gain) {
                best = Some(MakeRoom {
                    k,
                    v,
                    to: None,
                    gain,
                });
            }
        }
    }
    best
}

fn apply(s: &mut State, u: usize, mv: MakeRoom) {
    s.remove(mv.v);
    if let Some(j) = mv.to {
        s.place(mv.v, j);
    }
    s.place(u, mv.k);
}
