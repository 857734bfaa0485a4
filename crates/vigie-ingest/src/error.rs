use std::path::PathBuf;

/// A problem with a whole file. Nothing from the file may be written when one occurs.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: unknown format: {reason}")]
    UnknownFormat { path: PathBuf, reason: String },
    #[error("{path}: {format} file lacks required column(s): {}", missing.join(", "))]
    MissingColumns {
        path: PathBuf,
        format: &'static str,
        missing: Vec<String>,
    },
    #[error("{path}: wrong delimiter: {reason}")]
    WrongDelimiter { path: PathBuf, reason: String },
    #[error("{path}:{line}: truncated record: {reason}")]
    Truncated {
        path: PathBuf,
        line: u64,
        reason: String,
    },
}
