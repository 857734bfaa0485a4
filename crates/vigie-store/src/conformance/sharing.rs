//! The sharing model (docs/sharing.md) at the store level, on every backend: who sees which
//! record through every read of [`crate::Records`], and the [`crate::Directory`] operations
//! it rests on (memberships, sharing groups, sessions, tokens, the audit log).
//!
//! Every visibility check asserts the *exact* set of records a viewer sees, through every
//! channel at once ([`assert_sees_events`], [`assert_sees_reports`]), so that a record
//! leaking through one read, or missing from one, fails.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use vigie_core::{
    Audience, Community, Distribution, Event, Marking, Membership, OrgKind, Organisation, Report,
    ReportStatus, Role, SharingGroup, User, Viewer,
};

use super::{corpus, event, import, listed, seed, vigie_event};
use crate::audit::{entry_hash, NewAuditEntry};
use crate::world::World;
use crate::{
    ApiToken, EventFilter, ImportCounts, RecordKind, ReportFilter, Session, StatsBy, Store,
    StoreError, TokenScope, UserChange,
};

// ---------------------------------------------------------------------------------------
// Fixtures.

pub(super) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// A day on which no membership of these tests begins or ends.
pub(super) const TODAY: &str = "2026-01-01";

/// ECOWAS, the organisation and the community, whose members since 2000 are the agencies
/// of Mali and Senegal (not the organisation itself).
fn ecowas() -> World {
    let mut w = World::new();
    w.org("ecowas", OrgKind::Regional)
        .org("mli-agency", OrgKind::NationalAgency)
        .org("sen-agency", OrgKind::NationalAgency)
        .community("ecowas")
        .member("ecowas", "mli-agency", "2000-01-01", None)
        .member("ecowas", "sen-agency", "2000-01-01", None);
    w
}

/// A reader of `org` on `on`. Roles do not matter for reading; tests that say otherwise
/// build their viewer with [`Viewer::user`] directly.
pub(super) fn reader(user: &str, org: &str, on: &str) -> Viewer {
    Viewer::user(user, org, &[Role::Reader], day(on))
}

pub(super) fn aud(
    owner: &str,
    creator: &str,
    marking: Marking,
    distribution: Distribution,
) -> Audience {
    let a = Audience {
        owner: owner.into(),
        creator: Some(creator.into()),
        marking,
        distribution,
    };
    a.check().expect("the tests write only valid audiences");
    a
}

pub(super) fn to_community(id: &str) -> Distribution {
    Distribution::Community { id: id.into() }
}

fn to_group(id: &str) -> Distribution {
    Distribution::SharingGroup { id: id.into() }
}

fn to_orgs(orgs: &[&str]) -> Distribution {
    Distribution::Organisations {
        orgs: orgs.iter().map(|o| o.to_string()).collect(),
    }
}

pub(super) fn to_users(users: &[&str]) -> Distribution {
    Distribution::Recipients {
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

/// An event written in Vigie, in `country`'s "Region". It keeps the public owner and
/// marking of [`event`]: the store takes both from the audience it is written under.
fn vigie(source_id: &str, country: &str, date: &str, best: i64) -> Event {
    vigie_event(source_id, country, "Region", date, best)
}

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 20, h, 0, 0)
        .single()
        .expect("time")
}

/// A report titled `title` under `audience`.
fn report(title: &str, audience: &Audience) -> Report {
    Report {
        id: Uuid::now_v7(),
        title: title.into(),
        body: format!("What we know about {title}."),
        country: Some("MLI".into()),
        admin1: None,
        status: ReportStatus::Published,
        version: 1,
        created_at: at(8),
        updated_at: at(9),
        audience: audience.clone(),
    }
}

/// Adds an event (in Mali, on 2025-03-01, one dead) and a report, both named `name`, under
/// `audience`.
fn event_and_report(w: &mut World, name: &str, audience: &Audience) {
    w.event(vigie(name, "MLI", "2025-03-01", 1), audience.clone())
        .report(report(name, audience));
}

/// The events of `w` as the store keeps them, and its reports.
fn written(w: &World) -> (Vec<Event>, Vec<Report>) {
    let events = w.events.iter().map(|e| e.stored()).collect();
    (events, w.reports.clone())
}

// ---------------------------------------------------------------------------------------
// What a viewer sees, through every channel.

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Asserts that a list of `what` gave `viewer` the names in `want`, each once, and that the
/// count of the same `what` is their number.
fn assert_listed(what: &str, viewer: &Viewer, listed: Vec<String>, count: u64, want: &[&str]) {
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        set(want),
        "{what} listed for {viewer:?}"
    );
    assert_eq!(listed.len(), want.len(), "listed once each, for {viewer:?}");
    assert_eq!(count, want.len() as u64, "count of {what} for {viewer:?}");
}

/// Asserts that `viewer` sees exactly the events of `all` (every event in the store) whose
/// source ids are in `want`, through every read of events: the list, its count, get by id,
/// get by source id, statistics and map cells (whose totals must add up to `want`'s).
async fn assert_sees_events(store: &dyn Store, viewer: &Viewer, all: &[Event], want: &[&str]) {
    let want_set = set(want);
    assert_eq!(want_set.len(), want.len(), "duplicate in {want:?}");
    let everything = EventFilter::default();
    assert_listed(
        "events",
        viewer,
        listed(store, viewer, &everything).await,
        store
            .count_events(viewer, &everything)
            .await
            .expect("count"),
        want,
    );
    let mut fatalities = 0;
    for e in all {
        let visible = want_set.contains(&e.source_id);
        if visible {
            fatalities += e.fatalities.best.unwrap_or(0);
        }
        let got = store.event(viewer, e.id).await.expect("get");
        assert_eq!(
            got.as_ref().map(|(g, _)| g.id),
            visible.then_some(e.id),
            "event {} by id, for {viewer:?}",
            e.source_id
        );
        let got = store
            .event_by_source(viewer, e.source, &e.source_id)
            .await
            .expect("get by source");
        assert_eq!(
            got.as_ref().map(|(g, _)| g.id),
            visible.then_some(e.id),
            "event {} by source id, for {viewer:?}",
            e.source_id
        );
    }
    for by in [StatsBy::CountryMonth, StatsBy::Admin1Month] {
        let rows = store.stats(viewer, by, &everything).await.expect("stats");
        assert_eq!(
            (
                rows.iter().map(|r| r.events).sum::<i64>(),
                rows.iter().map(|r| r.fatalities).sum::<i64>()
            ),
            (want.len() as i64, fatalities),
            "stats {by:?} for {viewer:?}"
        );
    }
    super::rollup::assert_numbers_match_list(store, viewer, &everything).await;
    let cells = store
        .grid_cells(viewer, &everything, false)
        .await
        .expect("cells");
    assert_eq!(
        (
            cells.iter().map(|c| c.events).sum::<i64>(),
            cells.iter().map(|c| c.fatalities).sum::<i64>()
        ),
        (want.len() as i64, fatalities),
        "grid cells for {viewer:?}"
    );
}

/// Asserts that `viewer` sees exactly the reports of `all` (every report in the store)
/// titled as in `want`: in the list, its count, and by id.
async fn assert_sees_reports(store: &dyn Store, viewer: &Viewer, all: &[Report], want: &[&str]) {
    let want_set = set(want);
    let everything = ReportFilter::default();
    let listed = store.reports(viewer, &everything).await.expect("reports");
    assert_listed(
        "reports",
        viewer,
        listed.into_iter().map(|r| r.title).collect(),
        store
            .count_reports(viewer, &everything)
            .await
            .expect("count"),
        want,
    );
    for r in all {
        let got = store.report(viewer, r.id).await.expect("get");
        assert_eq!(
            got.map(|g| g.id),
            want_set.contains(&r.title).then_some(r.id),
            "report {} by id, for {viewer:?}",
            r.title
        );
        // The gate over an unwritten record (an audience preview) says the same.
        assert_eq!(
            store
                .could_read(viewer, &r.audience)
                .await
                .expect("could_read"),
            want_set.contains(&r.title),
            "could_read of report {}'s audience, for {viewer:?}",
            r.title
        );
    }
}

/// Both of the above.
async fn assert_sees(
    store: &dyn Store,
    viewer: &Viewer,
    events: &[Event],
    reports: &[Report],
    want: &[&str],
) {
    assert_sees_events(store, viewer, events, want).await;
    assert_sees_reports(store, viewer, reports, want).await;
}

fn source_ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.source_id.as_str()).collect()
}

fn with<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    a.iter().chain(b).copied().collect()
}

// ---------------------------------------------------------------------------------------
// 1. Membership is judged at read time.

/// Mali leaves ECOWAS on 2025-01-29: on the 28th its agency sees what was shared with the
/// community (and with all communities), on the 29th nothing, through every read; Senegal
/// sees it on both days; Ghana, joining later, sees what was shared before it joined.
pub async fn leaving_a_community_ends_its_reach(store: &dyn Store) {
    let mut w = World::new();
    w.org("ecowas", OrgKind::Regional);
    for o in ["mli-agency", "sen-agency", "gha-agency"] {
        w.org(o, OrgKind::NationalAgency);
    }
    w.org("ngo-x", OrgKind::Ngo)
        .user("amina", "ecowas", &[Role::Publisher])
        .community("ecowas")
        .member("ecowas", "mli-agency", "2000-01-01", None)
        .member("ecowas", "sen-agency", "2000-01-01", None)
        .member("ecowas", "gha-agency", "2025-02-01", None);
    // The owner organisation is not itself a member of the community: it sees as owner.
    let community_green = aud("ecowas", "amina", Marking::Green, to_community("ecowas"));
    let all_green = aud(
        "ecowas",
        "amina",
        Marking::Green,
        Distribution::AllCommunities,
    );
    w.event(
        vigie("to-ecowas", "MLI", "2025-01-10", 4),
        community_green.clone(),
    )
    .event(vigie("to-all", "SEN", "2025-01-11", 6), all_green.clone())
    .report(report("to-ecowas", &community_green))
    .report(report("to-all", &all_green));
    seed(store, &w).await;
    let (to_ecowas, to_all) = (w.events[0].stored(), w.events[1].stored());
    let reports = w.reports.clone();

    // What was written is what is read back: the store takes owner and marking from the
    // audience, and the row's content hash is that of what it stored, so that writing
    // the same event again (here by an import) changes nothing.
    let owner_view = reader("amina", "ecowas", TODAY);
    let (stored, audience) = store
        .event(&owner_view, to_ecowas.id)
        .await
        .expect("get")
        .expect("the owner sees its event");
    assert_eq!(audience, community_green);
    assert_eq!(stored, to_ecowas);
    assert_eq!(
        import(store, std::slice::from_ref(&stored)).await,
        ImportCounts {
            inserted: 0,
            updated: 0,
            unchanged: 1
        },
        "a created event's content hash covers its owner and marking as stored"
    );
    // A second version, so that the event has a history to hide.
    let mut v2 = stored.clone();
    v2.fatalities.best = Some(5);
    assert_eq!(import(store, std::slice::from_ref(&v2)).await.updated, 1);
    let (now, audience) = store
        .event(&owner_view, to_ecowas.id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(
        audience, community_green,
        "a new version keeps its audience"
    );
    let events = vec![now, to_all];

    const BOTH: &[&str] = &["to-ecowas", "to-all"];
    let check = |who: &'static str, org: &'static str, on: &'static str, want: &'static [&str]| {
        let (events, reports) = (&events, &reports);
        async move {
            let v = reader(who, org, on);
            assert_sees_events(store, &v, events, want).await;
            assert_sees_reports(store, &v, reports, want).await;
            let history = store
                .event_history(&v, events[0].id)
                .await
                .expect("history");
            let want_history = if want.contains(&"to-ecowas") {
                vec![(1, Some(4))]
            } else {
                vec![]
            };
            assert_eq!(
                history
                    .iter()
                    .map(|h| (h.version, h.event.fatalities.best))
                    .collect::<Vec<_>>(),
                want_history,
                "history for {v:?}"
            );
        }
    };

    // Before Mali leaves, it is a member on the 29th too: membership is read, not cached.
    check("moussa", "mli-agency", "2025-01-29", BOTH).await;
    assert!(store
        .end_membership("ecowas", "mli-agency", day("2025-01-29"), None)
        .await
        .expect("end"));

    check("amina", "ecowas", "2025-01-28", BOTH).await;
    check("amina", "ecowas", "2025-01-29", BOTH).await;
    check("moussa", "mli-agency", "1999-12-31", &[]).await;
    check("moussa", "mli-agency", "2000-01-01", BOTH).await;
    check("moussa", "mli-agency", "2025-01-28", BOTH).await;
    check("moussa", "mli-agency", "2025-01-29", &[]).await;
    check("moussa", "mli-agency", TODAY, &[]).await;
    check("awa", "sen-agency", "2025-01-28", BOTH).await;
    check("awa", "sen-agency", "2025-01-29", BOTH).await;
    check("kofi", "gha-agency", "2025-01-31", &[]).await;
    check("kofi", "gha-agency", "2025-02-01", BOTH).await;
    check("ong", "ngo-x", "2025-01-28", &[]).await;

    // All communities means a membership of any community: Mali joins the Alliance of
    // Sahel States on the day it leaves ECOWAS, and sees what went to all communities,
    // but still not what went to ECOWAS.
    seed(
        store,
        World::new()
            .community("aes")
            .member("aes", "mli-agency", "2025-01-29", None),
    )
    .await;
    check("moussa", "mli-agency", "2025-01-28", BOTH).await;
    check("moussa", "mli-agency", "2025-01-29", &["to-all"]).await;
    check("ong", "ngo-x", "2025-01-29", &[]).await;
}

// ---------------------------------------------------------------------------------------
// 2. Sharing groups as listed now; AMBER+STRICT only to named organisations.

/// TLP:AMBER to a sharing group reaches its members as listed at the read (not its owner,
/// unless listed); TLP:AMBER+STRICT reaches the named organisations only, never the other
/// members of a community.
pub async fn amber_follows_the_group_and_strict_only_named_orgs(store: &dyn Store) {
    let mut w = ecowas();
    w.org("un-ocha", OrgKind::Un)
        .group("sahel-watch", "sen-agency", &["mli-agency"]);
    let a = |m, d| aud("ecowas", "amina", m, d);
    for (name, audience) in [
        ("group", a(Marking::Amber, to_group("sahel-watch"))),
        ("no-such-group", a(Marking::Amber, to_group("ghost"))),
        ("community", a(Marking::Amber, to_community("ecowas"))),
        ("strict-un", a(Marking::AmberStrict, to_orgs(&["un-ocha"]))),
        (
            "strict-own",
            a(Marking::AmberStrict, Distribution::Organisation),
        ),
    ] {
        event_and_report(&mut w, name, &audience);
    }
    seed(store, &w).await;
    let (events, reports) = written(&w);
    let all = source_ids(&events);
    let sees = |org: &str, want: &[&str]| {
        let v = reader("someone", org, TODAY);
        let (events, reports) = (&events, &reports);
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        async move {
            let want: Vec<&str> = want.iter().map(String::as_str).collect();
            assert_sees(store, &v, events, reports, &want).await
        }
    };

    sees("ecowas", &all).await;
    sees("mli-agency", &["group", "community"]).await;
    sees("sen-agency", &["community"]).await; // owns the group, is not listed in it
    sees("un-ocha", &["strict-un"]).await;

    // The next read follows the members listed now.
    store
        .set_sharing_group_members(
            "sahel-watch",
            &["sen-agency".into(), "un-ocha".into()],
            None,
        )
        .await
        .expect("members");
    assert_eq!(
        store
            .sharing_group("sahel-watch")
            .await
            .expect("group")
            .expect("present")
            .members,
        vec!["sen-agency".to_string(), "un-ocha".to_string()]
    );
    sees("ecowas", &all).await;
    sees("mli-agency", &["community"]).await;
    sees("sen-agency", &["group", "community"]).await;
    sees("un-ocha", &["group", "strict-un"]).await;

    store
        .set_sharing_group_members("sahel-watch", &[], None)
        .await
        .expect("members");
    sees("ecowas", &all).await;
    sees("mli-agency", &["community"]).await;
    sees("sen-agency", &["community"]).await;
    sees("un-ocha", &["strict-un"]).await;
}

// ---------------------------------------------------------------------------------------
// 3. TLP:RED.

/// TLP:RED reaches its creator and named recipients only: not the rest of the owner
/// organisation, not its org-admin or site-admin, not the recipient's colleagues.
pub async fn red_reaches_creator_and_recipients_only(store: &dyn Store) {
    let mut w = World::new();
    w.org("ecowas", OrgKind::Regional)
        .org("mli-agency", OrgKind::NationalAgency)
        .community("ecowas")
        .member("ecowas", "ecowas", "2000-01-01", None)
        .member("ecowas", "mli-agency", "2000-01-01", None);
    let people: [(&str, &str, &[Role]); 5] = [
        ("amina", "ecowas", &[Role::Analyst]),
        ("kofi", "ecowas", &[Role::Publisher, Role::OrgAdmin]),
        (
            "root",
            "ecowas",
            &[Role::SiteAdmin, Role::OrgAdmin, Role::Publisher],
        ),
        ("moussa", "mli-agency", &[Role::Reader]),
        ("awa", "mli-agency", &[Role::Reader, Role::Sync]),
    ];
    for (id, o, roles) in people {
        w.user(id, o, roles);
    }
    let red = aud("ecowas", "amina", Marking::Red, to_users(&["moussa"]));
    let back = aud("ecowas", "kofi", Marking::Red, to_users(&["amina", "awa"]));
    w.event(vigie("red", "MLI", "2025-03-01", 2), red.clone())
        .event(vigie("red-back", "MLI", "2025-03-02", 3), back.clone())
        .report(report("red", &red))
        .report(report("red-back", &back));
    seed(store, &w).await;
    let (events, reports) = written(&w);
    for (id, o, roles) in people {
        let want: &[&str] = match id {
            "amina" => &["red", "red-back"],
            "kofi" => &["red-back"],
            "moussa" => &["red"],
            "awa" => &["red-back"],
            _ => &[],
        };
        let v = Viewer::user(id, o, roles, day(TODAY));
        assert_sees_events(store, &v, &events, want).await;
        assert_sees_reports(store, &v, &reports, want).await;
    }
    // The recipients come back as written.
    let (_, got) = store
        .event(&reader("amina", "ecowas", TODAY), events[1].id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(got, back);
    // The creator's name reaches the owner organisation and the creator, never a reader of
    // another organisation (threat 13: other organisations' user directories stay hidden).
    let moussa = reader("moussa", "mli-agency", TODAY);
    let (_, got) = store
        .event(&moussa, events[0].id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!((got.owner.as_str(), got.creator), ("ecowas", None));
    let got = store.report(&moussa, reports[0].id).await.expect("get");
    assert_eq!(got.expect("present").audience.creator, None);
    let (_, got) = store
        .event(&reader("awa", "mli-agency", TODAY), events[1].id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(got.creator, None);
    let (_, got) = store
        .event(&reader("kofi", "ecowas", TODAY), events[1].id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(got.creator.as_deref(), Some("kofi"));
}

// ---------------------------------------------------------------------------------------
// 4. The site-admin role reads nothing extra.

/// A site-admin of the platform's organisation sees what any user of it sees: the public
/// records and its own organisation's, not another organisation's AMBER records.
pub async fn site_admin_reads_nothing_extra(store: &dyn Store) {
    let public = corpus();
    import(store, &public).await;
    let by_amina = |m, d| aud("ecowas", "amina", m, d);
    let amber_own = by_amina(Marking::Amber, Distribution::Organisation);
    let green_all = by_amina(Marking::Green, Distribution::AllCommunities);
    let platform_own = aud(
        "platform",
        "root",
        Marking::Amber,
        Distribution::Organisation,
    );
    let mut w = World::new();
    w.org("platform", OrgKind::Ngo)
        .org("ecowas", OrgKind::Regional)
        .community("ecowas")
        .member("ecowas", "ecowas", "2000-01-01", None)
        .event(
            vigie("amber-own", "MLI", "2025-03-01", 7),
            amber_own.clone(),
        )
        .event(vigie("green-all", "MLI", "2025-03-01", 8), green_all)
        .event(vigie("platform-own", "MLI", "2025-03-01", 9), platform_own)
        .report(report("amber-own", &amber_own));
    seed(store, &w).await;
    let (written_events, reports) = written(&w);
    let events = [public.clone(), written_events].concat();
    let corpus_ids = source_ids(&public);
    for roles in [
        vec![Role::SiteAdmin],
        Role::ALL.to_vec(),
        vec![Role::Reader],
    ] {
        let v = Viewer::user("root", "platform", &roles, day(TODAY));
        assert_sees_events(store, &v, &events, &with(&corpus_ids, &["platform-own"])).await;
        assert_sees_reports(store, &v, &reports, &[]).await;
        // Within its own organisation, a site-admin sees what a reader sees.
        let v = Viewer::user("boss", "ecowas", &roles, day(TODAY));
        assert_sees_events(
            store,
            &v,
            &events,
            &with(&corpus_ids, &["amber-own", "green-all"]),
        )
        .await;
        assert_sees_reports(store, &v, &reports, &["amber-own"]).await;
    }
}

// ---------------------------------------------------------------------------------------
// 5. The public viewer.

/// The public viewer sees TLP:CLEAR records only, whoever owns them.
pub async fn public_viewer_sees_only_clear(store: &dyn Store) {
    let public = corpus();
    import(store, &public).await;
    let mut w = World::new();
    w.org("ecowas", OrgKind::Regional)
        .community("ecowas")
        .member("ecowas", "ecowas", "2000-01-01", None);
    for (name, m, d) in [
        ("clear", Marking::Clear, Distribution::AllCommunities),
        ("green", Marking::Green, Distribution::AllCommunities),
        ("green-community", Marking::Green, to_community("ecowas")),
        ("amber", Marking::Amber, Distribution::Organisation),
        ("strict", Marking::AmberStrict, to_orgs(&["ecowas"])),
        ("red", Marking::Red, to_users(&["amina"])),
    ] {
        event_and_report(&mut w, name, &aud("ecowas", "amina", m, d));
    }
    seed(store, &w).await;
    let (written_events, reports) = written(&w);
    let events = [public.clone(), written_events].concat();
    for on in ["1990-01-01", "2025-01-29", TODAY] {
        let v = Viewer::public(day(on));
        assert_sees_events(store, &v, &events, &with(&source_ids(&public), &["clear"])).await;
        assert_sees_reports(store, &v, &reports, &["clear"]).await;
    }
    // And the owner sees them all.
    let v = reader("amina", "ecowas", TODAY);
    let mut all = source_ids(&events);
    all.sort();
    assert_sees_events(store, &v, &events, &all).await;
    let titles: Vec<&str> = reports.iter().map(|r| r.title.as_str()).collect();
    assert_sees_reports(store, &v, &reports, &titles).await;
}

// ---------------------------------------------------------------------------------------
// 6. Derived numbers.

/// Statistics, map cells and counts include only the events the viewer may see: public
/// imported events plus restricted events of several owners give different totals to
/// different viewers.
pub async fn derived_numbers_count_only_visible_events(store: &dyn Store) {
    import(store, &corpus()).await; // MLI 2023-10: 2 events, 8 dead; 2023-11: 1, 0; BFA 2023-10: 1, 10
    let mut w = ecowas();
    w.org("un-ocha", OrgKind::Un)
        .member("ecowas", "ecowas", "2000-01-01", None);
    w.event(
        vigie("r1", "MLI", "2023-10-15", 100),
        aud(
            "ecowas",
            "amina",
            Marking::Amber,
            Distribution::Organisation,
        ),
    )
    .event(
        vigie("r2", "BFA", "2023-10-16", 1000),
        aud(
            "mli-agency",
            "moussa",
            Marking::Green,
            to_community("ecowas"),
        ),
    )
    .event(
        vigie("r3", "MLI", "2023-11-20", 10000),
        aud("sen-agency", "awa", Marking::Red, to_users(&["awa"])),
    );
    seed(store, &w).await;

    let stats = |v: Viewer, by: StatsBy, filter: EventFilter| async move {
        store
            .stats(&v, by, &filter)
            .await
            .expect("stats")
            .into_iter()
            .map(|r| {
                (
                    r.country.unwrap_or_default(),
                    r.month.unwrap_or_default(),
                    r.events,
                    r.fatalities,
                )
            })
            .collect::<Vec<_>>()
    };
    let row = |c: &str, m: &str, e: i64, f: i64| (c.to_string(), m.to_string(), e, f);
    let everything = EventFilter::default();
    let mli = EventFilter {
        country: Some("MLI".into()),
        ..Default::default()
    };
    // What the public sees: the imported events alone.
    let imported = vec![
        row("BFA", "2023-10", 1, 10),
        row("MLI", "2023-10", 2, 8),
        row("MLI", "2023-11", 1, 0),
    ];
    let cases = [
        (Viewer::public(day(TODAY)), imported.clone()),
        (reader("un", "un-ocha", TODAY), imported),
        (
            reader("amina", "ecowas", TODAY),
            vec![
                row("BFA", "2023-10", 2, 1010),
                row("MLI", "2023-10", 3, 108),
                row("MLI", "2023-11", 1, 0),
            ],
        ),
        (
            reader("moussa", "mli-agency", TODAY),
            vec![
                row("BFA", "2023-10", 2, 1010),
                row("MLI", "2023-10", 2, 8),
                row("MLI", "2023-11", 1, 0),
            ],
        ),
        (
            reader("awa", "sen-agency", TODAY),
            vec![
                row("BFA", "2023-10", 2, 1010),
                row("MLI", "2023-10", 2, 8),
                row("MLI", "2023-11", 2, 10000),
            ],
        ),
    ];
    for (v, want) in cases {
        assert_eq!(
            stats(v.clone(), StatsBy::CountryMonth, everything.clone()).await,
            want,
            "stats for {v:?}"
        );
        let (events, dead) = want.iter().fold((0, 0), |(e, f), r| (e + r.2, f + r.3));
        assert_eq!(
            store.count_events(&v, &everything).await.expect("count"),
            events as u64,
            "count for {v:?}"
        );
        let mli_events: i64 = want.iter().filter(|r| r.0 == "MLI").map(|r| r.2).sum();
        assert_eq!(
            store.count_events(&v, &mli).await.expect("count"),
            mli_events as u64,
            "count of MLI for {v:?}"
        );
        let mli_stats: i64 = stats(v.clone(), StatsBy::Admin1Month, mli.clone())
            .await
            .iter()
            .map(|r| r.2)
            .sum();
        assert_eq!(mli_stats, mli_events, "admin-1 stats of MLI for {v:?}");
        // Every event of these tests is in the same PRIO-GRID cell.
        let cells = store
            .grid_cells(&v, &everything, false)
            .await
            .expect("cells");
        assert_eq!(cells.len(), 1, "{v:?}");
        assert_eq!(
            (cells[0].events, cells[0].fatalities),
            (events, dead),
            "grid cells for {v:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 7. Re-sharing.

/// `set_audience` applies to the very next read: narrowing from a community to the
/// organisation hides the record from the other members at once; the stored names are
/// replaced, not added to; owner and creator never change.
pub async fn set_audience_applies_at_once(store: &dyn Store) {
    let start = aud("ecowas", "amina", Marking::Green, to_community("ecowas"));
    let mut w = ecowas();
    event_and_report(&mut w, "e", &start);
    seed(store, &w).await;
    let (events, reports) = written(&w);
    let (eid, rid) = (events[0].id, reports[0].id);
    // Of the owner organisation, but not the creator (who alone of it sees TLP:RED).
    let owner = reader("kofi", "ecowas", TODAY);
    let mli = reader("moussa", "mli-agency", TODAY);
    let sen = reader("awa", "sen-agency", TODAY);

    /// An audience, then what the owner organisation, Mali and Senegal see under it.
    type Step<'a> = (Audience, &'a [&'a str], &'a [&'a str], &'a [&'a str]);
    let steps: Vec<Step> = vec![
        (start.clone(), &["e"], &["e"], &["e"]),
        (
            aud(
                "ecowas",
                "amina",
                Marking::Amber,
                Distribution::Organisation,
            ),
            &["e"],
            &[],
            &[],
        ),
        (
            aud(
                "ecowas",
                "amina",
                Marking::Amber,
                to_orgs(&["mli-agency", "sen-agency"]),
            ),
            &["e"],
            &["e"],
            &["e"],
        ),
        (
            aud(
                "ecowas",
                "amina",
                Marking::AmberStrict,
                to_orgs(&["sen-agency"]),
            ),
            &["e"],
            &[],
            &["e"],
        ),
        (
            aud("ecowas", "amina", Marking::Red, to_users(&["moussa"])),
            &[],
            &["e"],
            &[],
        ),
        (
            aud("ecowas", "amina", Marking::Amber, to_orgs(&["mli-agency"])),
            &["e"],
            &["e"],
            &[],
        ),
        (
            aud(
                "ecowas",
                "amina",
                Marking::Clear,
                Distribution::AllCommunities,
            ),
            &["e"],
            &["e"],
            &["e"],
        ),
    ];
    for (audience, for_owner, for_mli, for_sen) in steps {
        // A re-share is given with someone else as owner and creator: both stay.
        let mut given = audience.clone();
        given.owner = "sen-agency".into();
        given.creator = Some("awa".into());
        store
            .set_audience(RecordKind::Event, eid, &given, None)
            .await
            .expect("event audience");
        store
            .set_audience(RecordKind::Report, rid, &given, None)
            .await
            .expect("report audience");
        // The reports as now stored (under this audience), for `could_read`.
        let now: Vec<Report> = reports
            .iter()
            .map(|r| Report {
                audience: audience.clone(),
                ..r.clone()
            })
            .collect();
        for (v, want) in [(&owner, for_owner), (&mli, for_mli), (&sen, for_sen)] {
            assert_sees_events(store, v, &events, want).await;
            assert_sees_reports(store, v, &now, want).await;
        }
        // Read back by whoever may see it: the audience is exactly the new one.
        let v = if audience.marking == Marking::Red {
            &mli
        } else {
            &owner
        };
        // (A reader of another organisation is not told the creator's name: threat 13.)
        let mut want = audience.clone();
        if v.org() != Some(audience.owner.as_str()) {
            want.creator = None;
        }
        let (e, got) = store.event(v, eid).await.expect("get").expect("present");
        assert_eq!(got, want, "event audience");
        assert_eq!((e.owner, e.marking), ("ecowas".into(), audience.marking));
        let got = store.report(v, rid).await.expect("get").expect("present");
        assert_eq!(got.audience, want, "report audience");
    }
    // Each re-mark replaced a version of the event, which its history keeps.
    let history = store
        .event_history(&owner, eid)
        .await
        .expect("history")
        .into_iter()
        .map(|h| (h.version, h.event.marking))
        .collect::<Vec<_>>();
    use Marking::*;
    assert_eq!(
        history,
        vec![
            (1, Green),
            (2, Green),
            (3, Amber),
            (4, Amber),
            (5, AmberStrict),
            (6, Red),
            (7, Amber)
        ]
    );
}

// ---------------------------------------------------------------------------------------
// 8. The directory.

fn conflict(r: Result<(), StoreError>, what: &str, id: &str) {
    match r {
        Err(StoreError::Conflict { what: w, id: i }) if w == what && i == id => {}
        other => panic!("expected a conflict on {what} {id:?}, got {other:?}"),
    }
}

fn missing<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Missing { .. }) => {}
        other => panic!("expected a missing row, got {other:?}"),
    }
}

/// `user`, of an organisation that does not exist.
fn elsewhere(user: &User) -> User {
    User {
        org: "nowhere".into(),
        ..user.clone()
    }
}

/// Organisations, users, communities, memberships, sharing groups, sessions and tokens:
/// what is written is read back, taken identifiers and missing references are refused,
/// and a refused write leaves nothing behind.
pub async fn directory_basics(store: &dyn Store) {
    // Organisations.
    let ecowas = Organisation {
        id: "ecowas".into(),
        name: "ECOWAS Commission".into(),
        kind: OrgKind::Regional,
    };
    store.create_org(&ecowas, None).await.expect("org");
    conflict(
        store.create_org(&ecowas, None).await,
        "organisation",
        "ecowas",
    );
    seed(
        store,
        World::new().org("mli-agency", OrgKind::NationalAgency),
    )
    .await;
    assert_eq!(
        store.org("ecowas").await.expect("org"),
        Some(ecowas.clone())
    );
    assert_eq!(store.org("nope").await.expect("org"), None);
    assert_eq!(
        store
            .orgs()
            .await
            .expect("orgs")
            .into_iter()
            .map(|o| o.id)
            .collect::<Vec<_>>(),
        vec!["ecowas", "mli-agency"]
    );

    // Users.
    let amina = User {
        id: "amina".into(),
        org: "ecowas".into(),
        name: "Amina".into(),
        roles: vec![Role::Analyst, Role::Publisher],
        disabled: false,
    };
    missing(store.create_user(&elsewhere(&amina), None, None).await);
    assert_eq!(store.user("amina").await.expect("user"), None);
    store
        .create_user(&amina, Some("h1"), None)
        .await
        .expect("user");
    conflict(store.create_user(&amina, None, None).await, "user", "amina");
    seed(
        store,
        World::new().user("moussa", "mli-agency", &[Role::Reader]),
    )
    .await;
    assert_eq!(
        store.user("amina").await.expect("user"),
        Some(amina.clone())
    );
    assert_eq!(
        store.password_hash("amina").await.expect("hash").as_deref(),
        Some("h1")
    );
    assert_eq!(store.password_hash("moussa").await.expect("hash"), None);
    let nobody = User {
        id: "nobody".into(),
        ..amina.clone()
    };
    let with_password = |user, hash| UserChange {
        user,
        password_hash: Some(hash),
        keep_session: None,
    };
    store
        .update_user(&with_password(&amina, "h2"), None)
        .await
        .expect("password");
    assert_eq!(
        store.password_hash("amina").await.expect("hash").as_deref(),
        Some("h2")
    );
    missing(store.update_user(&with_password(&nobody, "h"), None).await);
    let ids = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.users(Some("ecowas")).await.expect("users")),
        ["amina"]
    );
    assert_eq!(
        ids(store.users(None).await.expect("users")),
        ["amina", "moussa"]
    );
    let disabled = User {
        disabled: true,
        roles: vec![Role::Reader],
        ..amina.clone()
    };
    let change = |user| UserChange {
        user,
        password_hash: None,
        keep_session: None,
    };
    store
        .update_user(&change(&disabled), None)
        .await
        .expect("update");
    missing(store.update_user(&change(&nobody), None).await);
    assert_eq!(store.user("amina").await.expect("user"), Some(disabled));

    // Communities and memberships.
    let c = Community {
        id: "ecowas".into(),
        name: "ECOWAS".into(),
    };
    store.create_community(&c, None).await.expect("community");
    conflict(
        store.create_community(&c, None).await,
        "community",
        "ecowas",
    );
    assert_eq!(store.communities().await.expect("communities"), vec![c]);
    let m = |community: &str, org: &str| Membership {
        community: community.into(),
        org: org.into(),
        from: day("2000-01-01"),
        until: None,
    };
    missing(store.add_membership(&m("ecowas", "nowhere"), None).await);
    missing(
        store
            .add_membership(&m("nowhere", "mli-agency"), None)
            .await,
    );
    store
        .add_membership(&m("ecowas", "mli-agency"), None)
        .await
        .expect("membership");
    assert!(store
        .add_membership(&m("ecowas", "mli-agency"), None)
        .await
        .is_err());
    // Of ECOWAS, on a day; the open membership ended, on a day.
    let member = |org: &'static str, on: &'static str| async move {
        let member = store.is_member("ecowas", org, day(on)).await;
        member.expect("member")
    };
    let end = |org: &'static str, on: &'static str| async move {
        let ended = store.end_membership("ecowas", org, day(on), None).await;
        ended.expect("end")
    };
    assert!(member("mli-agency", "2025-01-29").await);
    assert!(!member("mli-agency", "1999-12-31").await);
    assert!(!member("ecowas", "2025-01-29").await);
    assert!(end("mli-agency", "2025-01-29").await);
    assert!(
        !end("mli-agency", "2025-02-01").await,
        "no open membership is left to end"
    );
    assert!(!end("ecowas", "2025-01-29").await);
    assert!(member("mli-agency", "2025-01-28").await);
    assert!(!member("mli-agency", "2025-01-29").await);
    assert_eq!(
        store
            .memberships(Some("ecowas"))
            .await
            .expect("memberships"),
        vec![Membership {
            until: Some(day("2025-01-29")),
            ..m("ecowas", "mli-agency")
        }]
    );
    assert!(store
        .memberships(Some("aes"))
        .await
        .expect("memberships")
        .is_empty());

    // Sharing groups.
    let group = SharingGroup {
        id: "sahel-watch".into(),
        name: "Sahel watch".into(),
        owner: "ecowas".into(),
        members: vec!["mli-agency".into(), "ecowas".into()],
    };
    missing(
        store
            .create_sharing_group(
                &SharingGroup {
                    owner: "nowhere".into(),
                    ..group.clone()
                },
                None,
            )
            .await,
    );
    missing(
        store
            .create_sharing_group(
                &SharingGroup {
                    members: vec!["mli-agency".into(), "nowhere".into()],
                    ..group.clone()
                },
                None,
            )
            .await,
    );
    assert_eq!(
        store.sharing_group("sahel-watch").await.expect("group"),
        None,
        "a refused sharing group leaves nothing behind"
    );
    store
        .create_sharing_group(&group, None)
        .await
        .expect("group");
    conflict(
        store.create_sharing_group(&group, None).await,
        "sharing group",
        "sahel-watch",
    );
    let sorted = SharingGroup {
        members: vec!["ecowas".into(), "mli-agency".into()],
        ..group.clone()
    };
    assert_eq!(
        store.sharing_group("sahel-watch").await.expect("group"),
        Some(sorted.clone())
    );
    missing(
        store
            .set_sharing_group_members("sahel-watch", &["nowhere".into()], None)
            .await,
    );
    assert_eq!(
        store.sharing_groups().await.expect("groups"),
        vec![sorted],
        "a refused change of members changes nothing"
    );

    // Sessions.
    let t0 = at(10);
    let session = Session {
        token_hash: vec![1, 2, 3, 255],
        user_id: "amina".into(),
        csrf: "csrf-value".into(),
        created_at: t0,
        expires_at: t0 + Duration::hours(12),
    };
    store.create_session(&session, None).await.expect("session");
    assert_eq!(
        store.session(&session.token_hash).await.expect("session"),
        Some(session.clone())
    );
    assert_eq!(store.session(&[9]).await.expect("session"), None);
    store
        .delete_session(&session.token_hash, None)
        .await
        .expect("delete");
    assert_eq!(
        store.session(&session.token_hash).await.expect("session"),
        None
    );

    // API tokens.
    let token = |id: &str, scope| ApiToken {
        id: id.into(),
        user_id: "amina".into(),
        name: format!("token {id}"),
        secret_hash: id.as_bytes().to_vec(),
        scope,
        created_at: t0,
        expires_at: t0 + Duration::days(90),
        revoked_at: None,
    };
    let (t1, t2) = (
        token("t1", TokenScope::Read),
        token("t2", TokenScope::Write),
    );
    store.create_token(&t1, None).await.expect("token");
    store.create_token(&t2, None).await.expect("token");
    conflict(store.create_token(&t1, None).await, "token", "t1");
    assert_eq!(store.token("t1").await.expect("token"), Some(t1.clone()));
    assert_eq!(store.token("t3").await.expect("token"), None);
    assert_eq!(
        store.tokens("amina").await.expect("tokens"),
        vec![t1.clone(), t2.clone()]
    );
    assert!(store.tokens("moussa").await.expect("tokens").is_empty());
    let revoked_at = t0 + Duration::days(1);
    assert!(store
        .revoke_token("t1", revoked_at, None)
        .await
        .expect("revoke"));
    assert!(
        !store
            .revoke_token("t1", revoked_at + Duration::days(1), None)
            .await
            .expect("revoke"),
        "a revoked token is not revoked again"
    );
    assert!(!store
        .revoke_token("t3", revoked_at, None)
        .await
        .expect("revoke"));
    assert_eq!(
        store.token("t1").await.expect("token"),
        Some(ApiToken {
            revoked_at: Some(revoked_at),
            ..t1
        })
    );
    assert_eq!(store.token("t2").await.expect("token"), Some(t2));
}

// ---------------------------------------------------------------------------------------
// 9. The audit log.

/// Entries are numbered from 1 and hash-chained; the chain verifies; an organisation's
/// view holds only entries whose actor belongs to it.
pub async fn audit_log_chains_and_filters(store: &dyn Store) {
    let empty = store.audit_verify().await.expect("verify");
    assert_eq!((empty.entries, empty.ok()), (0, true), "{empty:?}");

    let entry = |actor: &str, org: &str, action: &str, record: Option<&str>| NewAuditEntry {
        actor: Some(actor.into()),
        actor_org: Some(org.into()),
        action: action.into(),
        record_kind: record.map(|_| "report".to_string()),
        record_id: record.map(str::to_string),
        detail: serde_json::json!({"marking": "TLP:AMBER", "note": "« quoted »"}),
    };
    let written = [
        entry("amina", "ecowas", "create", Some("r-1")),
        entry("moussa", "mli-agency", "login", None),
        entry("kofi", "ecowas", "audience", Some("r-1")),
    ];
    let mut seqs = Vec::new();
    for e in &written {
        seqs.push(store.audit(e).await.expect("audit"));
    }
    assert_eq!(seqs, vec![1, 2, 3]);

    let check = store.audit_verify().await.expect("verify");
    assert_eq!(check.entries, 3, "{check:?}");
    assert!(check.ok(), "{check:?}");

    let all = store.audit_entries(None, 0, 100).await.expect("entries");
    assert_eq!(all.len(), 3);
    let mut prev = String::new();
    for (got, want) in all.iter().zip(&written) {
        assert_eq!(got.actor, want.actor);
        assert_eq!(got.actor_org, want.actor_org);
        assert_eq!(got.action, want.action);
        assert_eq!(got.record_kind, want.record_kind);
        assert_eq!(got.record_id, want.record_id);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&got.detail).expect("detail"),
            want.detail
        );
        assert_eq!(
            got.prev_hash, prev,
            "entry {} links to the one before",
            got.seq
        );
        assert_eq!(
            got.hash,
            entry_hash(
                &got.prev_hash,
                got.seq,
                &got.at,
                got.actor.as_deref(),
                got.actor_org.as_deref(),
                &got.action,
                got.record_kind.as_deref(),
                got.record_id.as_deref(),
                &got.detail,
            )
        );
        prev = got.hash.clone();
    }

    let seqs = |entries: Vec<crate::audit::AuditEntry>| {
        entries.into_iter().map(|e| e.seq).collect::<Vec<_>>()
    };
    let page = |org: Option<&'static str>, after: i64, limit: i64| async move {
        seqs(
            store
                .audit_entries(org, after, limit)
                .await
                .expect("entries"),
        )
    };
    assert_eq!(page(Some("ecowas"), 0, 100).await, vec![1, 3]);
    assert_eq!(page(Some("mli-agency"), 0, 100).await, vec![2]);
    assert_eq!(page(Some("nobody"), 0, 100).await, Vec::<i64>::new());
    assert_eq!(page(Some("ecowas"), 1, 100).await, vec![3]);
    assert_eq!(page(None, 1, 1).await, vec![2]);
    assert_eq!(page(None, 3, 100).await, Vec::<i64>::new());
}

/// Every change takes its audit entry and writes both in one transaction (threat 29): a
/// change that lands has its entry; a refused one (a taken id, a missing reference,
/// nothing to end or revoke) leaves neither.
pub async fn changes_and_their_audit_entries_land_together(store: &dyn Store) {
    let entry = |what: &str| NewAuditEntry {
        actor: Some("amina".into()),
        actor_org: Some("ecowas".into()),
        action: "admin".into(),
        record_kind: Some(what.into()),
        record_id: None,
        detail: serde_json::json!({}),
    };
    let count = || async { store.audit_verify().await.expect("verify").entries };
    let ecowas = Organisation {
        id: "ecowas".into(),
        name: "ECOWAS".into(),
        kind: OrgKind::Regional,
    };
    store
        .create_org(&ecowas, Some(&entry("organisation")))
        .await
        .expect("org");
    assert_eq!(count().await, 1);
    conflict(
        store
            .create_org(&ecowas, Some(&entry("organisation")))
            .await,
        "organisation",
        "ecowas",
    );
    let amina = User {
        id: "ecowas.amina".into(),
        org: "ecowas".into(),
        name: "Amina".into(),
        roles: vec![Role::Publisher],
        disabled: false,
    };
    let (stranger, note) = (elsewhere(&amina), entry("user"));
    missing(store.create_user(&stranger, None, Some(&note)).await);
    store
        .create_user(&amina, Some("h"), Some(&entry("user")))
        .await
        .expect("user");
    let nobody = User {
        id: "nobody".into(),
        ..amina.clone()
    };
    let change = |user| UserChange {
        user,
        password_hash: Some("h2"),
        keep_session: None,
    };
    missing(
        store
            .update_user(&change(&nobody), Some(&entry("user")))
            .await,
    );
    store
        .create_community(
            &Community {
                id: "c".into(),
                name: "C".into(),
            },
            Some(&entry("community")),
        )
        .await
        .expect("community");
    assert!(!store
        .end_membership("c", "ecowas", day("2025-01-29"), Some(&entry("community")))
        .await
        .expect("end"));
    assert!(!store
        .revoke_token("none", at(1), Some(&entry("token")))
        .await
        .expect("revoke"));
    missing(
        store
            .set_sharing_group_members("g", &["nowhere".into()], Some(&entry("group")))
            .await,
    );
    let e = event("audited-1", "MLI", "Mopti", "2024-01-05", 2);
    let audience = aud(
        "ecowas",
        "ecowas.amina",
        Marking::Amber,
        Distribution::Organisation,
    );
    store
        .create_event(&e, &audience, Some(&entry("event")))
        .await
        .expect("event");
    assert!(store
        .create_event(&e, &audience, Some(&entry("event")))
        .await
        .is_err());
    let check = store.audit_verify().await.expect("verify");
    assert!(check.ok(), "{check:?}");
    let kinds: Vec<Option<String>> = store
        .audit_entries(None, 0, 100)
        .await
        .expect("entries")
        .into_iter()
        .map(|e| e.record_kind)
        .collect();
    assert_eq!(
        kinds,
        ["organisation", "user", "community", "event"].map(|k| Some(k.to_string())),
        "one entry per change that landed, none for the refused ones"
    );
}

/// A new password ends the user's sessions (but the one kept) and revokes their live API
/// tokens, with the change, in one transaction; other users' are untouched.
pub async fn a_new_password_ends_sessions_and_tokens(store: &dyn Store) {
    seed(
        store,
        World::new()
            .org("ecowas", OrgKind::Regional)
            .user("amina", "ecowas", &[Role::Reader])
            .user("kofi", "ecowas", &[Role::Reader]),
    )
    .await;
    // Now, to the second (the store keeps microseconds).
    let t0 = Utc
        .timestamp_opt(Utc::now().timestamp(), 0)
        .single()
        .expect("time");
    let session = |user: &str, n: u8| Session {
        token_hash: vec![n; 4],
        user_id: user.into(),
        csrf: "c".into(),
        created_at: t0,
        expires_at: t0 + Duration::hours(12),
    };
    let token = |user: &str, id: &str, expires: DateTime<Utc>, revoked: bool| ApiToken {
        id: id.into(),
        user_id: user.into(),
        name: id.into(),
        secret_hash: id.as_bytes().to_vec(),
        scope: TokenScope::Read,
        created_at: t0 - Duration::days(30),
        expires_at: expires,
        revoked_at: revoked.then_some(t0 - Duration::days(1)),
    };
    for s in [session("amina", 1), session("amina", 2), session("kofi", 3)] {
        store.create_session(&s, None).await.expect("session");
    }
    for t in [
        token("amina", "live", t0 + Duration::days(9), false),
        token("amina", "expired", t0 - Duration::days(1), false),
        token("amina", "revoked", t0 + Duration::days(9), true),
        token("kofi", "other", t0 + Duration::days(9), false),
    ] {
        store.create_token(&t, None).await.expect("token");
    }
    let amina = store.user("amina").await.expect("user").expect("amina");
    // Without a new password, nothing ends.
    let same = UserChange {
        user: &amina,
        password_hash: None,
        keep_session: None,
    };
    assert_eq!(
        store.update_user(&same, None).await.expect("update"),
        crate::Revoked::default()
    );
    let kept = [2u8; 4];
    let revoked = store
        .update_user(
            &UserChange {
                user: &amina,
                password_hash: Some("new"),
                keep_session: Some(&kept),
            },
            None,
        )
        .await
        .expect("update");
    assert_eq!(
        revoked,
        crate::Revoked {
            sessions: 1,
            tokens: 1
        }
    );
    assert_eq!(store.session(&[1; 4]).await.expect("session"), None);
    assert!(store.session(&[2; 4]).await.expect("session").is_some());
    assert!(store.session(&[3; 4]).await.expect("session").is_some());
    let revoked_at = |id: &'static str| async move {
        store
            .token(id)
            .await
            .expect("token")
            .expect("exists")
            .revoked_at
    };
    assert!(revoked_at("live").await.is_some());
    assert_eq!(revoked_at("expired").await, None);
    assert_eq!(revoked_at("revoked").await, Some(t0 - Duration::days(1)));
    assert_eq!(revoked_at("other").await, None);
    assert_eq!(
        store.password_hash("amina").await.expect("hash").as_deref(),
        Some("new")
    );
}

/// An event's provenance names its file, not the folders where the file sat when it was
/// imported, even for events stored before provenance kept names only.
pub async fn provenance_names_the_file_not_its_folders(store: &dyn Store) {
    seed(store, World::new().org("ecowas", OrgKind::Regional)).await;
    for (i, path) in [
        "/tmp/.tmpAbC123/ged231_sample_1000.csv",
        "C:\\Users\\analyst\\ged231_sample_1000.csv",
        "ged231_sample_1000.csv",
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = vigie_event(&format!("p-{i}"), "MLI", "Mopti", "2024-01-05", 1);
        e.provenance.file = path.into();
        store
            .create_event(&e, &Audience::public(), None)
            .await
            .expect("event");
        let (got, _) = store
            .event(&Viewer::public(day(TODAY)), e.id)
            .await
            .expect("read")
            .expect("visible");
        assert_eq!(got.provenance.file, "ged231_sample_1000.csv", "{path}");
    }
}
