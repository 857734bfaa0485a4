use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::CheckError;

/// Where an event came from. The name is part of the event's stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    UcdpGed,
    Acled,
    Gdelt,
    Hxl,
    /// Written in Vigie itself: by a field monitor, an analyst, the API.
    Vigie,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::UcdpGed,
        Source::Acled,
        Source::Gdelt,
        Source::Hxl,
        Source::Vigie,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::UcdpGed => "ucdp-ged",
            Source::Acled => "acled",
            Source::Gdelt => "gdelt",
            Source::Hxl => "hxl",
            Source::Vigie => "vigie",
        }
    }
}

display_as_str!(Source);

impl FromStr for Source {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Source::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted || (wanted == "ucdp" && *k == Source::UcdpGed))
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown source {s:?}; expected one of ucdp-ged, acled, gdelt, hxl, vigie"
                ))
            })
    }
}
