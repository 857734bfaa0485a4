//! `vigie forecast run`: live forecasts from the store as the `--as` reader sees it, for
//! countries, West African admin-1 regions or PRIO-GRID cells, written as CSV and stored
//! for the API and the UI (unless `--no-save`). The use case is
//! `vigie_app::forecast_runs`'.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use vigie_app::forecast_runs::{compute, save, views_month, write_csv, Request};
use vigie_core::Level;
use vigie_forecast::window::month_label;
use vigie_forecast::Model;
use vigie_store::Store;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The unit: cm (countries), a1m (West African admin-1 regions) or pgm (PRIO-GRID cells)
    #[arg(long, default_value = "cm", value_parser = parse_level)]
    pub unit: Level,
    /// How many months after the last month with data (1–12)
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub months: u32,
    /// zero, last-historical-poisson, bootstrap, conflictology or gbm [default: the
    /// project's best model so far]
    #[arg(long, value_name = "NAME", value_parser = crate::args::parse_model)]
    pub model: Option<Model>,
    /// Write the forecasts here (CSV) instead of to standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Do not record the run (by default it is stored for the API, the UI and alert rules,
    /// and its id printed on standard error)
    #[arg(long)]
    pub no_save: bool,
    /// Draws per unit-month
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub draws: u32,
    /// The random seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Train only on months up to this one (YYYY-MM), as a forecast made back then would
    /// have been: what a surge rule compares later months with
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub until: Option<u32>,
}

fn parse_month(s: &str) -> Result<u32, String> {
    vigie_core::alert::month_index(s)
        .and_then(views_month)
        .ok_or_else(|| format!("{s:?} is not a month YYYY-MM from 1980-01 on"))
}

fn parse_level(s: &str) -> Result<Level, String> {
    s.parse::<Level>().map_err(|e| e.message)
}

/// `result`, the store closed first when it is an error.
async fn closing_on_error<T, E: Into<anyhow::Error>>(
    store: &dyn Store,
    result: Result<T, E>,
) -> anyhow::Result<T> {
    if result.is_err() {
        store.close().await;
    }
    result.map_err(Into::into)
}

pub async fn run(at: &crate::store_at::StoreAt, args: RunArgs) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let viewer = at.viewer(store.as_ref()).await?;
    let model = args.model.unwrap_or(Model::BEST);
    let request = Request {
        level: args.unit,
        model,
        months: args.months,
        draws: args.draws,
        seed: args.seed,
        until: args.until,
    };
    let computed = compute(store.as_ref(), &viewer, &request).await;
    let c = closing_on_error(store.as_ref(), computed).await?;
    eprintln!(
        "{model}: {} units ({}), {} months from {} (history {} to {}, {} unit-months with fatalities)",
        c.forecasts.iter().filter(|f| f.ahead == 1).count(),
        args.unit,
        args.months,
        month_label(c.last + 1),
        month_label(c.first),
        month_label(c.last),
        c.with_fatalities
    );
    if !args.no_save {
        let saved = save(store.as_ref(), &viewer, &c, "cli").await;
        let run = closing_on_error(store.as_ref(), saved).await?;
        eprintln!(
            "saved run {} ({} forecasts, {})",
            run.id,
            c.forecasts.len(),
            run.audience.marking.as_str()
        );
    }
    store.close().await;
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            write_csv(&c, std::io::BufWriter::new(file))?;
        }
        None => write_csv(&c, std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}
