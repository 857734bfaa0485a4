//! A throwaway PostgreSQL for tests: one cluster per test binary (`initdb` and `pg_ctl` on
//! a temporary directory and a free port, trust authentication on 127.0.0.1), and a fresh
//! database per test, so that tests are isolated and run in parallel.
//!
//! The binaries are looked up on `PATH`, then under `/usr/lib/postgresql/*/bin` (newest
//! first). Where they are missing, [`TestDb::create`] says so loudly on stderr and returns
//! `None` so that the test can skip, unless `VIGIE_REQUIRE_POSTGRES=1`, under which it
//! panics. PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres`
//! system user (which the Debian package creates).
//!
//! A watchdog process stops the cluster (`pg_ctl stop -m immediate`) and removes its
//! directory as soon as the test binary exits, however it exits: it waits for the end of a
//! pipe that only the test binary holds open.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use sqlx::{Connection, Executor, PgConnection};

use crate::PostgresStore;

/// Set to `1` to make a missing PostgreSQL fail tests instead of skipping them.
pub const REQUIRE_ENV: &str = "VIGIE_REQUIRE_POSTGRES";

/// A running throwaway cluster.
pub struct Cluster {
    port: u16,
    dir: PathBuf,
    /// Closing this pipe makes the watchdog stop the cluster.
    watchdog: Mutex<Option<(Child, ChildStdin)>>,
}

impl Cluster {
    /// A URL for `database` on this cluster, as the superuser `postgres`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's temporary directory (data directory, socket directory, server log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stops the cluster now, waiting for it.
    pub fn stop(&self) {
        let taken = self.watchdog.lock().map(|mut w| w.take()).unwrap_or(None);
        if let Some((mut child, stdin)) = taken {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The test binary's cluster, started on first use; `None` when PostgreSQL is not
/// installed and not required.
pub fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            let Some(bin) = find_bin_dir() else {
                if required() {
                    panic!(
                        "{REQUIRE_ENV}=1 but no PostgreSQL binaries (initdb, pg_ctl) were found \
                         on PATH or under /usr/lib/postgresql/*/bin"
                    );
                }
                vigie_testdata::skipping(
                    "the PostgreSQL tests of this test binary",
                    "initdb and pg_ctl are not on PATH nor under /usr/lib/postgresql/*/bin \
                     (apt-get install postgresql)",
                    &format!("{REQUIRE_ENV}=1"),
                );
                return None;
            };
            Some(start(&bin).unwrap_or_else(|e| panic!("cannot start a test PostgreSQL: {e}")))
        })
        .as_ref()
}

fn required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| v.trim() == "1")
}

/// A fresh, empty database on the test cluster.
#[derive(Debug, Clone)]
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// Creates `t_<n>` on the cluster; `None` (after a loud message) when PostgreSQL is
    /// missing and not required.
    pub async fn create() -> Option<TestDb> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let cluster = cluster()?;
        let name = format!("t_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = PgConnection::connect(&cluster.url("postgres"))
            .await
            .expect("connect to the test cluster");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        let _ = admin.close().await;
        Some(TestDb {
            url: cluster.url(&name),
            name,
        })
    }

    /// A store on this database (migrations applied).
    pub async fn store(&self) -> PostgresStore {
        PostgresStore::connect(&self.url)
            .await
            .expect("open the test store")
    }
}

/// A store on a fresh database, which derefs to [`PostgresStore`]; `None` when skipping.
pub async fn temp_store() -> Option<TempStore> {
    let db = TestDb::create().await?;
    let store = db.store().await;
    Some(TempStore { store, db })
}

/// A store with the database it lives in.
pub struct TempStore {
    pub store: PostgresStore,
    pub db: TestDb,
}

impl std::ops::Deref for TempStore {
    type Target = PostgresStore;
    fn deref(&self) -> &PostgresStore {
        &self.store
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`.
fn find_bin_dir() -> Option<PathBuf> {
    let complete = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    if let Some(pg_ctl) = on_path("pg_ctl") {
        // Debian links `/usr/local/bin/pg_ctl` and the like to the versioned directory.
        let real = std::fs::canonicalize(&pg_ctl).unwrap_or(pg_ctl);
        if let Some(dir) = real.parent().filter(|d| complete(d)) {
            return Some(dir.to_path_buf());
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| complete(d))
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `program args…`, as the `postgres` user when we are root.
fn command(program: &Path, args: &[&str]) -> Command {
    if is_root() {
        if let Some(runuser) = on_path("runuser").or_else(|| {
            ["/usr/sbin/runuser", "/sbin/runuser"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        }) {
            let mut c = Command::new(runuser);
            c.args(["-u", "postgres", "--"]).arg(program).args(args);
            return c;
        }
        let mut line = shell_quote(&program.to_string_lossy());
        for a in args {
            line.push(' ');
            line.push_str(&shell_quote(a));
        }
        let mut c = Command::new("su");
        c.args(["postgres", "-s", "/bin/sh", "-c", &line]);
        return c;
    }
    let mut c = Command::new(program);
    c.args(args);
    c
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn run(mut cmd: Command, what: &str, log: &Path) -> Result<(), String> {
    let out_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err_file = out_file.try_clone().map_err(|e| e.to_string())?;
    let status = cmd
        .stdin(Stdio::null())
        .stdout(out_file)
        .stderr(err_file)
        .status()
        .map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        let output = std::fs::read_to_string(log).unwrap_or_default();
        Err(format!("{what} failed ({status}):\n{output}"))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok(port)
}

fn start(bin: &Path) -> Result<Cluster, String> {
    let dir = tempfile::Builder::new()
        .prefix("vigie-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let data = dir.join("data");
    let sock = dir.join("sock");
    std::fs::create_dir(&sock).map_err(|e| e.to_string())?;
    if is_root() {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !status.success() {
            return Err(format!(
                "chown {} to the postgres user failed: does the `postgres` user exist?",
                dir.display()
            ));
        }
    }
    let data_s = data.to_string_lossy().into_owned();
    // Command output goes to files the postgres user may write: the cluster's own directory.
    run(
        command(
            &bin.join("initdb"),
            &[
                "-D",
                &data_s,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        ),
        "initdb",
        &dir.join("initdb.log"),
    )?;
    let watchdog = watchdog(bin, &dir, &data_s)?;
    let log = dir.join("server.log").to_string_lossy().into_owned();
    let mut last_err = String::new();
    // Another process may take the port between our probe and the server's bind: retry.
    for _ in 0..5 {
        let port = free_port()?;
        let options = format!(
            "-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=300",
            sock.display()
        );
        match run(
            command(
                &bin.join("pg_ctl"),
                &[
                    "start", "-D", &data_s, "-w", "-t", "60", "-l", &log, "-o", &options,
                ],
            ),
            "pg_ctl start",
            &dir.join("pg_ctl.log"),
        ) {
            Ok(()) => {
                return Ok(Cluster {
                    port,
                    dir,
                    watchdog: Mutex::new(Some(watchdog)),
                })
            }
            Err(e) => {
                let server_log = std::fs::read_to_string(&log).unwrap_or_default();
                last_err = format!("{e}\nserver log:\n{server_log}");
            }
        }
    }
    Err(last_err)
}

/// A shell that waits for its stdin to close (when this process exits, however it exits),
/// then stops the cluster and removes its directory. It runs in a process group of its
/// own, so that a Ctrl-C meant for the tests does not kill it first.
fn watchdog(bin: &Path, dir: &Path, data: &str) -> Result<(Child, ChildStdin), String> {
    let pg_ctl = bin.join("pg_ctl");
    let stop = command(&pg_ctl, &["stop", "-D", data, "-m", "immediate", "-w"]);
    let mut line = shell_quote(&stop.get_program().to_string_lossy());
    for a in stop.get_args() {
        line.push(' ');
        line.push_str(&shell_quote(&a.to_string_lossy()));
    }
    let script = format!(
        "cat >/dev/null; {line} >/dev/null 2>&1; rm -rf {}",
        shell_quote(&dir.to_string_lossy())
    );
    let mut child = Command::new("/bin/sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))?;
    let stdin = child.stdin.take().expect("piped stdin");
    Ok((child, stdin))
}
