//! Writing a world into a store.

use vigie_core::TaskStatus;

use super::{TaskStory, World};
use crate::{Store, StoreError, TaskEvent};

/// How a caller turns a password into the hash the store keeps.
pub type HashPassword<'a> = &'a (dyn Fn(&str) -> String + Sync);

impl World {
    /// Writes the world into `store`, in the order of its fields, each task followed by its
    /// history; the first write the store refuses (a taken id, a missing organisation)
    /// stops it. The password is hashed once, with `hash`, for every user.
    pub async fn seed(&self, store: &dyn Store, hash: HashPassword<'_>) -> Result<(), StoreError> {
        for org in &self.orgs {
            store.create_org(org, None).await?;
        }
        for community in &self.communities {
            store.create_community(community, None).await?;
        }
        for membership in &self.memberships {
            store.add_membership(membership, None).await?;
        }
        for state in &self.member_states {
            store.add_member_state(state, None).await?;
        }
        for group in &self.groups {
            store.create_sharing_group(group, None).await?;
        }
        let password_hash = match &self.password {
            Some(p) if !self.users.is_empty() => Some(hash(p)),
            _ => None,
        };
        for account in &self.users {
            store
                .create_user(&account.user(), password_hash.as_deref(), None)
                .await?;
        }
        for report in &self.reports {
            store.create_report(report, None).await?;
        }
        for shared in &self.events {
            store
                .create_event(&shared.event, &shared.audience, None)
                .await?;
        }
        for rule in &self.alert_rules {
            store.create_alert_rule(rule, None).await?;
        }
        for coverage in &self.coverage {
            store.create_coverage(coverage, None).await?;
        }
        for profile in &self.profiles {
            store.set_coordination_profile(profile, None).await?;
        }
        for story in &self.tasks {
            write_task(store, story).await?;
        }
        Ok(())
    }
}

/// Creates the task (its creator and owner the actor), then applies each step in turn.
async fn write_task(store: &dyn Store, story: &TaskStory) -> Result<(), StoreError> {
    let mut task = story.task.clone();
    let created = TaskEvent {
        at: task.created_at,
        actor: task.audience.creator.clone(),
        actor_org: Some(task.audience.owner.clone()),
        from_status: None,
        to_status: task.status,
        org: task.assignee.clone(),
        note: story.note.clone(),
    };
    store.create_task(&task, &created, None).await?;
    for step in &story.steps {
        let from = task.status;
        task.status = step.status;
        task.updated_at = step.at;
        match step.status {
            TaskStatus::Proposed => task.assignee = step.org.clone(),
            TaskStatus::Declined => {
                task.assignee = None;
                task.declined_by.extend(step.org.clone());
            }
            TaskStatus::Done | TaskStatus::Failed => task.outcome = step.note.clone(),
            _ => {}
        }
        let event = TaskEvent {
            at: step.at,
            actor: step.actor.clone(),
            actor_org: step.actor_org.clone(),
            from_status: Some(from),
            to_status: step.status,
            org: step.org.clone(),
            note: step.note.clone(),
        };
        store.update_tasks(&[(task.clone(), event)], None).await?;
    }
    Ok(())
}
