//! Serving the web UI: the page at `/` and at UI routes with its Content-Security-Policy,
//! versioned assets compressed and cached for good, the API still `no-store`. (The UI's
//! behaviour in a browser is tested in `crates/vigie/tests/it/ui.rs`.)

use std::io::Read;

use crate::support::{get_gzip, get_text, Backend, TestServer};

#[tokio::test]
async fn the_page_and_its_assets_are_served_compressed_with_a_strict_policy() {
    let server = TestServer::start_on(Backend::Sqlite).await.unwrap();
    let root = server.root();
    let c = reqwest::Client::new();

    for path in [
        "/",
        "/map",
        "/events",
        "/alerts",
        "/forecasts",
        "/login",
        "/region/MLI/Mopti%20region",
        "/admin",
        "/admin/audit",
    ] {
        let r = c.get(format!("{root}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    let (_, page) = get_text(&c, &format!("{root}/")).await;
    assert!(!page.contains("<script>"), "no inline script");
    let app = page
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with("/js/app.js"))
        .expect("the page names its script")
        .to_string();

    // Compressed when the client accepts it, kept for good (the path names the version).
    let r = get_gzip(&c, &format!("{root}{app}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let gz = r.bytes().await.unwrap();
    let mut js = String::new();
    flate2::read::GzDecoder::new(gz.as_ref())
        .read_to_string(&mut js)
        .unwrap();
    assert!(js.contains("/api/v1") || js.contains("import"), "{js}");
    let plain = c.get(format!("{root}{app}")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), js);

    // Another version, an unknown file, or a path that is no UI route: not found.
    let other = app.replacen("/assets/", "/assets/0000", 1);
    for path in [
        other.as_str(),
        "/assets/x/js/app.js",
        "/nothing-here",
        "/index.html",
    ] {
        let r = c.get(format!("{root}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    // Vendored libraries and boundaries are embedded too.
    let base = app.trim_end_matches("/js/app.js");
    for f in [
        "/vendor/leaflet/leaflet.js",
        "/vendor/uplot/uPlot.esm.js",
        "/vendor/uplot/uPlot.min.css",
        "/geo/admin1.geojson",
        "/i18n/fr.json",
    ] {
        let r = c.get(format!("{root}{base}{f}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{f}");
    }

    // The API keeps `no-store`, compressed or not.
    let r = get_gzip(&c, &format!("{root}/api/v1/openapi.json")).await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let r = c.get(format!("{root}/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["cache-control"], "no-store");
}

/// The map's place names (`assets/geo/places.json`) are the bundled gazetteer
/// (`data/places/`, GeoNames), every place in its order (largest first), with its name,
/// position to 0.001° and population.
#[test]
fn place_names_are_the_bundled_gazetteer() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("assets/geo/places.json")).expect("places.json"),
    )
    .expect("places.json is JSON");
    let places = json["places"].as_array().expect("places");
    let mut csv =
        csv::Reader::from_path(root.join("../../data/places/westafrica_places_geonames.csv"))
            .expect("the gazetteer");
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a row")).collect();
    assert_eq!(places.len(), rows.len());
    assert_eq!(rows.len(), 6187);
    let mut last = u64::MAX;
    for (p, r) in places.iter().zip(&rows) {
        assert_eq!(p[0].as_str(), Some(&r[1]), "name");
        for (i, col) in [(1, 2), (2, 3)] {
            let want: f64 = r[col].parse().unwrap();
            let got = p[i].as_f64().unwrap();
            assert!(
                (got - want).abs() <= 0.0005 + 1e-9,
                "{}: {got} vs {want}",
                &r[1]
            );
        }
        let pop: u64 = r[5].parse().unwrap();
        assert_eq!(p[3].as_u64(), Some(pop), "{}", &r[1]);
        assert!(pop <= last, "largest first");
        last = pop;
    }
    assert!(json["source"]
        .as_str()
        .unwrap()
        .contains("GeoNames (CC BY 4.0)"));
}

/// The stylesheet's blocks are closed: one brace left open swallows every rule after it
/// (a merge that dropped a `}` once hid the phone layouts of three screens).
#[test]
fn the_stylesheet_closes_every_block() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let css = std::fs::read_to_string(root.join("assets/css/app.css")).expect("app.css");
    let mut depth = 0i32;
    let mut chars = css.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'*') => {
                // A comment, to its end.
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                assert!(depth >= 0, "app.css line {line}: a `}}` closes nothing");
            }
            // A top-level rule must not start inside a media block's last rule.
            _ => {}
        }
        assert!(depth <= 2, "app.css line {line}: blocks nested three deep");
    }
    assert_eq!(depth, 0, "app.css ends with {depth} block(s) open");
}

/// The UI words the server's generated text from codes (issue 18, bug 9): every code of an
/// allocation's explanations has the same English in the UI's dictionary as on the server,
/// and French with the same arguments; so do the demo's rule names and the organisation
/// levels those codes name.
#[test]
fn every_server_code_has_english_and_french_words() {
    let dict = |lang: &str| -> serde_json::Map<String, serde_json::Value> {
        let path = format!("{}/assets/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (en, fr) = (dict("en"), dict("fr"));
    let placeholders = |s: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|x| x.split_once('}').map(|(n, _)| n.to_string()))
            .collect();
        v.sort();
        v
    };
    for (code, english) in vigie_coord::phrase::ENGLISH {
        assert_eq!(
            en.get(*code).and_then(|v| v.as_str()),
            Some(*english),
            "{code} in en.json"
        );
        let french = fr
            .get(*code)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("{code} in fr.json"));
        assert_eq!(
            placeholders(french),
            placeholders(english),
            "{code}: the same arguments"
        );
        assert_ne!(french, *english, "{code} is translated");
    }
    for level in ["national", "regional", "continental", "global", "coalition"] {
        let key = format!("coord.level.{level}");
        assert!(en.contains_key(&key) && fr.contains_key(&key), "{key}");
    }
    // The demo's rules: each has a name key, whose English is the rule's name (read from the
    // file's `name = "…"` and `name_key = "…"` lines, which follow each other).
    let records = std::fs::read_to_string(format!(
        "{}/../../data/demo/records.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let value = |line: &str, field: &str| -> Option<String> {
        let rest = line
            .strip_prefix(field)?
            .trim_start()
            .strip_prefix('=')?
            .trim();
        serde_json::from_str(rest).ok()
    };
    let rules = records.split("[[alert_rules]]").skip(1).collect::<Vec<_>>();
    assert!(!rules.is_empty());
    for r in rules {
        let name = r.lines().find_map(|l| value(l, "name ")).expect("a name");
        let key = r
            .lines()
            .find_map(|l| value(l, "name_key"))
            .expect("a name key");
        assert_eq!(en[&key], name.as_str(), "{key}");
        assert!(
            fr[&key].as_str().is_some_and(|f| f != name),
            "{key} in French"
        );
    }
}
