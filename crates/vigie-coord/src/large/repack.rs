//! Re-packing one capacity row: the tasks it holds and the unplaced tasks that could join it
//! are packed again as a two-resource knapsack (`knapsack::pack`). Tasks it
//! drops become unplaced, for later moves to place elsewhere.

use super::knapsack::{self, Item};
use crate::model::State;

/// Nodes one re-pack may explore; past it the best packing found so far is used.
const NODE_LIMIT: usize = 20_000;

/// Re-packs row `r` if a packing of more value exists; returns whether it changed.
pub(crate) fn repack(s: &mut State, r: usize) -> bool {
    let part = s.part;
    let mut room = s.left[r];
    let mut items = Vec::new();
    let mut before = 0.0;
    for &v in &s.members[r] {
        if part.pinned[v] || s.needed(v) {
            continue;
        }
        let k = s.pick[v].expect("members are placed");
        room[0] += part.need[v][0];
        room[1] += part.need[v][1];
        before += part.pairs[k].value;
        items.push((v, k));
    }
    for &(u, k) in &part.row_pairs[r] {
        if s.pick[u].is_none() && s.deps_placed(u) {
            items.push((u, k));
        }
    }
    if items.is_empty() {
        return false;
    }
    let packing = knapsack::pack(
        &items
            .iter()
            .map(|&(task, pair)| Item {
                value: part.pairs[pair].value,
                need: part.need[task],
            })
            .collect::<Vec<_>>(),
        room,
        before + 1e-9 * before.abs().max(1.0),
        NODE_LIMIT,
    );
    let Some(take) = packing.taken else {
        return false;
    };
    // Apply, unless a task taken in depends on one dropped.
    let saved = (s.pick.clone(), s.left.clone(), s.members.clone());
    for (it, &t) in items.iter().zip(&take) {
        if !t && s.pick[it.0].is_some() {
            s.remove(it.0);
        }
    }
    for (it, &t) in items.iter().zip(&take) {
        if t && s.pick[it.0].is_none() {
            s.place(it.0, it.1);
        }
    }
    let ok = items
        .iter()
        .zip(&take)
        .filter(|(_, t)| **t)
        .all(|(it, _)| s.deps_placed(it.0))
        && items
            .iter()
            .zip(&take)
            .filter(|(_, t)| !**t)
            .all(|(it, _)| !s.needed(it.0));
    if !ok {
        (s.pick, s.left, s.members) = saved;
        return false;
    }
    true
}
