//! Stored forecasts and alert rules go through the gate like every record: a run or a rule
//! is seen exactly by its audience, through every read (lists, get by id, a run's
//! forecasts), and one not visible answers like one that does not exist.

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use vigie_core::{
    AlertRule, Distribution, ForecastRun, Level, Marking, OrgKind, Role, RuleKind, UnitForecast,
    Viewer, PUBLIC_SOURCES_ORG,
};

use super::seed;
use super::sharing::{aud, reader, to_community, to_users, TODAY};
use crate::world::World;
use crate::Store;

fn run(id: u128, audience: vigie_core::Audience, computed_for: &str, hour: u32) -> ForecastRun {
    ForecastRun {
        id: Uuid::from_u128(id),
        level: Level::Country,
        model: "gbm".into(),
        data_from: "1989-01".into(),
        data_until: "2023-12".into(),
        months: 2,
        draws: 1000,
        computed_for: computed_for.into(),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap(),
        audience,
        // What it treated as missing, read back as written.
        missing_months: 9,
        missing: "2023-01 – 2023-09".into(),
    }
}

fn forecasts(units: &[&str]) -> Vec<UnitForecast> {
    let mut out = Vec::new();
    for u in units {
        for ahead in 1..=2u32 {
            out.push(UnitForecast {
                unit: u.to_string(),
                month: format!("2024-0{ahead}"),
                ahead,
                mean: 1.5 * f64::from(ahead),
                q05: 0.0,
                q50: 1.0,
                q95: 7.25,
                p_any: 0.5,
                p_25: 0.01,
                cumulative: (0..=100).map(|k| f64::from(k * ahead)).collect(),
            });
        }
    }
    out
}

fn rule(id: u128, audience: vigie_core::Audience) -> AlertRule {
    AlertRule {
        id: Uuid::from_u128(id),
        name: format!("rule {id}"),
        name_key: id.is_multiple_of(2).then(|| format!("rule.test.{id}")),
        rule: RuleKind::Threshold {
            level: Level::Country,
            fatalities: 25,
            months: 3,
            probability: 0.5,
        },
        units: vec!["MLI".into(), "BFA".into()],
        // Some rules with an area, which a store keeps as it was written.
        scope: id.is_multiple_of(3).then(|| vigie_core::alert::Scope {
            countries: vec!["TGO".into()],
            community: Some("ecowas".into()),
            bordering: true,
            ..Default::default()
        }),
        webhook: Some("http://127.0.0.1:9/hook".into()),
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        audience,
    }
}

async fn sees_runs(store: &dyn Store, viewer: &Viewer, all: &[Uuid], expected: &[Uuid]) {
    let listed: Vec<Uuid> = store
        .forecast_runs(viewer, None)
        .await
        .expect("runs")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, expected, "runs listed for {viewer:?}");
    let cm: Vec<Uuid> = store
        .forecast_runs(viewer, Some(Level::Country))
        .await
        .expect("runs")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(cm, expected);
    assert!(store
        .forecast_runs(viewer, Some(Level::Grid))
        .await
        .expect("runs")
        .is_empty());
    for id in all {
        let got = store.forecast_run(viewer, *id).await.expect("run");
        let rows = store.forecasts(viewer, *id, &[], None).await.expect("rows");
        if expected.contains(id) {
            // What the run treated as missing is read back as written.
            assert_eq!(
                got.as_ref()
                    .map(|r| (r.id, r.missing_months, r.missing.as_str())),
                Some((*id, 9, "2023-01 – 2023-09"))
            );
            assert_eq!(rows.len(), 4, "forecasts of {id} for {viewer:?}");
        } else {
            assert_eq!(
                got, None,
                "{id} must answer like a missing run for {viewer:?}"
            );
            assert!(rows.is_empty(), "forecasts of {id} leak to {viewer:?}");
        }
    }
}

pub async fn forecasts_and_rules_go_through_the_gate(store: &dyn Store) {
    let mut w = World::new();
    w.org(PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
        .org("mli", OrgKind::NationalAgency)
        .org("bfa", OrgKind::NationalAgency)
        .community("ecowas")
        .member("ecowas", "mli", "2000-01-01", Some("2025-01-29"))
        .member("ecowas", "bfa", "2000-01-01", None);
    for (u, o) in [("ana", "mli"), ("ben", "mli"), ("cid", "bfa")] {
        w.user(u, o, &[Role::Analyst]);
    }
    seed(store, &w).await;
    let public_run = run(1, vigie_core::Audience::public(), "public", 1);
    let red_run = run(
        2,
        aud("mli", "ana", Marking::Red, to_users(&["ana"])),
        "ana",
        2,
    );
    store
        .create_forecast_run(&public_run, &forecasts(&["MLI", "BFA"]), None)
        .await
        .expect("public run");
    store
        .create_forecast_run(&red_run, &forecasts(&["MLI", "NER"]), None)
        .await
        .expect("red run");
    // Written twice: refused, nothing changed.
    assert!(store
        .create_forecast_run(&red_run, &forecasts(&["TCD"]), None)
        .await
        .is_err());
    let all = [public_run.id, red_run.id];
    let public = Viewer::public(super::sharing::day(TODAY));
    sees_runs(store, &public, &all, &[public_run.id]).await;
    sees_runs(
        store,
        &reader("ana", "mli", TODAY),
        &all,
        &[red_run.id, public_run.id],
    )
    .await;
    sees_runs(store, &reader("ben", "mli", TODAY), &all, &[public_run.id]).await;
    sees_runs(store, &reader("cid", "bfa", TODAY), &all, &[public_run.id]).await;

    // Read back exactly, filtered by unit and month.
    let ana = reader("ana", "mli", TODAY);
    assert_eq!(
        store.forecast_run(&ana, red_run.id).await.unwrap(),
        Some(red_run.clone())
    );
    let rows = store
        .forecasts(&ana, red_run.id, &["NER".to_string()], Some("2024-02"))
        .await
        .unwrap();
    assert_eq!(rows, forecasts(&["NER"])[1..].to_vec());

    // Rules: an AMBER rule for the ECOWAS community follows membership on the reader's day.
    let amber = rule(
        10,
        aud("bfa", "cid", Marking::Amber, to_community("ecowas")),
    );
    let own = rule(
        11,
        aud(
            "mli",
            "ana",
            Marking::AmberStrict,
            Distribution::Organisation,
        ),
    );
    store.create_alert_rule(&amber, None).await.expect("rule");
    store.create_alert_rule(&own, None).await.expect("rule");
    let rules = |v: Viewer| async move {
        store
            .alert_rules(&v)
            .await
            .expect("rules")
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules(reader("ben", "mli", "2024-06-01")).await,
        [amber.id, own.id]
    );
    assert_eq!(rules(reader("ben", "mli", TODAY)).await, [own.id]);
    assert_eq!(rules(reader("cid", "bfa", TODAY)).await, [amber.id]);
    assert!(rules(public.clone()).await.is_empty());
    assert_eq!(
        store.alert_rule(&ana, own.id).await.unwrap(),
        Some(own.clone())
    );
    assert_eq!(store.alert_rule(&ana, amber.id).await.unwrap(), None);

    // Deliveries count attempts; deleting a rule removes it and its deliveries.
    let alert = Uuid::from_u128(99);
    assert_eq!(store.delivery(own.id, alert).await.unwrap(), None);
    store
        .record_delivery(own.id, alert, "connection refused", false)
        .await
        .unwrap();
    store
        .record_delivery(own.id, alert, "204", true)
        .await
        .unwrap();
    let d = store
        .delivery(own.id, alert)
        .await
        .unwrap()
        .expect("delivery");
    assert_eq!(
        (d.attempts, d.last_status.as_str(), d.delivered),
        (2, "204", true)
    );
    // The first time an alert was raised is kept, per reader: another reader's time never
    // shows.
    let (t1, t2, t3) = (
        Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
    );
    let (a1, a2) = (Uuid::from_u128(201), Uuid::from_u128(202));
    let (first, second) = (ana.reader_key(), Viewer::public(ana.day()).reader_key());
    assert_ne!(first, second);
    // Alerts noted by a reader at a time: when each was first noted for that reader.
    for (key, alerts, at, want) in [
        (&first, vec![(a1, own.id)], t1, vec![t1]),
        (&first, vec![(a2, own.id), (a1, own.id)], t2, vec![t2, t1]),
        (&second, vec![(a1, own.id)], t3, vec![t3]),
    ] {
        let noted = store.note_alerts(key, &alerts, at).await.unwrap();
        assert_eq!(noted, want, "{alerts:?} noted at {at}");
    }
    assert_eq!(
        store
            .alerts_first_seen(&first, &[a2, Uuid::from_u128(203), a1])
            .await
            .unwrap(),
        [Some(t2), None, Some(t1)]
    );
    assert_eq!(
        store.alerts_first_seen(&second, &[a2, a1]).await.unwrap(),
        [None, Some(t3)]
    );
    store.delete_alert_rule(own.id, None).await.unwrap();
    assert_eq!(store.alert_rule(&ana, own.id).await.unwrap(), None);
    assert_eq!(store.delivery(own.id, alert).await.unwrap(), None);
}

/// Acknowledgements of alerts: one per organisation and alert (acknowledging again replaces
/// it), written with their audit entry, and read only through their rule, behind the gate:
/// a reader who may not see the rule gets none of them.
pub async fn alert_acks_are_read_through_their_rule(store: &dyn Store) {
    let mut w = World::new();
    w.org(PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
        .org("mli", OrgKind::NationalAgency)
        .org("bfa", OrgKind::NationalAgency)
        .community("ecowas")
        .member("ecowas", "mli", "2000-01-01", None)
        .member("ecowas", "bfa", "2000-01-01", None);
    for (u, o) in [("ana", "mli"), ("ben", "mli"), ("cid", "bfa")] {
        w.user(u, o, &[Role::Analyst]);
    }
    seed(store, &w).await;
    let shared = rule(
        20,
        aud("bfa", "cid", Marking::Amber, to_community("ecowas")),
    );
    let own = rule(
        21,
        aud(
            "mli",
            "ana",
            Marking::AmberStrict,
            Distribution::Organisation,
        ),
    );
    store.create_alert_rule(&shared, None).await.expect("rule");
    store.create_alert_rule(&own, None).await.expect("rule");
    let at = |day: u32| Utc.with_ymd_and_hms(2026, 3, day, 9, 30, 0).unwrap();
    let ack =
        |alert: u128, rule: &AlertRule, org: &str, user: &str, day: u32, note: Option<&str>| {
            vigie_core::AlertAck {
                alert: Uuid::from_u128(alert),
                rule: rule.id,
                org: org.into(),
                user: Some(user.into()),
                at: at(day),
                note: note.map(str::to_string),
            }
        };
    let entry = |user: &str, org: &str, alert: u128| crate::audit::NewAuditEntry {
        actor: Some(user.into()),
        actor_org: Some(org.into()),
        action: "acknowledge".into(),
        record_kind: Some("alert".into()),
        record_id: Some(Uuid::from_u128(alert).to_string()),
        detail: serde_json::json!({"marking": "TLP:AMBER"}),
    };
    let before = store.audit_entries(None, 0, 1000).await.unwrap().len();
    let (a1, a2, a3) = (301, 302, 303);
    let cid_first = ack(a1, &shared, "bfa", "cid", 1, Some("first look"));
    let ana_a1 = ack(a1, &shared, "mli", "ana", 2, None);
    let ana_a3 = ack(a3, &own, "mli", "ana", 3, Some("équipe envoyée"));
    for (k, by) in [(&cid_first, "cid"), (&ana_a1, "ana"), (&ana_a3, "ana")] {
        store
            .acknowledge_alert(k, Some(&entry(by, &k.org, k.alert.as_u128())))
            .await
            .expect("acknowledged");
    }
    // The same organisation again: its acknowledgement is replaced, not added.
    let cid_again = ack(a1, &shared, "bfa", "cid", 4, Some("handled"));
    store
        .acknowledge_alert(&cid_again, Some(&entry("cid", "bfa", a1)))
        .await
        .expect("acknowledged again");
    let entries = store.audit_entries(None, 0, 1000).await.unwrap();
    assert_eq!(
        entries.len() - before,
        4,
        "one audit entry per acknowledgement"
    );
    assert!(entries
        .iter()
        .rev()
        .take(4)
        .all(|e| e.action == "acknowledge" && e.record_kind.as_deref() == Some("alert")));

    let ids = [
        Uuid::from_u128(a1),
        Uuid::from_u128(a2),
        Uuid::from_u128(a3),
    ];
    // Both rules visible: every acknowledgement, oldest first, exactly as written.
    let ana = reader("ana", "mli", TODAY);
    assert_eq!(
        store.alert_acks(&ana, &ids).await.unwrap(),
        [ana_a1.clone(), ana_a3.clone(), cid_again.clone()]
    );
    // Only the shared rule: none of the own rule's acknowledgements.
    let cid = reader("cid", "bfa", TODAY);
    assert_eq!(
        store.alert_acks(&cid, &ids).await.unwrap(),
        [ana_a1.clone(), cid_again.clone()]
    );
    // Neither rule: nothing, as for alerts that were never acknowledged.
    let public = Viewer::public(super::sharing::day(TODAY));
    assert!(store.alert_acks(&public, &ids).await.unwrap().is_empty());
    assert!(store
        .alert_acks(&ana, &[Uuid::from_u128(a2)])
        .await
        .unwrap()
        .is_empty());
    assert!(store.alert_acks(&ana, &[]).await.unwrap().is_empty());
    // Deleting a rule removes its alerts' acknowledgements.
    store.delete_alert_rule(shared.id, None).await.unwrap();
    assert_eq!(store.alert_acks(&ana, &ids).await.unwrap(), [ana_a3]);
}

fn coverage(
    id: u128,
    countries: &[&str],
    complete: bool,
    audience: vigie_core::Audience,
) -> vigie_core::Coverage {
    vigie_core::Coverage {
        id: Uuid::from_u128(id),
        source: vigie_core::Source::Acled,
        file: format!("export-{id}.csv"),
        import_batch: None,
        countries: countries.iter().map(|c| c.to_string()).collect(),
        from: "2022-01".into(),
        until: "2024-06".into(),
        complete,
        basis: "an ACLED export is complete for the countries and period it holds".into(),
        basis_key: complete.then(|| "coverage.basis.acled".into()),
        recorded_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        audience,
    }
}

/// Coverage is a record: seen exactly by its audience (a partner knows only the coverage of
/// what it may see), read back exactly; a community's member states are kept with their dates.
pub async fn coverage_goes_through_the_gate(store: &dyn Store) {
    let mut w = World::new();
    w.org(PUBLIC_SOURCES_ORG, OrgKind::PublicSource)
        .org("mli", OrgKind::NationalAgency)
        .org("bfa", OrgKind::NationalAgency)
        .community("ecowas")
        .member("ecowas", "mli", "2000-01-01", Some("2025-01-29"))
        .member("ecowas", "bfa", "2000-01-01", None);
    for (u, o) in [("ana", "mli"), ("cid", "bfa")] {
        w.user(u, o, &[Role::Analyst]);
    }
    w.member_states.push(vigie_core::MemberState {
        community: "ecowas".into(),
        country: "MLI".into(),
        from: super::sharing::day("1975-05-28"),
        until: Some(super::sharing::day("2025-01-29")),
    });
    seed(store, &w).await;
    let public = coverage(1, &[], true, vigie_core::Audience::public());
    let own = coverage(
        2,
        &["MLI"],
        false,
        aud(
            "mli",
            "ana",
            Marking::AmberStrict,
            Distribution::Organisation,
        ),
    );
    let community = coverage(
        3,
        &["BFA", "NER"],
        true,
        aud("bfa", "cid", Marking::Amber, to_community("ecowas")),
    );
    for c in [&public, &own, &community] {
        store.create_coverage(c, None).await.expect("coverage");
    }
    assert!(
        store.create_coverage(&own, None).await.is_err(),
        "written twice"
    );
    let ids = |v: Viewer| async move {
        store
            .coverage(&v)
            .await
            .expect("coverage")
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(Viewer::public(super::sharing::day(TODAY))).await,
        [public.id]
    );
    // Mali's agency: its own, and the community's while Mali was a member.
    assert_eq!(
        ids(reader("ana", "mli", "2024-06-01")).await,
        [public.id, own.id, community.id]
    );
    assert_eq!(
        ids(reader("ana", "mli", "2025-01-29")).await,
        [public.id, own.id]
    );
    assert_eq!(
        ids(reader("cid", "bfa", TODAY)).await,
        [public.id, community.id]
    );
    let read = store.coverage(&reader("ana", "mli", TODAY)).await.unwrap();
    assert_eq!(read[1], own);

    let states = store.member_states(Some("ecowas")).await.unwrap();
    assert_eq!(states, w.member_states);
    assert!(store.member_states(Some("au")).await.unwrap().is_empty());
    let unknown = vigie_core::MemberState {
        community: "nowhere".into(),
        ..w.member_states[0].clone()
    };
    assert!(store.add_member_state(&unknown, None).await.is_err());
    assert!(
        store
            .add_member_state(&w.member_states[0], None)
            .await
            .is_err(),
        "twice"
    );
}
