use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::priogrid;

/// How precisely a source places an event, on one scale for every source.
///
/// UCDP `where_prec` 1–7 maps one to one; ACLED `geo_precision` 1–3 and GDELT
/// `ActionGeo_Type` 1–5 map onto the nearest step. The source's own code is kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LocationPrecision {
    /// The exact place (a village, a town).
    Exact,
    /// Within about 25 km of a known point.
    Near,
    /// An admin-2 centroid.
    Admin2,
    /// An admin-1 centroid.
    Admin1,
    /// Larger than admin-1, or between places.
    Region,
    /// A country centroid.
    Country,
    /// Water or airspace.
    WaterOrAir,
}

impl LocationPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact",
            LocationPrecision::Near => "near",
            LocationPrecision::Admin2 => "admin2",
            LocationPrecision::Admin1 => "admin1",
            LocationPrecision::Region => "region",
            LocationPrecision::Country => "country",
            LocationPrecision::WaterOrAir => "water-or-air",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "exact" => LocationPrecision::Exact,
            "near" => LocationPrecision::Near,
            "admin2" => LocationPrecision::Admin2,
            "admin1" => LocationPrecision::Admin1,
            "region" => LocationPrecision::Region,
            "country" => LocationPrecision::Country,
            "water-or-air" => LocationPrecision::WaterOrAir,
            _ => return None,
        })
    }

    /// UCDP GED `where_prec`.
    pub fn from_ged(code: u8) -> Option<Self> {
        Some(match code {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::Admin2,
            4 => LocationPrecision::Admin1,
            5 => LocationPrecision::Region,
            6 => LocationPrecision::Country,
            7 => LocationPrecision::WaterOrAir,
            _ => return None,
        })
    }

    /// ACLED `geo_precision`: 1 town, 2 near a town or part of a region, 3 a larger region
    /// (ACLED then uses the provincial capital, so admin-1).
    pub fn from_acled(code: u8) -> Option<Self> {
        Some(match code {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::Admin1,
            _ => return None,
        })
    }

    /// GDELT `ActionGeo_Type`: 1 country, 2 US state, 3 US city, 4 world city, 5 world ADM1.
    pub fn from_gdelt(code: u8) -> Option<Self> {
        Some(match code {
            1 => LocationPrecision::Country,
            2 | 5 => LocationPrecision::Admin1,
            3 | 4 => LocationPrecision::Near,
            _ => return None,
        })
    }

    /// Coarser than about 25 km: grid-level analysis should spread or drop these.
    pub fn is_coarse(self) -> bool {
        self > LocationPrecision::Near
    }
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub precision: Option<LocationPrecision>,
    /// The source's own precision code (GED `where_prec`, ACLED `geo_precision`, GDELT geo type).
    pub source_precision: Option<i32>,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    /// Gleditsch–Ward country code.
    pub gw_id: Option<i32>,
    /// ViEWS `country_id`.
    pub views_id: Option<i32>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// The place name as the source gives it.
    pub location: Option<String>,
    /// PRIO-GRID cell; computed from the coordinates when the source lacks it.
    pub priogrid_gid: Option<i32>,
}

impl Place {
    /// A place at these coordinates (its PRIO-GRID cell computed from them) in this country
    /// (its ISO 3166 alpha-3, Gleditsch–Ward and ViEWS codes from the country table), with
    /// nothing else known: readers fill in the rest.
    pub fn at(latitude: Option<f64>, longitude: Option<f64>, country: Option<&Country>) -> Place {
        Place {
            latitude,
            longitude,
            precision: None,
            source_precision: None,
            country: country.map(|c| c.iso3.to_string()),
            gw_id: country.and_then(|c| c.gw).map(i32::from),
            views_id: country.and_then(|c| c.views_id).map(i32::from),
            admin1: None,
            admin2: None,
            location: None,
            priogrid_gid: latitude
                .zip(longitude)
                .and_then(|(lat, lon)| priogrid::gid(lat, lon)),
        }
    }
}
