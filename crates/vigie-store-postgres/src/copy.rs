//! Rows for `COPY … FROM STDIN` in PostgreSQL's text format: one line per row, fields
//! separated by tabs, `\N` for NULL, and backslash escapes for backslash, tab, newline and
//! carriage return in text. Everything else (quotes, commas, non-ASCII) goes through as is.

use std::fmt::Write;

use vigie_store::Prepared;

/// Appends one event as a row whose fields are `vigie_store::sql::EVENT_COLUMNS`, in order.
pub(crate) fn push_row(buf: &mut String, prepared: &Prepared, batch_id: i64) {
    let (e, p) = (&prepared.event, &prepared.event.place);
    let mut row = Row { buf, first: true };
    row.raw(&e.id.hyphenated().to_string());
    row.text(e.source.as_str());
    row.text(&e.source_id);
    row.opt_text(e.source_version.as_deref());
    row.int(Some(prepared.content_hash));
    row.raw(&e.period.start.format("%Y-%m-%d").to_string());
    row.raw(&e.period.end.format("%Y-%m-%d").to_string());
    row.text(e.period.precision.as_str());
    row.float(p.latitude);
    row.float(p.longitude);
    row.opt_text(p.precision.map(|x| x.as_str()));
    row.int(p.source_precision.map(i64::from));
    row.opt_text(p.country.as_deref());
    row.int(p.gw_id.map(i64::from));
    row.int(p.views_id.map(i64::from));
    row.opt_text(p.admin1.as_deref());
    row.opt_text(p.admin2.as_deref());
    row.opt_text(p.location.as_deref());
    row.int(p.priogrid_gid.map(i64::from));
    row.text(e.category.as_str());
    row.text(&e.source_type);
    row.opt_text(e.side_a.as_ref().map(|a| a.name.as_str()));
    row.opt_text(e.side_a.as_ref().and_then(|a| a.source_id.as_deref()));
    row.opt_text(e.side_b.as_ref().map(|a| a.name.as_str()));
    row.opt_text(e.side_b.as_ref().and_then(|a| a.source_id.as_deref()));
    row.int(e.fatalities.best);
    row.int(e.fatalities.low);
    row.int(e.fatalities.high);
    row.opt_text(e.description.as_deref());
    row.text(&prepared.extra_json);
    row.int(Some(batch_id));
    row.text(&e.provenance.file);
    row.int(Some(i64::try_from(e.provenance.line).unwrap_or(i64::MAX)));
    row.text(&e.owner);
    row.text(e.marking.as_str());
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
