//! Forecasting for Vigie: the first milestone of issue 6.
//!
//! - [`panel`]: a history in the ViEWS shape (`month_id,country_id,ged_sb` or
//!   `month_id,priogrid_gid,ged_sb`), read as a stream and checked (gaps, duplicates,
//!   negative or non-numeric values), each problem naming file, line, field and value.
//! - [`window`]: the ViEWS 2023/24 prediction-challenge protocol: window `Y2021` trains on
//!   data up to October 2020 and forecasts every month of 2021 (3 to 15 months ahead).
//! - [`model`]: the challenge's four benchmarks (zero, last-historical Poisson, bootstrap
//!   from the last 240 months of all units, conflictology), defined so that they reproduce
//!   the official scores (see docs/forecasting.md).
//! - [`gbm`]: a learned model, gradient-boosted trees (`perpetual`) on features of the
//!   panel, with a full predictive distribution (quantiles of out-of-sample residuals
//!   averaged with conflictology's quantiles).
//! - [`neighbours`]: the world's country neighbour table (shared borders), for `gbm`'s
//!   spatial features; a panel may bring its own ([`Panel::with_neighbours`], e.g. for
//!   admin-1 units).
//! - [`score`]: CRPS, ignorance, 90% interval score, MSE, MSLE, Brier scores, average
//!   precision, to the challenge's definitions.
//! - [`evaluate`]: runs one model over one window, streaming unit by unit, and
//!   averages the scores.
//! - [`live`]: a model trained on a whole panel (for instance one built from the store,
//!   through the viewer's gate) forecasting the months after it.

pub mod error;
pub mod evaluate;
pub mod gbm;
pub mod live;
pub mod model;
pub mod neighbours;
pub mod panel;
pub mod poisson;
pub mod score;
pub mod window;

pub use error::Error;
pub use evaluate::{evaluate, EvalOptions, Prediction, WindowScores};
pub use model::Model;
pub use panel::{Panel, UnitKind};
pub use window::Window;
