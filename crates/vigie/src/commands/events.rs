//! `vigie events`: list events, streaming, in a table, CSV, JSON or GeoJSON.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use futures::TryStreamExt;
use vigie_store::Store;

use clap::Args;

use crate::args::{FilterArgs, OutputFormat};
use vigie_app::output::EventWriter;

pub async fn run(at: &crate::store_at::StoreAt, args: EventsArgs) -> anyhow::Result<ExitCode> {
    let mut filter = args.filter.to_filter()?;
    filter.limit = args.limit;
    let store = crate::store_at::open_store(at).await?;
    let viewer = at.viewer(store.as_ref()).await?;
    let result = write_events(
        store.as_ref(),
        &viewer,
        &filter,
        args.format,
        BufWriter::new(std::io::stdout().lock()),
    )
    .await;
    store.close().await;
    match result {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
    }
}

/// Streams the matching events to `out`; returns how many were written.
pub async fn write_events<W: Write>(
    store: &dyn Store,
    viewer: &vigie_core::Viewer,
    filter: &vigie_store::EventFilter,
    format: OutputFormat,
    out: W,
) -> anyhow::Result<u64> {
    let mut writer = EventWriter::new(format.into(), out)?;
    let mut events = store.events(viewer, filter);
    let mut restricted = Vec::new();
    while let Some(e) = events.try_next().await? {
        if e.marking != vigie_core::Marking::Clear {
            restricted.push(e.id.to_string());
        }
        writer.write(&e)?;
    }
    drop(events);
    let written = writer.finish()?;
    audit_read(store, viewer, restricted).await?;
    Ok(written)
}

/// Records, as the API does, a read of records that are not TLP:CLEAR (identifiers only;
/// the actor is the `--as` user, through the command line).
pub async fn audit_read(
    store: &dyn Store,
    viewer: &vigie_core::Viewer,
    ids: Vec<String>,
) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    store
        .audit(&vigie_store::audit::NewAuditEntry {
            actor: viewer.user_id().map(str::to_string),
            actor_org: viewer.org().map(str::to_string),
            action: "read".into(),
            record_kind: Some("event".into()),
            record_id: (ids.len() == 1).then(|| ids[0].clone()),
            detail: serde_json::json!({ "ids": ids, "via": "cli" }),
        })
        .await?;
    Ok(())
}

/// `vigie events | head` closes the pipe early; that is not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `vigie event ID`: one event and its history, as JSON.
pub async fn show(at: &crate::store_at::StoreAt, id: &str) -> anyhow::Result<ExitCode> {
    let uuid = match uuid::Uuid::parse_str(id) {
        Ok(u) => u,
        Err(_) => {
            let Some((source, source_id)) = id.split_once(':') else {
                anyhow::bail!(
                    "{id:?} is neither an event UUID nor SOURCE:ID (e.g. ucdp-ged:492699)"
                );
            };
            let source: vigie_core::Source = source
                .parse()
                .map_err(|e: vigie_core::CheckError| anyhow::anyhow!(e.message))?;
            vigie_core::Event::stable_id(source, source_id)
        }
    };
    let store = crate::store_at::open_store(at).await?;
    let viewer = at.viewer(store.as_ref()).await?;
    let event = store.event(&viewer, uuid).await?;
    let history = store.event_history(&viewer, uuid).await?;
    if let Some((e, a)) = &event {
        if a.marking != vigie_core::Marking::Clear {
            audit_read(store.as_ref(), &viewer, vec![e.id.to_string()]).await?;
        }
    }
    store.close().await;
    let Some(event) = event else {
        anyhow::bail!("no event {id}");
    };
    let (event, audience) = event;
    let doc = serde_json::json!({ "event": event, "audience": audience, "history": history });
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// At most this many events
    #[arg(long)]
    pub limit: Option<u64>,
}
