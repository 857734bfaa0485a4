//! The `gbm` benchmark on the cm windows: CRPS, IGN and MIS ratios to conflictology per
//! window, pooled, and for the 13 West African countries of
//! `views-pgm/westafrica_cells.csv`; what the validation chose in each window.
//!
//! `cargo run --release -p vigie-forecast --example gbm_benchmark -- HISTORY.csv [YEARS]`
//!
//! `YEARS` (e.g. `2012,2013,2014,2015,2016,2017`) runs other windows than the challenge's
//! Y2018–Y2022: the development windows, used to compare designs of the model without
//! looking at the challenge windows.
//!
//! `GBM_SEED_OFFSET=k` (default 0) adds `k` to the seed of the `gbm` fit (perpetual's
//! boosters and the validation draws; the forecast draws keep the default seed): the
//! development criterion is the mean over several fit seeds.
//!
//! `GBM_WORST=1` also prints, per window, the units where `gbm` loses and gains most
//! against conflictology (CRPS summed over the window), with their actual total, their
//! last 12 and last 6 (× 2) training months, and the sums of the forecasts' medians and
//! means; with `GBM_WA=1` too, among the 13 West African countries only.

use std::collections::HashSet;
use std::time::Instant;

use vigie_forecast::evaluate::Cell;
use vigie_forecast::score::CellScores;
use vigie_forecast::{evaluate, EvalOptions, Model, Panel, Window};

/// The iso3 set of `views-pgm/westafrica_cells.csv`.
const WEST_AFRICA_CELLS: [&str; 13] = [
    "BEN", "BFA", "CIV", "DZA", "GHA", "GIN", "MLI", "MRT", "NER", "NGA", "SEN", "TCD", "TGO",
];

fn sum(cells: &[Cell], keep: &dyn Fn(u32) -> bool, f: fn(&Cell) -> f64) -> f64 {
    cells.iter().filter(|c| keep(c.unit)).map(f).sum()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: gbm_benchmark HISTORY.csv [YEARS]");
    let windows: Vec<Window> = match std::env::args().nth(2) {
        Some(years) => years
            .split(',')
            .map(|y| Window::new(y.trim().parse().expect("a year")).unwrap())
            .collect(),
        None => Window::cm_defaults(),
    };
    let panel = Panel::read(path.as_ref()).unwrap();
    let wa: HashSet<u32> = WEST_AFRICA_CELLS
        .iter()
        .filter_map(|c| vigie_core::country::by_iso3(c).and_then(|c| c.views_id))
        .map(u32::from)
        .collect();
    let all = |_: u32| true;
    let in_wa = |u: u32| wa.contains(&u);
    let (mut pooled, mut wa_pooled) = ([0.0f64; 6], [0.0f64; 6]);
    let mut ratios = Vec::new();
    let mut gbm_secs = 0.0;
    let options = EvalOptions::default();
    let seed_offset: u64 = std::env::var("GBM_SEED_OFFSET").ok().map_or(0, |s| {
        s.trim().parse().expect("GBM_SEED_OFFSET: an integer")
    });
    println!("window  crps_gbm  crps_cfl  crps_ratio  ign_gbm  ign_cfl  mis_gbm  mis_cfl  mis_ratio  wa_crps_ratio  mix scale residuals validation");
    for w in windows {
        // gbm: fit once, forecast and score every unit-month (as `evaluate` does).
        let t = Instant::now();
        let fitted = Model::Gbm
            .fit(&panel, w, options.seed.wrapping_add(seed_offset))
            .unwrap();
        let mut cells = Vec::new();
        let mut buf = Vec::new();
        for series in &panel.series {
            if !fitted.covers(series) {
                continue;
            }
            for month in w.months() {
                let actual = series.get(month).unwrap();
                fitted.draws(series, month, options.draws, options.seed, &mut buf);
                cells.push(Cell {
                    unit: series.unit,
                    month,
                    actual,
                    scores: CellScores::new(&mut buf, actual),
                });
            }
        }
        gbm_secs += t.elapsed().as_secs_f64();
        let g = vigie_forecast::evaluate::means(&cells);
        let c = evaluate(&panel, w, Model::Conflictology, options, &mut |_| Ok(())).unwrap();
        assert_eq!(cells.len(), c.cells.len());
        let fit = fitted.gbm.clone().unwrap();
        if std::env::var_os("GBM_WORST").is_some() {
            // Development: the units where gbm loses most to conflictology.
            let mut by_unit: std::collections::HashMap<u32, (f64, f64, f64)> = Default::default();
            for (a, b) in cells.iter().zip(&c.cells) {
                let e = by_unit.entry(a.unit).or_default();
                e.0 += a.scores.crps - b.scores.crps;
                e.1 += a.actual;
                e.2 += a.scores.crps;
            }
            let mut v: Vec<_> = by_unit.into_iter().collect();
            v.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0));
            if std::env::var_os("GBM_WA").is_some() {
                v.retain(|(u, _)| wa.contains(u));
            }
            for (u, (d, y, g)) in v.iter().take(4).chain(v.iter().rev().take(3)) {
                let name = vigie_core::country::by_views_id(*u as u16).map_or("?", |c| c.iso3);
                let last12: f64 = panel
                    .unit(*u)
                    .unwrap()
                    .range(w.train_end() - 11, w.train_end())
                    .iter()
                    .sum();
                let series = panel.unit(*u).unwrap();
                let (mut med, mut mean) = (0.0, 0.0);
                for month in w.months() {
                    let mut b = Vec::new();
                    fitted.draws(series, month, 1000, options.seed, &mut b);
                    b.sort_by(f64::total_cmp);
                    med += b[500];
                    mean += b.iter().sum::<f64>() / 1000.0;
                }
                let last6: f64 = series.range(w.train_end() - 5, w.train_end()).iter().sum();
                eprintln!(
                    "  {w} {name}: gbm-cfl {d:.0} actual {y:.0} last12 {last12:.0} last6x2 {:.0} gbm {g:.0} sum-median {med:.0} sum-mean {mean:.0}", last6 * 2.0
                );
            }
        }
        let r = g.crps / c.means.crps;
        ratios.push(r);
        let s = |cells: &[Cell], keep: &dyn Fn(u32) -> bool| {
            [
                sum(cells, keep, |c| c.scores.crps),
                sum(cells, keep, |c| c.scores.ign),
                sum(cells, keep, |c| c.scores.mis),
            ]
        };
        let (ga, ca) = (s(&cells, &all), s(&c.cells, &all));
        let (gw, cw) = (s(&cells, &in_wa), s(&c.cells, &in_wa));
        for k in 0..3 {
            pooled[k] += ga[k];
            pooled[k + 3] += ca[k];
            wa_pooled[k] += gw[k];
            wa_pooled[k + 3] += cw[k];
        }
        println!(
            "{w}  {:8.3}  {:8.3}  {:10.3}  {:7.3}  {:7.3}  {:7.1}  {:7.1}  {:9.3}  {:13.3}  {:.2} {:.2} {} {} origins {:?}",
            g.crps,
            c.means.crps,
            r,
            g.ign,
            c.means.ign,
            g.mis,
            c.means.mis,
            g.mis / c.means.mis,
            gw[0] / cw[0],
            fit.choice.mix,
            fit.choice.scale,
            if fit.choice.out_of_sample { "out-of-sample" } else { "in-sample" },
            fit.validation_score.map_or("none".into(), |v| format!("{v:.3}")),
            fit.validation_origins
        );
    }
    println!(
        "mean of CRPS ratios {:.3}; pooled ratios CRPS {:.3} IGN {:.3} MIS {:.3}; West Africa ({} countries) pooled CRPS {:.3} IGN {:.3} MIS {:.3}",
        ratios.iter().sum::<f64>() / ratios.len() as f64,
        pooled[0] / pooled[3],
        pooled[1] / pooled[4],
        pooled[2] / pooled[5],
        wa.len(),
        wa_pooled[0] / wa_pooled[3],
        wa_pooled[1] / wa_pooled[4],
        wa_pooled[2] / wa_pooled[5],
    );
    println!("gbm fit+forecast+score: {gbm_secs:.2} s");
}
