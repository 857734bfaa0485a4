//! Every table the migrations create (but sqlx's own `_sqlx_migrations`), in dependency
//! order, with its key and its columns: the one list `vigie db copy` works from. A
//! migration that adds a table or a column must add it here too; [`super::check_schema`]
//! refuses a database whose tables differ from this list (and a test runs it on both
//! backends' fresh schemas).

/// How a column is stored, the same way on every backend once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// INTEGER / BIGINT.
    Int,
    /// REAL / DOUBLE PRECISION.
    Real,
    Text,
    Blob,
    /// A 16-byte BLOB in SQLite, UUID in PostgreSQL.
    Uuid,
    /// TEXT 'YYYY-MM-DD' in SQLite, DATE in PostgreSQL.
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// The primary key: rows are copied, compared and resumed in its order.
    pub key: &'static [&'static str],
    /// A column the database generates (PostgreSQL identity), which a copy writes as is.
    pub generated: Option<&'static str>,
    /// Every column, in the schema's order.
    pub columns: &'static [Column],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The key columns, with their kinds.
    pub fn key_columns(&self) -> Vec<Column> {
        self.key
            .iter()
            .map(|k| *self.column(k).expect("key columns are columns"))
            .collect()
    }

    /// Positions of the key columns in a row.
    pub fn key_positions(&self) -> Vec<usize> {
        self.key
            .iter()
            .map(|k| {
                self.columns
                    .iter()
                    .position(|c| c.name == *k)
                    .expect("key columns are columns")
            })
            .collect()
    }
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

use Kind::{Date, Int, Real, Text, Uuid};

/// The columns an event and its earlier versions share, from `content_hash` on.
macro_rules! event_body {
    ($($head:expr),* $(,)?) => {
        &[
            $($head,)*
            c("content_hash", Int),
            c("date_start", Date),
            c("date_end", Date),
            c("date_precision", Text),
            c("latitude", Real),
            c("longitude", Real),
            c("location_precision", Text),
            c("source_location_precision", Int),
            c("country", Text),
            c("gw_id", Int),
            c("views_id", Int),
            c("admin1", Text),
            c("admin2", Text),
            c("location", Text),
            c("priogrid_gid", Int),
            c("category", Text),
            c("source_type", Text),
            c("side_a", Text),
            c("side_a_id", Text),
            c("side_b", Text),
            c("side_b_id", Text),
            c("fatalities_best", Int),
            c("fatalities_low", Int),
            c("fatalities_high", Int),
            c("description", Text),
            c("extra", Text),
            c("batch_id", Int),
            c("file", Text),
            c("line", Int),
            c("owner", Text),
            c("marking", Text),
        ]
    };
}

/// Every table, parents before children (`events.batch_id` references `import_batches`).
pub const TABLES: &[Table] = &[
    Table {
        name: "import_batches",
        key: &["id"],
        generated: Some("id"),
        columns: &[
            c("id", Int),
            c("file", Text),
            c("format", Text),
            c("file_size", Int),
            c("started_at", Text),
            c("finished_at", Text),
            c("inserted", Int),
            c("updated", Int),
            c("unchanged", Int),
            c("rejected", Int),
        ],
    },
    Table {
        name: "events",
        key: &["seq"],
        generated: Some("seq"),
        columns: event_body![
            c("seq", Int),
            c("id", Uuid),
            c("source", Text),
            c("source_id", Text),
            c("source_version", Text),
            c("version", Int),
        ],
    },
    Table {
        name: "event_history",
        key: &["id", "version"],
        generated: None,
        columns: event_body![
            c("id", Uuid),
            c("version", Int),
            c("replaced_at", Text),
            c("source", Text),
            c("source_id", Text),
            c("source_version", Text),
        ],
    },
];

/// sqlx's record of applied migrations: not copied (each store's constructor keeps its own).
pub const MIGRATIONS_TABLE: &str = "_sqlx_migrations";
