//! Where the store is (`--data-dir`, `--database`), opening it, and whose eyes reads use
//! (`--as`): what every command that touches a store shares.

use std::path::PathBuf;

use anyhow::Context;
use vigie_core::Viewer;
use vigie_store::Store;
use vigie_store_postgres::PostgresStore;
use vigie_store_sqlite::SqliteStore;

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

/// Where the store is: the embedded one in a data directory, or a database URL.
#[derive(Debug, Clone)]
pub struct StoreAt {
    pub data_dir: PathBuf,
    pub database: Option<String>,
    /// `--as USER`: whose eyes reads use.
    pub as_user: Option<String>,
}

impl StoreAt {
    /// The viewer reads use: `--as USER`, or the public viewer.
    pub async fn viewer(&self, store: &dyn Store) -> anyhow::Result<Viewer> {
        let today = chrono::Utc::now().date_naive();
        let Some(id) = &self.as_user else {
            return Ok(Viewer::public(today));
        };
        match store.user(id).await? {
            Some(u) => match Viewer::for_user(&u, today) {
                Some(v) => Ok(v),
                None => anyhow::bail!("--as {id:?}: this user is disabled"),
            },
            None => anyhow::bail!("--as {id:?}: there is no such user (see `vigie user list`)"),
        }
    }
}

/// Opens the store: PostgreSQL for `postgres://` URLs, a SQLite file for `sqlite:PATH`,
/// else the embedded store in the data directory.
pub async fn open_store(at: &StoreAt) -> anyhow::Result<Box<dyn Store>> {
    match at.database.as_deref().map(str::trim) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = PostgresStore::connect(url)
                .await
                .with_context(|| format!("connecting to {}", redact(url)))?;
            Ok(Box::new(store))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let store = SqliteStore::open_url(url)
                .await
                .with_context(|| format!("opening {url}"))?;
            Ok(Box::new(store))
        }
        Some(url) => anyhow::bail!(
            "--database {:?} is neither a postgres:// URL nor sqlite:PATH",
            redact(url)
        ),
        None => {
            let dir = &at.data_dir;
            let store = SqliteStore::open_dir(dir)
                .await
                .with_context(|| format!("opening the store in {}", dir.display()))?;
            Ok(Box::new(store))
        }
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
