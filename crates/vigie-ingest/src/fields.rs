//! Typed access to one CSV record by column name, turning every bad value into a precise
//! [`Reject`]. Every reader maps records through this, so the messages read the same.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use csv::StringRecord;

use crate::Reject;

/// Header name → column index. Names are matched exactly as given (readers normalise case
/// before building it where their format needs that).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = HashMap::new();
        for (i, n) in names.into_iter().enumerate() {
            index.entry(n.trim().to_string()).or_insert(i);
        }
        Columns { index }
    }

    pub(crate) fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The names in `required` that the header lacks.
    pub(crate) fn missing(&self, required: &[&str]) -> Vec<String> {
        required.iter().filter(|n| !self.has(n)).map(|n| n.to_string()).collect()
    }
}

/// One record, its columns and where it stands in its file.
pub(crate) struct Fields<'a> {
    pub(crate) record: &'a StringRecord,
    pub(crate) columns: &'a Columns,
    pub(crate) file: &'a str,
    pub(crate) line: u64,
}

impl<'a> Fields<'a> {
    /// The trimmed value of `name`, or "" when the column is absent.
    pub(crate) fn str(&self, name: &str) -> &'a str {
        self.columns.get(name).and_then(|i| self.record.get(i)).map(str::trim).unwrap_or("")
    }

    /// The trimmed value, or `None` when empty or `NA` (GDELT and R exports write missing so).
    pub(crate) fn opt(&self, name: &str) -> Option<&'a str> {
        let v = self.str(name);
        if v.is_empty() || v == "NA" || v == "NULL" {
            None
        } else {
            Some(v)
        }
    }

    pub(crate) fn opt_string(&self, name: &str) -> Option<String> {
        self.opt(name).map(str::to_string)
    }

    /// A reject for this record.
    pub(crate) fn reject(&self, field: Option<&str>, value: Option<&str>, reason: impl Into<String>) -> Reject {
        Reject {
            file: self.file.to_string(),
            line: self.line,
            field: field.map(str::to_string),
            value: value.map(str::to_string),
            reason: reason.into(),
            record: self.record.iter().map(str::to_string).collect(),
        }
    }

    /// A value that must be present.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str, Reject> {
        self.opt(name).ok_or_else(|| self.reject(Some(name), None, "is required but empty"))
    }

    /// An optional whole number. Accepts "12" and "12.0" (R and spreadsheet exports).
    pub(crate) fn int<T: TryFrom<i64>>(&self, name: &str) -> Result<Option<T>, Reject> {
        let Some(v) = self.opt(name) else { return Ok(None) };
        let n = parse_whole(v).ok_or_else(|| self.reject(Some(name), Some(v), "is not a whole number"))?;
        T::try_from(n).map(Some).map_err(|_| self.reject(Some(name), Some(v), "is out of range"))
    }

    pub(crate) fn req_int<T: TryFrom<i64>>(&self, name: &str) -> Result<T, Reject> {
        self.int(name)?.ok_or_else(|| self.reject(Some(name), None, "is required but empty"))
    }

    /// An optional whole number that may not be negative (fatalities).
    pub(crate) fn count(&self, name: &str) -> Result<Option<i64>, Reject> {
        match self.int::<i64>(name)? {
            Some(n) if n < 0 => Err(self.reject(Some(name), Some(self.str(name)), "is negative")),
            other => Ok(other),
        }
    }

    pub(crate) fn float(&self, name: &str) -> Result<Option<f64>, Reject> {
        let Some(v) = self.opt(name) else { return Ok(None) };
        match f64::from_str(v) {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.reject(Some(name), Some(v), "is not a number")),
        }
    }

    /// Latitude and longitude, both or neither, within range.
    pub(crate) fn lat_lon(&self, lat: &str, lon: &str) -> Result<(Option<f64>, Option<f64>), Reject> {
        let (la, lo) = (self.float(lat)?, self.float(lon)?);
        if let Some(v) = la {
            if !(-90.0..=90.0).contains(&v) {
                return Err(self.reject(Some(lat), Some(self.str(lat)), "is not a latitude (-90 to 90)"));
            }
        }
        if let Some(v) = lo {
            if !(-180.0..=180.0).contains(&v) {
                return Err(self.reject(Some(lon), Some(self.str(lon)), "is not a longitude (-180 to 180)"));
            }
        }
        match (la, lo) {
            (Some(_), None) => Err(self.reject(Some(lon), None, "is empty while the latitude is given")),
            (None, Some(_)) => Err(self.reject(Some(lat), None, "is empty while the longitude is given")),
            _ => Ok((la, lo)),
        }
    }

    /// A required date in any form [`parse_date`] accepts.
    pub(crate) fn date(&self, name: &str) -> Result<NaiveDate, Reject> {
        let v = self.required(name)?;
        parse_date(v).ok_or_else(|| self.reject(Some(name), Some(v), "is not a date (expected YYYY-MM-DD)"))
    }
}

/// Parses a whole number, allowing a zero fraction ("3.0").
pub(crate) fn parse_whole(v: &str) -> Option<i64> {
    if let Ok(n) = v.parse::<i64>() {
        return Some(n);
    }
    let (int, frac) = v.split_once('.')?;
    if !frac.is_empty() && frac.bytes().all(|b| b == b'0') {
        int.parse().ok()
    } else {
        None
    }
}

/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fff]`, `YYYYMMDD`, `15 March 2019`, `15-March-2019`, `2019/03/15`.
pub(crate) fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    let head = v.split([' ', 'T']).next().unwrap_or(v);
    if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        return Some(d);
    }
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok();
    }
    for fmt in ["%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%Y/%m/%d", "%B %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2023, 10, 2).unwrap();
        assert_eq!(parse_date("2023-10-02 00:00:00.000"), Some(d));
        assert_eq!(parse_date("2023-10-02"), Some(d));
        assert_eq!(parse_date("20231002"), Some(d));
        assert_eq!(parse_date("02 October 2023"), Some(d));
        assert_eq!(parse_date("2-October-2023"), Some(d));
        assert_eq!(parse_date("2023-13-02"), None);
        assert_eq!(parse_date("abc"), None);
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("12"), Some(12));
        assert_eq!(parse_whole("12.0"), Some(12));
        assert_eq!(parse_whole("12.5"), None);
        assert_eq!(parse_whole("abc"), None);
    }

    #[test]
    fn reject_message() {
        let rec = StringRecord::from(vec!["1", "abc"]);
        let cols = Columns::new(["id", "best"]);
        let f = Fields { record: &rec, columns: &cols, file: "events.csv", line: 1042 };
        let r = f.int::<i64>("best").unwrap_err();
        assert_eq!(r.to_string(), "events.csv:1042: column 'best': \"abc\" is not a whole number");
    }
}
