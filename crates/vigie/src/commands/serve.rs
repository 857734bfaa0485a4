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
    /// Seconds between rounds of alert delivery to webhooks (0: never)
    #[arg(
        long,
        env = "VIGIE_ALERT_INTERVAL",
        default_value_t = 300,
        value_name = "SECONDS"
    )]
    pub alert_interval: u64,
    /// URL prefixes alert webhooks may point to, comma-separated (none by default: no
    /// webhook can be set or called until the administrator lists where)
    #[arg(long, env = "VIGIE_WEBHOOK_ALLOW", value_name = "URLS", default_value = "", value_parser = crate::args::parse_allow)]
    pub webhook_allow: vigie_app::webhook::AllowList,
}

/// Serves `store` until the process is stopped.
pub async fn serve_store(store: Box<dyn Store>, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    println!("Serving the Vigie API on http://{addr}/api/v1 (OpenAPI: http://{addr}/api/v1/openapi.json)");
    let store: Arc<dyn Store> = Arc::from(store);
    if args.alert_interval > 0 {
        tokio::spawn(deliver_alerts(
            store.clone(),
            args.webhook_allow.clone(),
            std::time::Duration::from_secs(args.alert_interval),
        ));
    }
    let state = vigie_server::AppState::new(
        store,
        vigie_server::Config {
            secure_cookies: args.secure_cookies,
            webhook_allow: args.webhook_allow.clone(),
        },
    );
    vigie_server::serve(listener, state)
        .await
        .context("the server stopped")?;
    Ok(ExitCode::SUCCESS)
}

pub async fn run(at: &crate::store_at::StoreAt, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    serve_store(store, &args).await
}

/// Delivers new alerts to their webhooks every `every`, for as long as the server runs.
async fn deliver_alerts(
    store: Arc<dyn Store>,
    allow: vigie_app::webhook::AllowList,
    every: std::time::Duration,
) {
    let client = vigie_app::webhook::client();
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let today = chrono::Utc::now().date_naive();
        match vigie_app::webhook::deliver(store.as_ref(), &client, &allow, today).await {
            Ok(r) if r.sent + r.failed > 0 => tracing::info!(?r, "alert delivery"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "alert delivery failed"),
        }
    }
}
