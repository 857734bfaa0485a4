//! Months as numbers (`year * 12 + month - 1`), as early warning and coverage count them.

/// A month as a number: `year * 12 + month - 1`, for `YYYY-MM` with a year of 1 to 9999
/// (anything else, however long its year, is not a month).
pub fn month_index(label: &str) -> Option<i32> {
    let (y, m) = label.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    Some(y * 12 + m - 1)
}

/// `YYYY-MM` of a month index.
pub fn month_label(i: i32) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// The month index of a day.
pub fn month_of(day: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    day.year() * 12 + day.month0() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_numbers_and_nothing_else_is() {
        assert_eq!(month_label(month_index("2023-10").unwrap()), "2023-10");
        assert_eq!(month_index("2023-13"), None);
        assert_eq!(month_index("2147483647-01"), None, "no overflow");
        assert_eq!(month_index("0-01"), None);
        assert_eq!(month_index("2023"), None);
    }
}
