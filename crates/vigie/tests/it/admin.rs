//! The administration commands, the audit log's tamper detection, `--as`, and the demo's
//! server, end to end.

use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::support::{assert_contains, ok, runtime, stderr, stdout, vigie};

#[test]
fn admin_commands_build_a_sharing_setup_and_as_reads_through_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(vigie(
        d,
        &[
            "org",
            "add",
            "ecowas",
            "--name",
            "ECOWAS Commission",
            "--kind",
            "regional",
        ],
    ));
    ok(vigie(
        d,
        &[
            "org",
            "add",
            "mli-nia",
            "--name",
            "Mali agency",
            "--kind",
            "national-agency",
        ],
    ));
    let o = vigie(d, &["org", "add", "Bad Id", "--name", "x", "--kind", "ngo"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "not a valid identifier");
    let o = vigie(d, &["org", "add", "x", "--name", "x", "--kind", "army"]);
    assert_contains(&stderr(&o), "unknown organisation kind");
    let out = ok(vigie(
        d,
        &[
            "user",
            "add",
            "amina",
            "--org",
            "mli-nia",
            "--name",
            "Amina",
            "--roles",
            "reader,analyst",
        ],
    ));
    assert_contains(&out, "password: ");
    let o = vigie(
        d,
        &[
            "user", "add", "ghost", "--org", "nowhere", "--name", "G", "--roles", "reader",
        ],
    );
    assert_contains(&stderr(&o), "nowhere");
    ok(vigie(
        d,
        &["community", "add", "ecowas", "--name", "ECOWAS"],
    ));
    ok(vigie(
        d,
        &[
            "community",
            "join",
            "ecowas",
            "mli-nia",
            "--from",
            "1975-05-28",
        ],
    ));
    ok(vigie(
        d,
        &[
            "community",
            "leave",
            "ecowas",
            "mli-nia",
            "--on",
            "2025-01-29",
        ],
    ));
    let out = ok(vigie(d, &["community", "list"]));
    assert!(
        out.contains("mli-nia") && out.contains("1975-05-28 – 2025-01-29"),
        "{out}"
    );
    let o = vigie(
        d,
        &[
            "community",
            "leave",
            "ecowas",
            "mli-nia",
            "--on",
            "2025-02-01",
        ],
    );
    assert!(!o.status.success(), "no open membership is left to end");
    // Member states, dated: what rules scoped to ECOWAS's member states watch on a day.
    let state = |args: &[&str]| vigie(d, &[&["community"], args].concat());
    ok(state(&[
        "state-join",
        "ecowas",
        "mli",
        "--from",
        "1975-05-28",
    ]));
    ok(state(&[
        "state-leave",
        "ecowas",
        "MLI",
        "--on",
        "2025-01-29",
    ]));
    let out = ok(vigie(d, &["community", "list"]));
    assert_contains(&out, "state MLI                 1975-05-28 – 2025-01-29");
    let o = state(&["state-leave", "ecowas", "MLI", "--on", "2025-02-01"]);
    assert_contains(&stderr(&o), "MLI has no open membership of ecowas");
    let o = state(&["state-join", "ecowas", "XXX", "--from", "2000-01-01"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "XXX");
    let o = state(&["state-join", "nowhere", "BEN", "--from", "2000-01-01"]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "nowhere");
    ok(vigie(
        d,
        &[
            "sharing-group",
            "add",
            "liaison",
            "--name",
            "Liaison",
            "--owner",
            "mli-nia",
            "--members",
            "ecowas",
        ],
    ));
    let out = ok(vigie(d, &["sharing-group", "list"]));
    assert!(out.contains("liaison") && out.contains("ecowas"), "{out}");
    // --as: an unknown user is refused; a real one reads through the gate.
    let o = vigie(d, &["--as", "nobody", "events"]);
    assert_contains(&stderr(&o), "no such user");
    ok(vigie(d, &["--as", "amina", "events"]));
    // Every change above is in the audit log, and the chain is intact.
    let out = ok(vigie(d, &["audit", "verify"]));
    assert_contains(&out, "audit log intact: 9 entries");
}

/// A data directory in `dir` whose audit log holds three entries: organisations a, b and c
/// added through the command line.
fn three_orgs_added(dir: &Path) {
    for o in ["a", "b", "c"] {
        ok(vigie(dir, &["org", "add", o, "--name", o, "--kind", "ngo"]));
    }
}

/// Runs `sql` on the database file in `dir` as an attacker holding the file would: the log
/// refuses it while its append-only guards stand, so they are dropped first.
fn tamper(dir: &Path, sql: &str) {
    let db = dir.join("vigie.db");
    runtime().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display()))
            .await
            .unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap_err();
        for guard in ["update", "delete"] {
            sqlx::query(&format!(
                "DROP TRIGGER IF EXISTS audit_log_append_only_{guard}"
            ))
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    })
}

#[test]
fn audit_verify_detects_an_edited_and_a_removed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_orgs_added(d);
    ok(vigie(d, &["audit", "verify"]));
    tamper(
        d,
        "UPDATE audit_log SET detail = '{\"op\":\"nothing\"}' WHERE seq = 2",
    );
    let o = vigie(d, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert_contains(&stdout(&o), "entry 2: its content does not match its hash");

    let dir2 = tempfile::tempdir().unwrap();
    let d2 = dir2.path();
    three_orgs_added(d2);
    tamper(d2, "DELETE FROM audit_log WHERE seq = 3");
    let o = vigie(d2, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert_contains(&stdout(&o), "entries were removed from the end");
}

/// `vigie demo --listen 127.0.0.1:0` serves the seeded set-up: the check commands' shape.
#[test]
fn demo_serves_the_seeded_sharing_setup() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, stdout) = crate::support::start_demo(dir.path());
    let mut lines = BufReader::new(stdout).lines();
    let mut base = None;
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.strip_prefix("Serving the Vigie API on ") {
            base = Some(rest.split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    let base = base.unwrap_or_else(|| panic!("no address printed:\n{printed}"));
    assert_contains(&printed, "every password: vigie-demo-2026");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let r = c
            .post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"username": "mli-nia.publisher", "password": "vigie-demo-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let reports: serde_json::Value = c.get(format!("{base}/reports")).send().await.unwrap().json().await.unwrap();
        let titles: Vec<String> = reports["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect();
        // Mali left ECOWAS: the 2024 ECOWAS assessment is hidden; its own AMBER+STRICT
        // note and the RED report naming it are not.
        assert!(!titles.iter().any(|t| t.contains("spillover")), "{titles:?}");
        assert!(titles.iter().any(|t| t.contains("Ménaka")), "{titles:?}");
        assert!(titles.iter().any(|t| t.contains("Source report")), "{titles:?}");
        let c2 = reqwest::Client::builder().cookie_store(true).build().unwrap();
        c2.post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"username": "ben-nia.reader", "password": "vigie-demo-2026"}))
            .send()
            .await
            .unwrap();
        let reports: serde_json::Value = c2.get(format!("{base}/reports")).send().await.unwrap().json().await.unwrap();
        let titles: Vec<String> = reports["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect();
        assert!(titles.iter().any(|t| t.contains("spillover")), "{titles:?}");
        assert!(!titles.iter().any(|t| t.contains("Ménaka")), "{titles:?}");
        let events: serde_json::Value = c2.get(format!("{base}/events?limit=1")).send().await.unwrap().json().await.unwrap();
        assert!(events["total"].as_u64().unwrap() >= 3391, "{events}");
    });
}

/// The command line reads through the same gate: the public viewer sees only TLP:CLEAR,
/// `--as` a user sees what their organisation may see, on every read command.
#[test]
fn command_line_reads_pass_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::support::seed(d, &crate::support::demo_world());
    let ids = |args: &[&str]| -> Vec<String> {
        let out = ok(vigie(d, args));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["source_id"].as_str().unwrap().to_string())
            .collect()
    };
    // The demo's five field reports are restricted; nobody public sees them.
    assert!(ids(&["events", "--source", "vigie", "--format", "json"]).is_empty());
    // Mali's agency: its own report (Nouakchott Process), Burkina Faso's (same community)
    // and Niger's AMBER+STRICT one naming it; not Benin's (ECOWAS, which Mali left) nor
    // Togo's (organisation only).
    assert_eq!(
        ids(&[
            "--as",
            "mli-nia.reader",
            "events",
            "--source",
            "vigie",
            "--format",
            "json"
        ]),
        ["demo-001", "demo-002", "demo-003"]
    );
    assert_eq!(
        ids(&[
            "--as",
            "ben-nia.reader",
            "events",
            "--source",
            "vigie",
            "--format",
            "json"
        ]),
        ["demo-004"]
    );
    // A site-admin reads nothing extra.
    assert!(ids(&["--as", "admin", "events", "--source", "vigie", "--format", "json"]).is_empty());
    // `event` answers a hidden event exactly like a missing one.
    let hidden = vigie(d, &["--as", "ben-nia.reader", "event", "vigie:demo-005"]);
    let missing = vigie(d, &["--as", "ben-nia.reader", "event", "vigie:demo-999"]);
    assert!(!hidden.status.success());
    assert_eq!(
        stderr(&hidden).replace("demo-005", "X"),
        stderr(&missing).replace("demo-999", "X")
    );
    ok(vigie(
        d,
        &["--as", "tgo-nia.reader", "event", "vigie:demo-005"],
    ));
    // Restricted reads through the command line are audited like the API's.
    let audit = ok(vigie(d, &["audit", "list"]));
    assert!(
        audit.lines().any(
            |l| l.contains("\"actor\":\"mli-nia.reader\"") && l.contains("\"action\":\"read\"")
        ),
        "{audit}"
    );
    ok(vigie(d, &["audit", "verify"]));
    // Statistics count only what the reader may see.
    let stats = |who: &str| -> i64 {
        let out = ok(vigie(
            d,
            &[
                "--as",
                who,
                "stats",
                "--by",
                "country-month",
                "--source",
                "vigie",
                "--format",
                "json",
            ],
        ));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["events"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(stats("mli-nia.reader"), 3);
    // Togo: its own report, and Benin's shared with ECOWAS.
    assert_eq!(stats("tgo-nia.reader"), 2);
}
