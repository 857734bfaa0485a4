//! PRIO-GRID: a global grid of 0.5° cells, numbered row by row from the south-west corner.

/// The gid of the cell holding a point: `row*720 + col + 1`, where
/// `row = floor((lat+90)/0.5)` and `col = floor((lon+180)/0.5)`.
///
/// Points on the north pole or the antimeridian fall in the last row/column. Returns
/// `None` for coordinates outside the globe or not finite.
pub fn gid(lat: f64, lon: f64) -> Option<i32> {
    // NaN fails both range checks.
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    let row = (((lat + 90.0) / 0.5).floor() as i32).min(359);
    let col = (((lon + 180.0) / 0.5).floor() as i32).min(719);
    Some(row * 720 + col + 1)
}

/// The centre of a cell, as (lat, lon).
pub fn centre(gid: i32) -> Option<(f64, f64)> {
    if !(1..=259_200).contains(&gid) {
        return None;
    }
    let row = (gid - 1) / 720;
    let col = (gid - 1) % 720;
    Some((
        -90.0 + (row as f64 + 0.5) * 0.5,
        -180.0 + (col as f64 + 0.5) * 0.5,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_cells() {
        // UCDP GED event 492699 (Paktika): lat 32.74804, lon 68.39877, priogrid_gid 176897.
        assert_eq!(gid(32.748040, 68.398770), Some(176897));
        // GED 300380 (Idlib): 35.763369, 36.558974 → 181154.
        assert_eq!(gid(35.763369, 36.558974), Some(181154));
        assert_eq!(gid(-90.0, -180.0), Some(1));
        assert_eq!(gid(90.0, 180.0), Some(259_200));
        assert_eq!(gid(91.0, 0.0), None);
        assert_eq!(gid(f64::NAN, 0.0), None);
    }

    proptest! {
        #[test]
        fn centre_round_trips(g in 1i32..=259_200) {
            let (lat, lon) = centre(g).unwrap();
            prop_assert_eq!(gid(lat, lon), Some(g));
        }
    }
}
