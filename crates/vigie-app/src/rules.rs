//! Alert rules: writing and deleting them. A rule is a record behind the gate; what it
//! raises for a reader is [`crate::alerts`]'.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::alert::Scope;
use vigie_core::audience::may_edit;
use vigie_core::{AlertRule, Level, RuleKind};

use crate::audience::{self, AudienceInput};
use crate::author::Author;
use crate::error::{AppError, AppResult};
use crate::webhook::AllowList;

/// A new alert rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    pub rule: RuleKind,
    /// Units watched (ISO3, `ISO3/Region` or a gid); empty or absent: every unit.
    #[serde(default)]
    pub units: Vec<String>,
    /// The area watched, beside `units`: countries, admin-1 regions, or the member states of
    /// a community on the day the rule is evaluated, with or without the regions bordering them.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// An http(s) URL to POST new alerts to, evaluated on your view of the data.
    pub webhook: Option<String>,
    pub audience: AudienceInput,
}

fn check_rule(n: &NewRule, allow: &AllowList) -> AppResult<()> {
    if n.name.trim().is_empty() || n.name.chars().count() > 200 {
        return Err(AppError::invalid(
            "name",
            "a rule's name has 1 to 200 characters",
        ));
    }
    n.rule.check().map_err(|e| AppError::Check(e.at("rule")))?;
    if n.units.len() > 1000 {
        return Err(AppError::invalid("units", "at most 1,000 units"));
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
            return Err(AppError::invalid(
                "units",
                format!("{u:?} is not a unit of level {level} (ISO3 for cm, ISO3/Region for a1m, a PRIO-GRID gid for pgm)"),
            ));
        }
    }
    if let Some(scope) = &n.scope {
        if level == Level::Grid {
            return Err(AppError::invalid(
                "scope",
                "a PRIO-GRID rule watches the cells listed in units, not an area",
            ));
        }
        scope.check().map_err(AppError::Check)?;
    }
    if let Some(w) = &n.webhook {
        crate::webhook::check_url(w).map_err(|e| AppError::invalid("webhook", e))?;
        if !allow.allows(w) {
            return Err(AppError::invalid(
                "webhook",
                format!("{w:?} is not on this server's webhook allow-list (its administrator sets it: --webhook-allow / VIGIE_WEBHOOK_ALLOW)"),
            ));
        }
    }
    Ok(())
}

/// Writes a new alert rule; its webhook, if any, must be on `allow`.
pub async fn create_rule(
    author: &Author<'_>,
    input: NewRule,
    allow: &AllowList,
) -> AppResult<AlertRule> {
    author.require_writer()?;
    check_rule(&input, allow)?;
    if let Some(c) = input.scope.as_ref().and_then(|s| s.community.as_deref()) {
        let known = author.store().communities().await?;
        if !known.iter().any(|k| k.id == c) {
            return Err(AppError::Check(vigie_core::CheckError::new(
                vigie_core::FieldPath::new("scope").field("community"),
                vigie_core::Code::Unknown,
                format!("unknown community {c:?}"),
            )));
        }
    }
    let audience = audience::checked(author, None, input.audience, "audience.").await?;
    let rule = AlertRule {
        id: uuid::Uuid::new_v4(),
        name: input.name.trim().to_string(),
        name_key: None,
        rule: input.rule,
        units: input.units,
        scope: input.scope,
        webhook: input.webhook,
        created_at: Utc::now(),
        audience,
    };
    let entry = author.entry(
        "create",
        "alert-rule",
        Some(rule.id.to_string()),
        audience::detail(&rule.audience),
    );
    author
        .store()
        .create_alert_rule(&rule, Some(&entry))
        .await?;
    Ok(rule)
}

/// Deletes an alert rule: the owner organisation's analysts and publishers.
pub async fn delete_rule(author: &Author<'_>, id: Uuid) -> AppResult<()> {
    let store = author.store();
    let Some(rule) = store.alert_rule(author.viewer(), id).await? else {
        return Err(AppError::NotFound);
    };
    // The owner organisation's analysts and publishers, as for a draft.
    if !may_edit(author.roles(), author.org(), &rule.audience, true) {
        return Err(AppError::forbidden(
            "only the owner organisation's analysts and publishers may delete this rule",
        ));
    }
    let entry = author.entry(
        "delete",
        "alert-rule",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    store.delete_alert_rule(id, Some(&entry)).await?;
    Ok(())
}
