//! The point model: its training rows, the bag of fixed-size boosters predicting the
//! change of `ln(1 + y)` from the persistence baseline, with the level features capped,
//! and its per-unit forecasts from an origin month.

use std::collections::HashMap;

use perpetual::objective::Objective;
use perpetual::{Matrix, PerpetualBooster};

use super::distribution::Residuals;
use super::features::{Feature, Features};
use super::history::Hist;
use crate::error::{Error, Result};

/// Perpetual's budget (its step size `10^-budget`), fixed a priori (not tuned on any
/// window).
pub const BUDGET: f32 = 0.5;
/// Perpetual's memory limit (GB), per fit.
pub const MEMORY_LIMIT_GB: f32 = 1.0;
/// First and last horizon (months after the cut-off) of a window: January to December.
pub const H_MIN: u32 = 3;
pub const H_MAX: u32 = 14;
/// The number of horizons of a window, [`H_MIN`]`..=`[`H_MAX`].
pub(super) const HORIZONS: usize = (H_MAX - H_MIN + 1) as usize;
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

/// The persistence baseline the boosters predict the change from: `ln(1 + mean of the
/// last 6 months)` (feature `mean6`). Trees cannot extrapolate: a model of the level
/// reverts towards the levels it has seen often (it forecast Syria's 2013 at half its
/// 2012 rate); a model of the change falls back on persistence where it has seen little.
/// Chosen among the last month, the mean of 3, 6 and 12 months and no baseline on the
/// development windows Y2012–Y2017 (docs/forecasting.md).
pub const BASELINE: Feature = Feature::Mean6;

/// The baseline of a row: [`BASELINE`], or where its months are all missing the mean of
/// the last 12, then 36 months, then 0 (a unit with no known month before the origin).
fn baseline(row: &Features) -> f64 {
    [BASELINE, Feature::Mean12, Feature::Mean36]
        .into_iter()
        .map(|f| row[f])
        .find(|v| !v.is_nan())
        .unwrap_or(0.0)
}

/// The level features (`ln(1 + ·)` of the unit's own counts) the boosters see capped at
/// `ln(1 + LEVEL_CAP)`: units above it share their leaves with the units at it, instead of
/// the handful of biggest conflicts (Syria, Afghanistan, Iraq) getting leaves of their
/// own, whose predicted change hung on the few past episodes of such levels (mostly peaks
/// that reverted) and on perpetual's row subsample (its seed). The baseline and the
/// forecast use the uncapped values. Chosen on the development windows Y2012–Y2017
/// (docs/forecasting.md).
pub const LEVEL_CAP: f64 = 500.0;
/// The capped features.
const LEVEL_FEATURES: [Feature; 9] = [
    Feature::L0,
    Feature::L1,
    Feature::L2,
    Feature::Mean3,
    Feature::Mean6,
    Feature::Mean12,
    Feature::Mean36,
    Feature::Max12,
    Feature::MaxEver,
];

/// The boosters' input, column-major, with the level features capped ([`LEVEL_CAP`]).
fn column_major(rows: &[Features]) -> Vec<f64> {
    let cap = LEVEL_CAP.ln_1p();
    let mut out = Vec::with_capacity(rows.len() * Feature::COUNT);
    for f in Feature::ALL {
        if LEVEL_FEATURES.contains(&f) {
            out.extend(rows.iter().map(|r| r[f].min(cap)));
        } else {
            out.extend(rows.iter().map(|r| r[f]));
        }
    }
    out
}

/// The training rows' places: every (unit, origin index, horizon) whose target
/// (origin + h) is on or before `target_end` and known (a row whose target month is
/// missing is dropped), one horizon per row cycling through 3..=14.
pub(super) fn row_places(
    hist: &Hist,
    target_end: u32,
) -> impl Iterator<Item = (usize, usize, u32)> + '_ {
    (0..hist.units.len()).flat_map(move |u| {
        let first = hist.first[u];
        (0..hist.values[u].len()).filter_map(move |i| {
            let origin = first + i as u32;
            let h = H_MIN + (origin + hist.units[u].wrapping_mul(7)) % (H_MAX - H_MIN + 1);
            let known = hist.raw[u].get(i + h as usize).is_some_and(|y| !y.is_nan());
            (origin + h <= target_end && known).then_some((u, i, h))
        })
    })
}

type TrainingRows = (Vec<Features>, Vec<f64>);

/// The training rows (features and target `ln(1 + y)`) of [`row_places`].
fn training(hist: &Hist, target_end: u32) -> TrainingRows {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (u, i, h) in row_places(hist, target_end) {
        x.push(Features::at(hist, u, i, h));
        y.push(hist.values[u][i + h as usize]);
    }
    (x, y)
}

/// The boosters of a bag (their predictions are averaged) and the in-sample residual
/// pools.
pub(super) struct Point {
    boosters: Vec<PerpetualBooster>,
    pub residuals: Residuals,
}

impl Point {
    /// The predicted `ln(1 + y)` of each row: its baseline plus the averaged predicted
    /// change.
    fn predict(&self, rows: &[Features]) -> Vec<f64> {
        let data = column_major(rows);
        let m = &Matrix::new(&data, rows.len(), Feature::COUNT);
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
pub(super) fn fit_point(hist: &Hist, target_end: u32, seed: u64) -> Result<Point> {
    let (x, y) = training(hist, target_end);
    let data = column_major(&x);
    let m = Matrix::new(&data, x.len(), Feature::COUNT);
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

/// One unit's forecast for a window.
#[derive(Debug, Clone)]
pub(super) struct UnitForecast {
    /// Predicted `ln(1 + y)` for horizons 3..=14.
    pub pred: [f64; HORIZONS],
    /// The unit's last 12 known training values (conflictology), sorted.
    pub recent: Vec<f64>,
}

impl UnitForecast {
    /// The predicted `ln(1 + y)` at horizon `h` (in [`H_MIN`]`..=`[`H_MAX`]).
    pub fn at(&self, h: u32) -> f64 {
        self.pred[(h - H_MIN) as usize]
    }
}

/// Forecasts from `origin` for horizons 3..=14, every unit with data at `origin` (whose
/// index `origin - first` is within its history; the real forecast uses the cut-off).
pub(super) fn forecast(hist: &Hist, point: &Point, origin: u32) -> HashMap<u32, UnitForecast> {
    let mut rows = Vec::new();
    let mut who = Vec::new();
    for u in 0..hist.units.len() {
        let Some(i) = origin.checked_sub(hist.first[u]).map(|i| i as usize) else {
            continue;
        };
        if i >= hist.values[u].len() {
            continue;
        }
        for h in H_MIN..=H_MAX {
            rows.push(Features::at(hist, u, i, h));
        }
        who.push((u, i));
    }
    let mut out = HashMap::with_capacity(who.len());
    if rows.is_empty() {
        return out;
    }
    let preds = point.predict(&rows);
    for (k, &(u, i)) in who.iter().enumerate() {
        let mut pred = [0.0; HORIZONS];
        pred.copy_from_slice(&preds[k * HORIZONS..(k + 1) * HORIZONS]);
        // The last 12 known months (none for a unit never observed).
        let mut recent = crate::panel::last_known(&hist.raw[u][..=i], 12);
        recent.sort_unstable_by(f64::total_cmp);
        out.insert(hist.units[u], UnitForecast { pred, recent });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gbm::fixtures::admin1_panel;

    #[test]
    fn the_baseline_is_mean6() {
        assert_eq!(BASELINE.name(), "mean6");
    }

    #[test]
    fn level_features_are_capped_for_the_boosters_only() {
        let names: Vec<&str> = LEVEL_FEATURES.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            ["l0", "l1", "l2", "mean3", "mean6", "mean12", "mean36", "max12", "max_ever"]
        );
        // One row of values far above the cap (ln(1 + 500) = 6.2).
        let row = Features(std::array::from_fn(|c| 10.0 + c as f64));
        let data = column_major(&[row]);
        for f in Feature::ALL {
            let expected = if LEVEL_FEATURES.contains(&f) {
                LEVEL_CAP.ln_1p()
            } else {
                row[f]
            };
            assert_eq!(data[f as usize], expected, "{}", f.name());
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
        let (x, _) = training(&hist, panel.last_month());
        let rows = &x[..50];
        let data = column_major(rows);
        let m = Matrix::new(&data, rows.len(), Feature::COUNT);
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
}
