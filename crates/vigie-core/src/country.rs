//! Countries and their codes in every scheme a source uses: ISO 3166 alpha-3 and numeric,
//! Gleditsch–Ward (UCDP), FIPS 10-4 (GDELT) and the ViEWS `country_id`.
//!
//! [`COUNTRIES`] holds every ISO 3166-1 entry (sovereign states and territories) plus Kosovo,
//! which has no ISO code: it uses the user-assigned `XKX` and ISO numeric `0`, as GeoNames does.
//! Codes that do not exist for an entry are `None` (Gleditsch–Ward codes only exist for
//! independent states and microstates, ViEWS ids only for the countries ViEWS forecasts).
//!
//! The lookups go through indexes built once, on first use.
//!
//! A few codes that are not in the table also resolve, to the entry that covers the same
//! ground today:
//! - 255 (the Correlates of War code for Germany, whose Gleditsch–Ward code is 260) and 340 (Serbia after 2006
//!   in G&W; UCDP keeps 345), see [`by_gw`];
//! - FIPS codes for parts of an ISO entry: Gaza Strip `GZ` (Palestine), Jan Mayen `JN`, the
//!   US minor islands, the French Scattered Islands, Ashmore and Cartier and the Coral Sea
//!   Islands, Clipperton, and `YI` (Serbia and Montenegro), see [`by_fips`].

use std::collections::HashMap;
use std::sync::OnceLock;

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
pub const WEST_AFRICA: [&str; 13] = [
    "BEN", "BFA", "CIV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI", "NER", "NGA", "SEN", "TGO",
];

/// A table row: `fips` "" and `gw`/`views_id` 0 mean "no such code".
const fn c(
    iso3: &'static str,
    iso_numeric: u16,
    fips: &'static str,
    gw: u16,
    views_id: u16,
    name: &'static str,
    aliases: &'static [&'static str],
) -> Country {
    Country {
        iso3,
        iso_numeric,
        name,
        gw: if gw == 0 { None } else { Some(gw) },
        fips: if fips.is_empty() { None } else { Some(fips) },
        views_id: if views_id == 0 { None } else { Some(views_id) },
        aliases,
    }
}

/// Every country and territory, in ISO 3166-1 alpha-2 order (GeoNames' order).
///
/// Columns: ISO alpha-3, ISO numeric, FIPS 10-4, Gleditsch–Ward, ViEWS `country_id`, name,
/// aliases. Aliases carry the names ViEWS (`country_list.csv`), UCDP GED, Natural Earth and
/// other sources use where they differ from the name.
#[rustfmt::skip]
pub static COUNTRIES: &[Country] = &[
    c("AND",  20, "AN", 232,   0, "Andorra", &[]),
    c("ARE", 784, "AE", 696, 132, "United Arab Emirates", &["UAE"]),
    c("AFG",   4, "AF", 700, 133, "Afghanistan", &[]),
    c("ATG",  28, "AC",  58,  35, "Antigua and Barbuda", &[]),
    c("AIA", 660, "AV",   0,   0, "Anguilla", &[]),
    c("ALB",   8, "AL", 339,  82, "Albania", &[]),
    c("ARM",  51, "AM", 371, 125, "Armenia", &[]),
    c("AGO",  24, "AO", 540, 165, "Angola", &[]),
    c("ATA",  10, "AY",   0,   0, "Antarctica", &[]),
    c("ARG",  32, "AR", 160,   7, "Argentina", &[]),
    c("ASM",  16, "AQ",   0,   0, "American Samoa", &[]),
    c("AUT",  40, "AU", 305,  97, "Austria", &[]),
    c("AUS",  36, "AS", 900, 177, "Australia", &[]),
    c("ABW", 533, "AA",   0,   0, "Aruba", &[]),
    c("ALA", 248, "",     0,   0, "Åland Islands", &["Aland"]),
    c("AZE",  31, "AJ", 373, 126, "Azerbaijan", &[]),
    c("BIH",  70, "BK", 346,  83, "Bosnia and Herzegovina", &["Bosnia-Herzegovina", "Bosnia and Herz.", "Bosnia"]),
    c("BRB",  52, "BB",  53,  18, "Barbados", &[]),
    c("BGD",  50, "BG", 771, 138, "Bangladesh", &["East Pakistan"]),
    c("BEL",  56, "BE", 211, 104, "Belgium", &[]),
    c("BFA", 854, "UV", 439,  47, "Burkina Faso", &["Burkina Faso (Upper Volta)", "Upper Volta", "Burkina"]),
    c("BGR", 100, "BU", 355,  89, "Bulgaria", &[]),
    c("BHR",  48, "BA", 692, 127, "Bahrain", &[]),
    c("BDI", 108, "BY", 516, 155, "Burundi", &[]),
    c("BEN", 204, "BN", 434,  74, "Benin", &["Benin (Dahomey)", "Dahomey"]),
    c("BLM", 652, "TB",   0,   0, "Saint Barthélemy", &["St. Barths"]),
    c("BMU",  60, "BD",   0,   0, "Bermuda", &[]),
    c("BRN",  96, "BX", 835, 140, "Brunei", &["Brunei Darussalam"]),
    c("BOL",  68, "BL", 145,   8, "Bolivia", &["Bolivia (Plurinational State of)", "Plurinational State of Bolivia"]),
    c("BES", 535, "",     0,   0, "Bonaire, Sint Eustatius and Saba", &["Caribbean Netherlands", "Bonaire"]),
    c("BRA",  76, "BR", 140,   9, "Brazil", &[]),
    c("BHS",  44, "BF",  31,  26, "Bahamas", &[]),
    c("BTN",  64, "BT", 760, 139, "Bhutan", &[]),
    c("BVT",  74, "BV",   0,   0, "Bouvet Island", &[]),
    c("BWA",  72, "BC", 571, 154, "Botswana", &[]),
    c("BLR", 112, "BO", 370, 110, "Belarus", &["Byelorussia", "Belorussia"]),
    c("BLZ",  84, "BH",  80,  27, "Belize", &[]),
    c("CAN", 124, "CA",  20, 183, "Canada", &[]),
    c("CCK", 166, "CK",   0,   0, "Cocos (Keeling) Islands", &["Cocos Islands"]),
    c("COD", 180, "CG", 490, 167, "Democratic Republic of the Congo", &[
        "DR Congo (Zaire)", "DR Congo", "DRC", "Congo, DRC", "Congo, Democratic Republic of the",
        "Congo, Dem. Rep.", "Dem. Rep. Congo", "Congo (Kinshasa)", "Congo-Kinshasa", "Zaire",
    ]),
    c("CAF", 140, "CT", 482,  70, "Central African Republic", &["Central African Rep.", "CAR"]),
    c("COG", 178, "CF", 484, 166, "Congo", &[
        "Republic of the Congo", "Republic of Congo", "Congo, Republic of the", "Congo, Rep.",
        "Congo (Brazzaville)", "Congo-Brazzaville",
    ]),
    c("CHE", 756, "SZ", 225, 109, "Switzerland", &[]),
    c("CIV", 384, "IV", 437,  41, "Côte d'Ivoire", &["Cote d'Ivoire", "Ivory Coast"]),
    c("COK", 184, "CW",   0,   0, "Cook Islands", &[]),
    c("CHL", 152, "CI", 155,  10, "Chile", &[]),
    c("CMR", 120, "CM", 471,  69, "Cameroon", &[]),
    c("CHN", 156, "CH", 710, 199, "China", &["People's Republic of China", "PRC"]),
    c("COL", 170, "CO", 100,  28, "Colombia", &[]),
    c("CRI", 188, "CS",  94,  29, "Costa Rica", &[]),
    c("CUB", 192, "CU",  40,  30, "Cuba", &[]),
    c("CPV", 132, "CV", 402,  40, "Cabo Verde", &["Cape Verde"]),
    c("CUW", 531, "UC",   0,   0, "Curaçao", &[]),
    c("CXR", 162, "KT",   0,   0, "Christmas Island", &[]),
    c("CYP", 196, "CY", 352,  90, "Cyprus", &[]),
    c("CZE", 203, "EZ", 316,  98, "Czechia", &["Czech Republic"]),
    c("DEU", 276, "GM", 260, 184, "Germany", &["Federal Republic of Germany"]),
    c("DJI", 262, "DJ", 522,  55, "Djibouti", &[]),
    c("DNK", 208, "DA", 390,  99, "Denmark", &[]),
    c("DMA", 212, "DO",  54,  19, "Dominica", &[]),
    c("DOM", 214, "DR",  42,  23, "Dominican Republic", &["Dominican Rep."]),
    c("DZA",  12, "AG", 615,  67, "Algeria", &[]),
    c("ECU", 218, "EC", 130,  11, "Ecuador", &[]),
    c("EST", 233, "EN", 366, 111, "Estonia", &[]),
    c("EGY", 818, "EG", 651, 222, "Egypt", &[]),
    c("ESH", 732, "WI",   0,   0, "Western Sahara", &["W. Sahara", "Sahrawi Arab Democratic Republic"]),
    c("ERI", 232, "ER", 531,  56, "Eritrea", &[]),
    c("ESP", 724, "SP", 230,  46, "Spain", &[]),
    c("ETH", 231, "ET", 530,  57, "Ethiopia", &[]),
    c("FIN", 246, "FI", 375, 112, "Finland", &[]),
    c("FJI", 242, "FJ", 950, 168, "Fiji", &[]),
    c("FLK", 238, "FK",   0,   0, "Falkland Islands", &["Falkland Islands (Malvinas)", "Falkland Is.", "Malvinas"]),
    c("FSM", 583, "FM", 987, 153, "Micronesia", &[
        "Federated States of Micronesia", "Micronesia, Federated States of",
        "Micronesia (Federated States of)",
    ]),
    c("FRO", 234, "FO",   0,   0, "Faroe Islands", &["Faeroe Islands"]),
    c("FRA", 250, "FR", 220, 105, "France", &[]),
    c("GAB", 266, "GB", 481, 169, "Gabon", &[]),
    c("GBR", 826, "UK", 200,  39, "United Kingdom", &[
        "United Kingdom of Great Britain and Northern Ireland", "Great Britain", "Britain", "UK",
    ]),
    c("GRD", 308, "GJ",  55,  20, "Grenada", &[]),
    c("GEO", 268, "GG", 372,  92, "Georgia", &[]),
    c("GUF", 254, "FG",   0,   0, "French Guiana", &[]),
    c("GGY", 831, "GK",   0,   0, "Guernsey", &[]),
    c("GHA", 288, "GH", 452,  42, "Ghana", &[]),
    c("GIB", 292, "GI",   0,   0, "Gibraltar", &[]),
    c("GRL", 304, "GL",   0,   0, "Greenland", &[]),
    c("GMB", 270, "GA", 420,  54, "Gambia", &["The Gambia"]),
    c("GIN", 324, "GV", 438,  48, "Guinea", &["Guinea-Conakry"]),
    c("GLP", 312, "GP",   0,   0, "Guadeloupe", &[]),
    c("GNQ", 226, "EK", 411,  76, "Equatorial Guinea", &["Eq. Guinea"]),
    c("GRC", 300, "GR", 350,  93, "Greece", &[]),
    c("SGS", 239, "SX",   0,   0, "South Georgia and the South Sandwich Islands", &[]),
    c("GTM", 320, "GT",  90,  16, "Guatemala", &[]),
    c("GUM", 316, "GQ",   0,   0, "Guam", &[]),
    c("GNB", 624, "PU", 404,  49, "Guinea-Bissau", &[]),
    c("GUY", 328, "GY", 110,   1, "Guyana", &[]),
    c("HKG", 344, "HK",   0,   0, "Hong Kong", &["Hong Kong SAR", "Hong Kong SAR, China", "Hong Kong, China"]),
    c("HMD", 334, "HM",   0,   0, "Heard Island and McDonald Islands", &[]),
    c("HND", 340, "HO",  91,  32, "Honduras", &[]),
    c("HRV", 191, "HR", 344,  84, "Croatia", &[]),
    c("HTI", 332, "HA",  41,  24, "Haiti", &[]),
    c("HUN", 348, "HU", 310, 100, "Hungary", &[]),
    c("IDN", 360, "ID", 850, 209, "Indonesia", &[]),
    c("IRL", 372, "EI", 205,  38, "Ireland", &[]),
    c("ISR", 376, "IS", 666, 218, "Israel", &[]),
    c("IMN", 833, "IM",   0,   0, "Isle of Man", &[]),
    c("IND", 356, "IN", 750, 223, "India", &[]),
    c("IOT",  86, "IO",   0,   0, "British Indian Ocean Territory", &[]),
    c("IRQ", 368, "IZ", 645,  60, "Iraq", &[]),
    c("IRN", 364, "IR", 630, 128, "Iran", &[
        "Iran (Islamic Republic of)", "Iran, Islamic Republic of", "Islamic Republic of Iran", "Persia",
    ]),
    c("ISL", 352, "IC", 395,  37, "Iceland", &[]),
    c("ITA", 380, "IT", 325,  85, "Italy", &[]),
    c("JEY", 832, "JE",   0,   0, "Jersey", &[]),
    c("JAM", 388, "JM",  51,  25, "Jamaica", &[]),
    c("JOR", 400, "JO", 663,  62, "Jordan", &[]),
    c("JPN", 392, "JA", 740, 142, "Japan", &[]),
    c("KEN", 404, "KE", 501, 237, "Kenya", &[]),
    c("KGZ", 417, "KG", 703, 134, "Kyrgyzstan", &["Kyrgyz Republic", "Kirghizia"]),
    c("KHM", 116, "CB", 811, 147, "Cambodia", &["Cambodia (Kampuchea)", "Kampuchea"]),
    c("KIR", 296, "KR", 970,  77, "Kiribati", &[]),
    c("COM", 174, "CN", 581, 159, "Comoros", &[]),
    c("KNA", 659, "SC",  60,  36, "Saint Kitts and Nevis", &["St. Kitts and Nevis"]),
    c("PRK", 408, "KN", 731, 143, "North Korea", &[
        "Korea, North", "Democratic People's Republic of Korea",
        "Korea, Democratic People's Republic of", "Korea, Dem. People's Rep.", "DPRK",
    ]),
    c("KOR", 410, "KS", 732, 146, "South Korea", &["Korea, South", "Republic of Korea", "Korea, Republic of", "Korea, Rep."]),
    c("XKX",   0, "KV", 347, 232, "Kosovo", &[]),
    c("KWT", 414, "KU", 690, 129, "Kuwait", &[]),
    c("CYM", 136, "CJ",   0,   0, "Cayman Islands", &[]),
    c("KAZ", 398, "KZ", 705,  63, "Kazakhstan", &[]),
    c("LAO", 418, "LA", 812, 148, "Laos", &["Lao PDR", "Lao People's Democratic Republic"]),
    c("LBN", 422, "LE", 660,  94, "Lebanon", &[]),
    c("LCA", 662, "ST",  56,  21, "Saint Lucia", &["St. Lucia"]),
    c("LIE", 438, "LS", 223,   0, "Liechtenstein", &[]),
    c("LKA", 144, "CE", 780, 121, "Sri Lanka", &["Ceylon"]),
    c("LBR", 430, "LI", 450,  43, "Liberia", &[]),
    c("LSO", 426, "LT", 570, 160, "Lesotho", &[]),
    c("LTU", 440, "LH", 368, 114, "Lithuania", &[]),
    c("LUX", 442, "LU", 212, 107, "Luxembourg", &[]),
    c("LVA", 428, "LG", 367, 113, "Latvia", &[]),
    c("LBY", 434, "LY", 620, 213, "Libya", &["Libyan Arab Jamahiriya"]),
    c("MAR", 504, "MO", 600, 243, "Morocco", &[]),
    c("MCO", 492, "MN", 221,   0, "Monaco", &[]),
    c("MDA", 498, "MD", 359, 115, "Moldova", &["Republic of Moldova", "Moldova, Republic of"]),
    c("MNE", 499, "MJ", 341, 231, "Montenegro", &[]),
    c("MAF", 663, "RN",   0,   0, "Saint Martin", &["Saint Martin (French part)"]),
    c("MDG", 450, "MA", 580, 172, "Madagascar", &["Madagascar (Malagasy)", "Malagasy Republic"]),
    c("MHL", 584, "RM", 983, 152, "Marshall Islands", &["Marshall Is."]),
    c("MKD", 807, "MK", 343,  86, "North Macedonia", &[
        "Macedonia", "Macedonia, FYR", "FYR Macedonia", "Former Yugoslav Republic of Macedonia",
        "Republic of North Macedonia",
    ]),
    c("MLI", 466, "ML", 432,  50, "Mali", &[]),
    c("MMR", 104, "BM", 775, 149, "Myanmar", &["Myanmar (Burma)", "Burma"]),
    c("MNG", 496, "MG", 712,  58, "Mongolia", &[]),
    c("MAC", 446, "MC",   0,   0, "Macao", &["Macau", "Macao SAR", "Macao SAR, China"]),
    c("MNP", 580, "CQ",   0,   0, "Northern Mariana Islands", &[]),
    c("MTQ", 474, "MB",   0,   0, "Martinique", &[]),
    c("MRT", 478, "MR", 435, 244, "Mauritania", &[]),
    c("MSR", 500, "MH",   0,   0, "Montserrat", &[]),
    c("MLT", 470, "MT", 338,  87, "Malta", &[]),
    c("MUS", 480, "MP", 590, 173, "Mauritius", &[]),
    c("MDV", 462, "MV", 781, 118, "Maldives", &[]),
    c("MWI", 454, "MI", 553, 161, "Malawi", &[]),
    c("MEX", 484, "MX",  70,  17, "Mexico", &[]),
    c("MYS", 458, "MY", 820, 205, "Malaysia", &[]),
    c("MOZ", 508, "MZ", 541, 162, "Mozambique", &[]),
    c("NAM", 516, "WA", 565, 170, "Namibia", &[]),
    c("NCL", 540, "NC",   0,   0, "New Caledonia", &[]),
    c("NER", 562, "NG", 436,  78, "Niger", &[]),
    c("NFK", 574, "NF",   0,   0, "Norfolk Island", &[]),
    c("NGA", 566, "NI", 475,  79, "Nigeria", &[]),
    c("NIC", 558, "NU",  93,  33, "Nicaragua", &[]),
    c("NLD", 528, "NL", 210, 108, "Netherlands", &["Holland"]),
    c("NOR", 578, "NO", 385,  64, "Norway", &[]),
    c("NPL", 524, "NP", 790, 135, "Nepal", &[]),
    c("NRU", 520, "NR", 971, 178, "Nauru", &[]),
    c("NIU", 570, "NE",   0,   0, "Niue", &[]),
    c("NZL", 554, "NZ", 920, 171, "New Zealand", &[]),
    c("OMN", 512, "MU", 698, 119, "Oman", &[]),
    c("PAN", 591, "PM",  95,  34, "Panama", &[]),
    c("PER", 604, "PE", 135,  13, "Peru", &[]),
    c("PYF", 258, "FP",   0,   0, "French Polynesia", &[]),
    c("PNG", 598, "PP", 910, 179, "Papua New Guinea", &[]),
    c("PHL", 608, "RP", 840, 145, "Philippines", &[]),
    c("PAK", 586, "PK", 770, 136, "Pakistan", &[]),
    c("POL", 616, "PL", 290, 101, "Poland", &[]),
    c("SPM", 666, "SB",   0,   0, "Saint Pierre and Miquelon", &[]),
    c("PCN", 612, "PC",   0,   0, "Pitcairn", &["Pitcairn Islands"]),
    c("PRI", 630, "RQ",   0,   0, "Puerto Rico", &[]),
    c("PSE", 275, "WE",   0,   0, "Palestine", &[
        "State of Palestine", "Palestine, State of", "Palestinian Territory", "Palestinian Territories",
        "Occupied Palestinian Territory", "West Bank and Gaza", "West Bank", "Gaza Strip", "Gaza",
    ]),
    c("PRT", 620, "PO", 235,  45, "Portugal", &[]),
    c("PLW", 585, "PS", 986, 144, "Palau", &[]),
    c("PRY", 600, "PA", 150,  12, "Paraguay", &[]),
    c("QAT", 634, "QA", 694, 130, "Qatar", &[]),
    c("REU", 638, "RE",   0,   0, "Réunion", &[]),
    c("ROU", 642, "RO", 360, 116, "Romania", &["Rumania"]),
    c("SRB", 688, "RI", 345, 233, "Serbia", &[
        "Serbia (Yugoslavia)", "Yugoslavia", "Federal Republic of Yugoslavia", "Serbia and Montenegro",
    ]),
    c("RUS", 643, "RS", 365,  65, "Russia", &["Russia (Soviet Union)", "Russian Federation", "Soviet Union", "USSR"]),
    c("RWA", 646, "RW", 517, 156, "Rwanda", &[]),
    c("SAU", 682, "SA", 670, 131, "Saudi Arabia", &[]),
    c("SLB",  90, "BP", 940, 180, "Solomon Islands", &["Solomon Is."]),
    c("SYC", 690, "SE", 591, 174, "Seychelles", &[]),
    c("SDN", 729, "SU", 625, 245, "Sudan", &[]),
    c("SSD", 728, "OD", 626, 246, "South Sudan", &["S. Sudan"]),
    c("SWE", 752, "SW", 380,  66, "Sweden", &[]),
    c("SGP", 702, "SN", 830, 206, "Singapore", &[]),
    c("SHN", 654, "SH",   0,   0, "Saint Helena, Ascension and Tristan da Cunha", &["Saint Helena"]),
    c("SVN", 705, "SI", 349, 103, "Slovenia", &[]),
    c("SJM", 744, "SV",   0,   0, "Svalbard and Jan Mayen", &["Svalbard"]),
    c("SVK", 703, "LO", 317, 102, "Slovakia", &["Slovak Republic"]),
    c("SLE", 694, "SL", 451,  53, "Sierra Leone", &[]),
    c("SMR", 674, "SM", 331,   0, "San Marino", &[]),
    c("SEN", 686, "SG", 433,  52, "Senegal", &[]),
    c("SOM", 706, "SO", 520, 120, "Somalia", &[]),
    c("SUR", 740, "NS", 115,   2, "Suriname", &["Surinam"]),
    c("STP", 678, "TP", 403,  80, "São Tomé and Príncipe", &["Sao Tome and Principe"]),
    c("SLV", 222, "ES",  92,  31, "El Salvador", &[]),
    c("SXM", 534, "NN",   0,   0, "Sint Maarten", &["Sint Maarten (Dutch part)"]),
    c("SYR", 760, "SY", 652, 220, "Syria", &["Syrian Arab Republic"]),
    c("SWZ", 748, "WZ", 572, 164, "Eswatini", &["Swaziland", "Kingdom of eSwatini (Swaziland)", "Kingdom of Eswatini"]),
    c("TCA", 796, "TK",   0,   0, "Turks and Caicos Islands", &[]),
    c("TCD", 148, "CD", 483, 214, "Chad", &[]),
    c("ATF", 260, "FS",   0,   0, "French Southern Territories", &[
        "French Southern and Antarctic Lands", "Fr. S. Antarctic Lands",
    ]),
    c("TGO", 768, "TO", 461,  81, "Togo", &[]),
    c("THA", 764, "TH", 800, 150, "Thailand", &["Siam"]),
    c("TJK", 762, "TI", 702, 137, "Tajikistan", &[]),
    c("TKL", 772, "TL",   0,   0, "Tokelau", &[]),
    c("TLS", 626, "TT", 860, 176, "Timor-Leste", &["Timor Leste", "East Timor"]),
    c("TKM", 795, "TX", 701, 122, "Turkmenistan", &[]),
    c("TUN", 788, "TS", 616,  73, "Tunisia", &[]),
    c("TON", 776, "TN", 972,   6, "Tonga", &[]),
    c("TUR", 792, "TU", 640,  96, "Turkey", &["Türkiye"]),
    c("TTO", 780, "TD",  52,   3, "Trinidad and Tobago", &[]),
    c("TUV", 798, "TV", 973, 181, "Tuvalu", &[]),
    c("TWN", 158, "TW", 713, 198, "Taiwan", &["Taiwan, Province of China", "Republic of China", "Chinese Taipei"]),
    c("TZA", 834, "TZ", 510, 242, "Tanzania", &["United Republic of Tanzania", "Tanzania, United Republic of"]),
    c("UKR", 804, "UP", 369, 117, "Ukraine", &[]),
    c("UGA", 800, "UG", 500, 235, "Uganda", &[]),
    c("UMI", 581, "",     0,   0, "United States Minor Outlying Islands", &[]),
    c("USA", 840, "US",   2, 234, "United States", &["United States of America", "USA", "US", "U.S.", "U.S.A."]),
    c("URY", 858, "UY", 165,  14, "Uruguay", &[]),
    c("UZB", 860, "UZ", 704, 123, "Uzbekistan", &[]),
    c("VAT", 336, "VT",   0,   0, "Holy See", &["Vatican", "Vatican City", "Vatican City State"]),
    c("VCT", 670, "VC",  57,  22, "Saint Vincent and the Grenadines", &["St. Vincent and the Grenadines"]),
    c("VEN", 862, "VE", 101,   4, "Venezuela", &[
        "Venezuela (Bolivarian Republic of)", "Bolivarian Republic of Venezuela", "Venezuela, RB",
    ]),
    c("VGB",  92, "VI",   0,   0, "British Virgin Islands", &["Virgin Islands, British"]),
    c("VIR", 850, "VQ",   0,   0, "United States Virgin Islands", &["U.S. Virgin Islands", "Virgin Islands, U.S."]),
    c("VNM", 704, "VM", 816, 151, "Vietnam", &["Viet Nam"]),
    c("VUT", 548, "NH", 935, 182, "Vanuatu", &[]),
    c("WLF", 876, "WF",   0,   0, "Wallis and Futuna", &[]),
    c("WSM", 882, "WS", 990,   5, "Samoa", &["Western Samoa"]),
    c("YEM", 887, "YM", 678, 124, "Yemen", &["Yemen (North Yemen)", "Republic of Yemen", "Yemen, Rep."]),
    c("MYT", 175, "MF",   0,   0, "Mayotte", &[]),
    c("ZAF", 710, "SF", 560, 163, "South Africa", &[]),
    c("ZMB", 894, "ZA", 551, 157, "Zambia", &[]),
    c("ZWE", 716, "ZI", 552, 158, "Zimbabwe", &["Zimbabwe (Rhodesia)", "Rhodesia"]),
];

/// Gleditsch–Ward codes not in the table that stand for a country in it today.
const GW_ALIASES: &[(u16, &str)] = &[
    // 255 is the Correlates of War code for Germany; G&W and UCDP use 260.
    (255, "DEU"),
    // G&W code Serbia 340 after 2006; UCDP keeps 345, "Serbia (Yugoslavia)".
    (340, "SRB"),
];

/// FIPS 10-4 codes for places ISO 3166-1 counts as part of another entry.
const FIPS_ALIASES: &[(&str, &str)] = &[
    ("GZ", "PSE"), // Gaza Strip (West Bank is WE)
    ("JN", "SJM"), // Jan Mayen (Svalbard is SV)
    ("YI", "SRB"), // Serbia and Montenegro, until 2006
    ("BQ", "UMI"), // Navassa Island
    ("DQ", "UMI"), // Jarvis Island
    ("FQ", "UMI"), // Baker Island
    ("HQ", "UMI"), // Howland Island
    ("JQ", "UMI"), // Johnston Atoll
    ("KQ", "UMI"), // Kingman Reef
    ("LQ", "UMI"), // Palmyra Atoll
    ("MQ", "UMI"), // Midway Islands
    ("WQ", "UMI"), // Wake Island
    ("BS", "ATF"), // Bassas da India
    ("EU", "ATF"), // Europa Island
    ("GO", "ATF"), // Glorioso Islands
    ("JU", "ATF"), // Juan de Nova Island
    ("TE", "ATF"), // Tromelin Island
    ("AT", "AUS"), // Ashmore and Cartier Islands
    ("CR", "AUS"), // Coral Sea Islands
    ("IP", "FRA"), // Clipperton Island
];

type Ref = &'static Country;

/// The lookup indexes, built on first use.
struct Index {
    iso3: HashMap<[u8; 3], Ref>,
    gw: HashMap<u16, Ref>,
    fips: HashMap<[u8; 2], Ref>,
    iso_numeric: HashMap<u16, Ref>,
    views_id: HashMap<u16, Ref>,
    name: HashMap<String, Ref>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build_index)
}

fn build_index() -> Index {
    let mut ix = Index {
        iso3: HashMap::with_capacity(COUNTRIES.len()),
        gw: HashMap::with_capacity(COUNTRIES.len()),
        fips: HashMap::with_capacity(COUNTRIES.len() + FIPS_ALIASES.len()),
        iso_numeric: HashMap::with_capacity(COUNTRIES.len()),
        views_id: HashMap::with_capacity(COUNTRIES.len()),
        name: HashMap::with_capacity(COUNTRIES.len() * 3),
    };
    // The first entry wins any clash; the tests check there are none.
    for c in COUNTRIES {
        if let Some(k) = code_key::<3>(c.iso3) {
            ix.iso3.entry(k).or_insert(c);
        }
        if let Some(g) = c.gw {
            ix.gw.entry(g).or_insert(c);
        }
        if let Some(k) = c.fips.and_then(code_key::<2>) {
            ix.fips.entry(k).or_insert(c);
        }
        ix.iso_numeric.entry(c.iso_numeric).or_insert(c);
        if let Some(v) = c.views_id {
            ix.views_id.entry(v).or_insert(c);
        }
        for n in std::iter::once(&c.name).chain(c.aliases) {
            ix.name.entry(name_key(n)).or_insert(c);
        }
    }
    for (g, iso3) in GW_ALIASES {
        if let Some(c) = code_key::<3>(iso3).and_then(|k| ix.iso3.get(&k).copied()) {
            ix.gw.entry(*g).or_insert(c);
        }
    }
    for (f, iso3) in FIPS_ALIASES {
        let country = code_key::<3>(iso3).and_then(|k| ix.iso3.get(&k).copied());
        if let (Some(k), Some(c)) = (code_key::<2>(f), country) {
            ix.fips.entry(k).or_insert(c);
        }
    }
    ix
}

/// An alphanumeric code of exactly `N` ASCII characters, upper-cased, surrounding blanks
/// ignored.
fn code_key<const N: usize>(code: &str) -> Option<[u8; N]> {
    let b = code.trim().as_bytes();
    if b.len() != N || !b.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let mut k = [0u8; N];
    for (k, b) in k.iter_mut().zip(b) {
        *k = b.to_ascii_uppercase();
    }
    Some(k)
}

/// A name folded for comparison: lower case, accents dropped, "&" read as "and", any run of
/// punctuation or blanks one space, "saint" as "st", and a leading or trailing "the" dropped
/// ("The Gambia", "Bahamas, The").
fn name_key(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch == '&' {
            folded.push_str(" and ");
        } else if let Some(s) = fold_accent(ch) {
            folded.push_str(s);
        } else if ch.is_alphanumeric() {
            folded.push(ch);
        } else {
            folded.push(' ');
        }
    }
    let mut words: Vec<&str> = folded
        .split_whitespace()
        .map(|w| if w == "saint" { "st" } else { w })
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if words.len() > 1 && words[words.len() - 1] == "the" {
        words.pop();
    }
    words.join(" ")
}

/// The ASCII letters for a lower-case accented Latin letter.
fn fold_accent(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// By ISO 3166-1 alpha-3 code, ignoring case.
pub fn by_iso3(code: &str) -> Option<&'static Country> {
    index().iso3.get(&code_key::<3>(code)?).copied()
}

/// By ISO 3166-1 alpha-3 code, ignoring case, or why not: the one check of a country code
/// that a reader or writer typed (the caller names the field with [`CheckError::at`]).
pub fn checked(code: &str) -> Result<&'static Country, crate::CheckError> {
    by_iso3(code).ok_or_else(|| {
        crate::CheckError::unknown(format!(
            "unknown ISO 3166 alpha-3 code {code:?} (e.g. MLI, BFA, NER)"
        ))
    })
}

/// By Gleditsch–Ward code; 255 (Germany, COW) and 340 (Serbia) too, see the module notes.
pub fn by_gw(code: u16) -> Option<&'static Country> {
    index().gw.get(&code).copied()
}

/// By FIPS 10-4 code, ignoring case; also the FIPS codes of parts of an ISO entry, see the
/// module notes.
pub fn by_fips(code: &str) -> Option<&'static Country> {
    index().fips.get(&code_key::<2>(code)?).copied()
}

/// By ISO 3166-1 numeric code (0 is Kosovo, which has none).
pub fn by_iso_numeric(code: u16) -> Option<&'static Country> {
    index().iso_numeric.get(&code).copied()
}

/// By ViEWS `country_id`.
pub fn by_views_id(id: u16) -> Option<&'static Country> {
    index().views_id.get(&id).copied()
}

/// By name or alias, ignoring case, accents and punctuation ("Côte d'Ivoire",
/// "COTE D’IVOIRE", "St. Lucia" and "Saint Lucia" all match).
pub fn by_name(name: &str) -> Option<&'static Country> {
    let key = name_key(name);
    if key.is_empty() {
        return None;
    }
    index().name.get(&key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet, HashSet};

    type Reader = csv::Reader<Box<dyn std::io::BufRead + Send>>;

    fn reader(path: &str) -> Reader {
        csv::Reader::from_reader(vigie_testdata::open(path))
    }

    fn column(r: &mut Reader, name: &str) -> usize {
        r.headers()
            .unwrap()
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    fn assert_unique<K: std::hash::Hash + Eq + std::fmt::Debug>(
        what: &str,
        keys: impl Iterator<Item = (K, &'static str)>,
    ) {
        let mut seen: HashMap<K, &str> = HashMap::new();
        for (k, iso3) in keys {
            if let Some(prev) = seen.insert(k, iso3) {
                assert_eq!(prev, iso3, "{what} shared by {prev} and {iso3}");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        assert_eq!(COUNTRIES.len(), 250);
        for c in COUNTRIES {
            assert!(
                code_key::<3>(c.iso3).is_some_and(|k| k == c.iso3.as_bytes()),
                "{c:?}"
            );
            if let Some(f) = c.fips {
                assert!(code_key::<2>(f).is_some_and(|k| k == f.as_bytes()), "{c:?}");
            }
            assert!(!c.name.is_empty() && c.name.trim() == c.name, "{c:?}");
            assert!(c.iso_numeric > 0 || c.iso3 == "XKX", "{c:?}");
        }
        assert_unique("iso3", COUNTRIES.iter().map(|c| (c.iso3, c.iso3)));
        assert_unique(
            "iso numeric",
            COUNTRIES.iter().map(|c| (c.iso_numeric, c.iso3)),
        );
        assert_unique("gw", COUNTRIES.iter().filter_map(|c| Some((c.gw?, c.iso3))));
        assert_unique(
            "fips",
            COUNTRIES.iter().filter_map(|c| Some((c.fips?, c.iso3))),
        );
        assert_unique(
            "views_id",
            COUNTRIES.iter().filter_map(|c| Some((c.views_id?, c.iso3))),
        );
        assert_unique(
            "name or alias",
            COUNTRIES.iter().flat_map(|c| {
                std::iter::once(&c.name)
                    .chain(c.aliases)
                    .map(|n| (name_key(n), c.iso3))
            }),
        );
        // The extra codes stand for something not already in the table.
        for (g, iso3) in GW_ALIASES {
            assert!(COUNTRIES.iter().all(|c| c.gw != Some(*g)), "gw {g}");
            assert_eq!(by_gw(*g).map(|c| c.iso3), Some(*iso3));
        }
        for (f, iso3) in FIPS_ALIASES {
            assert!(COUNTRIES.iter().all(|c| c.fips != Some(*f)), "fips {f}");
            assert_eq!(by_fips(f).map(|c| c.iso3), Some(*iso3));
        }
    }

    #[test]
    fn every_entry_is_found_by_each_of_its_codes_and_names() {
        for c in COUNTRIES {
            assert_eq!(by_iso3(c.iso3), Some(c));
            assert_eq!(by_iso3(&c.iso3.to_ascii_lowercase()), Some(c));
            assert_eq!(by_iso_numeric(c.iso_numeric), Some(c));
            if let Some(g) = c.gw {
                assert_eq!(by_gw(g), Some(c));
            }
            if let Some(f) = c.fips {
                assert_eq!(by_fips(f), Some(c));
                assert_eq!(by_fips(&format!(" {} ", f.to_ascii_lowercase())), Some(c));
            }
            if let Some(v) = c.views_id {
                assert_eq!(by_views_id(v), Some(c));
            }
            for n in std::iter::once(&c.name).chain(c.aliases) {
                assert_eq!(by_name(n), Some(c), "{n}");
                assert_eq!(by_name(&n.to_uppercase()), Some(c), "{n}");
            }
        }
    }

    #[test]
    fn known_codes() {
        let gw = [
            ("USA", 2),
            ("MEX", 70),
            ("COL", 100),
            ("BRA", 140),
            ("GBR", 200),
            ("FRA", 220),
            ("DEU", 260),
            ("RUS", 365),
            ("UKR", 369),
            ("MLI", 432),
            ("SEN", 433),
            ("BEN", 434),
            ("MRT", 435),
            ("NER", 436),
            ("CIV", 437),
            ("GIN", 438),
            ("BFA", 439),
            ("LBR", 450),
            ("SLE", 451),
            ("GHA", 452),
            ("TGO", 461),
            ("CMR", 471),
            ("NGA", 475),
            ("CAF", 482),
            ("TCD", 483),
            ("COD", 490),
            ("DZA", 615),
            ("LBY", 620),
            ("SDN", 625),
            ("SSD", 626),
            ("ISR", 666),
            ("YEM", 678),
            ("AFG", 700),
            ("PAK", 770),
            ("MMR", 775),
            ("SRB", 345),
            ("XKX", 347),
            ("GMB", 420),
            ("GNB", 404),
            ("CPV", 402),
        ];
        for (iso3, g) in gw {
            assert_eq!(by_iso3(iso3).and_then(|c| c.gw), Some(g), "{iso3}");
        }
        let fips = [
            ("MLI", "ML"),
            ("BFA", "UV"),
            ("NER", "NG"),
            ("NGA", "NI"),
            ("BEN", "BN"),
            ("TGO", "TO"),
            ("GHA", "GH"),
            ("CIV", "IV"),
            ("SEN", "SG"),
            ("MRT", "MR"),
            ("TCD", "CD"),
            ("DZA", "AG"),
            ("LBY", "LY"),
            ("GIN", "GV"),
            ("GNB", "PU"),
            ("GMB", "GA"),
            ("SLE", "SL"),
            ("LBR", "LI"),
            ("CMR", "CM"),
            ("MAR", "MO"),
            ("ESH", "WI"),
            ("EGY", "EG"),
            ("SDN", "SU"),
            ("CPV", "CV"),
            ("CAF", "CT"),
            ("COD", "CG"),
            ("COG", "CF"),
            ("DEU", "GM"),
            ("ESP", "SP"),
            ("GBR", "UK"),
            ("USA", "US"),
            ("FRA", "FR"),
            ("AUT", "AU"),
            ("AUS", "AS"),
        ];
        for (iso3, f) in fips {
            assert_eq!(by_fips(f).map(|c| c.iso3), Some(iso3), "{f}");
        }
        for (iso3, n) in [("MLI", 466), ("BFA", 854), ("NER", 562), ("NGA", 566)] {
            assert_eq!(by_iso_numeric(n).map(|c| c.iso3), Some(iso3));
        }
        for iso3 in WEST_AFRICA {
            let c = by_iso3(iso3).unwrap();
            assert!(
                c.gw.is_some() && c.fips.is_some() && c.views_id.is_some(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn names_ignore_case_accents_and_punctuation() {
        let civ = by_iso3("CIV");
        for n in [
            "Côte d'Ivoire",
            "Cote d'Ivoire",
            "COTE D’IVOIRE",
            " côte  d'ivoire ",
            "Ivory Coast",
        ] {
            assert_eq!(by_name(n), civ, "{n}");
        }
        assert_eq!(by_name("Saint Lucia"), by_name("St Lucia"));
        assert_eq!(by_name("Bahamas, The").map(|c| c.iso3), Some("BHS"));
        assert_eq!(by_name("the gambia").map(|c| c.iso3), Some("GMB"));
        assert_eq!(by_name("Antigua & Barbuda").map(|c| c.iso3), Some("ATG"));
        assert_eq!(by_name("Sao Tome & Principe").map(|c| c.iso3), Some("STP"));
        assert_eq!(by_name("Reunion").map(|c| c.iso3), Some("REU"));
        assert_eq!(by_name("Congo").map(|c| c.iso3), Some("COG"));
        assert_eq!(by_name("Guinea").map(|c| c.iso3), Some("GIN"));
        assert_eq!(by_name("Niger").map(|c| c.iso3), Some("NER"));
        assert_eq!(by_name(""), None);
        assert_eq!(by_name("  "), None);
        assert_eq!(by_name("Atlantis"), None);
        assert_eq!(by_iso3("MLIX"), None);
        assert_eq!(by_fips("M"), None);
    }

    /// Every ViEWS country, by id and by its ViEWS name.
    #[test]
    fn views_country_list() {
        let mut r = reader(vigie_testdata::CM_COUNTRIES);
        let (id_col, name_col) = (column(&mut r, "country_id"), column(&mut r, "name"));
        let mut ids = BTreeSet::new();
        let mut missing = Vec::new();
        for row in r.records() {
            let row = row.unwrap();
            let id: u16 = row[id_col].parse().unwrap();
            let name = &row[name_col];
            assert!(ids.insert(id), "country_id {id} twice in the file");
            match by_name(name) {
                Some(c) if c.views_id == Some(id) && by_views_id(id) == Some(c) => {}
                found => missing.push(format!("{id} {name:?} -> {found:?}")),
            }
        }
        assert!(missing.is_empty(), "not resolved:\n{}", missing.join("\n"));
        assert_eq!(ids.len(), 191);
        let table: BTreeSet<u16> = COUNTRIES.iter().filter_map(|c| c.views_id).collect();
        assert_eq!(table, ids, "the table's ViEWS ids are exactly the file's");
    }

    /// Every UCDP GED `country_id` (Gleditsch–Ward) and `country` name, in both files.
    #[test]
    fn ucdp_ged_countries() {
        for file in [vigie_testdata::GED_CANDIDATE, vigie_testdata::GED_SAMPLE] {
            let mut r = reader(file);
            let (gw_col, name_col) = (column(&mut r, "country_id"), column(&mut r, "country"));
            let mut pairs: BTreeMap<(u16, String), usize> = BTreeMap::new();
            for row in r.records() {
                let row = row.unwrap_or_else(|e| panic!("{file}: {e}"));
                let gw = row[gw_col]
                    .parse()
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
                *pairs.entry((gw, row[name_col].to_string())).or_default() += 1;
            }
            assert!(pairs.len() > 40, "{file}: {} countries", pairs.len());
            let mut bad = Vec::new();
            for ((gw, name), n) in &pairs {
                let (by_code, by_n) = (by_gw(*gw), by_name(name));
                if by_code.is_none() || by_code != by_n {
                    bad.push(format!("{gw} {name:?} ({n} rows): {by_code:?} / {by_n:?}"));
                }
            }
            assert!(bad.is_empty(), "{file}:\n{}", bad.join("\n"));
        }
    }

    /// Every FIPS country code in the GDELT 1.0 sample's geography columns.
    #[test]
    fn gdelt_fips_codes() {
        let mut r = reader(vigie_testdata::GDELT_SAMPLE);
        let cols: Vec<usize> = [
            "ActionGeo_CountryCode",
            "Actor1Geo_CountryCode",
            "Actor2Geo_CountryCode",
        ]
        .iter()
        .map(|c| column(&mut r, c))
        .collect();
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        for row in r.records() {
            let row = row.unwrap();
            for &i in &cols {
                let code = &row[i];
                if code != "NA" && !code.is_empty() {
                    *codes.entry(code.to_string()).or_default() += 1;
                }
            }
        }
        assert!(codes.len() > 20, "{codes:?}");
        let bad: Vec<_> = codes.iter().filter(|(c, _)| by_fips(c).is_none()).collect();
        assert!(bad.is_empty(), "unknown FIPS codes (code, rows): {bad:?}");
    }

    /// Natural Earth's world map (ISO numeric ids and short names) agrees with the table.
    #[test]
    fn natural_earth_world_countries() {
        let text = vigie_testdata::text(vigie_testdata::WORLD_TOPO);
        let topo: serde_json::Value = serde_json::from_str(&text).unwrap();
        let geometries = topo["objects"]["countries"]["geometries"]
            .as_array()
            .unwrap();
        // Not in the table: Northern Cyprus and Somaliland are not countries in any scheme here.
        let unrecognised: HashSet<&str> = ["N. Cyprus", "Somaliland"].into();
        let mut bad = Vec::new();
        for g in geometries {
            let name = g["properties"]["name"].as_str().unwrap();
            let by_n = by_name(name);
            let found = match g["id"].as_str() {
                Some(id) => {
                    let by_code = by_iso_numeric(id.parse().unwrap());
                    by_code.is_some() && by_code == by_n
                }
                None => by_n.is_some() || unrecognised.contains(name),
            };
            if !found {
                bad.push(format!("{:?} {name:?} -> {by_n:?}", g["id"]));
            }
        }
        assert!(geometries.len() > 170, "{} geometries", geometries.len());
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
