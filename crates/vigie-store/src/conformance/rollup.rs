//! Totals and statistics against the list they summarise. Counts and statistics may be
//! answered from the derived `event_rollup` table (when their filter allows), lists never
//! are; so every number must equal what the same viewer's list of the same filter adds up
//! to, after every kind of write.

use std::collections::BTreeMap;

use futures::TryStreamExt;
use vigie_core::{
    Actor, Audience, Distribution, Event, Marking, OrgKind, Role, Source, Viewer, ViolenceCategory,
};

use super::{event, import, listed, seed, vigie_event};
use crate::world::World;
use crate::{EventFilter, GridCell, RecordKind, StatRow, StatsBy, Store};

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().expect("test date")
}

/// The statistics rows `events` add up to, sorted.
fn expected_stats(events: &[Event], by: StatsBy) -> Vec<StatRow> {
    type Key = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let mut groups: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
    for e in events {
        let month = Some(e.period.start.format("%Y-%m").to_string());
        let (country, admin1) = (e.place.country.clone(), e.place.admin1.clone());
        let category = Some(e.category.as_str().to_string());
        let key = match by {
            StatsBy::CountryMonth => (country, None, None, month, None),
            StatsBy::Admin1Month => (country, admin1, None, month, None),
            StatsBy::CategoryMonth => (None, None, category, month, None),
            StatsBy::Admin1 => (country, admin1, None, None, None),
            StatsBy::GridMonth => match e.place.priogrid_gid {
                Some(gid) => (None, None, None, month, Some(i64::from(gid))),
                None => continue,
            },
        };
        let g = groups.entry(key).or_default();
        g.0 += 1;
        g.1 += e.fatalities.best.unwrap_or(0);
    }
    groups
        .into_iter()
        .map(
            |((country, admin1, category, month, priogrid_gid), (events, fatalities))| StatRow {
                country,
                admin1,
                category,
                month,
                priogrid_gid,
                events,
                fatalities,
            },
        )
        .collect()
}

/// The map cells `events` add up to (per category too when `by_category`), sorted.
fn expected_cells(events: &[Event], by_category: bool) -> Vec<GridCell> {
    let mut groups: BTreeMap<(i64, Option<String>), (i64, i64)> = BTreeMap::new();
    for e in events {
        let Some(gid) = e.place.priogrid_gid else {
            continue;
        };
        let category = by_category.then(|| e.category.as_str().to_string());
        let g = groups.entry((i64::from(gid), category)).or_default();
        g.0 += 1;
        g.1 += e.fatalities.best.unwrap_or(0);
    }
    groups
        .into_iter()
        .map(
            |((priogrid_gid, category), (events, fatalities))| GridCell {
                priogrid_gid,
                category,
                events,
                fatalities,
            },
        )
        .collect()
}

fn sorted(mut rows: Vec<StatRow>) -> Vec<StatRow> {
    rows.sort_by(|a, b| {
        (&a.country, &a.admin1, &a.category, &a.month, a.priogrid_gid).cmp(&(
            &b.country,
            &b.admin1,
            &b.category,
            &b.month,
            b.priogrid_gid,
        ))
    });
    rows
}

/// Asserts that `viewer`'s count, statistics (every grouping), map points and cells and top
/// actors for `filter` are exactly what `viewer`'s list for `filter` adds up to.
pub async fn assert_numbers_match_list(store: &dyn Store, viewer: &Viewer, filter: &EventFilter) {
    let listed: Vec<Event> = store
        .events(viewer, filter)
        .try_collect()
        .await
        .expect("list");
    assert_eq!(
        store.count_events(viewer, filter).await.expect("count"),
        listed.len() as u64,
        "count for {filter:?}, {viewer:?}"
    );
    for by in [
        StatsBy::CountryMonth,
        StatsBy::Admin1Month,
        StatsBy::CategoryMonth,
        StatsBy::Admin1,
        StatsBy::GridMonth,
    ] {
        let got = store.stats(viewer, by, filter).await.expect("stats");
        assert_eq!(
            sorted(got),
            expected_stats(&listed, by),
            "stats {by:?} for {filter:?}, {viewer:?}"
        );
    }
    let points = store.event_points(viewer, filter).await.expect("points");
    let want: Vec<crate::EventPoint> = listed
        .iter()
        .filter_map(|e| {
            Some(crate::EventPoint {
                id: e.id,
                longitude: e.place.longitude?,
                latitude: e.place.latitude?,
                category: e.category.as_str().to_string(),
                fatalities: e.fatalities.best,
                marking: e.marking.as_str().to_string(),
                date: e.period.start,
            })
        })
        .collect();
    assert_eq!(points, want, "map points for {filter:?}, {viewer:?}");
    for by_category in [false, true] {
        let mut got = store
            .grid_cells(viewer, filter, by_category)
            .await
            .expect("cells");
        got.sort_by(|a, b| (a.priogrid_gid, &a.category).cmp(&(b.priogrid_gid, &b.category)));
        assert_eq!(
            got,
            expected_cells(&listed, by_category),
            "grid cells (by category: {by_category}) for {filter:?}, {viewer:?}"
        );
    }
    let mut actors: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for e in &listed {
        for side in [&e.side_a, &e.side_b].into_iter().flatten() {
            let a = actors.entry(side.name.clone()).or_default();
            a.0 += 1;
            a.1 += e.fatalities.best.unwrap_or(0);
        }
    }
    let mut want: Vec<(String, i64, i64)> =
        actors.into_iter().map(|(k, (n, f))| (k, n, f)).collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    want.truncate(5);
    let got: Vec<(String, i64, i64)> = store
        .top_actors(viewer, filter, 5)
        .await
        .expect("top actors")
        .into_iter()
        .map(|a| (a.actor, a.events, a.fatalities))
        .collect();
    assert_eq!(got, want, "top actors for {filter:?}, {viewer:?}");
}

/// Filters the rollup answers (no actor or text; periods on month boundaries) and filters
/// it does not, side by side.
fn filters() -> Vec<EventFilter> {
    let f = |from: Option<&str>, to: Option<&str>| EventFilter {
        from: from.map(day),
        to: to.map(day),
        ..Default::default()
    };
    vec![
        EventFilter::default(),
        EventFilter {
            country: Some("MLI".into()),
            ..Default::default()
        },
        EventFilter {
            country: Some("MLI".into()),
            admin1: Some("mopti".into()),
            ..Default::default()
        },
        EventFilter {
            category: Some(ViolenceCategory::OneSided),
            source: Some(Source::UcdpGed),
            ..Default::default()
        },
        f(Some("2023-02-01"), None),
        f(None, Some("2023-01-31")),
        f(Some("2023-02-01"), Some("2023-02-28")),
        f(Some("2023-02-02"), Some("2023-02-28")),
        f(Some("2023-01-01"), Some("2023-01-30")),
        EventFilter {
            actor: Some("jnim".into()),
            ..Default::default()
        },
        EventFilter {
            marking: Some(Marking::Amber),
            ..Default::default()
        },
        EventFilter {
            marking: Some(Marking::Clear),
            country: Some("MLI".into()),
            ..Default::default()
        },
    ]
}

async fn assert_all(store: &dyn Store, viewers: &[Viewer]) {
    for viewer in viewers {
        for filter in filters() {
            assert_numbers_match_list(store, viewer, &filter).await;
        }
    }
}

/// Every write that moves an event between groups — import, re-import with changes,
/// creation under an audience, re-sharing — moves it in the totals too, for every viewer.
pub async fn numbers_follow_every_write(store: &dyn Store) {
    // Events across a month boundary, without admin-1 or country or fatalities, in several
    // categories and sources.
    let mut corpus = vec![
        event("1", "MLI", "Mopti region", "2023-01-31", 3),
        event("2", "MLI", "Gao region", "2023-02-01", 5),
        event("3", "BFA", "Sahel", "2023-02-15", 7),
    ];
    let mut spans = event("4", "MLI", "Mopti region", "2023-01-30", 2);
    spans.period.end = day("2023-02-02");
    corpus.push(spans);
    let mut bare = event("5", "NER", "Tillabéri", "2023-03-01", 0);
    bare.place.admin1 = None;
    bare.place.country = None;
    bare.fatalities.best = None;
    bare.category = ViolenceCategory::OneSided;
    bare.side_b = Some(Actor::named("Civilians"));
    corpus.push(bare);
    // Beyond 32 bits: totals must not overflow.
    corpus.push(event("10", "MLI", "Kidal", "2023-02-05", 5_000_000_000));
    let mut acled = event("6", "MLI", "Mopti", "2023-02-10", 1);
    acled.source = Source::Acled;
    acled.id = Event::stable_id(Source::Acled, "6");
    corpus.push(acled);
    import(store, &corpus).await;

    seed(
        store,
        World::new()
            .org("mli-agency", OrgKind::NationalAgency)
            .org("bfa-agency", OrgKind::NationalAgency),
    )
    .await;
    let day0 = day("2026-01-01");
    let viewers = [
        Viewer::public(day0),
        Viewer::user("mli.reader", "mli-agency", &[Role::Reader], day0),
        Viewer::user("mli.publisher", "mli-agency", &[Role::Publisher], day0),
        Viewer::user("bfa.reader", "bfa-agency", &[Role::Reader], day0),
    ];
    assert_all(store, &viewers).await;

    // A re-import that moves events: another month, another region, another country,
    // other fatalities, and one unchanged.
    corpus[0].period.start = day("2023-02-03");
    corpus[0].period.end = day("2023-02-03");
    corpus[1].place.admin1 = Some("Mopti region".into());
    corpus[2].place.country = Some("NER".into());
    corpus[3].fatalities.best = Some(40);
    import(store, &corpus).await;
    assert_all(store, &viewers).await;

    // Events written under audiences, then re-shared and re-marked.
    let audience = |marking, distribution| Audience {
        owner: "mli-agency".into(),
        creator: Some("mli.publisher".into()),
        marking,
        distribution,
    };
    let to_bfa = Distribution::Organisations {
        orgs: vec!["bfa-agency".into()],
    };
    let to_reader = Distribution::Recipients {
        users: vec!["bfa.reader".into()],
    };
    let mut w = World::new();
    w.event(
        vigie_event("7", "MLI", "Mopti region", "2023-02-20", 11),
        audience(Marking::Amber, Distribution::Organisation),
    )
    .event(
        vigie_event("8", "MLI", "Mopti region", "2023-02-21", 13),
        audience(Marking::AmberStrict, to_bfa),
    )
    .event(
        vigie_event("9", "BFA", "Sahel", "2023-02-22", 17),
        audience(Marking::Red, to_reader),
    );
    seed(store, &w).await;
    assert_all(store, &viewers).await;
    // The marking filter narrows what the viewer sees, never widens it.
    let amber = EventFilter {
        marking: Some(Marking::Amber),
        ..Default::default()
    };
    for (viewer, want) in [
        (&viewers[0], vec![]),
        (&viewers[1], vec!["7"]),
        (&viewers[3], vec![]),
    ] {
        assert_eq!(
            listed(store, viewer, &amber).await,
            want,
            "TLP:AMBER events for {viewer:?}"
        );
    }

    for (written, (marking, distribution)) in w.events.iter().zip([
        (Marking::Green, Distribution::AllCommunities),
        (Marking::Amber, Distribution::Organisation),
        (Marking::Clear, Distribution::AllCommunities),
    ]) {
        let id = written.event.id;
        store
            .set_audience(
                RecordKind::Event,
                id,
                &audience(marking, distribution),
                None,
            )
            .await
            .expect("re-share");
    }
    assert_all(store, &viewers).await;
}
