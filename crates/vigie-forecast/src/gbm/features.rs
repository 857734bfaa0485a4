//! The boosters' features, by name ([`Feature`]), and how one row of them is computed
//! for a unit at an origin month from the truncated panel ([`Hist`]).

use std::ops::{Index, IndexMut};

use super::history::Hist;

/// Defines [`Feature`] (the column order is the order of the list), [`Feature::ALL`] and
/// [`Feature::name`] from one list.
macro_rules! features {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// A feature of the boosters; its discriminant is its column.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Feature {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Feature {
            /// How many features there are.
            pub const COUNT: usize = [$($name),*].len();
            /// Every feature, in column order.
            pub const ALL: [Feature; Feature::COUNT] = [$(Feature::$variant),*];

            /// The feature's short name (as in docs/forecasting.md).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Feature::$variant => $name,)*
                }
            }
        }
    };
}

features! {
    /// Months from the origin to the target month, 3..=14.
    Horizon => "horizon",
    /// `ln(1 + y)` at the origin month.
    L0 => "l0",
    /// `ln(1 + y)` one month before the origin.
    L1 => "l1",
    /// `ln(1 + y)` two months before the origin.
    L2 => "l2",
    /// `ln(1 + mean)` of the last 3 months.
    Mean3 => "mean3",
    /// `ln(1 + mean)` of the last 6 months.
    Mean6 => "mean6",
    /// `ln(1 + mean)` of the last 12 months.
    Mean12 => "mean12",
    /// `ln(1 + mean)` of the last 36 months.
    Mean36 => "mean36",
    /// The largest `ln(1 + y)` of the last 12 months.
    Max12 => "max12",
    /// The largest `ln(1 + y)` of the whole history.
    MaxEver => "max_ever",
    /// The standard deviation of `ln(1 + y)` over the last 12 months.
    Sd12 => "sd12",
    /// `exp(−months / 12)` since the last month with a fatality (0 if none).
    DecaySinceLast => "decay_since_last",
    /// `ln(1 + months)` since the start of the current spell (positive months separated by
    /// fewer than 12 zero months; −1 if none).
    MonthsSinceOnset => "months_since_onset",
    /// The neighbours' mean `ln(1 + last 12 months)`.
    Neighbours12 => "neighbours12",
    /// The neighbours' mean `ln(1 + last 3 months)`.
    Neighbours3 => "neighbours3",
    /// The neighbourhood's last 3 months against its 12-month rate, in logs.
    NeighbourhoodTrend => "neighbourhood_trend",
    /// The mean `ln(1 + last 12 months)` of the other units of the region.
    Region12 => "region12",
    /// The all-unit 12-month total against the same 12 months earlier, in logs.
    GlobalTrend => "global_trend",
    /// The region's 12-month total against the same 12 months earlier, in logs.
    RegionalTrend => "regional_trend",
}

/// One row of features, indexed by [`Feature`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features(pub [f64; Feature::COUNT]);

impl Default for Features {
    fn default() -> Self {
        Features([0.0; Feature::COUNT])
    }
}

impl Index<Feature> for Features {
    type Output = f64;

    fn index(&self, f: Feature) -> &f64 {
        &self.0[f as usize]
    }
}

impl IndexMut<Feature> for Features {
    fn index_mut(&mut self, f: Feature) -> &mut f64 {
        &mut self.0[f as usize]
    }
}

impl Features {
    /// The features of unit `u` at origin index `i` (month `first + i`), horizon `h`.
    /// `values[u][..=i]` and the context at `i` only.
    /// Reads `values[u][..=i]` and the context at `i` only. Missing months (`NaN`) are
    /// skipped: a window's feature is computed from its known months, and is `NaN`
    /// (missing, which the boosters accept) when none is known; the months since the last
    /// fatality count missing months as months passed.
    pub(super) fn at(hist: &Hist, u: usize, i: usize, h: u32) -> Features {
        let v = &hist.values[u][..=i];
        let raw = &hist.raw[u][..=i];
        let lag = |k: usize| if i >= k { v[i - k] } else { 0.0 };
        let known = |x: &&f64| !x.is_nan();
        let mean = |k: usize| {
            let a = (i + 1).saturating_sub(k);
            let (sum, n) = raw[a..]
                .iter()
                .filter(known)
                .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
            if n == 0 {
                f64::NAN
            } else {
                (sum / n as f64).ln_1p()
            }
        };
        let max = |s: &[f64]| {
            s.iter().filter(known).copied().fold(f64::NAN, |m, x| {
                if m.is_nan() {
                    x.max(0.0)
                } else {
                    m.max(x)
                }
            })
        };
        let a12 = (i + 1).saturating_sub(12);
        let w12 = &v[a12..];
        let n12 = w12.iter().filter(known).count();
        let mu12 = w12.iter().filter(known).sum::<f64>() / n12 as f64;
        let sd12 = if n12 == 0 {
            f64::NAN
        } else {
            (w12.iter()
                .filter(known)
                .map(|x| (x - mu12) * (x - mu12))
                .sum::<f64>()
                / n12 as f64)
                .sqrt()
        };
        let any_known = raw.iter().any(|x| !x.is_nan());
        let since_last = raw.iter().rev().position(|&x| x > 0.0);
        // Onset: the start of the current spell (positive months with gaps < 12 known
        // zero months; missing months neither end nor extend a gap).
        let onset = match since_last {
            None if !any_known => f64::NAN,
            None => -1.0,
            Some(_) => {
                let mut start = i;
                let mut zeros = 0;
                for j in (0..=i).rev() {
                    if raw[j] > 0.0 {
                        start = j;
                        zeros = 0;
                    } else if raw[j] == 0.0 {
                        zeros += 1;
                        if zeros >= 12 {
                            break;
                        }
                    }
                }
                ((i - start) as f64).ln_1p()
            }
        };
        let m = (hist.first[u] - hist.month0) as usize + i;
        let c = &hist.ctx[u][i];
        let mut row = Features::default();
        for f in Feature::ALL {
            row[f] = match f {
                Feature::Horizon => f64::from(h),
                Feature::L0 => lag(0),
                Feature::L1 => lag(1),
                Feature::L2 => lag(2),
                Feature::Mean3 => mean(3),
                Feature::Mean6 => mean(6),
                Feature::Mean12 => mean(12),
                Feature::Mean36 => mean(36),
                Feature::Max12 => max(w12),
                Feature::MaxEver => max(v),
                Feature::Sd12 => sd12,
                Feature::DecaySinceLast => match since_last {
                    Some(d) => (-(d as f64) / 12.0).exp(),
                    None if any_known => 0.0,
                    None => f64::NAN,
                },
                Feature::MonthsSinceOnset => onset,
                Feature::Neighbours12 => c.neighbours12,
                Feature::Neighbours3 => c.neighbours3,
                Feature::NeighbourhoodTrend => c.neighbourhood_trend,
                Feature::Region12 => c.region12,
                Feature::GlobalTrend => hist.global_trend[m],
                Feature::RegionalTrend => c.regional_trend,
            };
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_named_in_column_order() {
        for (column, f) in Feature::ALL.into_iter().enumerate() {
            assert_eq!(f as usize, column, "{}", f.name());
        }
        assert_eq!(Feature::COUNT, 19);
        assert_eq!(Feature::ALL[0].name(), "horizon");
        assert_eq!(Feature::ALL[Feature::COUNT - 1].name(), "regional_trend");
    }
}
