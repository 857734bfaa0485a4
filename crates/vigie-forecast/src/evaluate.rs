//! One model over one window: forecast every unit the model covers for the twelve months
//! of the window, hand each forecast to a sink (to write it), score it against the
//! actual, and average. It works unit by unit with one buffer of draws, so memory does not
//! grow with the number of draws (13,110 PRIO-GRID cells × 12 months × 1,000 draws would
//! be 1.3 GB as `f64`).

use crate::error::{Error, Result};
use crate::model::{Model, DEFAULT_DRAWS};
use crate::panel::Panel;
use crate::score::{average_precision, CellScores};
use crate::window::{month_label, Window};

#[derive(Debug, Clone, Copy)]
pub struct EvalOptions {
    /// Draws per unit-month for the sampling models (conflictology has its 12 values).
    pub draws: usize,
    pub seed: u64,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            draws: DEFAULT_DRAWS,
            seed: 20_230_601,
        }
    }
}

/// One unit-month's forecast, as handed to the sink.
#[derive(Debug)]
pub struct Prediction<'a> {
    pub month: u32,
    pub unit: u32,
    pub draws: &'a [f64],
}

/// One scored unit-month.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub unit: u32,
    pub month: u32,
    pub actual: f64,
    pub scores: CellScores,
}

/// Window means of every score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Means {
    pub crps: f64,
    pub ign: f64,
    pub mis: f64,
    pub mse: f64,
    pub msle: f64,
    pub brier_any: f64,
    pub brier_25: f64,
    /// Average precision of `p_any` for `y > 0` over the window's unit-months; `None`
    /// when no unit-month had a fatality.
    pub ap_any: Option<f64>,
    /// Average precision of `p_25` for `y >= 25`.
    pub ap_25: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct WindowScores {
    pub model: Model,
    pub window: Window,
    pub cells: Vec<Cell>,
    /// Units with no month on or before the training cut-off: not forecast, not scored.
    pub skipped_units: Vec<u32>,
    pub means: Means,
}

/// Evaluates `model` on `window`. `sink` receives every forecast before it is scored
/// (pass `|_| Ok(())` to only score).
pub fn evaluate(
    panel: &Panel,
    window: Window,
    model: Model,
    options: EvalOptions,
    sink: &mut dyn FnMut(Prediction<'_>) -> std::io::Result<()>,
) -> Result<WindowScores> {
    let train_end = window.train_end();
    if panel.first_month() > train_end {
        return Err(Error::NoTrainingData {
            window: window.to_string(),
            train_end,
            train_end_date: month_label(train_end),
            first_month: panel.first_month(),
        });
    }
    let fitted = model.fit(panel, window, options.seed)?;
    let last = *window.months().end();
    let mut cells = Vec::with_capacity(panel.series.len() * 12);
    let mut skipped_units = Vec::new();
    let mut buf = Vec::with_capacity(options.draws);
    for series in &panel.series {
        if !fitted.covers(series) {
            skipped_units.push(series.unit);
            continue;
        }
        if series.last_month() < last {
            return Err(Error::MissingActual {
                window: window.to_string(),
                unit_field: panel.kind.column(),
                unit: series.unit,
                month: series.last_month().max(train_end) + 1,
                last_month: series.last_month(),
            });
        }
        for month in window.months() {
            let actual = series
                .get(month)
                .expect("checked above: the history covers the window");
            // A missing actual (a panel built with missing months) cannot be scored.
            if actual.is_nan() {
                continue;
            }
            fitted.draws(series, month, options.draws, options.seed, &mut buf);
            sink(Prediction {
                month,
                unit: series.unit,
                draws: &buf,
            })
            .map_err(Error::Write)?;
            cells.push(Cell {
                unit: series.unit,
                month,
                actual,
                scores: CellScores::new(&mut buf, actual),
            });
        }
    }
    let means = means(&cells);
    Ok(WindowScores {
        model,
        window,
        cells,
        skipped_units,
        means,
    })
}

/// The means of the cells' scores.
pub fn means(cells: &[Cell]) -> Means {
    let n = cells.len() as f64;
    let mean = |f: fn(&CellScores) -> f64| cells.iter().map(|c| f(&c.scores)).sum::<f64>() / n;
    let mut any: Vec<(f64, bool)> = cells
        .iter()
        .map(|c| (c.scores.p_any, c.actual > 0.0))
        .collect();
    let mut big: Vec<(f64, bool)> = cells
        .iter()
        .map(|c| (c.scores.p_25, c.actual >= 25.0))
        .collect();
    Means {
        crps: mean(|s| s.crps),
        ign: mean(|s| s.ign),
        mis: mean(|s| s.mis),
        mse: mean(|s| s.mse),
        msle: mean(|s| s.msle),
        brier_any: mean(|s| s.brier_any),
        brier_25: mean(|s| s.brier_25),
        ap_any: average_precision(&mut any),
        ap_25: average_precision(&mut big),
    }
}
