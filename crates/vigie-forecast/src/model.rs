//! The benchmark models of the ViEWS prediction challenge 2023/24, each defined as the
//! official per-country-month scores show it was computed (docs/forecasting.md has the
//! evidence):
//!
//! - **zero**: every draw is 0.
//! - **last-historical-poisson** (`last_historical_poisson`): draws from a Poisson whose
//!   mean is the unit's value in the last training month (October of the year before).
//! - **bootstrap** (`boot_240`): draws resampled with replacement from the values of *all*
//!   units in the last 240 training months (the pool is shared; each unit-month gets its
//!   own draws). Resampling from the unit's own 240 months does not reproduce the official
//!   scores (mean CRPS 15.6 against the official 23.6 in Y2018).
//! - **conflictology**: the unit's own last 12 training months, each once: an ensemble of
//!   12 members, not a resample of 1,000. The official CRPS and MIS equal those of these
//!   12 values exactly in every cell of Y2020–Y2022; a 1,000-draw resample would only
//!   add sampling noise (and changes the MIS, whose quantiles then fall on order statistics
//!   rather than between them).
//!
//! And one learned model, **gbm** ([`crate::gbm`]): gradient-boosted trees with a full
//! predictive distribution of integer draws.
//!
//! A missing month (`NaN`, see [`crate::panel::MISSING`]) is skipped: the
//! last-historical-Poisson mean is the last *known* month, conflictology's members the last
//! 12 known months, the bootstrap's pool the known values only.
//!
//! Every draw comes from a ChaCha8 generator seeded from (seed, model, unit, month), so
//! a forecast is reproducible and does not depend on the order units are visited in.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::Error;
use crate::panel::{known, last_known, Panel, Series};
use crate::window::Window;

/// The months the bootstrap benchmark pools.
pub const BOOTSTRAP_MONTHS: u32 = 240;
/// The months conflictology takes its ensemble from.
pub const CONFLICTOLOGY_MONTHS: u32 = 12;
/// Draws per unit-month of the sampling models, as in the challenge.
pub const DEFAULT_DRAWS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Model {
    Zero,
    LastHistoricalPoisson,
    Bootstrap,
    Conflictology,
    /// Gradient-boosted trees with resampled residuals and conflictology draws.
    Gbm,
}

impl Model {
    /// The four benchmarks of the challenge (those of the official scores file).
    pub const ALL: [Model; 4] = [
        Model::Zero,
        Model::LastHistoricalPoisson,
        Model::Bootstrap,
        Model::Conflictology,
    ];

    /// Every model: the benchmarks and the learned ones.
    pub const EVERY: [Model; 5] = [
        Model::Zero,
        Model::LastHistoricalPoisson,
        Model::Bootstrap,
        Model::Conflictology,
        Model::Gbm,
    ];

    /// The project's best model so far, the default of `vigie forecast evaluate`: the
    /// learned model, whose CRPS beats conflictology's pooled over Y2018–Y2022 and on the
    /// mean of the window ratios (docs/forecasting.md), and which gives 1,000 draws.
    pub const BEST: Model = Model::Gbm;

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Model::Zero => "zero",
            Model::LastHistoricalPoisson => "last-historical-poisson",
            Model::Bootstrap => "bootstrap",
            Model::Conflictology => "conflictology",
            Model::Gbm => "gbm",
        }
    }

    /// The name in the official benchmark scores file.
    pub fn official_name(self) -> &'static str {
        match self {
            Model::Zero => "zero",
            Model::LastHistoricalPoisson => "last_historical_poisson",
            Model::Bootstrap => "boot_240",
            Model::Conflictology => "conflictology",
            Model::Gbm => "gbm",
        }
    }

    fn index(self) -> u64 {
        match self {
            Model::Zero => 0,
            Model::LastHistoricalPoisson => 1,
            Model::Bootstrap => 2,
            Model::Conflictology => 3,
            Model::Gbm => 4,
        }
    }

    /// Trains the model for a window: only months up to the window's training cut-off are
    /// read, here and in [`Fitted::draws`]. `seed` seeds the learned models' fit (the
    /// benchmarks ignore it).
    pub fn fit(self, panel: &Panel, window: Window, seed: u64) -> Result<Fitted, Error> {
        self.fit_until(panel, window.train_end(), seed)
    }

    /// Trains the model on the months up to `train_end` (a ViEWS month_id), for forecasts
    /// of the months after it (live forecasts: see [`crate::live`]).
    pub fn fit_until(self, panel: &Panel, train_end: u32, seed: u64) -> Result<Fitted, Error> {
        let pool = match self {
            Model::Bootstrap => panel
                .series
                .iter()
                .flat_map(|s| s.range(train_end + 1 - BOOTSTRAP_MONTHS.min(train_end), train_end))
                .copied()
                .filter(|v| known(*v))
                .collect(),
            _ => Vec::new(),
        };
        let gbm = match self {
            Model::Gbm => Some(Box::new(crate::gbm::fit(panel, train_end, seed)?)),
            _ => None,
        };
        Ok(Fitted {
            model: self,
            train_end,
            pool,
            gbm,
        })
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Model {
    type Err = Error;

    /// The command-line name, or the official one (`boot_240`, `last_historical_poisson`).
    fn from_str(s: &str) -> Result<Model, Error> {
        let t = s.trim().to_ascii_lowercase();
        Model::EVERY
            .into_iter()
            .find(|m| m.name() == t || m.official_name() == t)
            .ok_or_else(|| {
                let names: Vec<&str> = Model::EVERY.iter().map(|m| m.name()).collect();
                Error::UnknownModel(s.to_string(), names.join(", "))
            })
    }
}

/// A model trained for one window.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub model: Model,
    pub train_end: u32,
    /// The bootstrap's pool: every unit's values over the last 240 training months.
    pool: Vec<f64>,
    /// The fitted `gbm`.
    pub gbm: Option<Box<crate::gbm::GbmFit>>,
}

impl Fitted {
    /// Whether the model can forecast this unit: it needs at least one training month
    /// (and the bootstrap a non-empty pool).
    pub fn covers(&self, series: &Series) -> bool {
        series.first_month <= self.train_end
            && (self.model != Model::Bootstrap || !self.pool.is_empty())
            && self.gbm.as_ref().is_none_or(|g| g.covers(series.unit))
    }

    /// Fills `out` with the forecast of `series`'s unit for `month`: `n` draws for the
    /// sampling models, the 12 (or fewer, for a short history) training values for
    /// conflictology. Call only for units the model [covers](Self::covers).
    pub fn draws(&self, series: &Series, month: u32, n: usize, seed: u64, out: &mut Vec<f64>) {
        use rand::Rng;
        out.clear();
        let mut rng =
            ChaCha8Rng::seed_from_u64(cell_seed(seed, self.model.index(), series.unit, month));
        match self.model {
            Model::Zero => out.resize(n, 0.0),
            Model::LastHistoricalPoisson => {
                // The last known month (a unit never observed: 0).
                let last = series
                    .range(0, self.train_end)
                    .iter()
                    .rev()
                    .copied()
                    .find(|v| known(*v))
                    .unwrap_or(0.0);
                out.extend((0..n).map(|_| crate::poisson::sample(&mut rng, last)));
            }
            Model::Bootstrap => {
                let pool = &self.pool;
                out.extend((0..n).map(|_| pool[rng.gen_range(0..pool.len())]));
            }
            Model::Conflictology => {
                // The last 12 known months (the 12 calendar months before the cut-off
                // when none is missing); none for a unit never observed.
                let known = last_known(
                    series.range(0, self.train_end),
                    CONFLICTOLOGY_MONTHS as usize,
                );
                out.extend_from_slice(&known);
            }
            Model::Gbm => {
                if let Some(g) = &self.gbm {
                    g.draws(series.unit, month, n, &mut rng, out);
                }
            }
        }
    }
}

/// SplitMix64 finalizer over the inputs: a well-mixed seed per unit-month.
fn cell_seed(seed: u64, model: u64, unit: u32, month: u32) -> u64 {
    let mut z = seed
        ^ model.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (u64::from(unit) << 20)
        ^ u64::from(month);
    for _ in 0..2 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::UnitKind;
    use std::path::PathBuf;

    /// Two countries, months 431..=454 (2015-11 to 2017-10): unit 1 counts up 1..=24,
    /// unit 2 is 100 throughout except 7 in its last month.
    fn panel() -> Panel {
        let s1 = Series {
            unit: 1,
            first_month: 431,
            values: (1..=24).map(f64::from).collect(),
        };
        let mut v2 = vec![100.0; 24];
        v2[23] = 7.0;
        let s2 = Series {
            unit: 2,
            first_month: 431,
            values: v2,
        };
        Panel {
            path: PathBuf::from("t.csv"),
            kind: UnitKind::Country,
            series: vec![s1, s2],
            neighbours: None,
        }
    }

    #[test]
    fn definitions() {
        let p = panel();
        let w = Window::new(2018).unwrap(); // trains to 454
        let mut out = Vec::new();

        Model::Zero
            .fit(&p, w, 1)
            .unwrap()
            .draws(&p.series[0], 457, 5, 1, &mut out);
        assert_eq!(out, vec![0.0; 5]);

        // Conflictology: the last 12 training months of the unit itself: 13..=24.
        Model::Conflictology
            .fit(&p, w, 1)
            .unwrap()
            .draws(&p.series[0], 460, 1000, 1, &mut out);
        assert_eq!(out, (13..=24).map(f64::from).collect::<Vec<_>>());

        // Poisson around the last training value: unit 2's is 7, so draws average near 7,
        // never near 100.
        Model::LastHistoricalPoisson.fit(&p, w, 1).unwrap().draws(
            &p.series[1],
            457,
            1000,
            1,
            &mut out,
        );
        let mean = out.iter().sum::<f64>() / 1000.0;
        assert!((mean - 7.0).abs() < 0.5, "{mean}");

        // Bootstrap: every draw is a value of some unit's history; both units are pooled.
        let f = Model::Bootstrap.fit(&p, w, 1).unwrap();
        f.draws(&p.series[0], 457, 1000, 1, &mut out);
        assert!(out
            .iter()
            .all(|v| (1.0..=24.0).contains(v) || *v == 100.0 || *v == 7.0));
        assert!(out.contains(&100.0) && out.iter().any(|v| *v <= 24.0));
    }

    #[test]
    fn nothing_after_the_cutoff_is_seen() {
        // Changing every value after the training cut-off changes no forecast.
        let p = panel();
        let w = Window::new(2018).unwrap();
        let mut q = p.clone();
        for s in &mut q.series {
            s.values.extend([5000.0; 14]);
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for m in Model::ALL {
            for s in 0..2 {
                m.fit(&p, w, 1)
                    .unwrap()
                    .draws(&p.series[s], 460, 200, 9, &mut a);
                m.fit(&q, w, 1)
                    .unwrap()
                    .draws(&q.series[s], 460, 200, 9, &mut b);
                assert_eq!(a, b, "{m}");
            }
        }
    }

    /// Missing months (`NaN`) are skipped, never read as zero: the last known value, the
    /// last 12 known values, a pool of known values; a unit never observed gets no
    /// conflictology members and a Poisson of mean 0, without a panic.
    #[test]
    fn benchmarks_skip_missing_months() {
        let mut p = panel();
        // Unit 1: its last 3 training months (452..=454) unknown; unit 2: all unknown.
        for v in &mut p.series[0].values[21..] {
            *v = f64::NAN;
        }
        for v in &mut p.series[1].values {
            *v = f64::NAN;
        }
        let w = Window::new(2018).unwrap();
        let mut out = Vec::new();
        Model::Conflictology
            .fit(&p, w, 1)
            .unwrap()
            .draws(&p.series[0], 460, 1000, 1, &mut out);
        assert_eq!(out, (10..=21).map(f64::from).collect::<Vec<_>>());
        Model::Conflictology
            .fit(&p, w, 1)
            .unwrap()
            .draws(&p.series[1], 460, 1000, 1, &mut out);
        assert!(out.is_empty());
        // Poisson around 21 (month 451), not around 0.
        let f = Model::LastHistoricalPoisson.fit(&p, w, 1).unwrap();
        f.draws(&p.series[0], 457, 1000, 1, &mut out);
        let mean = out.iter().sum::<f64>() / 1000.0;
        assert!((mean - 21.0).abs() < 1.0, "{mean}");
        f.draws(&p.series[1], 457, 100, 1, &mut out);
        assert_eq!(out, vec![0.0; 100]);
        // The bootstrap pools unit 1's 21 known values only.
        let f = Model::Bootstrap.fit(&p, w, 1).unwrap();
        f.draws(&p.series[1], 457, 1000, 1, &mut out);
        assert!(out.iter().all(|v| (1.0..=21.0).contains(v)), "{out:?}");
    }

    #[test]
    fn seeded_and_deterministic() {
        let p = panel();
        let f = Model::Bootstrap
            .fit(&p, Window::new(2018).unwrap(), 1)
            .unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        f.draws(&p.series[0], 457, 100, 42, &mut a);
        f.draws(&p.series[0], 457, 100, 42, &mut b);
        assert_eq!(a, b);
        f.draws(&p.series[0], 457, 100, 43, &mut b);
        assert_ne!(a, b);
        f.draws(&p.series[0], 458, 100, 42, &mut b);
        assert_ne!(a, b, "each month has its own draws");
    }

    #[test]
    fn names() {
        for m in Model::EVERY {
            assert_eq!(m.name().parse::<Model>().unwrap(), m);
            assert_eq!(m.official_name().parse::<Model>().unwrap(), m);
        }
        let e = "xgb".parse::<Model>().unwrap_err().to_string();
        assert!(
            e.contains("\"xgb\"") && e.contains("conflictology") && e.contains("gbm"),
            "{e}"
        );
    }
}
