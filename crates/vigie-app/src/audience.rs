//! The audience a writer gives a record: built from what they ask for, then checked
//! (docs/sharing.md, "Writing"): `check_write`'s rules of role and reach, then the names it
//! holds (a sharing group the writer's organisation may use, a community it belongs to
//! today, organisations that exist, TLP:RED recipients it may address).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use vigie_core::audience::check_write;
use vigie_core::{Audience, AudienceError, Distribution, Marking, Viewer};

use crate::author::Author;
use crate::error::{AppError, AppResult};

/// The audience a writer asks for; the owner is always the writer's organisation (or the
/// record's, when changing one) and the creator the writer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AudienceInput {
    pub marking: Marking,
    pub distribution: Distribution,
}

fn audience_error(e: AudienceError, at: &str) -> AppError {
    match e {
        AudienceError::Combination { .. } | AudienceError::Names => {
            AppError::invalid(&format!("{at}distribution"), e.to_string())
        }
        AudienceError::TooWide { .. }
        | AudienceError::ClearNeedsPublisher
        | AudienceError::Loosening => AppError::forbidden(e.to_string()),
    }
}

/// Builds and checks the audience `input` gives a record (new when `old` is `None`). Errors
/// name the field by its path in the input: `at` is where the audience sits in it
/// (`"audience."` in a new record, `""` when the input is the audience).
pub async fn checked(
    author: &Author<'_>,
    old: Option<&Audience>,
    input: AudienceInput,
    at: &str,
) -> AppResult<Audience> {
    let audience = Audience {
        owner: old.map_or_else(|| author.org().to_string(), |o| o.owner.clone()),
        creator: old.map_or_else(|| Some(author.user().id.clone()), |o| o.creator.clone()),
        marking: input.marking,
        distribution: input.distribution,
    };
    check_write(author.roles(), author.org(), old, &audience).map_err(|e| audience_error(e, at))?;
    let store = author.store();
    match &audience.distribution {
        Distribution::SharingGroup { id } => {
            let usable = store.sharing_group(id).await?.is_some_and(|g| {
                g.owner == author.org() || g.members.iter().any(|m| m == author.org())
            });
            if !usable {
                return Err(AppError::invalid(
                    &format!("{at}distribution.id"),
                    format!("sharing group {id:?} does not exist or is neither owned by nor lists your organisation"),
                ));
            }
        }
        Distribution::Community { id } => {
            let today = Utc::now().date_naive();
            if !store.is_member(id, author.org(), today).await? {
                return Err(AppError::invalid(
                    &format!("{at}distribution.id"),
                    format!("your organisation is not a member of community {id:?} today"),
                ));
            }
        }
        Distribution::Organisations { orgs } => {
            for o in orgs {
                if store.org(o).await?.is_none() {
                    return Err(AppError::invalid(
                        &format!("{at}distribution.orgs"),
                        format!("organisation {o:?} does not exist"),
                    ));
                }
            }
        }
        Distribution::Recipients { users } => {
            // Who may be named is worked out once, before any name is looked up, so that
            // every name costs the same to refuse.
            let reach = addressable_orgs(author, Utc::now().date_naive()).await?;
            for u in users {
                let addressable = store
                    .user(u)
                    .await?
                    .is_some_and(|x| !x.disabled && reach.contains(&x.org));
                if !addressable {
                    // The same answer whether the user does not exist, is disabled or is
                    // out of reach: naming a recipient confirms nothing (threat 30).
                    return Err(AppError::invalid(
                        &format!("{at}distribution.users"),
                        format!("{u:?} cannot be addressed: a TLP:RED recipient is an active user of your organisation or of an organisation that shares a community with it today"),
                    ));
                }
            }
        }
        Distribution::Organisation | Distribution::AllCommunities => {}
    }
    Ok(audience)
}

/// The organisations whose active users `author` may name as TLP:RED recipients on `day`:
/// the author's own, and every organisation that shares a community with it that day
/// (docs/sharing.md, "Naming recipients").
async fn addressable_orgs(author: &Author<'_>, day: NaiveDate) -> AppResult<BTreeSet<String>> {
    let memberships = author.store().memberships(None).await?;
    let mine: BTreeSet<&str> = memberships
        .iter()
        .filter(|m| m.org == author.org() && m.covers(day))
        .map(|m| m.community.as_str())
        .collect();
    let mut orgs: BTreeSet<String> = memberships
        .iter()
        .filter(|m| mine.contains(m.community.as_str()) && m.covers(day))
        .map(|m| m.org.clone())
        .collect();
    orgs.insert(author.org().to_string());
    Ok(orgs)
}

/// An organisation, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgName {
    pub id: String,
    pub name: String,
}

/// An organisation that could read a record under the audience until it left a community,
/// and the day since which it no longer can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormerReader {
    pub id: String,
    pub name: String,
    /// The first day it no longer can (the day its membership ended).
    pub since: NaiveDate,
}

/// Who could read a record under an audience, today: what a writer is shown before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AudiencePreview {
    pub marking: Marking,
    pub distribution: Distribution,
    /// The day the answer holds for (today, UTC): community memberships are dated.
    pub day: NaiveDate,
    /// TLP:CLEAR: anyone, signed in or not.
    pub public: bool,
    /// The organisations whose members can all read it today, the writer's own included,
    /// by name.
    pub organisations: Vec<OrgName>,
    /// Organisations that could read it on the day before a membership of theirs ended and
    /// no longer can today, latest first.
    pub former: Vec<FormerReader>,
    /// TLP:RED: the people who can read it, the writer and the recipients they name, and
    /// nobody else. Names are echoed as given, never looked up.
    pub people: Vec<String>,
}

/// Who could read a record `author` writes (or re-shares) under `input`, today, asked of
/// the gate itself ([`vigie_store::Records::could_read`]) for every organisation of the
/// directory; and who could until a membership ended, asked of the gate on the day before
/// that membership ended. Refuses only an audience whose marking and distribution do not
/// fit together: the other rules of writing are checked when the record is saved.
pub async fn preview(author: &Author<'_>, input: AudienceInput) -> AppResult<AudiencePreview> {
    // The same checks as saving: a sharing group or person the author may not address is
    // refused here too, so a preview never lists the members of someone else's group.
    let audience = checked(author, None, input, "").await?;
    let store = author.store();
    let today = Utc::now().date_naive();
    let orgs = store.orgs().await?;
    let mut organisations = Vec::new();
    for o in &orgs {
        if store
            .could_read(&Viewer::for_organisation(o, today), &audience)
            .await?
        {
            organisations.push(OrgName {
                id: o.id.clone(),
                name: o.name.clone(),
            });
        }
    }
    let reading: BTreeSet<&str> = organisations.iter().map(|o| o.id.as_str()).collect();
    let by_id: BTreeMap<&str, &vigie_core::Organisation> =
        orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut former: BTreeMap<String, FormerReader> = BTreeMap::new();
    for m in store.memberships(None).await? {
        let Some(until) = m.until.filter(|u| *u <= today) else {
            continue;
        };
        let (Some(org), Some(day_before)) = (by_id.get(m.org.as_str()), until.pred_opt()) else {
            continue;
        };
        if reading.contains(m.org.as_str()) || former.get(&m.org).is_some_and(|f| f.since >= until)
        {
            continue;
        }
        if store
            .could_read(&Viewer::for_organisation(org, day_before), &audience)
            .await?
        {
            former.insert(
                m.org.clone(),
                FormerReader {
                    id: org.id.clone(),
                    name: org.name.clone(),
                    since: until,
                },
            );
        }
    }
    let mut former: Vec<FormerReader> = former.into_values().collect();
    former.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.name.cmp(&b.name)));
    organisations.sort_by(|a, b| a.name.cmp(&b.name));
    let people = match &audience.distribution {
        Distribution::Recipients { users } => std::iter::once(author.user().id.clone())
            .chain(users.iter().filter(|u| **u != author.user().id).cloned())
            .collect(),
        _ => Vec::new(),
    };
    Ok(AudiencePreview {
        public: audience.marking == Marking::Clear,
        marking: audience.marking,
        distribution: audience.distribution,
        day: today,
        organisations,
        former,
        people,
    })
}

/// An audience as the audit log records it: marking, kind of distribution, and the names.
pub fn detail(a: &Audience) -> serde_json::Value {
    serde_json::json!({
        "marking": a.marking,
        "distribution": a.distribution.kind(),
        "reference": a.distribution.reference(),
        "names": a.distribution.names(),
    })
}
