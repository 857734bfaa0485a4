//! `vigie demo`: imports the bundled, real demo data into a fresh data directory (or the one
//! given) and says what to do next. The data is embedded in the binary, so the demo never
//! reads anything outside it.

pub mod seed;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use clap::Args;

use crate::commands::import::{import_file, Outcome, Settings};

/// The bundled files: (file name, contents). See data/ATTRIBUTION.md.
pub const DEMO_FILES: &[(&str, &[u8])] = &[
    (
        "GEDEvent_v23_0_10.csv",
        include_bytes!("../../../../../data/ucdp-ged/GEDEvent_v23_0_10.csv"),
    ),
    (
        "ged231_sample_1000.csv",
        include_bytes!("../../../../../data/ucdp-ged/ged231_sample_1000.csv"),
    ),
];

pub const ATTRIBUTION: &str = include_str!("../../../../../data/ATTRIBUTION.md");

fn fresh_dir() -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    std::env::temp_dir().join(format!("vigie-demo-{stamp}-{}", std::process::id()))
}

pub async fn run(
    data_dir: Option<PathBuf>,
    database: Option<String>,
    args: DemoArgs,
) -> anyhow::Result<ExitCode> {
    let dir = data_dir.unwrap_or_else(fresh_dir);
    let files_dir = dir.join("demo-data");
    std::fs::create_dir_all(&files_dir)
        .with_context(|| format!("creating {}", files_dir.display()))?;
    std::fs::write(files_dir.join("ATTRIBUTION.md"), ATTRIBUTION)?;
    let at = crate::store_at::StoreAt {
        data_dir: dir.clone(),
        database: database.clone(),
        as_user: None,
    };
    let store = crate::store_at::open_store(&at).await?;
    let settings = Settings::lenient(dir.join("rejects"), false);
    println!(
        "Vigie demo: importing real UCDP GED events (CC BY 4.0, see {}/ATTRIBUTION.md)",
        files_dir.display()
    );
    for (name, bytes) in DEMO_FILES {
        let path = files_dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        // The random sample of a yearly release is not the release: it covers nothing
        // completely, so its empty months are unknown, not quiet.
        let settings = Settings {
            coverage: name
                .contains("_sample_")
                .then_some(vigie_core::coverage::Claim::Partial),
            ..settings.clone()
        };
        if let Outcome::Failed { reason, .. } =
            import_file(store.as_ref(), &path, &settings).await?
        {
            anyhow::bail!("the bundled demo data did not import: {reason}");
        }
    }
    let seeded = seed::seed(store.as_ref()).await?;
    if seeded {
        seed_forecasts(store.as_ref()).await?;
    }
    let total = store
        .count_events(&at.viewer(store.as_ref()).await?, &Default::default())
        .await?;
    let d = dir.display();
    println!(
        "\n{total} public events are in {d}.{}\n\nWhat to do next:\n  \
         vigie --data-dir {d} events --country MLI --from 2023-10-01\n  \
         vigie --data-dir {d} events --country BFA --category one-sided --format geojson > bfa.geojson\n  \
         vigie --data-dir {d} stats --by admin1-month --country NER\n  \
         vigie --data-dir {d} --as mli-nia.publisher stats --by country-month --from 2025-01-01\n  \
         vigie --data-dir {d} import YOUR-ACLED-EXPORT.csv   (ACLED, GDELT and HXL files are detected too)\n\n\
         (from a source checkout, `cargo run --release --` stands for `vigie`)",
        if seeded { " Demo organisations, communities, users and shared reports were seeded." } else { "" }
    );
    println!("\nDemo accounts (every password: {}):", seed::password()?);
    for (user, what) in seed::accounts_to_try() {
        println!("  {user:<20} {what}");
    }
    println!("  …and <org>.publisher / <org>.analyst / <org>.reader for every organisation (`vigie user list`).");
    if args.no_serve {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    println!();
    crate::commands::serve::serve_store(store, &args.serve).await
}

/// Public forecasts of the demo data (the public viewer's: TLP:CLEAR): countries, admin-1
/// regions and PRIO-GRID cells from all the data, and admin-1 regions from all but the last
/// month (the forecast a surge rule compares that month with).
async fn seed_forecasts(store: &dyn vigie_store::Store) -> anyhow::Result<()> {
    use vigie_core::Level;
    let public = vigie_core::Viewer::public(chrono::Utc::now().date_naive());
    let model = vigie_forecast::Model::BEST;
    let started = std::time::Instant::now();
    let request = |level, until| vigie_app::forecast_runs::Request {
        level,
        model,
        months: 12,
        draws: 1000,
        seed: 1,
        until,
    };
    let public = &public;
    let compute = |level, until| {
        let r = request(level, until);
        async move { vigie_app::forecast_runs::compute(store, public, &r).await }
    };
    let latest = compute(Level::Admin1, None).await?;
    let earlier = latest.last_month() - 1;
    // PRIO-GRID cells with the challenge's last-historical-Poisson benchmark: the project's
    // model over every cell takes minutes and gigabytes, too much for a demo's start.
    let cells = vigie_app::forecast_runs::Request {
        model: vigie_forecast::Model::LastHistoricalPoisson,
        ..request(Level::Grid, None)
    };
    let runs = [
        compute(Level::Admin1, Some(earlier)).await?,
        compute(Level::Country, None).await?,
        latest,
        vigie_app::forecast_runs::compute(store, public, &cells).await?,
    ];
    for c in &runs {
        vigie_app::forecast_runs::save(store, public, c, "cli").await?;
    }
    println!(
        "Forecast the next 12 months of every country and West African admin-1 region with {model}, and of every PRIO-GRID cell with {} ({:.1} s).",
        cells.model,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: crate::commands::serve::ServeArgs,
    /// Import and seed, then exit without serving
    #[arg(long)]
    pub no_serve: bool,
}
