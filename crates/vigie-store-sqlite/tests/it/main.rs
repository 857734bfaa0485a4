//! The embedded store's integration tests: the shared conformance suites (the store's, and
//! its database's: migrations, append-only tables), then what is particular to SQLite (its
//! file, WAL).

mod conformance;
mod sqlite;
