//! Vigie's domain: the types every other crate speaks, and the rules that need no I/O.
//!
//! Data flows ingest → store → analyse → share/respond → present; this crate is the
//! vocabulary of that flow. Nothing here reads a file, a socket or a clock.

/// `Display` for the enums of named values: what their `as_str` says.
macro_rules! display_as_str {
    ($($t:ty),+ $(,)?) => {
        $(
            impl std::fmt::Display for $t {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        )+
    };
}

pub mod actor;
pub mod alert;
pub mod audience;
pub mod category;
pub mod check;
pub mod community;
pub mod coordination;
pub mod country;
pub mod coverage;
pub mod event;
pub mod forecast;
pub mod marking;
pub mod month;
pub mod organisation;
pub mod period;
pub mod place;
pub mod priogrid;
pub mod region;
pub mod report;
pub mod source;
pub mod task;
pub mod user;
pub mod viewer;

pub use actor::Actor;
pub use alert::{Alert, AlertAck, AlertRule, RuleKind};
pub use audience::{Audience, AudienceError, Distribution};
pub use category::ViolenceCategory;
pub use check::{CheckError, Code, FieldPath};
pub use community::{Community, MemberState, Membership, SharingGroup};
pub use coordination::{
    Advantage, CapacityPeriod, CoordinationProfile, OrgLevel, ScopeWindow, TaskType,
};
pub use coverage::{Coverage, Freshness};
pub use event::{fatality_count_problem, Event, Fatalities, Provenance, MAX_FATALITIES};
pub use forecast::{ForecastRun, Level, UnitForecast};
pub use marking::Marking;
pub use organisation::{
    check_org_id, check_scoped_id, check_slug, OrgKind, Organisation, PUBLIC_SOURCES_ORG,
};
pub use period::{DatePrecision, Period};
pub use place::{LocationPrecision, Place};
pub use report::{Report, ReportStatus};
pub use source::Source;
pub use task::{Task, TaskStatus};
pub use user::{Role, User};
pub use viewer::Viewer;
