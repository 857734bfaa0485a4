//! Arguments several commands share: event filters, output formats, and the parsers of
//! values that more than one command takes.

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use vigie_core::{Source, ViolenceCategory};
use vigie_forecast::Model;
use vigie_store::EventFilter;

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
    s.parse().map_err(|e: vigie_core::CheckError| e.message)
}

fn parse_marking(s: &str) -> Result<vigie_core::Marking, String> {
    s.parse().map_err(|e: vigie_core::CheckError| e.message)
}

fn parse_source(s: &str) -> Result<Source, String> {
    s.parse().map_err(|e: vigie_core::CheckError| e.message)
}

impl FilterArgs {
    /// The store filter, checked by the application layer (`vigie_app::filters`), with a
    /// refusal naming the flag.
    pub fn to_filter(&self) -> anyhow::Result<EventFilter> {
        vigie_app::filters::events(EventFilter {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            from: self.from,
            to: self.to,
            category: self.category,
            actor: self.actor.clone(),
            source: self.source,
            marking: self.marking,
            ..EventFilter::default()
        })
        .map_err(|e| anyhow::anyhow!("--{} {}", e.field, e.message))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
    Geojson,
}

impl From<OutputFormat> for vigie_app::output::OutputFormat {
    fn from(f: OutputFormat) -> Self {
        use vigie_app::output::OutputFormat as O;
        match f {
            OutputFormat::Table => O::Table,
            OutputFormat::Csv => O::Csv,
            OutputFormat::Json => O::Json,
            OutputFormat::Geojson => O::Geojson,
        }
    }
}

/// A webhook allow-list (`--webhook-allow`).
pub fn parse_allow(s: &str) -> Result<vigie_app::webhook::AllowList, String> {
    vigie_app::webhook::AllowList::parse(s)
}

/// A forecasting model by name.
pub fn parse_model(s: &str) -> Result<Model, String> {
    s.parse().map_err(|e: vigie_forecast::Error| e.to_string())
}
