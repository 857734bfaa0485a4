use crate::support::*;

/// The GED sample with row `bad_index` (0-based data row) given a bad `best`: the file
/// and the line of that row.
fn ged_with_bad_best(dir: &std::path::Path, bad_index: usize) -> (std::path::PathBuf, u64) {
    let path = dir.join("events.csv");
    let line = ged_sample_with_best(&path, "abc", |i, _| i == bad_index);
    (path, line)
}

#[test]
fn a_bad_row_is_rejected_precisely_and_every_good_row_imports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (file, line) = ged_with_bad_best(dir.path(), 500);
    let o = vigie(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "rejects make the exit non-zero");
    let err = stderr(&o);
    let want = format!(
        "{}:{line}: column 'best': \"abc\" is not a whole number",
        file.display()
    );
    assert_contains(&err, &want);
    let out = stdout(&o);
    assert_contains(&out, "999 imported, 0 updated, 0 unchanged, 1 rejected");
    assert_eq!(count_events(&data), 999);

    // The rejects file holds the reason and the whole original row.
    let rejects: Vec<_> = std::fs::read_dir(data.join("rejects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(rejects.len(), 1);
    let mut r = csv::Reader::from_path(&rejects[0]).unwrap();
    let h = r.headers().unwrap().clone();
    assert_eq!(
        h.iter().take(4).collect::<Vec<_>>(),
        vec!["line", "field", "value", "reason"]
    );
    let recs: Vec<_> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 1);
    assert_eq!(&recs[0][0], line.to_string().as_str());
    assert_eq!(&recs[0][1], "best");
    assert_eq!(&recs[0][2], "abc");
    assert_eq!(&recs[0][3], "is not a whole number");
    assert_eq!(recs[0].len(), 4 + 49);
}

#[test]
fn strict_aborts_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (file, line) = ged_with_bad_best(dir.path(), 998);
    let o = vigie(&data, &["import", "--strict", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_contains(&err, &format!(":{line}: column 'best'"));
    assert_contains(&err, "nothing from");
    assert_eq!(count_events(&data), 0);
}

fn assert_fails_clean(content: &[u8], name: &str, expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join(name);
    std::fs::write(&file, content).unwrap();
    let o = vigie(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(expect), "{name}: wanted {expect:?} in:\n{err}");
    assert!(
        err.contains(&file.display().to_string()),
        "{name}: the message names the file:\n{err}"
    );
    assert_eq!(count_events(&data), 0, "{name}: nothing written");
}

#[test]
fn broken_files_fail_before_anything_is_written() {
    let ged = std::fs::read(data(GED_SAMPLE)).unwrap();
    let text = String::from_utf8(ged.clone()).unwrap();
    assert_fails_clean(b"", "empty.csv", "empty");
    assert_fails_clean(b"foo,bar,baz\n1,2,3\n", "unknown.csv", "unknown format");
    // A required column removed.
    let no_best = text.replacen(",best,", ",bestx,", 1);
    assert_fails_clean(no_best.as_bytes(), "nobest.csv", "best");
    // The wrong delimiter.
    let header_semi = text.lines().next().unwrap().replace(',', ";");
    assert_fails_clean(
        format!("{header_semi}\n1;2;3\n").as_bytes(),
        "semicolon.csv",
        "delimiter",
    );
    // Cut off in the middle of the last record: nothing at all is written, even the good rows before it.
    let cut = &ged[..ged.len() - 300];
    assert_fails_clean(cut, "truncated.csv", "truncated");
}
