//! The demo's response coordination: a coordination profile for every organisation (level,
//! mandates, where and when it may act, capacity per quarter, comparative advantages with
//! their rationale) and a few response tasks at every stage of their lifecycle, one of them
//! answering a spillover alert of the demo data.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vigie_core::{
    Advantage, Audience, CapacityPeriod, CoordinationProfile, Distribution, Marking, OrgLevel,
    ScopeWindow, Task, TaskStatus, TaskType,
};
use vigie_store::{Store, TaskEvent};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("demo date")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("demo time")
        .with_timezone(&Utc)
}

const WEST_AFRICA_AND_SAHEL: &[&str] = &[
    "BEN", "BFA", "CIV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI", "MRT", "NER", "NGA", "SEN",
    "SLE", "TCD", "TGO", "CMR",
];

fn scope(countries: &[&str], from: &str, until: Option<&str>, consent: bool) -> Vec<ScopeWindow> {
    countries
        .iter()
        .map(|c| ScopeWindow {
            country: c.to_string(),
            from: d(from),
            until: until.map(d),
            consent_required: consent,
        })
        .collect()
}

/// Quarterly capacity through 2026 and 2027.
fn quarters(person_days: f64, budget: f64) -> Vec<CapacityPeriod> {
    let starts = [
        "2026-01-01",
        "2026-04-01",
        "2026-07-01",
        "2026-10-01",
        "2027-01-01",
        "2027-04-01",
        "2027-07-01",
        "2027-10-01",
        "2028-01-01",
    ];
    starts
        .windows(2)
        .map(|w| CapacityPeriod {
            from: d(w[0]),
            until: d(w[1]),
            person_days,
            budget,
        })
        .collect()
}

fn adv(task_type: TaskType, score: f64, rationale: &str) -> Advantage {
    Advantage {
        task_type,
        score,
        rationale: rationale.into(),
    }
}

/// Every organisation's profile but the public sources' and the secretariat's (which
/// allocates, and takes no task itself).
pub fn profiles() -> Vec<CoordinationProfile> {
    use TaskType::*;
    let ecowas_members = [
        "BEN", "CIV", "GHA", "GIN", "GMB", "GNB", "LBR", "NGA", "SEN", "SLE", "TGO",
    ];
    let mut ecowas_scope = scope(&ecowas_members, "1975-05-28", None, false);
    // Mali, Burkina Faso and Niger left on 2025-01-29: before, members; after, only with
    // the host state's consent.
    ecowas_scope.extend(scope(
        &["MLI", "BFA", "NER"],
        "1975-05-28",
        Some("2025-01-29"),
        false,
    ));
    ecowas_scope.extend(scope(&["MLI", "BFA", "NER"], "2025-01-29", None, true));
    let national = |org: &str, iso3: &str| CoordinationProfile {
        org: org.into(),
        level: OrgLevel::National,
        mandates: vec![
            IntelligenceLiaison,
            EarlyWarning,
            BorderSecurity,
            CounterFinancing,
        ],
        scope: scope(&[iso3], "1990-01-01", None, false),
        capacity: quarters(60.0, 40_000.0),
        advantages: vec![
            adv(
                IntelligenceLiaison,
                0.9,
                "Own sources and liaison officers on the ground",
            ),
            adv(
                EarlyWarning,
                0.7,
                "Local knowledge, French- and local-language reporting",
            ),
            adv(
                BorderSecurity,
                0.6,
                "Border police and customs under national command",
            ),
            adv(
                CounterFinancing,
                0.5,
                "Financial intelligence unit, limited cross-border reach",
            ),
        ],
    };
    let mut out = vec![
        CoordinationProfile {
            org: "au-psd".into(),
            level: OrgLevel::Continental,
            mandates: vec![Mediation, EarlyWarning, StandbyForce, GovernanceSupport, Disengagement],
            scope: scope(WEST_AFRICA_AND_SAHEL, "2004-05-25", None, false),
            capacity: quarters(200.0, 400_000.0),
            advantages: vec![
                adv(Mediation, 0.8, "AU High Representative for Mali and the Sahel; Panel of the Wise"),
                adv(EarlyWarning, 0.8, "Continental Early Warning System situation room"),
                adv(StandbyForce, 0.5, "African Standby Force doctrine, slow to generate"),
                adv(GovernanceSupport, 0.6, "Transition monitoring after the 2020–2023 coups"),
                adv(Disengagement, 0.4, "Policy framework, few programmes of its own"),
            ],
        },
        CoordinationProfile {
            org: "ecowas".into(),
            level: OrgLevel::Regional,
            mandates: vec![Mediation, EarlyWarning, BorderSecurity, CounterFinancing, StandbyForce, GovernanceSupport],
            scope: ecowas_scope,
            capacity: quarters(180.0, 300_000.0),
            advantages: vec![
                adv(Mediation, 0.7, "Mediation and Security Council; experience in Guinea-Bissau and The Gambia"),
                adv(EarlyWarning, 0.9, "ECOWARN: national monitors and the Abuja situation room"),
                adv(BorderSecurity, 0.7, "Free-movement protocol and joint border posts"),
                adv(CounterFinancing, 0.9, "GIABA, the regional financial-action task force"),
                adv(StandbyForce, 0.6, "ECOWAS Standby Force, counter-terrorism brigade planned"),
                adv(GovernanceSupport, 0.7, "Protocol on Democracy and Good Governance"),
            ],
        },
        CoordinationProfile {
            org: "un".into(),
            level: OrgLevel::Global,
            mandates: vec![Mediation, HumanitarianAccess, Disengagement, GovernanceSupport, EarlyWarning],
            scope: {
                let mut s = scope(WEST_AFRICA_AND_SAHEL, "1990-01-01", None, false);
                // After MINUSMA's departure, UN work in Mali needs the host's consent.
                s.retain(|w| w.country != "MLI");
                s.extend(scope(&["MLI"], "1990-01-01", Some("2024-01-01"), false));
                s.extend(scope(&["MLI"], "2024-01-01", None, true));
                s
            },
            capacity: quarters(300.0, 1_000_000.0),
            advantages: vec![
                adv(HumanitarianAccess, 0.95, "OCHA access negotiation; humanitarian coordinators in every Sahel country"),
                adv(Disengagement, 0.8, "DDR section experience; UNDP reintegration programmes"),
                adv(Mediation, 0.6, "UNOWAS good offices; party to the 2015 Algiers agreement's follow-up"),
                adv(GovernanceSupport, 0.7, "UNDP rule-of-law and local governance programmes"),
                adv(EarlyWarning, 0.5, "Analysis from UNOWAS and the agencies"),
            ],
        },
        CoordinationProfile {
            org: "g5-sahel".into(),
            level: OrgLevel::Coalition,
            mandates: vec![BorderSecurity, IntelligenceLiaison],
            // Dissolved in December 2023: it can no longer take tasks.
            scope: scope(&["MRT", "MLI", "BFA", "NER", "TCD"], "2014-02-16", Some("2023-12-06"), false),
            capacity: quarters(0.0, 0.0),
            advantages: vec![adv(BorderSecurity, 0.5, "Joint force, dissolved in 2023")],
        },
        CoordinationProfile {
            org: "accra-initiative".into(),
            level: OrgLevel::Coalition,
            mandates: vec![BorderSecurity, IntelligenceLiaison, EarlyWarning],
            scope: scope(&["BEN", "BFA", "CIV", "GHA", "TGO"], "2017-09-01", None, false),
            capacity: quarters(80.0, 60_000.0),
            advantages: vec![
                adv(BorderSecurity, 0.85, "Joint operations Koudanlgou on the northern borders"),
                adv(IntelligenceLiaison, 0.8, "Intelligence sharing among the coastal states and Burkina Faso"),
                adv(EarlyWarning, 0.5, "Shared threat assessments"),
            ],
        },
        CoordinationProfile {
            org: "lcbc".into(),
            level: OrgLevel::Regional,
            mandates: vec![Disengagement, BorderSecurity, HumanitarianAccess],
            scope: scope(&["NGA", "NER", "TCD", "CMR"], "1964-05-22", None, false),
            capacity: quarters(90.0, 150_000.0),
            advantages: vec![
                adv(Disengagement, 0.85, "Regional Stabilisation Strategy; screening and reintegration of Boko Haram leavers"),
                adv(BorderSecurity, 0.6, "Multinational Joint Task Force"),
                adv(HumanitarianAccess, 0.4, "Basin governors' forum"),
            ],
        },
    ];
    for (org, iso3) in [
        ("mli-nia", "MLI"),
        ("bfa-nia", "BFA"),
        ("ner-nia", "NER"),
        ("mrt-nia", "MRT"),
        ("tcd-nia", "TCD"),
        ("nga-nia", "NGA"),
        ("ben-nia", "BEN"),
        ("tgo-nia", "TGO"),
    ] {
        out.push(national(org, iso3));
    }
    out
}

/// Who a demo task is shared with (TLP:AMBER, owned by the secretariat).
#[derive(Clone, Copy)]
enum Shared {
    /// The tripartite community only (AU, ECOWAS, UN, secretariat).
    Tripartite,
    /// Every organisation with a current community membership.
    AllCommunities,
    /// Named organisations (for those in no community, such as the Accra Initiative).
    Orgs(&'static [&'static str]),
}

fn secretariat(shared: Shared) -> Audience {
    Audience {
        owner: "secretariat".into(),
        creator: Some("secretariat.publisher".into()),
        marking: Marking::Amber,
        distribution: match shared {
            Shared::Tripartite => Distribution::Community {
                id: "tripartite".into(),
            },
            Shared::AllCommunities => Distribution::AllCommunities,
            Shared::Orgs(orgs) => Distribution::Organisations {
                orgs: orgs.iter().map(|o| o.to_string()).collect(),
            },
        },
    }
}

struct SeedTask {
    title: &'static str,
    task_type: TaskType,
    countries: &'static [&'static str],
    regions: &'static [&'static str],
    effort_days: f64,
    budget: f64,
    deadline: &'static str,
    priority: u8,
    consent: (bool, bool),
    /// The status changes after creation: (time, status, organisation, note).
    steps: &'static [(&'static str, TaskStatus, &'static str, &'static str)],
    created: &'static str,
    from_alert: Option<(&'static str, &'static str)>,
    shared: Shared,
}

fn seed_tasks() -> Vec<SeedTask> {
    use TaskStatus::*;
    use TaskType::*;
    vec![
        SeedTask {
            title: "Early-warning analysis: Togo's Savanes after two quiet years",
            task_type: EarlyWarning,
            countries: &["TGO"],
            regions: &["TGO/Savanes"],
            effort_days: 10.0,
            budget: 5_000.0,
            deadline: "2026-12-15",
            priority: 4,
            consent: (false, false),
            created: "2026-11-02T09:00:00Z",
            steps: &[
                (
                    "2026-11-03T10:00:00Z",
                    Proposed,
                    "tgo-nia",
                    "Allocated: national level first",
                ),
                (
                    "2026-11-04T16:30:00Z",
                    Accepted,
                    "tgo-nia",
                    "Analysts assigned",
                ),
                ("2026-11-10T08:00:00Z", InProgress, "tgo-nia", ""),
            ],
            from_alert: Some((
                "Spillover into a region after 24 quiet months",
                "TGO/Savanes",
            )),
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Mediation support: community dialogue in Mopti",
            task_type: Mediation,
            countries: &["MLI"],
            regions: &["MLI/Mopti"],
            effort_days: 40.0,
            budget: 60_000.0,
            deadline: "2027-02-28",
            priority: 5,
            consent: (true, true),
            created: "2026-10-20T09:00:00Z",
            steps: &[],
            from_alert: None,
            shared: Shared::Tripartite,
        },
        SeedTask {
            title: "Counter-financing: cattle-rustling proceeds in Liptako-Gourma",
            task_type: CounterFinancing,
            countries: &["BFA", "NER", "MLI"],
            regions: &[],
            effort_days: 30.0,
            budget: 25_000.0,
            deadline: "2027-03-31",
            priority: 4,
            consent: (true, false),
            created: "2026-10-25T09:00:00Z",
            steps: &[],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Disengagement: reintegration of Lake Chad returnees",
            task_type: Disengagement,
            countries: &["NGA", "TCD", "NER"],
            regions: &["NGA/Borno"],
            effort_days: 80.0,
            budget: 120_000.0,
            deadline: "2027-06-30",
            priority: 3,
            consent: (false, false),
            created: "2026-06-01T09:00:00Z",
            steps: &[
                ("2026-06-03T09:00:00Z", Proposed, "lcbc", ""),
                ("2026-06-10T09:00:00Z", Accepted, "lcbc", ""),
                (
                    "2026-07-01T09:00:00Z",
                    InProgress,
                    "lcbc",
                    "Screening centre in Maiduguri open",
                ),
            ],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Border security: Benin–Niger border posts on the W park",
            task_type: BorderSecurity,
            countries: &["BEN"],
            regions: &["BEN/Alibori"],
            effort_days: 25.0,
            budget: 30_000.0,
            deadline: "2026-12-31",
            priority: 4,
            consent: (false, false),
            created: "2026-10-01T09:00:00Z",
            steps: &[
                ("2026-10-02T09:00:00Z", Proposed, "ben-nia", ""),
                (
                    "2026-10-06T09:00:00Z",
                    Declined,
                    "ben-nia",
                    "No capacity left this quarter",
                ),
            ],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Humanitarian access: negotiating the Djibo corridor",
            task_type: HumanitarianAccess,
            countries: &["BFA"],
            regions: &["BFA/Sahel"],
            effort_days: 20.0,
            budget: 15_000.0,
            deadline: "2026-09-30",
            priority: 5,
            consent: (false, false),
            created: "2026-05-01T09:00:00Z",
            steps: &[
                ("2026-05-02T09:00:00Z", Proposed, "un", ""),
                ("2026-05-03T09:00:00Z", Accepted, "un", ""),
                ("2026-05-05T09:00:00Z", InProgress, "un", ""),
                (
                    "2026-08-20T09:00:00Z",
                    Done,
                    "un",
                    "Three convoys reached Djibo; corridor held six weeks",
                ),
            ],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Governance support: Tillabéri local councils",
            task_type: GovernanceSupport,
            countries: &["NER"],
            regions: &["NER/Tillabéri"],
            effort_days: 35.0,
            budget: 45_000.0,
            deadline: "2026-08-31",
            priority: 2,
            consent: (true, true),
            created: "2026-03-01T09:00:00Z",
            steps: &[
                ("2026-03-02T09:00:00Z", Proposed, "au-psd", ""),
                ("2026-03-09T09:00:00Z", Accepted, "au-psd", ""),
                ("2026-03-20T09:00:00Z", InProgress, "au-psd", ""),
                (
                    "2026-08-31T09:00:00Z",
                    Failed,
                    "au-psd",
                    "Councils suspended by decree; programme halted",
                ),
            ],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Intelligence liaison: supply routes through Kayes",
            task_type: IntelligenceLiaison,
            countries: &["MLI"],
            regions: &["MLI/Kayes"],
            effort_days: 15.0,
            budget: 8_000.0,
            deadline: "2027-01-31",
            priority: 3,
            consent: (false, false),
            created: "2026-11-15T09:00:00Z",
            steps: &[(
                "2026-11-16T09:00:00Z",
                Proposed,
                "mli-nia",
                "Allocated: national level first",
            )],
            from_alert: None,
            shared: Shared::AllCommunities,
        },
        SeedTask {
            title: "Border security: joint patrols on the Ghana–Burkina Faso border",
            task_type: BorderSecurity,
            countries: &["GHA", "BFA"],
            regions: &["GHA/Upper East", "BFA/Centre-Est"],
            effort_days: 30.0,
            budget: 40_000.0,
            deadline: "2027-03-31",
            priority: 4,
            consent: (false, false),
            created: "2026-09-01T09:00:00Z",
            steps: &[
                ("2026-09-02T09:00:00Z", Proposed, "accra-initiative", ""),
                (
                    "2026-09-05T09:00:00Z",
                    Accepted,
                    "accra-initiative",
                    "Koudanlgou cell to plan it",
                ),
            ],
            from_alert: None,
            shared: Shared::Orgs(&["secretariat", "accra-initiative", "au-psd", "ecowas", "un"]),
        },
    ]
}

/// Seeds the profiles and the tasks (with their histories).
pub async fn seed(store: &dyn Store, spillover_rule: Uuid) -> anyhow::Result<()> {
    for p in profiles() {
        p.check()
            .map_err(|e| anyhow::anyhow!("demo profile {}: {}", p.org, e))?;
        store.set_coordination_profile(&p, None).await?;
    }
    for s in seed_tasks() {
        let created = at(s.created);
        let mut task = Task {
            id: Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("vigie-demo-task:{}", s.title).as_bytes(),
            ),
            title: s.title.into(),
            task_type: s.task_type,
            countries: s.countries.iter().map(|c| c.to_string()).collect(),
            regions: s.regions.iter().map(|r| r.to_string()).collect(),
            effort_days: s.effort_days,
            budget: s.budget,
            deadline: d(s.deadline),
            priority: s.priority,
            depends_on: Vec::new(),
            hidden_dependencies: 0,
            consent_required: s.consent.0,
            consent_obtained: s.consent.1,
            alert: s
                .from_alert
                .map(|(_, unit)| vigie_core::Alert::id_of(spillover_rule, unit, "2023-10")),
            status: TaskStatus::Open,
            assignee: None,
            declined_by: Vec::new(),
            outcome: None,
            created_at: created,
            updated_at: created,
            audience: secretariat(s.shared),
        };
        task.check_fields()
            .map_err(|e| anyhow::anyhow!("demo task {}: {}", s.title, e))?;
        let event = |at: DateTime<Utc>, from, to, org: Option<&str>, note: &str| TaskEvent {
            at,
            actor: Some(match to {
                TaskStatus::Open | TaskStatus::Proposed => "secretariat.publisher".to_string(),
                _ => format!("{}.publisher", org.unwrap_or("secretariat")),
            }),
            actor_org: Some(match to {
                TaskStatus::Open | TaskStatus::Proposed => "secretariat".to_string(),
                _ => org.unwrap_or("secretariat").to_string(),
            }),
            from_status: from,
            to_status: to,
            org: org.map(str::to_string),
            note: (!note.is_empty()).then(|| note.to_string()),
        };
        store
            .create_task(
                &task,
                &event(
                    created,
                    None,
                    TaskStatus::Open,
                    None,
                    "created by the secretariat",
                ),
                None,
            )
            .await?;
        for (when, to, org, note) in s.steps {
            let from = task.status;
            task.status = *to;
            task.updated_at = at(when);
            match to {
                TaskStatus::Proposed => task.assignee = Some(org.to_string()),
                TaskStatus::Declined => {
                    task.assignee = None;
                    task.declined_by.push(org.to_string());
                }
                TaskStatus::Done | TaskStatus::Failed => task.outcome = Some(note.to_string()),
                _ => {}
            }
            let step = event(task.updated_at, Some(from), *to, Some(org), note);
            store.update_tasks(&[(task.clone(), step)], None).await?;
        }
    }
    Ok(())
}
