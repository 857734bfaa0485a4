//! One stored value, as every backend reads and writes it, and its canonical text (what
//! checksums hash).

use std::fmt::Write as _;

use chrono::NaiveDate;
use sqlx::{ColumnIndex, Decode, Row, Type};

use super::tables::Kind;
use crate::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Uuid(uuid::Uuid),
    Date(NaiveDate),
}

impl Value {
    /// An unambiguous text form, the same whichever backend the value came from: a tag, then
    /// the value (reals by their exact bits, text with its length), then a separator.
    pub fn write_canonical(&self, out: &mut String) {
        let _ = match self {
            Value::Null => write!(out, "N;"),
            Value::Int(i) => write!(out, "I{i};"),
            Value::Real(f) => write!(out, "R{:016x};", f.to_bits()),
            Value::Text(s) => write!(out, "T{}:{s};", s.len()),
            Value::Blob(b) => {
                let _ = write!(out, "B{}:", b.len());
                for byte in b {
                    let _ = write!(out, "{byte:02x}");
                }
                write!(out, ";")
            }
            Value::Uuid(u) => write!(out, "U{u};"),
            Value::Date(d) => write!(out, "D{d};"),
        };
    }
}

/// A row of any backend, read column by column as [`Value`]s: the sqlx bounds that takes,
/// written once (every backend's row type meets them).
pub trait ValueRow {
    /// Column `i` as a value of `kind` ([`Value::Null`] for NULL).
    fn value(&self, i: usize, kind: Kind) -> Result<Value, StoreError>;
}

impl<R> ValueRow for R
where
    R: Row,
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> f64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Vec<u8>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> uuid::Uuid: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> NaiveDate: Decode<'r, R::Database> + Type<R::Database>,
{
    fn value(&self, i: usize, kind: Kind) -> Result<Value, StoreError> {
        fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
            v.map(f).unwrap_or(Value::Null)
        }
        Ok(match kind {
            Kind::Int => or_null(self.try_get::<Option<i64>, _>(i)?, Value::Int),
            Kind::Real => or_null(self.try_get::<Option<f64>, _>(i)?, Value::Real),
            Kind::Text => or_null(self.try_get::<Option<String>, _>(i)?, Value::Text),
            Kind::Blob => or_null(self.try_get::<Option<Vec<u8>>, _>(i)?, Value::Blob),
            Kind::Uuid => or_null(self.try_get::<Option<uuid::Uuid>, _>(i)?, Value::Uuid),
            Kind::Date => or_null(self.try_get::<Option<NaiveDate>, _>(i)?, Value::Date),
        })
    }
}
