//! Writing events and reports: creating them, editing reports, re-marking and re-sharing.
//! Seeing a record is not editing it: a writer must see the record (the gate) *and* pass
//! `vigie_core::audience::may_edit`, and every audience written passes
//! [`audience::checked`] (docs/sharing.md, "Writing").

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::audience::may_edit;
use vigie_core::{
    Actor, Audience, DatePrecision, Event, Fatalities, LocationPrecision, Period, Place,
    Provenance, Report, ReportStatus, Role, Source, ViolenceCategory,
};
use vigie_store::RecordKind;

use crate::audience::{self, AudienceInput};
use crate::author::Author;
use crate::error::{AppError, AppResult};
use crate::reads::Reader;

/// An event reported in Vigie (by a monitor or an analyst).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvent {
    /// The day it happened (YYYY-MM-DD).
    pub date: NaiveDate,
    /// The last day, for events over several days.
    pub date_end: Option<NaiveDate>,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub category: ViolenceCategory,
    pub description: Option<String>,
    /// 0 to `MAX_FATALITIES` (10,000,000).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub fatalities: Option<i64>,
    pub side_a: Option<String>,
    pub side_b: Option<String>,
    pub audience: AudienceInput,
}

fn check_new_event(n: &NewEvent) -> AppResult<()> {
    if let Some(c) = &n.country {
        if vigie_core::country::by_iso3(c).is_none() {
            return Err(AppError::invalid(
                "country",
                format!("{c:?} is not an ISO 3166 alpha-3 code"),
            ));
        }
    }
    if n.latitude.is_some() != n.longitude.is_some() {
        return Err(AppError::invalid(
            "latitude",
            "give both latitude and longitude, or neither",
        ));
    }
    if let Some(lat) = n.latitude {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(AppError::invalid(
                "latitude",
                format!("{lat} is outside -90..90"),
            ));
        }
    }
    if let Some(lon) = n.longitude {
        if !(-180.0..=180.0).contains(&lon) {
            return Err(AppError::invalid(
                "longitude",
                format!("{lon} is outside -180..180"),
            ));
        }
    }
    if n.date_end.is_some_and(|e| e < n.date) {
        return Err(AppError::invalid("date_end", "date_end is before date"));
    }
    if let Some(f) = n.fatalities {
        if let Some(reason) = vigie_core::fatality_count_problem(f) {
            return Err(AppError::invalid("fatalities", format!("{f} {reason}")));
        }
    }
    Ok(())
}

/// Writes a new event (source `vigie`) under the audience asked for; returns it as written.
pub async fn create_event(author: &Author<'_>, input: NewEvent) -> AppResult<(Event, Audience)> {
    author.require_writer()?;
    check_new_event(&input)?;
    let audience = audience::checked(author, None, input.audience.clone(), "audience.").await?;
    let source_id = uuid::Uuid::new_v4().to_string();
    let country = input.country.as_ref().map(|c| c.to_ascii_uppercase());
    let info = country.as_deref().and_then(vigie_core::country::by_iso3);
    let event = Event {
        id: Event::stable_id(Source::Vigie, &source_id),
        source: Source::Vigie,
        source_id,
        source_version: None,
        period: Period {
            start: input.date,
            end: input.date_end.unwrap_or(input.date),
            precision: DatePrecision::Day,
        },
        place: Place {
            latitude: input.latitude,
            longitude: input.longitude,
            precision: input.latitude.map(|_| LocationPrecision::Exact),
            source_precision: None,
            gw_id: info.and_then(|c| c.gw).map(i32::from),
            views_id: info.and_then(|c| c.views_id).map(i32::from),
            country,
            admin1: input.admin1.clone(),
            admin2: None,
            location: input.location.clone(),
            priogrid_gid: match (input.latitude, input.longitude) {
                (Some(lat), Some(lon)) => vigie_core::priogrid::gid(lat, lon),
                _ => None,
            },
        },
        category: input.category,
        source_type: "report".into(),
        side_a: input.side_a.clone().map(|name| Actor {
            name,
            source_id: None,
        }),
        side_b: input.side_b.clone().map(|name| Actor {
            name,
            source_id: None,
        }),
        fatalities: Fatalities {
            best: input.fatalities,
            low: None,
            high: None,
        },
        description: input.description.clone(),
        extra: serde_json::Map::new(),
        provenance: Provenance {
            batch: None,
            file: "api".into(),
            line: 0,
        },
        owner: audience.owner.clone(),
        marking: audience.marking,
    };
    let entry = author.entry(
        "create",
        "event",
        Some(event.id.to_string()),
        audience::detail(&audience),
    );
    author
        .store()
        .create_event(&event, &audience, Some(&entry))
        .await?;
    Ok((event, audience))
}

/// Re-marks or re-shares an event: a publisher of the owner organisation. Returns the
/// event as the author now sees it.
pub async fn set_event_audience(
    author: &Author<'_>,
    id: Uuid,
    input: AudienceInput,
) -> AppResult<(Event, Audience)> {
    let store = author.store();
    let Some((event, old)) = store.event(author.viewer(), id).await? else {
        return Err(AppError::NotFound);
    };
    if !may_edit(author.roles(), author.org(), &old, false) {
        return Err(AppError::forbidden(
            "only a publisher of the owner organisation may re-mark or re-share this event",
        ));
    }
    let audience = audience::checked(author, Some(&old), input, "").await?;
    let entry = author.entry(
        "audience",
        "event",
        Some(id.to_string()),
        serde_json::json!({ "from": audience::detail(&old), "to": audience::detail(&audience) }),
    );
    store
        .set_audience(RecordKind::Event, id, &audience, Some(&entry))
        .await?;
    // Read back through the gate; a writer who narrowed the event beyond themselves (RED to
    // others) no longer sees it, and gets back only what they just wrote.
    Ok(match store.event(author.viewer(), id).await? {
        Some(seen) => seen,
        None => (
            Event {
                marking: audience.marking,
                ..event
            },
            audience,
        ),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReport {
    pub title: String,
    pub body: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    /// draft (the default) or published; publishing needs the publisher role.
    pub status: Option<ReportStatus>,
    pub audience: AudienceInput,
}

/// Changes to a report; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub status: Option<ReportStatus>,
}

fn check_text(title: &str, body: &str, country: Option<&str>) -> AppResult<()> {
    if title.trim().is_empty() || title.chars().count() > 300 {
        return Err(AppError::invalid(
            "title",
            "a title has 1 to 300 characters",
        ));
    }
    if body.len() > 1_000_000 {
        return Err(AppError::invalid("body", "a report body is at most 1 MB"));
    }
    if let Some(c) = country {
        if vigie_core::country::by_iso3(c).is_none() {
            return Err(AppError::invalid(
                "country",
                format!("{c:?} is not an ISO 3166 alpha-3 code"),
            ));
        }
    }
    Ok(())
}

/// Writes a new report (a draft unless published by a publisher).
pub async fn create_report(author: &Author<'_>, input: NewReport) -> AppResult<Report> {
    author.require_writer()?;
    check_text(&input.title, &input.body, input.country.as_deref())?;
    let status = input.status.unwrap_or(ReportStatus::Draft);
    if status == ReportStatus::Published && !author.has(Role::Publisher) {
        return Err(AppError::forbidden(
            "publishing a report needs the publisher role",
        ));
    }
    let audience = audience::checked(author, None, input.audience, "audience.").await?;
    let now = Utc::now();
    let report = Report {
        id: uuid::Uuid::new_v4(),
        title: input.title,
        body: input.body,
        country: input.country.map(|c| c.to_ascii_uppercase()),
        admin1: input.admin1,
        status,
        version: 1,
        created_at: now,
        updated_at: now,
        audience,
    };
    let entry = author.entry(
        "create",
        "report",
        Some(report.id.to_string()),
        audience::detail(&report.audience),
    );
    author.store().create_report(&report, Some(&entry)).await?;
    Ok(report)
}

/// Edits a report: the owner organisation's publishers, or its analysts for a draft.
/// Returns it as the author now sees it.
pub async fn update_report(author: &Author<'_>, id: Uuid, patch: ReportPatch) -> AppResult<Report> {
    let store = author.store();
    let Some(mut report) = store.report(author.viewer(), id).await? else {
        return Err(AppError::NotFound);
    };
    let draft = report.status == ReportStatus::Draft;
    if !may_edit(author.roles(), author.org(), &report.audience, draft) {
        return Err(AppError::forbidden(
            "only the owner organisation's publishers (or its analysts, for a draft) may edit this report",
        ));
    }
    if patch.status == Some(ReportStatus::Published) && !author.has(Role::Publisher) {
        return Err(AppError::forbidden(
            "publishing a report needs the publisher role",
        ));
    }
    if let Some(t) = patch.title {
        report.title = t;
    }
    if let Some(b) = patch.body {
        report.body = b;
    }
    if let Some(c) = patch.country {
        report.country = Some(c.to_ascii_uppercase()).filter(|c| !c.is_empty());
    }
    if let Some(a) = patch.admin1 {
        report.admin1 = Some(a).filter(|a| !a.is_empty());
    }
    if let Some(s) = patch.status {
        report.status = s;
    }
    check_text(&report.title, &report.body, report.country.as_deref())?;
    report.updated_at = Utc::now();
    let entry = author.entry(
        "update",
        "report",
        Some(id.to_string()),
        serde_json::json!({ "status": report.status }),
    );
    store.update_report(&report, Some(&entry)).await?;
    store
        .report(author.viewer(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Re-marks or re-shares a report: as [`update_report`] for who may.
pub async fn set_report_audience(
    author: &Author<'_>,
    id: Uuid,
    input: AudienceInput,
) -> AppResult<Report> {
    let store = author.store();
    let Some(report) = store.report(author.viewer(), id).await? else {
        return Err(AppError::NotFound);
    };
    let draft = report.status == ReportStatus::Draft;
    if !may_edit(author.roles(), author.org(), &report.audience, draft) {
        return Err(AppError::forbidden(
            "only the owner organisation's publishers (or its analysts, for a draft) may re-mark or re-share this report",
        ));
    }
    let audience = audience::checked(author, Some(&report.audience), input, "").await?;
    let entry = author.entry(
        "audience",
        "report",
        Some(id.to_string()),
        serde_json::json!({ "from": audience::detail(&report.audience), "to": audience::detail(&audience) }),
    );
    store
        .set_audience(RecordKind::Report, id, &audience, Some(&entry))
        .await?;
    let mut updated = report;
    updated.audience = audience;
    Ok(updated)
}

/// One audience a report was given, from the audit log: when, by whom (named to the owner
/// organisation and to that user only), the marking and how far it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AudienceChange {
    /// When (RFC 3339).
    pub at: String,
    /// `create` (the first audience) or `audience` (re-marked or re-shared).
    pub action: String,
    pub by: Option<String>,
    pub marking: String,
    /// The kind of distribution: organisation, organisations, sharing-group, community,
    /// all-communities or recipients.
    pub distribution: String,
    /// The sharing group or community, for those kinds.
    pub reference: Option<String>,
    /// The organisations or recipients it named: to the owner organisation only (a
    /// former audience may have named people the reader may not know of); others get
    /// how many.
    pub names: Option<Vec<String>>,
    pub named: usize,
}

/// The audiences report `id` has had, oldest first, to a reader who may see the report
/// today (the gate first: a report the reader may not see answers like a missing one).
pub async fn report_audience_history(
    reader: &Reader<'_>,
    id: Uuid,
) -> AppResult<Vec<AudienceChange>> {
    let Some(report) = reader.report(id).await? else {
        return Err(AppError::NotFound);
    };
    let owner = &report.audience.owner;
    let own = reader.viewer().org() == Some(owner.as_str());
    let entries = reader
        .store()
        .record_changes("report", &id.to_string())
        .await?;
    let mut out = Vec::new();
    for e in entries {
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
        let given = match e.action.as_str() {
            "create" => &detail,
            "audience" => &detail["to"],
            _ => continue,
        };
        let text = |k: &str| given[k].as_str().map(str::to_string);
        let names: Vec<String> = given["names"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push(AudienceChange {
            at: e.at,
            action: e.action,
            by: reader.viewer().sees_creator(owner, e.actor),
            marking: text("marking").unwrap_or_default(),
            distribution: text("distribution").unwrap_or_default(),
            reference: text("reference"),
            named: names.len(),
            names: own.then_some(names),
        });
    }
    Ok(out)
}
