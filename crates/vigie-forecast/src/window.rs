//! The evaluation protocol of the ViEWS prediction challenge 2023/24.
//!
//! Window `YYYY` trains only on data up to October of `YYYY - 1` (month_id
//! `(YYYY - 1 - 1980) * 12 + 10`), then forecasts each month of `YYYY`: January is 3 months
//! ahead of the last training month, December 14 (the challenge counts them "3 to 15"
//! because November and December of `YYYY - 1` are months 1 and 2 and are not scored).

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    pub year: u16,
}

impl Window {
    pub fn new(year: u16) -> Result<Window> {
        if !(1981..=2999).contains(&year) {
            return Err(Error::Window(format!(
                "window year {year} is outside 1981..=2999 (month_id counts from 1980)"
            )));
        }
        Ok(Window { year })
    }

    /// The last month the models may see: October of the previous year.
    pub fn train_end(self) -> u32 {
        month_id(self.year - 1, 10)
    }

    /// The twelve forecast months, January to December of the window's year.
    pub fn months(self) -> std::ops::RangeInclusive<u32> {
        month_id(self.year, 1)..=month_id(self.year, 12)
    }

    /// The windows the challenge evaluates on the cm data: Y2018 to Y2022.
    pub fn cm_defaults() -> Vec<Window> {
        (2018..=2022).map(|year| Window { year }).collect()
    }

    /// The windows the bundled pgm file (2018–2021) allows: Y2020 and Y2021 (Y2019 would
    /// train on 2018-01..2018-10 only; Y2018 has no training data at all).
    pub fn pgm_defaults() -> Vec<Window> {
        (2020..=2021).map(|year| Window { year }).collect()
    }
}

/// `(year - 1980) * 12 + month`.
pub fn month_id(year: u16, month: u8) -> u32 {
    (u32::from(year) - 1980) * 12 + u32::from(month)
}

/// "2020-10" for month_id 490.
pub fn month_label(month_id: u32) -> String {
    let year = 1980 + (month_id - 1) / 12;
    let month = (month_id - 1) % 12 + 1;
    format!("{year}-{month:02}")
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Y{}", self.year)
    }
}

impl std::str::FromStr for Window {
    type Err = Error;

    /// `Y2021` (or `2021`).
    fn from_str(s: &str) -> Result<Window> {
        let t = s.trim();
        let digits = t.strip_prefix(['Y', 'y']).unwrap_or(t);
        let year: u16 = digits
            .parse()
            .map_err(|_| Error::Window(format!("window {s:?} is not of the form YYYY or Y2021")))?;
        Window::new(year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_months() {
        // 457 is 2018-01 (docs of views-cm); Y2018 trains to 2017-10 = 454.
        let w: Window = "Y2018".parse().unwrap();
        assert_eq!(w.train_end(), 454);
        assert_eq!(w.months(), 457..=468);
        assert_eq!(month_label(454), "2017-10");
        assert_eq!(month_label(468), "2018-12");
        assert_eq!("2021".parse::<Window>().unwrap().to_string(), "Y2021");
        assert!("Y20x1".parse::<Window>().is_err());
        assert!("Y1980".parse::<Window>().is_err());
    }
}
