//! `vigie coord`, end to end through the binary: the store's problem as the reader sees
//! it, written to a file, edited, solved from the file; bad files named precisely.

use crate::support::{assert_contains, demo_world, ok, seed, stderr, vigie};

#[test]
fn allocation_runs_on_the_store_and_on_a_problem_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    seed(d, &demo_world());
    // The secretariat sees the demo's seven tasks; the public sees none of them.
    let problem: serde_json::Value = serde_json::from_str(&ok(vigie(
        d,
        &["--as", "secretariat.publisher", "coord", "problem"],
    )))
    .unwrap();
    assert_eq!(problem["tasks"].as_array().unwrap().len(), 9);
    assert_eq!(problem["organisations"].as_array().unwrap().len(), 14);
    let public: serde_json::Value =
        serde_json::from_str(&ok(vigie(d, &["coord", "problem"]))).unwrap();
    assert_eq!(public["tasks"], serde_json::json!([]));

    let from_store: serde_json::Value = serde_json::from_str(&ok(vigie(
        d,
        &["--as", "secretariat.publisher", "coord", "allocate"],
    )))
    .unwrap();
    assert_eq!(from_store["optimal"], true);
    let assigned = from_store["assignments"].as_array().unwrap();
    assert!(!assigned.is_empty());
    for a in assigned {
        assert!(!a["reason"].as_str().unwrap().is_empty());
        assert_eq!(a["alternatives"].as_array().unwrap().len(), 13, "{a}");
    }

    // The same problem from a file gives the same assignment (the file has no audiences,
    // so organisations that could not read a task must be excluded in it: they are).
    let file = d.join("problem.json");
    std::fs::write(&file, serde_json::to_string_pretty(&problem).unwrap()).unwrap();
    let from_file: serde_json::Value = serde_json::from_str(&ok(vigie(
        d,
        &["coord", "allocate", "--input", file.to_str().unwrap()],
    )))
    .unwrap();
    let pairs = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["task"].to_string(), a["org"].to_string()))
            .collect()
    };
    assert_eq!(pairs(&from_file), pairs(&from_store));

    // What-if from the command line: exclude every organisation assigned before.
    let mut args = vec!["coord", "allocate", "--input", file.to_str().unwrap()];
    let excluded: Vec<String> = assigned
        .iter()
        .map(|a| a["org"].as_str().unwrap().to_string())
        .collect();
    for o in &excluded {
        args.extend(["--exclude", o.as_str()]);
    }
    let what_if: serde_json::Value = serde_json::from_str(&ok(vigie(d, &args))).unwrap();
    for a in what_if["assignments"].as_array().unwrap() {
        assert!(
            !excluded.contains(&a["org"].as_str().unwrap().to_string()),
            "{a}"
        );
    }

    // Bad files: where and why.
    std::fs::write(
        &file,
        "{\"as_of\": \"2026-01-01\",\n \"organisations\": [], \"tasks\": [{\"id\": 3}]}",
    )
    .unwrap();
    let o = vigie(d, &["coord", "allocate", "--input", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "problem.json:2:");
    let mut bad = problem.clone();
    bad["organisations"][0]["advantages"][0]["score"] = serde_json::json!(7.5);
    std::fs::write(&file, bad.to_string()).unwrap();
    let o = vigie(d, &["coord", "allocate", "--input", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_contains(&stderr(&o), "7.5");
    let o = vigie(d, &["coord", "allocate", "--pin", "nonsense"]);
    assert_contains(&stderr(&o), "TASK=ORG");
}
