//! `vigie bench gate`: the cost of the visibility gate over a large store. Imports a
//! generated file of `--rows` events into an embedded store, gives a third of them to a
//! community and a third to a sharing group (the rest stay public), then times, through the
//! real HTTP API and a national agency's token, an admin1-month aggregate and pages of 100
//! events; and, at the store, the same queries with and without the gate's predicate.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use futures::TryStreamExt;
use sqlx::Row;
use vigie_core::Viewer;
use vigie_store::{EventFilter, StatsBy, Store, TokenScope};
use vigie_store_postgres::PostgresStore;
use vigie_store_sqlite::SqliteStore;

use crate::commands::import::{import_file, Outcome, Settings};

#[derive(Debug, Args)]
pub struct GateBenchArgs {
    /// Events in the store
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Times each query is run
    #[arg(long, default_value_t = 200)]
    pub iterations: usize,
    /// Work directory; a store already built there by an earlier run is reused
    /// [default: a new temporary directory, removed afterwards]
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Use this PostgreSQL database (empty, or built by an earlier run) instead of an
    /// embedded store: postgres://USER@HOST/DB
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

/// The benchmark's store, with the raw access its set-up and its "no predicate"
/// comparisons need (bench code only).
#[derive(Clone)]
enum Db {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PostgresStore>),
}

impl Db {
    fn store(&self) -> Arc<dyn Store> {
        match self {
            Db::Sqlite(s) => s.clone(),
            Db::Postgres(s) => s.clone(),
        }
    }

    async fn execute(&self, sql: &str) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(s) => {
                sqlx::query(sql).execute(s.pool()).await?;
            }
            Db::Postgres(s) => {
                sqlx::query(sql).execute(s.pool()).await?;
            }
        }
        Ok(())
    }

    async fn scalar(&self, sql: &str) -> anyhow::Result<i64> {
        Ok(match self {
            Db::Sqlite(s) => sqlx::query_scalar(sql).fetch_one(s.pool()).await?,
            Db::Postgres(s) => sqlx::query_scalar(sql).fetch_one(s.pool()).await?,
        })
    }

    /// Runs `sql` and sums each row's fourth column (an aggregate count).
    async fn aggregate(&self, sql: &str) -> anyhow::Result<usize> {
        Ok(match self {
            Db::Sqlite(s) => {
                let rows = sqlx::query(sql).fetch_all(s.pool()).await?;
                rows.iter().map(|r| r.get::<i64, _>(3)).sum::<i64>() as usize
            }
            Db::Postgres(s) => {
                let rows = sqlx::query(sql).fetch_all(s.pool()).await?;
                rows.iter().map(|r| r.get::<i64, _>(3)).sum::<i64>() as usize
            }
        })
    }

    /// Runs `sql` (event columns) and decodes every row into an event.
    async fn events(&self, sql: &str) -> anyhow::Result<usize> {
        Ok(match self {
            Db::Sqlite(s) => {
                let rows = sqlx::query(sql).fetch_all(s.pool()).await?;
                for r in &rows {
                    vigie_store::sql::event_from_row(r, 0)?;
                }
                rows.len()
            }
            Db::Postgres(s) => {
                let rows = sqlx::query(sql).fetch_all(s.pool()).await?;
                for r in &rows {
                    vigie_store::sql::event_from_row(r, 0)?;
                }
                rows.len()
            }
        })
    }

    fn month(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "substr(date_start, 1, 7)",
            Db::Postgres(_) => "to_char(date_start, 'YYYY-MM')",
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "embedded SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }
}

struct Timing {
    name: String,
    samples: Vec<Duration>,
}

impl Timing {
    fn pct(&self, p: f64) -> f64 {
        let mut s: Vec<f64> = self.samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        s.sort_by(f64::total_cmp);
        let i = ((s.len() as f64 - 1.0) * p).round() as usize;
        s[i.min(s.len() - 1)]
    }
}

async fn time<F, Fut>(name: &str, n: usize, mut f: F) -> anyhow::Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    f().await?; // warm the caches once
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f().await?;
        samples.push(t.elapsed());
    }
    Ok(Timing {
        name: name.to_string(),
        samples,
    })
}

/// Builds (or finds) the store: the generated events, the demo's organisations, and the
/// restricted thirds.
async fn build(dir: &std::path::Path, rows: u64, database: Option<&str>) -> anyhow::Result<Db> {
    let db = match database {
        Some(url) => Db::Postgres(Arc::new(PostgresStore::connect(url).await?)),
        None => Db::Sqlite(Arc::new(SqliteStore::open_dir(&dir.join("data")).await?)),
    };
    let store = db.store();
    let have = store
        .count_events(
            &Viewer::public(chrono::Utc::now().date_naive()),
            &EventFilter::default(),
        )
        .await?;
    let restricted = db
        .scalar("SELECT count(*) FROM events WHERE marking <> 'TLP:CLEAR'")
        .await?;
    if have + restricted as u64 >= rows {
        eprintln!("reusing the store");
        return Ok(db);
    }
    let file = dir.join("ged-bench.csv");
    let t = Instant::now();
    super::generate(rows, 42, &file)?;
    eprintln!(
        "generated {rows} rows in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let settings = Settings::lenient(dir.join("rejects"), true);
    let t = Instant::now();
    if let Outcome::Failed { reason, .. } = import_file(store.as_ref(), &file, &settings).await? {
        anyhow::bail!("the benchmark import failed: {reason}");
    }
    eprintln!("imported in {:.1} s", t.elapsed().as_secs_f64());
    let _ = std::fs::remove_file(&file);
    crate::commands::demo::seed::seed(store.as_ref()).await?;
    let t = Instant::now();
    // Bench set-up only: a bulk re-share straight in SQL (the API re-shares one by one).
    db.execute(
        "UPDATE events SET owner = 'ecowas', creator = 'ecowas.publisher', marking = 'TLP:AMBER', \
         distribution = 'community', distribution_ref = 'ecowas', version = version + 1 WHERE seq % 3 = 1",
    )
    .await?;
    db.execute(
        "UPDATE events SET owner = 'mli-nia', creator = 'mli-nia.publisher', marking = 'TLP:GREEN', \
         distribution = 'sharing-group', distribution_ref = 'mli-nia.sahel-liaison', version = version + 1 WHERE seq % 3 = 2",
    )
    .await?;
    if let Db::Postgres(_) = db {
        // Fold the bulk update's rollup deltas, as every import does on commit.
        db.execute("SELECT vigie_rollup_merge()").await?;
    }
    // PostgreSQL reads only from an index once VACUUM has set the visibility map.
    db.execute(match db {
        Db::Sqlite(_) => "ANALYZE",
        Db::Postgres(_) => "VACUUM ANALYZE",
    })
    .await?;
    if let Db::Sqlite(_) = db {
        // Fold the bulk update's 1.5 GB write-ahead log back into the database, as SQLite's
        // automatic checkpoints keep it in steady use.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    eprintln!(
        "restricted two thirds in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(db)
}

pub async fn gate(args: GateBenchArgs) -> anyhow::Result<ExitCode> {
    let tmp = super::tempfile_dir(args.work_dir.as_deref())?;
    let db = build(tmp.path(), args.rows, args.database.as_deref()).await?;
    let store = db.store();
    let total = db.scalar("SELECT count(*) FROM events").await?;
    let n = args.iterations;

    // The API, with the gate, as a Benin agency reader: sees public events and ECOWAS's
    // community third, not the sharing group's.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/api/v1", listener.local_addr()?);
    let state = vigie_server::AppState::new(store.clone(), vigie_server::Config::default());
    tokio::spawn(vigie_server::serve(listener, state));
    let (_, secret) = vigie_app::accounts::issue_token(
        store.as_ref(),
        "ben-nia.reader",
        "bench",
        TokenScope::Read,
        1,
    )
    .await?;
    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{base}{path}");
        let secret = secret.clone();
        async move {
            let r = client.get(url).bearer_auth(secret).send().await?;
            anyhow::ensure!(r.status().is_success(), "{}", r.status());
            r.bytes().await?;
            Ok(())
        }
    };
    let mut http = Vec::new();
    // Whole-store scans run fewer times.
    let few = n.clamp(1, 10);
    let queries = [
        (
            "admin1-month aggregate, Mali, all years",
            "/stats?by=admin1-month&country=MLI",
            n,
        ),
        (
            "admin1-month aggregate, Mali, 2020 on",
            "/stats?by=admin1-month&country=MLI&from=2020-01-01",
            n,
        ),
        (
            "admin1-month aggregate, every country",
            "/stats?by=admin1-month",
            n,
        ),
        (
            "admin1-month aggregate, every country, 2020",
            "/stats?by=admin1-month&from=2020-01-01&to=2020-12-31",
            n,
        ),
        (
            "the same, period not on month bounds (no rollup)",
            "/stats?by=admin1-month&from=2020-01-02&to=2020-12-31",
            few,
        ),
        ("top 10 actors, Mali", "/stats/actors?country=MLI", n),
        (
            "page of 100 events (with total), no filter",
            "/events?limit=100",
            n,
        ),
        (
            "page of 100 events (with total), Burkina Faso",
            "/events?limit=100&country=BFA",
            n,
        ),
        (
            "page of 100 events, Burkina Faso, offset 10,000",
            "/events?limit=100&country=BFA&offset=10000",
            n,
        ),
    ];
    for (name, path, runs) in queries {
        http.push(time(name, runs, || get(path.to_string())).await?);
    }

    // At the store: the same reads with the gate (viewer) and without any predicate.
    let reader = store
        .user("ben-nia.reader")
        .await?
        .context("the demo's ben-nia.reader is missing")?;
    let viewer = Viewer::for_user(&reader, chrono::Utc::now().date_naive())
        .context("the demo's ben-nia.reader is disabled")?;
    let mali = EventFilter {
        country: Some("MLI".into()),
        ..Default::default()
    };
    let page = EventFilter {
        limit: Some(100),
        ..Default::default()
    };
    let s = store.clone();
    let mut store_t = Vec::new();
    store_t.push(
        time("store: aggregate, Mali, gated", n, || {
            let (s, v, f) = (s.clone(), viewer.clone(), mali.clone());
            async move {
                s.stats(&v, StatsBy::Admin1Month, &f).await?;
                Ok(())
            }
        })
        .await?,
    );
    store_t.push(
        time("store: aggregate, every country, gated", n, || {
            let (s, v) = (s.clone(), viewer.clone());
            async move {
                s.stats(&v, StatsBy::Admin1Month, &EventFilter::default())
                    .await?;
                Ok(())
            }
        })
        .await?,
    );
    let plain_aggregate = format!(
        "SELECT country, admin1, {} AS month, count(*), coalesce(sum(fatalities_best), 0) \
         FROM events WHERE country = 'MLI' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        db.month()
    );
    store_t.push(
        time("store: aggregate, Mali, no predicate", n, || {
            let (db, sql) = (db.clone(), plain_aggregate.clone());
            async move {
                db.aggregate(&sql).await?;
                Ok(())
            }
        })
        .await?,
    );
    store_t.push(
        time("store: count all, gated (rollup)", n, || {
            let (s, v) = (s.clone(), viewer.clone());
            async move {
                s.count_events(&v, &EventFilter::default()).await?;
                Ok(())
            }
        })
        .await?,
    );
    // A period that does not start on the 1st keeps the rollup out: the same count, over
    // every event's row, to weigh the predicate itself.
    let unrolled = EventFilter {
        from: chrono::NaiveDate::from_ymd_opt(1900, 1, 2),
        ..Default::default()
    };
    store_t.push(
        time("store: count all, gated, over events", few, || {
            let (s, v, f) = (s.clone(), viewer.clone(), unrolled.clone());
            async move {
                s.count_events(&v, &f).await?;
                Ok(())
            }
        })
        .await?,
    );
    store_t.push(
        time("store: count all, no predicate", few, || {
            let db = db.clone();
            async move {
                db.scalar("SELECT count(*) FROM events").await?;
                Ok(())
            }
        })
        .await?,
    );
    store_t.push(
        time("store: first page of 100, gated", n, || {
            let (s, v, f) = (s.clone(), viewer.clone(), page.clone());
            async move {
                let _: Vec<_> = s.events(&v, &f).try_collect().await?;
                Ok(())
            }
        })
        .await?,
    );
    store_t.push(
        time("store: first page of 100, no predicate", n, || {
            let db = db.clone();
            async move {
                let sql = format!(
                    "SELECT {} FROM events ORDER BY date_start, id LIMIT 100",
                    vigie_store::sql::event_column_list("")
                );
                db.events(&sql).await?;
                Ok(())
            }
        })
        .await?,
    );

    println!("{}: {total} events in the store (a third public, a third ECOWAS community, a third a sharing group); viewer: ben-nia.reader; {n} runs each ({few} for whole-store scans), after one warm-up", db.name());
    println!(
        "{:<52} {:>9} {:>9} {:>9}",
        "query", "p50 ms", "p95 ms", "max ms"
    );
    for t in http.iter().chain(&store_t) {
        println!(
            "{:<52} {:>9.2} {:>9.2} {:>9.2}",
            t.name,
            t.pct(0.5),
            t.pct(0.95),
            t.pct(1.0)
        );
    }
    Ok(ExitCode::SUCCESS)
}
