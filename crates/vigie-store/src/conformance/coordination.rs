//! Response coordination in the store: profiles read back exactly; tasks and their history
//! go through the gate like every record.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use vigie_core::{
    Advantage, Audience, CapacityPeriod, CoordinationProfile, Distribution, Marking, OrgKind,
    OrgLevel, Role, ScopeWindow, Task, TaskStatus, TaskType,
};

use super::seed;
use super::sharing::{aud, reader, to_community, TODAY};
use crate::world::World;
use crate::{Store, TaskEvent, TaskFilter};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn profile(org: &str, level: OrgLevel) -> CoordinationProfile {
    CoordinationProfile {
        org: org.into(),
        level,
        mandates: vec![TaskType::Mediation, TaskType::EarlyWarning],
        scope: vec![ScopeWindow {
            country: "MLI".into(),
            from: d("2000-01-01"),
            until: Some(d("2025-01-29")),
            consent_required: false,
        }],
        capacity: vec![CapacityPeriod {
            from: d("2026-01-01"),
            until: d("2027-01-01"),
            person_days: 120.0,
            budget: 50_000.5,
        }],
        advantages: vec![Advantage {
            task_type: TaskType::Mediation,
            score: 0.75,
            rationale: "Algiers agreement mediation team".into(),
        }],
    }
}

fn task(id: u128, status: TaskStatus, audience: Audience) -> Task {
    let at = Utc.with_ymd_and_hms(2026, 2, 1, 8, 0, 0).unwrap();
    Task {
        id: Uuid::from_u128(id),
        title: format!("task {id}"),
        task_type: TaskType::Mediation,
        countries: vec!["MLI".into(), "BFA".into()],
        regions: vec!["MLI/Mopti".into()],
        effort_days: 12.5,
        budget: 3000.0,
        deadline: d("2026-03-01") + chrono::Duration::days(id as i64),
        priority: 4,
        depends_on: vec![],
        hidden_dependencies: 0,
        consent_required: true,
        consent_obtained: false,
        alert: Some(Uuid::from_u128(500 + id)),
        status,
        assignee: None,
        declined_by: vec![],
        outcome: None,
        created_at: at,
        updated_at: at,
        audience,
    }
}

/// The note of every task's creation in these tests.
const NOTE: &str = "from alert";

/// The secretariat's analyst creates an open task: the first entry of its history.
fn created() -> TaskEvent {
    TaskEvent {
        at: Utc.with_ymd_and_hms(2026, 2, 1, 8, 0, 0).unwrap(),
        actor: Some("sec".into()),
        actor_org: Some("secretariat".into()),
        from_status: None,
        to_status: TaskStatus::Open,
        org: None,
        note: Some(NOTE.into()),
    }
}

/// The secretariat's analyst proposes an open task to the AU.
fn proposed_to_au(at: DateTime<Utc>) -> TaskEvent {
    TaskEvent {
        at,
        actor: Some("sec".into()),
        actor_org: Some("secretariat".into()),
        from_status: Some(TaskStatus::Open),
        to_status: TaskStatus::Proposed,
        org: Some("au".into()),
        note: None,
    }
}

/// A task of the secretariat, created by its analyst.
fn by_sec(marking: Marking, distribution: Distribution) -> Audience {
    aud("secretariat", "sec", marking, distribution)
}

fn to_tripartite() -> Distribution {
    to_community("tripartite")
}

/// The secretariat and the AU, both of the tripartite community, and the secretariat's
/// analyst, who creates the tasks.
fn tripartite() -> World {
    let mut w = World::new();
    w.org("secretariat", OrgKind::AdHocCoalition)
        .org("au", OrgKind::Continental)
        .community("tripartite")
        .member("tripartite", "secretariat", "2024-01-01", None)
        .member("tripartite", "au", "2024-01-01", None)
        .user("sec", "secretariat", &[Role::Analyst]);
    w
}

pub async fn tasks_go_through_the_gate(store: &dyn Store) {
    // Tasks: one for the tripartite community, one for the secretariat alone.
    let shared = task(1, TaskStatus::Open, by_sec(Marking::Amber, to_tripartite()));
    let own = task(
        2,
        TaskStatus::Open,
        by_sec(Marking::AmberStrict, Distribution::Organisation),
    );
    let mut p = profile("au", OrgLevel::Continental);
    let mut w = tripartite();
    w.org("mli", OrgKind::NationalAgency)
        .profile(p.clone())
        .profile(profile("mli", OrgLevel::National))
        .noted_task(shared.clone(), NOTE)
        .noted_task(own.clone(), NOTE);
    seed(store, &w).await;

    // Profiles: written, replaced, read back exactly.
    p.advantages[0].score = 0.9;
    store.set_coordination_profile(&p, None).await.unwrap();
    assert_eq!(
        store.coordination_profile("au").await.unwrap(),
        Some(p.clone())
    );
    let all = store.coordination_profiles().await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.org.as_str()).collect::<Vec<_>>(),
        ["au", "mli"]
    );
    assert_eq!(store.coordination_profile("un").await.unwrap(), None);

    // A task is created once.
    assert!(store.create_task(&own, &created(), None).await.is_err());
    let ids = |v: vigie_core::Viewer, f: TaskFilter| async move {
        store
            .tasks(&v, &f)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    let sec = reader("sec", "secretariat", TODAY);
    let au = reader("a", "au", TODAY);
    let mli = reader("m", "mli", TODAY);
    assert_eq!(
        ids(sec.clone(), TaskFilter::default()).await,
        [shared.id, own.id]
    );
    assert_eq!(ids(au.clone(), TaskFilter::default()).await, [shared.id]);
    assert!(ids(mli.clone(), TaskFilter::default()).await.is_empty());
    assert_eq!(store.task(&sec, own.id).await.unwrap(), Some(own.clone()));
    assert_eq!(store.task(&au, own.id).await.unwrap(), None);
    assert_eq!(store.task(&mli, shared.id).await.unwrap(), None);
    assert!(store.task_events(&mli, shared.id).await.unwrap().is_empty());

    // Filters narrow.
    let f = |status, assignee: Option<&str>, alert, country: Option<&str>| TaskFilter {
        status,
        assignee: assignee.map(str::to_string),
        alert,
        country: country.map(str::to_string),
    };
    assert_eq!(
        ids(sec.clone(), f(None, None, Some(Uuid::from_u128(502)), None)).await,
        [own.id]
    );
    assert_eq!(
        ids(sec.clone(), f(None, None, None, Some("bfa")))
            .await
            .len(),
        2
    );
    assert!(ids(sec.clone(), f(None, None, None, Some("NER")))
        .await
        .is_empty());

    // An update changes the task and appends to its history, in order.
    let mut moved = shared.clone();
    moved.status = TaskStatus::Proposed;
    moved.assignee = Some("au".into());
    moved.consent_obtained = true;
    moved.updated_at = Utc.with_ymd_and_hms(2026, 2, 2, 8, 0, 0).unwrap();
    let proposal = proposed_to_au(moved.updated_at);
    store
        .update_tasks(&[(moved.clone(), proposal.clone())], None)
        .await
        .unwrap();
    // Another organisation reads the task without its creator's name (threat 13).
    let mut as_au = moved.clone();
    as_au.audience.creator = None;
    assert_eq!(store.task(&au, shared.id).await.unwrap(), Some(as_au));
    assert_eq!(
        ids(
            au.clone(),
            f(Some(TaskStatus::Proposed), Some("au"), None, None)
        )
        .await,
        [shared.id]
    );
    let history = store.task_events(&au, shared.id).await.unwrap();
    assert_eq!(history, vec![created(), proposal]);
}

/// A task's dependencies as each reader gets them: the ones the reader may see by id, the
/// others (hidden or missing, alike) only counted (threat 31). An update never touches the
/// dependencies, so a writer who read them in part cannot erase the rest.
pub async fn dependencies_name_only_visible_tasks(store: &dyn Store) {
    let own = by_sec(Marking::Amber, Distribution::Organisation);
    let shared = by_sec(Marking::Amber, to_tripartite());
    let hidden = task(1, TaskStatus::Open, own);
    let seen = task(2, TaskStatus::Open, shared.clone());
    let mut follow = task(3, TaskStatus::Open, shared);
    follow.depends_on = vec![hidden.id, seen.id, Uuid::from_u128(404)];
    let mut w = tripartite();
    for t in [&hidden, &seen, &follow] {
        w.noted_task(t.clone(), NOTE);
    }
    seed(store, &w).await;
    let sec = reader("sec", "secretariat", TODAY);
    let au = reader("a", "au", TODAY);
    let deps = |t: Option<Task>| {
        let t = t.expect("visible");
        (t.depends_on, t.hidden_dependencies)
    };
    assert_eq!(
        deps(store.task(&sec, follow.id).await.unwrap()),
        (vec![hidden.id, seen.id], 1),
        "a missing task counts like a hidden one"
    );
    assert_eq!(
        deps(store.task(&au, follow.id).await.unwrap()),
        (vec![seen.id], 2)
    );
    let listed = store.tasks(&au, &TaskFilter::default()).await.unwrap();
    let got = listed.iter().find(|t| t.id == follow.id).cloned();
    assert_eq!(deps(got), (vec![seen.id], 2));
    // The AU reads it in part and writes it back: nothing of the rest is lost.
    let mut moved = store.task(&au, follow.id).await.unwrap().unwrap();
    moved.status = TaskStatus::Proposed;
    moved.assignee = Some("au".into());
    let step = proposed_to_au(moved.updated_at);
    store.update_tasks(&[(moved, step)], None).await.unwrap();
    assert_eq!(
        deps(store.task(&sec, follow.id).await.unwrap()),
        (vec![hidden.id, seen.id], 1)
    );
    // An update of a task that does not exist changes nothing at all.
    let mut ghost = seen.clone();
    ghost.id = Uuid::from_u128(77);
    let mut real = store.task(&sec, seen.id).await.unwrap().unwrap();
    real.title = "renamed".into();
    let step = created();
    assert!(store
        .update_tasks(&[(real, step.clone()), (ghost, step)], None)
        .await
        .is_err());
    assert_eq!(
        store.task(&sec, seen.id).await.unwrap().unwrap().title,
        seen.title
    );
}
