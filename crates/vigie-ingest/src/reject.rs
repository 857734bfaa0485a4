use std::fmt;

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

/// A rejects file: CSV with `line,field,value,reason` followed by the original columns.
pub struct RejectReport {
    _private: (),
}
