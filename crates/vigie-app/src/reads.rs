//! Reading records as one reader. Every read goes through the store's gate with the
//! reader's [`Viewer`], and every read of a record that is not TLP:CLEAR is written to the
//! audit log (identifiers only) before the records are handed back: a channel reads
//! records through a [`Reader`] only, so no channel can forget the audit. Aggregates
//! (statistics, cells, actors) carry no record and are not audited.

use futures::TryStreamExt;
use uuid::Uuid;
use vigie_core::{
    Alert, AlertRule, Audience, Event, ForecastRun, Level, Marking, Report, Source, Task,
    UnitForecast, Viewer,
};
use vigie_store::audit::NewAuditEntry;
use vigie_store::{
    EventFilter, EventPoint, EventVersion, ReportFilter, StatRow, StatsBy, Store, StoreError,
    TaskEvent, TaskFilter,
};

/// One reader of the store, on one channel.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    store: &'a dyn Store,
    viewer: &'a Viewer,
    via: Option<&'static str>,
}

/// What kind of record an audited read read (the audit entry's `record_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadKind {
    Event,
    Report,
    Task,
    AlertRule,
    ForecastRun,
    Coverage,
}

impl ReadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadKind::Event => "event",
            ReadKind::Report => "report",
            ReadKind::Task => "task",
            ReadKind::AlertRule => "alert-rule",
            ReadKind::ForecastRun => "forecast-run",
            ReadKind::Coverage => "coverage",
        }
    }
}

/// A page of a list and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted<T> {
    pub total: u64,
    pub items: Vec<T>,
}

impl<'a> Reader<'a> {
    /// `viewer` reading `store` through the HTTP API (the default channel).
    pub fn new(store: &'a dyn Store, viewer: &'a Viewer) -> Reader<'a> {
        Reader {
            store,
            viewer,
            via: None,
        }
    }

    /// The same reader on another channel (e.g. `cli`), named in its audit entries.
    pub fn via(self, channel: &'static str) -> Reader<'a> {
        Reader {
            via: Some(channel),
            ..self
        }
    }

    pub fn viewer(&self) -> &'a Viewer {
        self.viewer
    }

    pub fn store(&self) -> &'a dyn Store {
        self.store
    }

    /// Records that this reader read these restricted records (nothing when empty).
    pub async fn audit(&self, kind: ReadKind, ids: Vec<String>) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut detail = serde_json::json!({ "ids": ids });
        if let Some(via) = self.via {
            detail["via"] = via.into();
        }
        let entry = NewAuditEntry {
            record_id: (ids.len() == 1).then(|| ids[0].clone()),
            ..self.entry("read", kind, detail)
        };
        self.store.audit(&entry).await?;
        Ok(())
    }

    /// Audits the restricted ones of these `(restricted, id)` pairs.
    async fn audit_marked(
        &self,
        kind: ReadKind,
        marked: impl IntoIterator<Item = (bool, String)>,
    ) -> Result<(), StoreError> {
        let ids = marked
            .into_iter()
            .filter(|(restricted, _)| *restricted)
            .map(|(_, id)| id)
            .collect();
        self.audit(kind, ids).await
    }

    async fn audit_records<'r, R: Shared + 'r>(
        &self,
        kind: ReadKind,
        records: impl IntoIterator<Item = &'r R>,
    ) -> Result<(), StoreError> {
        let marked = records
            .into_iter()
            .map(|r| (r.marking() != Marking::Clear, r.id_text()));
        self.audit_marked(kind, marked).await
    }

    // Events.

    /// The matching events (`limit` and `offset` apply).
    pub async fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
        let items: Vec<Event> = self.store.events(self.viewer, filter).try_collect().await?;
        self.audit_marked(ReadKind::Event, marked_events(&items))
            .await?;
        Ok(items)
    }

    /// A page of the matching events and how many match in all.
    pub async fn event_page(&self, filter: &EventFilter) -> Result<Counted<Event>, StoreError> {
        let total = self.store.count_events(self.viewer, filter).await?;
        let items = self.events(filter).await?;
        Ok(Counted { total, items })
    }

    /// Streams the matching events to `each` (memory stays flat); the restricted ones are
    /// audited when the stream ends, however it ends. Returns how many were handed over.
    pub async fn each_event<E: From<StoreError>>(
        &self,
        filter: &EventFilter,
        mut each: impl FnMut(&Event) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut restricted = Vec::new();
        let mut count = 0;
        let mut events = self.store.events(self.viewer, filter);
        let outcome = loop {
            match events.try_next().await {
                Ok(Some(e)) => {
                    if e.marking != Marking::Clear {
                        restricted.push(e.id.to_string());
                    }
                    if let Err(err) = each(&e) {
                        break Err(err);
                    }
                    count += 1;
                }
                Ok(None) => break Ok(count),
                Err(err) => break Err(E::from(err)),
            }
        };
        drop(events);
        self.audit(ReadKind::Event, restricted).await?;
        outcome
    }

    /// Begins an export of the matching events as a file of `format`: the export is
    /// audited before its first event is read, and [`Export::finish`] audits how it ended
    /// and the ids of the restricted events it carried.
    pub async fn export(
        &self,
        filter: &'a EventFilter,
        format: &'static str,
    ) -> Result<Export<'a>, StoreError> {
        self.store
            .audit(&self.entry(
                "export",
                ReadKind::Event,
                serde_json::json!({ "format": format }),
            ))
            .await?;
        Ok(Export {
            reader: *self,
            events: self.store.events(self.viewer, filter),
            format,
            restricted: Vec::new(),
            sent: 0,
        })
    }

    /// The audit entry of something this reader did with records of `kind`.
    fn entry(&self, action: &str, kind: ReadKind, detail: serde_json::Value) -> NewAuditEntry {
        NewAuditEntry {
            actor: self.viewer.user_id().map(str::to_string),
            actor_org: self.viewer.org().map(str::to_string),
            action: action.into(),
            record_kind: Some(kind.as_str().into()),
            record_id: None,
            detail,
        }
    }

    /// The matching events that have coordinates, as map points.
    pub async fn event_points(&self, filter: &EventFilter) -> Result<Vec<EventPoint>, StoreError> {
        let points = self.store.event_points(self.viewer, filter).await?;
        let marked = points
            .iter()
            .map(|p| (p.marking != Marking::Clear.as_str(), p.id.to_string()));
        self.audit_marked(ReadKind::Event, marked).await?;
        Ok(points)
    }

    /// How many events match.
    pub async fn count_events(&self, filter: &EventFilter) -> Result<u64, StoreError> {
        self.store.count_events(self.viewer, filter).await
    }

    /// An event and its audience; `None` when it does not exist or may not be seen.
    pub async fn event(&self, id: Uuid) -> Result<Option<(Event, Audience)>, StoreError> {
        let found = self.store.event(self.viewer, id).await?;
        self.audit_found_event(&found).await?;
        Ok(found)
    }

    /// The same, by the source's own id.
    pub async fn event_by_source(
        &self,
        source: Source,
        source_id: &str,
    ) -> Result<Option<(Event, Audience)>, StoreError> {
        let found = self
            .store
            .event_by_source(self.viewer, source, source_id)
            .await?;
        self.audit_found_event(&found).await?;
        Ok(found)
    }

    async fn audit_found_event(&self, found: &Option<(Event, Audience)>) -> Result<(), StoreError> {
        let marked = found
            .iter()
            .map(|(e, a)| (a.marking != Marking::Clear, e.id.to_string()));
        self.audit_marked(ReadKind::Event, marked).await
    }

    /// An event, its audience and its earlier versions; `None` as [`Reader::event`].
    pub async fn event_with_history(
        &self,
        id: Uuid,
    ) -> Result<Option<(Event, Audience, Vec<EventVersion>)>, StoreError> {
        let Some((event, audience)) = self.event(id).await? else {
            return Ok(None);
        };
        let history = self.store.event_history(self.viewer, id).await?;
        Ok(Some((event, audience, history)))
    }

    /// Events and fatalities per group (an aggregate: nothing to audit).
    pub async fn stats(
        &self,
        by: StatsBy,
        filter: &EventFilter,
    ) -> Result<Vec<StatRow>, StoreError> {
        let rows = self.store.stats(self.viewer, by, filter).await?;
        Ok(match by {
            StatsBy::Admin1 | StatsBy::Admin1Month => crate::region_names::merged(rows),
            _ => rows,
        })
    }

    /// The actors of the most events (an aggregate).
    pub async fn top_actors(
        &self,
        filter: &EventFilter,
        limit: u64,
    ) -> Result<Vec<vigie_store::ActorRow>, StoreError> {
        self.store.top_actors(self.viewer, filter, limit).await
    }

    /// Events and fatalities per PRIO-GRID cell (an aggregate).
    pub async fn grid_cells(
        &self,
        filter: &EventFilter,
        by_category: bool,
    ) -> Result<Vec<vigie_store::GridCell>, StoreError> {
        self.store
            .grid_cells(self.viewer, filter, by_category)
            .await
    }

    // Reports.

    /// A page of the matching reports, newest first, and how many match in all.
    pub async fn report_page(&self, filter: &ReportFilter) -> Result<Counted<Report>, StoreError> {
        let total = self.store.count_reports(self.viewer, filter).await?;
        let items = self.store.reports(self.viewer, filter).await?;
        self.audit_records(ReadKind::Report, items.iter()).await?;
        Ok(Counted { total, items })
    }

    /// A report; `None` when it does not exist or may not be seen.
    pub async fn report(&self, id: Uuid) -> Result<Option<Report>, StoreError> {
        let found = self.store.report(self.viewer, id).await?;
        self.audit_records(ReadKind::Report, found.iter()).await?;
        Ok(found)
    }

    // Tasks.

    /// The matching tasks, by deadline.
    pub async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>, StoreError> {
        let items = self.store.tasks(self.viewer, filter).await?;
        self.audit_records(ReadKind::Task, items.iter()).await?;
        Ok(items)
    }

    /// A task; `None` when it does not exist or may not be seen.
    pub async fn task(&self, id: Uuid) -> Result<Option<Task>, StoreError> {
        let found = self.store.task(self.viewer, id).await?;
        self.audit_records(ReadKind::Task, found.iter()).await?;
        Ok(found)
    }

    /// A task's history as this reader may read it: the users of other organisations who
    /// moved it are not named (their organisation is), so a history is no directory of
    /// them. Empty when the task may not be seen.
    pub async fn task_events(&self, id: Uuid) -> Result<Vec<TaskEvent>, StoreError> {
        let mut history = self.store.task_events(self.viewer, id).await?;
        for e in &mut history {
            if e.actor_org.as_deref() != self.viewer.org() {
                e.actor = None;
            }
        }
        Ok(history)
    }

    // Alerts and forecasts.

    /// The alert rules, oldest first.
    pub async fn alert_rules(&self) -> Result<Vec<AlertRule>, StoreError> {
        let items = self.store.alert_rules(self.viewer).await?;
        self.audit_records(ReadKind::AlertRule, items.iter())
            .await?;
        Ok(items)
    }

    /// An alert rule; `None` when it does not exist or may not be seen.
    pub async fn alert_rule(&self, id: Uuid) -> Result<Option<AlertRule>, StoreError> {
        let found = self.store.alert_rule(self.viewer, id).await?;
        self.audit_records(ReadKind::AlertRule, found.iter())
            .await?;
        Ok(found)
    }

    /// The alerts of every rule this reader may see, on what this reader may see, with their
    /// acknowledgements; the restricted rules they come from are audited once each.
    pub async fn alerts(&self) -> Result<Vec<Alert>, StoreError> {
        Ok(self.assessment().await?.alerts)
    }

    /// [`Reader::alerts`], with the would-be alerts this reader's coverage could not decide
    /// and how fresh this reader's data are.
    pub async fn assessment(&self) -> Result<crate::alerts::Assessment, StoreError> {
        let mut assessment = crate::alerts::assess(self.store, self.viewer).await?;
        let items = &mut assessment.alerts;
        crate::alerts::with_acks(self.store, self.viewer, items).await?;
        let rules: std::collections::BTreeSet<(bool, String)> = items
            .iter()
            .map(|a| (a.marking != Marking::Clear.as_str(), a.rule.to_string()))
            .collect();
        self.audit_marked(ReadKind::AlertRule, rules).await?;
        Ok(assessment)
    }

    /// The coverage records of the sources, as this reader may see them, oldest first.
    pub async fn coverage(&self) -> Result<Vec<vigie_core::Coverage>, StoreError> {
        let items = self.store.coverage(self.viewer).await?;
        self.audit_records(ReadKind::Coverage, items.iter()).await?;
        Ok(items)
    }

    /// The forecast runs (of one level, if given), newest first.
    pub async fn forecast_runs(
        &self,
        level: Option<Level>,
    ) -> Result<Vec<ForecastRun>, StoreError> {
        let items = self.store.forecast_runs(self.viewer, level).await?;
        self.audit_records(ReadKind::ForecastRun, items.iter())
            .await?;
        Ok(items)
    }

    /// A forecast run; `None` when it does not exist or may not be seen.
    pub async fn forecast_run(&self, id: Uuid) -> Result<Option<ForecastRun>, StoreError> {
        let found = self.store.forecast_run(self.viewer, id).await?;
        self.audit_records(ReadKind::ForecastRun, found.iter())
            .await?;
        Ok(found)
    }

    /// A run and its forecasts (of these units, or all when empty): the run asked for, or
    /// else the newest of `level`. `Ok(None)` when there is no such run for this reader.
    pub async fn forecasts(
        &self,
        run: Option<Uuid>,
        level: Level,
        units: &[String],
    ) -> Result<Option<(ForecastRun, Vec<UnitForecast>)>, StoreError> {
        let run = match run {
            Some(id) => self.store.forecast_run(self.viewer, id).await?,
            None => self
                .store
                .forecast_runs(self.viewer, Some(level))
                .await?
                .into_iter()
                .next(),
        };
        let Some(run) = run else {
            return Ok(None);
        };
        let items = self
            .store
            .forecasts(self.viewer, run.id, units, None)
            .await?;
        self.audit_records(ReadKind::ForecastRun, [&run]).await?;
        Ok(Some((run, items)))
    }
}

/// An export under way (see [`Reader::export`]).
pub struct Export<'a> {
    reader: Reader<'a>,
    events: vigie_store::EventStream<'a>,
    format: &'static str,
    restricted: Vec<String>,
    sent: u64,
}

impl Export<'_> {
    /// The next event, counted as exported.
    pub async fn next(&mut self) -> Option<Result<Event, StoreError>> {
        let event = self.events.try_next().await.transpose()?;
        if let Ok(e) = &event {
            self.sent += 1;
            if e.marking != Marking::Clear {
                self.restricted.push(e.id.to_string());
            }
        }
        Some(event)
    }

    /// Audits the end of the export: how many events it carried, whether it `complete`d,
    /// and the restricted ones' ids.
    pub async fn finish(self, complete: bool) -> Result<(), StoreError> {
        let Export {
            reader,
            events,
            format,
            restricted,
            sent,
        } = self;
        drop(events);
        let detail = serde_json::json!({
            "format": format,
            "events": sent,
            "complete": complete,
            "restricted_ids": restricted,
        });
        reader
            .store
            .audit(&reader.entry("export-finished", ReadKind::Event, detail))
            .await?;
        Ok(())
    }
}

fn marked_events(events: &[Event]) -> impl Iterator<Item = (bool, String)> + '_ {
    events
        .iter()
        .map(|e| (e.marking != Marking::Clear, e.id.to_string()))
}

/// A record shared under an audience: reading it is audited unless it is TLP:CLEAR.
trait Shared {
    fn marking(&self) -> Marking;
    fn id_text(&self) -> String;
}

macro_rules! shared {
    ($($record:ty),*) => {$(
        impl Shared for $record {
            fn marking(&self) -> Marking {
                self.audience.marking
            }
            fn id_text(&self) -> String {
                self.id.to_string()
            }
        }
    )*};
}

shared!(Report, Task, AlertRule, ForecastRun, vigie_core::Coverage);
