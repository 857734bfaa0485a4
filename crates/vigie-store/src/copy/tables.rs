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

use Kind::{Blob, Date, Int, Real, Text, Uuid};

/// The columns an event and its earlier versions share, from `content_hash` on.
macro_rules! event_body {
    ($($head:expr),* $(,)?; $($tail:expr),* $(,)?) => {
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
            $($tail,)*
        ]
    };
}

/// A record's columns followed by its audience's (owner, creator, marking, distribution
/// and its reference: the columns [`crate::gate::push_visible`] reads).
macro_rules! with_audience {
    ($($col:expr),* $(,)?) => {
        &[
            $($col,)*
            c("owner", Text),
            c("creator", Text),
            c("marking", Text),
            c("distribution", Text),
            c("distribution_ref", Text),
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
            c("version", Int);
            c("creator", Text),
            c("distribution", Text),
            c("distribution_ref", Text),
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
            c("source_version", Text);
        ],
    },
    Table {
        name: "organisations",
        key: &["id"],
        generated: None,
        columns: &[
            c("id", Text),
            c("name", Text),
            c("kind", Text),
            c("created_at", Text),
        ],
    },
    Table {
        name: "users",
        key: &["id"],
        generated: None,
        columns: &[
            c("id", Text),
            c("org", Text),
            c("name", Text),
            c("roles", Text),
            c("password_hash", Text),
            c("disabled", Int),
            c("created_at", Text),
            c("locale", Text),
        ],
    },
    Table {
        name: "communities",
        key: &["id"],
        generated: None,
        columns: &[c("id", Text), c("name", Text)],
    },
    Table {
        name: "community_memberships",
        key: &["community", "org", "valid_from"],
        generated: None,
        columns: &[
            c("community", Text),
            c("org", Text),
            c("valid_from", Date),
            c("valid_until", Date),
        ],
    },
    Table {
        name: "community_states",
        key: &["community", "country", "valid_from"],
        generated: None,
        columns: &[
            c("community", Text),
            c("country", Text),
            c("valid_from", Date),
            c("valid_until", Date),
        ],
    },
    Table {
        name: "sharing_groups",
        key: &["id"],
        generated: None,
        columns: &[c("id", Text), c("name", Text), c("owner", Text)],
    },
    Table {
        name: "sharing_group_members",
        key: &["sharing_group", "org"],
        generated: None,
        columns: &[c("sharing_group", Text), c("org", Text)],
    },
    Table {
        name: "audience_names",
        key: &["record_id", "name"],
        generated: None,
        columns: &[c("record_id", Uuid), c("name", Text)],
    },
    Table {
        name: "reports",
        key: &["seq"],
        generated: Some("seq"),
        columns: with_audience![
            c("seq", Int),
            c("id", Uuid),
            c("title", Text),
            c("body", Text),
            c("country", Text),
            c("admin1", Text),
            c("status", Text),
            c("version", Int),
            c("created_at", Text),
            c("updated_at", Text),
        ],
    },
    Table {
        name: "sessions",
        key: &["token_hash"],
        generated: None,
        columns: &[
            c("token_hash", Blob),
            c("user_id", Text),
            c("csrf", Text),
            c("created_at", Text),
            c("expires_at", Text),
        ],
    },
    Table {
        name: "api_tokens",
        key: &["id"],
        generated: None,
        columns: &[
            c("id", Text),
            c("user_id", Text),
            c("name", Text),
            c("secret_hash", Blob),
            c("scope", Text),
            c("created_at", Text),
            c("expires_at", Text),
            c("revoked_at", Text),
        ],
    },
    Table {
        name: "audit_log",
        key: &["seq"],
        generated: None,
        columns: &[
            c("seq", Int),
            c("at", Text),
            c("actor", Text),
            c("actor_org", Text),
            c("action", Text),
            c("record_kind", Text),
            c("record_id", Text),
            c("detail", Text),
            c("prev_hash", Text),
            c("hash", Text),
        ],
    },
    Table {
        name: "audit_head",
        key: &["id"],
        generated: None,
        columns: &[c("id", Int), c("seq", Int), c("hash", Text)],
    },
    Table {
        name: "forecast_runs",
        key: &["seq"],
        generated: Some("seq"),
        columns: &[
            c("seq", Int),
            c("id", Uuid),
            c("level", Text),
            c("model", Text),
            c("data_from", Text),
            c("data_until", Text),
            c("months", Int),
            c("draws", Int),
            c("computed_for", Text),
            c("created_at", Text),
            c("owner", Text),
            c("creator", Text),
            c("marking", Text),
            c("distribution", Text),
            c("distribution_ref", Text),
            // Added by 0009, after the audience columns.
            c("missing_months", Int),
            c("missing", Text),
        ],
    },
    Table {
        name: "forecasts",
        key: &["run_id", "unit", "month"],
        generated: None,
        columns: &[
            c("run_id", Uuid),
            c("unit", Text),
            c("month", Text),
            c("ahead", Int),
            c("mean", Real),
            c("q05", Real),
            c("q50", Real),
            c("q95", Real),
            c("p_any", Real),
            c("p_25", Real),
            c("cumulative", Text),
        ],
    },
    Table {
        name: "alert_rules",
        key: &["seq"],
        generated: Some("seq"),
        columns: &[
            c("seq", Int),
            c("id", Uuid),
            c("name", Text),
            c("rule", Text),
            c("units", Text),
            c("webhook", Text),
            c("created_at", Text),
            c("owner", Text),
            c("creator", Text),
            c("marking", Text),
            c("distribution", Text),
            c("distribution_ref", Text),
            c("name_key", Text),
            c("scope", Text),
        ],
    },
    Table {
        name: "alert_deliveries",
        key: &["rule_id", "alert_id"],
        generated: None,
        columns: &[
            c("rule_id", Uuid),
            c("alert_id", Uuid),
            c("attempts", Int),
            c("last_attempt", Text),
            c("last_status", Text),
            c("delivered", Int),
        ],
    },
    Table {
        name: "coordination_profiles",
        key: &["org"],
        generated: None,
        columns: &[c("org", Text), c("profile", Text), c("updated_at", Text)],
    },
    Table {
        name: "tasks",
        key: &["seq"],
        generated: Some("seq"),
        columns: with_audience![
            c("seq", Int),
            c("id", Uuid),
            c("title", Text),
            c("task_type", Text),
            c("countries", Text),
            c("regions", Text),
            c("effort_days", Real),
            c("budget", Real),
            c("deadline", Date),
            c("priority", Int),
            c("depends_on", Text),
            c("consent_required", Int),
            c("consent_obtained", Int),
            c("alert", Uuid),
            c("status", Text),
            c("assignee", Text),
            c("declined_by", Text),
            c("outcome", Text),
            c("created_at", Text),
            c("updated_at", Text),
        ],
    },
    Table {
        name: "task_events",
        key: &["seq"],
        generated: Some("seq"),
        columns: &[
            c("seq", Int),
            c("task_id", Uuid),
            c("at", Text),
            c("actor", Text),
            c("actor_org", Text),
            c("from_status", Text),
            c("to_status", Text),
            c("org", Text),
            c("note", Text),
        ],
    },
    Table {
        name: "alert_log",
        key: &["alert_id", "reader"],
        generated: None,
        columns: &[
            c("alert_id", Uuid),
            c("reader", Text),
            c("rule_id", Uuid),
            c("first_seen", Text),
        ],
    },
    Table {
        name: "alert_acks",
        key: &["alert_id", "org"],
        generated: None,
        columns: &[
            c("alert_id", Uuid),
            c("org", Text),
            c("rule_id", Uuid),
            c("user_id", Text),
            c("at", Text),
            c("note", Text),
        ],
    },
    Table {
        name: "coverage",
        key: &["seq"],
        generated: Some("seq"),
        columns: with_audience![
            c("seq", Int),
            c("id", Uuid),
            c("source", Text),
            c("file", Text),
            c("import_batch", Int),
            c("countries", Text),
            c("month_from", Text),
            c("month_until", Text),
            c("complete", Int),
            c("basis", Text),
            c("basis_key", Text),
            c("recorded_at", Text),
        ],
    },
];

/// sqlx's record of applied migrations: not copied (each store's constructor keeps its own).
pub const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Tables derived from others by triggers (see migrations/*/0003_rollup.sql): never copied,
/// since writing the tables they derive from fills them in the target.
pub const DERIVED: &[&str] = &["event_rollup", "event_totals"];
