//! Integration tests of vigie-ingest, on the real data in the repository (`data/`) and on files
//! generated here.

mod broken;
mod common;
mod formats;
mod ged;
mod hxl;
mod report;
mod roundtrip;
