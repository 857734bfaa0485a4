use serde::Serialize;

/// How `stats` groups events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsBy {
    CountryMonth,
    Admin1Month,
}

/// Events and fatalities (sum of `best`) in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatRow {
    pub country: Option<String>,
    /// Set when grouping by admin-1.
    pub admin1: Option<String>,
    /// `YYYY-MM` of the event's start date.
    pub month: String,
    pub events: i64,
    pub fatalities: i64,
}
