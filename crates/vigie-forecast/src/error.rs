//! The one error type of the crate. Every problem with an input file names the file, and
//! where it can, the line, the field, the value and the reason.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: line {line}: {source}", path.display())]
    Csv {
        path: PathBuf,
        line: u64,
        #[source]
        source: csv::Error,
    },
    /// The header is not one of the two ViEWS shapes.
    #[error("{}: line 1: header {found:?}: {reason}", path.display())]
    Header {
        path: PathBuf,
        found: String,
        reason: String,
    },
    /// One field of one row is not acceptable.
    #[error("{}: line {line}: field {field}: value {value:?}: {reason}", path.display())]
    Value {
        path: PathBuf,
        line: u64,
        field: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "{}: line {line}: duplicate row for {unit_field} {unit}, month_id {month} \
         (first given on line {first_line})",
        path.display()
    )]
    Duplicate {
        path: PathBuf,
        line: u64,
        first_line: u64,
        unit_field: &'static str,
        unit: u32,
        month: u32,
    },
    /// A unit's history has missing months between its first and its last.
    #[error(
        "{}: {unit_field} {unit}: gap in its history: month_id {first_missing}..={last_missing} \
         missing ({count} month(s)) between line {line_before} (month_id {month_before}) and \
         line {line_after} (month_id {month_after})",
        path.display()
    )]
    Gap {
        path: PathBuf,
        unit_field: &'static str,
        unit: u32,
        first_missing: u32,
        last_missing: u32,
        count: u32,
        month_before: u32,
        line_before: u64,
        month_after: u32,
        line_after: u64,
    },
    #[error("{}: no data rows", path.display())]
    Empty { path: PathBuf },
    #[error("{0}")]
    Window(String),
    /// No unit has any month on or before the window's training cut-off.
    #[error(
        "window {window}: no training data: it trains on month_id <= {train_end} \
         ({train_end_date}), but the history starts at month_id {first_month}"
    )]
    NoTrainingData {
        window: String,
        train_end: u32,
        train_end_date: String,
        first_month: u32,
    },
    /// A unit that can be forecast lacks the actual value of a month to score.
    #[error(
        "window {window}: {unit_field} {unit} has no actual for month_id {month} \
         (its history ends at month_id {last_month}); evaluation needs every month of the window"
    )]
    MissingActual {
        window: String,
        unit_field: &'static str,
        unit: u32,
        month: u32,
        last_month: u32,
    },
    #[error("unknown model {0:?}: the models are {1}")]
    UnknownModel(String, String),
    /// A learned model could not be fit.
    #[error("{0}")]
    Model(String),
    #[error("writing predictions: {0}")]
    Write(#[source] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
