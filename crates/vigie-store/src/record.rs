//! Records behind the gate: every read takes a [`Viewer`], and there is no read without one.

use async_trait::async_trait;
use futures::stream::BoxStream;
use serde::Serialize;
use uuid::Uuid;
use vigie_core::{Audience, Event, Report, Source, Viewer};

use crate::audit::NewAuditEntry;
use crate::{EventFilter, GridCell, ReportFilter, StatRow, StatsBy, StoreError};

/// Events in the order lists use: by start date, then id.
pub type EventStream<'a> = BoxStream<'a, Result<Event, StoreError>>;

/// An earlier version of an event, replaced by a later import.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventVersion {
    pub version: i64,
    pub replaced_at: String,
    pub event: Event,
}

/// The kinds of record that carry an audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    Event,
    Report,
    Task,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Event => "event",
            RecordKind::Report => "report",
            RecordKind::Task => "task",
        }
    }
    /// The table holding this kind.
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Event => "events",
            RecordKind::Report => "reports",
            RecordKind::Task => "tasks",
        }
    }
}

/// Every read and write of records. Implemented once for all backends by
/// [`crate::impl_records!`]; every read goes through [`crate::gate::push_visible`].
#[async_trait]
pub trait Records: Send + Sync {
    /// Visible matching events, by start date then id, streamed (memory stays flat).
    fn events<'a>(&'a self, viewer: &'a Viewer, filter: &'a EventFilter) -> EventStream<'a>;

    /// Visible matching events that have coordinates, as map points, in list order
    /// (`limit` and `offset` apply).
    async fn event_points(
        &self,
        viewer: &Viewer,
        filter: &EventFilter,
    ) -> Result<Vec<crate::EventPoint>, StoreError>;

    /// How many visible events match (ignores `limit` and `offset`).
    async fn count_events(&self, viewer: &Viewer, filter: &EventFilter) -> Result<u64, StoreError>;

    /// A visible event and its audience; `None` when it does not exist *or* is not visible.
    async fn event(
        &self,
        viewer: &Viewer,
        id: Uuid,
    ) -> Result<Option<(Event, Audience)>, StoreError>;

    /// The same, looked up by the source's own identifier.
    async fn event_by_source(
        &self,
        viewer: &Viewer,
        source: Source,
        source_id: &str,
    ) -> Result<Option<(Event, Audience)>, StoreError>;

    /// Earlier versions of a visible event, oldest first (empty when not visible).
    async fn event_history(
        &self,
        viewer: &Viewer,
        id: Uuid,
    ) -> Result<Vec<EventVersion>, StoreError>;

    /// Visible events and fatalities per group, ordered by the group.
    async fn stats(
        &self,
        viewer: &Viewer,
        by: StatsBy,
        filter: &EventFilter,
    ) -> Result<Vec<StatRow>, StoreError>;

    /// The actors (either side) of the most visible events, most first, at most `limit`.
    async fn top_actors(
        &self,
        viewer: &Viewer,
        filter: &EventFilter,
        limit: u64,
    ) -> Result<Vec<crate::ActorRow>, StoreError>;

    /// Visible events and fatalities per PRIO-GRID cell, and per category too when
    /// `by_category`.
    async fn grid_cells(
        &self,
        viewer: &Viewer,
        filter: &EventFilter,
        by_category: bool,
    ) -> Result<Vec<GridCell>, StoreError>;

    /// Visible reports, newest first.
    async fn reports(
        &self,
        viewer: &Viewer,
        filter: &ReportFilter,
    ) -> Result<Vec<Report>, StoreError>;

    async fn count_reports(
        &self,
        viewer: &Viewer,
        filter: &ReportFilter,
    ) -> Result<u64, StoreError>;

    /// A visible report; `None` when it does not exist or is not visible.
    async fn report(&self, viewer: &Viewer, id: Uuid) -> Result<Option<Report>, StoreError>;

    /// Whether `viewer` could read a record under `audience` that is not written (yet):
    /// the gate's own predicate, [`crate::gate::push_visible`], over that audience. What
    /// an audience preview asks of every organisation before a writer saves.
    async fn could_read(&self, viewer: &Viewer, audience: &Audience) -> Result<bool, StoreError>;

    // Every write takes the audit entry that records it, written in the same transaction
    // (see `Directory`); `None` is for seeding and tests.

    /// Writes a new event (source `vigie`) under an audience the caller has checked.
    async fn create_event(
        &self,
        event: &Event,
        audience: &Audience,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Writes a new report; the caller has checked its audience.
    async fn create_report(
        &self,
        report: &Report,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Replaces a report's title, body, place and status, and bumps its version.
    async fn update_report(
        &self,
        report: &Report,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;

    /// Replaces a record's marking and distribution (never its owner or creator).
    async fn set_audience(
        &self,
        kind: RecordKind,
        id: Uuid,
        audience: &Audience,
        audit: Option<&NewAuditEntry>,
    ) -> Result<(), StoreError>;
}
