//! The demo's world: organisations, communities (with ECOWAS's 2025 exit), users, shared
//! records, coordination profiles and tasks, described in `data/demo/` and embedded in the
//! binary. Seeded once into a store: a second run finds it and changes nothing.

use anyhow::{anyhow, Context};
use vigie_store::world::World;
use vigie_store::Store;

/// The files of `data/demo/`, in the order they are read.
const FILES: &[(&str, &str)] = &[
    (
        "directory.toml",
        include_str!("../../../../../data/demo/directory.toml"),
    ),
    (
        "records.toml",
        include_str!("../../../../../data/demo/records.toml"),
    ),
    (
        "coordination.toml",
        include_str!("../../../../../data/demo/coordination.toml"),
    ),
];

/// The demo's world, read from its files and checked as the API would check its profiles
/// and tasks.
pub fn world() -> anyhow::Result<World> {
    let mut world = World::new();
    for (name, text) in FILES {
        let part: World = toml::from_str(text).with_context(|| format!("data/demo/{name}"))?;
        world.merge(part);
    }
    for p in &world.profiles {
        p.check()
            .map_err(|e| anyhow!("demo profile {}: {}", p.org, e))?;
    }
    for t in &world.tasks {
        t.task
            .check_fields()
            .map_err(|e| anyhow!("demo task {}: {}", t.task.title, e))?;
    }
    Ok(world)
}

/// Every demo user's password (printed when the demo starts).
pub fn password() -> anyhow::Result<String> {
    world()?
        .password
        .ok_or_else(|| anyhow!("data/demo names no password"))
}

/// Seeds everything unless the store already has the demo's organisations (an organisation
/// made before the demo ran is kept as it is). Returns whether it seeded.
pub async fn seed(store: &dyn Store) -> anyhow::Result<bool> {
    if store.org("au-psd").await?.is_some() {
        return Ok(false);
    }
    let mut world = world()?;
    let mut orgs = Vec::new();
    for org in world.orgs {
        if store.org(&org.id).await?.is_none() {
            orgs.push(org);
        }
    }
    world.orgs = orgs;
    // One hash for everyone: argon2 is deliberately slow, and the demo has ~50 users.
    world
        .seed(store, &vigie_app::accounts::hash_password)
        .await?;
    store
        .audit(&vigie_store::audit::NewAuditEntry {
            actor: Some("cli".into()),
            actor_org: None,
            action: "admin".into(),
            record_kind: None,
            record_id: None,
            detail: serde_json::json!({"op": "demo-seed"}),
        })
        .await?;
    Ok(true)
}

/// A few accounts to try, for the start-up message.
pub fn accounts_to_try() -> &'static [(&'static str, &'static str)] {
    &[
        (
            "admin",
            "site-admin (administers; reads only CLEAR records of others)",
        ),
        ("ecowas.publisher", "ECOWAS Commission publisher"),
        (
            "mli-nia.publisher",
            "Mali agency: left ECOWAS on 2025-01-29; the RED recipient",
        ),
        ("bfa-nia.reader", "Burkina Faso agency reader"),
        ("au-psd.analyst", "AU analyst (drafts)"),
        ("un.admin", "UN org-admin"),
    ]
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;
    use vigie_core::{Alert, Event};

    fn named(prefix: &str, name: &str) -> Uuid {
        Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{prefix}{name}").as_bytes())
    }

    /// The ids and derived values of `data/demo/` are what their comments say they are, so
    /// that an edited file cannot drift from them unnoticed.
    #[test]
    fn the_demo_files_derive_what_they_say() {
        let world = super::world().expect("the demo's world");
        assert_eq!(world.users.len(), 49);
        for r in &world.reports {
            assert_eq!(r.id, named("vigie-demo:", &r.title), "{}", r.title);
        }
        for r in &world.alert_rules {
            assert_eq!(r.id, named("vigie-demo-rule:", &r.name), "{}", r.name);
        }
        for s in &world.events {
            let (e, p) = (&s.event, &s.event.place);
            assert_eq!(e.id, Event::stable_id(e.source, &e.source_id));
            let (lat, lon) = (p.latitude.unwrap(), p.longitude.unwrap());
            assert_eq!(p.priogrid_gid, vigie_core::priogrid::gid(lat, lon));
            let country = vigie_core::country::by_iso3(p.country.as_deref().unwrap());
            assert_eq!(p.gw_id, country.and_then(|c| c.gw).map(i32::from));
            assert_eq!(p.views_id, country.and_then(|c| c.views_id).map(i32::from));
            assert_eq!(
                (e.owner.as_str(), e.marking),
                (s.audience.owner.as_str(), s.audience.marking)
            );
        }
        let coastal = world
            .alert_rules
            .iter()
            .find(|r| r.name_key.as_deref() == Some("rule.demo.coastal"))
            .expect("the coastal-states rule");
        for s in &world.tasks {
            let t = &s.task;
            assert_eq!(t.id, named("vigie-demo-task:", &t.title), "{}", t.title);
            if let Some(alert) = t.alert {
                assert_eq!(alert, Alert::id_of(coastal.id, &t.countries[0], "2023-11"));
            }
        }
    }
}
