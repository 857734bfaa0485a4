//! The command line: flags, with `VIGIE_*` environment fallbacks, and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{
    admin, alerts, bench, coord, coverage, db_copy, demo, events, forecast, import, serve, stats,
};
use crate::store_at::{default_data_dir, StoreAt};

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
    Import(import::ImportArgs),
    /// List events
    Events(events::EventsArgs),
    /// Show one event, by id or SOURCE:ID (e.g. ucdp-ged:492699), with its earlier versions
    Event {
        /// A UUID, or SOURCE:ID
        id: String,
    },
    /// Fatalities and event counts by country-month or admin1-month
    Stats(stats::StatsArgs),
    /// Import the bundled demo data (real UCDP events), seed organisations, communities,
    /// users and shared records, then serve the API and UI
    Demo(demo::DemoArgs),
    /// Serve the API and UI
    Serve(serve::ServeArgs),
    /// Organisations
    #[command(subcommand)]
    Org(admin::OrgCommand),
    /// Users and their roles
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Communities and their time-bounded memberships
    #[command(subcommand)]
    Community(admin::CommunityCommand),
    /// Sharing groups
    #[command(subcommand, name = "sharing-group")]
    SharingGroup(admin::SharingGroupCommand),
    /// The audit log
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Benchmarks (see docs/benchmarks.md)
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Database administration
    #[command(subcommand)]
    Db(db_copy::DbCommand),
    /// Forecasting: the ViEWS 2023/24 challenge's protocol, benchmarks and scores (see
    /// docs/forecasting.md)
    #[command(subcommand)]
    Forecast(forecast::ForecastCommand),
    /// Alerts: list the reader's, or deliver new ones to their rules' webhooks
    #[command(subcommand)]
    Alerts(alerts::AlertsCommand),
    /// What the sources cover (countries, months, complete or partial) and which are stale
    Coverage(coverage::CoverageArgs),
    /// Response coordination: allocate open tasks to organisations (see docs/coordination.md)
    #[command(subcommand)]
    Coord(coord::CoordCommand),
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

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let at = cli.store_at();
    match cli.command {
        Command::Import(args) => import::run(&at, args).await,
        Command::Events(args) => events::run(&at, args).await,
        Command::Event { id } => events::show(&at, &id).await,
        Command::Stats(args) => stats::run(&at, args).await,
        Command::Demo(args) => demo::run(cli.data_dir.clone(), cli.database.clone(), args).await,
        Command::Serve(args) => serve::run(&at, args).await,
        Command::Org(cmd) => admin::org(&at, cmd).await,
        Command::User(cmd) => admin::user(&at, cmd).await,
        Command::Community(cmd) => admin::community(&at, cmd).await,
        Command::SharingGroup(cmd) => admin::sharing_group(&at, cmd).await,
        Command::Audit(admin::AuditCommand::Verify) => admin::audit_verify(&at).await,
        Command::Audit(admin::AuditCommand::List) => admin::audit_list(&at).await,
        Command::Bench(bench::BenchCommand::Import(args)) => bench::import(args).await,
        Command::Bench(bench::BenchCommand::Generate(args)) => bench::generate_cmd(args),
        Command::Bench(bench::BenchCommand::Gate(args)) => bench::gate(args).await,
        Command::Db(db_copy::DbCommand::Copy { from, to }) => db_copy::run(&from, &to).await,
        Command::Forecast(cmd) => forecast::run(&at, cmd).await,
        Command::Alerts(cmd) => alerts::run(&at, cmd).await,
        Command::Coverage(args) => coverage::run(&at, args).await,
        Command::Coord(cmd) => coord::run(&at, cmd).await,
    }
}
