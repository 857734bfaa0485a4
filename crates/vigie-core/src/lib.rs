//! Vigie's domain: the types every other crate speaks, and the rules that need no I/O.
//!
//! Data flows ingest → store → analyse → share/respond → present; this crate is the
//! vocabulary of that flow. Nothing here reads a file, a socket or a clock.

pub mod actor;
pub mod category;
pub mod country;
pub mod event;
pub mod marking;
pub mod organisation;
pub mod period;
pub mod place;
pub mod priogrid;
pub mod source;

pub use actor::Actor;
pub use category::ViolenceCategory;
pub use event::{Event, Fatalities, Provenance};
pub use marking::Marking;
pub use organisation::PUBLIC_SOURCES_ORG;
pub use period::{DatePrecision, Period};
pub use place::{LocationPrecision, Place};
pub use source::Source;

/// A value that failed to parse into a domain type, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);
