//! Building a world in Rust: each method adds one thing and returns the world, so that
//! calls chain (`w.org("x", kind).user("x.reader", "x", &[Role::Reader])`). Names default
//! to the identifiers. Dates are `YYYY-MM-DD`; a malformed one is a mistake in the code that
//! builds the world, and panics.

use chrono::NaiveDate;
use vigie_core::{
    AlertRule, Audience, Community, CoordinationProfile, Event, Membership, OrgKind, Organisation,
    Report, Role, SharingGroup, Task,
};

use super::{Account, SharedEvent, TaskStory, World};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap_or_else(|_| panic!("{s:?} is not a date (YYYY-MM-DD)"))
}

impl World {
    pub fn new() -> World {
        World::default()
    }

    /// Every user of the world signs in with `password`.
    pub fn password(&mut self, password: &str) -> &mut World {
        self.password = Some(password.into());
        self
    }

    /// An organisation named after its id.
    pub fn org(&mut self, id: &str, kind: OrgKind) -> &mut World {
        self.orgs.push(Organisation {
            id: id.into(),
            name: id.into(),
            kind,
        });
        self
    }

    /// A community named after its id.
    pub fn community(&mut self, id: &str) -> &mut World {
        self.communities.push(Community {
            id: id.into(),
            name: id.into(),
        });
        self
    }

    /// `org`'s membership of `community` over `[from, until)`.
    pub fn member(
        &mut self,
        community: &str,
        org: &str,
        from: &str,
        until: Option<&str>,
    ) -> &mut World {
        self.memberships.push(Membership {
            community: community.into(),
            org: org.into(),
            from: day(from),
            until: until.map(day),
        });
        self
    }

    /// A sharing group named after its id.
    pub fn group(&mut self, id: &str, owner: &str, members: &[&str]) -> &mut World {
        self.groups.push(SharingGroup {
            id: id.into(),
            name: id.into(),
            owner: owner.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        });
        self
    }

    /// An enabled user named after its id.
    pub fn user(&mut self, id: &str, org: &str, roles: &[Role]) -> &mut World {
        self.users.push(Account {
            id: id.into(),
            org: org.into(),
            name: id.into(),
            roles: roles.to_vec(),
            disabled: false,
        });
        self
    }

    pub fn report(&mut self, report: Report) -> &mut World {
        self.reports.push(report);
        self
    }

    pub fn event(&mut self, event: Event, audience: Audience) -> &mut World {
        self.events.push(SharedEvent { event, audience });
        self
    }

    pub fn alert_rule(&mut self, rule: AlertRule) -> &mut World {
        self.alert_rules.push(rule);
        self
    }

    /// States that a complete source covers `countries` (empty: every country) from month
    /// `from` to `until` (`YYYY-MM`), for `audience`.
    pub fn covered(
        &mut self,
        countries: &[&str],
        from: &str,
        until: &str,
        audience: Audience,
    ) -> &mut World {
        let n = self.coverage.len() as u128 + 1;
        self.coverage.push(vigie_core::Coverage {
            id: uuid::Uuid::from_u128(0xC0_0000 + n),
            source: vigie_core::Source::UcdpGed,
            file: "stated".into(),
            import_batch: None,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            from: from.into(),
            until: until.into(),
            complete: true,
            basis: "stated for a test world".into(),
            basis_key: None,
            recorded_at: chrono::Utc::now(),
            audience,
        });
        self
    }

    pub fn profile(&mut self, profile: CoordinationProfile) -> &mut World {
        self.profiles.push(profile);
        self
    }

    /// A task created as it is, by its creator, with no history after that.
    pub fn task(&mut self, task: Task) -> &mut World {
        self.tasks.push(TaskStory {
            task,
            note: None,
            steps: Vec::new(),
        });
        self
    }

    /// A task created as it is, by its creator, with `note`, and no history after that.
    pub fn noted_task(&mut self, task: Task, note: &str) -> &mut World {
        self.tasks.push(TaskStory {
            task,
            note: Some(note.into()),
            steps: Vec::new(),
        });
        self
    }

    /// Adds everything of `other` after what this world holds (its password, if it has
    /// one, replaces this world's).
    pub fn merge(&mut self, other: World) -> &mut World {
        let World {
            password,
            orgs,
            communities,
            memberships,
            member_states,
            groups,
            users,
            reports,
            events,
            alert_rules,
            coverage,
            profiles,
            tasks,
        } = other;
        if password.is_some() {
            self.password = password;
        }
        self.orgs.extend(orgs);
        self.communities.extend(communities);
        self.memberships.extend(memberships);
        self.member_states.extend(member_states);
        self.groups.extend(groups);
        self.users.extend(users);
        self.reports.extend(reports);
        self.events.extend(events);
        self.alert_rules.extend(alert_rules);
        self.coverage.extend(coverage);
        self.profiles.extend(profiles);
        self.tasks.extend(tasks);
        self
    }
}
