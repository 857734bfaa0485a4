//! Early warning an analyst can trust (issue 19), on a real store: spillover fires at the
//! real onsets of violence in northern Benin and Togo where a complete source covers the
//! quiet years, never where only a partial source does, and a rule scoped to a community
//! watches its member states on the day it is evaluated.

use chrono::NaiveDate;
use vigie_app::alerts::assess;
use vigie_core::alert::Scope;
use vigie_core::{
    Actor, AlertRule, Audience, DatePrecision, Event, Fatalities, Level, LocationPrecision,
    MemberState, OrgKind, Period, Place, Provenance, RuleKind, Source, Viewer, ViolenceCategory,
};
use vigie_store::world::World;
use vigie_store_sqlite::SqliteStore;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A public UCDP-like state-based event in region `unit` (`ISO3/Name`) on `date`.
fn event(id: &str, unit: &str, date: &str, best: i64) -> Event {
    let (country, admin1) = unit.split_once('/').unwrap();
    let d = day(date);
    Event {
        id: Event::stable_id(Source::UcdpGed, id),
        source: Source::UcdpGed,
        source_id: id.into(),
        source_version: None,
        period: Period {
            start: d,
            end: d,
            precision: DatePrecision::Day,
        },
        place: Place {
            latitude: None,
            longitude: None,
            precision: Some(LocationPrecision::Admin1),
            source_precision: None,
            country: Some(country.into()),
            gw_id: None,
            views_id: None,
            admin1: Some(admin1.into()),
            admin2: None,
            location: None,
            priogrid_gid: None,
        },
        category: ViolenceCategory::StateBased,
        source_type: "1".into(),
        side_a: Some(Actor {
            name: "JNIM".into(),
            source_id: None,
        }),
        side_b: None,
        fatalities: Fatalities {
            best: Some(best),
            low: Some(best),
            high: Some(best),
        },
        description: None,
        extra: Default::default(),
        provenance: Provenance {
            batch: None,
            file: "generated".into(),
            line: 1,
        },
        owner: vigie_core::PUBLIC_SOURCES_ORG.into(),
        marking: vigie_core::Marking::Clear,
    }
}

fn spillover(id: u128, scope: Option<Scope>) -> AlertRule {
    AlertRule {
        id: uuid::Uuid::from_u128(id),
        name: format!("spillover {id}"),
        name_key: None,
        rule: RuleKind::Spillover {
            level: Level::Admin1,
            quiet_months: 24,
            active_months: 12,
        },
        units: vec![],
        scope,
        webhook: None,
        created_at: chrono::Utc::now(),
        audience: Audience::public(),
    }
}

/// The generated store: Burkina Faso's Est region at war every month from 2019, and the
/// first deadly attacks in Benin's Atakora (2 December 2021: Porga, two soldiers killed),
/// Alibori (8 February 2022: the W park, rangers killed) and Togo's Savanes (11 May 2022:
/// Kpinkankandi, eight soldiers killed), up to `until` (`YYYY-MM-DD`); a complete source
/// covering every country from 2019-01 to `covered` (`YYYY-MM`), or a partial one.
async fn store(until: &str, covered: &str, complete: bool) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    let mut w = World::new();
    w.org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource);
    let until = day(until);
    let mut d = day("2019-01-15");
    let mut n = 0;
    while d <= until {
        n += 1;
        w.event(
            event(&format!("est-{n}"), "BFA/Est", &d.to_string(), 12),
            Audience::public(),
        );
        d = d.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    for (id, unit, date, best) in [
        ("atakora", "BEN/Atakora", "2021-12-02", 2),
        ("alibori", "BEN/Alibori", "2022-02-08", 8),
        ("savanes", "TGO/Savanes", "2022-05-11", 8),
    ] {
        if day(date) <= until {
            w.event(event(id, unit, date, best), Audience::public());
        }
    }
    w.covered(&[], "2019-01", covered, Audience::public());
    w.coverage[0].complete = complete;
    w.alert_rule(spillover(1, None));
    w.seed(&store, &|p: &str| p.to_string()).await.unwrap();
    (dir, store)
}

fn fired(a: &vigie_app::alerts::Assessment) -> Vec<(String, String)> {
    let mut v: Vec<_> = a
        .alerts
        .iter()
        .map(|a| (a.unit.clone(), a.month.clone()))
        .collect();
    v.sort();
    v
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn spillover_fires_at_the_real_onsets_in_benin_and_togo() {
    let public = Viewer::public(day("2022-06-10"));
    // Seen at the end of December 2021: Atakora's first attack.
    let (_d, s) = store("2021-12-31", "2021-12", true).await;
    let a = assess(&s, &public).await.unwrap();
    assert_eq!(
        fired(&a),
        pairs(&[("BEN/Atakora", "2021-12")]),
        "{:?}",
        a.unassessed
    );
    assert!(a.unassessed.is_empty());
    let evidence = &a.alerts[0].evidence;
    assert_eq!(evidence["active_neighbours"][0]["unit"], "BFA/Est");
    assert!(evidence["series"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["complete"] == true));
    // February 2022: Alibori too (Atakora's onset is still among the last three months).
    let (_d, s) = store("2022-02-28", "2022-02", true).await;
    let a = assess(&s, &public).await.unwrap();
    assert_eq!(
        fired(&a),
        pairs(&[("BEN/Alibori", "2022-02"), ("BEN/Atakora", "2021-12")])
    );
    // May 2022: Togo's Savanes; Benin's regions are no longer quiet onsets.
    let (_d, s) = store("2022-05-31", "2022-05", true).await;
    let a = assess(&s, &public).await.unwrap();
    assert_eq!(fired(&a), pairs(&[("TGO/Savanes", "2022-05")]));
    assert!(
        !a.freshness.stale,
        "seen in June 2022, data of May are fresh"
    );
    let later = assess(&s, &Viewer::public(day("2026-12-07")))
        .await
        .unwrap();
    assert!(later.freshness.stale);
    assert!(later.alerts[0].freshness.stale);
    assert!(later.alerts[0].summary.ends_with("(data end in 2022-05)"));
}

#[tokio::test]
async fn a_partial_source_never_makes_a_unit_quiet() {
    let public = Viewer::public(day("2022-06-10"));
    let (_d, s) = store("2022-05-31", "2022-05", false).await;
    let a = assess(&s, &public).await.unwrap();
    assert!(a.alerts.is_empty(), "{:?}", a.alerts);
    assert_eq!(a.unassessed.len(), 1);
    assert_eq!(a.unassessed[0].unit, "TGO/Savanes");
    assert_eq!(a.unassessed[0].missing_months, 24);
    // A complete source that stops short of the quiet period: the months before it are missing.
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open_dir(dir.path()).await.unwrap();
    let mut w = World::new();
    w.org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource);
    w.event(event("e", "BFA/Est", "2022-04-15", 12), Audience::public());
    w.event(
        event("s", "TGO/Savanes", "2022-05-11", 8),
        Audience::public(),
    );
    w.covered(&["TGO"], "2021-01", "2022-05", Audience::public());
    w.alert_rule(spillover(1, None));
    w.seed(&s, &|p: &str| p.to_string()).await.unwrap();
    let a = assess(&s, &public).await.unwrap();
    assert!(a.alerts.is_empty());
    assert_eq!(a.unassessed[0].missing, "2020-05 – 2020-12");
}

#[tokio::test]
async fn a_community_scope_follows_the_exit_of_mali_burkina_faso_and_niger() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open_dir(dir.path()).await.unwrap();
    let mut w = World::new();
    w.org(vigie_core::PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
        .community("ecowas");
    for (c, until) in [("BEN", None), ("TGO", None), ("MLI", Some("2025-01-29"))] {
        w.member_states.push(MemberState {
            community: "ecowas".into(),
            country: c.into(),
            from: day("1975-05-28"),
            until: until.map(day),
        });
    }
    // Gao at war; Mopti's onset after quiet years, next to it; Alibori's next to Burkina's Est.
    let mut d = day("2022-01-15");
    let mut n = 0;
    while d <= day("2024-12-31") {
        n += 1;
        w.event(
            event(&format!("gao-{n}"), "MLI/Gao", &d.to_string(), 5),
            Audience::public(),
        );
        w.event(
            event(&format!("est-{n}"), "BFA/Est", &d.to_string(), 5),
            Audience::public(),
        );
        d = d.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    w.event(
        event("tombouctou", "MLI/Tombouctou", "2024-12-05", 3),
        Audience::public(),
    );
    w.event(
        event("alibori", "BEN/Alibori", "2024-12-09", 3),
        Audience::public(),
    );
    w.covered(&[], "2022-01", "2024-12", Audience::public());
    let scope = Scope {
        community: Some("ecowas".into()),
        ..Default::default()
    };
    w.alert_rule(spillover(2, Some(scope)));
    w.seed(&s, &|p: &str| p.to_string()).await.unwrap();
    let before = assess(&s, &Viewer::public(day("2025-01-28")))
        .await
        .unwrap();
    assert_eq!(
        fired(&before),
        pairs(&[("BEN/Alibori", "2024-12"), ("MLI/Timbuktu", "2024-12")])
    );
    let after = assess(&s, &Viewer::public(day("2025-01-29")))
        .await
        .unwrap();
    assert_eq!(fired(&after), pairs(&[("BEN/Alibori", "2024-12")]));
}
