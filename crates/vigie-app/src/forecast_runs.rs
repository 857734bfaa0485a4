//! Forecast runs from the store, for countries, West African admin-1 regions or PRIO-GRID
//! cells. The history is the state-based fatalities per unit and month of the events the
//! reader may see (read through the store's gate, like every other read), so two readers
//! may get different forecasts, and a forecast never rests on an event its reader could
//! not see. A stored run is shared no wider than its inputs allow: a public run is
//! TLP:CLEAR, a user's is TLP:RED for that user alone.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use vigie_core::{Audience, Distribution, ForecastRun, Level, Marking, UnitForecast, Viewer};
use vigie_forecast::live::{forecast_ahead, Forecast};
use vigie_forecast::window::month_label;
use vigie_forecast::{Model, Panel, UnitKind};
use vigie_store::Store;

use crate::error::{AppError, AppResult};

/// ViEWS month_id of a month index (`year * 12 + month - 1`); None before 1980.
pub fn views_month(index: i32) -> Option<u32> {
    u32::try_from(index - 1980 * 12 + 1).ok().filter(|&m| m > 0)
}

/// The forecast unit's number for a store unit key, and back.
pub struct Units {
    pub level: Level,
}

impl Units {
    fn id(&self, key: &str) -> Option<u32> {
        match self.level {
            Level::Country => vigie_core::country::by_iso3(key)
                .and_then(|c| c.views_id)
                .map(u32::from),
            Level::Admin1 => vigie_core::region::by_key(key).map(|i| i as u32 + 1),
            Level::Grid => key.parse().ok(),
        }
    }

    pub fn key(&self, id: u32) -> String {
        match self.level {
            Level::Country => u16::try_from(id)
                .ok()
                .and_then(vigie_core::country::by_views_id)
                .map_or_else(String::new, |c| c.iso3.to_string()),
            Level::Admin1 => vigie_core::region::key(id as usize - 1),
            Level::Grid => id.to_string(),
        }
    }

    fn kind(&self) -> UnitKind {
        match self.level {
            Level::Country => UnitKind::Country,
            Level::Admin1 => UnitKind::Admin1,
            Level::Grid => UnitKind::Priogrid,
        }
    }
}

/// Forecasts of every unit of a level, from what one viewer may see.
pub struct Computed {
    pub units: Units,
    pub model: Model,
    pub forecasts: Vec<Forecast>,
    /// The first and last months of the history (ViEWS month_id).
    pub first: u32,
    pub last: u32,
    pub months: u32,
    pub draws: u32,
    /// Unit-months with fatalities in the history.
    pub with_fatalities: usize,
}

impl Computed {
    /// The ViEWS month_id of the last month of the history.
    pub fn last_month(&self) -> u32 {
        self.last
    }
}

/// What to forecast: the level, the model, how far, how many draws, the seed, and the
/// last month to train on (ViEWS month_id; all the data when `None`).
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub level: Level,
    pub model: Model,
    pub months: u32,
    pub draws: u32,
    pub seed: u64,
    pub until: Option<u32>,
}

/// Trains `model` on the state-based history `viewer` may see at `level` and forecasts the
/// `months` months after it.
pub async fn compute(store: &dyn Store, viewer: &Viewer, request: &Request) -> AppResult<Computed> {
    let Request {
        level,
        model,
        months,
        draws,
        seed,
        until,
    } = *request;
    let observed = crate::alerts::observed(store, viewer, level, true).await?;
    let units = Units { level };
    let mut counts: HashMap<(u32, u32), f64> = HashMap::new();
    for (key, by_month) in &observed {
        let Some(id) = units.id(key) else { continue };
        for (&m, &v) in by_month {
            match views_month(m) {
                Some(m) if until.is_none_or(|u| m <= u) => {
                    *counts.entry((id, m)).or_default() += v as f64;
                }
                _ => {}
            }
        }
    }
    let (Some(first), Some(last)) = (
        counts.keys().map(|k| k.1).min(),
        counts.keys().map(|k| k.1).max(),
    ) else {
        return Err(AppError::BadRequest(
            "no state-based events from 1980 on that this reader may see: nothing to forecast from"
                .into(),
        ));
    };
    // Every unit of the level (a unit without an event is a unit without fatalities); for
    // grid cells, those with any event.
    let ids: Vec<u32> = match level {
        Level::Country => vigie_core::country::COUNTRIES
            .iter()
            .filter_map(|c| c.views_id.map(u32::from))
            .collect(),
        Level::Admin1 => (1..=vigie_core::region::regions().len() as u32).collect(),
        Level::Grid => counts.keys().map(|k| k.0).collect(),
    };
    let mut panel = Panel::from_counts(units.kind(), "the store", ids, first, last, &counts);
    if level == Level::Admin1 {
        let table = vigie_core::region::regions()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let n = r.neighbours.iter().map(|&j| j as u32 + 1).collect();
                (i as u32 + 1, n)
            })
            .collect();
        panel = panel.with_neighbours(Arc::new(table));
    }
    let forecasts = forecast_ahead(&panel, model, months, draws as usize, seed)
        .map_err(|e| AppError::BadRequest(format!("forecasting: {e}")))?;
    Ok(Computed {
        units,
        model,
        forecasts,
        first,
        last,
        months,
        draws,
        with_fatalities: counts.len(),
    })
}

/// Stores a computed run (its `created_at` now), shared no wider than its inputs: TLP:CLEAR
/// for the public viewer's, TLP:RED to the user alone for a user's. `via` names the channel
/// in the audit entry.
pub async fn save(
    store: &dyn Store,
    viewer: &Viewer,
    c: &Computed,
    via: &str,
) -> AppResult<ForecastRun> {
    let audience = match viewer.user_id().zip(viewer.org()) {
        Some((user, org)) => Audience {
            owner: org.to_string(),
            creator: Some(user.to_string()),
            marking: Marking::Red,
            distribution: Distribution::Recipients {
                users: vec![user.to_string()],
            },
        },
        None => Audience::public(),
    };
    let run = ForecastRun {
        id: uuid::Uuid::new_v4(),
        level: c.units.level,
        model: c.model.to_string(),
        data_from: month_label(c.first),
        data_until: month_label(c.last),
        months: c.months,
        draws: c.draws,
        computed_for: viewer.user_id().unwrap_or("public").to_string(),
        created_at: chrono::Utc::now(),
        audience,
    };
    let rows: Vec<UnitForecast> = c
        .forecasts
        .iter()
        .map(|f| UnitForecast {
            unit: c.units.key(f.unit),
            month: month_label(f.month_id),
            ahead: f.ahead,
            mean: f.mean,
            q05: f.q05,
            q50: f.q50,
            q95: f.q95,
            p_any: f.p_any,
            p_25: f.p_25,
            cumulative: f.cumulative.clone(),
        })
        .collect();
    let entry = vigie_store::audit::NewAuditEntry {
        actor: Some(viewer.user_id().unwrap_or(via).to_string()),
        actor_org: viewer.org().map(str::to_string),
        action: "create".into(),
        record_kind: Some("forecast-run".into()),
        record_id: Some(run.id.to_string()),
        detail: serde_json::json!({
            "marking": run.audience.marking,
            "level": run.level.as_str(),
            "via": via,
        }),
    };
    store.create_forecast_run(&run, &rows, Some(&entry)).await?;
    Ok(run)
}

/// Writes a run's forecasts as CSV: month, unit, months ahead, and the distribution's
/// summary.
pub fn write_csv(c: &Computed, out: impl Write) -> Result<(), csv::Error> {
    let (units, forecasts) = (&c.units, &c.forecasts);
    let mut w = csv::Writer::from_writer(out);
    let unit_columns: &[&str] = match units.level {
        Level::Country => &["country_id", "iso3"],
        Level::Admin1 => &["region"],
        Level::Grid => &["priogrid_gid"],
    };
    let mut header = vec!["month_id", "month"];
    header.extend(unit_columns);
    header.extend(["ahead", "mean", "q05", "q50", "q95", "p_any", "p_25"]);
    w.write_record(&header)?;
    for f in forecasts {
        let mut row = vec![f.month_id.to_string(), month_label(f.month_id)];
        if units.level == Level::Country {
            row.push(f.unit.to_string());
        }
        row.push(units.key(f.unit));
        row.push(f.ahead.to_string());
        for v in [f.mean, f.q05, f.q50, f.q95, f.p_any, f.p_25] {
            row.push(format!("{v:.3}"));
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_are_views_month_ids() {
        let index = |y: i32, m: i32| y * 12 + m - 1;
        assert_eq!(super::views_month(index(2018, 1)), Some(457));
        assert_eq!(super::views_month(index(1980, 1)), Some(1));
        assert_eq!(super::views_month(index(1979, 12)), None);
        assert_eq!(super::month_label(457), "2018-01");
        assert_eq!(super::month_label(516), "2022-12");
    }
}
