//! Early-warning records behind the gate: stored forecast runs and alert rules, each with
//! an audience, and the bookkeeping of webhook deliveries.

use async_trait::async_trait;
use uuid::Uuid;
use vigie_core::{AlertAck, AlertRule, Coverage, ForecastRun, Level, UnitForecast, Viewer};

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
/// The SQL that writes a coverage record: its own columns bound by [`bind_coverage`], then
/// the five audience columns.
pub const INSERT_COVERAGE: &str = "INSERT INTO coverage (id, source, file, import_batch, \
     countries, month_from, month_until, complete, basis, basis_key, recorded_at, owner, \
     creator, marking, distribution, distribution_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
     $9, $10, $11, $12, $13, $14, $15, $16)";

/// Binds a coverage record's own columns to [`INSERT_COVERAGE`] (any backend).
pub fn bind_coverage<'q, DB: sqlx::Database>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    c: &Coverage,
) -> Result<sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>, StoreError>
where
    Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let countries =
        serde_json::to_string(&c.countries).map_err(|e| StoreError::corrupt("countries", e))?;
    Ok(q.bind(c.id)
        .bind(c.source.as_str().to_string())
        .bind(c.file.clone())
        .bind(c.import_batch)
        .bind(countries)
        .bind(c.from.clone())
        .bind(c.until.clone())
        .bind(i64::from(c.complete))
        .bind(c.basis.clone())
        .bind(c.basis_key.clone())
        .bind(crate::sql::timestamp(&c.recorded_at)))
}

#[async_trait]
pub trait Warnings: Send + Sync {
    /// The coverage records `viewer` may see, oldest first.
    async fn coverage(&self, viewer: &Viewer) -> Result<Vec<Coverage>, StoreError>;

    /// Writes a coverage record stated outside an import; the caller has checked its audience.
    async fn create_coverage(
        &self,
        coverage: &Coverage,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

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
