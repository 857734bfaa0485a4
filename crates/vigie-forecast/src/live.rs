//! Live forecasts: a model trained on everything a panel holds, forecasting the months
//! after its last one, summarised per unit and month.

use crate::error::Result;
use crate::model::Model;
use crate::panel::Panel;
use crate::score::quantile;

/// The forecast of one unit for one month, summarised from its draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The unit: a ViEWS country_id or a PRIO-GRID gid.
    pub unit: u32,
    /// ViEWS month_id.
    pub month_id: u32,
    /// Months after the last month of the panel (1 = the next month).
    pub ahead: u32,
    pub mean: f64,
    /// 5%, 50% and 95% quantiles of the draws.
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
    /// Probability of at least one fatality, and of at least 25.
    pub p_any: f64,
    pub p_25: f64,
    /// The 0%, 1%, …, 100% quantiles (101 values) of the total over months 1..=`ahead`,
    /// summing draw *i* of each month. Draws of different months are independent, so this
    /// understates how persistent a unit's months are (its spread is a lower bound).
    pub cumulative: Vec<f64>,
}

/// Trains `model` on every month of `panel` and forecasts the `months` months after the
/// panel's last one for every unit the model covers, from `draws` draws per unit-month.
pub fn forecast_ahead(
    panel: &Panel,
    model: Model,
    months: u32,
    draws: usize,
    seed: u64,
) -> Result<Vec<Forecast>> {
    let train_end = panel.last_month();
    let fitted = model.fit_until(panel, train_end, seed)?;
    let mut out = Vec::new();
    let mut d = Vec::with_capacity(draws);
    let mut total: Vec<f64> = Vec::with_capacity(draws);
    for series in &panel.series {
        if !fitted.covers(series) {
            continue;
        }
        total.clear();
        for ahead in 1..=months {
            let month_id = train_end + ahead;
            fitted.draws(series, month_id, draws, seed, &mut d);
            if d.is_empty() {
                continue;
            }
            if total.len() != d.len() {
                total = vec![0.0; d.len()];
            }
            for (t, v) in total.iter_mut().zip(&d) {
                *t += v;
            }
            let mut sorted_total = total.clone();
            sorted_total.sort_by(f64::total_cmp);
            let cumulative = (0..=100)
                .map(|k| quantile(&sorted_total, f64::from(k) / 100.0))
                .collect();
            d.sort_by(f64::total_cmp);
            let n = d.len() as f64;
            out.push(Forecast {
                unit: series.unit,
                month_id,
                ahead,
                mean: d.iter().sum::<f64>() / n,
                q05: quantile(&d, 0.05),
                q50: quantile(&d, 0.5),
                q95: quantile(&d, 0.95),
                p_any: d.iter().filter(|v| **v >= 1.0).count() as f64 / n,
                p_25: d.iter().filter(|v| **v >= 25.0).count() as f64 / n,
                cumulative,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::panel::UnitKind;

    /// The learned model on an admin-1 panel with its neighbour table, end to end.
    #[test]
    fn admin1_panel_with_neighbours_fits_and_forecasts() {
        let panel = crate::gbm::fixtures::admin1_panel();
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

    /// The panel of [`crate::gbm::fixtures::admin1_panel`] with `value` in every month of
    /// 2021-01..=2022-06 and in unit 1015's last month.
    fn with_gap(value: f64) -> Panel {
        let mut panel = crate::gbm::fixtures::admin1_panel();
        let gap = crate::window::month_id(2021, 1)..=crate::window::month_id(2022, 6);
        let last = panel.last_month();
        for s in &mut panel.series {
            for m in gap.clone() {
                s.values[(m - s.first_month) as usize] = value;
            }
            if s.unit == 1015 {
                s.values[(last - s.first_month) as usize] = value;
            }
        }
        panel
    }

    fn mean_of(f: &[Forecast], unit: u32) -> f64 {
        let v: Vec<f64> = f
            .iter()
            .filter(|x| x.unit == unit)
            .map(|x| x.mean)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Missing months are not zeros: a gap of missing months (and a last month missing
    /// for one unit) trains and forecasts, and the forecast differs from the one that reads
    /// the gap as months without fatalities, which drags the violent unit down.
    #[test]
    fn missing_months_are_not_zeros() {
        let missing = forecast_ahead(&with_gap(f64::NAN), Model::Gbm, 12, 1000, 5).unwrap();
        let zeros = forecast_ahead(&with_gap(0.0), Model::Gbm, 12, 1000, 5).unwrap();
        assert_eq!(missing.len(), 30 * 12);
        assert!(missing
            .iter()
            .all(|x| x.mean.is_finite() && x.q05 <= x.q50 && x.q50 <= x.q95));
        assert_ne!(missing, zeros);
        let (m, z) = (mean_of(&missing, 1015), mean_of(&zeros, 1015));
        assert!(m > 10.0 && m > z, "missing: {m}, zeros: {z}");
        // The benchmarks too: conflictology's members are the last 12 known months.
        let c = forecast_ahead(&with_gap(f64::NAN), Model::Conflictology, 1, 1000, 5).unwrap();
        assert!(mean_of(&c, 1015) > 20.0, "{}", mean_of(&c, 1015));
    }

    /// A unit missing throughout still gets a forecast from the model (from its
    /// neighbours, its region and the world), without a panic; conflictology, which has
    /// nothing to draw from, leaves it out.
    #[test]
    fn a_unit_missing_throughout_is_forecast() {
        let mut panel = crate::gbm::fixtures::admin1_panel();
        for v in &mut panel.series[0].values {
            *v = f64::NAN;
        }
        let unit = panel.series[0].unit;
        let f = forecast_ahead(&panel, Model::Gbm, 12, 1000, 5).unwrap();
        let mine: Vec<&Forecast> = f.iter().filter(|x| x.unit == unit).collect();
        assert_eq!(mine.len(), 12);
        assert!(mine.iter().all(|x| x.mean.is_finite() && x.p_any <= 1.0));
        let c = forecast_ahead(&panel, Model::Conflictology, 3, 1000, 5).unwrap();
        assert!(c.iter().all(|x| x.unit != unit));
        assert_eq!(c.len(), 29 * 3);
        let p = forecast_ahead(&panel, Model::LastHistoricalPoisson, 3, 100, 5).unwrap();
        assert_eq!(p.len(), 30 * 3);
    }

    #[test]
    fn forecasts_the_months_after_the_panel_from_its_own_history() {
        // Mali (50) with 10 fatalities every month of 2022, Niger (78) with none.
        let first = crate::window::month_id(2022, 1);
        let last = crate::window::month_id(2022, 12);
        let counts: HashMap<(u32, u32), f64> = (first..=last).map(|m| ((50, m), 10.0)).collect();
        let panel = Panel::from_counts(UnitKind::Country, "store", [50, 78], first, last, &counts);
        assert_eq!(panel.series.len(), 2);
        assert_eq!(panel.last_month(), last);
        let f = forecast_ahead(&panel, Model::Conflictology, 3, 1000, 1).unwrap();
        assert_eq!(f.len(), 6);
        let mali: Vec<&Forecast> = f.iter().filter(|x| x.unit == 50).collect();
        assert_eq!(
            mali.iter()
                .map(|x| (x.ahead, x.month_id))
                .collect::<Vec<_>>(),
            vec![(1, last + 1), (2, last + 2), (3, last + 3)]
        );
        // Conflictology: the last 12 months, all 10.
        assert!(mali
            .iter()
            .all(|x| x.mean == 10.0 && x.p_any == 1.0 && x.p_25 == 0.0));
        // The total over 1..=ahead months: 10 a month.
        assert!(mali.iter().all(|x| x.cumulative.len() == 101
            && x.cumulative.iter().all(|&v| v == 10.0 * f64::from(x.ahead))));
        assert!(f
            .iter()
            .filter(|x| x.unit == 78)
            .all(|x| x.mean == 0.0 && x.p_any == 0.0 && x.q95 == 0.0));
    }
}
