//! One module per command, each with its own arguments (cargo's `commands/` pattern). A
//! command reaches the store through `crate::store_at` and shares argument types through
//! `crate::args`; the use cases themselves are `vigie-app`'s, and `vigie-server` only
//! serves.

pub mod admin;
pub mod alerts;
pub mod bench;
pub mod coord;
pub mod coverage;
pub mod db_copy;
pub mod demo;
pub mod events;
pub mod forecast;
pub mod forecast_run;
pub mod import;
pub mod serve;
pub mod stats;
