//! Versioned, forward-only schema migrations, embedded in the binary. sqlx records each
//! applied migration with its checksum; opening a store applies what is pending and refuses
//! a database whose applied migrations were edited, or that a newer Vigie migrated.

use sqlx::migrate::Migrator;

/// Migrations of the embedded SQLite store.
pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");

/// Migrations of the PostgreSQL store. sqlx applies them under a PostgreSQL advisory lock,
/// so two servers starting at once against one database do not race.
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");
