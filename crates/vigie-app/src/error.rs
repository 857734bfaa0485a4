//! Why a use case refused or failed. Every channel maps these to its own answer (the API to
//! its error body and status, the command line to a message and exit code) and never
//! re-words them.

use vigie_core::CheckError;
use vigie_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An input refused by a domain check: its field (a path into the input), a stable
    /// code and the reason in words.
    #[error("{0}")]
    Check(CheckError),
    /// An input refused, naming its field (a path into the input) and the reason.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The caller may see the record but not do this to it (or to anything).
    #[error("{0}")]
    Forbidden(String),
    /// The record does not exist *or* may not be seen: the one answer for both.
    #[error("not found")]
    NotFound,
    /// The request as a whole cannot be done as asked (no one field is at fault).
    #[error("{0}")]
    BadRequest(String),
    /// Something failed that the caller cannot fix (the details are for the log).
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// A wrong input: names the field, the value and the reason.
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden(message.into())
    }
}

impl From<CheckError> for AppError {
    fn from(e: CheckError) -> AppError {
        AppError::Check(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
