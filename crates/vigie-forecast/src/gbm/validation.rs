//! The rolling-origin validation inside the training data: its plan (the validation
//! model's cut-off and origins), and the choice of the distribution's parameters
//! ([`Choice`]) by their CRPS and MIS relative to conflictology's.

use std::collections::HashMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::distribution::{sample, Choice, Residuals};
use super::history::Hist;
use super::point::{forecast, row_places, Point, UnitForecast, H_MAX, H_MIN};
use crate::score::{crps, quantile};

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

/// The validation plan for cut-off `train_end`: the validation model's cut-off and the
/// origins it forecasts from (pseudo-windows every 12 months up to `train_end - 14`, whose
/// 12 target months all fall on or before `train_end`). The longest back-off in
/// [`VALIDATION_BACK`] whose training rows reach [`MIN_VALIDATION_ROWS`].
pub(super) fn plan(hist: &Hist, train_end: u32) -> Option<(u32, Vec<u32>)> {
    for back in VALIDATION_BACK {
        let Some(val_end) = train_end.checked_sub(back) else {
            continue;
        };
        if row_places(hist, val_end).count() < MIN_VALIDATION_ROWS {
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

/// What the validation chose.
pub(super) struct Chosen {
    pub choice: Choice,
    /// The choice's mean, over the origins, of its CRPS relative to conflictology's.
    pub score: f64,
    /// The out-of-sample residual pools of all origins.
    pub out_of_sample: Residuals,
}

/// The candidate with the lowest mean, over the validation origins, of its pooled CRPS
/// relative to conflictology's, among those whose mean MIS ratio is at most 1 (all of
/// them if none is); and the out-of-sample residual pool of all origins. `None` when
/// there are too few unit-months.
pub(super) fn choose(
    hist: &Hist,
    point: &Point,
    origins: &[u32],
    train_end: u32,
    seed: u64,
) -> Option<Chosen> {
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
            // A unit with no known month before the origin has no conflictology to
            // compare with.
            let Some(f) = fc.get(&unit).filter(|f| !f.recent.is_empty()) else {
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
                // Missing months are not scored.
                if let Some(&y) = hist.raw[u].get(i as usize).filter(|y| !y.is_nan()) {
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
            .map(|c| (c.f.at(c.h), c.y.ln_1p()))
            .unzip();
        Residuals::new(&p, &t)
    };
    // Leave one origin out: each origin is scored with the residuals of the others.
    let loo: Vec<Residuals> = (0..origins.len()).map(|k| oos(&|o| o != k)).collect();
    // Conflictology's CRPS and MIS sums by origin.
    let mut conflictology = vec![(0.0, 0.0); origins.len()];
    for c in &cells {
        let (crps, mis) = crps_mis(&c.f.recent, c.y);
        let g = &mut conflictology[c.origin];
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
    // The mean over origins of the CRPS ratio to conflictology, same for the MIS.
    let score = |c: &Choice| -> (f64, f64) {
        let mut total = vec![(0.0, 0.0); origins.len()];
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
                cell.f.at(cell.h),
                &cell.f.recent,
                residuals,
                *c,
                VALIDATION_DRAWS,
                &mut rng,
                &mut buf,
            );
            buf.sort_unstable_by(f64::total_cmp);
            let (crps, mis) = crps_mis(&buf, cell.y);
            let g = &mut total[cell.origin];
            g.0 += crps;
            g.1 += mis;
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
        let k = origins.len() as f64;
        let mut out = (0.0, 0.0);
        for (t, c) in total.iter().zip(&conflictology) {
            out.0 += ratio(t.0, c.0) / k;
            out.1 += ratio(t.1, c.1) / k;
        }
        out
    };
    // The candidates are scored on the two cores.
    let half = candidates.len() / 2;
    let scores: Vec<(f64, f64)> = std::thread::scope(|s| {
        let a = s.spawn(|| candidates[..half].iter().map(score).collect::<Vec<_>>());
        let mut b: Vec<(f64, f64)> = candidates[half..].iter().map(score).collect();
        let mut a = a.join().expect("validation thread");
        a.append(&mut b);
        a
    });
    // The lowest CRPS among the candidates whose MIS is no worse than conflictology's
    // (all of them if none is).
    let admissible: Vec<usize> = match (0..candidates.len())
        .filter(|&i| scores[i].1 <= 1.0)
        .collect::<Vec<_>>()
    {
        v if v.is_empty() => (0..candidates.len()).collect(),
        v => v,
    };
    let best = admissible
        .into_iter()
        .min_by(|&i, &j| scores[i].0.total_cmp(&scores[j].0))?;
    Some(Chosen {
        choice: candidates[best],
        score: scores[best].0,
        out_of_sample: oos(&|_| true),
    })
}
