use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vigie_store::world::World;
use vigie_store_sqlite::SqliteStore;

/// A file of the repository's real data (`data/`, see `vigie-testdata`).
pub fn data(file: &str) -> PathBuf {
    PathBuf::from(file)
}

pub use vigie_testdata::{GDELT_SAMPLE, GED_CANDIDATE, GED_SAMPLE};

/// `vigie --data-dir DIR ARGS…`, to run, with the environment cleared of VIGIE_* settings.
pub fn vigie_command(data_dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.env_remove("VIGIE_DATA_DIR")
        .env_remove("VIGIE_DATABASE_URL")
        .env_remove("VIGIE_STRICT")
        .env_remove("VIGIE_LISTEN")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args);
    cmd
}

/// `vigie --data-dir DIR ARGS…`, run to its end.
pub fn vigie(data_dir: &Path, args: &[&str]) -> Output {
    vigie_command(data_dir, args).output().expect("run vigie")
}

/// `vigie --data-dir DIR --database URL ARGS…`, run to its end.
pub fn vigie_on(url: &str, data_dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--database", url];
    all.extend(args);
    vigie(data_dir, &all)
}

/// The words of a command line, for [`vigie`]: `&words("events --country MLI")`.
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that `text` (what a command printed) contains `want`.
#[track_caller]
pub fn assert_contains(text: &str, want: &str) {
    assert!(text.contains(want), "{want:?} is not in:\n{text}");
}

/// Asserts success and returns stdout.
pub fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "vigie failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        o.status,
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// A runtime for a test's own async work, on the test's thread.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `f` on the embedded store in `dir`, opened for it and closed after.
pub fn with_store<T>(dir: &Path, f: impl AsyncFnOnce(&SqliteStore) -> T) -> T {
    runtime().block_on(async {
        let store = SqliteStore::open_dir(dir).await.unwrap();
        let out = f(&store).await;
        store.close().await;
        out
    })
}

/// How many events the store in `dir` holds, read through the store itself.
pub fn count_events(dir: &Path) -> u64 {
    with_store(dir, async |store| {
        vigie_store::Records::count_events(
            store,
            &vigie_core::Viewer::public(chrono::Utc::now().date_naive()),
            &Default::default(),
        )
        .await
        .unwrap()
    })
}

/// The demo's world, read from `data/demo/` as `vigie demo` reads it.
pub fn demo_world() -> World {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let mut world = World::new();
    for file in ["directory.toml", "records.toml", "coordination.toml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        world.merge(toml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}")));
    }
    world
}

/// Writes `world` into the embedded store in `dir`, as `vigie demo` seeds its own (passwords
/// hashed by the application's argon2id).
pub fn seed(dir: &Path, world: &World) {
    with_store(dir, async |store| {
        world
            .seed(store, &vigie_app::accounts::hash_password)
            .await
            .expect("seed the world")
    })
}

/// The store `vigie demo` builds in `dir`, but for its forecasts: the bundled UCDP files
/// imported, then the demo's world seeded.
pub fn demo_records(dir: &Path) {
    ok(vigie(
        dir,
        &[
            "import",
            data(GED_CANDIDATE).to_str().unwrap(),
            data(GED_SAMPLE).to_str().unwrap(),
        ],
    ));
    seed(dir, &demo_world());
}

/// GED_SAMPLE written to `path` with the `best` of every row `pick` chooses (by its index
/// among the data rows and its record) set to `best`; returns the line of the last row
/// changed (0 if none was).
pub fn ged_sample_with_best(
    path: &Path,
    best: &str,
    pick: impl Fn(usize, &csv::StringRecord) -> bool,
) -> u64 {
    let mut r = csv::Reader::from_path(data(GED_SAMPLE)).unwrap();
    let h = r.headers().unwrap().clone();
    let bi = h.iter().position(|x| x == "best").unwrap();
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(&h).unwrap();
    let mut line = 0;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let mut f: Vec<String> = rec.iter().map(str::to_string).collect();
        if pick(i, &rec) {
            f[bi] = best.into();
            line = rec.position().unwrap().line();
        }
        w.write_record(&f).unwrap();
    }
    w.flush().unwrap();
    line
}

/// Writes a GED-format file of `rows` events to `file`, resampled from real ones by
/// `vigie bench generate`.
pub fn generate(data_dir: &Path, file: &Path, rows: u64) {
    ok(vigie(
        data_dir,
        &[
            "bench",
            "generate",
            "--rows",
            &rows.to_string(),
            "--out",
            file.to_str().unwrap(),
        ],
    ));
}

/// GED_SAMPLE with event 300380's `best` changed from 2 to 5, as `dir/changed.csv`:
/// re-importing it updates one event.
pub fn changed_sample(dir: &Path) -> PathBuf {
    let path = dir.join("changed.csv");
    ged_sample_with_best(&path, "5", |_, rec| &rec[0] == "300380");
    path
}

/// A process killed (and reaped) when dropped, however the test ends.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `vigie --data-dir DIR demo --listen 127.0.0.1:0`; its standard output says where
/// it serves.
pub fn start_demo(dir: &Path) -> (KillOnDrop, std::process::ChildStdout) {
    let mut child = vigie_command(dir, &["demo", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    (KillOnDrop(child), stdout)
}
