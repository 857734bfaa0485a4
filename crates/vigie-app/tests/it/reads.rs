//! Reading through a `Reader` audits every restricted record it hands back, on every read,
//! and nothing else: the audit is the application layer's, so no channel can forget it.

use chrono::{NaiveDate, Utc};
use uuid::Uuid;
use vigie_app::audience::AudienceInput;
use vigie_app::author::Author;
use vigie_app::reads::Reader;
use vigie_app::records::{NewEvent, NewReport};
use vigie_app::rules::NewRule;
use vigie_app::tasks::NewTask;
use vigie_core::{
    Distribution, Level, Marking, OrgKind, Role, RuleKind, TaskType, User, Viewer, ViolenceCategory,
};
use vigie_store::world::World;
use vigie_store::{Directory, EventFilter, ReportFilter, Store, TaskFilter};
use vigie_store_sqlite::SqliteStore;

/// The `read` entries written since entry `after`: (record kind, the ids read, the
/// channel), in order.
async fn reads_since(store: &dyn Store, after: i64) -> Vec<(String, Vec<String>, Option<String>)> {
    let entries = store.audit_entries(None, after, 1000).await.unwrap();
    entries
        .into_iter()
        .filter(|e| e.action == "read")
        .map(|e| {
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
            let ids = detail["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let via = detail["via"].as_str().map(str::to_string);
            (e.record_kind.unwrap(), ids, via)
        })
        .collect()
}

async fn last_seq(store: &dyn Store) -> i64 {
    store
        .audit_entries(None, 0, 1000)
        .await
        .unwrap()
        .last()
        .map_or(0, |e| e.seq)
}

fn new_event(marking: Marking, day: &str) -> NewEvent {
    NewEvent {
        date: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
        date_end: None,
        country: Some("MLI".into()),
        admin1: Some("Gao".into()),
        location: None,
        latitude: Some(16.27),
        longitude: Some(-0.04),
        category: ViolenceCategory::StateBased,
        description: None,
        fatalities: Some(3),
        side_a: Some("A".into()),
        side_b: None,
        audience: AudienceInput {
            marking,
            distribution: if marking == Marking::Clear {
                Distribution::AllCommunities
            } else {
                Distribution::Organisation
            },
        },
    }
}

/// A national agency `org` and its analyst-publisher `ORG.ana` written into `store` (no
/// audit entries), and that user.
async fn agency(store: &SqliteStore, org: &str) -> User {
    let mut w = World::new();
    w.org(org, OrgKind::NationalAgency).user(
        &format!("{org}.ana"),
        org,
        &[Role::Analyst, Role::Publisher],
    );
    w.seed(store, &|p| vigie_app::accounts::hash_password(p))
        .await
        .unwrap();
    w.users[0].user()
}

#[tokio::test]
async fn every_read_audits_the_restricted_records_it_hands_back_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    let user = agency(&store, "mli").await;
    let viewer = Viewer::for_user(&user, Utc::now().date_naive()).unwrap();
    let author = Author::new(&store, &user, &viewer);

    let (amber, _) =
        vigie_app::records::create_event(&author, new_event(Marking::Amber, "2024-03-01"))
            .await
            .unwrap();
    let (clear, _) =
        vigie_app::records::create_event(&author, new_event(Marking::Clear, "2024-03-02"))
            .await
            .unwrap();
    let amber_id = amber.id.to_string();
    let report = vigie_app::records::create_report(
        &author,
        NewReport {
            title: "Gao".into(),
            body: "text".into(),
            country: Some("MLI".into()),
            admin1: None,
            status: None,
            audience: AudienceInput {
                marking: Marking::Amber,
                distribution: Distribution::Organisation,
            },
        },
    )
    .await
    .unwrap();
    let report_id = report.id.to_string();

    let reader = Reader::new(&store, &viewer);
    let all = EventFilter::default();
    let event = |ids: &[&str]| {
        (
            "event".to_string(),
            ids.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            None,
        )
    };

    // Each read, and the entries it alone wrote.
    let before = last_seq(&store).await;
    assert_eq!(reader.events(&all).await.unwrap().len(), 2);
    assert_eq!(reads_since(&store, before).await, vec![event(&[&amber_id])]);

    let before = last_seq(&store).await;
    assert_eq!(reader.event_page(&all).await.unwrap().total, 2);
    assert_eq!(reads_since(&store, before).await, vec![event(&[&amber_id])]);

    let before = last_seq(&store).await;
    assert!(reader.event(amber.id).await.unwrap().is_some());
    assert!(reader.event(clear.id).await.unwrap().is_some());
    assert!(reader.event(Uuid::new_v4()).await.unwrap().is_none());
    assert!(reader.event_with_history(amber.id).await.unwrap().is_some());
    assert_eq!(
        reads_since(&store, before).await,
        vec![event(&[&amber_id]), event(&[&amber_id])]
    );

    let before = last_seq(&store).await;
    let mut seen = 0;
    let handed = reader
        .each_event::<anyhow::Error>(&all, |_| {
            seen += 1;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!((handed, seen), (2, 2));
    assert_eq!(reader.event_points(&all).await.unwrap().len(), 2);
    assert_eq!(
        reads_since(&store, before).await,
        vec![event(&[&amber_id]), event(&[&amber_id])]
    );

    // Aggregates carry no record: nothing to audit.
    let before = last_seq(&store).await;
    reader.count_events(&all).await.unwrap();
    reader
        .stats(vigie_store::StatsBy::CountryMonth, &all)
        .await
        .unwrap();
    reader.grid_cells(&all, true).await.unwrap();
    assert_eq!(reads_since(&store, before).await, vec![]);

    // Reports.
    let before = last_seq(&store).await;
    assert_eq!(
        reader
            .report_page(&ReportFilter::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert!(reader.report(report.id).await.unwrap().is_some());
    let report_read = ("report".to_string(), vec![report_id.clone()], None);
    assert_eq!(
        reads_since(&store, before).await,
        vec![report_read.clone(), report_read]
    );

    // An export: its start and its end, with the restricted ids it carried.
    let before = last_seq(&store).await;
    let mut export = reader.export(&all, "csv").await.unwrap();
    let mut exported = 0;
    while let Some(e) = export.next().await {
        e.unwrap();
        exported += 1;
    }
    export.finish(true).await.unwrap();
    assert_eq!(exported, 2);
    let entries = store.audit_entries(None, before, 1000).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export", "export-finished"]);
    let end: serde_json::Value = serde_json::from_str(&entries[1].detail).unwrap();
    assert_eq!(end["restricted_ids"], serde_json::json!([amber_id]));
    assert_eq!(end["events"], 2);

    // Another channel names itself.
    let before = last_seq(&store).await;
    Reader::new(&store, &viewer)
        .via("cli")
        .event(amber.id)
        .await
        .unwrap();
    assert_eq!(
        reads_since(&store, before).await,
        vec![(
            "event".to_string(),
            vec![amber_id.clone()],
            Some("cli".to_string())
        )]
    );

    // Tasks and alert rules: the same.
    let amber = || AudienceInput {
        marking: Marking::Amber,
        distribution: Distribution::Organisation,
    };
    let task = vigie_app::tasks::create_task(
        &author,
        NewTask {
            title: "Mediation in Gao".into(),
            task_type: TaskType::Mediation,
            countries: vec!["MLI".into()],
            regions: Vec::new(),
            effort_days: 10.0,
            budget: 0.0,
            deadline: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            priority: None,
            depends_on: Vec::new(),
            consent_required: false,
            consent_obtained: false,
            alert: None,
            audience: amber(),
        },
    )
    .await
    .unwrap();
    let rule = vigie_app::rules::create_rule(
        &author,
        NewRule {
            name: "Mali".into(),
            rule: RuleKind::Surge {
                level: Level::Country,
            },
            units: vec!["MLI".into()],
            scope: None,
            webhook: None,
            audience: amber(),
        },
        &vigie_app::webhook::AllowList::default(),
    )
    .await
    .unwrap();
    let before = last_seq(&store).await;
    assert_eq!(reader.tasks(&TaskFilter::default()).await.unwrap().len(), 1);
    assert!(reader.task(task.id).await.unwrap().is_some());
    assert_eq!(reader.alert_rules().await.unwrap().len(), 1);
    assert!(reader.alert_rule(rule.id).await.unwrap().is_some());
    assert!(reader
        .forecast_runs(Some(Level::Country))
        .await
        .unwrap()
        .is_empty());
    let one = |kind: &str, id: Uuid| (kind.to_string(), vec![id.to_string()], None);
    assert_eq!(
        reads_since(&store, before).await,
        vec![
            one("task", task.id),
            one("task", task.id),
            one("alert-rule", rule.id),
            one("alert-rule", rule.id),
        ]
    );
}

/// Issue 18, bug 3: "Tillabéri region" (UCDP) and "Tillabéri" (a monitor) are one region in
/// the statistics by region, the map's top-regions table among them.
#[tokio::test]
async fn statistics_by_region_name_each_region_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).await.unwrap();
    let user = agency(&store, "ner").await;
    let viewer = Viewer::for_user(&user, Utc::now().date_naive()).unwrap();
    let author = Author::new(&store, &user, &viewer);
    for (day, admin1) in [
        ("2024-03-01", "Tillabéri region"),
        ("2024-03-02", "Tillabéri"),
        ("2024-04-02", "Tillabéri"),
        ("2024-03-03", "Dosso region"),
    ] {
        let mut e = new_event(Marking::Clear, day);
        e.country = Some("NER".into());
        e.admin1 = Some(admin1.into());
        vigie_app::records::create_event(&author, e).await.unwrap();
    }
    let reader = Reader::new(&store, &viewer);
    let rows = reader
        .stats(vigie_store::StatsBy::Admin1, &EventFilter::default())
        .await
        .unwrap();
    let got: Vec<(&str, i64, i64)> = rows
        .iter()
        .map(|r| (r.admin1.as_deref().unwrap(), r.events, r.fatalities))
        .collect();
    assert_eq!(got, vec![("Dosso", 1, 3), ("Tillabéri", 3, 9)]);
    let rows = reader
        .stats(vigie_store::StatsBy::Admin1Month, &EventFilter::default())
        .await
        .unwrap();
    let got: Vec<(&str, &str, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.admin1.as_deref().unwrap(),
                r.month.as_deref().unwrap(),
                r.events,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Dosso", "2024-03", 1),
            ("Tillabéri", "2024-03", 2),
            ("Tillabéri", "2024-04", 1),
        ]
    );
}
