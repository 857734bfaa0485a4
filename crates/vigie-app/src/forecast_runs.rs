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
    /// The months of the history (ViEWS month_id) that are missing for every unit: no
    /// complete source the reader may see (nor the complete history the caller gave)
    /// covers them anywhere, so the model treated them as unknown, not as months without
    /// fatalities.
    pub missing: Vec<u32>,
    /// Unit-months of the history treated as missing (the months above for every unit,
    /// and those complete for other countries only).
    pub missing_unit_months: usize,
}

impl Computed {
    /// The ViEWS month_id of the last month of the history.
    pub fn last_month(&self) -> u32 {
        self.last
    }

    /// The months missing for every unit as ranges, `2023-01 – 2023-09` (empty if none).
    pub fn missing_ranges(&self) -> String {
        let months: Vec<i32> = self.missing.iter().map(|&m| month_index_of(m)).collect();
        vigie_core::coverage::month_ranges(&months)
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

/// The month index (`year * 12 + month - 1`) of a ViEWS month_id.
pub fn month_index_of(views: u32) -> i32 {
    views as i32 + 1980 * 12 - 1
}

/// Trains `model` on the state-based history `viewer` may see at `level` and forecasts the
/// `months` months after it. A unit-month counts only where a complete source the viewer
/// may see covers the unit's country that month (for PRIO-GRID cells, a source complete
/// for every country): there a month without events is a month without fatalities;
/// elsewhere it is missing, not zero.
pub async fn compute(store: &dyn Store, viewer: &Viewer, request: &Request) -> AppResult<Computed> {
    compute_with_history(store, viewer, request, None).await
}

/// Like [`compute`], with a complete history of the same kind of unit (a ViEWS-shaped
/// panel, e.g. ViEWS' country-month fatalities) joined to the store's: a unit-month takes
/// the store's count where a complete source the viewer may see covers it, else the
/// history's value where the history has one, else it is missing. The months between the
/// two stay missing (and the run says so).
pub async fn compute_with_history(
    store: &dyn Store,
    viewer: &Viewer,
    request: &Request,
    history: Option<&Panel>,
) -> AppResult<Computed> {
    let Request {
        level,
        model,
        months,
        draws,
        seed,
        until,
    } = *request;
    let units = Units { level };
    if let Some(h) = history.filter(|h| h.kind != units.kind()) {
        return Err(AppError::BadRequest(format!(
            "the history {} has {} units, the run {}",
            h.path.display(),
            h.kind.short(),
            level.as_str()
        )));
    }
    let observed = crate::alerts::observed(store, viewer, level, true).await?;
    let (coverage, _) = crate::alerts::coverage_index(store, viewer).await?;
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
    // Whether a complete visible source covers the unit's country (a grid cell: every
    // country) in a month.
    let country = |id: u32| -> Option<String> {
        vigie_core::coverage::unit_country(level, &units.key(id)).map(str::to_string)
    };
    let store_complete =
        |m: u32, country: Option<&str>| coverage.complete(country, month_index_of(m));
    // The history's months up to `until`.
    let history_values: HashMap<(u32, u32), f64> = history
        .map(|h| {
            h.series
                .iter()
                .flat_map(|s| {
                    (s.first_month..=s.last_month())
                        .filter(|&m| until.is_none_or(|u| m <= u))
                        .filter_map(move |m| {
                            s.get(m).filter(|v| !v.is_nan()).map(|v| ((s.unit, m), v))
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    let months_of = |map: &HashMap<(u32, u32), f64>| {
        (map.keys().map(|k| k.1).min(), map.keys().map(|k| k.1).max())
    };
    let (store_first, store_last) = months_of(&counts);
    let (hist_first, hist_last) = months_of(&history_values);
    let first = [store_first, hist_first].into_iter().flatten().min();
    let last = [store_last, hist_last].into_iter().flatten().max();
    let (Some(first), Some(last)) = (first, last) else {
        return Err(AppError::BadRequest(
            "no state-based events from 1980 on that this reader may see: nothing to forecast from"
                .into(),
        ));
    };
    // Every unit of the level (a unit without an event is a unit without fatalities where
    // a complete source covers it); for grid cells, those with any event.
    let ids: Vec<u32> = match level {
        Level::Country => vigie_core::country::COUNTRIES
            .iter()
            .filter_map(|c| c.views_id.map(u32::from))
            .collect(),
        Level::Admin1 => (1..=vigie_core::region::regions().len() as u32).collect(),
        Level::Grid => counts
            .keys()
            .chain(history_values.keys())
            .map(|k| k.0)
            .collect(),
    };
    // Known unit-months: the store's where complete, else the history's.
    let mut known: HashMap<(u32, u32), f64> = HashMap::new();
    let mut complete_anywhere = vec![false; (last - first + 1) as usize];
    for &id in &ids {
        let c = country(id);
        for m in first..=last {
            let value = if store_complete(m, c.as_deref()) {
                Some(counts.get(&(id, m)).copied().unwrap_or(0.0))
            } else {
                history_values.get(&(id, m)).copied()
            };
            if let Some(v) = value {
                known.insert((id, m), v);
                complete_anywhere[(m - first) as usize] = true;
            }
        }
    }
    if known.is_empty() {
        return Err(AppError::BadRequest(format!(
            "no month of {} – {} is covered by a complete source this reader may see: \
             every month would be missing, nothing to forecast from",
            month_label(first),
            month_label(last)
        )));
    }
    // With a complete history, the run's history starts where the known months do (the
    // store's scattered early events are not a record of those months); without one, it
    // starts at the first event, the months before the first complete one missing.
    let start = match history {
        Some(_) => known.keys().map(|k| k.1).min().unwrap_or(first),
        None => first,
    };
    let missing: Vec<u32> = (start..=last)
        .filter(|&m| !complete_anywhere[(m - first) as usize])
        .collect();
    let first = start;
    let missing_unit_months = ids.len() * (last - first + 1) as usize - known.len();
    let mut panel = Panel::from_counts_with_missing(
        units.kind(),
        "the store",
        ids,
        first,
        last,
        &known,
        |id, m| known.contains_key(&(id, m)),
    );
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
        with_fatalities: known.values().filter(|v| **v > 0.0).count(),
        missing,
        missing_unit_months,
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
        missing_months: u32::try_from(c.missing.len()).unwrap_or(u32::MAX),
        missing: c.missing_ranges(),
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
