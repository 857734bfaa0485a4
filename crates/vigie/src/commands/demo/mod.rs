//! `vigie demo`: imports the bundled, real demo data into a fresh data directory (or the one
//! given) and says what to do next. The data is embedded in the binary, so the demo never
//! reads anything outside it.

mod forecasts;
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
        forecasts::seed_forecasts(store.as_ref()).await?;
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

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: crate::commands::serve::ServeArgs,
    /// Import and seed, then exit without serving
    #[arg(long)]
    pub no_serve: bool,
}
