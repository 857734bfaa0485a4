//! Reproduction of the official benchmark scores (`benchmark_scores_2018_2022.csv`):
//! window means of CRPS, IGN and MIS of our four benchmarks against the official ones, for
//! Y2018–Y2022, and per-cell equality where the forecast is deterministic.

use std::collections::HashMap;
use std::path::Path;

use vigie_forecast::evaluate::WindowScores;
use vigie_forecast::{Model, Panel, Window};

use crate::common::{scores, CM_HISTORY, CM_OFFICIAL};

/// (benchmark, window, metric) → ((month, country) → value).
type Official = HashMap<(String, String, String), HashMap<(u32, u32), f64>>;

fn read_official(path: &Path) -> Official {
    let mut out: Official = HashMap::new();
    let mut r = csv::Reader::from_reader(vigie_testdata::open(path));
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[0].to_string(), rec[1].to_string(), rec[2].to_string());
        let cell = (rec[3].parse().unwrap(), rec[4].parse().unwrap());
        out.entry(key)
            .or_default()
            .insert(cell, rec[5].parse().unwrap());
    }
    out
}

fn run_all(panel: &Panel) -> Vec<WindowScores> {
    let mut out = Vec::new();
    for w in Window::cm_defaults() {
        for m in Model::ALL {
            out.push(scores(panel, w, m).unwrap());
        }
    }
    out
}

#[test]
fn benchmarks_reproduce_the_official_scores() {
    let (hist, off) = (Path::new(CM_HISTORY), Path::new(CM_OFFICIAL));
    let panel = Panel::read(hist).unwrap();
    let official = read_official(off);
    let mut report = String::new();
    let mut failures = Vec::new();
    for ws in run_all(&panel) {
        assert!(ws.skipped_units.is_empty());
        assert_eq!(ws.cells.len(), 191 * 12, "every country, every month");
        for (metric, ours) in [
            ("crps", ws.means.crps),
            ("ign", ws.means.ign),
            ("mis", ws.means.mis),
        ] {
            let key = (
                ws.model.official_name().to_string(),
                ws.window.to_string(),
                metric.to_string(),
            );
            let cells = &official[&key];
            assert_eq!(cells.len(), ws.cells.len());
            let theirs = cells.values().sum::<f64>() / cells.len() as f64;
            let Some(tol) = tolerance(ws.model, ws.window, metric) else {
                continue;
            };
            let rel = (ours - theirs).abs() / theirs.abs();
            report.push_str(&format!(
                "{:<24} {} {:<4} ours {:>10.4} official {:>10.4} rel {:>8.5} tol {:.4}\n",
                ws.model.name(),
                ws.window,
                metric,
                ours,
                theirs,
                rel,
                tol
            ));
            if rel > tol {
                failures.push(format!("{} {} {metric}", ws.model, ws.window));
            }
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "outside tolerance: {failures:?}\n{report}"
    );
}

/// The relative tolerance of a window mean against the official one, and why; `None`
/// where the official value is not reproducible (see below).
fn tolerance(model: Model, window: Window, metric: &str) -> Option<f64> {
    Some(match (model, metric) {
        // Deterministic and a function of the actual alone: exact to rounding.
        (Model::Zero, _) => 1e-9,
        // Conflictology's ensemble is deterministic (the 12 training values). Y2020–Y2022
        // match in every cell (see `deterministic_benchmarks_match_cell_by_cell`); in Y2018
        // and Y2019 the official forecasts of a few countries (48 and 24 cells) were made
        // from an earlier vintage of their history, which moves the mean by 0.19% at most.
        (Model::Conflictology, "crps" | "mis") if window.year >= 2020 => 1e-9,
        (Model::Conflictology, "crps" | "mis") => 0.005,
        // The official conflictology IGN was not computed on the ensemble its CRPS and MIS
        // were (see `official_conflictology_ign_is_not_from_its_crps_ensemble`): with the
        // 12-member ensemble, the pseudo-counts (n + 11 = 23) make ours about twice theirs.
        (Model::Conflictology, _) => return None,
        // Sampling models: two independent sets of 1,000 draws per cell. An independent
        // re-implementation (Python, another generator) differed from the official means
        // by up to 1.5% (bootstrap IGN, Y2018) and 1.1% (bootstrap MIS, Y2018); ours
        // differ by 0.54% at most. 3% is twice the largest spread seen between samples.
        // Last-historical-Poisson CRPS is nearly deterministic (the Poisson's own CRPS
        // varies little between samples): 1%, the Y2018 gap (0.43%) being the older vintage
        // of a few histories again.
        (Model::LastHistoricalPoisson, "crps") => 0.01,
        _ => 0.03,
    })
}

/// Zero in every window and conflictology's CRPS and MIS in Y2020–Y2022 equal the official
/// value in every one of the 2,292 cells; in Y2018 and Y2019 conflictology differs in 48 and
/// 24 cells for CRPS (24 and 12 for MIS), of 4 and 2 countries whose official history was
/// an earlier vintage.
#[test]
fn deterministic_benchmarks_match_cell_by_cell() {
    let (hist, off) = (Path::new(CM_HISTORY), Path::new(CM_OFFICIAL));
    let panel = Panel::read(hist).unwrap();
    let official = read_official(off);
    for w in Window::cm_defaults() {
        for (model, metrics, allowed) in [
            (Model::Zero, &["crps", "ign", "mis"][..], (0, 0)),
            (
                Model::Conflictology,
                &["crps", "mis"][..],
                // (CRPS, MIS) cells that differ.
                match w.year {
                    2018 => (48, 24),
                    2019 => (24, 12),
                    _ => (0, 0),
                },
            ),
        ] {
            let ws = scores(&panel, w, model).unwrap();
            for metric in metrics {
                let key = (
                    model.official_name().into(),
                    w.to_string(),
                    metric.to_string(),
                );
                let theirs = &official[&key];
                let differ = ws
                    .cells
                    .iter()
                    .filter(|c| {
                        let ours = match *metric {
                            "crps" => c.scores.crps,
                            "ign" => c.scores.ign,
                            _ => c.scores.mis,
                        };
                        (ours - theirs[&(c.month, c.unit)]).abs() > 1e-9 * (1.0 + ours.abs())
                    })
                    .count();
                let allowed = if *metric == "mis" {
                    allowed.1
                } else {
                    allowed.0
                };
                assert_eq!(differ, allowed, "{model} {w} {metric}: cells that differ");
            }
        }
    }
}

/// The evidence that the official conflictology IGN came from another ensemble than its
/// CRPS and MIS: in Y2020, country 28 (Colombia), whose 12 training months (2018-11 to
/// 2019-10) are 3, 4, 24, 12, 16, 17, 12, 10, 4, 13, 6, 4 (none below 0.5), has official
/// IGN 4.5566 in months with y = 0, i.e. p = 42/1011: 41 of 1,000 draws at 0, which no
/// resample of those 12 values can contain.
#[test]
fn official_conflictology_ign_is_not_from_its_crps_ensemble() {
    let (hist, off) = (Path::new(CM_HISTORY), Path::new(CM_OFFICIAL));
    let panel = Panel::read(hist).unwrap();
    let official = read_official(off);
    let w = Window::new(2020).unwrap();
    let train: Vec<f64> = panel.unit(28).unwrap().range(467, w.train_end()).to_vec();
    assert_eq!(
        train,
        [3.0, 4.0, 24.0, 12.0, 16.0, 17.0, 12.0, 10.0, 4.0, 13.0, 6.0, 4.0]
    );
    let key = ("conflictology".into(), "Y2020".into(), "ign".into());
    let month_with_zero = 487; // 2020-07, y = 0
    assert_eq!(panel.unit(28).unwrap().get(month_with_zero), Some(0.0));
    let p = 2f64.powf(-official[&key][&(month_with_zero, 28)]);
    let implied_draws_in_bin_0 = p * 1011.0 - 1.0;
    assert!(
        (implied_draws_in_bin_0 - 41.0).abs() < 1e-6,
        "{implied_draws_in_bin_0}"
    );
}
