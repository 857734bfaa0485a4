//! `vigie stats`: fatalities and event counts by country-month or admin1-month.

use std::process::ExitCode;

use vigie_store::StatsBy;

use crate::cli::{OutputFormat, StatsArgs, StatsByArg};

pub async fn run(at: &crate::cli::StoreAt, args: StatsArgs) -> anyhow::Result<ExitCode> {
    if args.format == OutputFormat::Geojson {
        anyhow::bail!("stats are not geographic features: use --format table, csv or json");
    }
    let filter = args.filter.to_filter()?;
    let store = crate::cli::open_store(at).await?;
    let by = match args.by {
        StatsByArg::CountryMonth => StatsBy::CountryMonth,
        StatsByArg::Admin1Month => StatsBy::Admin1Month,
    };
    let viewer = at.viewer(store.as_ref()).await?;
    let rows = store.stats(&viewer, by, &filter).await?;
    store.close().await;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match vigie_server::output::write_stats(
        args.format.into(),
        &rows,
        by == StatsBy::Admin1Month,
        out,
    ) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(ExitCode::SUCCESS)
}
