//! Reference loaders the import is compared with, run on the same file in the same run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Context;

/// Loads `file` into a persistent DuckDB table with DuckDB's own CSV reader; returns seconds.
pub fn duckdb_load(file: &Path, db: &Path) -> anyhow::Result<f64> {
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
    let out = Command::new("python3")
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

/// Loads `file` with `psql`'s `\copy` into a table of text columns named after the header,
/// in the database at `url`; returns seconds. The table is dropped afterwards.
pub fn psql_copy(file: &Path, url: &str) -> anyhow::Result<f64> {
    let header = csv::Reader::from_path(file)?.headers()?.clone();
    let columns: Vec<String> = header
        .iter()
        .map(|h| format!("\"{}\" text", h.replace('"', "\"\"")))
        .collect();
    let table = "vigie_bench_psql_copy";
    let psql = |sql: &str| -> anyhow::Result<()> {
        let out = Command::new("psql")
            .arg("--no-psqlrc")
            .arg("--quiet")
            .arg("-v")
            .arg("ON_ERROR_STOP=1")
            .arg(url)
            .arg("-c")
            .arg(sql)
            .output()
            .context("running psql (Debian package postgresql-client)")?;
        if !out.status.success() {
            anyhow::bail!("psql: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(())
    };
    psql(&format!(
        "DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({})",
        columns.join(", ")
    ))?;
    let path = file.display().to_string().replace('\'', "''");
    let t = Instant::now();
    psql(&format!(
        "\\copy {table} FROM '{path}' WITH (FORMAT csv, HEADER true)"
    ))?;
    let secs = t.elapsed().as_secs_f64();
    psql(&format!("DROP TABLE {table}"))?;
    Ok(secs)
}
