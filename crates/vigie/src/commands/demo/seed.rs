//! The demo's organisations, communities, users and shared records: a realistic Sahel
//! set-up, seeded once into a store (a second run finds it and changes nothing).

use chrono::{NaiveDate, Utc};
use uuid::Uuid;
use vigie_core::{
    Actor, AlertRule, Audience, Community, DatePrecision, Distribution, Event, Fatalities,
    LocationPrecision, Marking, Membership, OrgKind, Organisation, Period, Place, Provenance,
    Report, ReportStatus, Role, RuleKind, SharingGroup, Source, User, ViolenceCategory,
    PUBLIC_SOURCES_ORG,
};
use vigie_store::Store;

/// Every demo user's password (printed when the demo starts).
pub const DEMO_PASSWORD: &str = "vigie-demo-2026";

const ORGS: &[(&str, &str, OrgKind)] = &[
    (
        "au-psd",
        "African Union Peace and Security Department / CEWS",
        OrgKind::Continental,
    ),
    ("ecowas", "ECOWAS Commission", OrgKind::Regional),
    ("un", "United Nations", OrgKind::Un),
    (
        "mli-nia",
        "Mali national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "bfa-nia",
        "Burkina Faso national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "ner-nia",
        "Niger national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "mrt-nia",
        "Mauritania national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "tcd-nia",
        "Chad national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "nga-nia",
        "Nigeria national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "ben-nia",
        "Benin national intelligence agency",
        OrgKind::NationalAgency,
    ),
    (
        "tgo-nia",
        "Togo national intelligence agency",
        OrgKind::NationalAgency,
    ),
    ("g5-sahel", "G5 Sahel", OrgKind::AdHocCoalition),
    (
        "accra-initiative",
        "Accra Initiative",
        OrgKind::AdHocCoalition,
    ),
    ("lcbc", "Lake Chad Basin Commission", OrgKind::Regional),
    (
        "secretariat",
        "Tripartite technical secretariat",
        OrgKind::AdHocCoalition,
    ),
    (
        PUBLIC_SOURCES_ORG,
        "Public sources (UCDP, GDELT, …)",
        OrgKind::PublicSource,
    ),
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("demo date")
}

/// An organisation's membership: (org, from, until).
type Member = (&'static str, &'static str, Option<&'static str>);

/// (community, name, members)
fn communities() -> Vec<(&'static str, &'static str, Vec<Member>)> {
    vec![
        (
            "ecowas",
            "ECOWAS",
            vec![
                ("ecowas", "1975-05-28", None),
                ("nga-nia", "1975-05-28", None),
                ("ben-nia", "1975-05-28", None),
                ("tgo-nia", "1975-05-28", None),
                // Mali, Burkina Faso and Niger left ECOWAS on 2025-01-29.
                ("mli-nia", "1975-05-28", Some("2025-01-29")),
                ("bfa-nia", "1975-05-28", Some("2025-01-29")),
                ("ner-nia", "1975-05-28", Some("2025-01-29")),
            ],
        ),
        (
            "nouakchott-process",
            "Nouakchott Process",
            vec![
                ("au-psd", "2013-03-17", None),
                ("mli-nia", "2013-03-17", None),
                ("bfa-nia", "2013-03-17", None),
                ("ner-nia", "2013-03-17", None),
                ("mrt-nia", "2013-03-17", None),
                ("tcd-nia", "2013-03-17", None),
                ("nga-nia", "2013-03-17", None),
            ],
        ),
        (
            "tripartite",
            "Tripartite committee (AU, ECOWAS, UN)",
            vec![
                ("au-psd", "2024-01-01", None),
                ("ecowas", "2024-01-01", None),
                ("un", "2024-01-01", None),
                ("secretariat", "2024-01-01", None),
            ],
        ),
        (
            "lake-chad",
            "Lake Chad Basin",
            vec![
                ("lcbc", "1964-05-22", None),
                ("nga-nia", "1964-05-22", None),
                ("ner-nia", "1964-05-22", None),
                ("tcd-nia", "1964-05-22", None),
            ],
        ),
    ]
}

/// The users: for every organisation but public sources, `<org>.publisher`,
/// `<org>.analyst` and `<org>.reader`, an org-admin for the big three, and `admin`.
fn users() -> Vec<User> {
    let mut out = Vec::new();
    for (org, name, _) in ORGS.iter().filter(|(o, _, _)| *o != PUBLIC_SOURCES_ORG) {
        for (suffix, roles) in [
            ("publisher", vec![Role::Analyst, Role::Publisher]),
            ("analyst", vec![Role::Analyst]),
            ("reader", vec![Role::Reader]),
        ] {
            out.push(User {
                id: format!("{org}.{suffix}"),
                org: org.to_string(),
                name: format!("{suffix} ({name})"),
                roles,
                disabled: false,
            });
        }
        if ["au-psd", "ecowas", "un"].contains(org) {
            out.push(User {
                id: format!("{org}.admin"),
                org: org.to_string(),
                name: format!("org-admin ({name})"),
                roles: vec![Role::OrgAdmin],
                disabled: false,
            });
        }
    }
    out.push(User {
        id: "admin".into(),
        org: "secretariat".into(),
        name: "Site administrator".into(),
        roles: vec![Role::SiteAdmin],
        disabled: false,
    });
    out
}

fn audience(owner: &str, creator: &str, marking: Marking, distribution: Distribution) -> Audience {
    Audience {
        owner: owner.into(),
        creator: Some(creator.into()),
        marking,
        distribution,
    }
}

fn community(id: &str) -> Distribution {
    Distribution::Community { id: id.into() }
}

struct SeedReport {
    title: &'static str,
    body: &'static str,
    country: Option<&'static str>,
    created: &'static str,
    status: ReportStatus,
    audience: Audience,
}

fn reports() -> Vec<SeedReport> {
    use Marking::*;
    vec![
        SeedReport {
            title: "Lessons learned: the MINUSMA drawdown, 2023",
            body: "What the handover of camps in northern Mali taught the mission and its partners: sequencing, liaison with national forces, protection of civilians after withdrawal.",
            country: Some("MLI"),
            created: "2024-03-04T09:00:00Z",
            status: ReportStatus::Published,
            audience: audience("un", "un.publisher", Clear, Distribution::AllCommunities),
        },
        SeedReport {
            title: "Coastal states weekly: northern Benin and Togo",
            body: "Incidents along the W-Arly-Pendjari complex rose for the third week running; cross-border movement reported near Porga and Dapaong.",
            country: Some("BEN"),
            created: "2025-06-02T08:00:00Z",
            status: ReportStatus::Published,
            audience: audience("ecowas", "ecowas.publisher", Green, community("ecowas")),
        },
        SeedReport {
            title: "Central Sahel spillover risk assessment (ECOWAS, 2024)",
            body: "Shared with ECOWAS members while Mali, Burkina Faso and Niger were members; since 2025-01-29 their agencies no longer see it.",
            country: Some("BFA"),
            created: "2024-11-15T10:00:00Z",
            status: ReportStatus::Published,
            audience: audience("ecowas", "ecowas.publisher", Amber, community("ecowas")),
        },
        SeedReport {
            title: "Tripartite committee: proposed division of tasks, Q3",
            body: "Mediation support to the AU; early-warning bulletins for coastal states to ECOWAS; disarmament, demobilisation and reintegration support to the UN.",
            country: None,
            created: "2025-07-10T14:00:00Z",
            status: ReportStatus::Published,
            audience: audience("au-psd", "au-psd.publisher", Amber, community("tripartite")),
        },
        SeedReport {
            title: "Axes logistiques dans la région de Ménaka",
            body: "Rapport de terrain : les convois de carburant et de motos empruntent de nouveaux axes au sud de Ménaka. Partagé avec les services du Burkina Faso et du Niger uniquement.",
            country: Some("MLI"),
            created: "2025-09-01T07:30:00Z",
            status: ReportStatus::Published,
            audience: audience(
                "mli-nia",
                "mli-nia.publisher",
                AmberStrict,
                Distribution::Organisations { orgs: vec!["bfa-nia".into(), "ner-nia".into()] },
            ),
        },
        SeedReport {
            title: "Source report: financing network, Tillabéri",
            body: "For the named recipient only.",
            country: Some("NER"),
            created: "2025-10-03T12:00:00Z",
            status: ReportStatus::Published,
            audience: audience(
                "ner-nia",
                "ner-nia.publisher",
                Red,
                Distribution::Recipients { users: vec!["mli-nia.publisher".into()] },
            ),
        },
        SeedReport {
            title: "Disengagement programme: early results (draft)",
            body: "Draft for internal review before sharing with the Nouakchott Process.",
            country: Some("NER"),
            created: "2025-10-20T16:00:00Z",
            status: ReportStatus::Draft,
            audience: audience("au-psd", "au-psd.analyst", Amber, Distribution::Organisation),
        },
        SeedReport {
            title: "Liaison note: Sahel agencies' sharing group",
            body: "Coordination of border patrol schedules between Mali, Burkina Faso and Niger.",
            country: Some("MLI"),
            created: "2025-08-12T09:00:00Z",
            status: ReportStatus::Published,
            audience: audience("mli-nia", "mli-nia.publisher", Amber, Distribution::SharingGroup { id: "mli-nia.sahel-liaison".into() }),
        },
    ]
}

/// Field reports by national agencies, in French, under restricted markings.
fn field_events() -> Vec<(Event, Audience)> {
    use Marking::*;
    let items = [
        (
            "2025-10-14",
            "MLI",
            "Mopti",
            "Boulkessi",
            14.90,
            -1.63,
            ViolenceCategory::StateBased,
            6,
            "Attaque contre un poste militaire ; six morts selon une source locale.",
            audience(
                "mli-nia",
                "mli-nia.publisher",
                Amber,
                community("nouakchott-process"),
            ),
        ),
        (
            "2025-10-21",
            "BFA",
            "Sahel",
            "Djibo",
            14.10,
            -1.63,
            ViolenceCategory::OneSided,
            11,
            "Civils tués sur l'axe Djibo–Namssiguia.",
            audience(
                "bfa-nia",
                "bfa-nia.publisher",
                Green,
                community("nouakchott-process"),
            ),
        ),
        (
            "2025-11-02",
            "NER",
            "Tillabéri",
            "Téra",
            14.01,
            0.75,
            ViolenceCategory::NonState,
            4,
            "Affrontements entre groupes armés près de Téra.",
            audience(
                "ner-nia",
                "ner-nia.publisher",
                AmberStrict,
                Distribution::Organisations {
                    orgs: vec!["mli-nia".into()],
                },
            ),
        ),
        (
            "2025-11-09",
            "BEN",
            "Alibori",
            "Karimama",
            12.07,
            3.18,
            ViolenceCategory::StateBased,
            2,
            "Incursion repoussée près du parc W.",
            audience("ben-nia", "ben-nia.publisher", Green, community("ecowas")),
        ),
        (
            "2025-11-12",
            "TGO",
            "Savanes",
            "Dapaong",
            10.86,
            0.21,
            ViolenceCategory::OneSided,
            1,
            "Engin explosif improvisé sur la route nationale 1.",
            audience(
                "tgo-nia",
                "tgo-nia.publisher",
                Amber,
                Distribution::Organisation,
            ),
        ),
    ];
    items
        .into_iter()
        .enumerate()
        .map(
            |(i, (date, cty, adm1, loc, lat, lon, cat, deaths, text, aud))| {
                let source_id = format!("demo-{:03}", i + 1);
                let info = vigie_core::country::by_iso3(cty);
                let event = Event {
                    id: Event::stable_id(Source::Vigie, &source_id),
                    source: Source::Vigie,
                    source_id,
                    source_version: None,
                    period: Period {
                        start: d(date),
                        end: d(date),
                        precision: DatePrecision::Day,
                    },
                    place: Place {
                        latitude: Some(lat),
                        longitude: Some(lon),
                        precision: Some(LocationPrecision::Exact),
                        source_precision: None,
                        country: Some(cty.into()),
                        gw_id: info.and_then(|c| c.gw).map(i32::from),
                        views_id: info.and_then(|c| c.views_id).map(i32::from),
                        admin1: Some(adm1.into()),
                        admin2: None,
                        location: Some(loc.into()),
                        priogrid_gid: vigie_core::priogrid::gid(lat, lon),
                    },
                    category: cat,
                    source_type: "report".into(),
                    side_a: None,
                    side_b: Some(Actor {
                        name: "Unidentified armed group".into(),
                        source_id: None,
                    }),
                    fatalities: Fatalities {
                        best: Some(deaths),
                        low: None,
                        high: None,
                    },
                    description: Some(text.into()),
                    extra: serde_json::Map::new(),
                    provenance: Provenance {
                        batch: None,
                        file: "demo".into(),
                        line: 0,
                    },
                    owner: aud.owner.clone(),
                    marking: aud.marking,
                };
                (event, aud)
            },
        )
        .collect()
}

/// Seeds everything unless the store already has the demo's organisations. Returns
/// whether it seeded.
pub async fn seed(store: &dyn Store) -> anyhow::Result<bool> {
    if store.org("au-psd").await?.is_some() {
        return Ok(false);
    }
    for (id, name, kind) in ORGS {
        if store.org(id).await?.is_none() {
            store
                .create_org(
                    &Organisation {
                        id: id.to_string(),
                        name: name.to_string(),
                        kind: *kind,
                    },
                    None,
                )
                .await?;
        }
    }
    for (id, name, members) in communities() {
        store
            .create_community(
                &Community {
                    id: id.into(),
                    name: name.into(),
                },
                None,
            )
            .await?;
        for (org, from, until) in members {
            store
                .add_membership(
                    &Membership {
                        community: id.into(),
                        org: org.into(),
                        from: d(from),
                        until: until.map(d),
                    },
                    None,
                )
                .await?;
        }
    }
    store
        .create_sharing_group(
            &SharingGroup {
                id: "mli-nia.sahel-liaison".into(),
                name: "Sahel agencies' liaison".into(),
                owner: "mli-nia".into(),
                members: vec!["mli-nia".into(), "bfa-nia".into(), "ner-nia".into()],
            },
            None,
        )
        .await?;
    // One hash for everyone: argon2 is deliberately slow, and the demo has ~50 users.
    let hash = vigie_app::accounts::hash_password(DEMO_PASSWORD);
    for u in users() {
        store.create_user(&u, Some(&hash), None).await?;
    }
    for r in reports() {
        let created = chrono::DateTime::parse_from_rfc3339(r.created)
            .expect("demo time")
            .with_timezone(&Utc);
        store
            .create_report(
                &Report {
                    id: Uuid::new_v5(
                        &Uuid::NAMESPACE_URL,
                        format!("vigie-demo:{}", r.title).as_bytes(),
                    ),
                    title: r.title.into(),
                    body: r.body.into(),
                    country: r.country.map(str::to_string),
                    admin1: None,
                    status: r.status,
                    version: 1,
                    created_at: created,
                    updated_at: created,
                    audience: r.audience,
                },
                None,
            )
            .await?;
    }
    for (event, aud) in field_events() {
        store.create_event(&event, &aud, None).await?;
    }
    let rules = alert_rules();
    for rule in &rules {
        store.create_alert_rule(rule, None).await?;
    }
    super::coord::seed(store, rules[0].id).await?;
    store
        .audit(&vigie_store::audit::NewAuditEntry {
            actor: Some("cli".into()),
            actor_org: None,
            action: "admin".into(),
            record_kind: None,
            record_id: None,
            detail: serde_json::json!({"op": "demo-seed"}),
        })
        .await?;
    Ok(true)
}

/// The demo's alert rules: one per kind, under different audiences.
pub fn alert_rules() -> Vec<AlertRule> {
    use vigie_core::Level;
    use Marking::{Amber, AmberStrict, Clear, Green};
    let rule = |name: &str, rule: RuleKind, units: &[&str], audience: Audience| AlertRule {
        id: Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("vigie-demo-rule:{name}").as_bytes(),
        ),
        name: name.into(),
        rule,
        units: units.iter().map(|u| u.to_string()).collect(),
        webhook: None,
        created_at: chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
            .expect("demo time")
            .with_timezone(&Utc),
        audience,
    };
    vec![
        rule(
            "Spillover into a region after 24 quiet months",
            RuleKind::Spillover {
                level: Level::Admin1,
                quiet_months: 24,
                active_months: 12,
            },
            &[],
            audience(
                "ecowas",
                "ecowas.publisher",
                Clear,
                Distribution::AllCommunities,
            ),
        ),
        rule(
            "At least 25 fatalities within 3 months, more likely than not",
            RuleKind::Threshold {
                level: Level::Country,
                fatalities: 25,
                months: 3,
                probability: 0.5,
            },
            &[],
            audience(
                "au-psd",
                "au-psd.publisher",
                Green,
                Distribution::AllCommunities,
            ),
        ),
        rule(
            "Coastal states: at least 10 fatalities within 6 months (p > 20%)",
            RuleKind::Threshold {
                level: Level::Country,
                fatalities: 10,
                months: 6,
                probability: 0.2,
            },
            &["BEN", "TGO", "GHA", "CIV"],
            audience(
                "secretariat",
                "secretariat.publisher",
                Amber,
                community("tripartite"),
            ),
        ),
        rule(
            "Surge above the forecast's 95% bound",
            RuleKind::Surge {
                level: Level::Admin1,
            },
            &[],
            audience(
                "mli-nia",
                "mli-nia.publisher",
                AmberStrict,
                Distribution::Organisation,
            ),
        ),
    ]
}

/// A few accounts to try, for the start-up message.
pub fn accounts_to_try() -> &'static [(&'static str, &'static str)] {
    &[
        (
            "admin",
            "site-admin (administers; reads only CLEAR records of others)",
        ),
        ("ecowas.publisher", "ECOWAS Commission publisher"),
        (
            "mli-nia.publisher",
            "Mali agency: left ECOWAS on 2025-01-29; the RED recipient",
        ),
        ("bfa-nia.reader", "Burkina Faso agency reader"),
        ("au-psd.analyst", "AU analyst (drafts)"),
        ("un.admin", "UN org-admin"),
    ]
}
