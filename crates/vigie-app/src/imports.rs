//! Importing a file: read on its own thread, written in one transaction, so a file lands
//! whole or not at all while parsing and storing run on two cores. Bad rows become rejects
//! (kept in a rejects file beside the data); a file-level problem, or any reject in strict
//! mode, writes nothing. A channel follows an import through an [`ImportWatch`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vigie_core::coverage::{self, Claim, Seen};
use vigie_core::{Audience, Coverage, Distribution};
use vigie_ingest::{FileError, Format, Options, Reject, RejectReport, Row};
use vigie_store::{ImportMeta, ImportRecord, Prepared, Store, StoreError};

/// How an import of one file behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: Options,
    /// Write nothing when any row is rejected.
    pub strict: bool,
    /// Where rejects files go.
    pub rejects_dir: PathBuf,
    /// Whether the file is complete for what it holds, overriding its format's default
    /// ([`vigie_core::coverage::of_file`]).
    pub coverage: Option<Claim>,
}

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    Imported(Imported),
    /// Nothing from the file was written.
    Failed {
        reason: String,
        rejects_file: Option<PathBuf>,
    },
}

/// A file imported, with what it took.
#[derive(Debug)]
pub struct Imported {
    pub record: ImportRecord,
    pub format: Format,
    /// Rows read (events and rejects).
    pub rows: u64,
    pub elapsed: Duration,
    pub rejects_file: Option<PathBuf>,
}

/// Why an import could not be carried out (as opposed to a file refused: [`Outcome`]).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the rejects file {path}: {source}")]
    Rejects {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a channel is told while a file is imported (a progress bar, a log). Every method
/// does nothing by default.
pub trait ImportWatch {
    /// The file is open: its name and size in bytes.
    fn started(&mut self, _name: &str, _bytes: u64) {}
    /// A warning about the file as a whole (e.g. an encoding guessed).
    fn warning(&mut self, _warning: &str) {}
    /// The `n`th rejected row.
    fn rejected(&mut self, _reject: &Reject, _n: u64) {}
    /// So far: bytes read and rows read.
    fn progress(&mut self, _bytes: u64, _rows: u64) {}
    /// Every row is read; indexes are being built and the transaction committed.
    fn committing(&mut self, _rows: u64) {}
    /// The import ended (whatever its outcome).
    fn finished(&mut self) {}
}

/// A watch that is told nothing.
pub struct Unwatched;
impl ImportWatch for Unwatched {}

/// Events per message from the reader thread to the writer.
const CHUNK: usize = 2_000;

struct Chunk {
    events: Vec<Prepared>,
    rejects: Vec<Reject>,
    fatal: Option<FileError>,
    bytes_read: u64,
}

/// Where the rejects of `file` go, named after it and the time.
fn rejects_path(dir: &Path, file: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f");
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "input".into());
    dir.join(format!("{stamp}-{name}.rejects.csv"))
}

/// Imports one file in one transaction. File-level problems and strict-mode rejects come
/// back as [`Outcome::Failed`]; only store and rejects-file errors are `Err`.
pub async fn import_file(
    store: &dyn Store,
    path: &Path,
    settings: &Settings,
    watch: &mut dyn ImportWatch,
) -> Result<Outcome, ImportError> {
    let reader = match vigie_ingest::open(path, &settings.options) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Outcome::Failed {
                reason: e.to_string(),
                rejects_file: None,
            })
        }
    };
    for w in reader.warnings() {
        watch.warning(w);
    }
    let progress = reader.progress();
    let header = reader.header().to_vec();
    let format = reader.format();
    // A claim the format cannot bear is refused before anything is read.
    if let Err(e) = coverage::check_claim(format.as_str(), settings.coverage) {
        return Ok(Outcome::Failed {
            reason: format!("{}: {e}", path.display()),
            rejects_file: None,
        });
    }
    let meta = ImportMeta {
        file: path.display().to_string(),
        format: format.as_str().to_string(),
        file_size: progress.total_bytes(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    watch.started(&name, progress.total_bytes());
    let started = Instant::now();

    let (send, mut recv) = tokio::sync::mpsc::channel::<Chunk>(4);
    let reader_progress = progress.clone();
    let reader_thread = std::thread::spawn(move || {
        let mut events = Vec::with_capacity(CHUNK);
        let mut rejects = Vec::new();
        for item in reader {
            match item {
                Ok(Row::Event(e)) => events.push(Prepared::from(*e)),
                Ok(Row::Reject(r)) => rejects.push(r),
                Err(fatal) => {
                    let bytes_read = reader_progress.bytes_read();
                    let _ = send.blocking_send(Chunk {
                        events,
                        rejects,
                        fatal: Some(fatal),
                        bytes_read,
                    });
                    return;
                }
            }
            if events.len() >= CHUNK || rejects.len() >= CHUNK {
                let chunk = Chunk {
                    events: std::mem::replace(&mut events, Vec::with_capacity(CHUNK)),
                    rejects: std::mem::take(&mut rejects),
                    fatal: None,
                    bytes_read: reader_progress.bytes_read(),
                };
                if send.blocking_send(chunk).is_err() {
                    return; // the writer gave up
                }
            }
        }
        let bytes_read = reader_progress.bytes_read();
        let _ = send.blocking_send(Chunk {
            events,
            rejects,
            fatal: None,
            bytes_read,
        });
    });

    let mut tx = store.begin_import(&meta).await?;
    let mut report: Option<(PathBuf, RejectReport)> = None;
    let mut rows = 0u64;
    let mut rejected = 0u64;
    let mut failure: Option<String> = None;
    let mut seen = Seen::default();
    let rejects_error = |path: &Path, source| ImportError::Rejects {
        path: path.to_path_buf(),
        source,
    };
    while let Some(chunk) = recv.recv().await {
        rows += (chunk.events.len() + chunk.rejects.len()) as u64;
        for r in &chunk.rejects {
            rejected += 1;
            watch.rejected(r, rejected);
            if report.is_none() {
                std::fs::create_dir_all(&settings.rejects_dir)
                    .map_err(|e| rejects_error(&settings.rejects_dir, e))?;
                let p = rejects_path(&settings.rejects_dir, path);
                let rep = RejectReport::create(&p, &header).map_err(|e| rejects_error(&p, e))?;
                report = Some((p, rep));
            }
            if let Some((p, rep)) = report.as_mut() {
                rep.push(r).map_err(|e| rejects_error(p, e))?;
            }
            if settings.strict {
                failure = Some(format!("{r} (--strict: aborting at the first bad row)"));
                break;
            }
        }
        if failure.is_some() {
            break;
        }
        for p in &chunk.events {
            if let Some(c) = &p.event.place.country {
                seen.note(c, coverage::month_of(p.event.period.start));
            }
        }
        tx.write(chunk.events).await?;
        if let Some(fatal) = chunk.fatal {
            failure = Some(fatal.to_string());
            break;
        }
        watch.progress(chunk.bytes_read, rows);
    }
    drop(recv);
    let _ = reader_thread.join();
    let rejects_file = match report {
        Some((p, rep)) => {
            rep.finish().map_err(|e| rejects_error(&p, e))?;
            Some(p)
        }
        None => None,
    };
    if let Some(reason) = failure {
        watch.finished();
        tx.rollback().await?;
        return Ok(Outcome::Failed {
            reason,
            rejects_file,
        });
    }
    if let Some(c) = file_coverage(&name, format, tx.batch_id(), &seen, settings) {
        tx.cover(&c).await?;
    }
    watch.committing(rows);
    let record = tx.commit(rejected).await?;
    watch.finished();
    Ok(Outcome::Imported(Imported {
        record,
        format,
        rows,
        elapsed: started.elapsed(),
        rejects_file,
    }))
}

/// What a file covers, as its import records it: with its events' audience.
fn file_coverage(
    name: &str,
    format: Format,
    batch: i64,
    seen: &Seen,
    settings: &Settings,
) -> Option<Coverage> {
    let claimed = coverage::of_file(format.as_str(), seen, settings.coverage).ok()??;
    Some(Coverage {
        id: uuid::Uuid::new_v4(),
        source: format.source(),
        file: name.to_string(),
        import_batch: Some(batch),
        countries: claimed.countries,
        from: vigie_core::month::month_label(claimed.from),
        until: vigie_core::month::month_label(claimed.until),
        complete: claimed.complete,
        basis: claimed.basis,
        basis_key: Some(claimed.basis_key),
        recorded_at: chrono::Utc::now(),
        audience: Audience {
            owner: settings.options.owner.clone(),
            creator: None,
            marking: settings.options.marking,
            distribution: Distribution::AllCommunities,
        },
    })
}
