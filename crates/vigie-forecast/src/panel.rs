//! A history in the ViEWS shape: one row per unit and month, `month_id` (months since
//! 1980: `(year - 1980) * 12 + month`), the unit (`country_id` or `priogrid_gid`) and
//! `ged_sb` (UCDP GED state-based fatalities).
//!
//! The file is read as a stream of records; the panel keeps one `f64` per unit-month.
//! Every problem is an [`Error`] naming the file, and where it can the line, field, value
//! and reason: an unknown or missing column, a non-numeric, negative or non-finite value,
//! an unknown unit (a `country_id` ViEWS does not use, a `priogrid_gid` outside the grid),
//! a duplicate unit-month, a gap (missing months) inside a unit's history.
//!
//! A value may be missing ([`MISSING`], `NaN`): not in a file (a value there must be a
//! finite number), but in a panel built from a store whose sources do not cover every
//! month completely ([`Panel::from_counts_with_missing`]); every model reads it as
//! unknown, never as zero.
//!
//! Units may start and end at different months (South Sudan starts in July 2011); what
//! they may not have is a hole between their first and their last month.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};

/// The spatial unit of a panel, detected from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// ViEWS `country_id` ("cm": country-month).
    Country,
    /// PRIO-GRID `priogrid_gid` ("pgm": PRIO-GRID-month).
    Priogrid,
    /// Admin-1 regions ("a1m": admin-1-month), `admin1_id`: ids are assigned by whoever
    /// builds the panel (any positive integer), so such a panel is built in code
    /// ([`Panel::from_counts`]), never read from a history file. Its neighbours come from
    /// the caller too ([`Panel::with_neighbours`]).
    Admin1,
}

impl UnitKind {
    /// The column naming the unit, in input and in predictions.
    pub fn column(self) -> &'static str {
        match self {
            UnitKind::Country => "country_id",
            UnitKind::Priogrid => "priogrid_gid",
            UnitKind::Admin1 => "admin1_id",
        }
    }

    /// The ViEWS short name: `cm` or `pgm`.
    pub fn short(self) -> &'static str {
        match self {
            UnitKind::Country => "cm",
            UnitKind::Priogrid => "pgm",
            UnitKind::Admin1 => "a1m",
        }
    }

    /// Whether `id` names a unit of this kind.
    fn known(self, id: u32) -> Result<(), String> {
        match self {
            UnitKind::Country => match u16::try_from(id)
                .ok()
                .and_then(vigie_core::country::by_views_id)
            {
                Some(_) => Ok(()),
                None => Err("not a ViEWS country_id".into()),
            },
            UnitKind::Priogrid => match i32::try_from(id)
                .ok()
                .and_then(vigie_core::priogrid::centre)
            {
                Some(_) => Ok(()),
                None => Err("not a PRIO-GRID cell (1..=259200)".into()),
            },
            UnitKind::Admin1 if id > 0 => Ok(()),
            UnitKind::Admin1 => Err("not a positive admin1_id".into()),
        }
    }
}

/// The value of a unit-month whose fatalities are not known (no complete source covers
/// it): `NaN`. Every model treats it as missing, never as zero; a history file cannot hold
/// one (a value must be a finite number), a panel built in code can
/// ([`Panel::from_counts_with_missing`]).
pub const MISSING: f64 = f64::NAN;

/// Whether a panel value is known (not [`MISSING`]).
pub fn known(v: f64) -> bool {
    !v.is_nan()
}

/// The last `n` known values of `values` (skipping missing months), in order.
pub fn last_known(values: &[f64], n: usize) -> Vec<f64> {
    let mut out: Vec<f64> = values
        .iter()
        .rev()
        .copied()
        .filter(|v| known(*v))
        .take(n)
        .collect();
    out.reverse();
    out
}

/// One unit's history: contiguous months from `first_month`; a month may be [`MISSING`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub unit: u32,
    pub first_month: u32,
    pub values: Vec<f64>,
}

impl Series {
    /// The last month with a value.
    pub fn last_month(&self) -> u32 {
        self.first_month + self.values.len() as u32 - 1
    }

    /// The value of `month`, if the history covers it ([`MISSING`] if not known).
    pub fn get(&self, month: u32) -> Option<f64> {
        let i = month.checked_sub(self.first_month)? as usize;
        self.values.get(i).copied()
    }

    /// The values of the months `from..=to` that the history covers.
    pub fn range(&self, from: u32, to: u32) -> &[f64] {
        let first = from.max(self.first_month);
        let last = to.min(self.last_month());
        if first > last {
            return &[];
        }
        let a = (first - self.first_month) as usize;
        let b = (last - self.first_month) as usize;
        &self.values[a..=b]
    }
}

impl Panel {
    /// A panel from counts per (unit, month_id), every unit of `units` covering every month
    /// of `first..=last`: a month without a count is a month without fatalities (the
    /// store's events, unlike a history file, list only what happened). `name` stands for
    /// the file in messages.
    pub fn from_counts(
        kind: UnitKind,
        name: &str,
        units: impl IntoIterator<Item = u32>,
        first: u32,
        last: u32,
        counts: &HashMap<(u32, u32), f64>,
    ) -> Panel {
        Self::from_counts_with_missing(kind, name, units, first, last, counts, |_, _| true)
    }

    /// Like [`Panel::from_counts`], but a unit-month is known only where
    /// `is_complete(unit, month_id)` says a complete source covers it: there a month
    /// without a count is a month without fatalities; elsewhere its value is missing
    /// ([`MISSING`], `NaN`), whatever the counts say (a partial source's count is a lower
    /// bound, not the month's value).
    pub fn from_counts_with_missing(
        kind: UnitKind,
        name: &str,
        units: impl IntoIterator<Item = u32>,
        first: u32,
        last: u32,
        counts: &HashMap<(u32, u32), f64>,
        is_complete: impl Fn(u32, u32) -> bool,
    ) -> Panel {
        let mut units: Vec<u32> = units.into_iter().collect();
        units.sort_unstable();
        units.dedup();
        let series = units
            .into_iter()
            .map(|unit| Series {
                unit,
                first_month: first,
                values: (first..=last)
                    .map(|m| {
                        if is_complete(unit, m) {
                            counts.get(&(unit, m)).copied().unwrap_or(0.0)
                        } else {
                            MISSING
                        }
                    })
                    .collect(),
            })
            .collect();
        Panel {
            path: PathBuf::from(name),
            kind,
            series,
            neighbours: None,
        }
    }

    /// The panel with a neighbour table: unit → the units that share a border with it
    /// (symmetric or not: each unit's own list is what its spatial features use; ids
    /// that are not in the panel are ignored). `gbm`'s spatial features use it for any
    /// kind of unit; without one, admin-1 units have no spatial features, countries use
    /// the built-in world table ([`crate::neighbours`]) and PRIO-GRID cells their 8 grid
    /// neighbours.
    pub fn with_neighbours(mut self, table: Arc<Neighbours>) -> Panel {
        self.neighbours = Some(table);
        self
    }
}

/// A neighbour table: unit → its neighbours.
pub type Neighbours = HashMap<u32, Vec<u32>>;

/// A whole history, units sorted by id.
#[derive(Debug, Clone)]
pub struct Panel {
    pub path: PathBuf,
    pub kind: UnitKind,
    pub series: Vec<Series>,
    /// The caller's neighbour table, if any (see [`Panel::with_neighbours`]).
    pub neighbours: Option<Arc<Neighbours>>,
}

impl Panel {
    /// Reads and checks a ViEWS-shaped history file, plain or gzip-compressed (told by
    /// its first bytes, e.g. `cm_ged_sb_1990_2022.csv.gz`).
    pub fn read(path: &Path) -> Result<Panel> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let gzip = vigie_ingest::is_gzip(&mut file).map_err(io)?;
        let buffered = std::io::BufReader::with_capacity(1 << 16, file);
        if gzip {
            Self::from_reader(path, flate2::read::MultiGzDecoder::new(buffered))
        } else {
            Self::from_reader(path, buffered)
        }
    }

    /// Reads and checks a history held in memory (e.g. bundled with `include_bytes!`),
    /// plain or gzip-compressed (told by its first bytes); `path` only names it in errors.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Panel> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            Self::from_reader(path, flate2::read::MultiGzDecoder::new(bytes))
        } else {
            Self::from_reader(path, bytes)
        }
    }

    /// Reads and checks a history from any reader; `path` only names it in errors.
    pub fn from_reader(path: &Path, reader: impl std::io::Read) -> Result<Panel> {
        let p = || path.to_path_buf();
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header = csv
            .byte_headers()
            .map_err(|source| Error::Csv {
                path: p(),
                line: 1,
                source,
            })?
            .clone();
        let (kind, cols) = detect(path, &header)?;
        let unit_field = kind.column();

        // (unit, month, value, line): sorted afterwards to find duplicates and gaps.
        let mut rows: Vec<(u32, u32, f64, u64)> = Vec::new();
        let mut record = csv::ByteRecord::new();
        loop {
            let more = csv.read_byte_record(&mut record).map_err(|source| {
                let line = source.position().map_or(0, |pos| pos.line());
                Error::Csv {
                    path: p(),
                    line,
                    source,
                }
            })?;
            if !more {
                break;
            }
            let line = record.position().map_or(0, |pos| pos.line());
            let field = |i: usize| -> &[u8] { record.get(i).unwrap_or(b"") };
            let bad = |name: &'static str, raw: &[u8], reason: String| Error::Value {
                path: p(),
                line,
                field: name,
                value: String::from_utf8_lossy(raw).into_owned(),
                reason,
            };
            if record.len() != header.len() {
                return Err(Error::Value {
                    path: p(),
                    line,
                    field: "(row)",
                    value: record
                        .iter()
                        .map(String::from_utf8_lossy)
                        .collect::<Vec<_>>()
                        .join(","),
                    reason: format!("{} field(s), the header has {}", record.len(), header.len()),
                });
            }
            let month =
                parse_id(field(cols.month)).map_err(|r| bad("month_id", field(cols.month), r))?;
            let unit =
                parse_id(field(cols.unit)).map_err(|r| bad(unit_field, field(cols.unit), r))?;
            kind.known(unit)
                .map_err(|r| bad(unit_field, field(cols.unit), r))?;
            let value =
                parse_value(field(cols.value)).map_err(|r| bad("ged_sb", field(cols.value), r))?;
            rows.push((unit, month, value, line));
        }
        if rows.is_empty() {
            return Err(Error::Empty { path: p() });
        }
        rows.sort_unstable_by_key(|&(u, m, _, line)| (u, m, line));

        let mut series: Vec<Series> = Vec::new();
        let mut prev: Option<(u32, u32, u64)> = None;
        for &(unit, month, value, line) in &rows {
            match prev {
                Some((pu, pm, pline)) if pu == unit => {
                    if pm == month {
                        return Err(Error::Duplicate {
                            path: p(),
                            line: line.max(pline),
                            first_line: line.min(pline),
                            unit_field,
                            unit,
                            month,
                        });
                    }
                    if month != pm + 1 {
                        return Err(Error::Gap {
                            path: p(),
                            unit_field,
                            unit,
                            first_missing: pm + 1,
                            last_missing: month - 1,
                            count: month - pm - 1,
                            month_before: pm,
                            line_before: pline,
                            month_after: month,
                            line_after: line,
                        });
                    }
                    series
                        .last_mut()
                        .expect("a series is open")
                        .values
                        .push(value);
                }
                _ => series.push(Series {
                    unit,
                    first_month: month,
                    values: vec![value],
                }),
            }
            prev = Some((unit, month, line));
        }
        Ok(Panel {
            path: p(),
            kind,
            series,
            neighbours: None,
        })
    }

    /// The earliest month of any unit.
    pub fn first_month(&self) -> u32 {
        self.series.iter().map(|s| s.first_month).min().unwrap_or(0)
    }

    /// The latest month of any unit.
    pub fn last_month(&self) -> u32 {
        self.series
            .iter()
            .map(Series::last_month)
            .max()
            .unwrap_or(0)
    }

    /// One unit's history.
    pub fn unit(&self, unit: u32) -> Option<&Series> {
        self.series
            .binary_search_by_key(&unit, |s| s.unit)
            .ok()
            .map(|i| &self.series[i])
    }
}

/// Column positions.
struct Cols {
    month: usize,
    unit: usize,
    value: usize,
}

fn detect(path: &Path, header: &csv::ByteRecord) -> Result<(UnitKind, Cols)> {
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    let err = |reason: String| Error::Header {
        path: path.to_path_buf(),
        found: names.join(","),
        reason,
    };
    let (mut month, mut country, mut gid, mut value) = (None, None, None, None);
    for (i, n) in names.iter().enumerate() {
        let slot = match n.as_str() {
            "month_id" => &mut month,
            "country_id" => &mut country,
            "priogrid_gid" => &mut gid,
            "ged_sb" => &mut value,
            other => {
                return Err(err(format!(
                    "unknown column {other:?}: expected month_id, then country_id or \
                     priogrid_gid, and ged_sb"
                )))
            }
        };
        if slot.is_some() {
            return Err(err(format!("column {n:?} appears twice")));
        }
        *slot = Some(i);
    }
    let (kind, unit) = match (country, gid) {
        (Some(c), None) => (UnitKind::Country, c),
        (None, Some(g)) => (UnitKind::Priogrid, g),
        (Some(_), Some(_)) => {
            return Err(err(
                "both country_id and priogrid_gid: a panel has one kind of unit".into(),
            ))
        }
        (None, None) => return Err(err("no unit column (country_id or priogrid_gid)".into())),
    };
    let month = month.ok_or_else(|| err("no month_id column".into()))?;
    let value = value.ok_or_else(|| err("no ged_sb column".into()))?;
    Ok((kind, Cols { month, unit, value }))
}

fn parse_id(raw: &[u8]) -> Result<u32, String> {
    let s = std::str::from_utf8(raw).map_err(|_| "not UTF-8".to_string())?;
    if s.is_empty() {
        return Err("empty".into());
    }
    match s.parse::<u32>() {
        Ok(0) => Err("must be a positive integer".into()),
        Ok(v) => Ok(v),
        Err(_) => {
            // "457.0" is how some exports write integers.
            match s.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f >= 1.0 && f <= f64::from(u32::MAX) => Ok(f as u32),
                Ok(_) => Err("must be a positive integer".into()),
                Err(_) => Err("not a number".into()),
            }
        }
    }
}

fn parse_value(raw: &[u8]) -> Result<f64, String> {
    let s = std::str::from_utf8(raw).map_err(|_| "not UTF-8".to_string())?;
    if s.is_empty() {
        return Err("empty (a missing value; write 0 for no fatalities)".into());
    }
    let v: f64 = s.parse().map_err(|_| "not a number".to_string())?;
    if !v.is_finite() {
        return Err("not a finite number".into());
    }
    if v < 0.0 {
        return Err("negative: fatalities cannot be below 0".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Panel> {
        Panel::from_reader(Path::new("h.csv"), text.as_bytes())
    }

    #[test]
    fn reads_both_shapes_in_any_column_order() {
        let p = read("month_id,country_id,ged_sb\n2,50,3\n1,50,0\n1,47,1\n2,47,2\n").unwrap();
        assert_eq!(p.kind, UnitKind::Country);
        assert_eq!(p.series.len(), 2);
        assert_eq!(p.unit(47).unwrap().values, vec![1.0, 2.0]);
        assert_eq!(p.unit(50).unwrap().values, vec![0.0, 3.0]);
        let p = read("ged_sb,priogrid_gid,month_id\n5,62356,457\n").unwrap();
        assert_eq!(p.kind, UnitKind::Priogrid);
        assert_eq!(p.unit(62356).unwrap().first_month, 457);
    }

    #[test]
    fn admin1_panels_are_built_not_read() {
        let e = read("month_id,admin1_id,ged_sb\n1,7,0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("admin1_id"), "{e}");
        let counts = HashMap::from([((7, 2), 3.0)]);
        let p = Panel::from_counts(UnitKind::Admin1, "a1", [7, 9], 1, 3, &counts)
            .with_neighbours(Arc::new(HashMap::from([(7, vec![9]), (9, vec![7])])));
        assert_eq!((p.kind.short(), p.kind.column()), ("a1m", "admin1_id"));
        assert_eq!(p.unit(7).unwrap().values, vec![0.0, 3.0, 0.0]);
        assert_eq!(p.neighbours.as_ref().unwrap()[&9], vec![7]);
        assert!(UnitKind::Admin1.known(123_456).is_ok() && UnitKind::Admin1.known(0).is_err());
    }

    #[test]
    fn bytes_plain_or_gzip() {
        use std::io::Write;
        let text = "month_id,country_id,ged_sb\n1,50,3\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        for bytes in [text.as_bytes(), gz.as_slice()] {
            let p = Panel::from_bytes(Path::new("h.csv.gz"), bytes).unwrap();
            assert_eq!(p.unit(50).unwrap().values, vec![3.0]);
        }
    }

    #[test]
    fn counts_with_missing_months() {
        // Unit 7: months 2 and 3 unknown (its count in month 2 from a partial source is
        // not its value); unit 9: every month known.
        let counts = HashMap::from([((7, 2), 3.0), ((9, 3), 1.0)]);
        let p = Panel::from_counts_with_missing(
            UnitKind::Admin1,
            "a1",
            [9, 7],
            1,
            3,
            &counts,
            |unit, month| unit == 9 || month == 1,
        );
        assert_eq!(p.unit(9).unwrap().values, vec![0.0, 0.0, 1.0]);
        let seven = &p.unit(7).unwrap().values;
        assert_eq!(seven[0], 0.0);
        assert!(seven[1].is_nan() && seven[2].is_nan() && !known(seven[1]));
        assert_eq!(
            last_known(&[1.0, f64::NAN, 2.0, f64::NAN], 5),
            vec![1.0, 2.0]
        );
        assert_eq!(last_known(&[1.0, f64::NAN, 2.0, 3.0], 2), vec![2.0, 3.0]);
    }

    #[test]
    fn series_range_clips_to_history() {
        let s = Series {
            unit: 1,
            first_month: 10,
            values: vec![1.0, 2.0, 3.0],
        };
        assert_eq!(s.range(0, 10), &[1.0]);
        assert_eq!(s.range(11, 99), &[2.0, 3.0]);
        assert!(s.range(13, 20).is_empty());
        assert_eq!(s.get(12), Some(3.0));
        assert_eq!(s.get(9), None);
    }
}
