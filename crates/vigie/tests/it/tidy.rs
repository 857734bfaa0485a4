//! ARCHITECTURE.md stays true: every path it names exists, and every crate of the
//! workspace has its section in the code map.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The spans between backticks of `line`.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// Whether `span` names a file or folder of the repository (rather than code, a command, a
/// URL or a pattern).
fn is_path(span: &str) -> bool {
    const EXTENSIONS: [&str; 11] = [
        ".rs", ".md", ".js", ".mjs", ".json", ".sql", ".py", ".toml", ".css", ".html", ".csv",
    ];
    let plain = !span.is_empty()
        && !span.starts_with('/')
        && !span.contains("://")
        && span
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'));
    plain && (span.contains('/') || EXTENSIONS.iter().any(|e| span.ends_with(e)))
}

/// Every file and folder under `dir`, as paths relative to `base` (build outputs and
/// installed packages left out).
fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if matches!(name.as_str(), "target" | "node_modules" | ".git") {
            continue;
        }
        let rel = p
            .strip_prefix(base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if p.is_dir() {
            out.push(format!("{rel}/"));
            walk(base, &p, out);
        } else {
            out.push(rel);
        }
    }
}

#[test]
fn architecture_names_only_what_exists_and_every_crate() {
    let root = root();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let crates: BTreeSet<String> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();

    let mut section: Option<String> = None;
    let mut described = BTreeSet::new();
    let mut missing = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(h) = line.strip_prefix("### `") {
            let name = h.split('`').next().unwrap_or_default().to_string();
            section = crates.contains(&name).then(|| name.clone());
            described.insert(name);
        } else if line.starts_with("## ") {
            section = None;
        }
        for span in code_spans(line).into_iter().filter(|s| is_path(s)) {
            let want = span.trim_end_matches('/');
            // A path from the repository's root, or, in a crate's section, from the crate
            // (or anywhere in it, as the code map names files by their names).
            let found = files.iter().any(|f| {
                let f = f.trim_end_matches('/');
                f == want
                    || match &section {
                        Some(c) => {
                            f.starts_with(&format!("crates/{c}/"))
                                && (f.ends_with(&format!("/{want}")))
                        }
                        None => f.ends_with(&format!("/{want}")),
                    }
            });
            if !found {
                missing.push(format!(
                    "ARCHITECTURE.md:{}: `{span}` ({})",
                    n + 1,
                    section.as_deref().unwrap_or("outside a crate's section")
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what does not exist:\n{}",
        missing.join("\n")
    );
    let undescribed: Vec<&String> = crates.difference(&described).collect();
    assert!(
        undescribed.is_empty(),
        "crates without a section (### `name`) in ARCHITECTURE.md's code map: {undescribed:?}"
    );
}

#[test]
fn the_tidy_check_sees_what_it_should() {
    assert!(is_path("crates/vigie-store/src/gate.rs"));
    assert!(is_path("solve.rs"));
    assert!(is_path("assets/js/"));
    assert!(!is_path("/api/v1"));
    assert!(!is_path("Store"));
    assert!(!is_path("vigie import"));
    assert!(!is_path("postgres://user@host/db"));
    assert_eq!(
        code_spans("a `b.rs` and `c`, then `d/`"),
        ["b.rs", "c", "d/"]
    );
}

/// Every `.rs` file under `dir`, with its path relative to the repository.
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let root = root();
    let mut all = Vec::new();
    walk(&root, dir, &mut all);
    all.into_iter()
        .filter(|p| p.ends_with(".rs"))
        .map(|p| {
            let text = std::fs::read_to_string(root.join(&p)).unwrap();
            (p, text)
        })
        .collect()
}

/// The HTTP crate is a thin channel: no handler sees a viewer (reads go through
/// `Caller::reader`, changes through `Caller::author`, both the application layer's), so
/// none can read around the audit of restricted reads or hold a rule of its own; only
/// `auth.rs`, which authenticates, builds one. And the command line uses the HTTP crate
/// only to serve.
#[test]
fn channels_reach_records_only_through_the_application_layer() {
    let root = root();
    let mut wrong = Vec::new();
    for (path, text) in rust_files(&root.join("crates/vigie-server/src")) {
        if path.ends_with("/auth.rs") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("Viewer") || code.contains("viewer") {
                wrong.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    for (path, text) in rust_files(&root.join("crates/vigie/src")) {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let allowed = [
                "vigie_server::AppState",
                "vigie_server::Config",
                "vigie_server::serve",
            ];
            let mut rest = code;
            while let Some(i) = rest.find("vigie_server::") {
                let tail = &rest[i..];
                if !allowed.iter().any(|a| tail.starts_with(a)) {
                    wrong.push(format!("{path}:{}: {}", n + 1, line.trim()));
                    break;
                }
                rest = &tail["vigie_server::".len()..];
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "these lines reach records or rules around the application layer:\n{}",
        wrong.join("\n")
    );
}
