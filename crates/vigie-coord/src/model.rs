//! The allocation's working model, shared by the solver, the explanations and the
//! large-part search: capacity pools and eligible pairs, the analysis the explanations
//! read, a part in local form and a search state over it. A leaf: it imports only the
//! problem and the rules.

use std::collections::HashMap;

use uuid::Uuid;

use crate::problem::Problem;
use crate::rules::{fits, Why};

/// A capacity pool: one capacity period of one organisation, less what committed tasks use.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub org: usize,
    pub period: usize,
    pub days_left: f64,
    pub budget_left: f64,
}

/// An eligible (task, organisation) pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub task: usize,
    pub org: usize,
    pub pool: usize,
    pub value: f64,
}

/// Everything the explanations need.
pub(crate) struct Analysis<'a> {
    pub problem: &'a Problem,
    pub pools: Vec<Pool>,
    /// `pool_of[org][period]`.
    pub pool_of: Vec<Vec<usize>>,
    /// For each task, for each organisation: why not (None = eligible, capacity aside and
    /// fitting alone).
    pub why: Vec<Vec<Option<Why>>>,
    /// Values of every eligible pair, by task then organisation.
    pub values: Vec<Vec<f64>>,
    pub task_index: HashMap<Uuid, usize>,
    pub allocatable: Vec<bool>,
    pub committed: Vec<bool>,
    pub possible: Vec<bool>,
    pub pinned: Vec<Option<usize>>,
    /// Chosen organisation of each task.
    pub chosen: Vec<Option<usize>>,
    /// Left in each pool after the allocation.
    pub days_after: Vec<f64>,
    pub budget_after: Vec<f64>,
}

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

/// Room left in each row, and which tasks use each row.
pub(crate) struct State<'a> {
    pub part: &'a Part,
    pub pick: Vec<Option<usize>>,
    pub left: Vec<[f64; 2]>,
    pub members: Vec<Vec<usize>>,
}

impl<'a> State<'a> {
    pub(crate) fn new(part: &'a Part) -> Self {
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

    pub(crate) fn finish(self) -> Assignment {
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
    pub(crate) fn fill(&mut self, order: &[usize], score: &dyn Fn(usize, usize) -> f64) {
        self.fill_if(order, score)
    }

    /// The same, where a score of minus infinity rules a pair out.
    pub(crate) fn fill_if(&mut self, order: &[usize], score: &dyn Fn(usize, usize) -> f64) {
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
