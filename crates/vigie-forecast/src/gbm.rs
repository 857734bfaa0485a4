//! `gbm`: a learned model with a full predictive distribution (docs/forecasting.md has
//! the results and how each choice was made).
//!
//! - **Point model**: the average of [`BAGS`] gradient-boosted tree ensembles
//!   ([`perpetual`], squared loss, budget [`BUDGET`] fixed a priori, [`TREES`] trees each,
//!   one thread, seeded, so the fit is deterministic) predicting the change of
//!   `ln(1 + y)`, `h` months after an origin month, from the persistence
//!   baseline `ln(1 + mean of the last 6 months)` ([`BASELINE`]), from features of the
//!   panel up to the origin only ([`FEATURES`]: the unit's history, its neighbours' — the
//!   panel's table, else the world table of [`crate::neighbours`] for countries or the
//!   grid for PRIO-GRID cells —, its region's and the world's), the horizon `h` (3..=14)
//!   being one of them; the unit's level features capped at [`LEVEL_CAP`] fatalities a
//!   month for the boosters. Training rows: every unit × every origin month whose target
//!   is on or before the cut-off, one horizon per (unit, origin), cycling through 3..=14.
//! - **Distribution**: the model's quantiles are the prediction plus `scale ×` the
//!   quantiles of the residuals whose prediction fell in the same level bin,
//!   back-transformed with `exp(·) − 1`, floored at 0. The residuals are the validation
//!   model's out-of-sample forecast errors (the fit's in-sample ones when validation has a
//!   single origin). Draw `i` of `n` is the quantile average, at `p = (i + ½) / n`, of the
//!   model's quantile (weight `1 − mix`) and conflictology's (weight `mix`: the unit's own
//!   last 12 training months, interpolated), rounded; the draws are then put in random
//!   order.
//! - **Validation** (inside the training data only): a second model, fit on the targets
//!   up to the cut-off minus 38 months, forecasts from three origins (cut-off − 38, − 26,
//!   − 14; pseudo-windows 3..=14 months ahead like the real one, all inside the training
//!   data). Each (`mix`, `scale`) of [`MIX_GRID`] × [`SCALE_GRID`] is scored on each origin
//!   with the other origins' residuals; the winner has the lowest mean CRPS ratio to
//!   conflictology among those whose mean MIS ratio is at most 1. With less data, one
//!   origin (cut-off − 14) and in-sample residuals; with too little even for that (short
//!   pgm histories), the a-priori pair ([`DEFAULT_MIX`], [`DEFAULT_SCALE`]).
//!
//! Nothing after the cut-off is read: [`fit`] first truncates every series at the cut-off.

use std::collections::HashMap;

use perpetual::objective::Objective;
use perpetual::{Matrix, PerpetualBooster};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::panel::{Neighbours, Panel, Series, UnitKind};
use crate::score::{crps, quantile};

/// Perpetual's budget (its step size `10^-budget`), fixed a priori (not tuned on any
/// window).
pub const BUDGET: f32 = 0.5;
/// Perpetual's memory limit (GB), per fit.
pub const MEMORY_LIMIT_GB: f32 = 1.0;
/// First and last horizon (months after the cut-off) of a window: January to December.
pub const H_MIN: u32 = 3;
pub const H_MAX: u32 = 14;
/// The conflictology share and residual scale used when validation is impossible.
pub const DEFAULT_MIX: f64 = 0.25;
pub const DEFAULT_SCALE: f64 = 1.0;
/// The candidates of the rolling-origin validation.
pub const MIX_GRID: [f64; 6] = [0.0, 0.25, 0.5, 0.65, 0.8, 1.0];
pub const SCALE_GRID: [f64; 4] = [0.6, 0.8, 1.0, 1.25];
/// The validation needs at least this many training rows and validation unit-months.
const MIN_VALIDATION_ROWS: usize = 2000;
/// Cut-offs of the validation model, months before the real cut-off, tried in order:
/// 38 gives three pseudo-windows (origins `train_end` − 38, − 26, − 14), 14 one.
const VALIDATION_BACK: [u32; 2] = [38, 14];
/// At most this many units are scored per validation origin (a deterministic subset).
const MAX_VALIDATION_UNITS: usize = 2000;
/// Draws per validation unit-month (the CRPS of the candidates).
const VALIDATION_DRAWS: usize = 200;
/// Boosters averaged per fit, all on the same training rows, booster `k` seeded with
/// `seed + 1000·k` (perpetual's row subsample; the stride keeps the bags of neighbouring
/// fit seeds apart). Chosen with [`TREES`] on the development windows Y2012–Y2017, by the
/// mean over five fit seeds (docs/forecasting.md).
pub const BAGS: u32 = 3;
/// Trees per booster: a fixed number instead of perpetual's automatic stop. With squared
/// loss and ~60,000 rows perpetual fits each tree on a random 95% of the rows and stops
/// when the loss on the other 5% — a different 5% every round — has not improved for 3
/// rounds: after 4 to 33 trees depending on the seed, and with it the forecast of the
/// biggest conflicts (development window Y2013: Syria's predicted change −0.55 to −1.55
/// over five seeds, the window's CRPS ratio 0.78 to 1.27). Chosen among 3, 4, 5, 6, 8, 12,
/// 16, 24 on the development windows (docs/forecasting.md).
pub const TREES: usize = 5;
/// Perpetual's stopping rounds: more than [`TREES`], so no early stop.
const STOPPING_ROUNDS: usize = 1000;
/// Residual level bins on the predicted `ln(1 + y)`.
const LEVEL_EDGES: [f64; 8] = [0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
const MIN_BIN: usize = 50;

/// The features, in column order.
pub const FEATURES: [&str; 19] = [
    "horizon",
    "l0",
    "l1",
    "l2",
    "mean3",
    "mean6",
    "mean12",
    "mean36",
    "max12",
    "max_ever",
    "sd12",
    "decay_since_last",
    "months_since_onset",
    "neighbours12",
    "neighbours3",
    "neighbourhood_trend",
    "region12",
    "global_trend",
    "regional_trend",
];
const NF: usize = FEATURES.len();

/// One unit's forecast for a window.
#[derive(Debug, Clone)]
struct UnitForecast {
    /// Predicted `ln(1 + y)` for horizons 3..=14.
    pred: [f64; 12],
    /// The unit's last 12 training values (conflictology), sorted.
    recent: Vec<f64>,
}

/// The fitted `gbm` of one window: per-unit predictions and the residual pools.
#[derive(Debug, Clone)]
pub struct GbmFit {
    units: HashMap<u32, UnitForecast>,
    residuals: Residuals,
    /// The distribution's parameters.
    /// One per level group ([`GROUPS`]).
    pub choices: [Choice; GROUPS],
    /// Whether `mix`, `scale` and the residuals came from validation (false: the
    /// a-priori choice).
    pub validated: bool,
    /// The chosen candidates' validation scores, by group: the mean over the origins of
    /// the group's CRPS relative to conflictology's.
    pub validation_score: Option<[f64; GROUPS]>,
    /// The validation's origins (pseudo-window cut-offs), empty when not validated.
    pub validation_origins: Vec<u32>,
    pub train_end: u32,
}

impl GbmFit {
    /// Whether the unit has a forecast (it had at least one training month).
    pub fn covers(&self, unit: u32) -> bool {
        self.units.contains_key(&unit)
    }

    /// `n` integer draws for `unit` and `month` (horizon clamped to 3..=14).
    pub fn draws(&self, unit: u32, month: u32, n: usize, rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        let Some(u) = self.units.get(&unit) else {
            return;
        };
        let h = month.saturating_sub(self.train_end).clamp(H_MIN, H_MAX);
        let pred = u.pred[(h - H_MIN) as usize];
        let c = self.choices[group(&u.recent)];
        sample(pred, &u.recent, &self.residuals, c, n, rng, out);
    }
}

/// The distribution's parameters, chosen by validation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The weight of conflictology's quantiles (the unit's own last 12 months) in the
    /// quantile average.
    pub mix: f64,
    /// The factor on the resampled residuals.
    pub scale: f64,
    /// Residuals: the validation model's out-of-sample forecast errors, or the fit's
    /// in-sample ones.
    pub out_of_sample: bool,
}

impl Choice {
    /// The a-priori choice, when validation is impossible.
    pub const DEFAULT: Choice = Choice {
        mix: DEFAULT_MIX,
        scale: DEFAULT_SCALE,
        out_of_sample: false,
    };
}

/// `n` draws: at each `p = (i + ½) / n`, the average of the model's quantile (weight
/// `1 − mix`) and conflictology's (weight `mix`), rounded — quantile averaging, which
/// keeps the sharpness that a mixture of the two loses — then shuffled. `own`:
/// conflictology's members (the unit's last 12 months), sorted.
fn sample(
    pred: f64,
    own: &[f64],
    residuals: &Residuals,
    c: Choice,
    n: usize,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<f64>,
) {
    let pool = residuals.pool(pred);
    debug_assert!(own.is_sorted_by(|a, b| a <= b));
    let mix = if own.is_empty() { 0.0 } else { c.mix };
    let start = out.len();
    for i in 0..n {
        // The `p` quantile of each, `p` the middle of the i-th of n equal slices.
        let p = (i as f64 + 0.5) / n as f64;
        let r = match pool.len() {
            0 => 0.0,
            len => pool[((p * len as f64) as usize).min(len - 1)],
        };
        let model = (pred.max(0.0) + c.scale * r).max(0.0).exp_m1();
        let v = if mix > 0.0 {
            (1.0 - mix) * model + mix * quantile(own, p)
        } else {
            model
        };
        out.push(v.round().max(0.0));
    }
    // In random order: draw i of one month is independent of draw i of another (the
    // totals over several months sum them by index).
    let drawn = &mut out[start..];
    for i in (1..drawn.len()).rev() {
        drawn.swap(i, rng.gen_range(0..=i));
    }
}

/// In-sample residuals by level bin of the prediction; a thin bin borrows from its
/// neighbours until it has [`MIN_BIN`] residuals.
#[derive(Debug, Clone, Default)]
struct Residuals {
    bins: Vec<Vec<f64>>,
}

fn level_bin(pred: f64) -> usize {
    LEVEL_EDGES.iter().take_while(|&&e| pred >= e).count()
}

impl Residuals {
    fn new(preds: &[f64], targets: &[f64]) -> Residuals {
        let nb = LEVEL_EDGES.len() + 1;
        let mut raw = vec![Vec::new(); nb];
        for (&p, &y) in preds.iter().zip(targets) {
            raw[level_bin(p.max(0.0))].push(y - p.max(0.0));
        }
        let mut bins = Vec::with_capacity(nb);
        for b in 0..nb {
            let mut pool = raw[b].clone();
            let mut k = 1;
            while pool.len() < MIN_BIN && k < nb {
                if b >= k {
                    pool.extend_from_slice(&raw[b - k]);
                }
                if b + k < nb {
                    pool.extend_from_slice(&raw[b + k]);
                }
                k += 1;
            }
            pool.sort_unstable_by(f64::total_cmp);
            bins.push(pool);
        }
        Residuals { bins }
    }

    fn pool(&self, pred: f64) -> &[f64] {
        self.bins
            .get(level_bin(pred.max(0.0)))
            .map_or(&[], Vec::as_slice)
    }
}

/// Context columns per unit-month: neighbours' mean `ln(1 + last 12)`, `ln(1 + last 3)`,
/// the neighbourhood trend, the region's mean `ln(1 + last 12)` (other units) and the
/// regional trend.
const NCTX: usize = 5;

/// The panel truncated at `end`: what a model of that cut-off may see, as arrays. Every
/// per-month quantity at month `m` is computed from months `<= m` only, so features at an
/// earlier origin are exactly those a panel truncated at that origin would give.
struct Hist {
    units: Vec<u32>,
    first: Vec<u32>,
    /// `ln(1 + y)`.
    values: Vec<Vec<f64>>,
    raw: Vec<Vec<f64>>,
    /// Spatial context per unit and month (same indexing as `values`).
    ctx: Vec<Vec<[f64; NCTX]>>,
    /// Global trend by month (index month - `month0`).
    global_trend: Vec<f64>,
    month0: u32,
}

/// Regions for the regional features of country-months, from Gleditsch–Ward code
/// ranges: Americas, Europe, Africa, Middle East, Asia, Oceania. Other units: one region
/// (the regional features are then the panel's).
fn region(kind: UnitKind, unit: u32) -> u32 {
    match kind {
        UnitKind::Priogrid | UnitKind::Admin1 => 0,
        UnitKind::Country => {
            let gw = u16::try_from(unit)
                .ok()
                .and_then(vigie_core::country::by_views_id)
                .and_then(|c| c.gw)
                .unwrap_or(0);
            match gw {
                0..=199 => 1,
                200..=399 => 2,
                400..=626 => 3,
                627..=699 => 4,
                700..=899 => 5,
                _ => 6,
            }
        }
    }
}

/// Each unit's neighbours (indices into `units`): the panel's table if it has one; else
/// the world table for countries, the 8 grid neighbours for PRIO-GRID cells, none for
/// admin-1 units.
fn neighbour_indices(panel: &Panel, units: &[u32]) -> Vec<Vec<usize>> {
    let index: HashMap<u32, usize> = units.iter().enumerate().map(|(i, &u)| (u, i)).collect();
    let from_table = |t: &Neighbours| -> Vec<Vec<usize>> {
        units
            .iter()
            .map(|u| {
                let mut v: Vec<usize> = t
                    .get(u)
                    .map(|ns| ns.iter().filter_map(|n| index.get(n).copied()).collect())
                    .unwrap_or_default();
                v.sort_unstable();
                v.dedup();
                v.retain(|&j| units[j] != *u);
                v
            })
            .collect()
    };
    if let Some(t) = &panel.neighbours {
        return from_table(t);
    }
    match panel.kind {
        UnitKind::Country => from_table(&crate::neighbours::countries()),
        UnitKind::Admin1 => vec![Vec::new(); units.len()],
        UnitKind::Priogrid => units
            .iter()
            .map(|&gid| {
                // Queen neighbours on the 0.5° grid: row = (gid-1) div 720, col = (gid-1)
                // mod 720 (columns wrap around the globe).
                let g = gid - 1;
                let (row, col) = ((g / 720) as i64, (g % 720) as i64);
                let mut nbrs = Vec::with_capacity(8);
                for dr in -1..=1i64 {
                    for dc in -1..=1i64 {
                        if dr == 0 && dc == 0 {
                            continue;
                        }
                        let r = row + dr;
                        if !(0..360).contains(&r) {
                            continue;
                        }
                        let c = (col + dc).rem_euclid(720);
                        if let Some(&j) = index.get(&((r * 720 + c + 1) as u32)) {
                            nbrs.push(j);
                        }
                    }
                }
                nbrs
            })
            .collect(),
    }
}

fn sum_range(cum: &[f64], a: usize, b: usize) -> f64 {
    // Sum of raw[a..=b] from the prefix sums (cum[i] = sum of raw[..i]).
    cum[b + 1] - cum[a]
}

impl Hist {
    fn new(panel: &Panel, end: u32) -> Hist {
        let series: Vec<&Series> = panel
            .series
            .iter()
            .filter(|s| s.first_month <= end)
            .collect();
        let units: Vec<u32> = series.iter().map(|s| s.unit).collect();
        let first: Vec<u32> = series.iter().map(|s| s.first_month).collect();
        let raw: Vec<Vec<f64>> = series
            .iter()
            .map(|s| s.range(s.first_month, end).to_vec())
            .collect();
        let values: Vec<Vec<f64>> = raw
            .iter()
            .map(|v| v.iter().map(|x| x.ln_1p()).collect())
            .collect();
        let month0 = first.iter().copied().min().unwrap_or(end);
        let nm = (end + 1 - month0) as usize;
        let cums: Vec<Vec<f64>> = raw
            .iter()
            .map(|v| {
                let mut c = vec![0.0; v.len() + 1];
                for (i, x) in v.iter().enumerate() {
                    c[i + 1] = c[i] + x;
                }
                c
            })
            .collect();
        let trailing = |u: usize, i: usize, k: usize| -> f64 {
            let a = (i + 1).saturating_sub(k);
            sum_range(&cums[u], a, i)
        };
        // Global and regional totals of the last 12 months by month, and per region the
        // sum of the units' ln(1 + last 12) and their number.
        let regions: Vec<u32> = units.iter().map(|&u| region(panel.kind, u)).collect();
        let mut global12 = vec![0.0; nm];
        let mut reg: HashMap<u32, [Vec<f64>; 3]> = HashMap::new();
        for u in 0..units.len() {
            let off = (first[u] - month0) as usize;
            let r = reg
                .entry(regions[u])
                .or_insert_with(|| [vec![0.0; nm], vec![0.0; nm], vec![0.0; nm]]);
            for i in 0..raw[u].len() {
                let s12 = trailing(u, i, 12);
                global12[off + i] += s12;
                r[0][off + i] += s12;
                r[1][off + i] += s12.ln_1p();
                r[2][off + i] += 1.0;
            }
        }
        let trend = |tot: &[f64], m: usize| -> f64 {
            let prev = if m >= 12 { tot[m - 12] } else { tot[0] };
            ((tot[m] + 1.0) / (prev + 1.0)).ln()
        };
        let global_trend: Vec<f64> = (0..nm).map(|m| trend(&global12, m)).collect();
        let nbrs = neighbour_indices(panel, &units);
        let mut ctx = Vec::with_capacity(units.len());
        for u in 0..units.len() {
            let off = (first[u] - month0) as usize;
            let r = &reg[&regions[u]];
            let mut rows = Vec::with_capacity(raw[u].len());
            for i in 0..raw[u].len() {
                let m = first[u] + i as u32;
                let (mut s12, mut s3, mut s12p, mut s3p, mut n) = (0.0, 0.0, 0.0, 0.0, 0.0);
                for &j in &nbrs[u] {
                    if m < first[j] || m - first[j] >= raw[j].len() as u32 {
                        continue;
                    }
                    let k = (m - first[j]) as usize;
                    let t12 = trailing(j, k, 12);
                    let t3 = trailing(j, k, 3);
                    s12 += t12.ln_1p();
                    s3 += t3.ln_1p();
                    s12p += t12;
                    s3p += t3;
                    n += 1.0;
                }
                let nn = if n > 0.0 { n } else { 1.0 };
                let others = r[2][off + i] - 1.0;
                let region12 = if others > 0.0 {
                    (r[1][off + i] - trailing(u, i, 12).ln_1p()) / others
                } else {
                    0.0
                };
                rows.push([
                    s12 / nn,
                    s3 / nn,
                    // Neighbourhood trend: last 3 months against the 12-month rate.
                    (s3p / 3.0 + 1.0).ln() - (s12p / 12.0 + 1.0).ln(),
                    region12,
                    trend(&r[0], off + i),
                ]);
            }
            ctx.push(rows);
        }
        Hist {
            units,
            first,
            values,
            raw,
            ctx,
            global_trend,
            month0,
        }
    }

    /// The features of unit `u` at origin index `i` (month `first + i`), horizon `h`,
    /// written to `row`. Reads `values[u][..=i]` only.
    fn features(&self, u: usize, i: usize, h: u32, row: &mut [f64; NF]) {
        let v = &self.values[u][..=i];
        let raw = &self.raw[u][..=i];
        let lag = |k: usize| if i >= k { v[i - k] } else { 0.0 };
        let mean = |k: usize| {
            let a = (i + 1).saturating_sub(k);
            let s = &raw[a..];
            (s.iter().sum::<f64>() / s.len() as f64).ln_1p()
        };
        let a12 = (i + 1).saturating_sub(12);
        let w12 = &v[a12..];
        let max12 = w12.iter().copied().fold(0.0, f64::max);
        let mu12 = w12.iter().sum::<f64>() / w12.len() as f64;
        let sd12 =
            (w12.iter().map(|x| (x - mu12) * (x - mu12)).sum::<f64>() / w12.len() as f64).sqrt();
        let max_ever = v.iter().copied().fold(0.0, f64::max);
        let since_last = raw.iter().rev().position(|&x| x > 0.0);
        let decay = since_last.map_or(0.0, |d| (-(d as f64) / 12.0).exp());
        // Onset: the start of the current spell (positive months with gaps < 12 months).
        let onset = match since_last {
            None => -1.0,
            Some(_) => {
                let mut start = i;
                let mut zeros = 0;
                for j in (0..=i).rev() {
                    if raw[j] > 0.0 {
                        start = j;
                        zeros = 0;
                    } else {
                        zeros += 1;
                        if zeros >= 12 {
                            break;
                        }
                    }
                }
                ((i - start) as f64).ln_1p()
            }
        };
        let m = (self.first[u] - self.month0) as usize + i;
        let c = &self.ctx[u][i];
        *row = [
            f64::from(h),
            lag(0),
            lag(1),
            lag(2),
            mean(3),
            mean(6),
            mean(12),
            mean(36),
            max12,
            max_ever,
            sd12,
            decay,
            onset,
            c[0],
            c[1],
            c[2],
            c[3],
            self.global_trend[m],
            c[4],
        ];
    }

    /// The training rows' places: every (unit, origin index, horizon) whose target
    /// (origin + h) is on or before `target_end`, one horizon per row cycling through
    /// 3..=14.
    fn row_places(&self, target_end: u32) -> impl Iterator<Item = (usize, usize, u32)> + '_ {
        (0..self.units.len()).flat_map(move |u| {
            let first = self.first[u];
            (0..self.values[u].len()).filter_map(move |i| {
                let origin = first + i as u32;
                let h = H_MIN + (origin + self.units[u].wrapping_mul(7)) % (H_MAX - H_MIN + 1);
                (origin + h <= target_end).then_some((u, i, h))
            })
        })
    }

    /// The training rows (features and target) of [`Hist::row_places`].
    fn training(&self, target_end: u32) -> TrainingRows {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let mut row = [0.0; NF];
        for (u, i, h) in self.row_places(target_end) {
            self.features(u, i, h, &mut row);
            x.push(row);
            y.push(self.values[u][i + h as usize]);
        }
        (x, y)
    }
}

/// The persistence baseline the boosters predict the change from: `ln(1 + mean of the
/// last 6 months)` (feature `mean6`). Trees cannot extrapolate: a model of the level
/// reverts towards the levels it has seen often (it forecast Syria's 2013 at half its
/// 2012 rate); a model of the change falls back on persistence where it has seen little.
/// Chosen among the last month, the mean of 3, 6 and 12 months and no baseline on the
/// development windows Y2012–Y2017 (docs/forecasting.md).
pub const BASELINE: usize = 5;

fn baseline(row: &[f64; NF]) -> f64 {
    row[BASELINE]
}

/// The level features (`ln(1 + ·)` of the unit's own counts) the boosters see capped at
/// `ln(1 + LEVEL_CAP)`: units above it share their leaves with the units at it, instead of
/// the handful of biggest conflicts (Syria, Afghanistan, Iraq) getting leaves of their
/// own, whose predicted change hung on the few past episodes of such levels (mostly peaks
/// that reverted) and on perpetual's row subsample (its seed). The baseline and the
/// forecast use the uncapped values. Chosen on the development windows Y2012–Y2017
/// (docs/forecasting.md).
pub const LEVEL_CAP: f64 = 500.0;
/// The capped columns: `l0`..`l2`, `mean3`..`mean36`, `max12`, `max_ever`.
const LEVEL_FEATURES: [usize; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/// The boosters' input, column-major, with the level features capped ([`LEVEL_CAP`]).
fn column_major(rows: &[[f64; NF]]) -> Vec<f64> {
    let cap = LEVEL_CAP.ln_1p();
    let mut out = Vec::with_capacity(rows.len() * NF);
    for c in 0..NF {
        if LEVEL_FEATURES.contains(&c) {
            out.extend(rows.iter().map(|r| r[c].min(cap)));
        } else {
            out.extend(rows.iter().map(|r| r[c]));
        }
    }
    out
}

/// The boosters of a bag (their predictions are averaged) and the in-sample residual
/// pools.
struct Point {
    boosters: Vec<PerpetualBooster>,
    residuals: Residuals,
}

impl Point {
    /// The predicted `ln(1 + y)` of each row: its baseline plus the averaged predicted
    /// change.
    fn predict(&self, rows: &[[f64; NF]]) -> Vec<f64> {
        let data = column_major(rows);
        let m = &Matrix::new(&data, rows.len(), NF);
        let mut out = vec![0.0; m.rows];
        for b in &self.boosters {
            for (o, p) in out.iter_mut().zip(b.predict(m, false)) {
                *o += p;
            }
        }
        let k = self.boosters.len() as f64;
        for (o, r) in out.iter_mut().zip(rows) {
            *o = *o / k + baseline(r);
        }
        out
    }
}

/// Fits [`BAGS`] boosters of [`TREES`] trees on the training rows of targets up to
/// `target_end` (the same rows, different seeds), for an averaged prediction.
fn fit_point(hist: &Hist, target_end: u32, seed: u64) -> Result<Point> {
    let (x, y) = hist.training(target_end);
    let data = column_major(&x);
    let m = Matrix::new(&data, x.len(), NF);
    let change: Vec<f64> = x.iter().zip(&y).map(|(r, y)| y - baseline(r)).collect();
    let mut boosters = Vec::with_capacity(BAGS as usize);
    for k in 0..BAGS {
        let mut booster = PerpetualBooster::default()
            .set_objective(Objective::SquaredLoss)
            .set_budget(BUDGET)
            .set_num_threads(Some(1))
            // Without a limit perpetual sizes its node arena from the machine's free
            // memory (3.7 GB peak for the five cm windows); 1 GB is far more than these
            // fits need.
            .set_memory_limit(Some(MEMORY_LIMIT_GB))
            .set_iteration_limit(Some(TREES))
            .set_stopping_rounds(Some(STOPPING_ROUNDS))
            .set_seed(seed.wrapping_add(1000 * u64::from(k)));
        booster
            .fit(&m, &change, None, None)
            .map_err(|e| Error::Model(format!("gbm: perpetual: {e}")))?;
        boosters.push(booster);
    }
    let mut point = Point {
        boosters,
        residuals: Residuals::default(),
    };
    point.residuals = Residuals::new(&point.predict(&x), &y);
    Ok(point)
}

/// Forecasts from `origin` for horizons 3..=14, every unit with data at `origin` (whose
/// index `origin - first` is within its history; the real forecast uses the cut-off).
fn forecast(hist: &Hist, point: &Point, origin: u32) -> HashMap<u32, UnitForecast> {
    let mut rows = Vec::new();
    let mut who = Vec::new();
    let mut row = [0.0; NF];
    for u in 0..hist.units.len() {
        let Some(i) = origin.checked_sub(hist.first[u]).map(|i| i as usize) else {
            continue;
        };
        if i >= hist.values[u].len() {
            continue;
        }
        for h in H_MIN..=H_MAX {
            hist.features(u, i, h, &mut row);
            rows.push(row);
        }
        who.push((u, i));
    }
    let mut out = HashMap::with_capacity(who.len());
    if rows.is_empty() {
        return out;
    }
    let preds = point.predict(&rows);
    for (k, &(u, i)) in who.iter().enumerate() {
        let mut pred = [0.0; 12];
        pred.copy_from_slice(&preds[k * 12..k * 12 + 12]);
        let raw = &hist.raw[u][..=i];
        let mut recent = raw[raw.len().saturating_sub(12)..].to_vec();
        recent.sort_unstable_by(f64::total_cmp);
        out.insert(hist.units[u], UnitForecast { pred, recent });
    }
    out
}

/// The validation plan for cut-off `train_end`: the validation model's cut-off and the
/// origins it forecasts from (pseudo-windows every 12 months up to `train_end - 14`, whose
/// 12 target months all fall on or before `train_end`). The longest back-off in
/// [`VALIDATION_BACK`] whose training rows reach [`MIN_VALIDATION_ROWS`].
fn validation_plan(hist: &Hist, train_end: u32) -> Option<(u32, Vec<u32>)> {
    for back in VALIDATION_BACK {
        let Some(val_end) = train_end.checked_sub(back) else {
            continue;
        };
        if hist.row_places(val_end).count() < MIN_VALIDATION_ROWS {
            continue;
        }
        let origins: Vec<u32> = (0..)
            .map(|k| val_end + 12 * k)
            .take_while(|&o| o + H_MAX <= train_end)
            .collect();
        return Some((val_end, origins));
    }
    None
}

type TrainingRows = (Vec<[f64; NF]>, Vec<f64>);

/// Fits `gbm` for the cut-off `train_end`: only the panel's months up to `train_end` are
/// read.
pub fn fit(panel: &Panel, train_end: u32, seed: u64) -> Result<GbmFit> {
    let hist = Hist::new(panel, train_end);
    if hist.row_places(train_end).next().is_none() {
        return Err(Error::Model(format!(
            "gbm: no training rows (no unit has a month {} or more before the cut-off)",
            H_MIN
        )));
    }
    let plan = validation_plan(&hist, train_end);
    // The validation model's fit runs alongside the real one.
    let (full, validation) = std::thread::scope(|s| {
        let v = s.spawn(|| {
            plan.as_ref()
                .map(|&(val_end, _)| fit_point(&hist, val_end, seed))
        });
        let full = fit_point(&hist, train_end, seed);
        (full, v.join().expect("validation thread"))
    });
    let full = full?;
    let chosen = match (validation.transpose()?, &plan) {
        (Some(point), Some((_, origins))) => choose(&hist, &point, origins, train_end, seed),
        _ => None,
    };
    let units = forecast(&hist, &full, train_end);
    let (choices, residuals, validated, origins) = match chosen {
        Some((c, score, oos)) => {
            let residuals = if c[0].out_of_sample {
                oos
            } else {
                full.residuals
            };
            let origins = plan.map(|p| p.1).unwrap_or_default();
            (c, residuals, Some(score), origins)
        }
        None => ([Choice::DEFAULT; GROUPS], full.residuals, None, Vec::new()),
    };
    Ok(GbmFit {
        units,
        residuals,
        choices,
        validated: validated.is_some(),
        validation_score: validated,
        validation_origins: origins,
        train_end,
    })
}

const MIS_CONSTRAINT: bool = true;

/// Level groups, each with its own distribution parameters: with 2 groups, 0 when the
/// unit's last 12 months average below [`HIGH_LEVEL`] fatalities a month, else 1. One
/// group: two did not do better on the development windows (docs/forecasting.md).
pub const GROUPS: usize = 1;
pub const HIGH_LEVEL: f64 = 10.0;

fn group(recent: &[f64]) -> usize {
    let n = recent.len().max(1) as f64;
    if GROUPS < 2 {
        return 0;
    }
    usize::from(recent.iter().sum::<f64>() / n >= HIGH_LEVEL)
}

/// CRPS and 90% interval score of sorted draws.
fn crps_mis(sorted: &[f64], y: f64) -> (f64, f64) {
    let l = quantile(sorted, 0.05);
    let u = quantile(sorted, 0.95);
    let mis = (u - l) + 20.0 * (l - y).max(0.0) + 20.0 * (y - u).max(0.0);
    (crps(sorted, y), mis)
}

/// One validation unit-month.
struct ValCell<'a> {
    origin: usize,
    unit: u32,
    h: u32,
    f: &'a UnitForecast,
    y: f64,
}

/// The candidate with the lowest mean, over the validation origins, of its pooled CRPS
/// relative to conflictology's; and the out-of-sample residual pool of all origins.
/// `None` when there are too few unit-months.
fn choose(
    hist: &Hist,
    point: &Point,
    origins: &[u32],
    train_end: u32,
    seed: u64,
) -> Option<([Choice; GROUPS], [f64; GROUPS], Residuals)> {
    use rand::SeedableRng;
    let forecasts: Vec<HashMap<u32, UnitForecast>> =
        origins.iter().map(|&o| forecast(hist, point, o)).collect();
    // Many units (PRIO-GRID): score a deterministic subset of them.
    let n_units = forecasts.iter().map(HashMap::len).max().unwrap_or(0);
    let stride = n_units.div_ceil(MAX_VALIDATION_UNITS).max(1) as u32;
    let mut cells = Vec::new();
    for (k, (&o, fc)) in origins.iter().zip(&forecasts).enumerate() {
        for u in 0..hist.units.len() {
            let unit = hist.units[u];
            if stride > 1 && !unit.wrapping_mul(2_654_435_761).is_multiple_of(stride) {
                continue;
            }
            let Some(f) = fc.get(&unit) else {
                continue;
            };
            for h in H_MIN..=H_MAX {
                let m = o + h;
                if m > train_end {
                    continue;
                }
                let Some(i) = m.checked_sub(hist.first[u]) else {
                    continue;
                };
                if let Some(&y) = hist.raw[u].get(i as usize) {
                    cells.push(ValCell {
                        origin: k,
                        unit,
                        h,
                        f,
                        y,
                    });
                }
            }
        }
    }
    if cells.len() < 12 * 20 {
        return None;
    }
    let oos = |keep: &dyn Fn(usize) -> bool| {
        let (p, t): (Vec<f64>, Vec<f64>) = cells
            .iter()
            .filter(|c| keep(c.origin))
            .map(|c| (c.f.pred[(c.h - H_MIN) as usize], c.y.ln_1p()))
            .unzip();
        Residuals::new(&p, &t)
    };
    // Leave one origin out: each origin is scored with the residuals of the others.
    let loo: Vec<Residuals> = (0..origins.len()).map(|k| oos(&|o| o != k)).collect();
    // Conflictology's CRPS and MIS sums by origin.
    let mut conflictology = vec![[(0.0, 0.0); GROUPS]; origins.len()];
    for c in &cells {
        let (crps, mis) = crps_mis(&c.f.recent, c.y);
        let g = &mut conflictology[c.origin][group(&c.f.recent)];
        g.0 += crps;
        g.1 += mis;
    }
    // Out-of-sample residuals when there are several origins (each scored with the
    // others' residuals), else the in-sample ones.
    let out_of_sample = origins.len() >= 2;
    let mut candidates = Vec::new();
    for &mix in &MIX_GRID {
        for &scale in &SCALE_GRID {
            candidates.push(Choice {
                mix,
                scale,
                out_of_sample,
            });
        }
    }
    // By group: (mean over origins of the CRPS ratio to conflictology, same for the MIS).
    let score = |c: &Choice| -> [(f64, f64); GROUPS] {
        let mut total = vec![[(0.0, 0.0); GROUPS]; origins.len()];
        let mut buf = Vec::with_capacity(VALIDATION_DRAWS);
        for cell in &cells {
            let mut rng = ChaCha8Rng::seed_from_u64(
                seed ^ (u64::from(cell.unit) << 20)
                    ^ (u64::from(cell.h) << 8)
                    ^ cell.origin as u64
                    ^ 0x5eed,
            );
            buf.clear();
            let residuals = if c.out_of_sample {
                &loo[cell.origin]
            } else {
                &point.residuals
            };
            sample(
                cell.f.pred[(cell.h - H_MIN) as usize],
                &cell.f.recent,
                residuals,
                *c,
                VALIDATION_DRAWS,
                &mut rng,
                &mut buf,
            );
            buf.sort_unstable_by(f64::total_cmp);
            let (crps, mis) = crps_mis(&buf, cell.y);
            let g = &mut total[cell.origin][group(&cell.f.recent)];
            g.0 += crps;
            g.1 += mis;
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
        let k = origins.len() as f64;
        let mut out = [(0.0, 0.0); GROUPS];
        for (g, o) in out.iter_mut().enumerate() {
            for (t, c) in total.iter().zip(&conflictology) {
                o.0 += ratio(t[g].0, c[g].0) / k;
                o.1 += ratio(t[g].1, c[g].1) / k;
            }
        }
        out
    };
    // The candidates are scored on the two cores.
    let half = candidates.len() / 2;
    let scores: Vec<[(f64, f64); GROUPS]> = std::thread::scope(|s| {
        let a = s.spawn(|| candidates[..half].iter().map(score).collect::<Vec<_>>());
        let mut b: Vec<[(f64, f64); GROUPS]> = candidates[half..].iter().map(score).collect();
        let mut a = a.join().expect("validation thread");
        a.append(&mut b);
        a
    });
    // The lowest CRPS among the candidates whose MIS is no worse than conflictology's
    // (all of them if none is).
    // Each group on its own (their cells are disjoint).
    let mut best = [0; GROUPS];
    for (g, b) in best.iter_mut().enumerate() {
        let admissible: Vec<usize> = match (0..candidates.len())
            .filter(|&i| !MIS_CONSTRAINT || scores[i][g].1 <= 1.0)
            .collect::<Vec<_>>()
        {
            v if v.is_empty() => (0..candidates.len()).collect(),
            v => v,
        };
        *b = admissible
            .into_iter()
            .min_by(|&i, &j| scores[i][g].0.total_cmp(&scores[j][g].0))?;
    }
    Some((
        best.map(|i| candidates[i]),
        std::array::from_fn(|g| scores[best[g]][g].0),
        oos(&|_| true),
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::*;
    use crate::live::forecast_ahead;
    use crate::model::Model;

    #[test]
    fn draws_average_the_quantiles_of_the_model_and_of_conflictology() {
        use rand::SeedableRng;
        // One level bin, residuals −1, 0, 1 (ln scale); prediction ln(1 + 99).
        let residuals = Residuals::new(&[4.0; 3], &[3.0, 4.0, 5.0]);
        let pred = 100f64.ln();
        let recent = [0.0, 10.0, 20.0, 30.0];
        let draws = |mix: f64, scale: f64| {
            let c = Choice {
                mix,
                scale,
                out_of_sample: true,
            };
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            let mut out = Vec::new();
            sample(pred, &recent, &residuals, c, 6, &mut rng, &mut out);
            out
        };
        let sorted = |mut v: Vec<f64>| {
            v.sort_unstable_by(f64::total_cmp);
            v
        };
        // The model alone: its residual quantiles at p = 1/12, 3/12, … 11/12, i.e. the
        // residuals −1, −1, 0, 0, 1, 1, around ln(100).
        let model = [
            (pred - 1.0).exp_m1(),
            (pred - 1.0).exp_m1(),
            99.0,
            99.0,
            (pred + 1.0).exp_m1(),
            (pred + 1.0).exp_m1(),
        ];
        assert_eq!(sorted(draws(0.0, 1.0)), model.map(f64::round).to_vec());
        // Conflictology alone: its quantiles (type 7) at the same p.
        let own: Vec<f64> = (0..6)
            .map(|i| crate::score::quantile(&recent, (i as f64 + 0.5) / 6.0).round())
            .collect();
        assert_eq!(sorted(draws(1.0, 1.0)), own);
        // Half and half: the average of the two at each p, not a mixture of the draws.
        let half: Vec<f64> = (0..6)
            .map(|i| {
                let q = crate::score::quantile(&recent, (i as f64 + 0.5) / 6.0);
                (0.5 * model[i] + 0.5 * q).round()
            })
            .collect();
        assert_eq!(sorted(draws(0.5, 1.0)), half);
        // The scale shrinks the residuals.
        assert_eq!(sorted(draws(0.0, 0.0)), vec![99.0; 6]);
        // The draws come in random order, not sorted.
        let many = {
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            let mut out = Vec::new();
            sample(
                pred,
                &recent,
                &residuals,
                Choice::DEFAULT,
                1000,
                &mut rng,
                &mut out,
            );
            out
        };
        assert!(many.windows(2).any(|w| w[0] > w[1]));
        assert_ne!(many, sorted(many.clone()));
    }

    #[test]
    fn the_baseline_is_mean6() {
        assert_eq!(FEATURES[BASELINE], "mean6");
    }

    #[test]
    fn level_features_are_capped_for_the_boosters_only() {
        let names: Vec<&str> = LEVEL_FEATURES.iter().map(|&c| FEATURES[c]).collect();
        assert_eq!(
            names,
            ["l0", "l1", "l2", "mean3", "mean6", "mean12", "mean36", "max12", "max_ever"]
        );
        // One row of values far above the cap (ln(1 + 500) = 6.2).
        let row: [f64; NF] = std::array::from_fn(|c| 10.0 + c as f64);
        let data = column_major(&[row]);
        for c in 0..NF {
            let expected = if LEVEL_FEATURES.contains(&c) {
                LEVEL_CAP.ln_1p()
            } else {
                row[c]
            };
            assert_eq!(data[c], expected, "{}", FEATURES[c]);
        }
        // The baseline the change is added to is not capped.
        assert_eq!(baseline(&row), 15.0);
    }

    #[test]
    fn the_point_model_averages_bags_of_fixed_size() {
        let panel = admin1_panel();
        let hist = Hist::new(&panel, panel.last_month());
        let point = fit_point(&hist, panel.last_month(), 7).unwrap();
        assert_eq!(point.boosters.len(), BAGS as usize);
        for b in &point.boosters {
            let n = b.get_prediction_trees().len();
            assert!((1..=TREES).contains(&n), "{n} trees");
        }
        // The prediction is the baseline plus the boosters' mean change.
        let (x, _) = hist.training(panel.last_month());
        let rows = &x[..50];
        let data = column_major(rows);
        let m = Matrix::new(&data, rows.len(), NF);
        let each: Vec<Vec<f64>> = point
            .boosters
            .iter()
            .map(|b| b.predict(&m, false))
            .collect();
        for (i, (p, r)) in point.predict(rows).iter().zip(rows).enumerate() {
            let mean = each.iter().map(|e| e[i]).sum::<f64>() / each.len() as f64;
            assert!((p - baseline(r) - mean).abs() < 1e-9);
        }
        // Seeded: the same seed gives the same boosters.
        let again = fit_point(&hist, panel.last_month(), 7).unwrap();
        assert_eq!(again.predict(rows), point.predict(rows));
    }

    /// 30 admin-1 units in a chain (k's neighbours are k-1 and k+1), ids 1001.., 2000-01
    /// to 2022-12; unit 1015 has steady violence that spills over to its neighbours a
    /// month later, the others are quiet with a little noise.
    fn admin1_panel() -> Panel {
        let first = crate::window::month_id(2000, 1);
        let last = crate::window::month_id(2022, 12);
        let ids: Vec<u32> = (1001..=1030).collect();
        let mut counts = HashMap::new();
        for m in first..=last {
            for &u in &ids {
                let v = match u {
                    1015 => 20.0 + f64::from(m % 7),
                    1014 | 1016 if m % 3 == 0 => 5.0,
                    _ if (m * 31 + u * 17) % 23 == 0 => 1.0,
                    _ => 0.0,
                };
                if v > 0.0 {
                    counts.insert((u, m), v);
                }
            }
        }
        let mut table: Neighbours = HashMap::new();
        for &u in &ids {
            table.insert(u, vec![u - 1, u + 1]);
        }
        Panel::from_counts(UnitKind::Admin1, "admin-1", ids, first, last, &counts)
            .with_neighbours(Arc::new(table))
    }

    #[test]
    fn admin1_panel_with_neighbours_fits_and_forecasts() {
        let panel = admin1_panel();
        assert_eq!(panel.kind.short(), "a1m");
        assert_eq!(panel.kind.column(), "admin1_id");
        // The neighbour table reaches the spatial features: 1014's neighbours (1013,
        // 1015) include the violent unit.
        let hist = Hist::new(&panel, panel.last_month());
        let u = hist.units.iter().position(|&x| x == 1014).unwrap();
        let i = hist.values[u].len() - 1;
        assert!(hist.ctx[u][i][0] > 1.0, "{:?}", hist.ctx[u][i]);
        let far = hist.units.iter().position(|&x| x == 1001).unwrap();
        assert!(
            hist.ctx[far][i][0] < hist.ctx[u][i][0] / 3.0,
            "{:?}",
            hist.ctx[far][i]
        );
        // Without the table there is no spatial context at all.
        let mut bare = panel.clone();
        bare.neighbours = None;
        let h2 = Hist::new(&bare, bare.last_month());
        assert!(h2.ctx.iter().flatten().all(|c| c[0] == 0.0 && c[1] == 0.0));

        let f = forecast_ahead(&panel, Model::Gbm, 12, 1000, 5).unwrap();
        assert_eq!(f.len(), 30 * 12);
        let mean = |unit: u32| {
            let v: Vec<f64> = f
                .iter()
                .filter(|x| x.unit == unit)
                .map(|x| x.mean)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean(1015) > 10.0, "{}", mean(1015));
        assert!(mean(1001) < 2.0, "{}", mean(1001));
        assert!(f.iter().all(|x| x.q05 <= x.q50 && x.q50 <= x.q95));
    }
}
