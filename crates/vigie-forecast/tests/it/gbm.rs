//! The learned model `gbm` on synthetic panels: its draws, determinism, the cut-off, and
//! that it learns an obvious pattern.

use std::path::PathBuf;

use vigie_forecast::panel::Series;
use vigie_forecast::{evaluate, EvalOptions, Model, Panel, UnitKind, Window};

/// 40 countries, months 301..=468 (1995-01 to 2018-12), so Y2018 trains to 454 and is
/// scored on 457..=468. Unit k has a level 5k; odd units are at their level in odd
/// months of a 6-month cycle and at 0 otherwise; a deterministic wobble keeps the values
/// from being constant. Each country id is a real ViEWS id.
fn synthetic() -> Panel {
    let ids: Vec<u32> = (1..=250)
        .filter(|&id| {
            u16::try_from(id)
                .ok()
                .and_then(vigie_core::country::by_views_id)
                .is_some()
        })
        .take(40)
        .collect();
    assert_eq!(ids.len(), 40);
    let series = ids
        .iter()
        .enumerate()
        .map(|(k, &unit)| {
            let level = 5.0 * k as f64;
            let values = (301..=468u32)
                .map(|m| {
                    let wobble = f64::from((m * 7 + unit * 3) % 5);
                    if k % 2 == 1 && (m / 6) % 2 == 0 {
                        0.0
                    } else {
                        level + if level > 0.0 { wobble } else { 0.0 }
                    }
                })
                .collect();
            Series {
                unit,
                first_month: 301,
                values,
            }
        })
        .collect();
    Panel {
        path: PathBuf::from("synthetic.csv"),
        kind: UnitKind::Country,
        series,
        neighbours: None,
    }
}

fn w2018() -> Window {
    Window::new(2018).unwrap()
}

#[test]
fn draws_are_1000_non_negative_integers_for_every_unit_month() {
    let panel = synthetic();
    let mut seen = 0;
    let scores = evaluate(
        &panel,
        w2018(),
        Model::Gbm,
        EvalOptions::default(),
        &mut |p| {
            assert_eq!(p.draws.len(), 1000, "unit {} month {}", p.unit, p.month);
            assert!(
                p.draws.iter().all(|&x| x >= 0.0 && x.fract() == 0.0),
                "unit {} month {}: {:?}",
                p.unit,
                p.month,
                &p.draws[..10]
            );
            seen += 1;
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(seen, 40 * 12);
    assert_eq!(scores.cells.len(), 40 * 12);
    assert!(scores.skipped_units.is_empty());
}

#[test]
fn deterministic_for_a_seed() {
    let panel = synthetic();
    let run = |seed: u64| {
        let mut all = Vec::new();
        let options = EvalOptions { draws: 1000, seed };
        evaluate(&panel, w2018(), Model::Gbm, options, &mut |p| {
            all.extend_from_slice(p.draws);
            Ok(())
        })
        .unwrap();
        all
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a, run(8));
}

#[test]
fn nothing_after_the_cutoff_is_used() {
    // Changing every value after the cut-off (2017-10, month 454) changes no draw.
    let p = synthetic();
    let mut q = p.clone();
    for (k, s) in q.series.iter_mut().enumerate() {
        for (i, v) in s.values.iter_mut().enumerate() {
            if s.first_month + i as u32 > 454 {
                *v = 5000.0 + k as f64;
            }
        }
        // And a longer history: more months after the window.
        s.values.extend([9999.0; 12]);
    }
    let w = w2018();
    let fp = Model::Gbm.fit(&p, w, 3).unwrap();
    let fq = Model::Gbm.fit(&q, w, 3).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (sp, sq) in p.series.iter().zip(&q.series) {
        for month in w.months() {
            fp.draws(sp, month, 300, 11, &mut a);
            fq.draws(sq, month, 300, 11, &mut b);
            assert_eq!(a, b, "unit {} month {month}", sp.unit);
        }
    }
    // The check can fail: a change on or before the cut-off does change the forecast.
    let mut r = p.clone();
    let s = &mut r.series[3];
    let i = (454 - s.first_month) as usize;
    s.values[i - 5..=i].iter_mut().for_each(|v| *v = 800.0);
    let fr = Model::Gbm.fit(&r, w, 3).unwrap();
    fp.draws(&p.series[3], 460, 300, 11, &mut a);
    fr.draws(&r.series[3], 460, 300, 11, &mut b);
    assert_ne!(a, b);
}

#[test]
fn beats_the_zero_model_on_an_obvious_pattern() {
    let panel = synthetic();
    let o = EvalOptions::default();
    let gbm = evaluate(&panel, w2018(), Model::Gbm, o, &mut |_| Ok(())).unwrap();
    let zero = evaluate(&panel, w2018(), Model::Zero, o, &mut |_| Ok(())).unwrap();
    assert!(
        gbm.means.crps < 0.5 * zero.means.crps,
        "gbm {} zero {}",
        gbm.means.crps,
        zero.means.crps
    );
    assert!(gbm.means.mis < zero.means.mis);
}
