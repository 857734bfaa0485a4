//! Versioned, forward-only schema migrations, embedded in the binary. sqlx records each
//! applied migration with its checksum; opening a store applies what is pending and refuses
//! a database whose applied migrations were edited, or that a newer Vigie migrated.

use sqlx::migrate::Migrator;

/// Migrations of the embedded SQLite store.
pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
