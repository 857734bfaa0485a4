//! Alert rules (records owned by an organisation, carrying a marking) and the alerts they
//! raise. Rules are evaluated for one reader at a time, on what that reader may see
//! (`vigie-forecast`'s `alerts`), so an alert never rests on a record its reader could not
//! read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod evaluate;
mod scope;
pub use evaluate::{evaluate, month_index, month_label, Evaluation, Inputs, Observed, Unassessed};
pub use scope::{Scope, Watch};

use crate::forecast::Level;
use crate::{Audience, CheckError};

/// What a rule watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RuleKind {
    /// The probability of at least `fatalities` in a unit within `months` months exceeds
    /// `probability`, in the latest forecast the reader may see.
    Threshold {
        level: Level,
        fatalities: u32,
        months: u32,
        probability: f64,
    },
    /// Last month's observed fatalities are above the 95% upper bound that the latest
    /// forecast made before that month gave them.
    Surge { level: Level },
    /// Fatalities in a unit after `quiet_months` months without any, next to a unit that
    /// had fatalities within the last `active_months` months.
    Spillover {
        level: Level,
        #[serde(default = "default_quiet")]
        quiet_months: u32,
        #[serde(default = "default_active")]
        active_months: u32,
    },
}

fn default_quiet() -> u32 {
    24
}
fn default_active() -> u32 {
    12
}

impl RuleKind {
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Threshold { .. } => "threshold",
            RuleKind::Surge { .. } => "surge",
            RuleKind::Spillover { .. } => "spillover",
        }
    }

    pub fn level(&self) -> Level {
        match self {
            RuleKind::Threshold { level, .. }
            | RuleKind::Surge { level }
            | RuleKind::Spillover { level, .. } => *level,
        }
    }

    /// Checks the parameters, saying which one is wrong and why.
    pub fn check(&self) -> Result<(), CheckError> {
        use crate::Code;
        let range =
            |field: &str, message: String| CheckError::new(field, Code::OutOfRange, message);
        match self {
            RuleKind::Threshold {
                fatalities,
                months,
                probability,
                ..
            } => {
                if *fatalities == 0 {
                    return Err(range("fatalities", "must be at least 1".into()));
                }
                if !(1..=12).contains(months) {
                    return Err(range(
                        "months",
                        format!("{months} is not between 1 and 12 (forecasts reach 12 months)"),
                    ));
                }
                if !(probability.is_finite() && *probability > 0.0 && *probability < 1.0) {
                    return Err(range(
                        "probability",
                        format!("{probability} is not strictly between 0 and 1"),
                    ));
                }
            }
            RuleKind::Surge { .. } => {}
            RuleKind::Spillover {
                level,
                quiet_months,
                active_months,
            } => {
                if *level == Level::Grid {
                    return Err(CheckError::new(
                        "level",
                        Code::Unknown,
                        "spillover rules watch countries (cm) or admin-1 regions (a1m)",
                    ));
                }
                if !(1..=120).contains(quiet_months) {
                    return Err(range(
                        "quiet_months",
                        format!("{quiet_months} is not between 1 and 120"),
                    ));
                }
                if !(1..=60).contains(active_months) {
                    return Err(range(
                        "active_months",
                        format!("{active_months} is not between 1 and 60"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// An alert rule: a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertRule {
    pub id: Uuid,
    pub name: String,
    /// For a rule Vigie wrote itself (the demo's), its name as a key the UI translates
    /// (`name` is its English); absent for a rule a user named, whose name is its author's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_key: Option<String>,
    pub rule: RuleKind,
    /// Units watched (ISO3, `ISO3/Region` or gid); empty with no `scope`: every unit.
    pub units: Vec<String>,
    /// The area watched, beside `units`: countries, admin-1 regions, or the member states
    /// of a community on the day the rule is evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Where new alerts are POSTed, evaluated on the rule creator's view.
    pub webhook: Option<String>,
    pub created_at: DateTime<Utc>,
    pub audience: Audience,
}

/// An alert: a rule that fired for one unit and month, with the numbers that made it fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// Stable: the same rule, unit and month give the same id.
    pub id: Uuid,
    pub rule: Uuid,
    pub rule_name: String,
    /// The rule's `name_key`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_name_key: Option<String>,
    pub kind: String,
    pub level: Level,
    pub unit: String,
    /// `YYYY-MM`: the month the alert is about.
    pub month: String,
    /// The rule's marking: an alert is shared no wider than its rule.
    pub marking: String,
    /// One sentence, in English, saying why it fired.
    pub summary: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub evidence: serde_json::Value,
    /// When Vigie first raised this alert to its reader (each reader's own time: another
    /// reader may have got it earlier, from records this one may not see): where
    /// warning-to-response times start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<DateTime<Utc>>,
    /// The organisations that acknowledged this alert, as its reader may see them (a user
    /// of another organisation is not named). Absent when none did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acks: Vec<AlertAck>,
    /// How old the data it rests on are: an alert on stale data is history, not news.
    #[serde(default)]
    pub freshness: crate::coverage::Freshness,
}

/// One organisation's acknowledgement of an alert: seen, and handled or being handled.
/// Shown to every reader who gets the alert; one per organisation (acknowledging again
/// replaces it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertAck {
    pub alert: Uuid,
    /// The rule that raised the alert: an acknowledgement is seen only through it.
    pub rule: Uuid,
    /// The acknowledging organisation.
    pub org: String,
    /// Who acknowledged: absent for a reader of another organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub at: DateTime<Utc>,
    /// What the organisation says about it, up to [`AlertAck::MAX_NOTE`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl AlertAck {
    /// The longest note, in characters.
    pub const MAX_NOTE: usize = 1000;
}

impl Alert {
    /// The stable id of rule × unit × month.
    pub fn id_of(rule: Uuid, unit: &str, month: &str) -> Uuid {
        Uuid::new_v5(&rule, format!("{unit}|{month}").as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_from_json_with_defaults_and_are_checked() {
        let r: RuleKind = serde_json::from_str(r#"{"kind":"spillover","level":"a1m"}"#).unwrap();
        assert_eq!(
            r,
            RuleKind::Spillover {
                level: Level::Admin1,
                quiet_months: 24,
                active_months: 12
            }
        );
        assert!(r.check().is_ok());
        let t: RuleKind = serde_json::from_str(
            r#"{"kind":"threshold","level":"cm","fatalities":25,"months":3,"probability":1.5}"#,
        )
        .unwrap();
        assert!(t
            .check()
            .unwrap_err()
            .to_string()
            .starts_with("probability"));
        assert!(
            serde_json::from_str::<RuleKind>(r#"{"kind":"surge","level":"cm","x":1}"#).is_err()
        );
        let g = RuleKind::Spillover {
            level: Level::Grid,
            quiet_months: 24,
            active_months: 12,
        };
        assert!(g.check().is_err());
    }
}
