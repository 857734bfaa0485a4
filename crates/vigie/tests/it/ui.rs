//! The web UI in a real browser: `vigie demo` serves it, headless Chromium (Debian's
//! `chromium`) drives it through playwright-core (`tests/ui/`, `npm ci` there), and
//! `tests/ui/ui.mjs` checks two organisations' views against the API's answers, filters,
//! French, a region profile and exports. Screenshots go to `target/ui-screenshots/`.
//!
//! Without node, Chromium or `tests/ui/node_modules` the test says so loudly and passes,
//! unless `VIGIE_REQUIRE_BROWSER` is set (as `.ci/run` does), where it fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    std::env::var_os("VIGIE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What is missing to run the browser test, if anything.
fn missing(ui_dir: &Path) -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed".into());
    }
    if !chromium().exists() {
        return Some(format!(
            "{} does not exist (apt-get install chromium)",
            chromium().display()
        ));
    }
    if !ui_dir.join("node_modules/playwright-core").is_dir() {
        return Some(format!(
            "playwright-core is not installed (npm ci in {})",
            ui_dir.display()
        ));
    }
    None
}

#[test]
fn web_ui_in_a_real_browser() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ui_dir = manifest.join("tests/ui");
    if let Some(why) = missing(&ui_dir) {
        if std::env::var_os("VIGIE_REQUIRE_BROWSER").is_some() {
            panic!("the browser test cannot run: {why} (VIGIE_REQUIRE_BROWSER is set)");
        }
        vigie_testdata::skipping("the web UI browser test", &why, "VIGIE_REQUIRE_BROWSER=1");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, stdout) = crate::support::start_demo(dir.path());
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Serving the Vigie API on ") {
            let api = rest.split_whitespace().next().unwrap();
            base = Some(api.trim_end_matches("/api/v1").to_string());
            break;
        }
    }
    let base = base.expect("the demo printed no address");
    // The target directory in use (CARGO_TARGET_DIR too): target/tmp/../ui-screenshots.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../ui-screenshots");
    let out = Command::new("node")
        .arg(ui_dir.join("ui.mjs"))
        .arg(&base)
        .arg(&shots)
        .env("VIGIE_CHROMIUM", chromium())
        .output()
        .expect("run node");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(
        out.status.success(),
        "the browser scenarios failed:\n{text}"
    );
    assert!(text.contains("ui: all scenarios passed"), "{text}");
    for name in [
        "01-login",
        "02-map-en",
        "06-region-en",
        "08-map-fr",
        "12-phone-map",
    ] {
        assert!(
            shots.join(format!("{name}.png")).is_file(),
            "no screenshot {name}"
        );
    }
}
