//! The store: the one API through which every part of Vigie reads and writes records.
//!
//! [`Store`] is implemented by `vigie-store-sqlite` (embedded, the default) and, on
//! multi-user servers, by a PostgreSQL backend. Query filters are compiled to SQL here, in
//! [`sql`], once for every backend.

pub mod copy;
mod error;
mod filter;
mod import;
pub mod migrations;
mod reads;
pub mod sql;
mod stats;
mod store;

pub use error::StoreError;
pub use filter::EventFilter;
pub use import::{
    should_defer_indexes, ImportCounts, ImportMeta, ImportRecord, ImportTx, Prepared,
    CONFLICT_INDEX,
};
pub use stats::{StatRow, StatsBy};
pub use store::{EventStream, EventVersion, Store};

#[cfg(feature = "conformance")]
pub mod conformance;
