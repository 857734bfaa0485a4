//! Which format a file is in, from its first two records, and which delimiter it uses,
//! from its first line.

use crate::hxl;

/// The delimiters [`sniff_delimiter`] tells apart.
const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The delimiter of the first line: whichever of `,` tab `;` `|` occurs most often
/// outside quotes (`,` on a tie or when there is none).
pub(crate) fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// A delimiter in words, for messages.
pub(crate) fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        b',' => "',' (comma)".to_string(),
        b';' => "';' (semicolon)".to_string(),
        b'|' => "'|' (pipe)".to_string(),
        other => format!("{:?}", other as char),
    }
}

/// What the first records say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    Ged,
    Acled,
    /// GDELT with a header row.
    GdeltHeader,
    /// GDELT data from the first line on.
    GdeltHeaderless,
    /// HXL; the hashtags are on record `tag_row` (0 or 1).
    Hxl {
        tag_row: usize,
    },
}

/// GED columns that no other format has.
const GED_MARKERS: [&str; 16] = [
    "relid",
    "type_of_violence",
    "where_prec",
    "date_prec",
    "side_a_new_id",
    "side_b_new_id",
    "dyad_new_id",
    "conflict_new_id",
    "where_coordinates",
    "priogrid_gid",
    "deaths_civilians",
    "event_clarity",
    "gwnoa",
    "adm_1",
    "code_status",
    "source_article",
];

/// ACLED columns that, with `event_date`, mark an ACLED export lacking `event_id_cnty`.
const ACLED_MARKERS: [&str; 9] = [
    "sub_event_type",
    "time_precision",
    "geo_precision",
    "inter1",
    "assoc_actor_1",
    "actor1",
    "event_type",
    "fatalities",
    "interaction",
];

/// Some GDELT column names (lower case) that mark a GDELT header lacking `GLOBALEVENTID`.
const GDELT_MARKERS: [&str; 10] = [
    "sqldate",
    "actor1code",
    "actor1name",
    "eventcode",
    "eventbasecode",
    "eventrootcode",
    "quadclass",
    "goldsteinscale",
    "actiongeo_countrycode",
    "actiongeo_lat",
];

/// Decides the format from the first record and the second (if any). Names are compared
/// trimmed and ignoring case.
pub(crate) fn detect(first: &[String], second: Option<&[String]>) -> Option<Detected> {
    if second.is_some_and(is_hashtag_row) {
        return Some(Detected::Hxl { tag_row: 1 });
    }
    if is_hashtag_row(first) {
        return Some(Detected::Hxl { tag_row: 0 });
    }
    let names: Vec<String> = first
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let score = |markers: &[&str]| markers.iter().filter(|m| has(m)).count();
    if has("globaleventid") || score(&GDELT_MARKERS) >= 4 {
        return Some(Detected::GdeltHeader);
    }
    if score(&GED_MARKERS) >= 4 {
        return Some(Detected::Ged);
    }
    if has("event_id_cnty") || (has("event_date") && score(&ACLED_MARKERS) >= 2) {
        return Some(Detected::Acled);
    }
    if is_gdelt_data(first) {
        return Some(Detected::GdeltHeaderless);
    }
    None
}

/// Whether `record` is a GDELT header (has `GLOBALEVENTID`) rather than data.
pub(crate) fn is_gdelt_header(record: &[String]) -> bool {
    record
        .iter()
        .any(|n| n.trim().eq_ignore_ascii_case("globaleventid"))
}

/// A headerless GDELT line: a numeric GLOBALEVENTID, an 8-digit SQLDATE, at least 57 fields.
pub(crate) fn is_gdelt_data(record: &[String]) -> bool {
    record.len() >= 57
        && !record[0].is_empty()
        && record[0].bytes().all(|b| b.is_ascii_digit())
        && record[1].len() == 8
        && record[1].bytes().all(|b| b.is_ascii_digit())
}

/// HXL's rule of thumb: a row is the hashtag row when it has hashtags and at least half
/// of its non-empty cells are hashtags.
pub(crate) fn is_hashtag_row(record: &[String]) -> bool {
    let mut tags = 0;
    let mut other = 0;
    for cell in record {
        let c = cell.trim();
        if c.is_empty() {
            continue;
        }
        if hxl::Hashtag::parse(c).is_some() {
            tags += 1;
        } else {
            other += 1;
        }
    }
    tags > 0 && tags >= other
}

/// The first record in words, for "unknown format" messages.
pub(crate) fn describe(first: &[String], delimiter: u8) -> String {
    let shown: Vec<String> = first
        .iter()
        .take(6)
        .map(|f| {
            let f = f.trim();
            if f.chars().count() > 32 {
                format!("{:?}…", f.chars().take(32).collect::<String>())
            } else {
                format!("{f:?}")
            }
        })
        .collect();
    let more = if first.len() > 6 { ", …" } else { "" };
    format!(
        "the first line has {} field(s) separated by {}: {}{more}; expected a UCDP GED header \
         (id, relid, type_of_violence, where_prec, …), an ACLED header (event_id_cnty, event_date, …), \
         GDELT (a GLOBALEVENTID, SQLDATE, … header, or headerless rows of 57, 58 or 61 fields) \
         or HXL (a row of hashtags such as #date, #geo+lat under the header)",
        first.len(),
        delimiter_name(delimiter),
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(s: &str, d: char) -> Vec<String> {
        s.split(d).map(str::to_string).collect()
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a|b|c"), b'|');
        assert_eq!(sniff_delimiter(b"1\t2\t\"x, y, z\"\t3\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d\r\n"), b',');
        assert_eq!(sniff_delimiter(b"abc"), b',');
    }

    #[test]
    fn formats() {
        let ged = "id,relid,year,active_year,code_status,type_of_violence,where_prec,latitude";
        assert_eq!(detect(&rec(ged, ','), None), Some(Detected::Ged));
        let acled = "event_id_cnty,event_date,year,event_type";
        assert_eq!(detect(&rec(acled, ','), None), Some(Detected::Acled));
        let gdelt = "GLOBALEVENTID,SQLDATE,MonthYear";
        assert_eq!(detect(&rec(gdelt, ','), None), Some(Detected::GdeltHeader));
        let mut data = vec!["18435455".to_string(), "19970101".to_string()];
        data.resize(57, String::new());
        assert_eq!(detect(&data, None), Some(Detected::GdeltHeaderless));
        data.truncate(40);
        assert_eq!(detect(&data, None), None);
        let text = rec("Date,Region,Fatalities", ',');
        let tags = rec("#date,#adm1 +name,#affected+killed", ',');
        assert_eq!(
            detect(&text, Some(&tags)),
            Some(Detected::Hxl { tag_row: 1 })
        );
        assert_eq!(
            detect(&tags, Some(&text)),
            Some(Detected::Hxl { tag_row: 0 })
        );
        // A data row with a stray hashtag is not a hashtag row.
        let row = rec("1,#Mali,2023-10-02,Gao,17", ',');
        assert_eq!(detect(&rec(ged, ','), Some(&row)), Some(Detected::Ged));
        assert_eq!(detect(&rec("a,b,c", ','), None), None);
    }
}
