use chrono::NaiveDate;
use vigie_core::{Marking, ReportStatus, Source, ViolenceCategory};

/// Which events a query wants. Every field narrows; the default matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    /// Matches the admin-1 name case-insensitively, whole or as the first word(s):
    /// "Mopti" finds UCDP's "Mopti region".
    pub admin1: Option<String>,
    /// Events that end on or after this date.
    pub from: Option<NaiveDate>,
    /// Events that start on or before this date.
    pub to: Option<NaiveDate>,
    pub category: Option<ViolenceCategory>,
    /// A case-insensitive substring of either side's name.
    pub actor: Option<String>,
    pub source: Option<Source>,
    /// Records under this TLP marking (among those the viewer may see).
    pub marking: Option<Marking>,
    /// Search: a case-insensitive substring of the description, place, admin-1 or either
    /// side's name.
    pub text: Option<String>,
    /// At most this many events (lists only).
    pub limit: Option<u64>,
    /// Skip this many events first (lists only).
    pub offset: Option<u64>,
}

/// Which reports a list wants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFilter {
    pub country: Option<String>,
    pub status: Option<ReportStatus>,
    /// A case-insensitive substring of the title or the body.
    pub text: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
