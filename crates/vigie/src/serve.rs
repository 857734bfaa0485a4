//! `vigie serve`: the HTTP server (API and UI) on the configured store.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use vigie_store::Store;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port, printed at start)
    #[arg(
        long,
        env = "VIGIE_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    pub listen: String,
    /// Mark session cookies Secure (set this when serving behind TLS)
    #[arg(long, env = "VIGIE_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

/// Serves `store` until the process is stopped.
pub async fn serve_store(store: Box<dyn Store>, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    println!("Serving the Vigie API on http://{addr}/api/v1 (OpenAPI: http://{addr}/api/v1/openapi.json)");
    let store: Arc<dyn Store> = Arc::from(store);
    let state = vigie_server::AppState::new(
        store,
        vigie_server::Config {
            secure_cookies: args.secure_cookies,
        },
    );
    vigie_server::serve(listener, state)
        .await
        .context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}

pub async fn run(at: &crate::cli::StoreAt, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    serve_store(store, &args).await
}
