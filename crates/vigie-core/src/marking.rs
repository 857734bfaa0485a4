use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::CheckError;

/// A TLP 2.0 marking (FIRST): how far a recipient may pass a record on.
///
/// The order is from least to most restrictive, so `a < b` means `a` may travel further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Marking {
    #[serde(rename = "TLP:CLEAR")]
    Clear,
    #[serde(rename = "TLP:GREEN")]
    Green,
    #[serde(rename = "TLP:AMBER")]
    Amber,
    #[serde(rename = "TLP:AMBER+STRICT")]
    AmberStrict,
    #[serde(rename = "TLP:RED")]
    Red,
}

impl Marking {
    pub const ALL: [Marking; 5] = [
        Marking::Clear,
        Marking::Green,
        Marking::Amber,
        Marking::AmberStrict,
        Marking::Red,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Marking::Clear => "TLP:CLEAR",
            Marking::Green => "TLP:GREEN",
            Marking::Amber => "TLP:AMBER",
            Marking::AmberStrict => "TLP:AMBER+STRICT",
            Marking::Red => "TLP:RED",
        }
    }
}

display_as_str!(Marking);

impl FromStr for Marking {
    type Err = CheckError;
    /// Accepts `TLP:AMBER+STRICT`, `amber+strict`, `AMBER_STRICT`, and TLP 1.0's `WHITE` for CLEAR.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase().replace('_', "+");
        let t = t.strip_prefix("TLP:").unwrap_or(&t);
        Ok(match t {
            "CLEAR" | "WHITE" => Marking::Clear,
            "GREEN" => Marking::Green,
            "AMBER" => Marking::Amber,
            "AMBER+STRICT" => Marking::AmberStrict,
            "RED" => Marking::Red,
            _ => return Err(CheckError::unknown(format!("unknown TLP marking {s:?}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_parse() {
        assert!(Marking::Clear < Marking::Red);
        assert!(Marking::Amber < Marking::AmberStrict);
        for m in Marking::ALL {
            assert_eq!(m.as_str().parse::<Marking>().unwrap(), m);
        }
        assert_eq!("white".parse::<Marking>().unwrap(), Marking::Clear);
        assert!("PINK".parse::<Marking>().is_err());
    }
}
