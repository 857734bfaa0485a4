//! Evaluating one alert rule on one reader's numbers. The caller gathers the inputs through
//! the store's gate, for that reader; nothing here reads anything else.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Alert, AlertRule, RuleKind, Watch};
use crate::coverage::{month_ranges, unit_country, CoverageIndex, Freshness};
use crate::forecast::{ForecastRun, Level, UnitForecast};
use crate::region;

pub use crate::month::{month_index, month_label};

/// Observed fatalities per unit and month index (months without any are absent).
pub type Observed = HashMap<String, BTreeMap<i32, i64>>;

/// What one reader may see, gathered for the rule's level (borrowed: many rules share it).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub observed: &'a Observed,
    /// The last month of the reader's data.
    pub last_month: i32,
    /// The latest run of the level the reader may see, and its forecasts (threshold).
    pub latest: Option<(&'a ForecastRun, &'a [UnitForecast])>,
    /// The latest visible run whose data ended before `last_month`, and its forecasts for
    /// `last_month` (surge).
    pub before: Option<(&'a ForecastRun, &'a [UnitForecast])>,
    /// Where the reader's visible sources are complete: a month without any record counts
    /// as a month without any event only there.
    pub coverage: &'a CoverageIndex,
    /// The rule's scope resolved for the day of evaluation, when it has one.
    pub watch: Option<&'a Watch>,
    /// The current month (a month index): how stale the data are.
    pub now: i32,
}

/// A would-be alert the data could not decide: a unit and month whose evidence rests on
/// months no complete source covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unassessed {
    pub rule: Uuid,
    pub unit: String,
    /// `YYYY-MM`: the month it would have been about.
    pub month: String,
    /// A stable code the UI translates: `quiet-period-not-covered`.
    pub code: String,
    /// The months no complete source covers, as ranges (`2021-10 – 2023-09`).
    pub missing: String,
    /// How many months that is.
    pub missing_months: u32,
    /// One sentence, in English.
    pub reason: String,
}

/// What one rule says on one reader's data: the alerts it raises and what it could not assess.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub alerts: Vec<Alert>,
    pub unassessed: Vec<Unassessed>,
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

fn watched(rule: &AlertRule, watch: Option<&Watch>, unit: &str) -> bool {
    match watch {
        None => rule.units.is_empty() || rule.units.iter().any(|u| u == unit),
        Some(w) => rule.units.iter().any(|u| u == unit) || w.watches(rule.rule.level(), unit),
    }
}

fn alert(
    rule: &AlertRule,
    unit: &str,
    month: &str,
    summary: String,
    evidence: serde_json::Value,
    freshness: Freshness,
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
        freshness,
    }
}

/// "(data end in 2023-10)" after a summary resting on stale data.
fn stale_note(f: &Freshness) -> String {
    match (&f.data_until, f.stale) {
        (Some(u), true) => format!(" (data end in {u})"),
        _ => String::new(),
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
        "missing_months": run.missing_months,
        "missing": run.missing,
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

/// The alerts `rule` raises on `inputs`, by unit then month, and the would-be alerts its
/// reader's coverage could not decide.
pub fn evaluate(rule: &AlertRule, inputs: &Inputs<'_>) -> Evaluation {
    let mut out = Vec::new();
    let mut unassessed = Vec::new();
    let watch = inputs.watch;
    // The data's own end: the last month any visible source covers, or holds a record of.
    let data_end = inputs
        .coverage
        .last_any()
        .map_or(inputs.last_month, |l| l.max(inputs.last_month));
    let data_freshness = Freshness::of(Some(data_end), inputs.now);
    match &rule.rule {
        RuleKind::Threshold {
            fatalities,
            months,
            probability,
            ..
        } => {
            let Some((run, rows)) = inputs.latest else {
                return Evaluation::default();
            };
            let freshness = Freshness::of(month_index(&run.data_until), inputs.now);
            for f in rows
                .iter()
                .filter(|f| f.ahead == *months && watched(rule, watch, &f.unit))
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
                        "{}: probability {} of at least {fatalities} fatalities from {from} to {} (rule: above {}){}",
                        f.unit,
                        percent(p),
                        f.month,
                        percent(*probability),
                        stale_note(&freshness)
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
                    freshness.clone(),
                ));
            }
        }
        RuleKind::Surge { level } => {
            let Some((run, rows)) = inputs.before else {
                return Evaluation::default();
            };
            let month = month_label(inputs.last_month);
            for f in rows
                .iter()
                .filter(|f| f.month == month && watched(rule, watch, &f.unit))
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
                        "{}: {} in {month}, above the forecast's 95% upper bound of {:.0}{}",
                        f.unit,
                        fatalities(seen),
                        f.q95,
                        stale_note(&data_freshness)
                    ),
                    json!({
                        "observed": seen,
                        "upper_95": f.q95,
                        "forecast_mean": f.mean,
                        "months_ahead": f.ahead,
                        "run": run_evidence(run),
                        "month_complete": inputs.coverage.complete(unit_country(*level, &f.unit), inputs.last_month),
                        "series": series(inputs, *level, &f.unit, inputs.last_month - 11, inputs.last_month),
                        "sources": inputs.coverage.sources(unit_country(*level, &f.unit), inputs.last_month, inputs.last_month),
                    }),
                    data_freshness.clone(),
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
            // Onsets in the last three months of data. A quiet period counts only months a
            // complete source covers: elsewhere no record is no news, not peace.
            let first = inputs.last_month - 2;
            for unit in spillover_units(*level)
                .iter()
                .filter(|u| watched(rule, watch, u))
            {
                let country = unit_country(*level, unit);
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
                    let missing = inputs.coverage.missing(country, m - quiet, m - 1);
                    if !missing.is_empty() {
                        let ranges = month_ranges(&missing);
                        unassessed.push(Unassessed {
                            rule: rule.id,
                            unit: unit.clone(),
                            month: month.clone(),
                            code: "quiet-period-not-covered".into(),
                            reason: format!(
                                "{unit}: {} in {month}, but no complete source covers {} of the {quiet} months before ({ranges}): no record there is not a quiet period",
                                fatalities(now),
                                missing.len(),
                            ),
                            missing: ranges,
                            missing_months: missing.len() as u32,
                        });
                        continue;
                    }
                    let names: Vec<&str> = active_next
                        .iter()
                        .filter_map(|v| v["unit"].as_str())
                        .collect();
                    out.push(alert(
                        rule,
                        unit,
                        &month,
                        format!(
                            "{unit}: {} in {month} after {quiet} months without any, next to active {}{}",
                            fatalities(now),
                            names.join(", "),
                            stale_note(&data_freshness)
                        ),
                        json!({
                            "observed": now,
                            "quiet_months": quiet,
                            "quiet_since": month_label(m - quiet),
                            "active_months": active,
                            "active_neighbours": active_next,
                            "quiet_covered": true,
                            "series": series(inputs, *level, unit, m - quiet, m),
                            "sources": inputs.coverage.sources(country, m - quiet, m),
                        }),
                        data_freshness.clone(),
                    ));
                }
            }
        }
    }
    Evaluation {
        alerts: out,
        unassessed,
    }
}

/// The observed fatalities of `unit` month by month over `from..=to`, each with whether a
/// complete source covers it: the series an alert rests on.
fn series(inputs: &Inputs<'_>, level: Level, unit: &str, from: i32, to: i32) -> serde_json::Value {
    let country = unit_country(level, unit);
    (from..=to)
        .map(|m| {
            json!({
                "month": month_label(m),
                "fatalities": inputs.observed(unit, m),
                "complete": inputs.coverage.complete(country, m),
            })
        })
        .collect()
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
            scope: None,
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
            missing_months: 0,
            missing: String::new(),
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
        let coverage = CoverageIndex::default();
        let inputs = Inputs {
            observed: &none,
            last_month: 0,
            latest: Some((&r, &rows)),
            before: None,
            coverage: &coverage,
            watch: None,
            now: m("2024-01"),
        };
        let kind = |n| RuleKind::Threshold {
            level: Level::Country,
            fatalities: n,
            months: 3,
            probability: 0.5,
        };
        let fired = evaluate(&rule(kind(30), &[]), &inputs).alerts;
        assert_eq!(fired.len(), 1);
        assert!(!fired[0].freshness.stale);
        assert_eq!(fired[0].freshness.data_until.as_deref(), Some("2023-12"));
        assert_eq!(
            (fired[0].unit.as_str(), fired[0].month.as_str()),
            ("MLI", "2024-01")
        );
        assert_eq!(fired[0].evidence["to"], "2024-03");
        assert!((fired[0].evidence["probability"].as_f64().unwrap() - 0.705).abs() < 1e-9);
        assert!(evaluate(&rule(kind(60), &[]), &inputs).alerts.is_empty());
        assert!(evaluate(&rule(kind(30), &["BFA"]), &inputs)
            .alerts
            .is_empty());
        // The same rule, unit and month: the same id.
        assert_eq!(
            fired[0].id,
            evaluate(&rule(kind(30), &[]), &inputs).alerts[0].id
        );
        // Seen three years later, the same alert says its data are stale.
        let later = Inputs {
            now: m("2026-12"),
            ..inputs
        };
        let old = evaluate(&rule(kind(30), &[]), &later).alerts;
        assert!(old[0].freshness.stale);
        assert!(
            old[0].summary.ends_with("(data end in 2023-12)"),
            "{}",
            old[0].summary
        );
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
        let coverage = CoverageIndex::default();
        let inputs = Inputs {
            observed: &observed,
            last_month: m("2024-01"),
            latest: None,
            before: Some((&r, &rows)),
            coverage: &coverage,
            watch: None,
            now: m("2024-02"),
        };
        let fired = evaluate(
            &rule(
                RuleKind::Surge {
                    level: Level::Country,
                },
                &[],
            ),
            &inputs,
        )
        .alerts;
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].unit, "MLI");
        assert_eq!(fired[0].evidence["observed"], 41);
    }

    fn covered(countries: &[&str], from: &str, until: &str, complete: bool) -> crate::Coverage {
        crate::Coverage {
            id: Uuid::nil(),
            source: crate::Source::UcdpGed,
            file: "f.csv".into(),
            import_batch: None,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            from: from.into(),
            until: until.into(),
            complete,
            basis: String::new(),
            basis_key: None,
            recorded_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            audience: Audience::public(),
        }
    }

    #[test]
    fn spillover_from_burkina_faso_into_northern_benin() {
        let kind = RuleKind::Spillover {
            level: Level::Admin1,
            quiet_months: 24,
            active_months: 12,
        };
        fn inputs<'a>(observed: &'a Observed, coverage: &'a CoverageIndex) -> Inputs<'a> {
            Inputs {
                observed,
                last_month: m("2022-06"),
                latest: None,
                before: None,
                coverage,
                watch: None,
                now: m("2022-07"),
            }
        }
        // Burkina Faso's Est region active for years; Alibori quiet, then 5 fatalities.
        let mut observed = Observed::new();
        observed.insert(
            "BFA/Est".into(),
            (m("2019-01")..=m("2022-06")).map(|i| (i, 10)).collect(),
        );
        observed.insert("BEN/Alibori".into(), [(m("2022-05"), 5)].into());
        let complete = CoverageIndex::new(&[covered(&[], "2019-01", "2022-06", true)]);
        let eval = evaluate(&rule(kind.clone(), &[]), &inputs(&observed, &complete));
        let fired = eval.alerts;
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert!(eval.unassessed.is_empty());
        assert_eq!(
            (fired[0].unit.as_str(), fired[0].month.as_str()),
            ("BEN/Alibori", "2022-05")
        );
        assert_eq!(fired[0].evidence["active_neighbours"][0]["unit"], "BFA/Est");
        assert_eq!(fired[0].evidence["active_neighbours"][0]["fatalities"], 120);
        assert_eq!(fired[0].evidence["series"].as_array().unwrap().len(), 25);
        assert_eq!(
            fired[0].evidence["sources"],
            serde_json::json!(["ucdp-ged: f.csv"])
        );
        // Complete coverage of Benin alone is enough: the quiet period is Benin's.
        let benin = CoverageIndex::new(&[covered(&["BEN"], "2019-01", "2022-06", true)]);
        assert_eq!(
            evaluate(&rule(kind.clone(), &[]), &inputs(&observed, &benin))
                .alerts
                .len(),
            1
        );
        // Too little complete history to call 24 months quiet: not assessed, and said so.
        let short = CoverageIndex::new(&[covered(&[], "2021-01", "2022-06", true)]);
        let eval = evaluate(&rule(kind.clone(), &[]), &inputs(&observed, &short));
        assert!(eval.alerts.is_empty());
        assert_eq!(eval.unassessed.len(), 1);
        assert_eq!(eval.unassessed[0].missing, "2020-05 – 2020-12");
        assert_eq!(eval.unassessed[0].missing_months, 8);
        // A partial source never makes a unit quiet, whatever it spans; nor does another
        // country's complete coverage.
        let partial = CoverageIndex::new(&[
            covered(&[], "1989-01", "2022-06", false),
            covered(&["BFA"], "1989-01", "2022-06", true),
        ]);
        let eval = evaluate(&rule(kind.clone(), &[]), &inputs(&observed, &partial));
        assert!(eval.alerts.is_empty());
        assert_eq!(eval.unassessed[0].missing_months, 24);
        // Not quiet: fatalities 20 months before.
        let mut noisy = observed.clone();
        noisy
            .get_mut("BEN/Alibori")
            .unwrap()
            .insert(m("2020-09"), 1);
        let eval = evaluate(&rule(kind.clone(), &[]), &inputs(&noisy, &complete));
        assert!(eval.alerts.is_empty() && eval.unassessed.is_empty());
        // A scope without Benin does not watch Alibori.
        let watch = super::super::Scope {
            countries: vec!["TGO".into()],
            ..Default::default()
        }
        .resolve(&[]);
        let scoped = Inputs {
            watch: Some(&watch),
            ..inputs(&observed, &complete)
        };
        assert!(evaluate(&rule(kind.clone(), &[]), &scoped)
            .alerts
            .is_empty());
        // Quiet again, but no active neighbour in the last 12 months.
        observed.insert(
            "BFA/Est".into(),
            (m("2019-01")..=m("2021-04")).map(|i| (i, 10)).collect(),
        );
        assert!(evaluate(&rule(kind, &[]), &inputs(&observed, &complete))
            .alerts
            .is_empty());
    }
}
