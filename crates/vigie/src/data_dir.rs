//! Where the embedded store lives when `--data-dir` is not given.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/vigie`, else `~/.local/share/vigie`, else `./vigie-data`.
pub fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("vigie");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share/vigie");
    }
    PathBuf::from("vigie-data")
}
