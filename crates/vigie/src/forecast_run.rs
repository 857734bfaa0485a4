//! `vigie forecast run`: live country-month forecasts from the store. The history is the
//! state-based fatalities per country and month of the events the reader may see (read
//! through the store's gate, like every other read), so two readers may get different
//! forecasts, and a forecast never rests on an event its reader could not see.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use vigie_core::ViolenceCategory;
use vigie_forecast::live::{forecast_ahead, Forecast};
use vigie_forecast::window::month_label;
use vigie_forecast::{Model, Panel, UnitKind};
use vigie_store::{EventFilter, StatsBy};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The unit: cm (country-month; the only one for now)
    #[arg(long, value_parser = ["cm"], default_value = "cm")]
    pub unit: String,
    /// How many months after the last month with data (1–12)
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub months: u32,
    /// zero, last-historical-poisson, bootstrap, conflictology or gbm [default: the
    /// project's best model so far]
    #[arg(long, value_name = "NAME", value_parser = crate::forecast::parse_model)]
    pub model: Option<Model>,
    /// Write the forecasts here (CSV) instead of to standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Draws per country-month
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub draws: u32,
    /// The random seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// ViEWS month_id of `YYYY-MM` (None before 1980, where ViEWS months begin).
fn month_id(month: &str) -> Option<u32> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    (y >= 1980 && (1..=12).contains(&m)).then(|| vigie_forecast::window::month_id(y, m))
}

pub async fn run(at: &crate::cli::StoreAt, args: RunArgs) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let viewer = at.viewer(store.as_ref()).await?;
    let filter = EventFilter {
        category: Some(ViolenceCategory::StateBased),
        ..Default::default()
    };
    let rows = store.stats(&viewer, StatsBy::CountryMonth, &filter).await?;
    store.close().await;
    let mut counts: HashMap<(u32, u32), f64> = HashMap::new();
    for r in &rows {
        let Some(views) = r
            .country
            .as_deref()
            .and_then(vigie_core::country::by_iso3)
            .and_then(|c| c.views_id)
        else {
            continue;
        };
        let Some(m) = r.month.as_deref().and_then(month_id) else {
            continue;
        };
        *counts.entry((u32::from(views), m)).or_default() += r.fatalities as f64;
    }
    let (Some(first), Some(last)) = (
        counts.keys().map(|k| k.1).min(),
        counts.keys().map(|k| k.1).max(),
    ) else {
        anyhow::bail!(
            "no state-based events from 1980 on that this reader may see: nothing to forecast from"
        );
    };
    // Every country ViEWS knows: a country without an event is a country without fatalities.
    let units = vigie_core::country::COUNTRIES
        .iter()
        .filter_map(|c| c.views_id.map(u32::from));
    let panel = Panel::from_counts(UnitKind::Country, "the store", units, first, last, &counts);
    let model = args.model.unwrap_or(Model::BEST);
    let forecasts = forecast_ahead(&panel, model, args.months, args.draws as usize, args.seed)
        .context("forecasting")?;
    eprintln!(
        "{model}: {} countries, {} months from {} (history {} to {}, {} country-months with fatalities)",
        forecasts.iter().filter(|f| f.ahead == 1).count(),
        args.months,
        month_label(last + 1),
        month_label(first),
        month_label(last),
        counts.len()
    );
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            write_csv(&forecasts, std::io::BufWriter::new(file))?;
        }
        None => write_csv(&forecasts, std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_csv(forecasts: &[Forecast], out: impl Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "month_id",
        "month",
        "country_id",
        "iso3",
        "ahead",
        "mean",
        "q05",
        "q50",
        "q95",
        "p_any",
        "p_25",
    ])?;
    for f in forecasts {
        let iso3 = u16::try_from(f.unit)
            .ok()
            .and_then(vigie_core::country::by_views_id)
            .map_or("", |c| c.iso3);
        w.write_record([
            f.month_id.to_string(),
            month_label(f.month_id),
            f.unit.to_string(),
            iso3.to_string(),
            f.ahead.to_string(),
            format!("{:.3}", f.mean),
            format!("{:.3}", f.q05),
            format!("{:.3}", f.q50),
            format!("{:.3}", f.q95),
            format!("{:.3}", f.p_any),
            format!("{:.3}", f.p_25),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_are_views_month_ids() {
        assert_eq!(super::month_id("2018-01"), Some(457));
        assert_eq!(super::month_id("1979-12"), None);
        assert_eq!(super::month_label(457), "2018-01");
        assert_eq!(super::month_label(516), "2022-12");
    }
}
