//! The alerts a reader gets: every rule the reader may see, evaluated on what the reader may
//! see (statistics and forecast runs read through the gate as that reader), with when each
//! alert was first raised to that reader. Two readers may get different alerts from the
//! same rule, and neither gets one from a record it may not see.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use uuid::Uuid;
use vigie_core::alert::{evaluate, month_index, month_label, Inputs, Unassessed, Watch};
use vigie_core::coverage::{month_of, CoverageIndex, Freshness};
use vigie_core::{
    Alert, AlertAck, AlertRule, ForecastRun, Level, RuleKind, UnitForecast, Viewer,
    ViolenceCategory,
};
use vigie_store::{EventFilter, StatsBy, Store, StoreError};

/// Observed fatalities per unit and month of `level`, as `viewer` may see them:
/// state-based only when `state_based`, else every category.
pub async fn observed(
    store: &dyn Store,
    viewer: &Viewer,
    level: Level,
    state_based: bool,
) -> Result<HashMap<String, BTreeMap<i32, i64>>, StoreError> {
    let filter = EventFilter {
        category: state_based.then_some(ViolenceCategory::StateBased),
        ..Default::default()
    };
    let by = match level {
        Level::Country => StatsBy::CountryMonth,
        Level::Admin1 => StatsBy::Admin1Month,
        Level::Grid => StatsBy::GridMonth,
    };
    let mut out: HashMap<String, BTreeMap<i32, i64>> = HashMap::new();
    for row in store.stats(viewer, by, &filter).await? {
        let Some(month) = row.month.as_deref().and_then(month_index) else {
            continue;
        };
        let unit = match level {
            Level::Country => row.country.clone(),
            Level::Admin1 => row
                .country
                .as_deref()
                .zip(row.admin1.as_deref())
                .and_then(|(c, a)| vigie_core::region::find(c, a))
                .map(vigie_core::region::key),
            Level::Grid => row.priogrid_gid.map(|g| g.to_string()),
        };
        if let Some(unit) = unit {
            *out.entry(unit).or_default().entry(month).or_default() += row.fatalities;
        }
    }
    Ok(out)
}

/// What the rules a reader may see say on what that reader may see: their alerts, the
/// would-be alerts the reader's coverage could not decide, and how fresh the data are.
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    pub alerts: Vec<Alert>,
    pub unassessed: Vec<Unassessed>,
    /// The last month the reader's sources cover (complete or not), against today.
    pub freshness: Freshness,
}

/// The alerts every rule `viewer` may see raises on what `viewer` may see, rule by rule.
pub async fn alerts_for(store: &dyn Store, viewer: &Viewer) -> Result<Vec<Alert>, StoreError> {
    Ok(assess(store, viewer).await?.alerts)
}

/// Every rule `viewer` may see, assessed on what `viewer` may see.
pub async fn assess(store: &dyn Store, viewer: &Viewer) -> Result<Assessment, StoreError> {
    let rules = store.alert_rules(viewer).await?;
    assess_rules(store, viewer, &rules).await
}

/// The alerts `rules` raise on what `viewer` may see.
pub async fn alerts_of(
    store: &dyn Store,
    viewer: &Viewer,
    rules: &[AlertRule],
) -> Result<Vec<Alert>, StoreError> {
    Ok(assess_rules(store, viewer, rules).await?.alerts)
}

/// What `viewer` may see of the sources' coverage, as an index, and how fresh it is today.
pub async fn coverage_index(
    store: &dyn Store,
    viewer: &Viewer,
) -> Result<(CoverageIndex, Freshness), StoreError> {
    let records = store.coverage(viewer).await?;
    let index = CoverageIndex::new(&records);
    let freshness = Freshness::of(index.last_any(), month_of(viewer.day()));
    Ok((index, freshness))
}

/// A rule's scope on the viewer's day: its community's member states then (each community's
/// read once per assessment).
async fn watch_of(
    store: &dyn Store,
    viewer: &Viewer,
    rule: &AlertRule,
    members: &mut HashMap<String, Vec<String>>,
) -> Result<Option<Watch>, StoreError> {
    let Some(scope) = &rule.scope else {
        return Ok(None);
    };
    let states = match &scope.community {
        Some(c) => {
            if let Entry::Vacant(e) = members.entry(c.clone()) {
                e.insert(
                    store
                        .member_states(Some(c))
                        .await?
                        .into_iter()
                        .filter(|m| m.covers(viewer.day()))
                        .map(|m| m.country)
                        .collect(),
                );
            }
            members[c].as_slice()
        }
        None => &[],
    };
    Ok(Some(scope.resolve(states)))
}

/// [`assess`] for the given rules.
pub async fn assess_rules(
    store: &dyn Store,
    viewer: &Viewer,
    rules: &[AlertRule],
) -> Result<Assessment, StoreError> {
    let (coverage, freshness) = coverage_index(store, viewer).await?;
    let now = month_of(viewer.day());
    let mut unassessed = Vec::new();
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    // Inputs are read once per (level, categories) and shared by the rules that need them.
    type Observed = HashMap<String, BTreeMap<i32, i64>>;
    let mut observations: HashMap<(Level, bool), Observed> = HashMap::new();
    let mut runs: HashMap<Level, Vec<ForecastRun>> = HashMap::new();
    let mut rows: HashMap<(uuid::Uuid, Option<String>), Vec<UnitForecast>> = HashMap::new();
    let mut out = Vec::new();
    for rule in rules {
        let level = rule.rule.level();
        let state_based = !matches!(rule.rule, RuleKind::Spillover { .. });
        if let Entry::Vacant(e) = observations.entry((level, state_based)) {
            e.insert(observed(store, viewer, level, state_based).await?);
        }
        if let Entry::Vacant(e) = runs.entry(level) {
            e.insert(store.forecast_runs(viewer, Some(level)).await?);
        }
        let obs = &observations[&(level, state_based)];
        let Some(last_recorded) = obs.values().flat_map(|m| m.keys().copied()).max() else {
            continue;
        };
        // The rules' "now" is the last month a complete source covers, not the last month
        // holding a record: a field report of 2025 on top of data that end in 2023 does not
        // make 2025 a month the data describe.
        let last_month = coverage.last_complete(None).unwrap_or(last_recorded);
        let last = month_label(last_month);
        // Threshold: the latest run, every month; surge: the latest run made before the
        // last month, that month only.
        let latest = runs[&level].first().cloned();
        let before = runs[&level]
            .iter()
            .find(|r| month_index(&r.data_until).is_some_and(|m| m < last_month))
            .cloned();
        let latest_key = latest.as_ref().map(|r| (r.id, None));
        let before_key = before.as_ref().map(|r| (r.id, Some(last.clone())));
        for key in [&latest_key, &before_key].into_iter().flatten() {
            if let Entry::Vacant(e) = rows.entry(key.clone()) {
                e.insert(
                    store
                        .forecasts(viewer, key.0, &[], key.1.as_deref())
                        .await?,
                );
            }
        }
        let watch = watch_of(store, viewer, rule, &mut members).await?;
        let inputs = Inputs {
            observed: obs,
            last_month,
            coverage: &coverage,
            watch: watch.as_ref(),
            now,
            latest: latest
                .as_ref()
                .zip(latest_key.as_ref())
                .map(|(r, k)| (r, rows[k].as_slice())),
            before: before
                .as_ref()
                .zip(before_key.as_ref())
                .map(|(r, k)| (r, rows[k].as_slice())),
        };
        let evaluation = evaluate(rule, &inputs);
        out.extend(evaluation.alerts);
        unassessed.extend(evaluation.unassessed);
    }
    let ids: Vec<(uuid::Uuid, uuid::Uuid)> = out.iter().map(|a| (a.id, a.rule)).collect();
    let seen = store
        .note_alerts(&viewer.reader_key(), &ids, Utc::now())
        .await?;
    for (a, first) in out.iter_mut().zip(seen) {
        a.first_seen = Some(first);
    }
    Ok(Assessment {
        alerts: out,
        unassessed,
        freshness,
    })
}

/// Adds to each alert the acknowledgements its reader may see: those of alerts whose rule the
/// reader may see (the store reads them through the gate), naming a user only to that user's
/// own organisation.
pub async fn with_acks(
    store: &dyn Store,
    viewer: &Viewer,
    alerts: &mut [Alert],
) -> Result<(), StoreError> {
    let ids: Vec<Uuid> = alerts.iter().map(|a| a.id).collect();
    let mut by_alert: HashMap<Uuid, Vec<AlertAck>> = HashMap::new();
    for mut ack in store.alert_acks(viewer, &ids).await? {
        ack.user = viewer.sees_creator(&ack.org, ack.user.take());
        by_alert.entry(ack.alert).or_default().push(ack);
    }
    for a in alerts {
        // An acknowledgement counts for the alert its rule raised, not one of another rule
        // that happens to share the id.
        a.acks = by_alert
            .remove(&a.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|k| k.rule == a.rule)
            .collect();
    }
    Ok(())
}
