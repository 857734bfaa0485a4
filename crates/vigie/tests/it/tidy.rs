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

/// The import graph between modules has no circle (issue 17). Every crate's `src` is read as
/// text: each file is a module (`a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`, an inline
/// `mod x { … }` is a module of its own), and a module depends on every module its code names
/// through `use crate::…`, `use super::…`, `use self::…` or a `crate::…` / `super::…` /
/// `$crate::…` path (comments and strings left out). A module may use its ancestors' items
/// and its own descendants; what must not happen is siblings depending on each other in a
/// circle. So each edge a → b is lifted to the two distinct children of their lowest common
/// ancestor, and under every parent the lifted graph must be acyclic.
mod import_graph {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Circles among sibling modules allowed to stay, as `crate: parent: member, member, …`
    /// (a strongly connected set of the parent's children): none since issue 17 removed
    /// the last. A circle not listed fails the test, and so does an entry that no longer
    /// holds, so that the list only shrinks.
    const KNOWN: &[&str] = &[];

    type ModPath = Vec<String>;

    /// `path` as Rust writes it: `crate`, `crate::copy::query`.
    fn display(path: &[String]) -> String {
        std::iter::once("crate")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("::")
    }

    /// The code of `text` with comments and the insides of strings and character literals
    /// blanked (newlines kept, so lines still count), so that only code is searched.
    fn code_only(text: &str) -> String {
        let b: Vec<char> = text.chars().collect();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let mut out = String::with_capacity(text.len());
        let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
        let mut i = 0;
        while i < b.len() {
            let (c, next) = (b[i], b.get(i + 1).copied());
            let prev = |k: usize| if i >= k { Some(b[i - k]) } else { None };
            if c == '/' && next == Some('/') {
                while i < b.len() && b[i] != '\n' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            } else if c == '/' && next == Some('*') {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                        depth += 1;
                        out.push_str("  ");
                        i += 2;
                    } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        out.push_str("  ");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        blank(&mut out, b[i]);
                        i += 1;
                    }
                }
            } else if c == 'r'
                && matches!(next, Some('"' | '#'))
                && (!prev(1).is_some_and(ident)
                    || (prev(1) == Some('b') && !prev(2).is_some_and(ident)))
                && b[i + 1..].iter().find(|&&c| c != '#') == Some(&'"')
            {
                // A raw string: r"…", r#"…"#, br"…".
                let hashes = b[i + 1..].iter().take_while(|&&c| c == '#').count();
                out.push('r');
                out.push_str(&"#".repeat(hashes));
                out.push('"');
                i += 2 + hashes;
                while i < b.len() {
                    if b[i] == '"'
                        && b[i + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&c| c == '#')
                            .count()
                            == hashes
                    {
                        out.push('"');
                        out.push_str(&"#".repeat(hashes));
                        i += 1 + hashes;
                        break;
                    }
                    blank(&mut out, b[i]);
                    i += 1;
                }
            } else if c == '"' {
                out.push('"');
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\\' && i + 1 < b.len() {
                        blank(&mut out, b[i]);
                        i += 1;
                    }
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    out.push('"');
                    i += 1;
                }
            } else if c == '\'' && (next == Some('\\') || b.get(i + 2) == Some(&'\'')) {
                // A character literal ('x', '\n', '\''), not a lifetime ('a).
                out.push('\'');
                i += 1;
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                while i < b.len() && b[i] != '\'' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    out.push('\'');
                    i += 1;
                }
            } else {
                out.push(c);
                i += 1;
            }
        }
        out
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Ident(String),
        Punct(&'static str),
        Other,
    }

    /// The tokens of code (from [`code_only`]) with their lines; `$crate` is `crate`.
    fn tokens(code: &str) -> Vec<(Tok, usize)> {
        let b: Vec<char> = code.chars().collect();
        let mut out = Vec::new();
        let (mut i, mut line) = (0, 1);
        while i < b.len() {
            let c = b[i];
            if c == '\n' {
                line += 1;
                i += 1;
            } else if c.is_whitespace() {
                i += 1;
            } else if c.is_alphabetic() || c == '_' {
                let start = i;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                let word: String = b[start..i].iter().collect();
                if word == "crate" && out.last() == Some(&(Tok::Other, line)) && b[start - 1] == '$'
                {
                    out.pop();
                }
                out.push((Tok::Ident(word), line));
            } else if c == ':' && b.get(i + 1) == Some(&':') {
                out.push((Tok::Punct("::"), line));
                i += 2;
            } else {
                out.push((
                    match c {
                        '{' => Tok::Punct("{"),
                        '}' => Tok::Punct("}"),
                        ';' => Tok::Punct(";"),
                        ',' => Tok::Punct(","),
                        '*' => Tok::Punct("*"),
                        _ => Tok::Other,
                    },
                    line,
                ));
                i += 1;
            }
        }
        out
    }

    fn is(t: Option<&(Tok, usize)>, p: &str) -> bool {
        matches!(t, Some((Tok::Punct(q), _)) if *q == p)
    }

    fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
        match t {
            Some((Tok::Ident(s), _)) => Some(s),
            _ => None,
        }
    }

    /// The paths of a use tree starting at `t[*i]`, each with `prefix` before it:
    /// `a::{b, c::{d, e}}` is `a::b`, `a::c::d`, `a::c::e`.
    fn use_tree(t: &[(Tok, usize)], i: &mut usize, prefix: &[String], out: &mut Vec<ModPath>) {
        let mut path = prefix.to_vec();
        loop {
            if let Some(s) = ident(t.get(*i)) {
                path.push(s.to_string());
                *i += 1;
                if is(t.get(*i), "::") {
                    *i += 1;
                    continue;
                }
                if ident(t.get(*i)) == Some("as") {
                    if let Some(name) = ident(t.get(*i + 1)) {
                        path.push(format!("as {name}"));
                    }
                    *i += 2;
                }
            } else if is(t.get(*i), "{") {
                *i += 1;
                while *i < t.len() && !is(t.get(*i), "}") {
                    use_tree(t, i, &path, out);
                    // Past the comma (or whatever the tree did not read), to the next.
                    if !is(t.get(*i), "}") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            } else if is(t.get(*i), "*") {
                *i += 1;
            }
            out.push(path);
            return;
        }
    }

    /// One module's source: where it is and its tokens.
    struct Source {
        file: String,
        module: ModPath,
        tokens: Vec<(Tok, usize)>,
    }

    /// Every `.rs` file under `dir`.
    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// The module a file of `src` is: `lib.rs`/`main.rs` the root, `a/mod.rs` and `a.rs`
    /// `a`, `a/b.rs` `a::b`.
    fn file_module(src: &Path, file: &Path) -> ModPath {
        let rel = file.strip_prefix(src).unwrap().with_extension("");
        let mut parts: ModPath = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        parts
    }

    /// Inline modules (`mod x { … }`): for each token, the module it is in, given the
    /// file's own.
    fn modules_of_tokens(file_module: &ModPath, t: &[(Tok, usize)]) -> Vec<ModPath> {
        let mut stack: Vec<(ModPath, usize)> = vec![(file_module.clone(), 0)];
        let mut depth = 0;
        let mut pending: Option<String> = None;
        let mut out = Vec::with_capacity(t.len());
        for (k, (tok, _)) in t.iter().enumerate() {
            out.push(stack.last().unwrap().0.clone());
            match tok {
                Tok::Ident(s) if s == "mod" => {
                    pending = ident(t.get(k + 1)).map(str::to_string);
                }
                Tok::Punct("{") => {
                    depth += 1;
                    if let Some(name) = pending.take() {
                        if ident(t.get(k - 1)) == Some(&name) {
                            let mut m = stack.last().unwrap().0.clone();
                            m.push(name);
                            stack.push((m, depth));
                        }
                    }
                }
                Tok::Punct("}") => {
                    if stack.len() > 1 && stack.last().unwrap().1 == depth {
                        stack.pop();
                    }
                    depth -= 1;
                }
                Tok::Punct(";") => pending = None,
                _ => {}
            }
        }
        out
    }

    /// Items a module re-exports (`pub use x::Item;`): (module, name) → the module the item
    /// comes from.
    type Aliases = BTreeMap<(ModPath, String), ModPath>;

    /// The module `path` (written in `current`) names: `crate`, `super`, `self` or a child
    /// module first, then as many of its segments as are modules, and an item the last of
    /// them re-exports taken where it comes from; `None` for other crates' paths.
    fn resolve(
        current: &[String],
        path: &[String],
        modules: &BTreeSet<ModPath>,
        aliases: &Aliases,
    ) -> Option<ModPath> {
        let mut segs = path.iter().peekable();
        let first = segs.next()?;
        let mut base: ModPath = match first.as_str() {
            "crate" => Vec::new(),
            "self" => current.to_vec(),
            "super" => current[..current.len().checked_sub(1)?].to_vec(),
            _ => {
                let mut child = current.to_vec();
                child.push(first.clone());
                if !modules.contains(&child) {
                    return None;
                }
                child
            }
        };
        while segs.peek().is_some_and(|s| *s == "super") {
            segs.next();
            base.pop()?;
        }
        for seg in segs {
            let mut m = base.clone();
            m.push(seg.clone());
            if modules.contains(&m) {
                base = m;
            } else {
                if let Some(from) = aliases.get(&(base.clone(), seg.clone())) {
                    base = from.clone();
                }
                break;
            }
        }
        Some(base)
    }

    /// Every edge of a crate's `src`: (from, to, `file:line`).
    fn edges(src: &Path) -> Vec<(ModPath, ModPath, String)> {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        files.sort();
        let mut modules = BTreeSet::new();
        let mut sources = Vec::new();
        for f in files {
            let module = file_module(src, &f);
            let text = std::fs::read_to_string(&f).unwrap();
            let t = tokens(&code_only(&text));
            let file = f
                .strip_prefix(src.parent().unwrap())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for m in modules_of_tokens(&module, &t) {
                modules.insert(m);
            }
            modules.insert(module.clone());
            sources.push(Source {
                file,
                module,
                tokens: t,
            });
        }
        // Re-exports, resolved in a few rounds (one may re-export another).
        let mut aliases = Aliases::new();
        for _ in 0..3 {
            for s in &sources {
                for (from, path, _, public) in uses(s) {
                    let Some(name) = path.last().filter(|_| public) else {
                        continue;
                    };
                    let name = name.strip_prefix("as ").unwrap_or(name).to_string();
                    let real: Vec<String> = path
                        .iter()
                        .filter(|p| !p.starts_with("as "))
                        .cloned()
                        .collect();
                    if let Some(to) = resolve(&from, &real, &modules, &aliases) {
                        if to != from && name != "self" && name != "*" {
                            aliases.insert((from, name), to);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for s in &sources {
            for (from, path, line, _) in uses(s).into_iter().chain(mentions(s)) {
                let path: Vec<String> =
                    path.into_iter().filter(|p| !p.starts_with("as ")).collect();
                if let Some(to) = resolve(&from, &path, &modules, &aliases) {
                    out.push((from, to, format!("{}:{line}", s.file)));
                }
            }
        }
        out
    }

    /// The paths of a source's `use` declarations: (module it is in, path, line, whether
    /// it re-exports).
    fn uses(s: &Source) -> Vec<(ModPath, ModPath, usize, bool)> {
        let t = &s.tokens;
        let within = modules_of_tokens(&s.module, t);
        let mut out = Vec::new();
        let mut k = 0;
        while k < t.len() {
            if ident(t.get(k)) != Some("use") {
                k += 1;
                continue;
            }
            let public = ident(t.get(k.wrapping_sub(1))) == Some("pub")
                || (k >= 4 && ident(t.get(k - 4)) == Some("pub"));
            let end = (k..t.len()).find(|&j| is(t.get(j), ";")).unwrap_or(t.len());
            let mut paths = Vec::new();
            let mut j = k + 1;
            use_tree(&t[..end], &mut j, &[], &mut paths);
            for p in paths {
                out.push((within[k].clone(), p, t[k].1, public));
            }
            k = end;
        }
        out
    }

    /// The `crate::…`, `super::…` and `self::…` paths of a source's code outside `use`
    /// declarations: (module it is in, path, line, false).
    fn mentions(s: &Source) -> Vec<(ModPath, ModPath, usize, bool)> {
        let t = &s.tokens;
        let within = modules_of_tokens(&s.module, t);
        let mut out = Vec::new();
        let mut k = 0;
        while k < t.len() {
            if ident(t.get(k)) == Some("use") {
                k = (k..t.len()).find(|&j| is(t.get(j), ";")).unwrap_or(t.len());
                continue;
            }
            let starts = matches!(ident(t.get(k)), Some("crate" | "super" | "self"))
                && is(t.get(k + 1), "::")
                && !is(t.get(k.wrapping_sub(1)), "::");
            if !starts {
                k += 1;
                continue;
            }
            let mut path = Vec::new();
            let mut j = k;
            while let Some(seg) = ident(t.get(j)) {
                path.push(seg.to_string());
                if is(t.get(j + 1), "::") {
                    j += 2;
                } else {
                    break;
                }
            }
            out.push((within[k].clone(), path, t[k].1, false));
            k = j + 1;
        }
        out
    }

    /// The edges lifted to siblings: parent → (child → child → where), for edges between
    /// modules neither of which contains the other.
    type Lifted = BTreeMap<ModPath, BTreeMap<String, BTreeMap<String, String>>>;

    fn lift(edges: &[(ModPath, ModPath, String)]) -> Lifted {
        let mut out: Lifted = BTreeMap::new();
        for (a, b, at) in edges {
            let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            if common == a.len() || common == b.len() {
                continue;
            }
            out.entry(a[..common].to_vec())
                .or_default()
                .entry(a[common].clone())
                .or_default()
                .entry(b[common].clone())
                .or_insert_with(|| at.clone());
        }
        out
    }

    /// The strongly connected sets of more than one node of `graph`, each sorted.
    fn circles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
        let reach = |from: &String| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from.clone()];
            while let Some(n) = todo.pop() {
                for m in graph.get(&n).into_iter().flat_map(|e| e.keys()) {
                    if seen.insert(m.clone()) {
                        todo.push(m.clone());
                    }
                }
            }
            seen
        };
        let nodes: BTreeSet<&String> = graph
            .keys()
            .chain(graph.values().flat_map(|e| e.keys()))
            .collect();
        let reaches: BTreeMap<&String, BTreeSet<String>> =
            nodes.iter().map(|n| (*n, reach(n))).collect();
        let mut out: Vec<Vec<String>> = Vec::new();
        for n in &nodes {
            if !reaches[n].contains(*n) || out.iter().any(|c| c.contains(n)) {
                continue;
            }
            let set: Vec<String> = nodes
                .iter()
                .filter(|m| reaches[n].contains(**m) && reaches[**m].contains(*n))
                .map(|m| m.to_string())
                .collect();
            out.push(set);
        }
        out
    }

    /// One circle through `set`, edge by edge with where each edge is written.
    fn witness(graph: &BTreeMap<String, BTreeMap<String, String>>, set: &[String]) -> String {
        // Breadth first from the first member back to it, inside the set.
        let start = &set[0];
        let mut back: BTreeMap<String, String> = BTreeMap::new();
        let mut todo = std::collections::VecDeque::from([start.clone()]);
        'search: while let Some(n) = todo.pop_front() {
            for m in graph[&n].keys().filter(|m| set.contains(m)) {
                if m == start {
                    back.insert(start.clone() + "'", n.clone());
                    break 'search;
                }
                if !back.contains_key(m) {
                    back.insert(m.clone(), n.clone());
                    todo.push_back(m.clone());
                }
            }
        }
        let mut path = vec![start.clone()];
        let mut at = back[&(start.clone() + "'")].clone();
        while &at != start {
            path.push(at.clone());
            at = back[&at].clone();
        }
        path.push(start.clone());
        path.reverse();
        path.windows(2)
            .map(|w| format!("{} → {} ({})", w[0], w[1], graph[&w[0]][&w[1]]))
            .collect::<Vec<_>>()
            .join(", ")
    }

    #[test]
    fn no_circle_among_sibling_modules() {
        let crates = super::root().join("crates");
        let mut names: Vec<String> = std::fs::read_dir(&crates)
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("src").is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut found = BTreeSet::new();
        let mut unknown = Vec::new();
        for name in &names {
            let lifted = lift(&edges(&crates.join(name).join("src")));
            for (parent, graph) in &lifted {
                for set in circles(graph) {
                    let key = format!("{name}: {}: {}", display(parent), set.join(", "));
                    if !KNOWN.contains(&key.as_str()) {
                        unknown.push(format!("{key}\n    {}", witness(graph, &set)));
                    }
                    found.insert(key);
                }
            }
        }
        let gone: Vec<&&str> = KNOWN.iter().filter(|k| !found.contains(**k)).collect();
        assert!(
            unknown.is_empty() && gone.is_empty(),
            "sibling modules import each other in a circle (crate: parent: members, then one \
             circle edge by edge):\n{}\n{}",
            unknown.join("\n"),
            if gone.is_empty() {
                String::new()
            } else {
                format!("and these KNOWN circles are gone (remove them from KNOWN): {gone:?}")
            }
        );
    }

    #[test]
    fn the_import_graph_sees_what_it_should() {
        let code = code_only(
            "let s = \"crate::a\\\"\"; // crate::b\n/* crate::c /* d */ */ let c = '\"'; \
             let r = r#\"crate::e\"#; fn f<'a>(x: &'a str) { crate::g::h() }",
        );
        assert!(
            code.contains("crate::g::h()") && code.contains("<'a>"),
            "{code}"
        );
        assert_eq!(code.matches("crate::").count(), 1, "{code}");
        assert_eq!(code.lines().count(), 2);
        let t = tokens("use crate::{a::X, b::{self, c::Y as Z}, d::*}; $crate::e::f();");
        let mut k = 1;
        let mut paths = Vec::new();
        use_tree(&t, &mut k, &[], &mut paths);
        let s = |p: &[&str]| p.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            paths,
            [
                s(&["crate", "a", "X"]),
                s(&["crate", "b", "self"]),
                s(&["crate", "b", "c", "Y", "as Z"]),
                s(&["crate", "d"]),
            ]
        );
        assert_eq!(ident(t.get(k + 1)), Some("crate"), "$crate reads as crate");
        let modules: BTreeSet<ModPath> = [s(&[]), s(&["a"]), s(&["a", "b"]), s(&["c"])]
            .into_iter()
            .collect();
        let mut aliases = Aliases::new();
        aliases.insert((s(&[]), "T".to_string()), s(&["a", "b"]));
        let r = |at: &[&str], path: &[&str]| resolve(&s(at), &s(path), &modules, &aliases);
        assert_eq!(
            r(&["a", "b"], &["super", "super", "c", "f"]),
            Some(s(&["c"]))
        );
        assert_eq!(r(&["a"], &["crate", "a", "b", "T"]), Some(s(&["a", "b"])));
        assert_eq!(
            r(&["c"], &["crate", "T"]),
            Some(s(&["a", "b"])),
            "a re-export"
        );
        assert_eq!(r(&["a"], &["b", "T"]), Some(s(&["a", "b"])), "a child");
        assert_eq!(r(&["a"], &["sqlx", "Row"]), None);
        // a::x → b and b → a::y make the circle a, b under the root; c → c::d is not one.
        let e = |a: &[&str], b: &[&str]| (s(a), s(b), String::new());
        let lifted = lift(&[
            e(&["a", "x"], &["b"]),
            e(&["b"], &["a", "y"]),
            e(&["c"], &["c", "d"]),
        ]);
        assert_eq!(circles(&lifted[&s(&[])]), [s(&["a", "b"])]);
        assert_eq!(lifted.len(), 1);
    }
}
