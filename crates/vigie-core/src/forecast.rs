//! Stored forecasts: a run (a model trained on what one reader could see, forecasting the
//! months after its data) and its per-unit, per-month summaries. A run is a record with an
//! audience like every other; it may only be shown to readers who could see what it was
//! computed from (see docs/forecasting.md, "Stored forecasts").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Audience, CheckError};

/// The spatial unit of a forecast or an alert rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// Countries; units are ISO 3166 alpha-3 codes.
    #[serde(rename = "cm")]
    Country,
    /// West African admin-1 regions; units are `ISO3/Name` ([`crate::region`]).
    #[serde(rename = "a1m")]
    Admin1,
    /// PRIO-GRID cells; units are gids.
    #[serde(rename = "pgm")]
    Grid,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Country => "cm",
            Level::Admin1 => "a1m",
            Level::Grid => "pgm",
        }
    }
}

display_as_str!(Level);

impl std::str::FromStr for Level {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cm" | "country" => Ok(Level::Country),
            "a1m" | "admin1" => Ok(Level::Admin1),
            "pgm" | "grid" | "priogrid" => Ok(Level::Grid),
            _ => Err(CheckError::unknown(format!(
                "unknown unit {s:?} (expected cm, a1m or pgm)"
            ))),
        }
    }
}

/// The key of an admin-1 unit: `ISO3/Name`.
pub fn admin1_unit(iso3: &str, name: &str) -> String {
    format!("{iso3}/{name}")
}

/// One forecast run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastRun {
    pub id: Uuid,
    pub level: Level,
    pub model: String,
    /// `YYYY-MM`: the first and last month of the history it was trained on.
    pub data_from: String,
    pub data_until: String,
    /// How many months after `data_until` it forecasts.
    pub months: u32,
    pub draws: u32,
    /// Whose view of the store it was computed from: a user id, or `public`.
    pub computed_for: String,
    pub created_at: DateTime<Utc>,
    pub audience: Audience,
    /// How many months of the history (`data_from..=data_until`) no complete source the
    /// reader may see covers for any unit of the run: months the model treated as missing
    /// for every unit, not as months without fatalities. (A month complete for some
    /// countries only is missing for the others but not counted here.)
    #[serde(default)]
    pub missing_months: u32,
    /// Those months as ranges (`2023-01 – 2023-09`); empty when there are none.
    #[serde(default)]
    pub missing: String,
}

/// The forecast of one unit for one month, summarised from the run's draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitForecast {
    pub unit: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Months after the run's last month of data (1 = the next month).
    pub ahead: u32,
    pub mean: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
    /// Probability of at least one fatality, and of at least 25, in the month.
    pub p_any: f64,
    pub p_25: f64,
    /// The 0%, 1%, …, 100% quantiles (101 values) of the *total* fatalities over months
    /// 1..=`ahead`: what "at least N fatalities within H months" is read from.
    pub cumulative: Vec<f64>,
}

impl UnitForecast {
    /// The probability of at least `n` fatalities in total over months 1..=`ahead`, read
    /// from the cumulative quantiles (to the nearest percent).
    pub fn p_total_at_least(&self, n: f64) -> f64 {
        let q = &self.cumulative;
        if q.len() < 2 {
            return 0.0;
        }
        // Share of the quantile levels whose value reaches n, each level standing for 1%.
        let steps = (q.len() - 1) as f64;
        match q.iter().position(|&v| v >= n) {
            None => 0.0,
            Some(0) => 1.0,
            Some(i) => (steps - (i as f64 - 0.5)).clamp(0.0, steps) / steps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(cumulative: Vec<f64>) -> UnitForecast {
        UnitForecast {
            unit: "MLI".into(),
            month: "2024-01".into(),
            ahead: 1,
            mean: 0.0,
            q05: 0.0,
            q50: 0.0,
            q95: 0.0,
            p_any: 0.0,
            p_25: 0.0,
            cumulative,
        }
    }

    #[test]
    fn exceedance_is_read_from_the_cumulative_quantiles() {
        // 0..=100: the k% quantile is k.
        let q: Vec<f64> = (0..=100).map(f64::from).collect();
        assert!((f(q.clone()).p_total_at_least(90.0) - 0.105).abs() < 1e-9);
        assert_eq!(f(q.clone()).p_total_at_least(0.0), 1.0);
        assert_eq!(f(q.clone()).p_total_at_least(101.0), 0.0);
        assert_eq!(f(vec![0.0; 101]).p_total_at_least(1.0), 0.0);
        assert_eq!(f(vec![]).p_total_at_least(1.0), 0.0);
    }

    #[test]
    fn levels_parse_and_print() {
        for l in [Level::Country, Level::Admin1, Level::Grid] {
            assert_eq!(l.as_str().parse::<Level>().unwrap(), l);
        }
        assert!("county".parse::<Level>().is_err());
    }
}
