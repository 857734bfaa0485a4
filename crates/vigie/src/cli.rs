//! The command line: flags, with `VIGIE_*` environment fallbacks, and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use vigie_core::{Source, Viewer, ViolenceCategory};
use vigie_store::{EventFilter, Store};
use vigie_store_postgres::PostgresStore;
use vigie_store_sqlite::SqliteStore;

use crate::data_dir::default_data_dir;

#[derive(Debug, Parser)]
#[command(
    name = "vigie",
    version,
    about = "Conflict early warning, information sharing and response coordination"
)]
pub struct Cli {
    /// Where the embedded store lives [default: $XDG_DATA_HOME/vigie]
    #[arg(long, global = true, env = "VIGIE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Use this database instead of the embedded store: postgres://USER@HOST/DB, or sqlite:PATH
    #[arg(long, global = true, env = "VIGIE_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,

    /// Read as this user (what their organisation may see) [default: the public viewer,
    /// who sees TLP:CLEAR records only]
    #[arg(long = "as", global = true, env = "VIGIE_AS", value_name = "USER")]
    pub as_user: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import event files (UCDP GED, ACLED, GDELT, HXL); the format is detected from the header
    Import(ImportArgs),
    /// List events
    Events(EventsArgs),
    /// Show one event, by id or SOURCE:ID (e.g. ucdp-ged:492699), with its earlier versions
    Event {
        /// A UUID, or SOURCE:ID
        id: String,
    },
    /// Fatalities and event counts by country-month or admin1-month
    Stats(StatsArgs),
    /// Import the bundled demo data (real UCDP events), seed organisations, communities,
    /// users and shared records, then serve the API and UI
    Demo(DemoArgs),
    /// Serve the API and UI
    Serve(crate::serve::ServeArgs),
    /// Organisations
    #[command(subcommand)]
    Org(crate::admin::OrgCommand),
    /// Users and their roles
    #[command(subcommand)]
    User(crate::admin::UserCommand),
    /// Communities and their time-bounded memberships
    #[command(subcommand)]
    Community(crate::admin::CommunityCommand),
    /// Sharing groups
    #[command(subcommand, name = "sharing-group")]
    SharingGroup(crate::admin::SharingGroupCommand),
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Benchmarks (see docs/benchmarks.md)
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Database administration
    #[command(subcommand)]
    Db(DbCommand),
    /// Forecasting: the ViEWS 2023/24 challenge's protocol, benchmarks and scores (see
    /// docs/forecasting.md)
    #[command(subcommand)]
    Forecast(crate::forecast::ForecastCommand),
    /// Alerts: list the reader's, or deliver new ones to their rules' webhooks
    #[command(subcommand)]
    Alerts(crate::alerts::AlertsCommand),
    /// Response coordination: allocate open tasks to organisations (see docs/coordination.md)
    #[command(subcommand)]
    Coord(crate::coord::CoordCommand),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: crate::serve::ServeArgs,
    /// Import and seed, then exit without serving
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: any edited or removed entry is reported (exit 1)
    Verify,
    /// Print every entry, oldest first, as JSON lines
    List,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything from one store to another (SQLite or PostgreSQL, either way), then
    /// verify row counts and checksums; an interrupted copy resumes when run again
    Copy {
        /// The store to copy: sqlite:PATH or postgres://USER@HOST/DB
        #[arg(long, value_name = "URL")]
        from: String,
        /// Where to copy it (created or migrated first; must be empty or hold an earlier,
        /// interrupted copy of the same source): sqlite:PATH or postgres://USER@HOST/DB
        #[arg(long, value_name = "URL")]
        to: String,
    },
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

/// Filters shared by `events` and `stats`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// ISO 3166 alpha-3 country code, e.g. MLI
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,
    /// Admin-1 region name, e.g. Mopti
    #[arg(long, value_name = "NAME")]
    pub admin1: Option<String>,
    /// Events ending on or after this date
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Events starting on or before this date
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// state-based, non-state, one-sided or other
    #[arg(long, value_parser = parse_category)]
    pub category: Option<ViolenceCategory>,
    /// Part of an actor's name (either side)
    #[arg(long, value_name = "TEXT")]
    pub actor: Option<String>,
    /// ucdp-ged, acled, gdelt or hxl
    #[arg(long, value_name = "NAME", value_parser = parse_source)]
    pub source: Option<Source>,
    /// TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED
    #[arg(long, value_name = "TLP", value_parser = parse_marking)]
    pub marking: Option<vigie_core::Marking>,
}

fn parse_category(s: &str) -> Result<ViolenceCategory, String> {
    s.parse().map_err(|e: vigie_core::ParseError| e.0)
}

fn parse_marking(s: &str) -> Result<vigie_core::Marking, String> {
    s.parse().map_err(|e: vigie_core::ParseError| e.0)
}

fn parse_source(s: &str) -> Result<Source, String> {
    s.parse().map_err(|e: vigie_core::ParseError| e.0)
}

impl FilterArgs {
    pub fn to_filter(&self) -> anyhow::Result<EventFilter> {
        if let Some(c) = &self.country {
            if vigie_core::country::by_iso3(c).is_none() {
                anyhow::bail!(
                    "--country {c:?} is not an ISO 3166 alpha-3 code (e.g. MLI, BFA, NER)"
                );
            }
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                anyhow::bail!("--from {f} is after --to {t}");
            }
        }
        Ok(EventFilter {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            from: self.from,
            to: self.to,
            category: self.category,
            actor: self.actor.clone(),
            source: self.source,
            marking: self.marking,
            text: None,
            limit: None,
            offset: None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
    Geojson,
}

impl From<OutputFormat> for vigie_server::output::OutputFormat {
    fn from(f: OutputFormat) -> Self {
        use vigie_server::output::OutputFormat as O;
        match f {
            OutputFormat::Table => O::Table,
            OutputFormat::Csv => O::Csv,
            OutputFormat::Json => O::Json,
            OutputFormat::Geojson => O::Geojson,
        }
    }
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// At most this many events
    #[arg(long)]
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsByArg {
    CountryMonth,
    Admin1Month,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum)]
    pub by: StatsByArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// table, csv or json
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a large GED-format file by resampling real rows, then time its import
    Import(crate::bench::ImportBenchArgs),
    /// Only generate the GED-format file
    Generate(crate::bench::GenerateArgs),
    /// Time the visibility gate over a large store, through the API and at the store
    Gate(crate::bench::GateBenchArgs),
}

impl Cli {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }

    pub fn store_at(&self) -> StoreAt {
        StoreAt {
            data_dir: self.data_dir(),
            database: self.database.clone(),
            as_user: self.as_user.clone(),
        }
    }
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
            Some(u) if !u.disabled => Ok(Viewer::user(&u.id, &u.org, &u.roles, today)),
            Some(_) => anyhow::bail!("--as {id:?}: this user is disabled"),
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

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let at = cli.store_at();
    match cli.command {
        Command::Import(args) => crate::import::run(&at, args).await,
        Command::Events(args) => crate::events::run(&at, args).await,
        Command::Event { id } => crate::events::show(&at, &id).await,
        Command::Stats(args) => crate::stats::run(&at, args).await,
        Command::Demo(args) => {
            crate::demo::run(cli.data_dir.clone(), cli.database.clone(), args).await
        }
        Command::Serve(args) => crate::serve::run(&at, args).await,
        Command::Org(cmd) => crate::admin::org(&at, cmd).await,
        Command::User(cmd) => crate::admin::user(&at, cmd).await,
        Command::Community(cmd) => crate::admin::community(&at, cmd).await,
        Command::SharingGroup(cmd) => crate::admin::sharing_group(&at, cmd).await,
        Command::Audit(AuditCommand::Verify) => crate::admin::audit_verify(&at).await,
        Command::Audit(AuditCommand::List) => crate::admin::audit_list(&at).await,
        Command::Bench(BenchCommand::Import(args)) => crate::bench::import(args).await,
        Command::Bench(BenchCommand::Generate(args)) => crate::bench::generate_cmd(args),
        Command::Bench(BenchCommand::Gate(args)) => crate::bench::gate(args).await,
        Command::Db(DbCommand::Copy { from, to }) => crate::db_copy::run(&from, &to).await,
        Command::Forecast(cmd) => crate::forecast::run(&at, cmd).await,
        Command::Alerts(cmd) => crate::alerts::run(&at, cmd).await,
        Command::Coord(cmd) => crate::coord::run(&at, cmd).await,
    }
}
