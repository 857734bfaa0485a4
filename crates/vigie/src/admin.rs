//! `vigie org|user|community|sharing-group …`: administration from the command line, for
//! whoever holds the database (the first site-admin is made this way). Every change is
//! written to the audit log, with the actor `cli`.

use std::io::BufRead;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use vigie_core::{
    check_slug, Community, Membership, OrgKind, Organisation, Role, SharingGroup, User,
};
use vigie_store::audit::NewAuditEntry;
use vigie_store::Store;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation
    Add {
        /// Its id, a slug: e.g. ecowas, au-psd, mli-nia
        id: String,
        #[arg(long)]
        name: String,
        /// continental, regional, un, national-agency, ad-hoc-coalition, ngo or public-source
        #[arg(long, value_parser = |s: &str| s.parse::<OrgKind>().map_err(|e| e.0))]
        kind: OrgKind,
    },
    /// List organisations
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input, or generated and printed
    Add {
        /// The login name, a slug
        id: String,
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// Comma-separated: reader, analyst, publisher, org-admin, site-admin, sync
        #[arg(long, value_delimiter = ',', required = true, value_parser = |s: &str| s.parse::<Role>().map_err(|e| e.0))]
        roles: Vec<Role>,
        /// Read the password from standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users (of one organisation)
    List {
        #[arg(long)]
        org: Option<String>,
    },
    /// Replace a user's roles
    SetRoles {
        id: String,
        #[arg(value_delimiter = ',', required = true, value_parser = |s: &str| s.parse::<Role>().map_err(|e| e.0))]
        roles: Vec<Role>,
    },
    /// Disable a user: no sign-in, no token works
    Disable { id: String },
    /// Enable a disabled user
    Enable { id: String },
    /// Set a new password (read from standard input, or generated and printed)
    Password {
        id: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CommunityCommand {
    /// Add a community
    Add {
        id: String,
        #[arg(long)]
        name: String,
    },
    /// List communities with their memberships
    List,
    /// Make an organisation a member from a day (until a day, exclusive)
    Join {
        community: String,
        org: String,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        until: Option<NaiveDate>,
    },
    /// End an organisation's open membership: it is no longer a member from this day
    Leave {
        community: String,
        org: String,
        #[arg(long)]
        on: NaiveDate,
    },
}

#[derive(Debug, Subcommand)]
pub enum SharingGroupCommand {
    /// Add a sharing group
    Add {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        owner: String,
        /// Comma-separated organisation ids
        #[arg(long, value_delimiter = ',')]
        members: Vec<String>,
    },
    /// List sharing groups
    List,
    /// Replace a group's members
    SetMembers {
        id: String,
        #[arg(value_delimiter = ',')]
        members: Vec<String>,
    },
}

async fn audit(
    store: &dyn Store,
    what: &str,
    id: &str,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    store
        .audit(&NewAuditEntry {
            actor: Some("cli".into()),
            actor_org: None,
            action: "admin".into(),
            record_kind: Some(what.into()),
            record_id: Some(id.into()),
            detail,
        })
        .await?;
    Ok(())
}

fn slug(what: &str, s: &str) -> anyhow::Result<()> {
    check_slug(what, s).map_err(|e| anyhow::anyhow!(e.0))
}

/// A password from standard input (first line), or a generated one that is printed.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.chars().count() < 10 {
            anyhow::bail!("a password needs at least 10 characters");
        }
        Ok((pw, false))
    } else {
        let bytes = vigie_server::auth::random_bytes(15);
        use base64::Engine as _;
        Ok((
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            true,
        ))
    }
}

pub async fn org(at: &crate::cli::StoreAt, cmd: OrgCommand) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    match cmd {
        OrgCommand::Add { id, name, kind } => {
            slug("organisation", &id)?;
            store
                .create_org(&Organisation {
                    id: id.clone(),
                    name,
                    kind,
                })
                .await?;
            audit(
                store.as_ref(),
                "organisation",
                &id,
                serde_json::json!({"op": "create", "kind": kind}),
            )
            .await?;
            println!("organisation {id} added");
        }
        OrgCommand::List => {
            for o in store.orgs().await? {
                println!("{:<24}  {:<17}  {}", o.id, o.kind.as_str(), o.name);
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn must_user(store: &dyn Store, id: &str) -> anyhow::Result<User> {
    store
        .user(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no user {id:?}"))
}

pub async fn user(at: &crate::cli::StoreAt, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        UserCommand::Add {
            id,
            org,
            name,
            roles,
            password_stdin,
        } => {
            slug("user", &id)?;
            let roles: Vec<Role> = roles
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let (pw, generated) = password(password_stdin)?;
            let hash = vigie_server::auth::hash_password(&pw);
            let user = User {
                id: id.clone(),
                org,
                name,
                roles,
                disabled: false,
            };
            s.create_user(&user, Some(&hash)).await?;
            audit(
                s,
                "user",
                &id,
                serde_json::json!({"op": "create", "org": user.org, "roles": user.roles}),
            )
            .await?;
            println!(
                "user {id} added to {} as {}",
                user.org,
                Role::join(&user.roles)
            );
            if generated {
                println!("password: {pw}");
            }
        }
        UserCommand::List { org } => {
            for u in s.users(org.as_deref()).await? {
                println!(
                    "{:<24}  {:<16}  {:<32}  {}{}",
                    u.id,
                    u.org,
                    Role::join(&u.roles),
                    u.name,
                    if u.disabled { "  (disabled)" } else { "" }
                );
            }
        }
        UserCommand::SetRoles { id, roles } => {
            let mut u = must_user(s, &id).await?;
            u.roles = roles
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            s.update_user(&u).await?;
            audit(
                s,
                "user",
                &id,
                serde_json::json!({"op": "roles", "roles": u.roles}),
            )
            .await?;
            println!("user {id}: {}", Role::join(&u.roles));
        }
        UserCommand::Disable { id } => {
            let mut u = must_user(s, &id).await?;
            u.disabled = true;
            s.update_user(&u).await?;
            audit(s, "user", &id, serde_json::json!({"op": "disable"})).await?;
            println!("user {id} disabled");
        }
        UserCommand::Enable { id } => {
            let mut u = must_user(s, &id).await?;
            u.disabled = false;
            s.update_user(&u).await?;
            audit(s, "user", &id, serde_json::json!({"op": "enable"})).await?;
            println!("user {id} enabled");
        }
        UserCommand::Password { id, password_stdin } => {
            must_user(s, &id).await?;
            let (pw, generated) = password(password_stdin)?;
            s.set_password(&id, &vigie_server::auth::hash_password(&pw))
                .await?;
            audit(s, "user", &id, serde_json::json!({"op": "password"})).await?;
            println!("password of {id} changed");
            if generated {
                println!("password: {pw}");
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn community(
    at: &crate::cli::StoreAt,
    cmd: CommunityCommand,
) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        CommunityCommand::Add { id, name } => {
            slug("community", &id)?;
            s.create_community(&Community {
                id: id.clone(),
                name,
            })
            .await?;
            audit(s, "community", &id, serde_json::json!({"op": "create"})).await?;
            println!("community {id} added");
        }
        CommunityCommand::List => {
            let members = s.memberships(None).await?;
            for c in s.communities().await? {
                println!("{}  {}", c.id, c.name);
                for m in members.iter().filter(|m| m.community == c.id) {
                    let until = m.until.map(|u| u.to_string()).unwrap_or_else(|| "…".into());
                    println!("    {:<24}  {} – {}", m.org, m.from, until);
                }
            }
        }
        CommunityCommand::Join {
            community,
            org,
            from,
            until,
        } => {
            if until.is_some_and(|u| u <= from) {
                anyhow::bail!(
                    "--until {} is not after --from {from}",
                    until.unwrap_or(from)
                );
            }
            s.add_membership(&Membership {
                community: community.clone(),
                org: org.clone(),
                from,
                until,
            })
            .await?;
            audit(
                s,
                "community",
                &community,
                serde_json::json!({"op": "join", "org": org, "from": from, "until": until}),
            )
            .await?;
            println!("{org} is a member of {community} from {from}");
        }
        CommunityCommand::Leave { community, org, on } => {
            if !s.end_membership(&community, &org, on).await? {
                anyhow::bail!(
                    "{org} has no open membership of {community} that began on or before {on}"
                );
            }
            audit(
                s,
                "community",
                &community,
                serde_json::json!({"op": "leave", "org": org, "on": on}),
            )
            .await?;
            println!("{org} is no longer a member of {community} from {on}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn sharing_group(
    at: &crate::cli::StoreAt,
    cmd: SharingGroupCommand,
) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        SharingGroupCommand::Add {
            id,
            name,
            owner,
            members,
        } => {
            slug("sharing group", &id)?;
            s.create_sharing_group(&SharingGroup {
                id: id.clone(),
                name,
                owner,
                members: members.clone(),
            })
            .await?;
            audit(
                s,
                "sharing-group",
                &id,
                serde_json::json!({"op": "create", "members": members}),
            )
            .await?;
            println!("sharing group {id} added");
        }
        SharingGroupCommand::List => {
            for g in s.sharing_groups().await? {
                println!(
                    "{:<24}  owner {:<16}  members {}  ({})",
                    g.id,
                    g.owner,
                    g.members.join(","),
                    g.name
                );
            }
        }
        SharingGroupCommand::SetMembers { id, members } => {
            if s.sharing_group(&id).await?.is_none() {
                anyhow::bail!("there is no sharing group {id:?}");
            }
            s.set_sharing_group_members(&id, &members).await?;
            audit(
                s,
                "sharing-group",
                &id,
                serde_json::json!({"op": "members", "members": members}),
            )
            .await?;
            println!("sharing group {id}: {}", members.join(","));
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `vigie audit verify`: walks the hash chain; exit 1 when anything was edited or removed.
pub async fn audit_verify(at: &crate::cli::StoreAt) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let check = store.audit_verify().await?;
    store.close().await;
    if check.ok() {
        println!(
            "audit log intact: {} entries, every link checked",
            check.entries
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &check.problems {
            println!("{p}");
        }
        println!(
            "audit log TAMPERED: {} problem(s) in {} entries",
            check.problems.len(),
            check.entries
        );
        Ok(ExitCode::from(1))
    }
}

/// `vigie audit list`: the entries, oldest first, as JSON lines.
pub async fn audit_list(at: &crate::cli::StoreAt) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(at).await?;
    let mut after = 0;
    loop {
        let page = store.audit_entries(None, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            println!("{}", serde_json::to_string(e)?);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
