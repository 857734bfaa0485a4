//! Evaluating one alert rule on one reader's numbers. The caller gathers the inputs through
//! the store's gate, for that reader; nothing here reads anything else.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use super::{Alert, AlertRule, RuleKind};
use crate::forecast::{ForecastRun, Level, UnitForecast};
use crate::region;

/// A month as a number: `year * 12 + month - 1`.
pub fn month_index(label: &str) -> Option<i32> {
    let (y, m) = label.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// `YYYY-MM` of a month index.
pub fn month_label(i: i32) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// Observed fatalities per unit and month index (months without any are absent).
pub type Observed = HashMap<String, BTreeMap<i32, i64>>;

/// What one reader may see, gathered for the rule's level (borrowed: many rules share it).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub observed: &'a Observed,
    /// The first and last month of the reader's data.
    pub first_month: i32,
    pub last_month: i32,
    /// The latest run of the level the reader may see, and its forecasts (threshold).
    pub latest: Option<(&'a ForecastRun, &'a [UnitForecast])>,
    /// The latest visible run whose data ended before `last_month`, and its forecasts for
    /// `last_month` (surge).
    pub before: Option<(&'a ForecastRun, &'a [UnitForecast])>,
}

impl Inputs<'_> {
    fn observed(&self, unit: &str, month: i32) -> i64 {
        self.observed
            .get(unit)
            .and_then(|m| m.get(&month))
            .copied()
            .unwrap_or(0)
    }

    fn total(&self, unit: &str, from: i32, to: i32) -> i64 {
        self.observed
            .get(unit)
            .map_or(0, |m| m.range(from..=to).map(|(_, v)| v).sum())
    }
}

fn watched(rule: &AlertRule, unit: &str) -> bool {
    rule.units.is_empty() || rule.units.iter().any(|u| u == unit)
}

fn alert(
    rule: &AlertRule,
    unit: &str,
    month: &str,
    summary: String,
    evidence: serde_json::Value,
) -> Alert {
    Alert {
        id: Alert::id_of(rule.id, unit, month),
        rule: rule.id,
        rule_name: rule.name.clone(),
        rule_name_key: rule.name_key.clone(),
        kind: rule.rule.name().to_string(),
        level: rule.rule.level(),
        unit: unit.to_string(),
        month: month.to_string(),
        marking: rule.audience.marking.as_str().to_string(),
        summary,
        evidence,
        first_seen: None,
        acks: Vec::new(),
    }
}

/// A probability as a whole percentage that never says "0%" or "100%" of what is merely
/// unlikely or likely: "<1%" below 0.5%, ">99%" from 99.5% (short of certainty).
fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".to_string()
    } else if (0.995..1.0).contains(&p) {
        ">99%".to_string()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// "1 fatality", "2 fatalities".
fn fatalities(n: i64) -> String {
    if n == 1 {
        "1 fatality".to_string()
    } else {
        format!("{n} fatalities")
    }
}

fn run_evidence(run: &ForecastRun) -> serde_json::Value {
    json!({
        "id": run.id,
        "model": run.model,
        "data_until": run.data_until,
        "created_at": run.created_at,
    })
}

/// The neighbours of `unit` at `level` (admin-1 regions, or countries through them).
fn neighbours(level: Level, unit: &str) -> Vec<String> {
    match level {
        Level::Admin1 => region::by_key(unit)
            .map(|i| {
                region::regions()[i]
                    .neighbours
                    .iter()
                    .map(|&j| region::key(j))
                    .collect()
            })
            .unwrap_or_default(),
        Level::Country => region::country_neighbours(unit)
            .into_iter()
            .map(str::to_string)
            .collect(),
        Level::Grid => Vec::new(),
    }
}

/// Every unit spillover looks at: those the neighbour table knows.
fn spillover_units(level: Level) -> Vec<String> {
    match level {
        Level::Admin1 => (0..region::regions().len()).map(region::key).collect(),
        Level::Country => {
            let mut c: Vec<String> = region::regions()
                .iter()
                .map(|r| r.iso3.to_string())
                .collect();
            c.dedup();
            c
        }
        Level::Grid => Vec::new(),
    }
}

/// The alerts `rule` raises on `inputs`, by unit then month.
pub fn evaluate(rule: &AlertRule, inputs: &Inputs<'_>) -> Vec<Alert> {
    let mut out = Vec::new();
    match &rule.rule {
        RuleKind::Threshold {
            fatalities,
            months,
            probability,
            ..
        } => {
            let Some((run, rows)) = inputs.latest else {
                return out;
            };
            for f in rows
                .iter()
                .filter(|f| f.ahead == *months && watched(rule, &f.unit))
            {
                let p = f.p_total_at_least(f64::from(*fatalities));
                if p <= *probability {
                    continue;
                }
                let from =
                    month_index(&run.data_until).map_or_else(String::new, |m| month_label(m + 1));
                out.push(alert(
                    rule,
                    &f.unit,
                    &from,
                    format!(
                        "{}: probability {} of at least {fatalities} fatalities from {from} to {} (rule: above {})",
                        f.unit,
                        percent(p),
                        f.month,
                        percent(*probability)
                    ),
                    json!({
                        "probability": p,
                        "fatalities": fatalities,
                        "months": months,
                        "from": from,
                        "to": f.month,
                        "median_total": f.cumulative.get(50),
                        "upper_total_95": f.cumulative.get(95),
                        "run": run_evidence(run),
                    }),
                ));
            }
        }
        RuleKind::Surge { .. } => {
            let Some((run, rows)) = inputs.before else {
                return out;
            };
            let month = month_label(inputs.last_month);
            for f in rows
                .iter()
                .filter(|f| f.month == month && watched(rule, &f.unit))
            {
                let seen = inputs.observed(&f.unit, inputs.last_month);
                if (seen as f64) <= f.q95 {
                    continue;
                }
                out.push(alert(
                    rule,
                    &f.unit,
                    &month,
                    format!(
                        "{}: {} in {month}, above the forecast's 95% upper bound of {:.0}",
                        f.unit,
                        fatalities(seen),
                        f.q95
                    ),
                    json!({
                        "observed": seen,
                        "upper_95": f.q95,
                        "forecast_mean": f.mean,
                        "months_ahead": f.ahead,
                        "run": run_evidence(run),
                    }),
                ));
            }
        }
        RuleKind::Spillover {
            level,
            quiet_months,
            active_months,
        } => {
            let quiet = *quiet_months as i32;
            let active = *active_months as i32;
            // Onsets in the last three months of data, with a quiet period the data covers.
            let first = (inputs.last_month - 2).max(inputs.first_month + quiet);
            for unit in spillover_units(*level).iter().filter(|u| watched(rule, u)) {
                for m in first..=inputs.last_month {
                    let now = inputs.observed(unit, m);
                    if now <= 0 || inputs.total(unit, m - quiet, m - 1) != 0 {
                        continue;
                    }
                    let active_next: Vec<serde_json::Value> = neighbours(*level, unit)
                        .iter()
                        .filter_map(|n| {
                            let t = inputs.total(n, m - active + 1, m);
                            (t > 0).then(|| json!({"unit": n, "fatalities": t}))
                        })
                        .collect();
                    if active_next.is_empty() {
                        continue;
                    }
                    let month = month_label(m);
                    let names: Vec<&str> = active_next
                        .iter()
                        .filter_map(|v| v["unit"].as_str())
                        .collect();
                    out.push(alert(
                        rule,
                        unit,
                        &month,
                        format!(
                            "{unit}: {} in {month} after {quiet} months without any, next to active {}",
                            fatalities(now),
                            names.join(", ")
                        ),
                        json!({
                            "observed": now,
                            "quiet_months": quiet,
                            "quiet_since": month_label(m - quiet),
                            "active_months": active,
                            "active_neighbours": active_next,
                        }),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_never_round_to_certainty() {
        use super::percent;
        assert_eq!(percent(0.995), ">99%");
        assert_eq!(percent(0.9949), "99%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(super::fatalities(1), "1 fatality");
        assert_eq!(super::fatalities(0), "0 fatalities");
        assert_eq!(super::fatalities(4), "4 fatalities");
    }

    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::Audience;

    fn rule(kind: RuleKind, units: &[&str]) -> AlertRule {
        AlertRule {
            id: Uuid::from_u128(7),
            name: "test".into(),
            name_key: None,
            rule: kind,
            units: units.iter().map(|u| u.to_string()).collect(),
            webhook: None,
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            audience: Audience::public(),
        }
    }

    fn run(until: &str) -> ForecastRun {
        ForecastRun {
            id: Uuid::from_u128(1),
            level: Level::Country,
            model: "gbm".into(),
            data_from: "2000-01".into(),
            data_until: until.into(),
            months: 3,
            draws: 1000,
            computed_for: "public".into(),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            audience: Audience::public(),
        }
    }

    fn forecast(
        unit: &str,
        month: &str,
        ahead: u32,
        q95: f64,
        cumulative: Vec<f64>,
    ) -> UnitForecast {
        UnitForecast {
            unit: unit.into(),
            month: month.into(),
            ahead,
            mean: q95 / 3.0,
            q05: 0.0,
            q50: q95 / 4.0,
            q95,
            p_any: 0.5,
            p_25: 0.1,
            cumulative,
        }
    }

    fn m(label: &str) -> i32 {
        month_index(label).unwrap()
    }

    #[test]
    fn months_count_from_year_zero() {
        assert_eq!(month_label(m("2024-01") - 1), "2023-12");
        assert_eq!(month_index("2024-13"), None);
    }

    #[test]
    fn threshold_fires_above_its_probability_only() {
        let r = run("2023-12");
        // 0..=100 in steps of 1: P(total >= 60) = 40.5%, P(total >= 30) = 70.5%.
        let rows = vec![
            forecast("MLI", "2024-03", 3, 0.0, (0..=100).map(f64::from).collect()),
            forecast("BFA", "2024-03", 3, 0.0, vec![0.0; 101]),
            forecast("MLI", "2024-01", 1, 0.0, (0..=100).map(f64::from).collect()),
        ];
        let none = Observed::new();
        let inputs = Inputs {
            observed: &none,
            first_month: 0,
            last_month: 0,
            latest: Some((&r, &rows)),
            before: None,
        };
        let kind = |n| RuleKind::Threshold {
            level: Level::Country,
            fatalities: n,
            months: 3,
            probability: 0.5,
        };
        let fired = evaluate(&rule(kind(30), &[]), &inputs);
        assert_eq!(fired.len(), 1);
        assert_eq!(
            (fired[0].unit.as_str(), fired[0].month.as_str()),
            ("MLI", "2024-01")
        );
        assert_eq!(fired[0].evidence["to"], "2024-03");
        assert!((fired[0].evidence["probability"].as_f64().unwrap() - 0.705).abs() < 1e-9);
        assert!(evaluate(&rule(kind(60), &[]), &inputs).is_empty());
        assert!(evaluate(&rule(kind(30), &["BFA"]), &inputs).is_empty());
        // The same rule, unit and month: the same id.
        assert_eq!(fired[0].id, evaluate(&rule(kind(30), &[]), &inputs)[0].id);
    }

    #[test]
    fn surge_compares_last_month_with_the_upper_bound() {
        let r = run("2023-11");
        let rows = vec![
            forecast("MLI", "2024-01", 2, 40.0, vec![]),
            forecast("NER", "2024-01", 2, 40.0, vec![]),
        ];
        let mut observed = Observed::new();
        observed.insert("MLI".into(), [(m("2024-01"), 41)].into());
        observed.insert("NER".into(), [(m("2024-01"), 40)].into());
        let inputs = Inputs {
            observed: &observed,
            first_month: m("2024-01"),
            last_month: m("2024-01"),
            latest: None,
            before: Some((&r, &rows)),
        };
        let fired = evaluate(
            &rule(
                RuleKind::Surge {
                    level: Level::Country,
                },
                &[],
            ),
            &inputs,
        );
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].unit, "MLI");
        assert_eq!(fired[0].evidence["observed"], 41);
    }

    #[test]
    fn spillover_from_burkina_faso_into_northern_benin() {
        let kind = RuleKind::Spillover {
            level: Level::Admin1,
            quiet_months: 24,
            active_months: 12,
        };
        fn inputs(observed: &Observed, first_month: i32) -> Inputs<'_> {
            Inputs {
                observed,
                first_month,
                last_month: m("2022-06"),
                latest: None,
                before: None,
            }
        }
        // Burkina Faso's Est region active for years; Alibori quiet, then 5 fatalities.
        let mut observed = Observed::new();
        observed.insert(
            "BFA/Est".into(),
            (m("2019-01")..=m("2022-06")).map(|i| (i, 10)).collect(),
        );
        observed.insert("BEN/Alibori".into(), [(m("2022-05"), 5)].into());
        let fired = evaluate(&rule(kind.clone(), &[]), &inputs(&observed, m("2019-01")));
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert_eq!(
            (fired[0].unit.as_str(), fired[0].month.as_str()),
            ("BEN/Alibori", "2022-05")
        );
        assert_eq!(fired[0].evidence["active_neighbours"][0]["unit"], "BFA/Est");
        assert_eq!(fired[0].evidence["active_neighbours"][0]["fatalities"], 120);
        // Too little history to call 24 months quiet.
        assert!(evaluate(&rule(kind.clone(), &[]), &inputs(&observed, m("2021-01"))).is_empty());
        // Not quiet: fatalities 20 months before.
        let mut noisy = observed.clone();
        noisy
            .get_mut("BEN/Alibori")
            .unwrap()
            .insert(m("2020-09"), 1);
        assert!(evaluate(&rule(kind.clone(), &[]), &inputs(&noisy, m("2019-01"))).is_empty());
        // Quiet again, but no active neighbour in the last 12 months.
        observed.insert(
            "BFA/Est".into(),
            (m("2019-01")..=m("2021-04")).map(|i| (i, 10)).collect(),
        );
        assert!(evaluate(&rule(kind, &[]), &inputs(&observed, m("2019-01"))).is_empty());
    }
}
