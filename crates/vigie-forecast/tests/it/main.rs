//! Integration tests of vigie-forecast: bad inputs, and the reproduction of the official
//! ViEWS 2023/24 benchmark scores on the real data in the repository (`data/`).

mod common;
mod gbm;
mod official;
mod panel_errors;
mod pgm;
