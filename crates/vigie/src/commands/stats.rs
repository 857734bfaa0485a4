//! `vigie stats`: fatalities and event counts by country-month or admin1-month.

use std::process::ExitCode;

use vigie_store::StatsBy;

use clap::{Args, ValueEnum};

use crate::args::{FilterArgs, OutputFormat};

pub async fn run(at: &crate::store_at::StoreAt, args: StatsArgs) -> anyhow::Result<ExitCode> {
    if args.format == OutputFormat::Geojson {
        anyhow::bail!("stats are not geographic features: use --format table, csv or json");
    }
    let filter = args.filter.to_filter()?;
    let store = crate::store_at::open_store(at).await?;
    let by = match args.by {
        StatsByArg::CountryMonth => StatsBy::CountryMonth,
        StatsByArg::Admin1Month => StatsBy::Admin1Month,
    };
    let viewer = at.viewer(store.as_ref()).await?;
    let rows = vigie_app::reads::Reader::new(store.as_ref(), &viewer)
        .via("cli")
        .stats(by, &filter)
        .await?;
    store.close().await;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match vigie_app::output::write_stats(args.format.into(), &rows, by == StatsBy::Admin1Month, out)
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsByArg {
    CountryMonth,
    Admin1Month,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum)]
    pub by: StatsByArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// table, csv or json
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}
