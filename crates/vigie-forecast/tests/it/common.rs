//! The real data the forecasting tests read: in the repository (`data/`, via
//! `vigie-testdata`), gzip-compressed, read as it is by `Panel::read`; and evaluation as most
//! tests run it.

use vigie_forecast::{error::Result, evaluate, EvalOptions, Model, Panel, Window, WindowScores};

pub use vigie_testdata::{CM_HISTORY, CM_OFFICIAL, PGM_HISTORY};

/// The scores of `model` on `window` of `panel`, with the default options (the predictions
/// themselves are not kept).
pub fn scores(panel: &Panel, window: Window, model: Model) -> Result<WindowScores> {
    evaluate(
        panel,
        window,
        model,
        EvalOptions::default(),
        &mut |_| Ok(()),
    )
}
