//! Vigie's application layer: the use cases every channel shares (the HTTP API, the web UI
//! through it, the command line, and the channels to come: node-to-node sync, TAXII, SMS
//! intake). A channel is a thin adapter over these; none re-implements a rule. No HTTP
//! here: the server maps these results to responses.
//!
//! - [`author`]: who makes a change, and [`error`]: why a use case refused;
//! - [`records`]: writing events and reports, under an [`audience`] that is checked;
//! - [`tasks`]: the task lifecycle; [`rules`]: alert rules;
//! - [`coordination`]: profiles, the alert → task → outcome chain, the 3W matrix;
//! - [`filters`]: what a reader asks of the records, checked once for every channel;
//! - [`region_names`]: one name per region in statistics;
//! - [`reads`]: reading records as one reader, through the gate, with restricted reads
//!   audited;
//! - [`sessions`]: signing in and out, one's own password; [`tokens`]: API tokens;
//!   [`accounts`]: their secrets and hashes; [`admin`]: the directory and who may
//!   administer and know what of it;
//! - [`alerts`]: the alerts a reader gets, computed on what the reader may see;
//! - [`webhook`]: delivering alerts to their rules' webhooks, within an allow-list;
//! - [`allocation`]: allocating tasks, from the problem as a reader sees it;
//! - [`forecast_runs`]: forecasts from what a reader may see, stored as runs;
//! - [`imports`]: a file read on its own thread and written in one transaction;
//! - [`output`]: events and statistics as a table, CSV, JSON or GeoJSON.

pub mod accounts;
pub mod admin;
pub mod alert_acks;
pub mod alerts;
pub mod allocation;
pub mod audience;
pub mod author;
pub mod coordination;
pub mod coverage;
pub mod error;
pub mod filters;
pub mod forecast_runs;
pub mod imports;
pub mod output;
pub mod reads;
pub mod records;
pub mod region_names;
pub mod rules;
pub mod sessions;
pub mod tasks;
pub mod tokens;
pub mod webhook;
