//! The embedded store's integration tests: the shared conformance suite, then what is
//! particular to SQLite (files, WAL, migrations, crash safety).

mod conformance;
mod sqlite;
