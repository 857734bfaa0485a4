//! `vigie bench`: benchmarks that need real-sized data. Speed targets live here, never in
//! timed tests; results go to docs/benchmarks.md with the command that reproduces them.

use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use vigie_ingest::Options;

use crate::commands::import::{import_file, Outcome, Settings};

mod gate;
mod generate;
mod reference;

pub use gate::{gate, GateBenchArgs};

pub use generate::generate;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Rows to generate
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Output file
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed (the same seed gives the same file)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ImportBenchArgs {
    /// Rows to generate
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Import this existing file instead of generating one
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Also load the same file with DuckDB's CSV reader (python3 -m pip install duckdb) and report the ratio
    #[arg(long)]
    pub duckdb: bool,
    /// Import into this database instead of a fresh embedded store (e.g. an empty
    /// PostgreSQL database: postgres://USER@HOST/DB)
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Also load the same file into --database with `psql`'s \copy and report the ratio
    #[arg(long, requires = "database")]
    pub psql: bool,
    /// Only read and normalise the file (and prepare each event for storage), storing nothing
    #[arg(long)]
    pub parse_only: bool,
    /// Work directory [default: a new temporary directory, removed afterwards]
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
}

pub fn generate_cmd(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let t = Instant::now();
    generate(args.rows, args.seed, &args.out)?;
    println!(
        "wrote {} rows to {} in {:.1} s",
        args.rows,
        args.out.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory of this process so far, in MiB (Linux; `None` elsewhere).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub async fn import(args: ImportBenchArgs) -> anyhow::Result<ExitCode> {
    let tmp = tempfile_dir(args.work_dir.as_deref())?;
    let work = tmp.path().to_path_buf();
    let file = match &args.file {
        Some(f) => f.clone(),
        None => {
            let f = work.join("ged-bench.csv");
            let t = Instant::now();
            generate(args.rows, 42, &f)?;
            eprintln!(
                "generated {} rows in {:.1} s",
                args.rows,
                t.elapsed().as_secs_f64()
            );
            f
        }
    };
    let size = std::fs::metadata(&file)?.len();
    if args.parse_only {
        return parse_only(&file, size);
    }
    let rss_before = peak_rss_mib();
    let data_dir = work.join("data");
    let at = crate::store_at::StoreAt {
        data_dir: data_dir.clone(),
        database: args.database.clone(),
        as_user: None,
    };
    let store = crate::store_at::open_store(&at).await?;
    let settings = Settings::lenient(work.join("rejects"), true);
    let t = Instant::now();
    let outcome = import_file(store.as_ref(), &file, &settings).await?;
    let secs = t.elapsed().as_secs_f64();
    store.close().await;
    let record = match outcome {
        Outcome::Imported(i) => i.record,
        Outcome::Failed { reason, .. } => anyhow::bail!("the benchmark import failed: {reason}"),
    };
    let rows =
        record.counts.inserted + record.counts.updated + record.counts.unchanged + record.rejected;
    let rate = rows as f64 / secs;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "file: {} ({:.0} MB, {rows} rows)",
        file.display(),
        size as f64 / 1e6
    )?;
    let backend = match &args.database {
        Some(url) => crate::store_at::redact(url),
        None => "embedded SQLite".to_string(),
    };
    writeln!(
        out,
        "vigie import (parse, normalise, store, index) into {backend}: {secs:.2} s, {rate:.0} rows/s, {} inserted, {} rejected",
        record.counts.inserted, record.rejected
    )?;
    if let (Some(before), Some(peak)) = (rss_before, peak_rss_mib()) {
        writeln!(
            out,
            "peak RSS: {peak:.0} MiB (before the import: {before:.0} MiB)"
        )?;
    }
    if let (true, Some(url)) = (args.psql, &args.database) {
        let timed = reference::psql_copy(&file, url);
        let what = "psql \\copy into a table of text columns";
        compare(&mut out, "psql", what, timed, rows, rate)?;
    }
    if args.duckdb {
        let timed = reference::duckdb_load(&file, &work.join("duck.db"));
        compare(
            &mut out,
            "duckdb",
            "duckdb read_csv into a table",
            timed,
            rows,
            rate,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes how long the reference tool `name` took to load the `rows` rows (`what` it did),
/// and the ratio of vigie's `rate` (rows/s) to its rate; or why it did not run.
fn compare(
    out: &mut impl Write,
    name: &str,
    what: &str,
    timed: anyhow::Result<f64>,
    rows: u64,
    rate: f64,
) -> std::io::Result<()> {
    match timed {
        Ok(secs) => {
            let their_rate = rows as f64 / secs;
            writeln!(out, "{what}: {secs:.2} s, {their_rate:.0} rows/s")?;
            writeln!(out, "ratio vigie/{name} (rows/s): {:.2}", rate / their_rate)
        }
        Err(e) => writeln!(out, "{name} reference not run: {e:#}"),
    }
}

/// Times reading, normalising and preparing every event of `file`, on one thread.
fn parse_only(file: &Path, size: u64) -> anyhow::Result<ExitCode> {
    let t = Instant::now();
    let reader = vigie_ingest::open(file, &Options::default())?;
    let (mut events, mut rejects) = (0u64, 0u64);
    let mut hash_sum = 0i64;
    for row in reader {
        match row? {
            vigie_ingest::Row::Event(e) => {
                let p = vigie_store::Prepared::from(*e);
                hash_sum = hash_sum.wrapping_add(p.content_hash);
                events += 1;
            }
            vigie_ingest::Row::Reject(_) => rejects += 1,
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("file: {} ({:.0} MB)", file.display(), size as f64 / 1e6);
    println!(
        "parse + normalise + prepare (one thread): {secs:.2} s, {:.0} rows/s, {events} events, {rejects} rejected (checksum {hash_sum:x})",
        (events + rejects) as f64 / secs
    );
    if let Some(peak) = peak_rss_mib() {
        println!("peak RSS: {peak:.0} MiB");
    }
    Ok(ExitCode::SUCCESS)
}

/// A work directory: the one given (kept), or a temporary one (removed on drop).
enum WorkDir {
    Kept(PathBuf),
    Temp(tempfile::TempDir),
}

impl WorkDir {
    fn path(&self) -> &Path {
        match self {
            WorkDir::Kept(p) => p,
            WorkDir::Temp(t) => t.path(),
        }
    }
}

fn tempfile_dir(given: Option<&Path>) -> anyhow::Result<WorkDir> {
    Ok(match given {
        Some(p) => {
            std::fs::create_dir_all(p)?;
            WorkDir::Kept(p.to_path_buf())
        }
        None => WorkDir::Temp(tempfile::tempdir()?),
    })
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a large GED-format file by resampling real rows, then time its import
    Import(ImportBenchArgs),
    /// Only generate the GED-format file
    Generate(GenerateArgs),
    /// Time the visibility gate over a large store, through the API and at the store
    Gate(GateBenchArgs),
}
