//! Bad histories: each error names the file, and the line, field, value and reason.

use std::io::Write;

use vigie_forecast::{Model, Panel, Window};

use crate::common::scores;

/// Writes `text` to a temporary `history.csv` and reads it; returns the error message.
fn error_of(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.csv");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let e = Panel::read(&path).expect_err("the file is bad").to_string();
    assert!(e.contains("history.csv"), "names the file: {e}");
    e
}

fn assert_has(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "{p:?} not in {msg:?}");
    }
}

#[test]
fn negative_value() {
    let e = error_of("month_id,country_id,ged_sb\n1,50,0\n2,50,-3\n");
    assert_has(&e, &["line 3", "field ged_sb", "\"-3\"", "negative"]);
}

#[test]
fn non_numeric_value_and_id() {
    let e = error_of("month_id,country_id,ged_sb\n1,50,many\n");
    assert_has(&e, &["line 2", "field ged_sb", "\"many\"", "not a number"]);
    let e = error_of("month_id,country_id,ged_sb\n1,50,1\nJan,50,2\n");
    assert_has(&e, &["line 3", "field month_id", "\"Jan\"", "not a number"]);
    let e = error_of("month_id,country_id,ged_sb\n1,50,\n");
    assert_has(&e, &["line 2", "field ged_sb", "empty"]);
    let e = error_of("month_id,country_id,ged_sb\n1,50,NaN\n");
    assert_has(&e, &["line 2", "not a finite number"]);
}

#[test]
fn unknown_units() {
    // 9999 is no ViEWS country_id; 300000 is beyond the 259,200 PRIO-GRID cells.
    let e = error_of("month_id,country_id,ged_sb\n1,50,0\n1,9999,0\n");
    assert_has(
        &e,
        &[
            "line 3",
            "field country_id",
            "\"9999\"",
            "not a ViEWS country_id",
        ],
    );
    let e = error_of("month_id,priogrid_gid,ged_sb\n1,300000,0\n");
    assert_has(
        &e,
        &["line 2", "field priogrid_gid", "\"300000\"", "PRIO-GRID"],
    );
}

#[test]
fn unknown_missing_or_ambiguous_columns() {
    let e = error_of("month_id,country_id,ged_sb,ged_ns\n1,50,0,0\n");
    assert_has(&e, &["line 1", "unknown column \"ged_ns\""]);
    let e = error_of("month_id,ged_sb\n1,0\n");
    assert_has(&e, &["no unit column"]);
    let e = error_of("month_id,country_id,priogrid_gid,ged_sb\n1,50,1,0\n");
    assert_has(&e, &["both country_id and priogrid_gid"]);
    let e = error_of("month_id,country_id\n1,50\n");
    assert_has(&e, &["no ged_sb column"]);
}

#[test]
fn duplicate_rows() {
    let e = error_of("month_id,country_id,ged_sb\n1,50,0\n2,50,1\n1,50,4\n");
    assert_has(
        &e,
        &[
            "line 4",
            "duplicate row",
            "country_id 50",
            "month_id 1",
            "first given on line 2",
        ],
    );
}

#[test]
fn gap_in_a_units_history() {
    // Mali (50) has months 1, 2, 5: 3 and 4 are missing. Burkina Faso starting later is fine.
    let e = error_of("month_id,country_id,ged_sb\n1,50,0\n2,50,0\n5,50,1\n3,47,0\n");
    assert_has(
        &e,
        &[
            "country_id 50",
            "gap",
            "month_id 3..=4 missing (2 month(s))",
            "line 3 (month_id 2)",
            "line 4 (month_id 5)",
        ],
    );
}

#[test]
fn ragged_row_and_empty_file() {
    let e = error_of("month_id,country_id,ged_sb\n1,50\n");
    assert_has(&e, &["line 2"]);
    let e = error_of("month_id,country_id,ged_sb\n");
    assert_has(&e, &["no data rows"]);
}

#[test]
fn missing_file() {
    let e = Panel::read(std::path::Path::new("/nonexistent/h.csv")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/h.csv"), "{e}");
}

fn panel(text: &str) -> Panel {
    Panel::from_reader(std::path::Path::new("p.csv"), text.as_bytes()).unwrap()
}

/// A history of months `from..=to` for Mali, 1 fatality a month.
fn months(from: u32, to: u32) -> String {
    let mut s = String::from("month_id,country_id,ged_sb\n");
    for m in from..=to {
        s.push_str(&format!("{m},50,1\n"));
    }
    s
}

/// Why the zero model cannot be evaluated on window Y2018 of `history`.
fn y2018_error(history: &str) -> String {
    scores(&panel(history), Window::new(2018).unwrap(), Model::Zero)
        .unwrap_err()
        .to_string()
}

#[test]
fn window_without_training_data() {
    // The history starts in 2018-01 (457); Y2018 trains on months up to 454.
    let e = y2018_error(&months(457, 468));
    assert_has(
        &e,
        &[
            "window Y2018",
            "no training data",
            "month_id <= 454",
            "2017-10",
            "starts at month_id 457",
        ],
    );
}

#[test]
fn window_without_actuals() {
    // The history ends in 2018-06 (462): Y2018 cannot be scored.
    let e = y2018_error(&months(400, 462));
    assert_has(
        &e,
        &[
            "window Y2018",
            "country_id 50",
            "no actual for month_id 463",
            "ends at month_id 462",
        ],
    );
}

#[test]
fn units_starting_after_the_cutoff_are_skipped_not_scored() {
    let mut text = months(400, 468);
    for m in 460..=468 {
        text.push_str(&format!("{m},47,2\n"));
    }
    let p = panel(&text);
    let ws = scores(&p, Window::new(2018).unwrap(), Model::Conflictology).unwrap();
    assert_eq!(ws.skipped_units, vec![47]);
    assert_eq!(ws.cells.len(), 12);
    // Mali's training values are all 1 and so are its actuals: a perfect forecast.
    assert_eq!(ws.means.crps, 0.0);
    assert_eq!(ws.means.mis, 0.0);
}
