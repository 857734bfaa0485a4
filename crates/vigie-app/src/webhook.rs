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

/// Where webhooks may go: URL prefixes set by the server's administrator
/// (`--webhook-allow`, `VIGIE_WEBHOOK_ALLOW`, comma-separated). Empty — the default — allows
/// none: an outbound call is made only to an address someone chose to trust.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    prefixes: Vec<reqwest::Url>,
}

impl AllowList {
    /// Parses `https://hooks.example.org/vigie/,http://10.0.0.5:8080/` (blank: none).
    pub fn parse(list: &str) -> Result<AllowList, String> {
        let mut prefixes = Vec::new();
        for p in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            check_url(p).map_err(|e| format!("webhook allow-list: {e}"))?;
            prefixes.push(
                reqwest::Url::parse(p).map_err(|e| format!("webhook allow-list: {p:?}: {e}"))?,
            );
        }
        Ok(AllowList { prefixes })
    }

    /// Whether `url` is under one of the prefixes: same scheme, host and port, and a path
    /// that starts with the prefix's.
    pub fn allows(&self, url: &str) -> bool {
        let Ok(u) = reqwest::Url::parse(url) else {
            return false;
        };
        self.prefixes.iter().any(|p| {
            p.scheme() == u.scheme()
                && p.host_str() == u.host_str()
                && p.port_or_known_default() == u.port_or_known_default()
                && u.path().starts_with(p.path())
        })
    }

    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }
}

/// The HTTP client deliveries use: no redirects (an allowed address must not send the
/// call elsewhere), a 10 s timeout.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
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
    /// Not sent: the address is not on the allow-list (recorded as a failed attempt).
    pub refused: usize,
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
    allow: &AllowList,
    today: NaiveDate,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    for user in store.users(None).await? {
        // A disabled account reads nothing, so its rules deliver nothing.
        let Some(viewer) = Viewer::for_user(&user, today) else {
            continue;
        };
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
            let (status, ok) = if !allow.allows(url) {
                report.refused += 1;
                ("refused: not on the webhook allow-list".to_string(), false)
            } else {
                match client.post(url).json(&body).send().await {
                    Ok(r) => (r.status().as_u16().to_string(), r.status().is_success()),
                    Err(e) => (format!("error: {e}"), false),
                }
            };
            if ok {
                report.sent += 1;
            } else if !status.starts_with("refused") {
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
    fn only_allowed_addresses_are_called() {
        let allow =
            super::AllowList::parse(" https://hooks.example.org/vigie/ , http://10.0.0.5:8080/")
                .unwrap();
        assert!(allow.allows("https://hooks.example.org/vigie/alerts"));
        assert!(allow.allows("https://hooks.example.org:443/vigie/x"));
        assert!(allow.allows("http://10.0.0.5:8080/anything"));
        assert!(!allow.allows("https://hooks.example.org/other"));
        assert!(!allow.allows("http://hooks.example.org/vigie/alerts"));
        assert!(!allow.allows("https://hooks.example.org.evil.net/vigie/"));
        assert!(!allow.allows("http://10.0.0.5:8081/"));
        assert!(!allow.allows("not a url"));
        assert!(super::AllowList::default().is_empty());
        assert!(!super::AllowList::default().allows("https://hooks.example.org/vigie/"));
        assert!(super::AllowList::parse("ftp://x/").is_err());
    }

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
