//! Vigie's application layer: the use cases every channel shares (the HTTP API, the web UI
//! through it, the command line, and the channels to come: node-to-node sync, TAXII, SMS
//! intake). A channel is a thin adapter over these; none re-implements a rule. No HTTP
//! here: the server maps these results to responses.
//!
//! - [`accounts`]: passwords, sessions, API tokens;
//! - [`alerts`]: the alerts a reader gets, computed on what the reader may see;
//! - [`webhook`]: delivering alerts to their rules' webhooks, within an allow-list;
//! - [`allocation`]: the allocation problem as a reader sees it;
//! - [`output`]: events and statistics as a table, CSV, JSON or GeoJSON.

pub mod accounts;
pub mod alerts;
pub mod allocation;
pub mod output;
pub mod webhook;
