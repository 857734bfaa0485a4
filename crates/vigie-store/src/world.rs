//! A world to write into a store: organisations, communities with their dated memberships,
//! sharing groups, users, and records (reports, events, alert rules, coordination profiles,
//! tasks with their histories). One description, read from data files (the demo's, in
//! `data/demo/`) or built in Rust with [`World::org`], [`World::user`] and the like (the
//! tests'), and one way to write it: [`World::seed`].
//!
//! Seeding writes straight through the store API, without audit entries and without the
//! permission checks of the API, so that any state is reachable (a record shared with a
//! group that does not exist, RED without a creator). Passwords are hashed by the caller's
//! function: hashing is the application's (`vigie_app::accounts`).

mod build;
mod seed;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vigie_core::{
    AlertRule, Audience, Community, CoordinationProfile, Coverage, Event, MemberState, Membership,
    Organisation, Report, Role, SharingGroup, Task, TaskStatus, User,
};

/// Everything a store should hold, in the order it is written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct World {
    /// Every user's password (the store keeps only its hash); `None`: nobody signs in with
    /// a password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    pub orgs: Vec<Organisation>,
    pub communities: Vec<Community>,
    pub memberships: Vec<Membership>,
    /// The member states of communities, dated (ECOWAS's 2025 exits).
    pub member_states: Vec<MemberState>,
    pub groups: Vec<SharingGroup>,
    pub users: Vec<Account>,
    pub reports: Vec<Report>,
    pub events: Vec<SharedEvent>,
    pub alert_rules: Vec<AlertRule>,
    /// What sources cover, stated rather than recorded by an import (tests, an upgrade).
    pub coverage: Vec<Coverage>,
    pub profiles: Vec<CoordinationProfile>,
    pub tasks: Vec<TaskStory>,
}

/// A user, as a world describes one: `disabled` may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub id: String,
    pub org: String,
    pub name: String,
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl Account {
    pub fn user(&self) -> User {
        User {
            id: self.id.clone(),
            org: self.org.clone(),
            name: self.name.clone(),
            roles: self.roles.clone(),
            disabled: self.disabled,
        }
    }
}

/// An event written in Vigie, with its audience (the store takes the event's owner and
/// marking from it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedEvent {
    pub event: Event,
    pub audience: Audience,
}

impl SharedEvent {
    /// The event as the store keeps it: owned and marked as its audience says.
    pub fn stored(&self) -> Event {
        Event {
            owner: self.audience.owner.clone(),
            marking: self.audience.marking,
            ..self.event.clone()
        }
    }
}

/// A task as it was created, and the changes of status it went through since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStory {
    #[serde(flatten)]
    pub task: Task,
    /// The note of its creation, whose actor is the task's creator and owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<TaskStep>,
}

/// A change of a task's status, and what it does to the task: `proposed` assigns it to
/// `org`; `declined` takes it back and records `org` among those that declined; `done` and
/// `failed` take the note as the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskStep {
    pub at: DateTime<Utc>,
    pub status: TaskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
