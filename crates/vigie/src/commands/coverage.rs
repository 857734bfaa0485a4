//! `vigie coverage`: what the sources the reader may see cover (countries, months, complete
//! or partial), per source, and which have fallen behind (`--stale`).

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Only the sources whose data end more than 3 months before the current month; exits
    /// with 2 when there are any (for a monitoring job)
    #[arg(long)]
    pub stale: bool,
    /// Print the report as JSON (the API's `GET /api/v1/coverage`)
    #[arg(long)]
    pub json: bool,
}

pub async fn run(at: &crate::store_at::StoreAt, args: CoverageArgs) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let viewer = at.viewer(store.as_ref()).await?;
    let reader = vigie_app::reads::Reader::new(store.as_ref(), &viewer).via("cli");
    let report = vigie_app::coverage::report(&reader, args.stale).await;
    store.close().await;
    let report = report?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{:<10} {:>7}  {:<7} {:<7} {:<14} {:<12} countries complete",
            "source", "imports", "from", "until", "complete until", "behind"
        );
        for s in &report.sources {
            let behind = match (s.freshness.months_behind, s.freshness.stale) {
                (Some(m), true) => format!("{m} months!"),
                (Some(m), false) => format!("{m} months"),
                (None, _) => "-".into(),
            };
            let countries = match s.complete_countries.as_slice() {
                [] => "none".to_string(),
                [all] if all == "*" => "every country".to_string(),
                list => list.join(" "),
            };
            println!(
                "{:<10} {:>7}  {:<7} {:<7} {:<14} {:<12} {}",
                s.source.as_str(),
                s.records,
                s.from,
                s.until,
                s.complete_until.as_deref().unwrap_or("never"),
                behind,
                countries
            );
        }
        println!();
        for c in &report.items {
            let countries = if c.countries.is_empty() {
                "every country".to_string()
            } else {
                c.countries.join(" ")
            };
            println!(
                "{} {} – {} {}: {} ({}; {})",
                c.source.as_str(),
                c.from,
                c.until,
                if c.complete { "complete" } else { "partial" },
                c.file,
                countries,
                c.basis
            );
        }
        match (&report.freshness.data_until, report.freshness.stale) {
            (Some(u), true) => println!("\nThe data end in {u}: more than 3 months ago."),
            (Some(u), false) => println!("\nThe data end in {u}."),
            (None, _) => println!("No coverage recorded: import a file first (`vigie import`)."),
        }
    }
    Ok(if args.stale && !report.sources.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
