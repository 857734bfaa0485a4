//! The PRIO-GRID-month file: detection, and both of its windows end to end.

use vigie_forecast::{evaluate, EvalOptions, Model, Panel, UnitKind, Window};

use crate::common::{scores, PGM_HISTORY};

#[test]
fn pgm_windows_evaluate() {
    let panel = Panel::read(std::path::Path::new(PGM_HISTORY)).unwrap();
    assert_eq!(panel.kind, UnitKind::Priogrid);
    assert_eq!(panel.series.len(), 13_110);
    assert_eq!((panel.first_month(), panel.last_month()), (457, 504));
    // Y2019 trains on 2018-01..2018-10 only; Y2018 on nothing.
    let e = scores(&panel, Window::new(2018).unwrap(), Model::Zero);
    assert!(e.unwrap_err().to_string().contains("no training data"));
    for w in Window::pgm_defaults() {
        let mut written = 0usize;
        let ws = evaluate(
            &panel,
            w,
            Model::Conflictology,
            EvalOptions::default(),
            &mut |p| {
                written += p.draws.len();
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(ws.cells.len(), 13_110 * 12);
        assert_eq!(
            written,
            13_110 * 12 * 12,
            "conflictology: 12 members a cell"
        );
        let zero = scores(&panel, w, Model::Zero).unwrap();
        // The zero forecast's CRPS is the actual: its mean is the mean fatality count.
        let mean_actual =
            zero.cells.iter().map(|c| c.actual).sum::<f64>() / zero.cells.len() as f64;
        assert!((zero.means.crps - mean_actual).abs() < 1e-9);
        assert!(
            ws.means.crps < zero.means.crps,
            "{w}: conflictology beats zero"
        );
    }
}
