//! `vigie import`: each file is read on its own thread and written in one transaction
//! (`vigie_app::imports`), so a file is imported whole or not at all, while parsing and
//! storing run on both cores. Here: the arguments, a progress bar, the first rejects on
//! standard error and each file's summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
pub use vigie_app::imports::Outcome;
use vigie_app::imports::{ImportWatch, Imported};
use vigie_ingest::{Options, Reject};
use vigie_store::Store;

use clap::{Args, ValueEnum};

/// How an import of one file should behave, and be shown.
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: Options,
    pub strict: bool,
    pub rejects_dir: PathBuf,
    /// Draw a progress bar on stderr (only shown on a terminal).
    pub progress: bool,
    /// Print each file's summary on stdout.
    pub quiet: bool,
    /// Whether the files are complete for what they hold (default: their format's).
    pub coverage: Option<vigie_core::coverage::Claim>,
}

impl Settings {
    /// Every file read as it looks, rows that do not read rejected into `rejects_dir`, with
    /// a progress bar; each file's summary printed unless `quiet`.
    pub fn lenient(rejects_dir: PathBuf, quiet: bool) -> Settings {
        Settings {
            options: Options::default(),
            strict: false,
            rejects_dir,
            progress: true,
            quiet,
            coverage: None,
        }
    }
}

/// How many reject messages are printed before the rest go only to the rejects file.
const SHOWN_REJECTS: u64 = 10;

/// The command line's view of an import: a progress bar, the first rejects.
struct Console {
    bar: ProgressBar,
    progress: bool,
    strict: bool,
    started: Instant,
}

impl ImportWatch for Console {
    fn started(&mut self, name: &str, bytes: u64) {
        self.started = Instant::now();
        if !self.progress {
            return;
        }
        let bar = ProgressBar::new(bytes);
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(250));
        self.bar = bar;
    }

    fn warning(&mut self, warning: &str) {
        eprintln!("warning: {warning}");
    }

    fn rejected(&mut self, r: &Reject, n: u64) {
        if n <= SHOWN_REJECTS || self.strict {
            self.bar.suspend(|| eprintln!("rejected: {r}"));
        } else if n == SHOWN_REJECTS + 1 {
            self.bar
                .suspend(|| eprintln!("rejected: … (more in the rejects file)"));
        }
    }

    fn progress(&mut self, bytes: u64, rows: u64) {
        self.bar.set_position(bytes);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar
            .set_message(format!("{rows} rows, {:.0} rows/s", rows as f64 / secs));
    }

    fn committing(&mut self, rows: u64) {
        self.bar
            .set_message(format!("{rows} rows read; building indexes and committing"));
    }

    fn finished(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Imports one file in one transaction, shown as `settings` says. File-level problems and
/// strict-mode rejects come back as [`Outcome::Failed`]; only store errors are `Err`.
pub async fn import_file(
    store: &dyn Store,
    path: &std::path::Path,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let mut console = Console {
        bar: ProgressBar::hidden(),
        progress: settings.progress,
        strict: settings.strict,
        started: Instant::now(),
    };
    let app_settings = vigie_app::imports::Settings {
        options: settings.options.clone(),
        strict: settings.strict,
        rejects_dir: settings.rejects_dir.clone(),
        coverage: settings.coverage,
    };
    let outcome = vigie_app::imports::import_file(store, path, &app_settings, &mut console).await?;
    if let (Outcome::Imported(i), false) = (&outcome, settings.quiet) {
        print_summary(path, i);
    }
    Ok(outcome)
}

fn print_summary(path: &std::path::Path, i: &Imported) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let c = i.record.counts;
    let secs = i.elapsed.as_secs_f64().max(1e-3);
    println!(
        "{name} ({}): {} imported, {} updated, {} unchanged, {} rejected in {:.1} s ({:.0} rows/s)",
        i.format.as_str(),
        c.inserted,
        c.updated,
        c.unchanged,
        i.record.rejected,
        secs,
        i.rows as f64 / secs,
    );
    if let Some(p) = &i.rejects_file {
        println!(
            "  rejected rows, with the reason for each, are in {}",
            p.display()
        );
    }
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
        coverage: args.coverage.map(Into::into),
    };
    let mut failed = false;
    let mut rejected = false;
    for file in &args.files {
        match import_file(store.as_ref(), file, &settings).await? {
            Outcome::Imported(i) => rejected |= i.record.rejected > 0,
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
    /// Whether the files record every event of their kind in the countries and months they
    /// hold. Default by format: a UCDP GED yearly release is complete for its years in every
    /// country, a GED candidate file for its months; an ACLED export for its countries and
    /// period; GDELT never; HXL and others partial. Alert rules count a month without any
    /// record as quiet only where a complete source covers it.
    #[arg(long, value_enum)]
    pub coverage: Option<CoverageArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CoverageArg {
    Complete,
    Partial,
}

impl From<CoverageArg> for vigie_core::coverage::Claim {
    fn from(c: CoverageArg) -> Self {
        match c {
            CoverageArg::Complete => vigie_core::coverage::Claim::Complete,
            CoverageArg::Partial => vigie_core::coverage::Claim::Partial,
        }
    }
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
