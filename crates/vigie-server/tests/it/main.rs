//! The server's integration tests: one binary, so the crate is linked once.

mod coordination;
mod matrix;
mod oracle;
mod preview;
mod probes;
mod records;
mod scenarios;
mod support;
mod ui;
mod warnings;
