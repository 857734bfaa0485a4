//! `vigie events`: list events, streaming, in a table, CSV, JSON or GeoJSON.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use vigie_store::Store;

use clap::Args;

use crate::args::{FilterArgs, OutputFormat};
use vigie_app::output::EventWriter;
use vigie_app::reads::Reader;

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

/// Streams the matching events to `out`, reading as `viewer` through the command line (the
/// restricted ones are audited); returns how many were written.
pub async fn write_events<W: Write>(
    store: &dyn Store,
    viewer: &vigie_core::Viewer,
    filter: &vigie_store::EventFilter,
    format: OutputFormat,
    out: W,
) -> anyhow::Result<u64> {
    let mut writer = EventWriter::new(format.into(), out)?;
    Reader::new(store, viewer)
        .via("cli")
        .each_event(filter, |e| writer.write(e).map_err(anyhow::Error::from))
        .await?;
    Ok(writer.finish()?)
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
    let found = Reader::new(store.as_ref(), &viewer)
        .via("cli")
        .event_with_history(uuid)
        .await;
    store.close().await;
    let Some((event, audience, history)) = found? else {
        anyhow::bail!("no event {id}");
    };
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
