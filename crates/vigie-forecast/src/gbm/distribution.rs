//! The predictive distribution around a point forecast: residual pools by level bin, the
//! distribution's parameters ([`Choice`]), and the draws (the quantile average of the
//! model's quantiles and conflictology's).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::score::quantile;

/// The conflictology share and residual scale used when validation is impossible.
pub const DEFAULT_MIX: f64 = 0.25;
pub const DEFAULT_SCALE: f64 = 1.0;
/// Residual level bins on the predicted `ln(1 + y)`.
const LEVEL_EDGES: [f64; 8] = [0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// A bin with fewer residuals borrows from its neighbours.
const MIN_BIN: usize = 50;

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
pub(super) fn sample(
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

/// Residuals (`ln(1 + y)` minus the prediction) by level bin of the prediction; a thin
/// bin borrows from its neighbours until it has [`MIN_BIN`] residuals.
#[derive(Debug, Clone, Default)]
pub(super) struct Residuals {
    bins: Vec<Vec<f64>>,
}

fn level_bin(pred: f64) -> usize {
    LEVEL_EDGES.iter().take_while(|&&e| pred >= e).count()
}

impl Residuals {
    pub fn new(preds: &[f64], targets: &[f64]) -> Residuals {
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn draws_average_the_quantiles_of_the_model_and_of_conflictology() {
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
}
