//! `vigie alerts`: the alerts of the rules the reader may see, computed on what the reader
//! may see (`--as USER`, else the public), and one round of webhook delivery.

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Print the reader's alerts, one JSON object per line
    List,
    /// Deliver new alerts to their rules' webhooks once (each rule evaluated as its creator)
    Deliver {
        /// URL prefixes webhooks may point to, comma-separated (none by default)
        #[arg(long, env = "VIGIE_WEBHOOK_ALLOW", value_name = "URLS", default_value = "", value_parser = crate::args::parse_allow)]
        webhook_allow: vigie_app::webhook::AllowList,
    },
}

pub async fn run(at: &crate::store_at::StoreAt, cmd: AlertsCommand) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let result = match cmd {
        AlertsCommand::List => {
            let viewer = at.viewer(store.as_ref()).await?;
            let assessment = vigie_app::reads::Reader::new(store.as_ref(), &viewer)
                .via("cli")
                .assessment()
                .await?;
            for a in &assessment.alerts {
                println!("{}", serde_json::to_string(a)?);
            }
            eprintln!("{} alerts", assessment.alerts.len());
            if !assessment.unassessed.is_empty() {
                eprintln!(
                    "{} could not be assessed (no complete source covers the months they rest on):",
                    assessment.unassessed.len()
                );
                for u in &assessment.unassessed {
                    eprintln!("  {}", u.reason);
                }
            }
            let f = &assessment.freshness;
            match (&f.data_until, f.months_behind, f.stale) {
                (Some(u), Some(m), true) => eprintln!(
                    "The data end in {u}, {m} months ago: these alerts describe then, not now."
                ),
                (Some(u), _, false) => eprintln!("The data end in {u}."),
                _ => {
                    eprintln!("No coverage recorded: `vigie coverage` says what the sources cover.")
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AlertsCommand::Deliver { webhook_allow } => {
            let client = vigie_app::webhook::client();
            let today = chrono::Utc::now().date_naive();
            let report =
                vigie_app::webhook::deliver(store.as_ref(), &client, &webhook_allow, today).await?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(if report.failed > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    };
    store.close().await;
    result
}
