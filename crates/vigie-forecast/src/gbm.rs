//! `gbm`: a learned model with a full predictive distribution.
//!
//! - **Point model**: gradient-boosted trees ([`perpetual`], squared loss, budget
//!   [`BUDGET`] fixed a priori, one thread, so the fit is deterministic) predicting
//!   `ln(1 + y)` of the month `h` months after an origin month, from features of the
//!   panel up to the origin only ([`FEATURES`]), the horizon `h` (3..=14) being one of them.
//!   Training rows: every unit × every origin month whose target is on or before the
//!   cut-off, one horizon per (unit, origin), cycling through 3..=14.
//! - **Distribution**: the prediction plus a residual (`scale ×` an in-sample residual of
//!   the fit, drawn from the residuals of training rows whose prediction fell in the same
//!   level bin), back-transformed with `exp(·) − 1`, floored at 0 and rounded: integer
//!   draws. A share `mix` of the draws is replaced by conflictology draws (the unit's own
//!   last 12 training months, resampled).
//! - **Validation** (inside the training data only): `mix` and `scale` are chosen on a
//!   pseudo-window that ends at the cut-off: a second model is fit on the targets up to
//!   the cut-off minus 14 months and forecasts the 12 months up to the cut-off, 3..=14
//!   months ahead, as the real window does; the pair with the lowest pooled CRPS wins.
//!   With too little data for that (short pgm histories), the a-priori pair
//!   ([`DEFAULT_MIX`], [`DEFAULT_SCALE`]) is used.
//!
//! Nothing after the cut-off is read: [`fit`] first truncates every series at the cut-off.

use std::collections::HashMap;

use perpetual::objective::Objective;
use perpetual::{Matrix, PerpetualBooster};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::panel::{Panel, Series, UnitKind};
use crate::score::crps;

/// Perpetual's one hyperparameter, fixed a priori (not tuned on any window).
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
pub const MIX_GRID: [f64; 4] = [0.0, 0.25, 0.4, 0.5];
pub const SCALE_GRID: [f64; 3] = [0.8, 1.0, 1.25];
/// The validation needs at least this many training rows and validation unit-months.
const MIN_VALIDATION_ROWS: usize = 2000;
/// Draws per validation unit-month (the CRPS of the candidates).
const VALIDATION_DRAWS: usize = 200;
/// Residual level bins on the predicted `ln(1 + y)`.
const LEVEL_EDGES: [f64; 8] = [0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
const MIN_BIN: usize = 50;

/// The features, in column order.
pub const FEATURES: [&str; 16] = [
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
    "decay_since_last",
    "months_since_onset",
    "spatial12",
    "spatial3",
    "global_trend",
    "regional_trend",
];
const NF: usize = FEATURES.len();

/// One unit's forecast for a window.
#[derive(Debug, Clone)]
struct UnitForecast {
    /// Predicted `ln(1 + y)` for horizons 3..=14.
    pred: [f64; 12],
    /// The unit's last 12 training values (conflictology).
    recent: Vec<f64>,
}

/// The fitted `gbm` of one window: per-unit predictions and the residual pools.
#[derive(Debug, Clone)]
pub struct GbmFit {
    units: HashMap<u32, UnitForecast>,
    residuals: Residuals,
    pub mix: f64,
    pub scale: f64,
    /// Whether `mix` and `scale` came from validation (false: the a-priori pair).
    pub validated: bool,
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
        sample(
            pred,
            &u.recent,
            &self.residuals,
            self.mix,
            self.scale,
            n,
            rng,
            out,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn sample(
    pred: f64,
    recent: &[f64],
    residuals: &Residuals,
    mix: f64,
    scale: f64,
    n: usize,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<f64>,
) {
    let pool = residuals.pool(pred);
    for _ in 0..n {
        let conflictology = !recent.is_empty() && rng.gen::<f64>() < mix;
        let v = if conflictology {
            recent[rng.gen_range(0..recent.len())]
        } else {
            let r = if pool.is_empty() {
                0.0
            } else {
                pool[rng.gen_range(0..pool.len())]
            };
            (pred.max(0.0) + scale * r).max(0.0).exp_m1()
        };
        out.push(v.round().max(0.0));
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

/// The panel truncated at `end`: what a model of that cut-off may see, as arrays.
struct Hist {
    units: Vec<u32>,
    first: Vec<u32>,
    /// `ln(1 + y)`.
    values: Vec<Vec<f64>>,
    /// Spatial context per unit and month (same indexing as `values`).
    spatial12: Vec<Vec<f64>>,
    spatial3: Vec<Vec<f64>>,
    regional_trend: Vec<Vec<f64>>,
    /// Global trend by month (index month - `month0`).
    global_trend: Vec<f64>,
    month0: u32,
    raw: Vec<Vec<f64>>,
}

/// Regions for the regional trend of country-months, from Gleditsch–Ward code ranges
/// (no world neighbour table is available): Americas, Europe, Africa, Middle East, Asia,
/// Oceania.
fn region(kind: UnitKind, unit: u32) -> u32 {
    match kind {
        UnitKind::Priogrid => 0,
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

/// Per region and month: the sums over units of `ln(1 + last 12)`, `ln(1 + last 3)`,
/// and the number of units.
type RegionSums = (Vec<f64>, Vec<f64>, Vec<f64>);

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
        // Per unit: sum of the last 12 and last 3 months at each month.
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
        // Global and regional totals of the last 12 months by month.
        let regions: Vec<u32> = units.iter().map(|&u| region(panel.kind, u)).collect();
        let mut global12 = vec![0.0; nm];
        let mut reg12: HashMap<u32, Vec<f64>> = HashMap::new();
        let mut reg_log12: HashMap<u32, RegionSums> = HashMap::new();
        for u in 0..units.len() {
            let off = (first[u] - month0) as usize;
            let r = regions[u];
            let rt = reg12.entry(r).or_insert_with(|| vec![0.0; nm]);
            let rl = reg_log12
                .entry(r)
                .or_insert_with(|| (vec![0.0; nm], vec![0.0; nm], vec![0.0; nm]));
            for i in 0..raw[u].len() {
                let s12 = trailing(u, i, 12);
                global12[off + i] += s12;
                rt[off + i] += s12;
                rl.0[off + i] += s12.ln_1p();
                rl.1[off + i] += trailing(u, i, 3).ln_1p();
                rl.2[off + i] += 1.0;
            }
        }
        let trend = |tot: &[f64], m: usize| -> f64 {
            let prev = if m >= 12 { tot[m - 12] } else { tot[0] };
            ((tot[m] + 1.0) / (prev + 1.0)).ln()
        };
        let global_trend: Vec<f64> = (0..nm).map(|m| trend(&global12, m)).collect();

        let (mut spatial12, mut spatial3, mut regional_trend) =
            (Vec::new(), Vec::new(), Vec::new());
        match panel.kind {
            UnitKind::Country => {
                for u in 0..units.len() {
                    let off = (first[u] - month0) as usize;
                    let r = regions[u];
                    let (l12, l3, n) = &reg_log12[&r];
                    let rt = &reg12[&r];
                    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
                    for i in 0..raw[u].len() {
                        let m = off + i;
                        // Mean over the *other* units of the region.
                        let others = n[m] - 1.0;
                        let own12 = trailing(u, i, 12).ln_1p();
                        let own3 = trailing(u, i, 3).ln_1p();
                        if others > 0.0 {
                            a.push((l12[m] - own12) / others);
                            b.push((l3[m] - own3) / others);
                        } else {
                            a.push(0.0);
                            b.push(0.0);
                        }
                        c.push(trend(rt, m));
                    }
                    spatial12.push(a);
                    spatial3.push(b);
                    regional_trend.push(c);
                }
            }
            UnitKind::Priogrid => {
                // Queen neighbours on the 0.5° grid: row = (gid-1) div 720, col = (gid-1)
                // mod 720 (columns wrap around the globe).
                let index: HashMap<u32, usize> =
                    units.iter().enumerate().map(|(i, &u)| (u, i)).collect();
                for u in 0..units.len() {
                    let g = units[u] - 1;
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
                            let gid = (r * 720 + c + 1) as u32;
                            if let Some(&j) = index.get(&gid) {
                                nbrs.push(j);
                            }
                        }
                    }
                    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
                    for i in 0..raw[u].len() {
                        let m = first[u] + i as u32;
                        let (mut s12, mut s3, mut s12p, mut s3p) = (0.0, 0.0, 0.0, 0.0);
                        for &j in &nbrs {
                            if m < first[j] || m - first[j] >= raw[j].len() as u32 {
                                continue;
                            }
                            let k = (m - first[j]) as usize;
                            let t12 = trailing(j, k, 12);
                            s12 += t12.ln_1p();
                            s3 += trailing(j, k, 3).ln_1p();
                            s12p += t12;
                            s3p += trailing(j, k, 3);
                        }
                        let nn = nbrs.len().max(1) as f64;
                        a.push(s12 / nn);
                        b.push(s3 / nn);
                        // Neighbourhood trend: last 3 months against the 12-month rate.
                        c.push((s3p / 3.0 + 1.0).ln() - (s12p / 12.0 + 1.0).ln());
                    }
                    spatial12.push(a);
                    spatial3.push(b);
                    regional_trend.push(c);
                }
            }
        }
        Hist {
            units,
            first,
            values,
            spatial12,
            spatial3,
            regional_trend,
            global_trend,
            month0,
            raw,
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
        let max12 = v[a12..].iter().copied().fold(0.0, f64::max);
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
            decay,
            onset,
            self.spatial12[u][i],
            self.spatial3[u][i],
            self.global_trend[m],
            self.regional_trend[u][i],
        ];
    }

    /// Training rows: every (unit, origin) whose target (origin + h) is on or before
    /// `target_end`, one horizon per row cycling through 3..=14.
    fn training(&self, target_end: u32) -> (Vec<[f64; NF]>, Vec<f64>) {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let mut row = [0.0; NF];
        for u in 0..self.units.len() {
            let first = self.first[u];
            for i in 0..self.values[u].len() {
                let origin = first + i as u32;
                let h = H_MIN + (origin + self.units[u].wrapping_mul(7)) % (H_MAX - H_MIN + 1);
                let target = origin + h;
                if target > target_end {
                    continue;
                }
                let ti = (target - first) as usize;
                self.features(u, i, h, &mut row);
                x.push(row);
                y.push(self.values[u][ti]);
            }
        }
        (x, y)
    }
}

fn column_major(rows: &[[f64; NF]]) -> Vec<f64> {
    let mut out = Vec::with_capacity(rows.len() * NF);
    for c in 0..NF {
        out.extend(rows.iter().map(|r| r[c]));
    }
    out
}

/// A booster fit on rows, its in-sample residual pools.
struct Point {
    booster: PerpetualBooster,
    residuals: Residuals,
}

fn fit_point(x: &[[f64; NF]], y: &[f64], seed: u64) -> Result<Point> {
    let data = column_major(x);
    let m = Matrix::new(&data, x.len(), NF);
    let mut booster = PerpetualBooster::default()
        .set_objective(Objective::SquaredLoss)
        .set_budget(BUDGET)
        .set_num_threads(Some(1))
        // Without a limit perpetual sizes its node arena from the machine's free memory
        // (3.7 GB peak for the five cm windows); 1 GB is far more than these fits need.
        .set_memory_limit(Some(MEMORY_LIMIT_GB))
        .set_seed(seed);
    booster
        .fit(&m, y, None, None)
        .map_err(|e| Error::Model(format!("gbm: perpetual: {e}")))?;
    let preds = booster.predict(&m, false);
    let residuals = Residuals::new(&preds, y);
    Ok(Point { booster, residuals })
}

/// Forecasts from the last month of `hist` (`end`) for horizons 3..=14, every unit with
/// data at `end`.
fn forecast(hist: &Hist, point: &Point, end: u32) -> HashMap<u32, UnitForecast> {
    let mut rows = Vec::new();
    let mut who = Vec::new();
    let mut row = [0.0; NF];
    for u in 0..hist.units.len() {
        let last = hist.first[u] + hist.values[u].len() as u32 - 1;
        if last != end {
            continue;
        }
        let i = hist.values[u].len() - 1;
        for h in H_MIN..=H_MAX {
            hist.features(u, i, h, &mut row);
            rows.push(row);
        }
        who.push(u);
    }
    let mut out = HashMap::with_capacity(who.len());
    if rows.is_empty() {
        return out;
    }
    let data = column_major(&rows);
    let preds = point
        .booster
        .predict(&Matrix::new(&data, rows.len(), NF), false);
    for (k, &u) in who.iter().enumerate() {
        let mut pred = [0.0; 12];
        pred.copy_from_slice(&preds[k * 12..k * 12 + 12]);
        let raw = &hist.raw[u];
        let recent = raw[raw.len().saturating_sub(12)..].to_vec();
        out.insert(hist.units[u], UnitForecast { pred, recent });
    }
    out
}

/// Fits `gbm` for the cut-off `train_end`: only the panel's months up to `train_end` are
/// read.
pub fn fit(panel: &Panel, train_end: u32, seed: u64) -> Result<GbmFit> {
    let hist = Hist::new(panel, train_end);
    let (x, y) = hist.training(train_end);
    if x.is_empty() {
        return Err(Error::Model(format!(
            "gbm: no training rows (no unit has a month {} or more before the cut-off)",
            H_MIN
        )));
    }
    // The validation pseudo-window: cut-off `train_end - 14`, forecasting the 12 months
    // up to `train_end`. Its fit runs alongside the real one.
    let val_end = train_end.saturating_sub(H_MAX);
    let val_hist = Hist::new(panel, val_end);
    let (vx, vy) = val_hist.training(val_end);
    let (full, validation) = std::thread::scope(|s| {
        let v = s.spawn(|| {
            if vx.len() < MIN_VALIDATION_ROWS {
                return None;
            }
            Some(fit_point(&vx, &vy, seed))
        });
        let full = fit_point(&x, &y, seed);
        (full, v.join().expect("validation thread"))
    });
    let full = full?;
    let (mix, scale, validated) = match validation.transpose()? {
        Some(point) => choose(&hist, &val_hist, &point, val_end, seed)
            .map_or((DEFAULT_MIX, DEFAULT_SCALE, false), |(m, s)| (m, s, true)),
        None => (DEFAULT_MIX, DEFAULT_SCALE, false),
    };
    let units = forecast(&hist, &full, train_end);
    Ok(GbmFit {
        units,
        residuals: full.residuals,
        mix,
        scale,
        validated,
        train_end,
    })
}

/// The (mix, scale) with the lowest pooled CRPS on the validation pseudo-window; `None`
/// when it has too few unit-months.
fn choose(
    hist: &Hist,
    val_hist: &Hist,
    point: &Point,
    val_end: u32,
    seed: u64,
) -> Option<(f64, f64)> {
    use rand::SeedableRng;
    let fc = forecast(val_hist, point, val_end);
    // Actuals: months val_end+3 ..= val_end+14 (≤ the real cut-off) from `hist`.
    let mut cells = Vec::new();
    for u in 0..hist.units.len() {
        let Some(f) = fc.get(&hist.units[u]) else {
            continue;
        };
        for h in H_MIN..=H_MAX {
            let m = val_end + h;
            let Some(k) = m.checked_sub(hist.first[u]) else {
                continue;
            };
            if let Some(&y) = hist.raw[u].get(k as usize) {
                cells.push((hist.units[u], h, f, y));
            }
        }
    }
    if cells.len() < 12 * 20 {
        return None;
    }
    let mut best: Option<(f64, f64, f64)> = None;
    let mut buf = Vec::with_capacity(VALIDATION_DRAWS);
    for &mix in &MIX_GRID {
        for &scale in &SCALE_GRID {
            let mut total = 0.0;
            for &(unit, h, f, y) in &cells {
                let mut rng = ChaCha8Rng::seed_from_u64(
                    seed ^ (u64::from(unit) << 20) ^ u64::from(h) ^ 0x5eed,
                );
                buf.clear();
                sample(
                    f.pred[(h - H_MIN) as usize],
                    &f.recent,
                    &point.residuals,
                    mix,
                    scale,
                    VALIDATION_DRAWS,
                    &mut rng,
                    &mut buf,
                );
                buf.sort_unstable_by(f64::total_cmp);
                total += crps(&buf, y);
            }
            if best.is_none_or(|b| total < b.0) {
                best = Some((total, mix, scale));
            }
        }
    }
    best.map(|(_, m, s)| (m, s))
}
