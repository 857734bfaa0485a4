//! Writing events and statistics as a table, CSV, JSON or GeoJSON, streaming.

use std::io::{self, Write};

use serde::Serialize;
use vigie_core::Event;
use vigie_store::StatRow;

/// How events and statistics are written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns, for a terminal.
    Table,
    Csv,
    Json,
    Geojson,
}

/// The flat view of an event used by CSV and by GeoJSON properties.
#[derive(Debug, Serialize)]
pub struct FlatEvent<'a> {
    pub id: String,
    pub source: &'a str,
    pub source_id: &'a str,
    pub source_version: Option<&'a str>,
    pub date_start: String,
    pub date_end: String,
    pub date_precision: &'a str,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_precision: Option<&'a str>,
    pub country: Option<&'a str>,
    pub admin1: Option<&'a str>,
    pub admin2: Option<&'a str>,
    pub location: Option<&'a str>,
    pub priogrid_gid: Option<i32>,
    pub category: &'a str,
    pub source_type: &'a str,
    pub side_a: Option<&'a str>,
    pub side_b: Option<&'a str>,
    pub fatalities_best: Option<i64>,
    pub fatalities_low: Option<i64>,
    pub fatalities_high: Option<i64>,
    pub description: Option<&'a str>,
    pub owner: &'a str,
    pub marking: &'a str,
    pub file: &'a str,
    pub line: u64,
}

impl<'a> FlatEvent<'a> {
    pub fn of(e: &'a Event) -> Self {
        let p = &e.place;
        FlatEvent {
            id: e.id.to_string(),
            source: e.source.as_str(),
            source_id: &e.source_id,
            source_version: e.source_version.as_deref(),
            date_start: e.period.start.to_string(),
            date_end: e.period.end.to_string(),
            date_precision: e.period.precision.as_str(),
            latitude: p.latitude,
            longitude: p.longitude,
            location_precision: p.precision.map(|x| x.as_str()),
            country: p.country.as_deref(),
            admin1: p.admin1.as_deref(),
            admin2: p.admin2.as_deref(),
            location: p.location.as_deref(),
            priogrid_gid: p.priogrid_gid,
            category: e.category.as_str(),
            source_type: &e.source_type,
            side_a: e.side_a.as_ref().map(|a| a.name.as_str()),
            side_b: e.side_b.as_ref().map(|a| a.name.as_str()),
            fatalities_best: e.fatalities.best,
            fatalities_low: e.fatalities.low,
            fatalities_high: e.fatalities.high,
            description: e.description.as_deref(),
            owner: &e.owner,
            marking: e.marking.as_str(),
            file: &e.provenance.file,
            line: e.provenance.line,
        }
    }
}

/// Cuts `s` to `n` characters, marking the cut.
fn cell(s: &str, n: usize) -> String {
    let s = s.replace(['\n', '\r', '\t'], " ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Writes events one at a time in the chosen format.
pub struct EventWriter<W: Write> {
    format: OutputFormat,
    sink: Sink<W>,
    count: u64,
}

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> EventWriter<W> {
    pub fn new(format: OutputFormat, mut out: W) -> io::Result<Self> {
        let sink = match format {
            OutputFormat::Table => {
                writeln!(
                    out,
                    "{:<10}  {:<3}  {:<20}  {:<11}  {:>6}  {:<28}  {:<28}  SOURCE:ID",
                    "DATE", "CTY", "ADMIN1", "CATEGORY", "DEATHS", "SIDE A", "SIDE B"
                )?;
                Sink::Plain(out)
            }
            OutputFormat::Json => {
                out.write_all(b"[")?;
                Sink::Plain(out)
            }
            OutputFormat::Geojson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
                Sink::Plain(out)
            }
            OutputFormat::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        Ok(EventWriter {
            format,
            sink,
            count: 0,
        })
    }

    pub fn write(&mut self, e: &Event) -> io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        let out = match &mut self.sink {
            Sink::Csv(w) => return w.serialize(FlatEvent::of(e)).map_err(io::Error::other),
            Sink::Plain(out) => out,
        };
        match self.format {
            OutputFormat::Table | OutputFormat::Csv => {
                let p = &e.place;
                writeln!(
                    out,
                    "{:<10}  {:<3}  {:<20}  {:<11}  {:>6}  {:<28}  {:<28}  {}:{}",
                    e.period.start,
                    p.country.as_deref().unwrap_or("-"),
                    cell(p.admin1.as_deref().unwrap_or("-"), 20),
                    e.category.as_str(),
                    e.fatalities
                        .best
                        .map(|b| b.to_string())
                        .unwrap_or_else(|| "-".into()),
                    cell(
                        e.side_a.as_ref().map(|a| a.name.as_str()).unwrap_or("-"),
                        28
                    ),
                    cell(
                        e.side_b.as_ref().map(|a| a.name.as_str()).unwrap_or("-"),
                        28
                    ),
                    e.source,
                    e.source_id
                )
            }
            OutputFormat::Json => {
                if !first {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n")?;
                serde_json::to_writer(&mut *out, e).map_err(io::Error::other)
            }
            OutputFormat::Geojson => {
                if !first {
                    out.write_all(b",")?;
                }
                let geometry = match (e.place.longitude, e.place.latitude) {
                    (Some(lon), Some(lat)) => {
                        serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
                    }
                    _ => serde_json::Value::Null,
                };
                let feature = serde_json::json!({
                    "type": "Feature",
                    "id": e.id.to_string(),
                    "geometry": geometry,
                    "properties": FlatEvent::of(e),
                });
                out.write_all(b"\n")?;
                serde_json::to_writer(&mut *out, &feature).map_err(io::Error::other)
            }
        }
    }

    /// Closes the document; returns how many events were written.
    pub fn finish(self) -> io::Result<u64> {
        self.finish_into().map(|(n, _)| n)
    }

    /// Closes the document; returns how many events were written, and the output.
    pub fn finish_into(self) -> io::Result<(u64, W)> {
        let out = match self.sink {
            Sink::Csv(w) => {
                let mut out = w
                    .into_inner()
                    .map_err(|e| io::Error::other(e.to_string()))?;
                out.flush()?;
                out
            }
            Sink::Plain(mut out) => {
                match self.format {
                    OutputFormat::Json => out.write_all(b"\n]\n")?,
                    OutputFormat::Geojson => out.write_all(b"\n]}\n")?,
                    OutputFormat::Table | OutputFormat::Csv => {}
                }
                out.flush()?;
                out
            }
        };
        Ok((self.count, out))
    }
}

/// A byte buffer shared between an [`EventWriter`] and whoever sends what it wrote on, in
/// chunks: for streaming a response.
#[derive(Debug, Clone, Default)]
pub struct SharedBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl SharedBuf {
    fn buf(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes written and not yet taken.
    pub fn len(&self) -> usize {
        self.buf().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes every byte written so far.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.buf())
    }
}

impl Write for SharedBuf {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes statistics rows.
pub fn write_stats<W: Write>(
    format: OutputFormat,
    rows: &[StatRow],
    with_admin1: bool,
    mut out: W,
) -> io::Result<()> {
    match format {
        OutputFormat::Table => {
            if with_admin1 {
                writeln!(
                    out,
                    "{:<3}  {:<28}  {:<7}  {:>7}  {:>10}",
                    "CTY", "ADMIN1", "MONTH", "EVENTS", "FATALITIES"
                )?;
            } else {
                writeln!(
                    out,
                    "{:<3}  {:<7}  {:>7}  {:>10}",
                    "CTY", "MONTH", "EVENTS", "FATALITIES"
                )?;
            }
            for r in rows {
                let c = r.country.as_deref().unwrap_or("-");
                let month = r.month.as_deref().unwrap_or("-");
                if with_admin1 {
                    let a = cell(r.admin1.as_deref().unwrap_or("-"), 28);
                    writeln!(
                        out,
                        "{c:<3}  {a:<28}  {:<7}  {:>7}  {:>10}",
                        month, r.events, r.fatalities
                    )?;
                } else {
                    writeln!(
                        out,
                        "{c:<3}  {:<7}  {:>7}  {:>10}",
                        month, r.events, r.fatalities
                    )?;
                }
            }
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            if with_admin1 {
                w.write_record(["country", "admin1", "month", "events", "fatalities"])?;
            } else {
                w.write_record(["country", "month", "events", "fatalities"])?;
            }
            for r in rows {
                let mut rec = vec![r.country.clone().unwrap_or_default()];
                if with_admin1 {
                    rec.push(r.admin1.clone().unwrap_or_default());
                }
                rec.extend([
                    r.month.clone().unwrap_or_default(),
                    r.events.to_string(),
                    r.fatalities.to_string(),
                ]);
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
        OutputFormat::Json | OutputFormat::Geojson => {
            serde_json::to_writer_pretty(&mut out, rows).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    out.flush()
}
