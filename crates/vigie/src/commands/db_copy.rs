//! `vigie db copy --from URL --to URL`: moves everything from one store to another (SQLite
//! or PostgreSQL, either way), resumably, and verifies row counts and checksums per table.

use clap::Subcommand;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use vigie_store::copy::{copy_store, Progress, TableReport, TableRows, DEFAULT_CHUNK_ROWS};
use vigie_store_postgres::PostgresStore;
use vigie_store_sqlite::SqliteStore;

use crate::store_at::redact;

/// A store opened through its normal constructor (so migrations are applied).
enum Opened {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Opened {
    fn rows(&self) -> &dyn TableRows {
        match self {
            Opened::Sqlite(s) => s,
            Opened::Postgres(p) => p,
        }
    }

    async fn close(&self) {
        match self {
            Opened::Sqlite(s) => s.close().await,
            Opened::Postgres(p) => p.close().await,
        }
    }
}

async fn open(flag: &str, url: &str, must_exist: bool) -> anyhow::Result<Opened> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url)
            .await
            .with_context(|| format!("{flag}: connecting to {}", redact(url)))?;
        return Ok(Opened::Postgres(store));
    }
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        anyhow::bail!(
            "{flag} {:?} is neither a postgres:// URL nor sqlite:PATH",
            redact(url)
        );
    };
    if must_exist && !std::path::Path::new(path).is_file() {
        anyhow::bail!("{flag}: there is no database file at {path}");
    }
    let store = SqliteStore::open_url(url)
        .await
        .with_context(|| format!("{flag}: opening {url}"))?;
    Ok(Opened::Sqlite(store))
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} rows {msg} ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("copying");
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar
}

pub async fn run(from: &str, to: &str) -> anyhow::Result<ExitCode> {
    if from.trim() == to.trim() {
        anyhow::bail!("--from and --to are the same database");
    }
    let source = open("--from", from, true).await?;
    let target = match open("--to", to, false).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let bar = progress_bar();
    let on_progress = |p: Progress| match p {
        Progress::Planned { rows } => bar.set_length(rows),
        Progress::Copied { table, rows } => {
            bar.set_message(table);
            bar.inc(rows);
        }
        Progress::Verifying { table } => bar.set_message(format!("verifying {table}")),
    };
    let result = copy_store(
        source.rows(),
        target.rows(),
        DEFAULT_CHUNK_ROWS,
        &on_progress,
    )
    .await;
    bar.finish_and_clear();
    source.close().await;
    target.close().await;
    let reports = result?;
    print_summary(&reports);
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| !r.verified())
        .map(|r| r.table)
        .collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: verification failed for {}: the target differs from the source",
            failed.join(", ")
        );
        Ok(ExitCode::FAILURE)
    }
}

fn print_summary(reports: &[TableReport]) {
    println!(
        "{:<16} {:>10} {:>10} {:>10}  {:<16}  verified",
        "table", "copied", "already", "rows", "checksum"
    );
    for r in reports {
        if r.verified() {
            println!(
                "{:<16} {:>10} {:>10} {:>10}  {:016x}  ok",
                r.table, r.copied, r.already, r.source_rows, r.source_checksum
            );
        } else {
            println!(
                "{:<16} {:>10} {:>10} {:>10}  {:016x}  MISMATCH: target has {} rows, checksum {:016x}",
                r.table,
                r.copied,
                r.already,
                r.source_rows,
                r.source_checksum,
                r.target_rows,
                r.target_checksum
            );
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything from one store to another (SQLite or PostgreSQL, either way), then
    /// verify row counts and checksums; an interrupted copy resumes when run again
    Copy {
        /// The store to copy: sqlite:PATH or postgres://USER@HOST/DB
        #[arg(long, value_name = "URL")]
        from: String,
        /// Where to copy it (created or migrated first; must be empty or hold an earlier,
        /// interrupted copy of the same source): sqlite:PATH or postgres://USER@HOST/DB
        #[arg(long, value_name = "URL")]
        to: String,
    },
}
