//! Synthetic but realistic Sahel problems, for the benchmark, the tests and demos: 15
//! countries, national institutions, regional bodies and coalitions, the AU and UN agencies,
//! the nine task types, quarterly capacities that run out for some organisations, ECOWAS
//! needing host consent in Mali, Burkina Faso and Niger after their withdrawal took effect
//! on 2025-01-29. Deterministic for a seed.

use chrono::{Days, NaiveDate};
use uuid::Uuid;
use vigie_core::coordination::{
    Advantage, CapacityPeriod, CoordinationProfile, OrgLevel, ScopeWindow, TaskType,
};
use vigie_core::task::TaskStatus;

use crate::problem::{Problem, ProblemTask};

/// The countries of the synthetic problems.
pub const COUNTRIES: [&str; 15] = [
    "MLI", "BFA", "NER", "TCD", "MRT", "SEN", "NGA", "CMR", "BEN", "TGO", "GHA", "CIV", "GIN",
    "GMB", "SDN",
];

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn uuid(&mut self) -> Uuid {
        Uuid::from_u64_pair(self.next_u64(), self.next_u64())
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// The date the ECOWAS withdrawal of Mali, Burkina Faso and Niger took effect.
pub fn ecowas_withdrawal() -> NaiveDate {
    d(2025, 1, 29)
}

fn quarters(rng: &mut Rng, days: f64, budget: f64, spread: f64) -> Vec<CapacityPeriod> {
    (0..4)
        .map(|q| CapacityPeriod {
            from: d(2025, 1 + 3 * q, 1),
            until: if q == 3 {
                d(2026, 1, 1)
            } else {
                d(2025, 4 + 3 * q, 1)
            },
            person_days: (days * (1.0 - spread + 2.0 * spread * rng.unit())).round(),
            budget: (budget * (1.0 - spread + 2.0 * spread * rng.unit())).round(),
        })
        .collect()
}

fn window(country: &str, consent: bool) -> ScopeWindow {
    ScopeWindow {
        country: country.into(),
        from: d(2020, 1, 1),
        until: None,
        consent_required: consent,
    }
}

fn advantages(rng: &mut Rng, mandates: &[TaskType]) -> Vec<Advantage> {
    mandates
        .iter()
        .map(|t| Advantage {
            task_type: *t,
            score: (rng.unit() * 100.0).round() / 100.0,
            rationale: format!("track record in {t}"),
        })
        .collect()
}

fn pick_types(rng: &mut Rng, from: &[TaskType], min: usize, extra: usize) -> Vec<TaskType> {
    let n = min + rng.below(extra);
    let mut v: Vec<TaskType> = from.to_vec();
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
    v.truncate(n.min(v.len()));
    v.sort();
    v
}

/// `n` organisations: national institutions of the 15 countries, regional bodies and
/// coalitions, AU organs and UN agencies, in that mix; beyond 40 the mix repeats.
pub fn organisations(rng: &mut Rng, n: usize) -> Vec<CoordinationProfile> {
    use TaskType::*;
    let regional: [(&str, OrgLevel, &[&str]); 8] = [
        (
            "ecowas",
            OrgLevel::Regional,
            &[
                "MLI", "BFA", "NER", "NGA", "SEN", "BEN", "TGO", "GHA", "CIV", "GIN", "GMB",
            ],
        ),
        ("eccas", OrgLevel::Regional, &["TCD", "CMR"]),
        (
            "cen-sad",
            OrgLevel::Regional,
            &[
                "MLI", "BFA", "NER", "TCD", "MRT", "SEN", "NGA", "BEN", "TGO", "GHA", "CIV", "GIN",
                "GMB", "SDN",
            ],
        ),
        ("igad", OrgLevel::Regional, &["SDN"]),
        (
            "mnjtf",
            OrgLevel::Coalition,
            &["NGA", "NER", "TCD", "CMR", "BEN"],
        ),
        ("aes", OrgLevel::Coalition, &["MLI", "BFA", "NER"]),
        (
            "accra-initiative",
            OrgLevel::Coalition,
            &["BFA", "GHA", "TGO", "BEN", "CIV"],
        ),
        ("lcbc", OrgLevel::Regional, &["NGA", "NER", "TCD", "CMR"]),
    ];
    let continental = ["au-psc", "au-misahel", "au-acsrt", "au-cewarn", "au-pcrd"];
    let global = [
        "un-unowas",
        "un-ocha",
        "un-undp",
        "un-unodc",
        "un-wfp",
        "un-unhcr",
        "un-dppa",
        "un-iom",
        "un-unicef",
        "un-ohchr",
        "un-pbso",
        "un-dpo",
    ];
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while out.len() < n {
        let round = i / 40;
        let k = i % 40;
        i += 1;
        let suffix = if round == 0 {
            String::new()
        } else {
            format!("-{}", round + 1)
        };
        let (org, level, scope, mandates, days, budget, spread) = if k < 15 {
            let c = COUNTRIES[k];
            let m = pick_types(
                rng,
                &[
                    Mediation,
                    EarlyWarning,
                    BorderSecurity,
                    GovernanceSupport,
                    Disengagement,
                ],
                2,
                3,
            );
            (
                format!("gov-{}", c.to_ascii_lowercase()),
                OrgLevel::National,
                vec![window(c, false)],
                m,
                // National institutions are small: their capacity binds.
                60.0 + 80.0 * rng.unit(),
                150_000.0,
                0.5,
            )
        } else if k < 23 {
            let (name, level, countries) = regional[k - 15];
            let m = pick_types(rng, &TaskType::ALL, 3, 4);
            let scope = countries
                .iter()
                .map(|c| {
                    if name == "ecowas" && matches!(*c, "MLI" | "BFA" | "NER") {
                        // Withdrawn: consent needed from 2025-01-29.
                        ScopeWindow {
                            country: (*c).into(),
                            from: ecowas_withdrawal(),
                            until: None,
                            consent_required: true,
                        }
                    } else {
                        window(c, false)
                    }
                })
                .collect();
            (name.to_string(), level, scope, m, 1200.0, 6e6, 0.4)
        } else if k < 28 {
            let m = pick_types(rng, &TaskType::ALL, 4, 4);
            let scope = COUNTRIES.iter().map(|c| window(c, false)).collect();
            (
                continental[k - 23].to_string(),
                OrgLevel::Continental,
                scope,
                m,
                700.0,
                5e6,
                0.3,
            )
        } else {
            let m = pick_types(rng, &TaskType::ALL, 2, 4);
            let scope = COUNTRIES
                .iter()
                .map(|c| window(c, *c == "MLI" && rng.chance(0.5)))
                .collect();
            (
                global[k - 28].to_string(),
                OrgLevel::Global,
                scope,
                m,
                1500.0,
                2e7,
                0.3,
            )
        };
        let capacity = quarters(rng, days, budget, spread);
        let advantages = advantages(rng, &mandates);
        out.push(CoordinationProfile {
            org: format!("{org}{suffix}"),
            level,
            mandates,
            scope,
            capacity,
            advantages,
        });
    }
    out
}

/// `n` tasks in 2025: types and countries at random (one country, sometimes two), efforts
/// of 5 to 60 person-days, budgets of 5,000 to 200,000, priorities 1 to 5, a tenth
/// depending on an earlier task, a fifth needing host consent (obtained for most).
pub fn tasks(rng: &mut Rng, n: usize) -> Vec<ProblemTask> {
    let mut out: Vec<ProblemTask> = Vec::with_capacity(n);
    for i in 0..n {
        let task_type = TaskType::ALL[rng.below(9)];
        let mut countries = vec![COUNTRIES[rng.below(COUNTRIES.len())].to_string()];
        if rng.chance(0.15) {
            let c = COUNTRIES[rng.below(COUNTRIES.len())].to_string();
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
        let depends_on = if i > 0 && rng.chance(0.1) {
            vec![out[rng.below(i)].id]
        } else {
            vec![]
        };
        let consent_required = rng.chance(0.2);
        out.push(ProblemTask {
            id: rng.uuid(),
            title: format!("{task_type} in {} #{i}", countries.join("+")),
            task_type,
            countries,
            effort_days: (5.0 + 55.0 * rng.unit()).round(),
            budget: (5_000.0 + 195_000.0 * rng.unit()).round(),
            deadline: d(2025, 1, 1)
                .checked_add_days(Days::new(rng.below(365) as u64))
                .expect("in range"),
            priority: 1 + rng.below(5) as u8,
            depends_on,
            hidden_dependencies: 0,
            consent_required,
            consent_obtained: rng.chance(0.75),
            declined_by: vec![],
            status: TaskStatus::Open,
            assignee: None,
        });
    }
    out
}

/// A whole problem: `n_tasks` × `n_orgs`, as of 2025-03-01.
pub fn sahel(n_tasks: usize, n_orgs: usize, seed: u64) -> Problem {
    let mut rng = Rng::new(seed);
    let organisations = organisations(&mut rng, n_orgs);
    let tasks = tasks(&mut rng, n_tasks);
    Problem {
        as_of: d(2025, 3, 1),
        organisations,
        tasks,
        pins: vec![],
        excludes: vec![],
        time_limit_secs: Some(crate::problem::DEFAULT_TIME_LIMIT_SECS),
    }
}
