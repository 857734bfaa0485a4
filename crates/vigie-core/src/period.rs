use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How precisely a source knows when an event happened (UCDP `date_prec`, ACLED `time_precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DatePrecision {
    Day,
    /// Within 2–6 days.
    Days,
    Week,
    Month,
    Year,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Days => "days",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "day" => DatePrecision::Day,
            "days" => DatePrecision::Days,
            "week" => DatePrecision::Week,
            "month" => DatePrecision::Month,
            "year" => DatePrecision::Year,
            _ => return None,
        })
    }

    /// UCDP GED `date_prec`: 1 day, 2 within 2–6 days, 3 week, 4 month, 5 year.
    pub fn from_ged(code: u8) -> Option<Self> {
        Some(match code {
            1 => DatePrecision::Day,
            2 => DatePrecision::Days,
            3 => DatePrecision::Week,
            4 => DatePrecision::Month,
            5 => DatePrecision::Year,
            _ => return None,
        })
    }

    /// ACLED `time_precision`: 1 day, 2 week, 3 month.
    pub fn from_acled(code: u8) -> Option<Self> {
        Some(match code {
            1 => DatePrecision::Day,
            2 => DatePrecision::Week,
            3 => DatePrecision::Month,
            _ => return None,
        })
    }
}

/// When an event happened: a closed date range and how precise it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub precision: DatePrecision,
}

impl Period {
    pub fn day(date: NaiveDate) -> Self {
        Period {
            start: date,
            end: date,
            precision: DatePrecision::Day,
        }
    }
}

/// ViEWS month index: `(year - 1980) * 12 + month`, so 2018-01 is 457.
pub fn views_month_id(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    (date.year() - 1980) * 12 + date.month() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_id() {
        assert_eq!(
            views_month_id(NaiveDate::from_ymd_opt(2018, 1, 15).unwrap()),
            457
        );
        assert_eq!(
            views_month_id(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()),
            121
        );
        assert_eq!(
            views_month_id(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()),
            516
        );
    }
}
