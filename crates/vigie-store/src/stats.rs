use serde::Serialize;

/// How `stats` groups events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsBy {
    CountryMonth,
    Admin1Month,
    /// Violence category and month, over everything the filter keeps.
    CategoryMonth,
    /// Admin-1 region over the whole period the filter keeps (no month).
    Admin1,
    /// PRIO-GRID cell and month (read from the events: the rollup has no cells).
    GridMonth,
}

/// Events and fatalities (sum of `best`) in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatRow {
    /// Set when grouping by country or admin-1.
    pub country: Option<String>,
    /// Set when grouping by admin-1.
    pub admin1: Option<String>,
    /// Set when grouping by category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Set when grouping by PRIO-GRID cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priogrid_gid: Option<i64>,
    /// `YYYY-MM` of the event's start date (absent when grouping by region alone).
    pub month: Option<String>,
    pub events: i64,
    pub fatalities: i64,
}

/// Events and fatalities in one PRIO-GRID cell (and category, when asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridCell {
    pub priogrid_gid: i64,
    /// Set when grouping by category too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub events: i64,
    pub fatalities: i64,
}

/// Where and what one event is, for a map: far less to read than the whole event.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPoint {
    pub id: uuid::Uuid,
    pub longitude: f64,
    pub latitude: f64,
    pub category: String,
    /// Best estimate of fatalities.
    pub fatalities: Option<i64>,
    pub marking: String,
    /// The start date.
    pub date: chrono::NaiveDate,
}

/// An actor (either side of an event) with the events and fatalities it took part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRow {
    pub actor: String,
    pub events: i64,
    pub fatalities: i64,
}
