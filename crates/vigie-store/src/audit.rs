//! The audit log's entries and its hash chain. Each entry's hash covers the previous hash
//! and every field, so editing or removing any entry breaks every link after it; the head
//! (last number and hash, kept apart) shows removals from the end.

use chrono::Utc;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What is being recorded. Identifiers, actions and markings only: never a record's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAuditEntry {
    pub actor: Option<String>,
    pub actor_org: Option<String>,
    /// `login`, `login-failed`, `create`, `update`, `audience`, `read`, `export`, `admin`, …
    pub action: String,
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    /// A short JSON object of identifiers and markings.
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: Option<String>,
    pub actor_org: Option<String>,
    pub action: String,
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditCheck {
    pub entries: i64,
    /// Every problem found, in order; empty when the log is intact.
    pub problems: Vec<String>,
    /// Where the chain first breaks: the number of the first entry edited, removed or
    /// unlinked (for a log cut short at its end, the first entry missing); `None` when the
    /// log is intact.
    pub first_broken: Option<i64>,
}

impl AuditCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The hash of entry `seq`, chained to `prev_hash`.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: Option<&str>,
    actor_org: Option<&str>,
    action: &str,
    record_kind: Option<&str>,
    record_id: Option<&str>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    let mut field = |v: Option<&str>| match v {
        None => h.update(b"N"),
        Some(s) => {
            h.update(b"T");
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
    };
    field(Some(prev_hash));
    field(Some(&seq.to_string()));
    field(Some(at));
    field(actor);
    field(actor_org);
    field(Some(action));
    field(record_kind);
    field(record_id);
    field(Some(detail));
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn now_text() -> String {
    crate::sql::timestamp(&Utc::now())
}

/// Checks a run of entries continuing after (`expect_seq` - 1, `prev`); returns the last
/// (seq, hash) seen. Problems are pushed to `check.problems`, and the first entry where the
/// chain breaks kept in `check.first_broken`.
pub fn check_run(
    entries: &[AuditEntry],
    mut expect_seq: i64,
    mut prev: String,
    check: &mut AuditCheck,
) -> (i64, String) {
    fn broken(check: &mut AuditCheck, at: i64, problem: String) {
        check.first_broken.get_or_insert(at);
        check.problems.push(problem);
    }
    for e in entries {
        if e.seq != expect_seq {
            broken(
                check,
                expect_seq,
                format!(
                    "entry {expect_seq} is missing (the next entry is {})",
                    e.seq
                ),
            );
        }
        if e.prev_hash != prev {
            broken(
                check,
                e.seq,
                format!(
                    "entry {}: its link to the previous entry is broken (an entry before it was edited or removed)",
                    e.seq
                ),
            );
        }
        let h = entry_hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            e.actor.as_deref(),
            e.actor_org.as_deref(),
            &e.action,
            e.record_kind.as_deref(),
            e.record_id.as_deref(),
            &e.detail,
        );
        if h != e.hash {
            broken(
                check,
                e.seq,
                format!(
                    "entry {}: its content does not match its hash (edited)",
                    e.seq
                ),
            );
        }
        prev = e.hash.clone();
        expect_seq = e.seq + 1;
    }
    (expect_seq - 1, prev)
}
