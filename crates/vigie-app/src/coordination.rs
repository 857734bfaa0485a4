//! The secretariat's views of coordination: organisations' coordination profiles, the
//! alert → task → outcome chain with its warning-to-response figures, and the 3W matrix (who
//! does what where). Every task read goes through the gate as the reader.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigie_core::{CoordinationProfile, Role, Task, TaskStatus};
use vigie_store::{StoreError, TaskFilter};

use crate::author::Author;
use crate::error::{AppError, AppResult};
use crate::reads::Reader;

/// Sets an organisation's coordination profile: its org-admins or a site-admin.
pub async fn set_profile(
    author: &Author<'_>,
    org: &str,
    profile: CoordinationProfile,
) -> AppResult<CoordinationProfile> {
    let allowed =
        author.has(Role::SiteAdmin) || (author.has(Role::OrgAdmin) && author.org() == org);
    if !allowed {
        return Err(AppError::forbidden(
            "an organisation's profile is set by its org-admins or a site-admin",
        ));
    }
    let store = author.store();
    if store.org(org).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if profile.org != org {
        return Err(AppError::invalid(
            "org",
            format!("the profile names {:?}, the address {org:?}", profile.org),
        ));
    }
    profile.check()?;
    let entry = author.entry(
        "admin",
        "coordination-profile",
        Some(org.to_string()),
        serde_json::json!({"op": "set-profile"}),
    );
    store
        .set_coordination_profile(&profile, Some(&entry))
        .await?;
    Ok(profile)
}

/// One task of the chain.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainTask {
    pub id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    pub assignee: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When an organisation first accepted it.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was done or failed.
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

/// One alert and the tasks that answer it.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainLink {
    pub alert: Uuid,
    /// The alert as the caller gets it now (absent when it no longer fires for the caller).
    pub current: Option<vigie_core::Alert>,
    /// When the alert was first raised to the caller.
    pub first_seen: Option<DateTime<Utc>>,
    pub tasks: Vec<ChainTask>,
    /// Hours from the alert to the first accepted task: from when the alert was first
    /// raised to the caller, or from the first task answering it if that came earlier (the
    /// alert was raised to its creator then), so never negative: a task is accepted after
    /// it is created.
    pub hours_to_accepted: Option<f64>,
}

/// Warning-to-response figures over the chain.
#[derive(Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// The caller's current alerts: those its alerts page lists.
    pub alerts: usize,
    /// Of those, the ones a task the caller may see answers, and an accepted one.
    pub with_task: usize,
    pub with_accepted_task: usize,
    /// with_accepted_task / alerts.
    pub share_responded: Option<f64>,
    /// Alerts that are not among the caller's current ones (no longer raised, or raised for
    /// another reader) which tasks the caller may see answer: in the chain's links, the
    /// outcomes and the times to acceptance, not in the counts above.
    pub other_alerts: usize,
    pub median_hours_to_accepted: Option<f64>,
    pub mean_hours_to_accepted: Option<f64>,
    /// Tasks answering alerts, by status.
    pub outcomes: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chain {
    pub links: Vec<ChainLink>,
    pub figures: Figures,
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

/// The alert → task → outcome chain of what `reader` may see: its current alerts and the
/// alerts its tasks answer, each with those tasks and when they were accepted and closed,
/// and the warning-to-response figures over it.
pub async fn chain(reader: &Reader<'_>) -> Result<Chain, StoreError> {
    let current = crate::alerts::alerts_for(reader.store(), reader.viewer()).await?;
    let tasks = reader.tasks(&TaskFilter::default()).await?;
    let mut by_alert: BTreeMap<Uuid, Vec<&Task>> = BTreeMap::new();
    for a in &current {
        by_alert.entry(a.id).or_default();
    }
    for t in &tasks {
        if let Some(a) = t.alert {
            by_alert.entry(a).or_default().push(t);
        }
    }
    let ids: Vec<Uuid> = by_alert.keys().copied().collect();
    let seen = reader
        .store()
        .alerts_first_seen(&reader.viewer().reader_key(), &ids)
        .await?;
    let current: HashMap<Uuid, vigie_core::Alert> =
        current.into_iter().map(|a| (a.id, a)).collect();
    let mut figures = Figures::default();
    let mut delays = Vec::new();
    let mut links = Vec::new();
    for ((alert, ts), first_seen) in by_alert.into_iter().zip(seen) {
        let mut chain_tasks = Vec::new();
        for t in ts {
            let history = reader.task_events(t.id).await?;
            let accepted_at = history
                .iter()
                .find(|e| e.to_status == TaskStatus::Accepted)
                .map(|e| e.at);
            let closed_at = history
                .iter()
                .find(|e| e.to_status.is_final())
                .map(|e| e.at);
            *figures
                .outcomes
                .entry(t.status.as_str().to_string())
                .or_default() += 1;
            chain_tasks.push(ChainTask {
                id: t.id,
                title: t.title.clone(),
                status: t.status,
                assignee: t.assignee.clone(),
                created_at: t.created_at,
                accepted_at,
                closed_at,
                outcome: t.outcome.clone(),
            });
        }
        let first_accepted = chain_tasks.iter().filter_map(|t| t.accepted_at).min();
        // A task answering the alert proves it was raised by then, whoever first saw it:
        // the caller may have first loaded its alerts after the task was accepted.
        let first_task = chain_tasks.iter().map(|t| t.created_at).min();
        let start = first_seen.into_iter().chain(first_task).min();
        let hours_to_accepted = start.zip(first_accepted).map(|(a, b)| hours(a, b));
        if current.contains_key(&alert) {
            figures.alerts += 1;
            figures.with_task += usize::from(!chain_tasks.is_empty());
            figures.with_accepted_task += usize::from(first_accepted.is_some());
        } else {
            figures.other_alerts += 1;
        }
        delays.extend(hours_to_accepted);
        links.push(ChainLink {
            alert,
            current: current.get(&alert).cloned(),
            first_seen,
            tasks: chain_tasks,
            hours_to_accepted,
        });
    }
    figures.share_responded =
        (figures.alerts > 0).then(|| figures.with_accepted_task as f64 / figures.alerts as f64);
    if !delays.is_empty() {
        delays.sort_by(f64::total_cmp);
        let n = delays.len();
        figures.median_hours_to_accepted = Some(if n % 2 == 1 {
            delays[n / 2]
        } else {
            (delays[n / 2 - 1] + delays[n / 2]) / 2.0
        });
        figures.mean_hours_to_accepted = Some(delays.iter().sum::<f64>() / n as f64);
    }
    Ok(Chain { links, figures })
}

/// Who does what where: tasks an organisation has taken on, per region and type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreeWRow {
    pub org: String,
    pub country: String,
    /// The admin-1 region, when the task names one.
    pub admin1: Option<String>,
    pub task_type: String,
    pub accepted: usize,
    pub in_progress: usize,
    pub done: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreeW {
    pub rows: Vec<ThreeWRow>,
}

/// The 3W rows of `tasks`: committed tasks (accepted, in progress, done) with an assignee,
/// one count per region they name (or per country when they name none).
pub fn three_w(tasks: &[Task]) -> Vec<ThreeWRow> {
    let mut rows: BTreeMap<(String, String, Option<String>, String), ThreeWRow> = BTreeMap::new();
    for t in tasks.iter().filter(|t| t.status.is_committed()) {
        let Some(org) = &t.assignee else { continue };
        let mut places: Vec<(String, Option<String>)> = t
            .regions
            .iter()
            .map(|r| match r.split_once('/') {
                Some((c, a)) => (c.to_string(), Some(a.to_string())),
                None => (
                    t.countries.first().cloned().unwrap_or_default(),
                    Some(r.clone()),
                ),
            })
            .collect();
        if places.is_empty() {
            places = t.countries.iter().map(|c| (c.clone(), None)).collect();
        }
        for (country, admin1) in places {
            let key = (
                org.clone(),
                country.clone(),
                admin1.clone(),
                t.task_type.as_str().to_string(),
            );
            let row = rows.entry(key).or_insert_with(|| ThreeWRow {
                org: org.clone(),
                country,
                admin1,
                task_type: t.task_type.as_str().to_string(),
                accepted: 0,
                in_progress: 0,
                done: 0,
            });
            match t.status {
                TaskStatus::Accepted => row.accepted += 1,
                TaskStatus::InProgress => row.in_progress += 1,
                _ => row.done += 1,
            }
        }
    }
    rows.into_values().collect()
}

/// The HXL hashtags of the 3W CSV, in column order.
pub const THREE_W_HXL: [&str; 7] = [
    "#org+code",
    "#country+code",
    "#adm1+name",
    "#sector",
    "#activity+accepted+num",
    "#activity+inprogress+num",
    "#activity+done+num",
];

/// The 3W rows as CSV: a header row, the HXL hashtag row, then one row each.
pub fn three_w_csv(rows: &[ThreeWRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "organisation",
        "country",
        "admin1",
        "task_type",
        "accepted",
        "in_progress",
        "done",
    ])?;
    w.write_record(THREE_W_HXL)?;
    for r in rows {
        w.write_record([
            r.org.clone(),
            r.country.clone(),
            r.admin1.clone().unwrap_or_default(),
            r.task_type.clone(),
            r.accepted.to_string(),
            r.in_progress.to_string(),
            r.done.to_string(),
        ])?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}
