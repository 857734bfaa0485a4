//! `vigie bench`: benchmarks that need real-sized data. Speed targets live here, never in
//! timed tests; results go to docs/benchmarks.md with the command that reproduces them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use clap::Args;
use vigie_ingest::Options;

use crate::import::{import_file, Outcome, Settings};

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
    /// Only read and normalise the file (and prepare each event for storage), storing nothing
    #[arg(long)]
    pub parse_only: bool,
    /// Work directory [default: a new temporary directory, removed afterwards]
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
}

/// SplitMix64: small, fast, and reproducible across platforms.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `rows` GED-format rows resampled from the bundled real events, with new ids,
/// dates shifted by up to ±180 days and places moved by up to ±0.25°.
pub fn generate(rows: u64, seed: u64, out: &Path) -> anyhow::Result<()> {
    let mut header = csv::StringRecord::new();
    let mut pool = Vec::new();
    for (_, bytes) in crate::demo::DEMO_FILES {
        let mut r = csv::Reader::from_reader(*bytes);
        header = r.headers()?.clone();
        for rec in r.records() {
            pool.push(rec?);
        }
    }
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("no column {name}"))
    };
    let (c_id, c_year, c_start, c_end) = (
        col("id")?,
        col("year")?,
        col("date_start")?,
        col("date_end")?,
    );
    let (c_lat, c_lon, c_wkt, c_gid) = (
        col("latitude")?,
        col("longitude")?,
        col("geom_wkt")?,
        col("priogrid_gid")?,
    );
    let (c_active, c_rel) = (col("active_year")?, col("relid")?);
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(&header)?;
    let mut rng = Rng(seed);
    let parse = |s: &str| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d");
    let mut fields: Vec<String> = Vec::with_capacity(header.len());
    for i in 0..rows {
        let src = &pool[rng.below(pool.len() as u64) as usize];
        fields.clear();
        fields.extend(src.iter().map(str::to_string));
        fields[c_id] = (100_000_000 + i).to_string();
        fields[c_rel] = format!("BENCH-{i}");
        let shift = Duration::days(rng.below(361) as i64 - 180);
        let start = parse(&src[c_start])? + shift;
        let end = (parse(&src[c_end])? + shift).max(start);
        fields[c_start] = format!("{start} 00:00:00.000");
        fields[c_end] = format!("{end} 00:00:00.000");
        fields[c_year] = start.year().to_string();
        fields[c_active] = if rng.below(2) == 0 { "true" } else { "false" }.to_string();
        let lat: f64 = src[c_lat].parse().unwrap_or(0.0);
        let lon: f64 = src[c_lon].parse().unwrap_or(0.0);
        let lat = (lat + (rng.unit() - 0.5) * 0.5).clamp(-89.9, 89.9);
        let lon = (lon + (rng.unit() - 0.5) * 0.5).clamp(-179.9, 179.9);
        fields[c_lat] = format!("{lat:.6}");
        fields[c_lon] = format!("{lon:.6}");
        fields[c_wkt] = format!("POINT ({lon:.6} {lat:.6})");
        fields[c_gid] = vigie_core::priogrid::gid(lat, lon)
            .map(|g| g.to_string())
            .unwrap_or_default();
        w.write_record(&fields)?;
    }
    w.flush()?;
    Ok(())
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
    let at = crate::cli::StoreAt {
        data_dir: data_dir.clone(),
        database: None,
    };
    let store = crate::cli::open_store(&at).await?;
    let settings = Settings {
        options: Options::default(),
        strict: false,
        rejects_dir: work.join("rejects"),
        progress: true,
        quiet: true,
    };
    let t = Instant::now();
    let outcome = import_file(store.as_ref(), &file, &settings).await?;
    let secs = t.elapsed().as_secs_f64();
    store.close().await;
    let record = match outcome {
        Outcome::Imported { record, .. } => record,
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
    writeln!(
        out,
        "vigie import (parse, normalise, store, index; SQLite): {secs:.2} s, {rate:.0} rows/s, {} inserted, {} rejected",
        record.counts.inserted, record.rejected
    )?;
    if let (Some(before), Some(peak)) = (rss_before, peak_rss_mib()) {
        writeln!(
            out,
            "peak RSS: {peak:.0} MiB (before the import: {before:.0} MiB)"
        )?;
    }
    if args.duckdb {
        match duckdb_load(&file, &work.join("duck.db")) {
            Ok(dsecs) => {
                let drate = rows as f64 / dsecs;
                writeln!(
                    out,
                    "duckdb read_csv into a table: {dsecs:.2} s, {drate:.0} rows/s"
                )?;
                writeln!(out, "ratio vigie/duckdb (rows/s): {:.2}", rate / drate)?;
            }
            Err(e) => writeln!(out, "duckdb reference not run: {e:#}")?,
        }
    }
    Ok(ExitCode::SUCCESS)
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

/// Loads `file` into a persistent DuckDB table with DuckDB's own CSV reader; returns seconds.
fn duckdb_load(file: &Path, db: &Path) -> anyhow::Result<f64> {
    let script = r#"
import sys, time
import duckdb
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")
t = time.perf_counter()
con.execute("CREATE TABLE events AS SELECT * FROM read_csv(?, header = true)", [sys.argv[1]])
n = con.execute("SELECT count(*) FROM events").fetchone()[0]
con.close()
print(time.perf_counter() - t, n)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(file)
        .arg(db)
        .output()
        .context("running python3")?;
    if !out.status.success() {
        anyhow::bail!(
            "{}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("python3 failed")
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let secs: f64 = text
        .split_whitespace()
        .next()
        .context("no timing from duckdb")?
        .parse()?;
    Ok(secs)
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
