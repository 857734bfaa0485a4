//! The benchmark's input: GED-format rows resampled from the bundled real events.

use std::path::Path;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};

/// SplitMix64: small, fast, and reproducible across platforms.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `rows` GED-format rows resampled from the bundled real events, with new ids,
/// dates shifted by up to ±180 days and places moved by up to ±0.25°.
pub fn generate(rows: u64, seed: u64, out: &Path) -> anyhow::Result<()> {
    let mut header = csv::StringRecord::new();
    let mut pool = Vec::new();
    for (_, bytes) in crate::commands::demo::DEMO_FILES {
        let mut r = csv::Reader::from_reader(*bytes);
        header = r.headers()?.clone();
        for rec in r.records() {
            pool.push(rec?);
        }
    }
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("no column {name}"))
    };
    let (c_id, c_year, c_start, c_end) = (
        col("id")?,
        col("year")?,
        col("date_start")?,
        col("date_end")?,
    );
    let (c_lat, c_lon, c_wkt, c_gid) = (
        col("latitude")?,
        col("longitude")?,
        col("geom_wkt")?,
        col("priogrid_gid")?,
    );
    let (c_active, c_rel) = (col("active_year")?, col("relid")?);
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(&header)?;
    let mut rng = Rng(seed);
    let parse = |s: &str| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d");
    let mut fields: Vec<String> = Vec::with_capacity(header.len());
    for i in 0..rows {
        let src = &pool[rng.below(pool.len() as u64) as usize];
        fields.clear();
        fields.extend(src.iter().map(str::to_string));
        fields[c_id] = (100_000_000 + i).to_string();
        fields[c_rel] = format!("BENCH-{i}");
        let shift = Duration::days(rng.below(361) as i64 - 180);
        let start = parse(&src[c_start])? + shift;
        let end = (parse(&src[c_end])? + shift).max(start);
        fields[c_start] = format!("{start} 00:00:00.000");
        fields[c_end] = format!("{end} 00:00:00.000");
        fields[c_year] = start.year().to_string();
        fields[c_active] = if rng.below(2) == 0 { "true" } else { "false" }.to_string();
        let lat: f64 = src[c_lat].parse().unwrap_or(0.0);
        let lon: f64 = src[c_lon].parse().unwrap_or(0.0);
        let lat = (lat + (rng.unit() - 0.5) * 0.5).clamp(-89.9, 89.9);
        let lon = (lon + (rng.unit() - 0.5) * 0.5).clamp(-179.9, 179.9);
        fields[c_lat] = format!("{lat:.6}");
        fields[c_lon] = format!("{lon:.6}");
        fields[c_wkt] = format!("POINT ({lon:.6} {lat:.6})");
        fields[c_gid] = vigie_core::priogrid::gid(lat, lon)
            .map(|g| g.to_string())
            .unwrap_or_default();
        w.write_record(&fields)?;
    }
    w.flush()?;
    Ok(())
}
