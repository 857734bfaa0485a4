//! Countries and their codes in every scheme a source uses: ISO 3166 alpha-3 and numeric,
//! Gleditsch–Ward (UCDP), FIPS 10-4 (GDELT) and the ViEWS `country_id`.
//!
//! PLACEHOLDER TABLE: being replaced by the full table.

/// One country and its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub iso3: &'static str,
    pub iso_numeric: u16,
    pub name: &'static str,
    /// Gleditsch–Ward code (UCDP `country_id`, `gwnoa`).
    pub gw: Option<u16>,
    /// FIPS 10-4 (GDELT `ActionGeo_CountryCode`).
    pub fips: Option<&'static str>,
    /// ViEWS `country_id`.
    pub views_id: Option<u16>,
    /// Other names sources use ("Ivory Coast", "Burkina Faso (Upper Volta)" …).
    pub aliases: &'static [&'static str],
}

/// The 13 West African countries Vigie's demo and early-warning work cover.
pub const WEST_AFRICA: [&str; 13] =
    ["BEN", "BFA", "CIV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI", "NER", "NGA", "SEN", "TGO"];

pub static COUNTRIES: &[Country] = &[
    Country { iso3: "MLI", iso_numeric: 466, name: "Mali", gw: Some(432), fips: Some("ML"), views_id: Some(50), aliases: &[] },
    Country { iso3: "BFA", iso_numeric: 854, name: "Burkina Faso", gw: Some(439), fips: Some("UV"), views_id: Some(47), aliases: &[] },
    Country { iso3: "NER", iso_numeric: 562, name: "Niger", gw: Some(436), fips: Some("NG"), views_id: Some(78), aliases: &[] },
    Country { iso3: "NGA", iso_numeric: 566, name: "Nigeria", gw: Some(475), fips: Some("NI"), views_id: Some(79), aliases: &[] },
];

pub fn by_iso3(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.iso3.eq_ignore_ascii_case(code.trim()))
}

pub fn by_gw(code: u16) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.gw == Some(code))
}

pub fn by_fips(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.fips.is_some_and(|f| f.eq_ignore_ascii_case(code.trim())))
}

pub fn by_iso_numeric(code: u16) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.iso_numeric == code)
}

pub fn by_views_id(id: u16) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.views_id == Some(id))
}

/// By name or alias, ignoring case.
pub fn by_name(name: &str) -> Option<&'static Country> {
    let n = name.trim();
    COUNTRIES
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(n) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(n)))
}
