//! Alert rules (records, behind the gate) and the alerts they raise for the caller: every
//! number an alert rests on is read through the gate as the caller, so two callers may get
//! different alerts from the same rule, and neither gets one from a record it may not see.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_core::alert::{evaluate, month_index, month_label, Inputs};
use vigie_core::audience::may_edit;
use vigie_core::{
    Alert, AlertRule, ForecastRun, Level, Marking, RuleKind, UnitForecast, Viewer, ViolenceCategory,
};
use vigie_store::{EventFilter, StatsBy, Store, StoreError};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::audit_reads;
use crate::extract::{record_id, Json};
use crate::write::{audience_detail, checked_audience, require_writer, AudienceInput};
use crate::AppState;

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

/// The alerts every rule `viewer` may see raises on what `viewer` may see, rule by rule.
pub async fn alerts_for(store: &dyn Store, viewer: &Viewer) -> Result<Vec<Alert>, StoreError> {
    let rules = store.alert_rules(viewer).await?;
    alerts_of(store, viewer, &rules).await
}

/// The alerts `rules` raise on what `viewer` may see.
pub async fn alerts_of(
    store: &dyn Store,
    viewer: &Viewer,
    rules: &[AlertRule],
) -> Result<Vec<Alert>, StoreError> {
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
        let months = obs.values().flat_map(|m| m.keys().copied());
        let (first_month, last_month) =
            months.fold((i32::MAX, i32::MIN), |(a, b), m| (a.min(m), b.max(m)));
        if first_month > last_month {
            continue;
        }
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
        let inputs = Inputs {
            observed: obs,
            first_month,
            last_month,
            latest: latest
                .as_ref()
                .zip(latest_key.as_ref())
                .map(|(r, k)| (r, rows[k].as_slice())),
            before: before
                .as_ref()
                .zip(before_key.as_ref())
                .map(|(r, k)| (r, rows[k].as_slice())),
        };
        out.extend(evaluate(rule, &inputs));
    }
    let ids: Vec<(uuid::Uuid, uuid::Uuid)> = out.iter().map(|a| (a.id, a.rule)).collect();
    let seen = store
        .note_alerts(&viewer.reader_key(), &ids, Utc::now())
        .await?;
    for (a, first) in out.iter_mut().zip(seen) {
        a.first_seen = Some(first);
    }
    Ok(out)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<Alert>,
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    responses((status = 200, description = "The alerts of every rule the caller may see, computed on what the caller may see", body = AlertList)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<AlertList>> {
    let items = alerts_for(state.store.as_ref(), &caller.viewer).await?;
    let restricted = items
        .iter()
        .filter(|a| a.marking != Marking::Clear.as_str())
        .map(|a| a.rule.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    audit_reads(&state, &caller, "alert-rule", restricted).await?;
    Ok(axum::Json(AlertList { items }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<AlertRule>,
}

#[utoipa::path(get, path = "/api/v1/alert-rules", tag = "alerts",
    responses((status = 200, description = "The alert rules the caller may see, oldest first", body = RuleList)))]
pub async fn rules(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::Json<RuleList>> {
    let items = state.store.alert_rules(&caller.viewer).await?;
    let restricted = items
        .iter()
        .filter(|r| r.audience.marking != Marking::Clear)
        .map(|r| r.id.to_string())
        .collect();
    audit_reads(&state, &caller, "alert-rule", restricted).await?;
    Ok(axum::Json(RuleList { items }))
}

#[utoipa::path(get, path = "/api/v1/alert-rules/{id}", tag = "alerts",
    params(("id" = String, Path, description = "The rule's UUID")),
    responses((status = 200, body = AlertRule), (status = 404, body = ErrorBody)))]
pub async fn rule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AlertRule>> {
    let id = record_id(&id)?;
    let Some(rule) = state.store.alert_rule(&caller.viewer, id).await? else {
        return Err(ApiError::not_found());
    };
    if rule.audience.marking != Marking::Clear {
        audit_reads(&state, &caller, "alert-rule", vec![rule.id.to_string()]).await?;
    }
    Ok(axum::Json(rule))
}

/// A new alert rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    pub rule: RuleKind,
    /// Units watched (ISO3, `ISO3/Region` or a gid); empty or absent: every unit.
    #[serde(default)]
    pub units: Vec<String>,
    /// An http(s) URL to POST new alerts to, evaluated on your view of the data.
    pub webhook: Option<String>,
    pub audience: AudienceInput,
}

fn check_rule(n: &NewRule, allow: &crate::webhook::AllowList) -> ApiResult<()> {
    if n.name.trim().is_empty() || n.name.chars().count() > 200 {
        return Err(ApiError::invalid(
            "name",
            "a rule's name has 1 to 200 characters",
        ));
    }
    n.rule
        .check()
        .map_err(|e| ApiError::from_check("rule.", "rule", e.0))?;
    if n.units.len() > 1000 {
        return Err(ApiError::invalid("units", "at most 1,000 units"));
    }
    let level = n.rule.level();
    for u in &n.units {
        let known = match level {
            Level::Country => vigie_core::country::by_iso3(u).is_some(),
            Level::Admin1 => vigie_core::region::by_key(u).is_some(),
            Level::Grid => u
                .parse::<i32>()
                .ok()
                .and_then(vigie_core::priogrid::centre)
                .is_some(),
        };
        if !known {
            return Err(ApiError::invalid(
                "units",
                format!("{u:?} is not a unit of level {level} (ISO3 for cm, ISO3/Region for a1m, a PRIO-GRID gid for pgm)"),
            ));
        }
    }
    if let Some(w) = &n.webhook {
        crate::webhook::check_url(w).map_err(|e| ApiError::invalid("webhook", e))?;
        if !allow.allows(w) {
            return Err(ApiError::invalid(
                "webhook",
                format!("{w:?} is not on this server's webhook allow-list (its administrator sets it: --webhook-allow / VIGIE_WEBHOOK_ALLOW)"),
            ));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/alert-rules", tag = "alerts", request_body = NewRule,
    responses((status = 201, description = "Created", body = AlertRule), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<NewRule>,
) -> ApiResult<(StatusCode, axum::Json<AlertRule>)> {
    require_writer(&caller)?;
    check_rule(&input, &state.config.webhook_allow)?;
    let audience = checked_audience(&state, &caller, None, input.audience).await?;
    let rule = AlertRule {
        id: uuid::Uuid::new_v4(),
        name: input.name.trim().to_string(),
        rule: input.rule,
        units: input.units,
        webhook: input.webhook,
        created_at: Utc::now(),
        audience,
    };
    let entry = crate::audit::entry(
        Some(&caller),
        "create",
        Some("alert-rule"),
        Some(rule.id.to_string()),
        audience_detail(&rule.audience),
    );
    state.store.create_alert_rule(&rule, Some(&entry)).await?;
    Ok((StatusCode::CREATED, axum::Json(rule)))
}

#[utoipa::path(delete, path = "/api/v1/alert-rules/{id}", tag = "alerts",
    params(("id" = String, Path, description = "The rule's UUID")),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = record_id(&id)?;
    let Some(rule) = state.store.alert_rule(&caller.viewer, id).await? else {
        return Err(ApiError::not_found());
    };
    // The owner organisation's analysts and publishers, as for a draft.
    if !may_edit(&caller.user.roles, caller.org(), &rule.audience, true) {
        return Err(ApiError::forbidden(
            "only the owner organisation's analysts and publishers may delete this rule",
        ));
    }
    let entry = crate::audit::entry(
        Some(&caller),
        "delete",
        Some("alert-rule"),
        Some(id.to_string()),
        serde_json::json!({}),
    );
    state.store.delete_alert_rule(id, Some(&entry)).await?;
    Ok(StatusCode::NO_CONTENT)
}
