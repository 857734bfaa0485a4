use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file of the repository's real data (`data/`, see `vigie-testdata`).
pub fn data(file: &str) -> PathBuf {
    PathBuf::from(file)
}

pub use vigie_testdata::{GDELT_SAMPLE, GED_CANDIDATE, GED_SAMPLE};

/// `vigie --data-dir DIR ARGS…`, with the environment cleared of VIGIE_* settings.
pub fn vigie(data_dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.env_remove("VIGIE_DATA_DIR")
        .env_remove("VIGIE_STRICT")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args);
    cmd.output().expect("run vigie")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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

/// How many events the store in `dir` holds, read through the store itself.
pub fn count_events(dir: &Path) -> u64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = vigie_store_sqlite::SqliteStore::open_dir(dir)
            .await
            .unwrap();
        let n = vigie_store::Records::count_events(
            &store,
            &vigie_core::Viewer::public(chrono::Utc::now().date_naive()),
            &Default::default(),
        )
        .await
        .unwrap();
        store.close().await;
        n
    })
}

/// The demo's world, read from `data/demo/` as `vigie demo` reads it.
pub fn demo_world() -> vigie_store::world::World {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let mut world = vigie_store::world::World::new();
    for file in ["directory.toml", "records.toml", "coordination.toml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        world.merge(toml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}")));
    }
    world
}

/// Writes `world` into the embedded store in `dir`, as `vigie demo` seeds its own (passwords
/// hashed by the application's argon2id).
pub fn seed(dir: &Path, world: &vigie_store::world::World) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = vigie_store_sqlite::SqliteStore::open_dir(dir)
            .await
            .unwrap();
        world
            .seed(&store, &vigie_app::accounts::hash_password)
            .await
            .expect("seed the world");
        store.close().await;
    })
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .env_remove("VIGIE_DATA_DIR")
        .env_remove("VIGIE_LISTEN")
        .arg("--data-dir")
        .arg(dir)
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    (KillOnDrop(child), stdout)
}
