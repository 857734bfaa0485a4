//! The `gbm` benchmark on the cm windows: CRPS, IGN and MIS ratios to conflictology per
//! window, pooled, and for the 13 West African countries of
//! `views-pgm/westafrica_cells.csv`.
//!
//! `cargo run --release -p vigie-forecast --example gbm_benchmark -- HISTORY.csv`

use std::collections::HashSet;
use std::time::Instant;

use vigie_forecast::evaluate::Cell;
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
        .expect("usage: gbm_benchmark HISTORY.csv");
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
    println!("window  crps_gbm  crps_cfl  crps_ratio  ign_gbm  ign_cfl  mis_gbm  mis_cfl  mis_ratio  wa_crps_ratio  mix scale validated");
    for w in Window::cm_defaults() {
        let t = Instant::now();
        let g = evaluate(&panel, w, Model::Gbm, EvalOptions::default(), &mut |_| {
            Ok(())
        })
        .unwrap();
        gbm_secs += t.elapsed().as_secs_f64();
        let c = evaluate(
            &panel,
            w,
            Model::Conflictology,
            EvalOptions::default(),
            &mut |_| Ok(()),
        )
        .unwrap();
        let fit = Model::Gbm
            .fit(&panel, w, EvalOptions::default().seed)
            .unwrap()
            .gbm
            .unwrap();
        let r = g.means.crps / c.means.crps;
        ratios.push(r);
        let s = |cells: &[Cell], keep: &dyn Fn(u32) -> bool| {
            [
                sum(cells, keep, |c| c.scores.crps),
                sum(cells, keep, |c| c.scores.ign),
                sum(cells, keep, |c| c.scores.mis),
            ]
        };
        let (ga, ca) = (s(&g.cells, &all), s(&c.cells, &all));
        let (gw, cw) = (s(&g.cells, &in_wa), s(&c.cells, &in_wa));
        for k in 0..3 {
            pooled[k] += ga[k];
            pooled[k + 3] += ca[k];
            wa_pooled[k] += gw[k];
            wa_pooled[k + 3] += cw[k];
        }
        println!(
            "{w}  {:8.3}  {:8.3}  {:10.3}  {:7.3}  {:7.3}  {:7.1}  {:7.1}  {:9.3}  {:13.3}  {:.2} {:.2} {}",
            g.means.crps,
            c.means.crps,
            r,
            g.means.ign,
            c.means.ign,
            g.means.mis,
            c.means.mis,
            g.means.mis / c.means.mis,
            gw[0] / cw[0],
            fit.mix,
            fit.scale,
            fit.validated
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
    println!("gbm fit+forecast+score, 5 windows: {gbm_secs:.2} s");
}
