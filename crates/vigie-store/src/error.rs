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
    /// A unique identifier is already taken.
    #[error("{what} {id:?} already exists")]
    Conflict { what: &'static str, id: String },
    /// A row the write refers to (an organisation, a user, a community) does not exist.
    #[error("{what} {id:?} does not exist")]
    Missing { what: &'static str, id: String },
    #[error("stored row is corrupt: column {column}: {reason}")]
    Corrupt {
        column: &'static str,
        reason: String,
    },
}

impl StoreError {
    /// A stored value that does not read back as what was written.
    pub fn corrupt(column: &'static str, reason: impl ToString) -> Self {
        StoreError::Corrupt {
            column,
            reason: reason.to_string(),
        }
    }
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`] and a foreign-key
/// violation to [`StoreError::Missing`] (naming the row written, since the database does
/// not say which reference failed).
#[doc(hidden)]
pub fn conflict_or<T>(
    result: Result<T, sqlx::Error>,
    what: &'static str,
    id: &str,
) -> Result<T, StoreError> {
    match result {
        Ok(v) => Ok(v),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict {
            what,
            id: id.to_string(),
        }),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(StoreError::Missing {
            what: "a row referred to by this",
            id: format!("{what} {id}"),
        }),
        Err(e) => Err(e.into()),
    }
}
