//! The sharing matrix: random worlds (organisations, users of every role, communities with
//! memberships that ended, run, start today or later, sharing groups, and records under
//! every marking and distribution table 1 allows) are written straight into a fresh store,
//! the real server is started on it, and every user reads every channel over HTTP. Each
//! answer must be exactly what the oracle (`oracle.rs`, written from docs/sharing.md alone)
//! says the user may see; a record the user may not see must be answered exactly like an
//! id that does not exist. Tasks are records too: their dependencies name only the tasks
//! the reader may see (the others are counted), and the notes an applied allocation writes
//! into their shared history derive from the task and the organisation's profile alone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use uuid::Uuid;
use vigie_core::{
    Actor, Advantage, Audience, CapacityPeriod, Community, CoordinationProfile, DatePrecision,
    Distribution, Event, Fatalities, LocationPrecision, Marking, Membership, OrgKind, OrgLevel,
    Organisation, Period, Place, Provenance, Report, ReportStatus, Role, ScopeWindow, SharingGroup,
    Source, Task, TaskStatus, TaskType, ViolenceCategory, PUBLIC_SOURCES_ORG,
};
use vigie_store::world::{Account, SharedEvent};
use vigie_store::{Store, TokenScope};

use crate::oracle::{self, Dist, Kind, Reader, Tlp, World};
use crate::support::{answer, Answer, Backend, TestServer};

/// Put in every record's searchable text, so that one search finds them all.
const NEEDLE: &str = "zqxmatrixneedle";
const COUNTRIES: [&str; 4] = ["MLI", "BFA", "NER", "SEN"];

// ---------------------------------------------------------------------------------------
// What proptest generates: indices and choices, resolved against the world by `plan`.

#[derive(Debug, Clone)]
struct OrgSpec {
    kind: usize,
    /// One or two users, each with its roles.
    users: Vec<Vec<Role>>,
}

#[derive(Debug, Clone)]
struct RecordSpec {
    event: bool,
    owner: usize,
    /// 0–3: a user of the owner; 4: any user; 5: none.
    creator: usize,
    creator_pick: usize,
    marking: usize,
    dist: usize,
    /// Which organisations or users a named list holds (bit i: the i-th).
    names: u16,
    /// Name something that does not exist (an organisation, a user, a group, a community).
    ghost: bool,
    reference: usize,
    coords: Option<(u16, u16)>,
    country: usize,
    day: u32,
    best: i64,
    draft: bool,
    /// A response task instead of an event or a report.
    task: bool,
    /// Which earlier tasks it depends on (bit j: the j-th task written).
    deps: u8,
    /// Accepted by an organisation (using its capacity) rather than open.
    committed: bool,
    effort: u8,
}

#[derive(Debug, Clone)]
struct Spec {
    orgs: Vec<OrgSpec>,
    /// Per community: (organisation, window kind) memberships.
    communities: Vec<Vec<(usize, usize)>>,
    /// Per sharing group: owner and members (bit i: the i-th organisation).
    groups: Vec<(usize, u8)>,
    public_events: usize,
    records: Vec<RecordSpec>,
}

fn org_spec() -> impl Strategy<Value = OrgSpec> {
    let roles = proptest::sample::subsequence(Role::ALL.to_vec(), 1..=2);
    (0..OrgKind::ALL.len(), prop::collection::vec(roles, 1..=2))
        .prop_map(|(kind, users)| OrgSpec { kind, users })
}

fn record_spec() -> impl Strategy<Value = RecordSpec> {
    (
        (any::<bool>(), 0..6usize, 0..6usize, 0..12usize, 0..5usize),
        (
            0..5usize,
            any::<u16>(),
            prop::bool::weighted(0.15),
            0..3usize,
        ),
        (
            prop::option::weighted(0.75, (0..100u16, 0..200u16)),
            0..COUNTRIES.len(),
            0..365u32,
            0..20i64,
            any::<bool>(),
        ),
        (
            prop::bool::weighted(0.35),
            any::<u8>(),
            prop::bool::weighted(0.3),
            1..12u8,
        ),
    )
        .prop_map(
            |(
                (event, owner, creator, creator_pick, marking),
                (dist, names, ghost, reference),
                (coords, country, day, best, draft),
                (task, deps, committed, effort),
            )| RecordSpec {
                event,
                owner,
                creator,
                creator_pick,
                marking,
                dist,
                names,
                ghost,
                reference,
                coords,
                country,
                day,
                best,
                draft,
                task,
                deps,
                committed,
                effort,
            },
        )
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(org_spec(), 3..=6),
        prop::collection::vec(prop::collection::vec((0..6usize, 0..WINDOWS), 0..=7), 1..=3),
        prop::collection::vec((0..6usize, any::<u8>()), 0..=2),
        0..=3usize,
        prop::collection::vec(record_spec(), 10..=30),
    )
        .prop_map(|(orgs, communities, groups, public_events, records)| Spec {
            orgs,
            communities,
            groups,
            public_events,
            records,
        })
}

/// How many kinds of membership window [`window`] knows.
const WINDOWS: usize = 9;

/// A membership window relative to `today`: ended, ending today (so not a member today),
/// current (open or bounded, ending tomorrow), starting today, or in the future.
fn window(kind: usize, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let d = |n: i64| today + Duration::days(n);
    match kind {
        0 => (d(-60), Some(d(-10))),
        1 => (d(-30), Some(d(0))),
        2 => (d(-30), None),
        3 => (d(0), None),
        4 => (d(1), None),
        5 => (d(5), Some(d(30))),
        6 => (d(-5), Some(d(1))),
        7 => (d(-5), Some(d(30))),
        _ => (NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"), None),
    }
}

// ---------------------------------------------------------------------------------------
// The world, resolved: what goes into the store, and the same world for the oracle.

struct Plan {
    /// What is written into the store.
    seed: vigie_store::world::World,
    /// The same, for the oracle.
    world: World,
}

/// Every organisation can mediate in the matrix's countries, with 20 person-days for the
/// tasks' deadlines: committed tasks use them up, so capacity left depends on tasks a
/// reader may not see.
fn profile(org: &str, i: usize) -> CoordinationProfile {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    CoordinationProfile {
        org: org.into(),
        level: [
            OrgLevel::National,
            OrgLevel::Regional,
            OrgLevel::Continental,
        ][i % 3],
        mandates: vec![TaskType::Mediation],
        scope: COUNTRIES
            .iter()
            .map(|c| ScopeWindow::open(c, d("2000-01-01")))
            .collect(),
        capacity: vec![CapacityPeriod {
            from: d("2027-01-01"),
            until: d("2029-01-01"),
            person_days: 20.0,
            budget: 1e9,
        }],
        advantages: vec![Advantage {
            task_type: TaskType::Mediation,
            score: 0.1 * (i % 10) as f64,
            rationale: format!("Mediators of organisation {i}"),
        }],
    }
}

fn plan(spec: &Spec, today: NaiveDate) -> Plan {
    let n = spec.orgs.len();
    let org_id = |i: usize| format!("org-{}", i % n);
    let mut orgs: Vec<Organisation> = (0..n)
        .map(|i| Organisation {
            id: org_id(i),
            name: format!("Organisation {i}"),
            kind: OrgKind::ALL[spec.orgs[i].kind],
        })
        .collect();
    orgs.push(Organisation {
        id: PUBLIC_SOURCES_ORG.into(),
        name: "Public sources".into(),
        kind: OrgKind::PublicSource,
    });
    let mut users = Vec::new();
    for (i, o) in spec.orgs.iter().enumerate() {
        for (j, roles) in o.users.iter().enumerate() {
            users.push(Account {
                id: format!("u{i}-{j}"),
                org: org_id(i),
                name: format!("User {i}-{j}"),
                roles: roles.clone(),
                disabled: false,
            });
        }
    }
    let communities: Vec<Community> = (0..spec.communities.len())
        .map(|c| Community {
            id: format!("c-{c}"),
            name: format!("Community {c}"),
        })
        .collect();
    let mut memberships: Vec<Membership> = Vec::new();
    for (c, members) in spec.communities.iter().enumerate() {
        for &(o, w) in members {
            let (from, until) = window(w, today);
            let m = Membership {
                community: format!("c-{c}"),
                org: org_id(o),
                from,
                until,
            };
            // One membership per (community, organisation, start).
            if !memberships
                .iter()
                .any(|x| x.community == m.community && x.org == m.org && x.from == m.from)
            {
                memberships.push(m);
            }
        }
    }
    let groups: Vec<SharingGroup> = spec
        .groups
        .iter()
        .enumerate()
        .map(|(g, &(owner, bits))| SharingGroup {
            id: format!("g-{g}"),
            name: format!("Group {g}"),
            owner: org_id(owner),
            members: (0..n)
                .filter(|i| bits & (1 << i) != 0)
                .map(org_id)
                .collect(),
        })
        .collect();

    let mut events = Vec::new();
    let mut coverage = Vec::new();
    let mut reports = Vec::new();
    let mut tasks: Vec<Task> = Vec::new();
    let mut records = Vec::new();
    for k in 0..spec.public_events {
        let source_id = format!("pub-{k}");
        let mut e = event(
            Source::UcdpGed,
            &source_id,
            k as u32 * 7,
            Some((k as u16, 3)),
            0,
            1,
        );
        e.owner = PUBLIC_SOURCES_ORG.into();
        e.marking = Marking::Clear;
        records.push(oracle_record(e.id, Kind::Event, &Audience::public()));
        events.push((e, Audience::public()));
    }
    for (i, r) in spec.records.iter().enumerate() {
        let owner = org_id(r.owner);
        let of_owner: Vec<&Account> = users.iter().filter(|u| u.org == owner).collect();
        let creator = match r.creator {
            0..=3 => Some(of_owner[r.creator_pick % of_owner.len()].id.clone()),
            4 => Some(users[r.creator_pick % users.len()].id.clone()),
            _ => None,
        };
        let marking = [
            Marking::Clear,
            Marking::Green,
            Marking::Amber,
            Marking::AmberStrict,
            Marking::Red,
        ][r.marking];
        let named_orgs = || {
            let mut orgs: Vec<String> = (0..n)
                .filter(|i| r.names & (1 << i) != 0)
                .map(org_id)
                .collect();
            if r.ghost {
                orgs.push("org-ghost".into());
            }
            if orgs.is_empty() {
                orgs.push(org_id(r.owner + 1));
            }
            orgs
        };
        let distribution = match marking {
            Marking::Clear => Distribution::AllCommunities,
            Marking::Red => {
                let mut named: Vec<String> = users
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| r.names & (1 << i) != 0)
                    .map(|(_, u)| u.id.clone())
                    .collect();
                if r.ghost {
                    named.push("ghost-user".into());
                }
                Distribution::Recipients { users: named }
            }
            Marking::AmberStrict if r.dist % 2 == 0 => Distribution::Organisation,
            Marking::AmberStrict => Distribution::Organisations { orgs: named_orgs() },
            _ => match r.dist {
                0 => Distribution::Organisation,
                1 => Distribution::Organisations { orgs: named_orgs() },
                2 => Distribution::SharingGroup {
                    id: if r.ghost || groups.is_empty() {
                        "g-ghost".into()
                    } else {
                        groups[r.reference % groups.len()].id.clone()
                    },
                },
                3 => Distribution::Community {
                    id: if r.ghost {
                        "c-ghost".into()
                    } else {
                        communities[r.reference % communities.len()].id.clone()
                    },
                },
                _ => Distribution::AllCommunities,
            },
        };
        let audience = Audience {
            owner,
            creator,
            marking,
            distribution,
        };
        audience
            .check()
            .expect("the matrix writes only audiences table 1 allows");
        let record = if r.task {
            let at = Utc
                .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
                .single()
                .expect("time")
                + Duration::minutes(i as i64);
            let mut depends_on: Vec<Uuid> = tasks
                .iter()
                .take(8)
                .enumerate()
                .filter(|(j, _)| r.deps & (1 << j) != 0)
                .map(|(_, t)| t.id)
                .collect();
            if r.ghost {
                depends_on.push(Uuid::new_v4());
            }
            let task = Task {
                id: Uuid::new_v4(),
                title: format!("Task {i} {NEEDLE}"),
                task_type: TaskType::Mediation,
                countries: vec![COUNTRIES[r.country].into()],
                regions: vec![],
                effort_days: f64::from(r.effort),
                budget: 0.0,
                deadline: NaiveDate::from_ymd_opt(2027, 3, 1).expect("date")
                    + Duration::days(i64::from(r.day)),
                priority: 1 + (r.day % 5) as u8,
                depends_on,
                hidden_dependencies: 0,
                consent_required: false,
                consent_obtained: false,
                alert: None,
                status: if r.committed {
                    TaskStatus::Accepted
                } else {
                    TaskStatus::Open
                },
                assignee: r.committed.then(|| org_id(r.reference)),
                declined_by: vec![],
                outcome: None,
                created_at: at,
                updated_at: at,
                audience,
            };
            let rec = oracle_record(task.id, Kind::Task, &task.audience);
            tasks.push(task);
            rec
        } else if r.event {
            let source_id = format!("m-{i}");
            let mut e = event(
                Source::Vigie,
                &source_id,
                r.day,
                r.coords,
                r.country,
                r.best,
            );
            e.owner = audience.owner.clone();
            e.marking = audience.marking;
            let rec = oracle_record(e.id, Kind::Event, &audience);
            // What the event's source covers, under the event's audience: visible exactly
            // when the event is.
            coverage.push(vigie_core::Coverage {
                id: Uuid::new_v4(),
                source: Source::Vigie,
                file: String::new(),
                import_batch: None,
                countries: vec![COUNTRIES[r.country].into()],
                from: "2024-01".into(),
                until: "2024-06".into(),
                complete: r.best % 2 == 0,
                basis: format!("twin of {}", e.id),
                basis_key: None,
                recorded_at: Utc::now(),
                audience: audience.clone(),
            });
            events.push((e, audience));
            rec
        } else {
            let at = Utc
                .with_ymd_and_hms(2024, 6, 1, 12, 0, 0)
                .single()
                .expect("time")
                + Duration::minutes(i as i64);
            let report = Report {
                id: Uuid::new_v4(),
                title: format!("Report {i} {NEEDLE}"),
                body: format!("What the matrix knows about record {i}."),
                country: Some(COUNTRIES[r.country].into()),
                admin1: None,
                status: if r.draft {
                    ReportStatus::Draft
                } else {
                    ReportStatus::Published
                },
                version: 1,
                created_at: at,
                updated_at: at,
                audience,
            };
            let rec = oracle_record(report.id, Kind::Report, &report.audience);
            reports.push(report);
            rec
        };
        assert!(oracle::allowed(record.marking, &record.dist));
        records.push(record);
    }
    let world = World {
        memberships: memberships
            .iter()
            .map(|m| oracle::Membership {
                community: m.community.clone(),
                org: m.org.clone(),
                from: m.from,
                until: m.until,
            })
            .collect(),
        groups: groups
            .iter()
            .map(|g| oracle::Group {
                id: g.id.clone(),
                owner: g.owner.clone(),
                members: g.members.clone(),
            })
            .collect(),
        records,
    };
    let mut seed = vigie_store::world::World {
        orgs,
        users,
        communities,
        memberships,
        groups,
        reports,
        events: events
            .into_iter()
            .map(|(event, audience)| SharedEvent { event, audience })
            .collect(),
        profiles: (0..n).map(|i| profile(&org_id(i), i)).collect(),
        coverage,
        ..Default::default()
    };
    for task in tasks {
        seed.task(task);
    }
    Plan { seed, world }
}

/// The oracle's copy of a record's audience (a translation of types, nothing more).
fn oracle_record(id: Uuid, kind: Kind, a: &Audience) -> oracle::Record {
    oracle::Record {
        id,
        kind,
        owner: a.owner.clone(),
        creator: a.creator.clone(),
        marking: match a.marking {
            Marking::Clear => Tlp::Clear,
            Marking::Green => Tlp::Green,
            Marking::Amber => Tlp::Amber,
            Marking::AmberStrict => Tlp::AmberStrict,
            Marking::Red => Tlp::Red,
        },
        dist: match &a.distribution {
            Distribution::Organisation => Dist::Organisation,
            Distribution::Organisations { orgs } => Dist::Organisations(orgs.clone()),
            Distribution::SharingGroup { id } => Dist::SharingGroup(id.clone()),
            Distribution::Community { id } => Dist::Community(id.clone()),
            Distribution::AllCommunities => Dist::AllCommunities,
            Distribution::Recipients { users } => Dist::Recipients(users.clone()),
        },
    }
}

pub(crate) fn event(
    source: Source,
    source_id: &str,
    day: u32,
    coords: Option<(u16, u16)>,
    country: usize,
    best: i64,
) -> Event {
    let d = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + Duration::days(i64::from(day));
    let (lat, lon) = match coords {
        Some((a, b)) => (
            Some(10.0 + f64::from(a) * 0.1),
            Some(-10.0 + f64::from(b) * 0.1),
        ),
        None => (None, None),
    };
    Event {
        id: Event::stable_id(source, source_id),
        source,
        source_id: source_id.into(),
        source_version: None,
        period: Period {
            start: d,
            end: d,
            precision: DatePrecision::Day,
        },
        place: Place {
            latitude: lat,
            longitude: lon,
            precision: lat.map(|_| LocationPrecision::Exact),
            source_precision: None,
            country: Some(COUNTRIES[country].into()),
            gw_id: None,
            views_id: None,
            admin1: Some("Region".into()),
            admin2: None,
            location: Some("Somewhere".into()),
            priogrid_gid: lat
                .zip(lon)
                .and_then(|(a, o)| vigie_core::priogrid::gid(a, o)),
        },
        category: ViolenceCategory::StateBased,
        source_type: "1".into(),
        side_a: Some(Actor {
            name: "Side A".into(),
            source_id: None,
        }),
        side_b: None,
        fatalities: Fatalities {
            best: Some(best),
            low: Some(best),
            high: Some(best),
        },
        description: Some(format!("Matrix event {source_id}, {NEEDLE}")),
        extra: Default::default(),
        provenance: Provenance {
            batch: None,
            file: "matrix".into(),
            line: 1,
        },
        owner: PUBLIC_SOURCES_ORG.into(),
        marking: Marking::Clear,
    }
}

/// Writes the world straight through the store API (no permission checks, which
/// [`vigie_store::world`] does not make), so that any state is reachable: records shared
/// to a community the owner is not in, to a group that does not exist, RED records without
/// a creator. Its users have no password: they read with API tokens.
async fn write(store: &dyn Store, plan: &Plan) -> anyhow::Result<()> {
    let no_password = |_: &str| -> String { unreachable!("the matrix's users have no password") };
    Ok(plan.seed.seed(store, &no_password).await?)
}

/// Every organisation with a writer allocates (and applies) what it may see: the notes it
/// writes into shared tasks' histories are then read by every reader of those tasks.
async fn allocate(
    http: &Http,
    plan: &Plan,
    tokens: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let mut done = BTreeSet::new();
    for u in &plan.seed.users {
        if done.contains(&u.org)
            || !(u.roles.contains(&Role::Analyst) || u.roles.contains(&Role::Publisher))
        {
            continue;
        }
        done.insert(u.org.clone());
        let resp = http
            .client
            .post(format!("{}/api/v1/coord/allocate", http.base))
            .bearer_auth(&tokens[&u.id])
            .json(&serde_json::json!({"apply": true}))
            .send()
            .await?;
        let status = resp.status().as_u16();
        anyhow::ensure!(
            status == 200,
            "allocate as {}: {status} {}",
            u.id,
            resp.text().await?
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reading over HTTP.

struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    async fn get(&self, token: &str, path: &str) -> anyhow::Result<Answer> {
        let request = self.client.get(format!("{}{path}", self.base));
        Ok(answer(request.bearer_auth(token)).await)
    }

    /// GET, expecting 200 and JSON.
    async fn json(&self, token: &str, path: &str) -> anyhow::Result<serde_json::Value> {
        let a = self.get(token, path).await?;
        anyhow::ensure!(
            a.status == 200,
            "GET {path}: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        );
        Ok(a.json()?)
    }
}

fn ids_at(v: &serde_json::Value, path: &[&str]) -> Vec<String> {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["id"].as_str().unwrap_or("<no id>").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Collects disagreements instead of stopping at the first, so one failing case shows the
/// whole picture for every viewer.
struct Findings(Vec<String>);

impl Findings {
    fn ids(&mut self, who: &str, channel: &str, got: &[String], want: &BTreeSet<Uuid>) {
        let got_set: BTreeSet<&str> = got.iter().map(String::as_str).collect();
        let want_s: Vec<String> = want.iter().map(Uuid::to_string).collect();
        let want_set: BTreeSet<&str> = want_s.iter().map(String::as_str).collect();
        if got_set != want_set || got.len() != want.len() {
            let extra: Vec<&&str> = got_set.difference(&want_set).collect();
            let missing: Vec<&&str> = want_set.difference(&got_set).collect();
            self.0.push(format!(
                "{who}: {channel}: {} ids ({} distinct), want {}; leaked {extra:?}, missing {missing:?}",
                got.len(),
                got_set.len(),
                want.len()
            ));
        }
    }

    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, who: &str, what: &str, got: T, want: T) {
        if got != want {
            self.0
                .push(format!("{who}: {what}: got {got:?}, want {want:?}"));
        }
    }

    /// A list and its total: the ids in `list["items"]` are `want`, and `list["total"]`
    /// counts them.
    fn listed(
        &mut self,
        who: &str,
        channel: &str,
        list: &serde_json::Value,
        want: &BTreeSet<Uuid>,
    ) {
        let items = ids_at(list, &["items"]);
        self.ids(who, &format!("{channel} items"), &items, want);
        let total = list["total"].as_u64();
        self.eq(
            who,
            &format!("{channel} total"),
            total,
            Some(want.len() as u64),
        );
    }

    /// A `record` the reader may see, at `path`: answered 200, its JSON; otherwise a
    /// finding, and `None`.
    fn visible(
        &mut self,
        who: &str,
        path: &str,
        record: &str,
        a: &Answer,
    ) -> anyhow::Result<Option<serde_json::Value>> {
        if a.status != 200 {
            let status = a.status;
            self.0.push(format!(
                "{who}: GET {path} ({record}): {status} but visible"
            ));
            return Ok(None);
        }
        Ok(Some(a.json()?))
    }

    /// A `record` the reader may not see, at `path`: answered exactly like a missing one.
    fn like_missing(&mut self, who: &str, path: &str, record: &str, a: &Answer, missing: &Answer) {
        if a != missing {
            let body = |a: &Answer| format!("{} {}", a.status, String::from_utf8_lossy(&a.body));
            self.0.push(format!(
                "{who}: GET {path} ({record}): {} differs from a missing id's {}",
                body(a),
                body(missing)
            ));
        }
    }

    /// The sum of `field` over the rows in `v[rows]` is `want`.
    fn sum(
        &mut self,
        who: &str,
        what: &str,
        v: &serde_json::Value,
        rows: &str,
        field: &[&str],
        want: i64,
    ) {
        self.eq(who, what, sum(&v[rows], field), want);
    }
}

/// The sum of `field` over the rows of `rows`; -1,000,000 when they are no list.
fn sum(rows: &serde_json::Value, field: &[&str]) -> i64 {
    rows.as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    let mut c = x;
                    for f in field {
                        c = &c[*f];
                    }
                    c.as_i64().unwrap_or(-1_000_000)
                })
                .sum()
        })
        .unwrap_or(-1_000_000)
}

/// One visible task as read: its dependencies are exactly the visible ones, the rest only
/// counted (threat 31); every allocation note in its history is the one the task and the
/// proposed organisation's profile give alone (threat 28).
fn check_task(
    who: &str,
    plan: &Plan,
    visible: &BTreeSet<Uuid>,
    v: &serde_json::Value,
    today: NaiveDate,
    f: &mut Findings,
) {
    let Ok(task) = serde_json::from_value::<Task>(v["task"].clone()) else {
        f.0.push(format!("{who}: a task that does not parse: {v}"));
        return;
    };
    let Some(written) = plan
        .seed
        .tasks
        .iter()
        .map(|s| &s.task)
        .find(|t| t.id == task.id)
    else {
        return;
    };
    let (seen, hidden): (Vec<Uuid>, Vec<Uuid>) = written
        .depends_on
        .iter()
        .partition(|d| visible.contains(*d));
    f.eq(
        who,
        &format!("task {} depends_on", task.id),
        &task.depends_on,
        &seen,
    );
    f.eq(
        who,
        &format!("task {} hidden_dependencies", task.id),
        task.hidden_dependencies as usize,
        hidden.len(),
    );
    for e in v["history"].as_array().into_iter().flatten() {
        let Some(note) = e["note"].as_str().filter(|n| n.starts_with("Allocated")) else {
            continue;
        };
        let org = e["org"].as_str().unwrap_or("");
        let Some(profile) = plan.seed.profiles.iter().find(|p| p.org == org) else {
            f.0.push(format!(
                "{who}: an allocation to {org:?}, which has no profile"
            ));
            continue;
        };
        let want = format!(
            "Allocated: {}",
            vigie_coord::shared_note(
                &vigie_coord::ProblemTask::from(&task),
                profile,
                today,
                false
            )
        );
        f.eq(
            who,
            &format!("task {} allocation note", task.id),
            note,
            want.as_str(),
        );
    }
}

/// Reads every channel as `user` and compares with the oracle.
async fn check_viewer(
    http: &Http,
    plan: &Plan,
    user: &Account,
    token: &str,
    today: NaiveDate,
    f: &mut Findings,
) -> anyhow::Result<()> {
    let who = format!("{} of {} ({})", user.id, user.org, Role::join(&user.roles));
    let who = who.as_str();
    let reader = Reader::User {
        user: user.id.clone(),
        org: user.org.clone(),
        day: today,
    };
    let visible = plan.world.visible(&reader);
    let kind_of: BTreeMap<Uuid, Kind> = plan.world.records.iter().map(|r| (r.id, r.kind)).collect();
    let of_kind = |k: Kind| -> BTreeSet<Uuid> {
        visible
            .iter()
            .filter(|id| kind_of[*id] == k)
            .copied()
            .collect()
    };
    let (events, reports, tasks) = (
        of_kind(Kind::Event),
        of_kind(Kind::Report),
        of_kind(Kind::Task),
    );
    let visible_events: Vec<&Event> = plan
        .seed
        .events
        .iter()
        .map(|s| &s.event)
        .filter(|e| events.contains(&e.id))
        .collect();
    let located: BTreeSet<Uuid> = visible_events
        .iter()
        .filter(|e| e.place.latitude.is_some() && e.place.longitude.is_some())
        .map(|e| e.id)
        .collect();
    let fatalities: i64 = visible_events
        .iter()
        .map(|e| e.fatalities.best.unwrap_or(0))
        .sum();
    let located_fatalities: i64 = visible_events
        .iter()
        .filter(|e| located.contains(&e.id))
        .map(|e| e.fatalities.best.unwrap_or(0))
        .sum();

    // Lists and their totals.
    let v = http.json(token, "/api/v1/events?limit=1000").await?;
    f.listed(who, "GET /events", &v, &events);
    let v = http.json(token, "/api/v1/reports?limit=1000").await?;
    f.listed(who, "GET /reports", &v, &reports);
    let v = http.json(token, "/api/v1/tasks").await?;
    f.ids(who, "GET /tasks items", &ids_at(&v, &["items"]), &tasks);
    // The 3W matrix counts the committed tasks the reader may see (the allocation only
    // proposes open ones).
    let committed = plan
        .seed
        .tasks
        .iter()
        .map(|s| &s.task)
        .filter(|t| tasks.contains(&t.id) && t.status.is_committed())
        .count() as i64;
    let v = http.json(token, "/api/v1/coord/3w").await?;
    f.sum(who, "3W accepted", &v, "rows", &["accepted"], committed);

    // Coverage: each event's twin, visible exactly when the event is.
    let twins: BTreeSet<Uuid> = plan
        .seed
        .coverage
        .iter()
        .filter(|c| events.iter().any(|e| c.basis == format!("twin of {e}")))
        .map(|c| c.id)
        .collect();
    let v = http.json(token, "/api/v1/coverage").await?;
    f.ids(who, "GET /coverage items", &ids_at(&v, &["items"]), &twins);
    // How fresh the data are derives from the visible coverage alone.
    let want = (!twins.is_empty()).then_some("2024-06");
    f.eq(
        who,
        "coverage freshness",
        v["freshness"]["data_until"].as_str(),
        want,
    );
    let v = http.json(token, "/api/v1/alerts").await?;
    f.eq(
        who,
        "alerts freshness",
        v["freshness"]["data_until"].as_str(),
        want,
    );

    // Search.
    let v = http
        .json(token, &format!("/api/v1/search?q={NEEDLE}&limit=1000"))
        .await?;
    f.listed(who, "search events", &v["events"], &events);
    f.listed(who, "search reports", &v["reports"], &reports);

    // Aggregates: statistics and map cells.
    let (n, located_n) = (events.len() as i64, located.len() as i64);
    let v = http.json(token, "/api/v1/stats?by=country-month").await?;
    f.sum(who, "stats events", &v, "rows", &["events"], n);
    f.sum(
        who,
        "stats fatalities",
        &v,
        "rows",
        &["fatalities"],
        fatalities,
    );
    let v = http.json(token, "/api/v1/stats?by=admin1-month").await?;
    f.sum(who, "stats by admin-1 events", &v, "rows", &["events"], n);
    let v = http.json(token, "/api/v1/stats?by=category-month").await?;
    f.sum(who, "stats by category events", &v, "rows", &["events"], n);
    // Every matrix event has one side, "Side A".
    let v = http.json(token, "/api/v1/stats/actors").await?;
    let want = if events.is_empty() {
        serde_json::json!([])
    } else {
        serde_json::json!([{"actor": "Side A", "events": events.len(), "fatalities": fatalities}])
    };
    f.eq(who, "top actors", v["rows"].clone(), want);
    let v = http.json(token, "/api/v1/map/cells").await?;
    let (cell_events, cell_fatalities) = (["properties", "events"], ["properties", "fatalities"]);
    f.sum(
        who,
        "map cells events",
        &v,
        "features",
        &cell_events,
        located_n,
    );
    f.sum(
        who,
        "map cells fatalities",
        &v,
        "features",
        &cell_fatalities,
        located_fatalities,
    );
    let v = http.json(token, "/api/v1/map/events?limit=1000").await?;
    f.ids(who, "map events", &ids_at(&v, &["features"]), &located);
    // The UI's layers: compact points, and cells aggregated per category.
    let v = http.json(token, "/api/v1/map/points?max=20000").await?;
    let points: Vec<String> = v["points"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p[0].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    f.ids(who, "map points", &points, &located);
    let total = v["total"].as_i64().unwrap_or(-1);
    f.eq(who, "map points total", total, n);
    let v = http.json(token, "/api/v1/map/clusters").await?;
    f.sum(
        who,
        "map clusters events",
        &v,
        "cells",
        &["events"],
        located_n,
    );
    let dead = v["fatalities"].as_i64().unwrap_or(-1);
    f.eq(who, "map clusters fatalities", dead, located_fatalities);

    // Exports.
    let v = http
        .json(token, "/api/v1/events/export?format=json")
        .await?;
    let got: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["id"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    f.ids(who, "export json", &got, &events);
    let v = http
        .json(token, "/api/v1/events/export?format=geojson")
        .await?;
    f.ids(who, "export geojson", &ids_at(&v, &["features"]), &events);
    let csv = http.get(token, "/api/v1/events/export?format=csv").await?;
    f.eq(who, "export csv status", csv.status, 200);
    let mut rows = csv::Reader::from_reader(csv.body.as_slice());
    let id_col = rows.headers()?.iter().position(|h| h == "id");
    let mut got = Vec::new();
    for row in rows.records() {
        let row = row?;
        got.push(match id_col {
            Some(i) => row.get(i).unwrap_or("").to_string(),
            None => String::new(),
        });
    }
    f.ids(who, "export csv", &got, &events);

    // One record at a time: visible ones answer 200, the others exactly like nothing.
    let nobody = Uuid::new_v4();
    let missing_event = http.get(token, &format!("/api/v1/events/{nobody}")).await?;
    let missing_report = http
        .get(token, &format!("/api/v1/reports/{nobody}"))
        .await?;
    let missing_source = http
        .get(token, "/api/v1/events/by-source/vigie/no-such-record")
        .await?;
    let missing_task = http.get(token, &format!("/api/v1/tasks/{nobody}")).await?;
    f.eq(who, "missing task status", missing_task.status, 404);
    f.eq(who, "missing event status", missing_event.status, 404);
    f.eq(who, "missing report status", missing_report.status, 404);
    f.eq(who, "missing source id status", missing_source.status, 404);
    for r in &plan.world.records {
        let id = r.id;
        let seen = visible.contains(&id);
        for (kind, path, missing) in [
            (Kind::Event, format!("/api/v1/events/{id}"), &missing_event),
            (
                Kind::Report,
                format!("/api/v1/reports/{id}"),
                &missing_report,
            ),
            (Kind::Task, format!("/api/v1/tasks/{id}"), &missing_task),
        ] {
            let a = http.get(token, &path).await?;
            let record = format!("{:?} {:?} of {}", r.marking, r.dist, r.owner);
            if seen && r.kind == kind {
                let Some(v) = f.visible(who, &path, &record, &a)? else {
                    continue;
                };
                let got = match kind {
                    Kind::Event => &v["event"]["id"],
                    Kind::Task => &v["task"]["id"],
                    Kind::Report => &v["id"],
                };
                if kind == Kind::Task {
                    check_task(who, plan, &visible, &v, today, f);
                }
                f.eq(
                    who,
                    &format!("GET {path} id"),
                    got.as_str(),
                    Some(id.to_string().as_str()),
                );
            } else {
                f.like_missing(who, &path, &record, &a, missing);
            }
        }
    }
    let missing_history = http
        .get(token, &format!("/api/v1/events/{nobody}/history"))
        .await?;
    f.eq(who, "missing history status", missing_history.status, 404);
    for SharedEvent {
        event: e,
        audience: a,
    } in &plan.seed.events
    {
        let record = format!("{} {:?} of {}", a.marking, a.distribution, a.owner);
        let path = format!("/api/v1/events/{}/history", e.id);
        let got = http.get(token, &path).await?;
        if events.contains(&e.id) {
            f.eq(who, &format!("GET {path} status"), got.status, 200);
        } else {
            f.like_missing(who, &path, &record, &got, &missing_history);
        }
        let path = format!(
            "/api/v1/events/by-source/{}/{}",
            e.source.as_str(),
            e.source_id
        );
        let got = http.get(token, &path).await?;
        if events.contains(&e.id) {
            let Some(v) = f.visible(who, &path, &record, &got)? else {
                continue;
            };
            f.eq(
                who,
                &format!("GET {path} id"),
                v["event"]["id"].as_str(),
                Some(e.id.to_string().as_str()),
            );
        } else {
            f.like_missing(who, &path, &record, &got, &missing_source);
        }
    }
    Ok(())
}

/// One case: a fresh store and server, every user reading every channel. Returns the
/// disagreements, or `None` when the UTC day changed during the case (the oracle's day
/// would then be wrong for some reads).
async fn run_case(spec: Spec, postgres: bool) -> anyhow::Result<Option<Vec<String>>> {
    let today = Utc::now().date_naive();
    let plan = plan(&spec, today);
    let backend = if postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    // Without PostgreSQL (and not required to have it), the harness says so and skips.
    let Some(server) = TestServer::start_on(backend).await else {
        return Ok(Some(Vec::new()));
    };
    let store = server.store.as_ref();
    write(store, &plan).await?;
    let http = Http {
        client: reqwest::Client::new(),
        base: server.root(),
    };
    let mut tokens = BTreeMap::new();
    for user in &plan.seed.users {
        let (_, token) =
            vigie_app::accounts::issue_token(store, &user.id, "t", TokenScope::Write, 1).await?;
        tokens.insert(user.id.clone(), token);
    }
    allocate(&http, &plan, &tokens).await?;
    let mut findings = Findings(Vec::new());
    for user in &plan.seed.users {
        check_viewer(&http, &plan, user, &tokens[&user.id], today, &mut findings).await?;
    }
    store.close().await;
    if Utc::now().date_naive() != today {
        return Ok(None);
    }
    Ok(Some(findings.0))
}

/// Runs one case and turns its disagreements into a proptest failure.
fn check(spec: Spec, postgres: bool) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let findings = rt.block_on(run_case(spec, postgres)).expect("the case ran");
    prop_assume!(findings.is_some(), "the UTC day changed during the case");
    let findings = findings.unwrap_or_default();
    prop_assert!(
        findings.is_empty(),
        "{} disagreement(s) with docs/sharing.md:\n{}",
        findings.len(),
        findings.join("\n")
    );
    Ok(())
}

/// Each case starts a server: `default` cases, or VIGIE_MATRIX_CASES (500 for a longer
/// hunt) divided by `share`; failures are kept in the output, not in files.
fn config(share: u32, default: u32, max_shrink_iters: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("VIGIE_MATRIX_CASES")
            .ok()
            .and_then(|n| n.parse::<u32>().ok())
            .map_or(default, |n| n.div_ceil(share)),
        max_shrink_iters,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1, 16, 64))]

    /// Every user, through every read channel, sees exactly what docs/sharing.md says.
    #[test]
    fn matrix_every_channel_agrees_with_the_oracle(spec in spec()) {
        check(spec, false)?;
    }
}

proptest! {
    #![proptest_config(config(2, 8, 32))]

    /// The same on PostgreSQL: the gate is one function, but each backend runs it.
    #[test]
    fn matrix_on_postgres(spec in spec()) {
        check(spec, true)?;
    }
}
