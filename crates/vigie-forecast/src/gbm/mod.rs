//! `gbm`: a learned model with a full predictive distribution — its entry points, [`fit`]
//! and [`GbmFit`] (docs/forecasting.md has the results and how each choice was made).
//!
//! - **Point model** (`point.rs`): the average of [`BAGS`] gradient-boosted tree ensembles
//!   ([`perpetual`], squared loss, budget [`BUDGET`] fixed a priori, [`TREES`] trees each,
//!   one thread, seeded, so the fit is deterministic) predicting the change of
//!   `ln(1 + y)`, `h` months after an origin month, from the persistence
//!   baseline `ln(1 + mean of the last 6 months)` ([`BASELINE`]), from features of the
//!   panel up to the origin only ([`Feature`], computed in `features.rs` from the panel
//!   truncated at the origin and its context, `history.rs`: the unit's history, its
//!   neighbours' — the panel's table, else the world table of [`crate::neighbours`] for
//!   countries or the grid for PRIO-GRID cells —, its region's and the world's), the
//!   horizon `h` (3..=14) being one of them; the unit's level features capped at
//!   [`LEVEL_CAP`] fatalities a month for the boosters. Training rows: every unit × every
//!   origin month whose target is on or before the cut-off, one horizon per (unit,
//!   origin), cycling through 3..=14.
//! - **Distribution** (`distribution.rs`): the model's quantiles are the prediction plus
//!   `scale ×` the quantiles of the residuals whose prediction fell in the same level bin,
//!   back-transformed with `exp(·) − 1`, floored at 0. The residuals are the validation
//!   model's out-of-sample forecast errors (the fit's in-sample ones when validation has a
//!   single origin). Draw `i` of `n` is the quantile average, at `p = (i + ½) / n`, of the
//!   model's quantile (weight `1 − mix`) and conflictology's (weight `mix`: the unit's own
//!   last 12 training months, interpolated), rounded; the draws are then put in random
//!   order.
//! - **Validation** (`validation.rs`, inside the training data only): a second model, fit
//!   on the targets up to the cut-off minus 38 months, forecasts from three origins
//!   (cut-off − 38, − 26, − 14; pseudo-windows 3..=14 months ahead like the real one, all
//!   inside the training data). Each (`mix`, `scale`) of [`MIX_GRID`] × [`SCALE_GRID`] is
//!   scored on each origin with the other origins' residuals; the winner has the lowest
//!   mean CRPS ratio to conflictology among those whose mean MIS ratio is at most 1. With
//!   less data, one origin (cut-off − 14) and in-sample residuals; with too little even
//!   for that (short pgm histories), the a-priori pair ([`DEFAULT_MIX`],
//!   [`DEFAULT_SCALE`]).
//!
//! **Missing months** (`NaN` in the panel, [`crate::panel::MISSING`]) are never read as
//! zero: a training row whose target month is missing is dropped; a feature computed from
//! a window uses the window's known months and is itself missing (`NaN`, which perpetual
//! treats as missing) when none is; the baseline falls back on the 12- or 36-month mean,
//! then 0; conflictology's members are the last 12 *known* months. A panel without
//! missing months gives exactly the model it gave before.
//!
//! Nothing after the cut-off is read: [`fit`] first truncates every series at the cut-off.
//!
//! The modules depend on each other in one direction only: `mod.rs` (this file) on all of
//! them; `validation.rs` on `point.rs`, `distribution.rs` and `history.rs`; `point.rs` on
//! `features.rs`, `distribution.rs` and `history.rs`; `features.rs` on `history.rs`;
//! `history.rs`, `distribution.rs` (and the tests' `fixtures.rs`) on none of them. None
//! uses this file.

use std::collections::HashMap;

use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::panel::Panel;

mod distribution;
mod features;
#[cfg(test)]
pub(crate) mod fixtures;
mod history;
mod point;
mod validation;

use distribution::{sample, Residuals};
use history::Hist;
use point::{fit_point, forecast, UnitForecast};

pub use distribution::{Choice, DEFAULT_MIX, DEFAULT_SCALE};
pub use features::Feature;
pub use point::{BAGS, BASELINE, BUDGET, H_MAX, H_MIN, LEVEL_CAP, MEMORY_LIMIT_GB, TREES};
pub use validation::{MIX_GRID, SCALE_GRID};

/// The fitted `gbm` of one window: per-unit predictions and the residual pools.
#[derive(Debug, Clone)]
pub struct GbmFit {
    units: HashMap<u32, UnitForecast>,
    residuals: Residuals,
    /// The distribution's parameters.
    pub choice: Choice,
    /// Whether `mix`, `scale` and the residuals came from validation (false: the
    /// a-priori choice).
    pub validated: bool,
    /// The chosen candidate's validation score: the mean over the origins of its CRPS
    /// relative to conflictology's.
    pub validation_score: Option<f64>,
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
        sample(
            u.at(h),
            &u.recent,
            &self.residuals,
            self.choice,
            n,
            rng,
            out,
        );
    }
}

/// Fits `gbm` for the cut-off `train_end`: only the panel's months up to `train_end` are
/// read.
pub fn fit(panel: &Panel, train_end: u32, seed: u64) -> Result<GbmFit> {
    let hist = Hist::new(panel, train_end);
    if point::row_places(&hist, train_end).next().is_none() {
        return Err(Error::Model(format!(
            "gbm: no training rows (no unit has a known month {} or more months after \
             one of its months, up to the cut-off)",
            H_MIN
        )));
    }
    let plan = validation::plan(&hist, train_end);
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
        (Some(point), Some((_, origins))) => {
            validation::choose(&hist, &point, origins, train_end, seed)
        }
        _ => None,
    };
    let units = forecast(&hist, &full, train_end);
    let (choice, residuals, score, origins) = match chosen {
        Some(c) => {
            let residuals = if c.choice.out_of_sample {
                c.out_of_sample
            } else {
                full.residuals
            };
            let origins = plan.map(|p| p.1).unwrap_or_default();
            (c.choice, residuals, Some(c.score), origins)
        }
        None => (Choice::DEFAULT, full.residuals, None, Vec::new()),
    };
    Ok(GbmFit {
        units,
        residuals,
        choice,
        validated: score.is_some(),
        validation_score: score,
        validation_origins: origins,
        train_end,
    })
}

#[cfg(test)]
mod tests {
    use super::fixtures::admin1_panel;
    use super::*;

    /// (Its forecasts, end to end: `live`'s tests.)
    #[test]
    fn admin1_panel_with_neighbours_reaches_the_spatial_features() {
        let panel = admin1_panel();
        assert_eq!(panel.kind.short(), "a1m");
        assert_eq!(panel.kind.column(), "admin1_id");
        // The neighbour table reaches the spatial features: 1014's neighbours (1013,
        // 1015) include the violent unit.
        let hist = Hist::new(&panel, panel.last_month());
        let u = hist.units.iter().position(|&x| x == 1014).unwrap();
        let i = hist.values[u].len() - 1;
        assert!(hist.ctx[u][i].neighbours12 > 1.0, "{:?}", hist.ctx[u][i]);
        let far = hist.units.iter().position(|&x| x == 1001).unwrap();
        assert!(
            hist.ctx[far][i].neighbours12 < hist.ctx[u][i].neighbours12 / 3.0,
            "{:?}",
            hist.ctx[far][i]
        );
        // Without the table there is no spatial context at all.
        let mut bare = panel.clone();
        bare.neighbours = None;
        let h2 = Hist::new(&bare, bare.last_month());
        assert!(h2
            .ctx
            .iter()
            .flatten()
            .all(|c| c.neighbours12 == 0.0 && c.neighbours3 == 0.0));
    }
}
