//! Rows for `COPY … FROM STDIN` in PostgreSQL's text format: one line per row, fields
//! separated by tabs, `\N` for NULL, and backslash escapes for backslash, tab, newline and
//! carriage return in text. Everything else (quotes, commas, non-ASCII) goes through as is.

use std::fmt::Write;

use vigie_store::sql::{event_fields, Field};
use vigie_store::Prepared;

/// Appends one event as a row whose fields are `vigie_store::sql::EVENT_COLUMNS`, in order.
pub(crate) fn push_row(buf: &mut String, prepared: &Prepared, batch_id: i64) {
    let fields = event_fields(
        &prepared.event,
        &prepared.extra_json,
        prepared.content_hash,
        Some(batch_id),
    );
    let mut row = Row { buf, first: true };
    for field in fields {
        match field {
            Field::Uuid(u) => row.raw(&u.hyphenated().to_string()),
            Field::Text(t) => row.opt_text(t),
            Field::Int(i) => row.int(i),
            Field::Real(r) => row.float(r),
            Field::Date(d) => row.raw(&d.format("%Y-%m-%d").to_string()),
        }
    }
    row.buf.push('\n');
}

struct Row<'a> {
    buf: &'a mut String,
    first: bool,
}

impl Row<'_> {
    fn sep(&mut self) {
        if !self.first {
            self.buf.push('\t');
        }
        self.first = false;
    }

    /// A value whose text needs no escaping (ids, dates, numbers).
    fn raw(&mut self, s: &str) {
        self.sep();
        self.buf.push_str(s);
    }

    fn null(&mut self) {
        self.sep();
        self.buf.push_str("\\N");
    }

    fn text(&mut self, s: &str) {
        self.sep();
        for ch in s.chars() {
            match ch {
                '\\' => self.buf.push_str("\\\\"),
                '\t' => self.buf.push_str("\\t"),
                '\n' => self.buf.push_str("\\n"),
                '\r' => self.buf.push_str("\\r"),
                c => self.buf.push(c),
            }
        }
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.sep();
                let _ = write!(self.buf, "{v}");
            }
            None => self.null(),
        }
    }

    /// Rust prints the shortest decimal that reads back as the same double.
    fn float(&mut self, v: Option<f64>) {
        match v {
            Some(v) if v.is_nan() => self.raw("NaN"),
            Some(v) if v.is_infinite() => self.raw(if v > 0.0 { "Infinity" } else { "-Infinity" }),
            Some(v) => {
                self.sep();
                let _ = write!(self.buf, "{v}");
            }
            None => self.null(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_field_per_column_and_escapes() {
        let mut e = vigie_store::conformance::event("1", "MLI", "Mopti", "2023-10-02", 1);
        e.description = Some("a\tb\nc\rd\\e \\N".into());
        let mut buf = String::new();
        push_row(&mut buf, &Prepared::from(e), 7);
        assert!(buf.ends_with('\n'));
        let fields: Vec<&str> = buf.trim_end_matches('\n').split('\t').collect();
        assert_eq!(fields.len(), vigie_store::sql::EVENT_COLUMNS.len());
        assert!(fields.contains(&"a\\tb\\nc\\rd\\\\e \\\\N"), "{fields:?}");
    }
}
