//! `vigie org|user|community|sharing-group …`: administration from the command line, for
//! whoever holds the database (the first site-admin is made this way). Every change is
//! written to the audit log, with the actor `cli`.

use std::io::BufRead;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use vigie_core::{
    check_org_id, check_scoped_id, check_slug, Community, Membership, OrgKind, Organisation, Role,
    SharingGroup, User,
};
use vigie_store::audit::NewAuditEntry;
use vigie_store::{Store, UserChange};

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation
    Add {
        /// Its id, a slug: e.g. ecowas, au-psd, mli-nia
        id: String,
        #[arg(long)]
        name: String,
        /// continental, regional, un, national-agency, ad-hoc-coalition, ngo or public-source
        #[arg(long, value_parser = |s: &str| s.parse::<OrgKind>().map_err(|e| e.message))]
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
        #[arg(long, value_delimiter = ',', required = true, value_parser = |s: &str| s.parse::<Role>().map_err(|e| e.message))]
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
        #[arg(value_delimiter = ',', required = true, value_parser = |s: &str| s.parse::<Role>().map_err(|e| e.message))]
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
    /// Make a state (ISO3) a member state from a day (until a day, exclusive): what rules
    /// scoped to the community's member states watch
    StateJoin {
        community: String,
        country: String,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        until: Option<NaiveDate>,
    },
    /// End a state's open membership: it is no longer a member state from this day
    StateLeave {
        community: String,
        country: String,
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

/// The audit entry of a change made from the command line (the store writes it with the
/// change, in one transaction).
fn audit(what: &str, id: &str, detail: serde_json::Value) -> NewAuditEntry {
    NewAuditEntry {
        actor: Some("cli".into()),
        actor_org: None,
        action: "admin".into(),
        record_kind: Some(what.into()),
        record_id: Some(id.into()),
        detail,
    }
}

fn slug(what: &str, s: &str) -> anyhow::Result<()> {
    check_slug(what, s).map_err(|e| anyhow::anyhow!(e.to_string()))
}

/// A user's or sharing group's id: a slug; one with a dot is `<org>.<name>`, in its own
/// organisation's space, as the API requires of every new one (the command line may also
/// create site-level names without a dot, e.g. `admin`).
fn scoped(what: &str, org: &str, id: &str) -> anyhow::Result<()> {
    slug(what, id)?;
    if id.contains('.') {
        check_scoped_id(what, org, id).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    }
    Ok(())
}

/// A password from standard input (first line), or a generated one that is printed.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if let Some(reason) = vigie_app::accounts::password_problem(&pw) {
            anyhow::bail!("{reason}");
        }
        Ok((pw, false))
    } else {
        let bytes = vigie_app::accounts::random_bytes(15);
        use base64::Engine as _;
        Ok((
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            true,
        ))
    }
}

pub async fn org(at: &crate::store_at::StoreAt, cmd: OrgCommand) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    match cmd {
        OrgCommand::Add { id, name, kind } => {
            check_org_id(&id).map_err(|e| anyhow::anyhow!(e.to_string()))?;
            let entry = audit(
                "organisation",
                &id,
                serde_json::json!({"op": "create", "kind": kind}),
            );
            store
                .create_org(
                    &Organisation {
                        id: id.clone(),
                        name,
                        kind,
                    },
                    Some(&entry),
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

/// A change of `user`'s account, with a new password hash when given.
fn change<'a>(user: &'a User, password_hash: Option<&'a str>) -> UserChange<'a> {
    UserChange {
        user,
        password_hash,
        keep_session: None,
    }
}

async fn must_user(store: &dyn Store, id: &str) -> anyhow::Result<User> {
    store
        .user(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no user {id:?}"))
}

pub async fn user(at: &crate::store_at::StoreAt, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        UserCommand::Add {
            id,
            org,
            name,
            roles,
            password_stdin,
        } => {
            scoped("user", &org, &id)?;
            let roles: Vec<Role> = roles
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let (pw, generated) = password(password_stdin)?;
            let hash = vigie_app::accounts::hash_password(&pw);
            let user = User {
                id: id.clone(),
                org,
                name,
                roles,
                disabled: false,
            };
            let entry = audit(
                "user",
                &id,
                serde_json::json!({"op": "create", "org": user.org, "roles": user.roles}),
            );
            s.create_user(&user, Some(&hash), Some(&entry)).await?;
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
            let entry = audit(
                "user",
                &id,
                serde_json::json!({"op": "roles", "roles": u.roles}),
            );
            s.update_user(&change(&u, None), Some(&entry)).await?;
            println!("user {id}: {}", Role::join(&u.roles));
        }
        UserCommand::Disable { id } => {
            let mut u = must_user(s, &id).await?;
            u.disabled = true;
            let entry = audit("user", &id, serde_json::json!({"op": "disable"}));
            s.update_user(&change(&u, None), Some(&entry)).await?;
            println!("user {id} disabled");
        }
        UserCommand::Enable { id } => {
            let mut u = must_user(s, &id).await?;
            u.disabled = false;
            let entry = audit("user", &id, serde_json::json!({"op": "enable"}));
            s.update_user(&change(&u, None), Some(&entry)).await?;
            println!("user {id} enabled");
        }
        UserCommand::Password { id, password_stdin } => {
            let u = must_user(s, &id).await?;
            let (pw, generated) = password(password_stdin)?;
            let hash = vigie_app::accounts::hash_password(&pw);
            let entry = audit("user", &id, serde_json::json!({"op": "password"}));
            let revoked = s
                .update_user(&change(&u, Some(&hash)), Some(&entry))
                .await?;
            println!(
                "password of {id} changed; {} session(s) ended and {} API token(s) revoked",
                revoked.sessions, revoked.tokens
            );
            if generated {
                println!("password: {pw}");
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn community(
    at: &crate::store_at::StoreAt,
    cmd: CommunityCommand,
) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        CommunityCommand::Add { id, name } => {
            slug("community", &id)?;
            let entry = audit("community", &id, serde_json::json!({"op": "create"}));
            s.create_community(
                &Community {
                    id: id.clone(),
                    name,
                },
                Some(&entry),
            )
            .await?;
            println!("community {id} added");
        }
        CommunityCommand::List => {
            let members = s.memberships(None).await?;
            let states = s.member_states(None).await?;
            for c in s.communities().await? {
                println!("{}  {}", c.id, c.name);
                for m in members.iter().filter(|m| m.community == c.id) {
                    let until = m.until.map(|u| u.to_string()).unwrap_or_else(|| "…".into());
                    println!("    {:<24}  {} – {}", m.org, m.from, until);
                }
                for m in states.iter().filter(|m| m.community == c.id) {
                    let until = m.until.map(|u| u.to_string()).unwrap_or_else(|| "…".into());
                    println!("    state {:<18}  {} – {}", m.country, m.from, until);
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
            let entry = audit(
                "community",
                &community,
                serde_json::json!({"op": "join", "org": org, "from": from, "until": until}),
            );
            s.add_membership(
                &Membership {
                    community: community.clone(),
                    org: org.clone(),
                    from,
                    until,
                },
                Some(&entry),
            )
            .await?;
            println!("{org} is a member of {community} from {from}");
        }
        CommunityCommand::Leave { community, org, on } => {
            let entry = audit(
                "community",
                &community,
                serde_json::json!({"op": "leave", "org": org, "on": on}),
            );
            if !s.end_membership(&community, &org, on, Some(&entry)).await? {
                anyhow::bail!(
                    "{org} has no open membership of {community} that began on or before {on}"
                );
            }
            println!("{org} is no longer a member of {community} from {on}");
        }
        CommunityCommand::StateJoin {
            community,
            country,
            from,
            until,
        } => {
            let country = country.trim().to_ascii_uppercase();
            vigie_core::country::checked(&country).map_err(|e| anyhow::anyhow!("{e}"))?;
            if until.is_some_and(|u| u <= from) {
                anyhow::bail!(
                    "--until {} is not after --from {from}",
                    until.unwrap_or(from)
                );
            }
            let entry = audit(
                "community",
                &community,
                serde_json::json!({"op": "state-join", "country": country, "from": from, "until": until}),
            );
            s.add_member_state(
                &vigie_core::MemberState {
                    community: community.clone(),
                    country: country.clone(),
                    from,
                    until,
                },
                Some(&entry),
            )
            .await?;
            println!("{country} is a member state of {community} from {from}");
        }
        CommunityCommand::StateLeave {
            community,
            country,
            on,
        } => {
            let country = country.trim().to_ascii_uppercase();
            let entry = audit(
                "community",
                &community,
                serde_json::json!({"op": "state-leave", "country": country, "on": on}),
            );
            if !s
                .end_member_state(&community, &country, on, Some(&entry))
                .await?
            {
                anyhow::bail!(
                    "{country} has no open membership of {community} that began on or before {on}"
                );
            }
            println!("{country} is no longer a member state of {community} from {on}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn sharing_group(
    at: &crate::store_at::StoreAt,
    cmd: SharingGroupCommand,
) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let s = store.as_ref();
    match cmd {
        SharingGroupCommand::Add {
            id,
            name,
            owner,
            members,
        } => {
            scoped("sharing group", &owner, &id)?;
            let entry = audit(
                "sharing-group",
                &id,
                serde_json::json!({"op": "create", "members": members}),
            );
            s.create_sharing_group(
                &SharingGroup {
                    id: id.clone(),
                    name,
                    owner,
                    members: members.clone(),
                },
                Some(&entry),
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
            let entry = audit(
                "sharing-group",
                &id,
                serde_json::json!({"op": "members", "members": members}),
            );
            s.set_sharing_group_members(&id, &members, Some(&entry))
                .await?;
            println!("sharing group {id}: {}", members.join(","));
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `vigie audit verify`: walks the hash chain; exit 1 when anything was edited or removed.
pub async fn audit_verify(at: &crate::store_at::StoreAt) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
    let check = vigie_app::admin::audit_chain(store.as_ref()).await;
    store.close().await;
    let check = check?;
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
pub async fn audit_list(at: &crate::store_at::StoreAt) -> anyhow::Result<ExitCode> {
    let store = crate::store_at::open_store(at).await?;
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

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: any edited or removed entry is reported (exit 1)
    Verify,
    /// Print every entry, oldest first, as JSON lines
    List,
}
