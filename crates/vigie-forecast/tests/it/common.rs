//! The shared data, and what to do when it is missing.

use std::path::{Path, PathBuf};

/// A file under `../shared/data` (relative to the repository root).
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

pub const CM_HISTORY: &str = "views-cm/cm_ged_sb_1990_2022.csv";
pub const CM_OFFICIAL: &str = "views-cm/benchmark_scores_2018_2022.csv";
pub const PGM_HISTORY: &str = "views-pgm/pgm_ged_sb_2018_2021_africa_me.csv";

/// The shared file, or `None` (after saying so) when it is absent. Under CI (env `CI`
/// set) a missing file fails the test instead: there the data must be present.
pub fn require(rel: &str) -> Option<PathBuf> {
    let path = shared(rel);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: the shared data must be present under CI",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} is missing (set CI=1 to make this a failure)",
        path.display()
    );
    None
}
