//! The SQL a copy runs, built once for every backend: key-ordered chunks (keyset
//! pagination, never OFFSET), counts, the last key, multi-row inserts.

use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};

use super::tables::{Kind, Table};
use super::value::Value;

/// Which rows of a table, by key: after `after` (exclusive), up to `upto` (inclusive).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyRange<'k> {
    pub after: Option<&'k [Value]>,
    pub upto: Option<&'k [Value]>,
}

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A database whose queries can bind every [`Value`]: the sqlx bounds that takes, written
/// once (every backend's database type has it).
pub trait BindValues<'a>: Database {
    /// Binds `v` (as an `Option`); a NULL is bound with the type of `kind`, which
    /// PostgreSQL needs.
    fn push_value(qb: &mut QueryBuilder<'a, Self>, v: &Value, kind: Kind);
}

impl<'a, DB> BindValues<'a> for DB
where
    DB: Database,
    Option<i64>: Encode<'a, DB> + Type<DB>,
    Option<f64>: Encode<'a, DB> + Type<DB>,
    Option<String>: Encode<'a, DB> + Type<DB>,
    Option<Vec<u8>>: Encode<'a, DB> + Type<DB>,
    Option<uuid::Uuid>: Encode<'a, DB> + Type<DB>,
    Option<NaiveDate>: Encode<'a, DB> + Type<DB>,
{
    fn push_value(qb: &mut QueryBuilder<'a, DB>, v: &Value, kind: Kind) {
        match (v, kind) {
            (Value::Int(i), _) => qb.push_bind(Some(*i)),
            (Value::Real(f), _) => qb.push_bind(Some(*f)),
            (Value::Text(s), _) => qb.push_bind(Some(s.clone())),
            (Value::Blob(b), _) => qb.push_bind(Some(b.clone())),
            (Value::Uuid(u), _) => qb.push_bind(Some(*u)),
            (Value::Date(d), _) => qb.push_bind(Some(*d)),
            (Value::Null, Kind::Int) => qb.push_bind(None::<i64>),
            (Value::Null, Kind::Real) => qb.push_bind(None::<f64>),
            (Value::Null, Kind::Text) => qb.push_bind(None::<String>),
            (Value::Null, Kind::Blob) => qb.push_bind(None::<Vec<u8>>),
            (Value::Null, Kind::Uuid) => qb.push_bind(None::<uuid::Uuid>),
            (Value::Null, Kind::Date) => qb.push_bind(None::<NaiveDate>),
        };
    }
}

/// `(k1, k2) OP (?, ?)`.
fn push_key_condition<'a, DB>(qb: &mut QueryBuilder<'a, DB>, table: &Table, op: &str, key: &[Value])
where
    DB: BindValues<'a>,
{
    qb.push(format!("({}) {op} (", table.key.join(", ")));
    for (i, (v, col)) in key.iter().zip(table.key_columns()).enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        DB::push_value(qb, v, col.kind);
    }
    qb.push(")");
}

fn push_range<'a, DB>(qb: &mut QueryBuilder<'a, DB>, table: &Table, range: &KeyRange<'_>)
where
    DB: BindValues<'a>,
{
    let mut sep = " WHERE ";
    if let Some(after) = range.after {
        qb.push(sep);
        sep = " AND ";
        push_key_condition(qb, table, ">", after);
    }
    if let Some(upto) = range.upto {
        qb.push(sep);
        push_key_condition(qb, table, "<=", upto);
    }
}

/// Every column of the rows in `range`, in key order, at most `limit`.
pub fn select_rows<'a, DB>(table: &Table, range: &KeyRange<'_>, limit: u64) -> QueryBuilder<'a, DB>
where
    DB: BindValues<'a>,
{
    let mut qb = QueryBuilder::new(format!("SELECT {} FROM {}", column_list(table), table.name));
    push_range(&mut qb, table, range);
    qb.push(format!(" ORDER BY {} LIMIT {limit}", table.key.join(", ")));
    qb
}

/// `SELECT count(*)` of the rows up to `upto` (all when `None`).
pub fn count_rows<'a, DB>(table: &Table, upto: Option<&[Value]>) -> QueryBuilder<'a, DB>
where
    DB: BindValues<'a>,
{
    let mut qb = QueryBuilder::new(format!("SELECT count(*) FROM {}", table.name));
    push_range(&mut qb, table, &KeyRange { after: None, upto });
    qb
}

/// The key columns of the table's last row.
pub fn last_key_sql(table: &Table) -> String {
    let desc: Vec<String> = table.key.iter().map(|k| format!("{k} DESC")).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT 1",
        table.key.join(", "),
        table.name,
        desc.join(", ")
    )
}

/// `INSERT INTO table (every column) [overriding] VALUES (…), (…)` for `rows`.
pub fn insert_rows<'a, DB>(
    table: &Table,
    overriding: &str,
    rows: &[Vec<Value>],
) -> QueryBuilder<'a, DB>
where
    DB: BindValues<'a>,
{
    let mut qb = QueryBuilder::new(format!(
        "INSERT INTO {} ({}) {overriding} VALUES ",
        table.name,
        column_list(table)
    ));
    for (r, row) in rows.iter().enumerate() {
        qb.push(if r == 0 { "(" } else { ", (" });
        for (i, (v, col)) in row.iter().zip(table.columns).enumerate() {
            if i > 0 {
                qb.push(", ");
            }
            DB::push_value(&mut qb, v, col.kind);
        }
        qb.push(")");
    }
    qb
}
