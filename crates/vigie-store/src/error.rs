/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// An error from a backend's own driver (outside sqlx).
    #[error("database error: {0}")]
    Backend(String),
    #[error("schema migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot open the data directory {path}: {reason}")]
    DataDir { path: String, reason: String },
    #[error("stored row is corrupt: column {column}: {reason}")]
    Corrupt {
        column: &'static str,
        reason: String,
    },
}
