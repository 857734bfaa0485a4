//! The real data the tests and benchmarks read. It lives in the repository under `data/`
//! (origins and licences in `data/ATTRIBUTION.md`), so that `git clone && cargo test`
//! works anywhere; `../shared`, where new data arrives, is never read. The larger files are
//! stored gzip-compressed (`*.csv.gz`): Vigie's own readers (`vigie import`, the forecast
//! history) read them as they are, and [`open`] does for tests that read a file themselves.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The path of a file under the repository's `data/`, as a `&'static str`.
macro_rules! data {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $rel)
    };
}

/// UCDP's monthly candidate release v23.0.10 (2,391 events, October 2023).
pub const GED_CANDIDATE: &str = data!("ucdp-ged/GEDEvent_v23_0_10.csv");
/// 1,000 events sampled from GED 23.1 (1989–2022).
pub const GED_SAMPLE: &str = data!("ucdp-ged/ged231_sample_1000.csv");
/// 12,106 GDELT 1.0 events of 1997, CAMEO roots 17–20, West and North Africa (gzip).
pub const GDELT_SAMPLE: &str = data!("gdelt1/gdelt1_conflict_westafrica_1997.csv.gz");
/// ViEWS country-month state-based fatalities, 1990–2022 (gzip).
pub const CM_HISTORY: &str = data!("views-cm/cm_ged_sb_1990_2022.csv.gz");
/// The official scores of the ViEWS challenge's benchmarks, Y2018–Y2022 (gzip).
pub const CM_OFFICIAL: &str = data!("views-cm/benchmark_scores_2018_2022.csv.gz");
/// ViEWS country ids and names.
pub const CM_COUNTRIES: &str = data!("views-cm/country_list.csv");
/// ViEWS PRIO-GRID-month state-based fatalities, Africa and the Middle East, 2018–2021
/// (gzip).
pub const PGM_HISTORY: &str = data!("views-pgm/pgm_ged_sb_2018_2021_africa_me.csv.gz");
/// world-atlas 2.0.2's Natural Earth countries at 1:110m (TopoJSON).
pub const WORLD_TOPO: &str = data!("boundaries/world_countries_110m.topo.json");

/// Every file above.
pub const ALL: [&str; 8] = [
    GED_CANDIDATE,
    GED_SAMPLE,
    GDELT_SAMPLE,
    CM_HISTORY,
    CM_OFFICIAL,
    CM_COUNTRIES,
    PGM_HISTORY,
    WORLD_TOPO,
];

/// The repository's `data/` folder.
pub fn dir() -> PathBuf {
    Path::new(data!("")).to_path_buf()
}

/// The contents of the file at `path`, decompressed when it is gzip-compressed. A missing
/// file is a broken checkout: the test fails saying so.
pub fn open(path: impl AsRef<Path>) -> Box<dyn BufRead + Send> {
    let p = path.as_ref();
    let file = std::fs::File::open(p).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the test data is part of the repository: data/, see data/ATTRIBUTION.md)",
            p.display()
        )
    });
    let mut buffered = BufReader::with_capacity(1 << 16, file);
    let gzip = buffered
        .fill_buf()
        .is_ok_and(|head| head.starts_with(&[0x1f, 0x8b]));
    if gzip {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    }
}

/// The whole file at `path` as text, decompressed when needed.
pub fn text(path: impl AsRef<Path>) -> String {
    let mut s = String::new();
    open(path.as_ref())
        .read_to_string(&mut s)
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()));
    s
}

/// Says, where `cargo test` cannot hide it, that a test is skipped because something it
/// needs is not installed (`why`), and how to make a skip fail (`require`, an environment
/// setting that CI sets). Written straight to the process's standard error: libtest
/// captures only what `print!`/`eprint!` write, so this shows in `cargo test`'s output even
/// though the test then reports `ok`.
pub fn skipping(what: &str, why: &str, require: &str) {
    use std::io::Write;
    let line = "=".repeat(78);
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n{line}\nSKIPPED: {what}: {why}.\nIt ran nothing. Install what it needs (README, \"Running the tests\") to run it;\n{require} makes a skip a failure, as in CI.\n{line}\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_there_and_reads_as_text() {
        for path in ALL {
            // A line of UTF-8 text (read_line fails on anything else, e.g. gzip bytes).
            let mut first = String::new();
            open(path).read_line(&mut first).unwrap();
            assert!(first.len() > 10, "{path}");
        }
        assert!(text(CM_HISTORY).starts_with("month_id,country_id,ged_sb"));
        assert!(dir().join("ATTRIBUTION.md").is_file());
    }
}
