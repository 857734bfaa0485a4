use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// A row that could not become an event, and exactly why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The file name as given to the importer.
    pub file: String,
    /// 1-based line where the record starts (the header is line 1).
    pub line: u64,
    /// The column at fault, where one is.
    pub field: Option<String>,
    /// The offending value, where one is.
    pub value: Option<String>,
    pub reason: String,
    /// The record's fields as read, so that it can be fixed and re-imported.
    pub record: Vec<String>,
}

impl fmt::Display for Reject {
    /// `events.csv:1042: column 'best': "abc" is not a whole number`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, "column '{field}': ")?;
        }
        if let Some(value) = &self.value {
            write!(f, "{value:?} ")?;
        }
        f.write_str(&self.reason)
    }
}

/// A rejects file: CSV with `line,field,value,reason` followed by the original columns,
/// written as rejects arrive (nothing is held in memory).
pub struct RejectReport {
    writer: csv::Writer<BufWriter<File>>,
    count: u64,
}

impl RejectReport {
    /// Creates (or truncates) `path` and writes the header: `line,field,value,reason`, then
    /// `source_header`.
    pub fn create(path: &Path, source_header: &[String]) -> io::Result<Self> {
        let file = BufWriter::with_capacity(64 * 1024, File::create(path)?);
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        writer.write_record(
            ["line", "field", "value", "reason"]
                .into_iter()
                .chain(source_header.iter().map(String::as_str)),
        )?;
        Ok(RejectReport { writer, count: 0 })
    }

    /// Appends one reject, with the record's fields as read.
    pub fn push(&mut self, reject: &Reject) -> io::Result<()> {
        let line = reject.line.to_string();
        let head = [
            line.as_str(),
            reject.field.as_deref().unwrap_or(""),
            reject.value.as_deref().unwrap_or(""),
            &reject.reason,
        ];
        self.writer.write_record(
            head.into_iter()
                .chain(reject.record.iter().map(String::as_str)),
        )?;
        self.count += 1;
        Ok(())
    }

    /// How many rejects were written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Flushes the file and returns the number of rejects written.
    pub fn finish(self) -> io::Result<u64> {
        let count = self.count;
        // `into_inner` flushes the CSV writer; the BufWriter is flushed explicitly so that a
        // full disk is reported rather than lost in a drop.
        let mut inner = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))?;
        inner.flush()?;
        Ok(count)
    }
}
