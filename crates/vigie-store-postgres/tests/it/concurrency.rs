//! 8 importers and 16 readers at once for `VIGIE_CONCURRENCY_SECS` (default 60): no error of
//! any kind (no deadlock, no serialization failure, no pool timeout), and afterwards every
//! imported event is there exactly once. Nothing is retried.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use uuid::Uuid;
use vigie_core::Event;
use vigie_store::{
    Directory, EventFilter, ImportCounts, ImportMeta, Prepared, Records, StatsBy, Store,
};
use vigie_store_postgres::testing::TestDb;
use vigie_store_postgres::PostgresStore;

const IMPORTERS: usize = 8;
const READERS: usize = 16;
/// Writes per fresh import, and events per write.
const WRITES: usize = 3;
const PER_WRITE: usize = 100;
const COUNTRIES: [&str; 4] = ["MLI", "BFA", "NER", "TCD"];

fn duration() -> Duration {
    let secs = std::env::var("VIGIE_CONCURRENCY_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// A small deterministic generator, so that runs differ only by scheduling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Default)]
struct Shared {
    /// Committed events, which other importers re-import (some of them changed).
    committed: Mutex<Vec<Event>>,
    errors: Mutex<Vec<String>>,
    inserted: AtomicU64,
    updated: AtomicU64,
    imports: AtomicU64,
    reads: AtomicU64,
}

impl Shared {
    fn fail(&self, who: &str, e: impl std::fmt::Display) {
        self.errors.lock().unwrap().push(format!("{who}: {e}"));
    }
    fn add(&self, c: ImportCounts) {
        self.inserted.fetch_add(c.inserted, Ordering::Relaxed);
        self.updated.fetch_add(c.updated, Ordering::Relaxed);
    }
}

fn meta(who: usize) -> ImportMeta {
    ImportMeta {
        file: format!("importer-{who}.csv"),
        format: "ucdp-ged".into(),
        file_size: 0,
    }
}

/// One import of `batches`, each a write; returns the counts, or the first error.
async fn import(
    store: &PostgresStore,
    who: usize,
    batches: Vec<Vec<Event>>,
) -> Result<ImportCounts, String> {
    let mut tx = store
        .begin_import(&meta(who))
        .await
        .map_err(|e| e.to_string())?;
    let mut total = ImportCounts::default();
    for b in batches {
        total += tx
            .write(Prepared::all(b))
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit(0).await.map_err(|e| e.to_string())?;
    Ok(total)
}

async fn importer(store: PostgresStore, shared: Arc<Shared>, who: usize, until: Instant) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (who as u64 + 1));
    let mut round = 0usize;
    while Instant::now() < until {
        round += 1;
        // Fresh events of this importer's own, in several writes.
        let batches: Vec<Vec<Event>> = (0..WRITES)
            .map(|w| {
                (0..PER_WRITE)
                    .map(|j| {
                        let day = 1 + rng.below(28);
                        let country = COUNTRIES[rng.below(COUNTRIES.len())];
                        vigie_store::conformance::event(
                            &format!("{who}-{round}-{w}-{j}"),
                            country,
                            "Region",
                            &format!("2023-10-{day:02}"),
                            rng.below(50) as i64,
                        )
                    })
                    .collect()
            })
            .collect();
        match import(&store, who, batches.clone()).await {
            Ok(c) => {
                shared.add(c);
                shared.imports.fetch_add(1, Ordering::Relaxed);
                if c.inserted != (WRITES * PER_WRITE) as u64 {
                    shared.fail("importer", format!("fresh import counted {c:?}"));
                }
                shared
                    .committed
                    .lock()
                    .unwrap()
                    .extend(batches.into_iter().flatten());
            }
            Err(e) => shared.fail(&format!("importer {who}"), e),
        }
        // A re-import of events others committed, overlapping other importers' re-imports,
        // a third of them changed. Sorted by the conflict key across the whole import, as
        // a file of one source's rows would be.
        let mut again: Vec<Event> = {
            let committed = shared.committed.lock().unwrap();
            if committed.is_empty() {
                continue;
            }
            let start = rng.below(committed.len());
            committed
                .iter()
                .cycle()
                .skip(start)
                .take(committed.len().min(2 * PER_WRITE))
                .cloned()
                .collect()
        };
        for e in again.iter_mut() {
            if rng.below(3) == 0 {
                e.fatalities.best = Some(1000 + rng.below(1_000_000) as i64);
            }
        }
        again.sort_by(|a, b| {
            (a.source.as_str(), &a.source_id).cmp(&(b.source.as_str(), &b.source_id))
        });
        again.dedup_by(|a, b| a.id == b.id);
        let batches = again.chunks(PER_WRITE).map(|c| c.to_vec()).collect();
        match import(&store, who, batches).await {
            Ok(c) => {
                shared.add(c);
                shared.imports.fetch_add(1, Ordering::Relaxed);
                if c.inserted != 0 {
                    shared.fail("re-importer", format!("a re-import inserted {c:?}"));
                }
            }
            Err(e) => shared.fail(&format!("re-importer {who}"), e),
        }
    }
}

async fn read_once(store: &PostgresStore, rng: &mut Rng) -> Result<(), String> {
    let e = |e: vigie_store::StoreError| e.to_string();
    let country = COUNTRIES[rng.below(COUNTRIES.len())];
    match rng.below(5) {
        0 => {
            let f = EventFilter {
                country: Some(country.into()),
                limit: Some(200),
                offset: Some(rng.below(100) as u64),
                ..Default::default()
            };
            let events: Vec<Event> = store.events(pv(), &f).try_collect().await.map_err(e)?;
            if events
                .iter()
                .any(|ev| ev.place.country.as_deref() != Some(country))
            {
                return Err("a list returned another country".into());
            }
        }
        1 => {
            store
                .count_events(
                    pv(),
                    &EventFilter {
                        country: Some(country.into()),
                        ..Default::default()
                    },
                )
                .await
                .map_err(e)?;
        }
        2 => {
            store
                .stats(pv(), StatsBy::CountryMonth, &EventFilter::default())
                .await
                .map_err(e)?;
        }
        3 => {
            let ids: Vec<Uuid> = store
                .events(
                    pv(),
                    &EventFilter {
                        limit: Some(20),
                        offset: Some(rng.below(1000) as u64),
                        ..Default::default()
                    },
                )
                .map_ok(|ev| ev.id)
                .try_collect()
                .await
                .map_err(e)?;
            for id in ids {
                store.event(pv(), id).await.map_err(e)?;
                store.event_history(pv(), id).await.map_err(e)?;
            }
        }
        _ => {
            store.imports().await.map_err(e)?;
        }
    }
    Ok(())
}

async fn reader(store: PostgresStore, shared: Arc<Shared>, who: usize, until: Instant) {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ (who as u64 + 101));
    while Instant::now() < until {
        match read_once(&store, &mut rng).await {
            Ok(()) => {
                shared.reads.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => shared.fail(&format!("reader {who}"), e),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn importers_and_readers_at_once_lose_and_duplicate_nothing() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    // One connection per importer and reader, so that no one waits for the pool.
    let store = PostgresStore::connect_with(&db.url, (IMPORTERS + READERS) as u32)
        .await
        .expect("store");
    let shared = Arc::new(Shared::default());
    let started = Instant::now();
    let until = started + duration();
    let mut tasks: Vec<_> = (0..IMPORTERS)
        .map(|who| tokio::spawn(importer(store.clone(), shared.clone(), who, until)))
        .collect();
    let readers = (0..READERS).map(|who| reader(store.clone(), shared.clone(), who, until));
    tasks.extend(readers.map(tokio::spawn));
    for t in tasks {
        t.await.expect("task panicked");
    }
    let elapsed = started.elapsed();

    let errors = shared.errors.lock().unwrap().clone();
    assert!(
        errors.is_empty(),
        "{} errors, first ones: {:#?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );

    let committed = shared.committed.lock().unwrap().clone();
    let expected: HashSet<Uuid> = committed.iter().map(|e| e.id).collect();
    assert_eq!(
        expected.len(),
        committed.len(),
        "the test made distinct events"
    );
    let all = EventFilter::default();
    assert_eq!(
        store.count_events(pv(), &all).await.unwrap(),
        expected.len() as u64,
        "rows lost or duplicated"
    );
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let mut listed = store.events(pv(), &all);
    while let Some(e) = listed.try_next().await.unwrap() {
        *seen.entry(e.id).or_default() += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "an event listed twice");
    // Totals and statistics (answered from the rollup, which every importer appended
    // deltas to) add up to the list, before and after the deltas are merged.
    vigie_store::conformance::rollup::assert_numbers_match_list(&store, pv(), &all).await;
    sqlx::query("SELECT vigie_rollup_merge()")
        .execute(store.pool())
        .await
        .unwrap();
    vigie_store::conformance::rollup::assert_numbers_match_list(&store, pv(), &all).await;
    assert!(
        expected.iter().all(|id| seen.contains_key(id)),
        "an imported event is missing"
    );
    assert_eq!(seen.len(), expected.len());
    assert_eq!(
        shared.inserted.load(Ordering::Relaxed),
        expected.len() as u64
    );
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM event_history")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        history as u64,
        shared.updated.load(Ordering::Relaxed),
        "every update, and only updates, kept a history row"
    );
    let imports = store.imports().await.unwrap();
    assert_eq!(imports.len() as u64, shared.imports.load(Ordering::Relaxed));
    eprintln!(
        "concurrency: {:.0?}: {} imports, {} events, {} updates, {} reads, no errors",
        elapsed,
        imports.len(),
        expected.len(),
        history,
        shared.reads.load(Ordering::Relaxed)
    );
    store.close().await;
}

/// The public viewer: imported data is TLP:CLEAR.
pub fn pv() -> &'static vigie_core::Viewer {
    static V: std::sync::OnceLock<vigie_core::Viewer> = std::sync::OnceLock::new();
    V.get_or_init(|| vigie_core::Viewer::public(chrono::Utc::now().date_naive()))
}
