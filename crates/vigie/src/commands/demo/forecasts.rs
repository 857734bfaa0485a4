//! The demo's public forecast runs, and the complete country history they train on.

use vigie_app::forecast_runs::{compute, compute_with_history, save, Computed, Request};
use vigie_core::Level;
use vigie_forecast::{Model, Panel};

/// ViEWS' country-month state-based fatalities 1990–2022, derived from UCDP GED and
/// complete (see data/ATTRIBUTION.md): the history the demo's country forecasts train on,
/// joined to the store's completely covered months.
const VIEWS_CM_HISTORY: (&str, &[u8]) = (
    "cm_ged_sb_1990_2022.csv.gz",
    include_bytes!("../../../../../data/views-cm/cm_ged_sb_1990_2022.csv.gz"),
);

/// Public forecasts of the demo data (the public viewer's: TLP:CLEAR): countries from
/// ViEWS' complete history joined to the store's, admin-1 regions and PRIO-GRID cells from
/// the store, and admin-1 regions from all but the last month (the forecast a surge rule
/// compares that month with). A run with nothing complete to train on is left out, and
/// the demo says why.
pub async fn seed_forecasts(store: &dyn vigie_store::Store) -> anyhow::Result<()> {
    let public = vigie_core::Viewer::public(chrono::Utc::now().date_naive());
    let public = &public;
    let model = Model::BEST;
    let started = std::time::Instant::now();
    let request = |level, until| Request {
        level,
        model,
        months: 12,
        draws: 1000,
        seed: 1,
        until,
    };
    let (name, bytes) = VIEWS_CM_HISTORY;
    let history = Panel::from_bytes(std::path::Path::new(name), bytes)?;
    let latest = compute(store, public, &request(Level::Admin1, None)).await?;
    let earlier = latest.last_month() - 1;
    // PRIO-GRID cells with the challenge's last-historical-Poisson benchmark: the project's
    // model over every cell takes minutes and gigabytes, too much for a demo's start.
    let cells = Request {
        model: Model::LastHistoricalPoisson,
        ..request(Level::Grid, None)
    };
    let mut runs: Vec<Computed> = Vec::new();
    match compute(store, public, &request(Level::Admin1, Some(earlier))).await {
        Ok(c) => runs.push(c),
        Err(e) => println!("No admin-1 forecast from the months before the last: {e}"),
    }
    runs.push(
        compute_with_history(
            store,
            public,
            &request(Level::Country, None),
            Some(&history),
        )
        .await?,
    );
    runs.push(latest);
    runs.push(compute(store, public, &cells).await?);
    for c in &runs {
        save(store, public, c, "cli").await?;
    }
    println!(
        "Forecast the next 12 months of every country and West African admin-1 region with {model}, and of every PRIO-GRID cell with {} ({:.1} s).",
        cells.model,
        started.elapsed().as_secs_f64()
    );
    for c in &runs {
        if !c.missing.is_empty() {
            println!(
                "  {} run: {} month(s) of its history treated as missing, not as zero: {}",
                c.units.level.as_str(),
                c.missing.len(),
                c.missing_ranges()
            );
        }
    }
    Ok(())
}
