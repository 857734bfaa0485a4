//! End-to-end tests of the `vigie` binary: real files, a real store, real processes.

mod admin;
mod cli;
mod coord;
mod crash;
mod db_copy;
mod forecast;
mod formats;
mod postgres;
mod rejects;
mod support;
mod tidy;
mod ui;
mod warning;
