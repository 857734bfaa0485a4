//! The conformance suite every backend runs unchanged: `store_conformance_suite!` expands to
//! one test per store behaviour, given an async expression that makes an empty store.
//!
//! ```text
//! vigie_store::store_conformance_suite!(async { MyStore::open_temp().await });
//! ```

use chrono::NaiveDate;
use futures::TryStreamExt;
use vigie_core::{
    Actor, DatePrecision, Event, Fatalities, LocationPrecision, Marking, Period, Place, Provenance,
    Source, Viewer, ViolenceCategory, PUBLIC_SOURCES_ORG,
};

use crate::{EventFilter, ImportCounts, ImportMeta, Prepared, StatsBy, Store};

/// Coordination profiles, and tasks behind the gate.
pub mod coordination;
/// Migrations and append-only tables, beneath the store API.
pub mod database;
/// Totals and statistics against the lists they summarise.
pub mod rollup;
/// The sharing model (docs/sharing.md) at the store level.
pub mod sharing;
/// Stored forecasts and alert rules behind the gate.
pub mod warning;

/// A plausible event: UCDP, in `country`, on `date`, with `best` fatalities.
pub fn event(source_id: &str, country: &str, admin1: &str, date: &str, best: i64) -> Event {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("test date");
    Event {
        id: Event::stable_id(Source::UcdpGed, source_id),
        source: Source::UcdpGed,
        source_id: source_id.to_string(),
        source_version: Some("test".into()),
        period: Period {
            start: d,
            end: d,
            precision: DatePrecision::Day,
        },
        place: Place {
            latitude: Some(14.49),
            longitude: Some(-4.19),
            precision: Some(LocationPrecision::Exact),
            source_precision: Some(1),
            country: Some(country.to_string()),
            gw_id: Some(432),
            views_id: Some(50),
            admin1: Some(admin1.to_string()),
            admin2: None,
            location: Some("Mopti".into()),
            priogrid_gid: vigie_core::priogrid::gid(14.49, -4.19),
        },
        category: ViolenceCategory::StateBased,
        source_type: "1".into(),
        side_a: Some(Actor {
            name: "Government of Mali".into(),
            source_id: Some("29".into()),
        }),
        side_b: Some(Actor {
            name: "JNIM".into(),
            source_id: Some("6090".into()),
        }),
        fatalities: Fatalities {
            best: Some(best),
            low: Some(best),
            high: Some(best + 2),
        },
        description: Some("Clash near Mopti, « attaque » 'quoted'".into()),
        extra: serde_json::json!({"conflict_name": "Mali: Government", "event_clarity": 1})
            .as_object()
            .cloned()
            .expect("object"),
        provenance: Provenance {
            batch: None,
            file: "test.csv".into(),
            line: 2,
        },
        owner: PUBLIC_SOURCES_ORG.into(),
        marking: Marking::Clear,
    }
}

/// An event written in Vigie (source `vigie`), otherwise [`event`]'s.
pub fn vigie_event(source_id: &str, country: &str, admin1: &str, date: &str, best: i64) -> Event {
    let mut e = event(source_id, country, admin1, date, best);
    e.source = Source::Vigie;
    e.id = Event::stable_id(Source::Vigie, source_id);
    e
}

/// Imported public data is TLP:CLEAR, so the public viewer sees all of it.
fn public() -> Viewer {
    Viewer::public(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"))
}

fn meta() -> ImportMeta {
    ImportMeta {
        file: "test.csv".into(),
        format: "ucdp-ged".into(),
        file_size: 100,
    }
}

/// Writes `world` into `store`: the suites' organisations, communities, memberships,
/// sharing groups and users come from [`crate::world::World`] (no passwords: none is needed).
async fn seed(store: &dyn Store, world: &crate::world::World) {
    world
        .seed(store, &|_: &str| -> String {
            unreachable!("no password in these worlds")
        })
        .await
        .expect("seed the world");
}

async fn import(store: &dyn Store, events: &[Event]) -> ImportCounts {
    let mut tx = store.begin_import(&meta()).await.expect("begin");
    let counts = tx
        .write(Prepared::all(events.to_vec()))
        .await
        .expect("write");
    tx.commit(0).await.expect("commit");
    counts
}

fn corpus() -> Vec<Event> {
    let mut b = event("2", "BFA", "Sahel", "2023-10-05", 10);
    b.category = ViolenceCategory::OneSided;
    b.side_b = Some(Actor::named("Civilians"));
    let mut c = event("3", "MLI", "Gao region", "2023-11-01", 0);
    c.source = Source::Acled;
    c.id = Event::stable_id(Source::Acled, "3");
    c.side_a = Some(Actor::named("Wagner Group"));
    vec![
        event("1", "MLI", "Mopti region", "2023-10-02", 3),
        b,
        c,
        event("4", "MLI", "Mopti region", "2023-10-20", 5),
    ]
}

/// The source ids of the events `viewer` lists for `filter`, in the order listed.
async fn listed(store: &dyn Store, viewer: &Viewer, filter: &EventFilter) -> Vec<String> {
    store
        .events(viewer, filter)
        .map_ok(|e| e.source_id)
        .try_collect::<Vec<_>>()
        .await
        .expect("list")
}

pub async fn import_then_read_back_exactly(store: &dyn Store) {
    let events = corpus();
    let counts = import(store, &events).await;
    assert_eq!(
        counts,
        ImportCounts {
            inserted: 4,
            updated: 0,
            unchanged: 0
        }
    );
    for e in &events {
        let mut got = store
            .event(&public(), e.id)
            .await
            .expect("get")
            .expect("present")
            .0;
        assert!(got.provenance.batch.is_some());
        got.provenance.batch = None;
        assert_eq!(&got, e);
    }
    assert_eq!(
        store
            .event(&public(), Event::stable_id(Source::UcdpGed, "nope"))
            .await
            .expect("get"),
        None
    );
}

pub async fn reimport_changes_nothing(store: &dyn Store) {
    let events = corpus();
    import(store, &events).await;
    let before: Vec<Event> = store
        .events(&public(), &EventFilter::default())
        .try_collect()
        .await
        .expect("list");
    let counts = import(store, &events).await;
    assert_eq!(
        counts,
        ImportCounts {
            inserted: 0,
            updated: 0,
            unchanged: 4
        }
    );
    let after: Vec<Event> = store
        .events(&public(), &EventFilter::default())
        .try_collect()
        .await
        .expect("list");
    assert_eq!(before, after, "provenance and content untouched");
    assert!(store
        .event_history(&public(), events[0].id)
        .await
        .expect("history")
        .is_empty());
}

pub async fn changed_row_updates_and_keeps_history(store: &dyn Store) {
    let events = corpus();
    import(store, &events).await;
    let mut changed = events[0].clone();
    changed.fatalities.best = Some(7);
    changed.source_version = Some("v2".into());
    let counts = import(store, &[changed.clone(), events[1].clone()]).await;
    assert_eq!(
        counts,
        ImportCounts {
            inserted: 0,
            updated: 1,
            unchanged: 1
        }
    );
    let now = store
        .event(&public(), changed.id)
        .await
        .expect("get")
        .expect("present")
        .0;
    assert_eq!(now.fatalities.best, Some(7));
    let history = store
        .event_history(&public(), changed.id)
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].version, 1);
    assert_eq!(history[0].event.fatalities.best, Some(3));
    assert_eq!(history[0].event.source_version.as_deref(), Some("test"));
    // And a third version.
    changed.fatalities.best = Some(8);
    import(store, &[changed.clone()]).await;
    let history = store
        .event_history(&public(), changed.id)
        .await
        .expect("history");
    assert_eq!(
        history.iter().map(|h| h.version).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(history[1].event.fatalities.best, Some(7));
}

pub async fn rollback_leaves_nothing(store: &dyn Store) {
    let mut tx = store.begin_import(&meta()).await.expect("begin");
    tx.write(Prepared::all(corpus())).await.expect("write");
    tx.rollback().await.expect("rollback");
    assert_eq!(
        store
            .count_events(&public(), &EventFilter::default())
            .await
            .expect("count"),
        0
    );
    assert!(store.imports().await.expect("imports").is_empty());
    // Dropping without commit is a rollback too.
    {
        let mut tx = store.begin_import(&meta()).await.expect("begin");
        tx.write(Prepared::all(corpus())).await.expect("write");
    }
    assert_eq!(
        store
            .count_events(&public(), &EventFilter::default())
            .await
            .expect("count"),
        0
    );
}

pub async fn same_id_twice_in_one_write_keeps_the_last(store: &dyn Store) {
    let a = event("9", "MLI", "Mopti region", "2023-10-02", 1);
    let mut b = a.clone();
    b.fatalities.best = Some(2);
    let counts = import(store, &[a, b.clone()]).await;
    assert_eq!(counts.inserted, 1);
    assert_eq!(
        store
            .event(&public(), b.id)
            .await
            .expect("get")
            .expect("present")
            .0
            .fatalities
            .best,
        Some(2)
    );
}

pub async fn filters_narrow_lists_and_counts(store: &dyn Store) {
    import(store, &corpus()).await;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let cases: Vec<(EventFilter, Vec<&str>)> = vec![
        (EventFilter::default(), vec!["1", "2", "4", "3"]),
        (
            EventFilter {
                country: Some("mli".into()),
                ..Default::default()
            },
            vec!["1", "4", "3"],
        ),
        (
            EventFilter {
                admin1: Some("Mopti".into()),
                ..Default::default()
            },
            vec!["1", "4"],
        ),
        (
            EventFilter {
                admin1: Some("mopti region".into()),
                ..Default::default()
            },
            vec!["1", "4"],
        ),
        (
            EventFilter {
                admin1: Some("Mop".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            EventFilter {
                from: d("2023-10-03"),
                to: d("2023-10-31"),
                ..Default::default()
            },
            vec!["2", "4"],
        ),
        (
            EventFilter {
                category: Some(ViolenceCategory::OneSided),
                ..Default::default()
            },
            vec!["2"],
        ),
        (
            EventFilter {
                actor: Some("wagner".into()),
                ..Default::default()
            },
            vec!["3"],
        ),
        (
            EventFilter {
                actor: Some("civil".into()),
                ..Default::default()
            },
            vec!["2"],
        ),
        (
            EventFilter {
                actor: Some("%".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            EventFilter {
                source: Some(Source::Acled),
                ..Default::default()
            },
            vec!["3"],
        ),
        (
            EventFilter {
                limit: Some(2),
                offset: Some(1),
                ..Default::default()
            },
            vec!["2", "4"],
        ),
        (
            EventFilter {
                offset: Some(3),
                ..Default::default()
            },
            vec!["3"],
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(listed(store, &public(), &filter).await, want, "{filter:?}");
        if filter.limit.is_none() && filter.offset.is_none() {
            assert_eq!(
                store.count_events(&public(), &filter).await.expect("count"),
                want.len() as u64,
                "{filter:?}"
            );
        }
    }
}

pub async fn stats_group_by_month(store: &dyn Store) {
    import(store, &corpus()).await;
    let rows = store
        .stats(&public(), StatsBy::CountryMonth, &EventFilter::default())
        .await
        .expect("stats");
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.country.clone().unwrap(),
                r.month.clone().unwrap(),
                r.events,
                r.fatalities,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("BFA".into(), "2023-10".into(), 1, 10),
            ("MLI".into(), "2023-10".into(), 2, 8),
            ("MLI".into(), "2023-11".into(), 1, 0),
        ]
    );
    let rows = store
        .stats(
            &public(),
            StatsBy::Admin1Month,
            &EventFilter {
                country: Some("MLI".into()),
                ..Default::default()
            },
        )
        .await
        .expect("stats");
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.admin1.clone().unwrap(),
                r.month.clone().unwrap(),
                r.events,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Gao region".into(), "2023-11".into(), 1),
            ("Mopti region".into(), "2023-10".into(), 2)
        ]
    );
}

pub async fn imports_are_recorded(store: &dyn Store) {
    import(store, &corpus()).await;
    let mut tx = store.begin_import(&meta()).await.expect("begin");
    tx.write(Prepared::all(corpus()[..1].to_vec()))
        .await
        .expect("write");
    let rec = tx.commit(3).await.expect("commit");
    assert_eq!(rec.rejected, 3);
    let all = store.imports().await.expect("imports");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].counts.inserted, 4);
    assert_eq!(
        all[1].counts,
        ImportCounts {
            inserted: 0,
            updated: 0,
            unchanged: 1
        }
    );
    assert_eq!(all[1], rec);
    let e = store
        .event(&public(), corpus()[0].id)
        .await
        .expect("get")
        .expect("present")
        .0;
    assert_eq!(
        e.provenance.batch,
        Some(all[0].id),
        "an unchanged row keeps its first provenance"
    );
}

async fn all_events(store: &dyn Store) -> Vec<Event> {
    store
        .events(&public(), &EventFilter::default())
        .try_collect()
        .await
        .expect("list")
}

/// `vigie db copy`'s store operations ([`crate::copy::TableRows`]): a whole store copied to
/// another of the same kind, in small chunks, arrives exactly; a second copy resumes and
/// copies only what is new; a target holding rows the source lacks is refused.
pub async fn copy_moves_everything_and_resumes(
    source: &dyn Store,
    source_rows: &dyn crate::copy::TableRows,
    target: &dyn Store,
    target_rows: &dyn crate::copy::TableRows,
) {
    use crate::copy::{copy_store, CopyError};
    let events = corpus();
    import(source, &events).await;
    let mut changed = events[0].clone();
    changed.fatalities.best = Some(99);
    import(source, &[changed.clone()]).await;

    let reports = copy_store(source_rows, target_rows, 2, &|_| {})
        .await
        .expect("copy");
    assert!(reports.iter().all(|r| r.verified()), "{reports:?}");
    assert_eq!(all_events(target).await, all_events(source).await);
    assert_eq!(
        target
            .event_history(&public(), changed.id)
            .await
            .expect("history"),
        source
            .event_history(&public(), changed.id)
            .await
            .expect("history")
    );
    assert_eq!(
        target.imports().await.expect("imports"),
        source.imports().await.expect("imports")
    );

    // Again, after one more import at the source: only the new rows travel.
    let extra = event("77", "NER", "Tillabéri", "2023-12-01", 4);
    import(source, std::slice::from_ref(&extra)).await;
    let reports = copy_store(source_rows, target_rows, 2, &|_| {})
        .await
        .expect("resume");
    assert!(reports.iter().all(|r| r.verified()), "{reports:?}");
    let copied: u64 = reports.iter().map(|r| r.copied).sum();
    assert_eq!(copied, 2, "one event and its import batch: {reports:?}");
    assert!(target
        .event(&public(), extra.id)
        .await
        .expect("get")
        .is_some());
    // The derived tables are not copied; the target's own triggers filled them, so its
    // totals and statistics agree with its lists and with the source's.
    rollup::assert_numbers_match_list(target, &public(), &EventFilter::default()).await;
    assert_eq!(
        target
            .stats(&public(), StatsBy::Admin1Month, &EventFilter::default())
            .await
            .expect("stats"),
        source
            .stats(&public(), StatsBy::Admin1Month, &EventFilter::default())
            .await
            .expect("stats")
    );

    // A target with rows of its own is not merged into.
    import(target, &[event("88", "TGO", "Savanes", "2024-01-01", 1)]).await;
    match copy_store(source_rows, target_rows, 2, &|_| {}).await {
        Err(CopyError::NotAPrefix { .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Expands to one `#[tokio::test]` per behaviour; `$make` is an async expression yielding a
/// fresh, empty store wrapper whose `Deref` target implements `Store` (so that the wrapper
/// can also own the store's temporary directory or server).
#[macro_export]
macro_rules! store_conformance_suite {
    ($make:expr) => {
        $crate::store_conformance_suite!(@tests [] $make, ::std::ops::Deref::deref;
            import_then_read_back_exactly,
            reimport_changes_nothing,
            changed_row_updates_and_keeps_history,
            rollback_leaves_nothing,
            same_id_twice_in_one_write_keeps_the_last,
            filters_narrow_lists_and_counts,
            stats_group_by_month,
            imports_are_recorded,
        );
        $crate::store_conformance_suite!(@tests [rollup] $make, ::std::ops::Deref::deref;
            numbers_follow_every_write,
        );
        $crate::store_conformance_suite!(@tests [sharing] $make, ::std::ops::Deref::deref;
            leaving_a_community_ends_its_reach,
            amber_follows_the_group_and_strict_only_named_orgs,
            red_reaches_creator_and_recipients_only,
            site_admin_reads_nothing_extra,
            public_viewer_sees_only_clear,
            derived_numbers_count_only_visible_events,
            set_audience_applies_at_once,
            directory_basics,
            audit_log_chains_and_filters,
            changes_and_their_audit_entries_land_together,
            a_new_password_ends_sessions_and_tokens,
            provenance_names_the_file_not_its_folders,
        );
        $crate::store_conformance_suite!(@tests [warning] $make, ::std::ops::Deref::deref;
            forecasts_and_rules_go_through_the_gate,
            alert_acks_are_read_through_their_rule,
            coverage_goes_through_the_gate,
        );
        $crate::store_conformance_suite!(@tests [coordination] $make, ::std::ops::Deref::deref;
            tasks_go_through_the_gate,
            dependencies_name_only_visible_tasks,
        );

        #[tokio::test]
        async fn copy_moves_everything_and_resumes() {
            let source = $make.await;
            let target = $make.await;
            let (s, t) = (::std::ops::Deref::deref(&source), ::std::ops::Deref::deref(&target));
            $crate::conformance::copy_moves_everything_and_resumes(s, s, t, t).await;
        }
    };
    // One test per name, of the suite's module in brackets (its root when none), each given
    // what `$arg` makes of a fresh `&mut $make.await`.
    (@tests $module:tt $make:expr, $arg:path; $($name:ident),* $(,)?) => {
        $($crate::store_conformance_suite!(@test $module $make, $arg; $name);)*
    };
    (@test [$($module:ident)?] $make:expr, $arg:path; $name:ident) => {
        #[tokio::test]
        async fn $name() {
            let mut made = $make.await;
            $crate::conformance$(::$module)?::$name($arg(&mut made)).await;
        }
    };
}
