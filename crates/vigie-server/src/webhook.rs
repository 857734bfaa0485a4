//! Delivering alerts to their rules' webhooks. A rule's alerts are computed on its
//! creator's view of the data (through the gate, as that user), each alert is POSTed once
//! (retried on failure, up to [`MAX_ATTEMPTS`]), and every attempt is recorded, and audited
//! (`alert-delivery`, in the creator's name: ids, marking and status, never content).

use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use vigie_core::{Alert, Viewer};
use vigie_store::{Store, StoreError};

/// Attempts per alert before it is given up on.
pub const MAX_ATTEMPTS: i64 = 10;

/// Checks a webhook address: an absolute http(s) URL with a host, at most 2,000 characters.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.len() > 2000 {
        return Err("a webhook URL is at most 2,000 characters".into());
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("{url:?} is not an http(s) URL with a host"));
    }
    Ok(())
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Rules with a webhook whose creator is an enabled user.
    pub rules: usize,
    /// Alerts those rules raised.
    pub alerts: usize,
    pub sent: usize,
    pub failed: usize,
    /// Delivered before, or given up on.
    pub skipped: usize,
}

/// The body POSTed for one alert.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    alert: &'a Alert,
    /// The user whose view of the data the alert was computed on.
    computed_for: &'a str,
}

/// One round: every enabled user's own rules with a webhook, evaluated as that user.
pub async fn deliver(
    store: &dyn Store,
    client: &reqwest::Client,
    today: NaiveDate,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    for user in store.users(None).await? {
        if user.disabled {
            continue;
        }
        let viewer = Viewer::user(&user.id, &user.org, &user.roles, today);
        let rules: Vec<_> = store
            .alert_rules(&viewer)
            .await?
            .into_iter()
            .filter(|r| r.webhook.is_some() && r.audience.creator.as_deref() == Some(&user.id))
            .collect();
        if rules.is_empty() {
            continue;
        }
        report.rules += rules.len();
        let alerts = crate::alerts::alerts_of(store, &viewer, &rules).await?;
        report.alerts += alerts.len();
        for alert in &alerts {
            let Some(url) = rules
                .iter()
                .find(|r| r.id == alert.rule)
                .and_then(|r| r.webhook.as_deref())
            else {
                continue;
            };
            let before = store.delivery(alert.rule, alert.id).await?;
            if before.is_some_and(|d| d.delivered || d.attempts >= MAX_ATTEMPTS) {
                report.skipped += 1;
                continue;
            }
            let body = Payload {
                alert,
                computed_for: &user.id,
            };
            let sent = client
                .post(url)
                .timeout(Duration::from_secs(10))
                .json(&body)
                .send()
                .await;
            let (status, ok) = match sent {
                Ok(r) => (r.status().as_u16().to_string(), r.status().is_success()),
                Err(e) => (format!("error: {e}"), false),
            };
            if ok {
                report.sent += 1;
            } else {
                report.failed += 1;
                tracing::warn!(rule = %alert.rule, alert = %alert.id, %status, "webhook delivery failed");
            }
            store
                .record_delivery(alert.rule, alert.id, &status, ok)
                .await?;
            // What left the system, and on whose view: ids and the status only.
            store
                .audit(&vigie_store::audit::NewAuditEntry {
                    actor: Some(user.id.clone()),
                    actor_org: Some(user.org.clone()),
                    action: "alert-delivery".into(),
                    record_kind: Some("alert-rule".into()),
                    record_id: Some(alert.rule.to_string()),
                    detail: serde_json::json!({
                        "alert": alert.id,
                        "marking": alert.marking,
                        "status": status,
                        "delivered": ok,
                    }),
                })
                .await?;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn webhook_addresses_are_http_urls() {
        assert!(super::check_url("http://example.org/hook").is_ok());
        assert!(super::check_url("https://example.org/hook").is_ok());
        assert!(super::check_url("http://127.0.0.1:8080/x").is_ok());
        assert!(super::check_url("ftp://example.org/").is_err());
        assert!(super::check_url("not a url").is_err());
        assert!(super::check_url(&format!("https://e.org/{}", "a".repeat(2000))).is_err());
    }
}
