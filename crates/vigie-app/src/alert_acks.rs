//! Acknowledging an alert: the author's organisation says it has seen (and is handling) an
//! alert it gets. Reading acknowledgements is in `alerts` (`with_acks`), through the gate.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::AlertAck;

use crate::alerts::alerts_for;
use crate::author::Author;
use crate::error::{AppError, AppResult};

/// What acknowledging an alert says.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAck {
    /// What the organisation says about the alert (seen by every reader of the alert), up
    /// to 1,000 characters; empty or absent: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// The author's organisation acknowledges alert `id`, replacing its earlier acknowledgement.
/// An alert the author does not get (its rule unseen, or not raised on what the author may
/// see) answers like a missing one; acknowledging needs the analyst or publisher role.
pub async fn acknowledge(author: &Author<'_>, id: Uuid, input: NewAck) -> AppResult<AlertAck> {
    let store = author.store();
    let alerts = alerts_for(store, author.viewer()).await?;
    let Some(alert) = alerts.into_iter().find(|a| a.id == id) else {
        return Err(AppError::NotFound);
    };
    author.require_writer()?;
    let note = input
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > AlertAck::MAX_NOTE)
    {
        return Err(AppError::invalid(
            "note",
            format!("a note has at most {} characters", AlertAck::MAX_NOTE),
        ));
    }
    let ack = AlertAck {
        alert: alert.id,
        rule: alert.rule,
        org: author.org().to_string(),
        user: Some(author.user().id.clone()),
        // To the microsecond, as the stores keep times: the answer is what readers see.
        at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
        note,
    };
    // Identifiers and the marking, never the note (the audit log holds no content).
    let entry = author.entry(
        "acknowledge",
        "alert",
        Some(alert.id.to_string()),
        serde_json::json!({"rule": alert.rule.to_string(), "marking": alert.marking}),
    );
    store.acknowledge_alert(&ack, Some(&entry)).await?;
    Ok(ack)
}
