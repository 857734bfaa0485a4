//! The store: the one API through which every part of Vigie reads and writes records.
//!
//! [`Store`] is implemented by `vigie-store-sqlite` (embedded, the default) and, on
//! multi-user servers, by a PostgreSQL backend. Query filters are compiled to SQL here, in
//! [`sql`], once for every backend, and so is the visibility rule, in [`gate`]: every read
//! of a record takes a [`vigie_core::Viewer`] ([`Records`]), and `impl_records!` writes
//! every backend's reads once, each starting from the gate.

pub mod audit;
mod coordination;
mod coordination_sql;
pub mod copy;
mod directory;
mod directory_sql;
mod error;
mod filter;
pub mod gate;
mod import;
pub mod migrations;
mod record;
mod records_sql;
pub mod rollup;
pub mod sql;
mod stats;
mod store;
pub mod warning;
mod warning_sql;
pub mod world;

pub use coordination::{Coordination, TaskEvent, TaskFilter};
pub use directory::{ApiToken, Directory, Revoked, Session, TokenScope, UserChange};
#[doc(hidden)]
pub use error::conflict_or;
pub use error::StoreError;
pub use filter::{EventFilter, ReportFilter};
pub use import::{
    import_time, should_defer_indexes, Batch, ImportCounts, ImportMeta, ImportRecord, ImportTx,
    Prepared, CONFLICT_INDEX,
};
pub use record::{EventStream, EventVersion, RecordKind, Records};
#[doc(hidden)]
pub use serde as __serde;
pub use stats::{ActorRow, EventPoint, GridCell, StatRow, StatsBy};
pub use store::Store;
pub use warning::{Delivery, Warnings};

#[cfg(feature = "conformance")]
pub mod conformance;
