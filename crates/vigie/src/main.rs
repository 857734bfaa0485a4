//! `vigie`: the one binary. It wires the ingest readers, the store and (later) the server.

mod args;
mod cli;
mod commands;
mod store_at;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's allocator: the importer allocates on its reader thread and
/// frees on the writer's, where glibc's arenas serialise (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            // perpetual warns on every fit that it reached its iteration cap, which `gbm`
            // sets on purpose (a fixed number of trees).
            tracing_subscriber::EnvFilter::try_from_env("VIGIE_LOG")
                .unwrap_or_else(|_| "warn,perpetual=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
