//! Parts too large for the mixed-integer solver: a Lagrangian relaxation of the capacity
//! rows gives an upper bound and prices; assignments built from those prices and improved by
//! local moves give the lower bound (every one of them respects every constraint).

use std::collections::HashMap;
use std::time::Instant;

use uuid::Uuid;

use crate::knapsack;
use crate::problem::Problem;
use crate::repack;
use crate::rules::fits;
use crate::solve::{Pair, Pool};

/// A part in flat, local form.
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
        let need = group
            .iter()
            .map(|&t| [problem.tasks[t].effort_days, problem.tasks[t].budget])
            .collect();
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
            need,
            deps,
            needed_by,
        }
    }

    fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn pairs(&self, i: usize) -> std::ops::Range<usize> {
        self.first[i]..self.first[i + 1]
    }

    /// Local tasks by the value of their best pair, highest first.
    fn by_best_value(&self) -> Vec<usize> {
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

    /// What pair `k` of local task `i` costs at multipliers `lam` (per share of its row).
    pub fn price_of(&self, lam: &[[f64; 2]], i: usize, k: usize) -> f64 {
        match self.row[k] {
            None => 0.0,
            Some(r) => {
                lam[r][0] * self.need[i][0] / self.cap[r][0].max(1e-9)
                    + lam[r][1] * self.need[i][1] / self.cap[r][1].max(1e-9)
            }
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
    let flat = Flat::new(part);
    let mut g = vec![[0.0f64; 2]; n_rows];
    let mut dir = vec![[0.0f64; 2]; n_rows];
    let mut choice = vec![usize::MAX; part.len()];
    let mut freq = vec![0.0f64; part.pairs.len()];
    let mut theta = 1.0;
    let mut since = 0;
    let mut iter = 0;
    while iter < DUAL_STEPS && theta > 1e-6 {
        if iter % 16 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        iter += 1;
        let l = dual(part, &flat, &lam, &mut g, &mut choice);
        if iter > DUAL_STEPS / 2 {
            for &k in choice.iter().filter(|&&k| k != usize::MAX) {
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
    bound = bound.min(knapsack_bound(part, &flat, &best_lam, 2_000));
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

/// The Lagrangian function at `lam` (capacity rows relaxed, dependencies dropped: both only
/// raise it, so it bounds the best value from above) and a subgradient.
fn dual(
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
fn knapsack_bound(part: &Part, flat: &Flat, lam: &[[f64; 2]], node_limit: usize) -> f64 {
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

fn priced(flat: &Flat, lam: &[[f64; 2]], k: usize) -> f64 {
    match flat.row[k] {
        usize::MAX => 0.0,
        r => lam[r][0] * flat.share[k][0] + lam[r][1] * flat.share[k][1],
    }
}

/// The pairs' numbers the relaxation reads, flat: value, row (`usize::MAX`: none) and the
/// share of the row's days and budget the task takes.
struct Flat {
    value: Vec<f64>,
    row: Vec<usize>,
    share: Vec<[f64; 2]>,
}

impl Flat {
    fn new(part: &Part) -> Flat {
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

/// Room left in each row, and which tasks use each row.
pub(crate) struct State<'a> {
    pub part: &'a Part,
    pub pick: Vec<Option<usize>>,
    pub left: Vec<[f64; 2]>,
    pub members: Vec<Vec<usize>>,
}

impl<'a> State<'a> {
    fn new(part: &'a Part) -> Self {
        State {
            part,
            pick: vec![None; part.len()],
            left: part.cap.clone(),
            members: vec![Vec::new(); part.rows.len()],
        }
    }

    pub fn fits(&self, i: usize, k: usize) -> bool {
        match self.part.row[k] {
            None => true,
            Some(r) => {
                fits(self.part.need[i][0], self.left[r][0])
                    && fits(self.part.need[i][1], self.left[r][1])
            }
        }
    }

    pub fn deps_placed(&self, i: usize) -> bool {
        self.part.deps[i].iter().all(|&d| self.pick[d].is_some())
    }

    pub fn needed(&self, i: usize) -> bool {
        self.part.needed_by[i]
            .iter()
            .any(|&j| self.pick[j].is_some())
    }

    pub fn place(&mut self, i: usize, k: usize) {
        debug_assert!(self.pick[i].is_none());
        if let Some(r) = self.part.row[k] {
            self.left[r][0] -= self.part.need[i][0];
            self.left[r][1] -= self.part.need[i][1];
            self.members[r].push(i);
        }
        self.pick[i] = Some(k);
    }

    pub fn remove(&mut self, i: usize) {
        let k = self.pick[i].take().expect("placed");
        if let Some(r) = self.part.row[k] {
            self.left[r][0] += self.part.need[i][0];
            self.left[r][1] += self.part.need[i][1];
            self.members[r].retain(|&j| j != i);
        }
    }

    fn finish(self) -> Assignment {
        let value = self
            .pick
            .iter()
            .flatten()
            .map(|&k| self.part.pairs[k].value)
            .sum();
        Assignment {
            pick: self.pick,
            value,
        }
    }

    /// Places unplaced tasks, in `order`, at the pair of highest `score` that fits, while
    /// anything changes (a task waits for its dependencies).
    fn fill(&mut self, order: &[usize], score: &dyn Fn(usize, usize) -> f64) {
        self.fill_if(order, score)
    }

    /// The same, where a score of minus infinity rules a pair out.
    fn fill_if(&mut self, order: &[usize], score: &dyn Fn(usize, usize) -> f64) {
        loop {
            let mut changed = false;
            for &i in order {
                if self.pick[i].is_some() || !self.deps_placed(i) {
                    continue;
                }
                let k = self
                    .part
                    .pairs(i)
                    .filter(|&k| score(i, k) > f64::NEG_INFINITY && self.fits(i, k))
                    .max_by(|&a, &b| score(i, a).total_cmp(&score(i, b)));
                if let Some(k) = k {
                    self.place(i, k);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// An assignment from prices: pins first, then tasks by their priced value (best first) at
/// their best priced pair; then whatever still fits, by value.
fn construct(part: &Part, lam: &[[f64; 2]]) -> Assignment {
    let mut s = State::new(part);
    let priced = |i: usize, k: usize| part.pairs[k].value - part.price_of(lam, i, k);
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
fn from_frequencies(part: &Part, freq: &[f64]) -> Assignment {
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
fn local_search(part: &Part, a: Assignment, repack_rows: bool) -> Assignment {
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
