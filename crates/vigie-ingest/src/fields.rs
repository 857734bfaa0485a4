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
    names: Vec<String>,
}

impl Columns {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = HashMap::new();
        let mut all = Vec::new();
        for (i, n) in names.into_iter().enumerate() {
            let n = n.trim();
            index.entry(n.to_string()).or_insert(i);
            all.push(n.to_string());
        }
        Columns { index, names: all }
    }

    pub(crate) fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The names in `required` that the header lacks.
    pub(crate) fn missing(&self, required: &[&str]) -> Vec<String> {
        required
            .iter()
            .filter(|n| !self.has(n))
            .map(|n| n.to_string())
            .collect()
    }

    /// The number of columns.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The (trimmed) name of column `i`, "" when out of range.
    pub(crate) fn name(&self, i: usize) -> &str {
        self.names.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A column resolved once per file: its index, or `None` when the file lacks it. The
/// `*_at` accessors of [`Fields`] take one and skip the by-name lookup on every record.
pub(crate) type Col = Option<usize>;

/// One record, its columns and where it stands in its file.
pub(crate) struct Fields<'a> {
    pub(crate) record: &'a StringRecord,
    pub(crate) columns: &'a Columns,
    pub(crate) file: &'a str,
    pub(crate) line: u64,
}

/// By-name accessors: a hash lookup per call. Readers resolve their columns once per file
/// and use the `*_at` accessors below; these remain for one-off lookups and tests.
#[allow(dead_code)]
impl<'a> Fields<'a> {
    /// The trimmed value of `name`, or "" when the column is absent.
    pub(crate) fn str(&self, name: &str) -> &'a str {
        self.str_at(self.columns.get(name))
    }

    /// The trimmed value, or `None` when empty or `NA` (GDELT and R exports write missing so).
    pub(crate) fn opt(&self, name: &str) -> Option<&'a str> {
        self.opt_at(self.columns.get(name))
    }

    pub(crate) fn opt_string(&self, name: &str) -> Option<String> {
        self.opt(name).map(str::to_string)
    }

    /// Where this record came from: the file's name (not its folders) and line.
    pub(crate) fn provenance(&self) -> vigie_core::Provenance {
        vigie_core::Provenance {
            batch: None,
            file: vigie_core::Provenance::file_name(self.file).to_string(),
            line: self.line,
        }
    }

    /// A reject for this record.
    /// A reject naming column `c` and its value, saying `reason`.
    pub(crate) fn bad_at(&self, c: Col, reason: impl Into<String>) -> Reject {
        self.reject(Some(self.name_of(c)), Some(self.str_at(c)), reason)
    }

    pub(crate) fn reject(
        &self,
        field: Option<&str>,
        value: Option<&str>,
        reason: impl Into<String>,
    ) -> Reject {
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
        self.required_named(self.columns.get(name), name)
    }

    /// An optional whole number. Accepts "12" and "12.0" (R and spreadsheet exports).
    pub(crate) fn int<T: TryFrom<i64>>(&self, name: &str) -> Result<Option<T>, Reject> {
        self.int_named(self.columns.get(name), name)
    }

    pub(crate) fn req_int<T: TryFrom<i64>>(&self, name: &str) -> Result<T, Reject> {
        let c = self.columns.get(name);
        self.int_named(c, name)?
            .ok_or_else(|| self.reject(Some(name), None, "is required but empty"))
    }

    /// An optional whole number that may not be negative (fatalities).
    pub(crate) fn count(&self, name: &str) -> Result<Option<i64>, Reject> {
        self.count_named(self.columns.get(name), name)
    }

    pub(crate) fn float(&self, name: &str) -> Result<Option<f64>, Reject> {
        self.float_named(self.columns.get(name), name)
    }

    /// Latitude and longitude, both or neither, within range.
    pub(crate) fn lat_lon(
        &self,
        lat: &str,
        lon: &str,
    ) -> Result<(Option<f64>, Option<f64>), Reject> {
        self.lat_lon_named((self.columns.get(lat), lat), (self.columns.get(lon), lon))
    }

    /// A required date in any form [`parse_date`] accepts.
    pub(crate) fn date(&self, name: &str) -> Result<NaiveDate, Reject> {
        self.date_named(self.columns.get(name), name)
    }
}

/// Index-based accessors: the same rules, for columns resolved once per file.
impl<'a> Fields<'a> {
    /// The header name of column `c`, for messages.
    pub(crate) fn name_of(&self, c: Col) -> &'a str {
        c.map(|i| self.columns.name(i)).unwrap_or("")
    }

    /// The trimmed value of column `c`, or "" when the column is absent.
    pub(crate) fn str_at(&self, c: Col) -> &'a str {
        c.and_then(|i| self.record.get(i)).map(trim).unwrap_or("")
    }

    /// The trimmed value, or `None` when empty, `NA` or `NULL`.
    pub(crate) fn opt_at(&self, c: Col) -> Option<&'a str> {
        let v = self.str_at(c);
        if v.is_empty() || v == "NA" || v == "NULL" {
            None
        } else {
            Some(v)
        }
    }

    pub(crate) fn opt_string_at(&self, c: Col) -> Option<String> {
        self.opt_at(c).map(str::to_string)
    }

    pub(crate) fn required_at(&self, c: Col) -> Result<&'a str, Reject> {
        self.required_named(c, self.name_of(c))
    }

    pub(crate) fn int_at<T: TryFrom<i64>>(&self, c: Col) -> Result<Option<T>, Reject> {
        self.int_named(c, self.name_of(c))
    }

    pub(crate) fn req_int_at<T: TryFrom<i64>>(&self, c: Col) -> Result<T, Reject> {
        self.int_named(c, self.name_of(c))?
            .ok_or_else(|| self.reject(Some(self.name_of(c)), None, "is required but empty"))
    }

    pub(crate) fn count_at(&self, c: Col) -> Result<Option<i64>, Reject> {
        self.count_named(c, self.name_of(c))
    }

    #[allow(dead_code)] // part of the accessor set
    pub(crate) fn float_at(&self, c: Col) -> Result<Option<f64>, Reject> {
        self.float_named(c, self.name_of(c))
    }

    pub(crate) fn lat_lon_at(
        &self,
        lat: Col,
        lon: Col,
    ) -> Result<(Option<f64>, Option<f64>), Reject> {
        self.lat_lon_named((lat, self.name_of(lat)), (lon, self.name_of(lon)))
    }

    pub(crate) fn date_at(&self, c: Col) -> Result<NaiveDate, Reject> {
        self.date_named(c, self.name_of(c))
    }

    /// An optional date.
    pub(crate) fn opt_date_at(&self, c: Col) -> Result<Option<NaiveDate>, Reject> {
        let Some(v) = self.opt_at(c) else {
            return Ok(None);
        };
        parse_date(v).map(Some).ok_or_else(|| {
            self.reject(
                Some(self.name_of(c)),
                Some(v),
                "is not a date (expected YYYY-MM-DD)",
            )
        })
    }

    /// An optional yes/no: `true`/`false`, `1`/`0`, `yes`/`no`, any case.
    pub(crate) fn bool_at(&self, c: Col) -> Result<Option<bool>, Reject> {
        let Some(v) = self.opt_at(c) else {
            return Ok(None);
        };
        match parse_bool(v) {
            Some(b) => Ok(Some(b)),
            None => Err(self.reject(Some(self.name_of(c)), Some(v), "is not true or false")),
        }
    }

    fn required_named(&self, c: Col, name: &str) -> Result<&'a str, Reject> {
        self.opt_at(c)
            .ok_or_else(|| self.reject(Some(name), None, "is required but empty"))
    }

    fn int_named<T: TryFrom<i64>>(&self, c: Col, name: &str) -> Result<Option<T>, Reject> {
        let Some(v) = self.opt_at(c) else {
            return Ok(None);
        };
        let n = parse_whole(v)
            .ok_or_else(|| self.reject(Some(name), Some(v), "is not a whole number"))?;
        T::try_from(n)
            .map(Some)
            .map_err(|_| self.reject(Some(name), Some(v), "is out of range"))
    }

    fn count_named(&self, c: Col, name: &str) -> Result<Option<i64>, Reject> {
        let n = self.int_named::<i64>(c, name)?;
        match n.and_then(vigie_core::fatality_count_problem) {
            Some(reason) => Err(self.reject(Some(name), Some(self.str_at(c)), reason)),
            None => Ok(n),
        }
    }

    fn float_named(&self, c: Col, name: &str) -> Result<Option<f64>, Reject> {
        let Some(v) = self.opt_at(c) else {
            return Ok(None);
        };
        match f64::from_str(v) {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.reject(Some(name), Some(v), "is not a number")),
        }
    }

    fn lat_lon_named(
        &self,
        lat: (Col, &str),
        lon: (Col, &str),
    ) -> Result<(Option<f64>, Option<f64>), Reject> {
        let (la, lo) = (
            self.float_named(lat.0, lat.1)?,
            self.float_named(lon.0, lon.1)?,
        );
        for (v, (c, name), limit, what) in
            [(la, lat, 90.0, "latitude"), (lo, lon, 180.0, "longitude")]
        {
            if v.is_some_and(|v: f64| !(-limit..=limit).contains(&v)) {
                return Err(self.reject(
                    Some(name),
                    Some(self.str_at(c)),
                    format!("is not a {what} (-{limit} to {limit})"),
                ));
            }
        }
        match (la, lo) {
            (Some(_), None) => {
                Err(self.reject(Some(lon.1), None, "is empty while the latitude is given"))
            }
            (None, Some(_)) => {
                Err(self.reject(Some(lat.1), None, "is empty while the longitude is given"))
            }
            _ => Ok((la, lo)),
        }
    }

    fn date_named(&self, c: Col, name: &str) -> Result<NaiveDate, Reject> {
        let v = self.required_named(c, name)?;
        parse_date(v)
            .ok_or_else(|| self.reject(Some(name), Some(v), "is not a date (expected YYYY-MM-DD)"))
    }
}

/// `str::trim`, with a fast path for the usual value that has nothing to trim.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// `true`/`false`, `1`/`0`, `yes`/`no`, `t`/`f`, any case.
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    let v = v.trim();
    for (t, f) in [("true", "false"), ("1", "0"), ("yes", "no"), ("t", "f")] {
        if v.eq_ignore_ascii_case(t) {
            return Some(true);
        }
        if v.eq_ignore_ascii_case(f) {
            return Some(false);
        }
    }
    None
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

/// A value for an event's `extra` map: a JSON number when `v` is one ("12", "-2.5"),
/// otherwise the text as given (e.g. ACLED's newer textual `interaction`).
pub(crate) fn json_scalar(v: &str) -> serde_json::Value {
    if let Ok(n) = v.parse::<i64>() {
        return n.into();
    }
    match v.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
        Some(n) => serde_json::Value::Number(n),
        None => serde_json::Value::String(v.to_string()),
    }
}

/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fff]`, `YYYYMMDD`, `15 March 2019`, `15-March-2019`, `2019/03/15`.
pub(crate) fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if let Some(d) = iso_date_prefix(v) {
        return Some(d);
    }
    let head = v.split([' ', 'T']).next().unwrap_or(v);
    if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        return Some(d);
    }
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok();
    }
    for fmt in [
        "%d %B %Y",
        "%d-%B-%Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%Y/%m/%d",
        "%B %d, %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
            return Some(d);
        }
    }
    None
}

/// Fast path for `YYYY-MM-DD`, alone or followed by a time (`2023-10-02 00:00:00.000`).
fn iso_date_prefix(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() < 10
        || (b.len() > 10 && b[10] != b' ' && b[10] != b'T')
        || b[4] != b'-'
        || b[7] != b'-'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
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
        assert_eq!(parse_date("2023-10-02T12:00:00Z"), Some(d));
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("2023-1-2"), NaiveDate::from_ymd_opt(2023, 1, 2));
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
        let f = Fields {
            record: &rec,
            columns: &cols,
            file: "events.csv",
            line: 1042,
        };
        let r = f.int::<i64>("best").unwrap_err();
        assert_eq!(
            r.to_string(),
            "events.csv:1042: column 'best': \"abc\" is not a whole number"
        );
    }
}
