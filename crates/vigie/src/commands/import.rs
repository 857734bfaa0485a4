//! `vigie import`: each file is read on its own thread and written in one transaction, so a
//! file is imported whole or not at all, while parsing and storing run on both cores.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use vigie_ingest::{FileError, Options, Reject, RejectReport, Row};
use vigie_store::{ImportMeta, ImportRecord, Prepared, Store};

use clap::{Args, ValueEnum};

/// How an import of one file should behave.
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: Options,
    pub strict: bool,
    pub rejects_dir: PathBuf,
    /// Draw a progress bar on stderr (only shown on a terminal).
    pub progress: bool,
    /// Print each file's summary on stdout.
    pub quiet: bool,
}

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    Imported {
        record: ImportRecord,
    },
    /// Nothing from the file was written.
    Failed {
        reason: String,
        rejects_file: Option<PathBuf>,
    },
}

/// Events per message from the reader thread to the writer.
const CHUNK: usize = 2_000;
/// How many reject messages are printed before the rest go only to the rejects file.
const SHOWN_REJECTS: u64 = 10;

struct Chunk {
    events: Vec<Prepared>,
    rejects: Vec<Reject>,
    fatal: Option<FileError>,
    bytes_read: u64,
}

pub async fn run(at: &crate::store_at::StoreAt, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let data_dir = &at.data_dir;
    let settings = Settings {
        options: Options {
            format: args.format.map(Into::into),
            cameo_roots: args.cameo.clone(),
            ..Options::default()
        },
        strict: args.strict,
        rejects_dir: args
            .rejects_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("rejects")),
        progress: true,
        quiet: false,
    };
    let mut failed = false;
    let mut rejected = false;
    for file in &args.files {
        match import_file(store.as_ref(), file, &settings).await? {
            Outcome::Imported { record, .. } => rejected |= record.rejected > 0,
            Outcome::Failed {
                reason,
                rejects_file,
            } => {
                eprintln!("error: {reason}");
                if let Some(p) = rejects_file {
                    eprintln!("  rejected rows are in {}", p.display());
                }
                eprintln!("  nothing from {} was written", file.display());
                failed = true;
                if settings.strict {
                    break;
                }
            }
        }
    }
    store.close().await;
    Ok(if failed {
        ExitCode::from(1)
    } else if rejected {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn rejects_path(dir: &Path, file: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f");
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "input".into());
    dir.join(format!("{stamp}-{name}.rejects.csv"))
}

fn progress_bar(settings: &Settings, total: u64, name: &str) -> ProgressBar {
    if !settings.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(name.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar
}

/// Imports one file in one transaction. File-level problems and strict-mode rejects come
/// back as [`Outcome::Failed`]; only store errors are `Err`.
pub async fn import_file(
    store: &dyn Store,
    path: &Path,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
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
        eprintln!("warning: {w}");
    }
    let progress = reader.progress();
    let header = reader.header().to_vec();
    let format = reader.format();
    let meta = ImportMeta {
        file: path.display().to_string(),
        format: format.as_str().to_string(),
        file_size: progress.total_bytes(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bar = progress_bar(settings, progress.total_bytes(), &name);
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
    while let Some(chunk) = recv.recv().await {
        rows += (chunk.events.len() + chunk.rejects.len()) as u64;
        for r in &chunk.rejects {
            rejected += 1;
            if rejected <= SHOWN_REJECTS || settings.strict {
                bar.suspend(|| eprintln!("rejected: {r}"));
            } else if rejected == SHOWN_REJECTS + 1 {
                bar.suspend(|| eprintln!("rejected: … (more in the rejects file)"));
            }
            if report.is_none() {
                std::fs::create_dir_all(&settings.rejects_dir)
                    .with_context(|| format!("creating {}", settings.rejects_dir.display()))?;
                let p = rejects_path(&settings.rejects_dir, path);
                let rep = RejectReport::create(&p, &header)
                    .with_context(|| format!("creating {}", p.display()))?;
                report = Some((p, rep));
            }
            if let Some((p, rep)) = report.as_mut() {
                rep.push(r)
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            if settings.strict {
                failure = Some(format!("{r} (--strict: aborting at the first bad row)"));
                break;
            }
        }
        if failure.is_some() {
            break;
        }
        tx.write(chunk.events).await?;
        if let Some(fatal) = chunk.fatal {
            failure = Some(fatal.to_string());
            break;
        }
        bar.set_position(chunk.bytes_read);
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{rows} rows, {:.0} rows/s", rows as f64 / secs));
    }
    drop(recv);
    let _ = reader_thread.join();
    let rejects_file = match report {
        Some((p, rep)) => {
            rep.finish()
                .with_context(|| format!("writing {}", p.display()))?;
            Some(p)
        }
        None => None,
    };
    if let Some(reason) = failure {
        bar.finish_and_clear();
        tx.rollback().await?;
        return Ok(Outcome::Failed {
            reason,
            rejects_file,
        });
    }
    bar.set_message(format!("{rows} rows read; building indexes and committing"));
    let record = tx.commit(rejected).await?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    if !settings.quiet {
        let c = record.counts;
        let secs = elapsed.as_secs_f64().max(1e-3);
        println!(
            "{name} ({}): {} imported, {} updated, {} unchanged, {} rejected in {:.1} s ({:.0} rows/s)",
            format.as_str(),
            c.inserted,
            c.updated,
            c.unchanged,
            record.rejected,
            secs,
            rows as f64 / secs,
        );
        if let Some(p) = &rejects_file {
            println!(
                "  rejected rows, with the reason for each, are in {}",
                p.display()
            );
        }
    }
    Ok(Outcome::Imported { record })
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read the files as this format instead of detecting it
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Abort on the first bad row, writing nothing from that file
    #[arg(long, env = "VIGIE_STRICT")]
    pub strict: bool,
    /// GDELT: CAMEO root codes to keep, as FROM-TO
    #[arg(long, default_value = "14-20", value_parser = parse_cameo_range)]
    pub cameo: std::ops::RangeInclusive<u8>,
    /// Where rejects files go [default: DATA_DIR/rejects]
    #[arg(long, value_name = "DIR")]
    pub rejects_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    UcdpGed,
    Acled,
    Gdelt,
    Hxl,
}

impl From<FormatArg> for vigie_ingest::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::UcdpGed => vigie_ingest::Format::UcdpGed,
            FormatArg::Acled => vigie_ingest::Format::Acled,
            FormatArg::Gdelt => vigie_ingest::Format::Gdelt,
            FormatArg::Hxl => vigie_ingest::Format::Hxl,
        }
    }
}

fn parse_cameo_range(s: &str) -> Result<std::ops::RangeInclusive<u8>, String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u8 = a
        .trim()
        .parse()
        .map_err(|_| format!("{a:?} is not a CAMEO root code"))?;
    let b: u8 = b
        .trim()
        .parse()
        .map_err(|_| format!("{b:?} is not a CAMEO root code"))?;
    if !(1..=20).contains(&a) || !(1..=20).contains(&b) || a > b {
        return Err(format!(
            "{s:?} is not a range of CAMEO root codes within 01-20"
        ));
    }
    Ok(a..=b)
}
