//! Scores of an ensemble forecast (a set of draws) against the actual value, to the
//! definitions of the ViEWS prediction challenge 2023/24. The per-unit-month values of
//! CRPS, IGN and MIS reproduce the official benchmark scores
//! (`benchmark_scores_2018_2022.csv`) exactly where the ensemble is the same; see
//! docs/forecasting.md.
//!
//! All functions take the ensemble **sorted ascending** (`sort_unstable_by(f64::total_cmp)`),
//! which [`CellScores::new`] does once.

/// The ignorance score's bin edges; the last bin, from 1000.5, is open. Bins are closed on
/// the left (`numpy.digitize(x, edges) - 1`): 0.5 falls in the second bin.
pub const IGN_EDGES: [f64; 11] = [
    0.0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5,
];

/// Number of ignorance bins: ten closed intervals and the open last one.
pub const IGN_BINS: usize = IGN_EDGES.len();

/// The interval score's level: 90%, so α = 0.1.
pub const MIS_ALPHA: f64 = 0.1;

/// Continuous ranked probability score, ensemble estimator (the empirical CDF of the
/// draws, as `properscoring.crps_ensemble` and `xskillscore.crps_ensemble` compute it):
/// `E|X - y| - ½ E|X - X'|`, with both expectations over the `n` draws (divided by `n` and
/// `n²`: not the "fair" estimator). O(n) on sorted draws:
/// `E|X - X'| = 2/n² Σᵢ (2i - n + 1) x₍ᵢ₎` (i from 0).
pub fn crps(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len() as f64;
    let mut abs_err = 0.0;
    let mut spread = 0.0;
    for (i, &x) in sorted.iter().enumerate() {
        abs_err += (x - y).abs();
        spread += (2.0 * i as f64 - n + 1.0) * x;
    }
    abs_err / n - spread / (n * n)
}

/// The bin of a value (see [`IGN_EDGES`]). Values below 0 (not in a panel) go to bin 0.
pub fn ign_bin(x: f64) -> usize {
    // Number of edges <= x, minus one.
    IGN_EDGES
        .iter()
        .take_while(|&&e| e <= x)
        .count()
        .saturating_sub(1)
}

/// Ignorance score: `-log2 p`, where `p` is the share of the draws in the actual value's
/// bin after adding one pseudo-draw to every bin: `p = (count + 1) / (n + 11)`.
pub fn ign(draws: &[f64], y: f64) -> f64 {
    let bin = ign_bin(y);
    let count = draws.iter().filter(|&&x| ign_bin(x) == bin).count();
    let p = (count as f64 + 1.0) / (draws.len() as f64 + IGN_BINS as f64);
    -p.log2()
}

/// The `q` quantile of sorted draws, by linear interpolation between order statistics
/// (NumPy's default, Hyndman & Fan type 7): position `h = (n - 1) q`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Interval score at level `1 - alpha` (Gneiting & Raftery 2007): the width of the central
/// interval `[l, u]` (the α/2 and 1 - α/2 quantiles of the draws) plus `2/α` times the
/// distance by which `y` falls outside it.
pub fn interval_score(sorted: &[f64], y: f64, alpha: f64) -> f64 {
    let l = quantile(sorted, alpha / 2.0);
    let u = quantile(sorted, 1.0 - alpha / 2.0);
    let mut s = u - l;
    if y < l {
        s += 2.0 / alpha * (l - y);
    }
    if y > u {
        s += 2.0 / alpha * (y - u);
    }
    s
}

/// Brier score of a probability `p` for an event that happened (`outcome`) or not.
pub fn brier(p: f64, outcome: bool) -> f64 {
    let o = if outcome { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// Every per-unit-month score of one ensemble.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellScores {
    pub crps: f64,
    pub ign: f64,
    /// Interval score at the 90% level.
    pub mis: f64,
    /// Squared error of the ensemble mean.
    pub mse: f64,
    /// Squared error of the ensemble mean on the log scale: `(ln(1+mean) - ln(1+y))²`.
    pub msle: f64,
    /// Share of draws above 0: the forecast probability of any fatality.
    pub p_any: f64,
    /// Share of draws at 25 or more.
    pub p_25: f64,
    /// Brier score of `p_any` for `y > 0`.
    pub brier_any: f64,
    /// Brier score of `p_25` for `y >= 25`.
    pub brier_25: f64,
}

impl CellScores {
    /// Scores the draws (sorted here, in place) against `y`.
    pub fn new(draws: &mut [f64], y: f64) -> CellScores {
        draws.sort_unstable_by(f64::total_cmp);
        Self::of_sorted(draws, y)
    }

    /// Scores draws already sorted ascending.
    pub fn of_sorted(sorted: &[f64], y: f64) -> CellScores {
        let n = sorted.len() as f64;
        let mean = sorted.iter().sum::<f64>() / n;
        let p_any = sorted.iter().filter(|&&x| x > 0.0).count() as f64 / n;
        let p_25 = sorted.iter().filter(|&&x| x >= 25.0).count() as f64 / n;
        CellScores {
            crps: crps(sorted, y),
            ign: ign(sorted, y),
            mis: interval_score(sorted, y, MIS_ALPHA),
            mse: (mean - y) * (mean - y),
            msle: (mean.ln_1p() - y.ln_1p()).powi(2),
            p_any,
            p_25,
            brier_any: brier(p_any, y > 0.0),
            brier_25: brier(p_25, y >= 25.0),
        }
    }
}

/// Average precision (area under the precision-recall curve as scikit-learn's
/// `average_precision_score` computes it): `Σₙ (Rₙ - Rₙ₋₁) Pₙ` over the distinct scores
/// taken as thresholds from the highest down, tied scores forming one threshold. `None`
/// when there is no positive case.
pub fn average_precision(cases: &mut [(f64, bool)]) -> Option<f64> {
    let positives = cases.iter().filter(|c| c.1).count();
    if positives == 0 {
        return None;
    }
    cases.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut seen, mut ap, mut prev_recall) = (0usize, 0usize, 0.0, 0.0);
    let mut i = 0;
    while i < cases.len() {
        let score = cases[i].0;
        while i < cases.len() && cases[i].0 == score {
            tp += usize::from(cases[i].1);
            seen += 1;
            i += 1;
        }
        let recall = tp as f64 / positives as f64;
        let precision = tp as f64 / seen as f64;
        ap += (recall - prev_recall) * precision;
        prev_recall = recall;
    }
    Some(ap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12 * (1.0 + b.abs())
    }

    #[test]
    fn crps_by_hand() {
        // Draws {0, 2, 4}, y = 1: E|X-y| = (1 + 1 + 3)/3 = 5/3; the nine ordered pairs have
        // |X-X'| = 0,2,4, 2,0,2, 4,2,0, summing to 16, so ½E|X-X'| = 8/9.
        // CRPS = 5/3 - 8/9 = 7/9.
        assert!(close(crps(&[0.0, 2.0, 4.0], 1.0), 7.0 / 9.0));
        // All draws at 0: no spread, CRPS = |0 - y| (the official zero benchmark's CRPS is
        // the actual value).
        assert!(close(crps(&[0.0; 1000], 7.0), 7.0));
        // One draw: absolute error.
        assert!(close(crps(&[5.0], 2.0), 3.0));
        // y inside {10, 20}: E|X-y| = (5+5)/2 = 5, ½E|X-X'| = ½ (0+10+10+0)/4 = 2.5 → 2.5.
        assert!(close(crps(&[10.0, 20.0], 15.0), 2.5));
    }

    #[test]
    fn ign_by_hand() {
        // 1000 zeros, y = 0: bin 0 holds 1000 + 1 of 1000 + 11 → -log2(1001/1011); this is
        // the official zero benchmark's value, 0.014341023067021081, for every y = 0.
        assert!(close(ign(&[0.0; 1000], 0.0), 0.014341023067021081));
        // y = 3 falls in [2.5, 5.5), empty but for its pseudo-draw: -log2(1/1011).
        assert!(close(ign(&[0.0; 1000], 3.0), 9.981567281903015));
        // Draws {0, 1, 3, 30} fall in bins 0, 1, 2, 5; y = 2 in bin 1 ([0.5, 2.5)):
        // p = (1 + 1)/(4 + 11) = 2/15, -log2(2/15) = log2(7.5).
        assert!(close(ign(&[0.0, 1.0, 3.0, 30.0], 2.0), 7.5f64.log2()));
    }

    #[test]
    fn ign_bins_are_closed_on_the_left() {
        assert_eq!(ign_bin(0.0), 0);
        assert_eq!(ign_bin(0.49), 0);
        assert_eq!(ign_bin(0.5), 1);
        assert_eq!(ign_bin(2.0), 1);
        assert_eq!(ign_bin(25.0), 4);
        assert_eq!(ign_bin(25.5), 5);
        assert_eq!(ign_bin(1000.0), 9);
        assert_eq!(ign_bin(1000.5), 10);
        assert_eq!(ign_bin(1e9), 10);
    }

    #[test]
    fn quantile_is_numpy_linear() {
        // np.quantile([0, 10], 0.05) = 0 + 0.05·(10 - 0) = 0.5.
        assert!(close(quantile(&[0.0, 10.0], 0.05), 0.5));
        // np.quantile([1, 2, 3, 4], 0.5): h = 1.5 → 2.5.
        assert!(close(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5));
        assert!(close(quantile(&[1.0, 2.0, 3.0, 4.0], 1.0), 4.0));
        assert!(close(quantile(&[7.0], 0.95), 7.0));
    }

    #[test]
    fn interval_score_by_hand() {
        // Draws {0, 10}: the 90% interval is [0.5, 9.5], width 9.
        let d = [0.0, 10.0];
        assert!(close(interval_score(&d, 5.0, 0.1), 9.0));
        // y = 20 above: 9 + (2/0.1)·(20 - 9.5) = 9 + 210 = 219.
        assert!(close(interval_score(&d, 20.0, 0.1), 219.0));
        // y = 0 below: 9 + 20·0.5 = 19.
        assert!(close(interval_score(&d, 0.0, 0.1), 19.0));
        // The zero benchmark: interval [0, 0], so 20·y (the official zero MIS is 20× its
        // CRPS in every window).
        assert!(close(interval_score(&[0.0; 1000], 7.0, 0.1), 140.0));
    }

    #[test]
    fn point_and_threshold_scores_by_hand() {
        // Draws {0, 0, 1, 30}: mean 7.75; 2 of 4 above 0; 1 of 4 at 25 or more.
        let mut d = [30.0, 0.0, 1.0, 0.0];
        let s = CellScores::new(&mut d, 3.0);
        assert!(close(s.mse, (7.75f64 - 3.0).powi(2))); // 22.5625
                                                        // ln(1 + 7.75) - ln(1 + 3) = ln(8.75/4) = ln 2.1875.
        assert!(close(s.msle, 2.1875f64.ln().powi(2)));
        assert!(close(s.p_any, 0.5));
        assert!(close(s.brier_any, 0.25)); // (0.5 - 1)²: y = 3 > 0
        assert!(close(s.p_25, 0.25));
        assert!(close(s.brier_25, 0.0625)); // (0.25 - 0)²: y = 3 < 25
        let s = CellScores::new(&mut d, 30.0);
        assert!(close(s.brier_25, 0.5625)); // (0.25 - 1)²
        let s = CellScores::new(&mut d, 0.0);
        assert!(close(s.brier_any, 0.25)); // (0.5 - 0)²
        assert_eq!(d, [0.0, 0.0, 1.0, 30.0], "sorted in place");
    }

    #[test]
    fn average_precision_by_hand() {
        // Scores 0.9 (+), 0.8 (-), 0.7 (+), 0.1 (-). Thresholds from the top:
        // 0.9: P = 1, R = ½; 0.8: P = ½, R = ½; 0.7: P = ⅔, R = 1; 0.1: P = ½, R = 1.
        // AP = ½·1 + 0·½ + ½·⅔ + 0·½ = ⅚.
        let mut c = [(0.1, false), (0.7, true), (0.9, true), (0.8, false)];
        assert!(close(average_precision(&mut c).unwrap(), 5.0 / 6.0));
        // Ties form one threshold: {0.5 (+), 0.5 (-)} → P = ½ at R = 1 → ½.
        let mut c = [(0.5, true), (0.5, false)];
        assert!(close(average_precision(&mut c).unwrap(), 0.5));
        // No positive case: undefined.
        assert_eq!(average_precision(&mut [(0.3, false)]), None);
    }
}
