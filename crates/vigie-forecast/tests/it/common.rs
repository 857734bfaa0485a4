//! The real data the forecasting tests read: in the repository (`data/`, via
//! `vigie-testdata`), gzip-compressed, read as it is by `Panel::read`.

pub use vigie_testdata::{CM_HISTORY, CM_OFFICIAL, PGM_HISTORY};
