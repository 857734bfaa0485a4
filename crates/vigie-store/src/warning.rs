//! Early-warning records behind the gate: stored forecast runs and alert rules, each with
//! an audience, and the bookkeeping of webhook deliveries.

use async_trait::async_trait;
use uuid::Uuid;
use vigie_core::{AlertAck, AlertRule, ForecastRun, Level, UnitForecast, Viewer};

use crate::audit::NewAuditEntry;
use crate::StoreError;

/// One webhook delivery of one alert: how many attempts, and whether one succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub attempts: i64,
    pub last_status: String,
    pub delivered: bool,
}

/// Implemented once for every backend by [`crate::impl_warnings!`]; every read of a run,
/// its forecasts or a rule starts from [`crate::gate::push_visible`].
#[async_trait]
pub trait Warnings: Send + Sync {
    /// Visible forecast runs (of one level, if given), newest first.
    async fn forecast_runs(
        &self,
        viewer: &Viewer,
        level: Option<Level>,
    ) -> Result<Vec<ForecastRun>, StoreError>;

    /// A visible run; `None` when it does not exist or is not visible.
    async fn forecast_run(
        &self,
        viewer: &Viewer,
        id: Uuid,
    ) -> Result<Option<ForecastRun>, StoreError>;

    /// The forecasts of a visible run (of the given units, or all when empty; of one month
    /// when given), by unit then month; empty when the run is not visible.
    async fn forecasts(
        &self,
        viewer: &Viewer,
        run: Uuid,
        units: &[String],
        month: Option<&str>,
    ) -> Result<Vec<UnitForecast>, StoreError>;

    /// Writes a run and its forecasts in one transaction; the caller has checked its audience.
    async fn create_forecast_run(
        &self,
        run: &ForecastRun,
        forecasts: &[UnitForecast],
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Visible alert rules, oldest first.
    async fn alert_rules(&self, viewer: &Viewer) -> Result<Vec<AlertRule>, StoreError>;

    /// A visible rule; `None` when it does not exist or is not visible.
    async fn alert_rule(&self, viewer: &Viewer, id: Uuid) -> Result<Option<AlertRule>, StoreError>;

    /// Writes a new rule; the caller has checked its audience and parameters.
    async fn create_alert_rule(
        &self,
        rule: &AlertRule,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Deletes a rule and its deliveries; the caller has checked the right to.
    async fn delete_alert_rule(
        &self,
        id: Uuid,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// What is known of one alert's delivery to its rule's webhook.
    async fn delivery(&self, rule: Uuid, alert: Uuid) -> Result<Option<Delivery>, StoreError>;

    /// Notes that these alerts (id, rule) were raised to `reader` ([`Viewer::reader_key`])
    /// at `at`, keeping the first time each was; returns when each was first raised to that
    /// reader, in the same order. Per reader: the time one reader's data raised an alert
    /// never shows to another (threat 11).
    async fn note_alerts(
        &self,
        reader: &str,
        alerts: &[(Uuid, Uuid)],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<chrono::DateTime<chrono::Utc>>, StoreError>;

    /// When each of these alerts was first raised to `reader`, if ever (same order).
    async fn alerts_first_seen(
        &self,
        reader: &str,
        alerts: &[Uuid],
    ) -> Result<Vec<Option<chrono::DateTime<chrono::Utc>>>, StoreError>;

    /// Writes one organisation's acknowledgement of an alert, replacing that organisation's
    /// earlier one; the caller has checked that its user gets the alert.
    async fn acknowledge_alert(
        &self,
        ack: &AlertAck,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// The acknowledgements of these alerts whose rule `viewer` may see (through the gate),
    /// oldest first, each with its user as stored: the caller hides what its reader may not
    /// read of them.
    async fn alert_acks(
        &self,
        viewer: &Viewer,
        alerts: &[Uuid],
    ) -> Result<Vec<AlertAck>, StoreError>;

    /// Records an attempt to deliver one alert.
    async fn record_delivery(
        &self,
        rule: Uuid,
        alert: Uuid,
        status: &str,
        delivered: bool,
    ) -> Result<(), StoreError>;
}
