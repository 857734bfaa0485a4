//! The row loop: steps through the records after the header, tells a truncated last
//! record from a short one in the middle, and hands well-formed records to a [`Mapper`].

use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;

use csv::{ByteRecord, StringRecord};

use crate::csv_records::{csv_err, read_content, texts};
use crate::fields::{Columns, Fields};
use crate::mapper::Mapper;
use crate::{FileError, Reject, Row};

/// The row loop shared by every format: reads one record ahead (to tell a truncated last
/// record from a short one in the middle), checks field counts, and maps.
pub(crate) struct Engine {
    csv: csv::Reader<Box<dyn Read + Send>>,
    rows: Box<dyn Mapper>,
    columns: Columns,
    file: String,
    path: PathBuf,
    width: usize,
    /// Data records read during detection, served before reading on.
    pending: VecDeque<ByteRecord>,
    /// The record being mapped; `None` only while it is lent out as a `StringRecord`.
    cur: Option<ByteRecord>,
    ahead: ByteRecord,
    has_ahead: bool,
    done: bool,
}

impl Engine {
    /// An engine over `csv`, positioned after the header; `pending` holds the data records
    /// already read during detection. Nothing is read until [`Engine::advance_ahead`].
    pub(crate) fn new(
        csv: csv::Reader<Box<dyn Read + Send>>,
        rows: Box<dyn Mapper>,
        columns: Columns,
        path: PathBuf,
        pending: VecDeque<ByteRecord>,
    ) -> Self {
        let width = columns.len();
        Engine {
            csv,
            rows,
            columns,
            file: path.display().to_string(),
            path,
            width,
            pending,
            cur: Some(ByteRecord::new()),
            ahead: ByteRecord::new(),
            has_ahead: false,
            done: false,
        }
    }

    /// Reads the next non-blank record into `ahead`.
    pub(crate) fn advance_ahead(&mut self) -> Option<FileError> {
        if let Some(r) = self.pending.pop_front() {
            self.ahead = r;
            self.has_ahead = true;
            return None;
        }
        match read_content(&mut self.csv, &mut self.ahead) {
            Ok(b) => {
                self.has_ahead = b;
                None
            }
            Err(e) => {
                self.has_ahead = false;
                Some(csv_err(&self.path, e))
            }
        }
    }

    fn lossy_record(&self) -> Vec<String> {
        self.cur.as_ref().map(texts).unwrap_or_default()
    }

    fn step(&mut self) -> Option<Result<Row, FileError>> {
        loop {
            if self.done {
                return None;
            }
            if !self.has_ahead {
                self.done = true;
                return self.rows.finish().map(Ok);
            }
            std::mem::swap(
                self.cur.get_or_insert_with(ByteRecord::new),
                &mut self.ahead,
            );
            if let Some(e) = self.advance_ahead() {
                self.done = true;
                return Some(Err(e));
            }
            let cur = self.cur.as_ref().expect("put there above");
            let line = cur.position().map_or(0, |p| p.line());
            let n = cur.len();
            if n != self.width {
                if n < self.width && !self.has_ahead {
                    self.done = true;
                    return Some(Err(FileError::Truncated {
                        path: self.path.clone(),
                        line,
                        reason: format!(
                            "the last record has {n} of the header's {} fields; the file seems cut off \
                             (or a quoted field is never closed)",
                            self.width
                        ),
                    }));
                }
                return Some(Ok(Row::Reject(Reject {
                    file: self.file.clone(),
                    line,
                    field: None,
                    value: None,
                    reason: format!("has {n} fields, the header has {}", self.width),
                    record: self.lossy_record(),
                })));
            }
            // A NUL byte means a damaged file, and PostgreSQL's text cannot hold one (SQLite
            // would keep it): the row is refused, on either store alike.
            if let Some(i) = self
                .cur
                .as_ref()
                .and_then(|r| r.iter().position(|f| f.contains(&0)))
            {
                let record = self.lossy_record();
                return Some(Ok(Row::Reject(Reject {
                    file: self.file.clone(),
                    line,
                    field: Some(self.columns.name(i).to_string()),
                    value: record.get(i).cloned(),
                    reason: "holds a NUL byte".to_string(),
                    record,
                })));
            }
            let record = self.cur.take().unwrap_or_default();
            let (out, back) = match StringRecord::from_byte_record(record) {
                Ok(record) => {
                    let f = Fields {
                        record: &record,
                        columns: &self.columns,
                        file: &self.file,
                        line,
                    };
                    let out = self.rows.map(&f);
                    (out, record.into_byte_record())
                }
                Err(e) => {
                    let record = e.into_byte_record();
                    let reject = Reject {
                        file: self.file.clone(),
                        line,
                        field: None,
                        value: None,
                        reason: "is not valid UTF-8".to_string(),
                        record: texts(&record),
                    };
                    (Some(Row::Reject(reject)), record)
                }
            };
            self.cur = Some(back);
            if let Some(r) = out {
                return Some(Ok(r));
            }
        }
    }
}

impl Iterator for Engine {
    type Item = Result<Row, FileError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.step()
    }
}
