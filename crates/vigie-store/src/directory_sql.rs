//! Every backend's [`crate::Directory`], written once (see `impl_records!` for the pattern).

/// Expands to `impl Directory for $store`; `pool` names the field holding the sqlx pool.
#[macro_export]
macro_rules! impl_directory {
    ($store:ty, db: $db:ty, pool: $pool:ident $(,)?) => {
        const _: () = {
            use ::sqlx::Row as _;
            use $crate::StoreError;

            type Row = <$db as ::sqlx::Database>::Row;

            use $crate::sql::{timestamp as ts, timestamp_at as time};

            fn org_from(row: &Row) -> Result<::vigie_core::Organisation, StoreError> {
                let kind: String = row.try_get(2)?;
                Ok(::vigie_core::Organisation {
                    id: row.try_get(0)?,
                    name: row.try_get(1)?,
                    kind: kind.parse().map_err(|e: ::vigie_core::CheckError| StoreError::corrupt("kind", e.message))?,
                })
            }

            fn user_from(row: &Row) -> Result<::vigie_core::User, StoreError> {
                let roles: String = row.try_get(3)?;
                let disabled: i64 = row.try_get(4)?;
                Ok(::vigie_core::User {
                    id: row.try_get(0)?,
                    org: row.try_get(1)?,
                    name: row.try_get(2)?,
                    roles: ::vigie_core::Role::parse_list(&roles).map_err(|e| StoreError::corrupt("roles", e.message))?,
                    disabled: disabled != 0,
                })
            }

            fn token_from(row: &Row) -> Result<$crate::ApiToken, StoreError> {
                let scope: String = row.try_get(4)?;
                let revoked: Option<String> = row.try_get(7)?;
                Ok($crate::ApiToken {
                    id: row.try_get(0)?,
                    user_id: row.try_get(1)?,
                    name: row.try_get(2)?,
                    secret_hash: row.try_get(3)?,
                    scope: $crate::TokenScope::parse(&scope).ok_or_else(|| StoreError::corrupt("scope", &scope))?,
                    created_at: time(row, 5, "created_at")?,
                    expires_at: time(row, 6, "expires_at")?,
                    revoked_at: match revoked {
                        None => None,
                        Some(_) => Some(time(row, 7, "revoked_at")?),
                    },
                })
            }

            fn audit_from(row: &Row) -> Result<$crate::audit::AuditEntry, StoreError> {
                Ok($crate::audit::AuditEntry {
                    seq: row.try_get(0)?,
                    at: row.try_get(1)?,
                    actor: row.try_get(2)?,
                    actor_org: row.try_get(3)?,
                    action: row.try_get(4)?,
                    record_kind: row.try_get(5)?,
                    record_id: row.try_get(6)?,
                    detail: row.try_get(7)?,
                    prev_hash: row.try_get(8)?,
                    hash: row.try_get(9)?,
                })
            }

            /// The row `sql` (`… WHERE id = $1`) finds for `id`, read by `from`.
            async fn by_id<T>(
                pool: &::sqlx::Pool<$db>,
                sql: &str,
                id: &str,
                from: fn(&Row) -> Result<T, StoreError>,
            ) -> Result<Option<T>, StoreError> {
                ::sqlx::query(sql)
                    .bind(id.to_string())
                    .fetch_optional(pool)
                    .await?
                    .as_ref()
                    .map(from)
                    .transpose()
            }

            const USER_COLUMNS: &str = "id, org, name, roles, disabled";
            const TOKEN_COLUMNS: &str =
                "id, user_id, name, secret_hash, scope, created_at, expires_at, revoked_at";
            const AUDIT_COLUMNS: &str =
                "seq, at, actor, actor_org, action, record_kind, record_id, detail, prev_hash, hash";

            /// Replaces a sharing group's member list on `conn`.
            async fn write_group_members(
                conn: &mut <$db as ::sqlx::Database>::Connection,
                id: &str,
                members: &[String],
            ) -> Result<(), StoreError> {
                ::sqlx::query("DELETE FROM sharing_group_members WHERE sharing_group = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let mut sorted = members.to_vec();
                sorted.sort();
                sorted.dedup();
                for m in sorted {
                    ::sqlx::query("INSERT INTO sharing_group_members (sharing_group, org) VALUES ($1, $2)")
                        .bind(id.to_string())
                        .bind(m)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            impl $store {
                /// Appends `e` to the audit log on `conn`, inside the caller's transaction:
                /// a change and its audit entry land together or not at all. Writing first
                /// takes the write lock (SQLite) or the head's row lock (PostgreSQL) before
                /// the head is read, so appenders queue.
                #[doc(hidden)]
                pub async fn append_audit(
                    conn: &mut <$db as ::sqlx::Database>::Connection,
                    e: &$crate::audit::NewAuditEntry,
                ) -> Result<i64, StoreError> {
                    ::sqlx::query(
                        "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING",
                    )
                    .execute(&mut *conn)
                    .await?;
                    let row = ::sqlx::query(
                        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
                    )
                    .fetch_one(&mut *conn)
                    .await?;
                    let seq: i64 = row.try_get(0)?;
                    let prev: String = row.try_get(1)?;
                    let at = $crate::audit::now_text();
                    let detail = e.detail.to_string();
                    let hash = $crate::audit::entry_hash(
                        &prev,
                        seq,
                        &at,
                        e.actor.as_deref(),
                        e.actor_org.as_deref(),
                        &e.action,
                        e.record_kind.as_deref(),
                        e.record_id.as_deref(),
                        &detail,
                    );
                    ::sqlx::query(&format!(
                        "INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ))
                    .bind(seq)
                    .bind(at)
                    .bind(e.actor.clone())
                    .bind(e.actor_org.clone())
                    .bind(e.action.clone())
                    .bind(e.record_kind.clone())
                    .bind(e.record_id.clone())
                    .bind(detail)
                    .bind(prev)
                    .bind(hash.clone())
                    .execute(&mut *conn)
                    .await?;
                    ::sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                        .bind(hash)
                        .execute(&mut *conn)
                        .await?;
                    Ok(seq)
                }

                /// [`Self::append_audit`] when there is an entry.
                #[doc(hidden)]
                pub async fn append_audit_opt(
                    conn: &mut <$db as ::sqlx::Database>::Connection,
                    e: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    if let Some(e) = e {
                        Self::append_audit(conn, e).await?;
                    }
                    Ok(())
                }

                /// Appends `audit` (if any) and commits: how every write ends, so that a
                /// change and its audit entry land together or not at all.
                #[doc(hidden)]
                pub async fn commit_audited(
                    mut tx: ::sqlx::Transaction<'_, $db>,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    Self::append_audit_opt(&mut *tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                /// [`Self::commit_audited`] when the write changed `rows` rows; when it
                /// changed none, nothing is written, not even the entry (the transaction
                /// rolls back), and the answer is `false`.
                #[doc(hidden)]
                pub async fn commit_if_changed(
                    tx: ::sqlx::Transaction<'_, $db>,
                    rows: u64,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<bool, StoreError> {
                    if rows == 0 {
                        return Ok(false);
                    }
                    Self::commit_audited(tx, audit).await?;
                    Ok(true)
                }
            }

            #[::async_trait::async_trait]
            impl $crate::Directory for $store {
                async fn create_org(
                    &self,
                    org: &::vigie_core::Organisation,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "INSERT INTO organisations (id, name, kind, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(org.id.clone())
                    .bind(org.name.clone())
                    .bind(org.kind.as_str().to_string())
                    .bind(ts(&::chrono::Utc::now()))
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "organisation", &org.id)?;
                    Self::commit_audited(tx, audit).await
                }

                async fn orgs(&self) -> Result<Vec<::vigie_core::Organisation>, StoreError> {
                    ::sqlx::query("SELECT id, name, kind FROM organisations ORDER BY id")
                        .fetch_all(&self.$pool)
                        .await?
                        .iter()
                        .map(org_from)
                        .collect()
                }

                async fn org(&self, id: &str) -> Result<Option<::vigie_core::Organisation>, StoreError> {
                    let sql = "SELECT id, name, kind FROM organisations WHERE id = $1";
                    by_id(&self.$pool, sql, id, org_from).await
                }

                async fn create_user(
                    &self,
                    user: &::vigie_core::User,
                    password_hash: Option<&str>,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    if self.org(&user.org).await?.is_none() {
                        return Err(StoreError::Missing { what: "organisation", id: user.org.clone() });
                    }
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "INSERT INTO users (id, org, name, roles, password_hash, disabled, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(user.id.clone())
                    .bind(user.org.clone())
                    .bind(user.name.clone())
                    .bind(::vigie_core::Role::join(&user.roles))
                    .bind(password_hash.map(str::to_string))
                    .bind(i64::from(user.disabled))
                    .bind(ts(&::chrono::Utc::now()))
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "user", &user.id)?;
                    Self::commit_audited(tx, audit).await
                }

                async fn user(&self, id: &str) -> Result<Option<::vigie_core::User>, StoreError> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
                    by_id(&self.$pool, &sql, id, user_from).await
                }

                async fn users(&self, org: Option<&str>) -> Result<Vec<::vigie_core::User>, StoreError> {
                    let rows = match org {
                        Some(o) => ::sqlx::query(&format!(
                            "SELECT {USER_COLUMNS} FROM users WHERE org = $1 ORDER BY id"
                        ))
                        .bind(o.to_string())
                        .fetch_all(&self.$pool)
                        .await?,
                        None => ::sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
                            .fetch_all(&self.$pool)
                            .await?,
                    };
                    rows.iter().map(user_from).collect()
                }

                async fn update_user(
                    &self,
                    change: &$crate::UserChange<'_>,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<$crate::Revoked, StoreError> {
                    let user = change.user;
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "UPDATE users SET name = $1, roles = $2, disabled = $3 WHERE id = $4",
                    )
                    .bind(user.name.clone())
                    .bind(::vigie_core::Role::join(&user.roles))
                    .bind(i64::from(user.disabled))
                    .bind(user.id.clone())
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing { what: "user", id: user.id.clone() });
                    }
                    let mut revoked = $crate::Revoked::default();
                    if let Some(hash) = change.password_hash {
                        ::sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                            .bind(hash.to_string())
                            .bind(user.id.clone())
                            .execute(&mut *tx)
                            .await?;
                        let keep = change.keep_session.map(<[u8]>::to_vec).unwrap_or_default();
                        revoked.sessions = ::sqlx::query(
                            "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                        )
                        .bind(user.id.clone())
                        .bind(keep)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        let now = ts(&::chrono::Utc::now());
                        revoked.tokens = ::sqlx::query(
                            "UPDATE api_tokens SET revoked_at = $1 \
                             WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > $1",
                        )
                        .bind(now)
                        .bind(user.id.clone())
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    Self::commit_audited(tx, audit).await?;
                    Ok(revoked)
                }

                async fn locale(&self, user: &str) -> Result<Option<String>, StoreError> {
                    let row: Option<Option<String>> =
                        ::sqlx::query_scalar("SELECT locale FROM users WHERE id = $1")
                            .bind(user.to_string())
                            .fetch_optional(&self.$pool)
                            .await?;
                    Ok(row.flatten())
                }

                async fn set_locale(&self, user: &str, locale: &str) -> Result<(), StoreError> {
                    let done = ::sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
                        .bind(locale.to_string())
                        .bind(user.to_string())
                        .execute(&self.$pool)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing { what: "user", id: user.to_string() });
                    }
                    Ok(())
                }

                async fn password_hash(&self, user: &str) -> Result<Option<String>, StoreError> {
                    let row: Option<Option<String>> =
                        ::sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                            .bind(user.to_string())
                            .fetch_optional(&self.$pool)
                            .await?;
                    Ok(row.flatten())
                }

                async fn create_community(
                    &self,
                    c: &::vigie_core::Community,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query("INSERT INTO communities (id, name) VALUES ($1, $2)")
                        .bind(c.id.clone())
                        .bind(c.name.clone())
                        .execute(&mut *tx)
                        .await;
                    $crate::conflict_or(done, "community", &c.id)?;
                    Self::commit_audited(tx, audit).await
                }

                async fn communities(&self) -> Result<Vec<::vigie_core::Community>, StoreError> {
                    let rows = ::sqlx::query("SELECT id, name FROM communities ORDER BY id")
                        .fetch_all(&self.$pool)
                        .await?;
                    rows.iter()
                        .map(|r| Ok(::vigie_core::Community { id: r.try_get(0)?, name: r.try_get(1)? }))
                        .collect()
                }

                async fn memberships(
                    &self,
                    community: Option<&str>,
                ) -> Result<Vec<::vigie_core::Membership>, StoreError> {
                    let mut qb = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT community, org, valid_from, valid_until FROM community_memberships",
                    );
                    if let Some(c) = community {
                        qb.push(" WHERE community = ").push_bind(c.to_string());
                    }
                    qb.push(" ORDER BY community, org, valid_from");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok(::vigie_core::Membership {
                                community: r.try_get(0)?,
                                org: r.try_get(1)?,
                                from: r.try_get(2)?,
                                until: r.try_get(3)?,
                            })
                        })
                        .collect()
                }

                async fn add_membership(
                    &self,
                    m: &::vigie_core::Membership,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    if self.org(&m.org).await?.is_none() {
                        return Err(StoreError::Missing { what: "organisation", id: m.org.clone() });
                    }
                    let exists: Option<String> =
                        ::sqlx::query_scalar("SELECT id FROM communities WHERE id = $1")
                            .bind(m.community.clone())
                            .fetch_optional(&self.$pool)
                            .await?;
                    if exists.is_none() {
                        return Err(StoreError::Missing { what: "community", id: m.community.clone() });
                    }
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "INSERT INTO community_memberships (community, org, valid_from, valid_until) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(m.community.clone())
                    .bind(m.org.clone())
                    .bind(m.from)
                    .bind(m.until)
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "membership", &format!("{} in {} from {}", m.org, m.community, m.from))?;
                    Self::commit_audited(tx, audit).await
                }

                async fn member_states(
                    &self,
                    community: Option<&str>,
                ) -> Result<Vec<::vigie_core::MemberState>, StoreError> {
                    let mut qb = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT community, country, valid_from, valid_until FROM community_states",
                    );
                    if let Some(c) = community {
                        qb.push(" WHERE community = ").push_bind(c.to_string());
                    }
                    qb.push(" ORDER BY community, country, valid_from");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok(::vigie_core::MemberState {
                                community: r.try_get(0)?,
                                country: r.try_get(1)?,
                                from: r.try_get(2)?,
                                until: r.try_get(3)?,
                            })
                        })
                        .collect()
                }

                async fn add_member_state(
                    &self,
                    m: &::vigie_core::MemberState,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let exists: Option<String> =
                        ::sqlx::query_scalar("SELECT id FROM communities WHERE id = $1")
                            .bind(m.community.clone())
                            .fetch_optional(&self.$pool)
                            .await?;
                    if exists.is_none() {
                        return Err(StoreError::Missing { what: "community", id: m.community.clone() });
                    }
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "INSERT INTO community_states (community, country, valid_from, valid_until) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(m.community.clone())
                    .bind(m.country.clone())
                    .bind(m.from)
                    .bind(m.until)
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "member state", &format!("{} in {} from {}", m.country, m.community, m.from))?;
                    Self::commit_audited(tx, audit).await
                }

                async fn end_member_state(
                    &self,
                    community: &str,
                    country: &str,
                    until: ::chrono::NaiveDate,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<bool, StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "UPDATE community_states SET valid_until = $1 \
                         WHERE community = $2 AND country = $3 AND valid_until IS NULL AND valid_from <= $1",
                    )
                    .bind(until)
                    .bind(community.to_string())
                    .bind(country.to_string())
                    .execute(&mut *tx)
                    .await?;
                    Self::commit_if_changed(tx, done.rows_affected(), audit).await
                }

                async fn end_membership(
                    &self,
                    community: &str,
                    org: &str,
                    until: ::chrono::NaiveDate,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<bool, StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "UPDATE community_memberships SET valid_until = $1 \
                         WHERE community = $2 AND org = $3 AND valid_until IS NULL AND valid_from <= $1",
                    )
                    .bind(until)
                    .bind(community.to_string())
                    .bind(org.to_string())
                    .execute(&mut *tx)
                    .await?;
                    Self::commit_if_changed(tx, done.rows_affected(), audit).await
                }

                async fn is_member(
                    &self,
                    community: &str,
                    org: &str,
                    day: ::chrono::NaiveDate,
                ) -> Result<bool, StoreError> {
                    let n: i64 = ::sqlx::query_scalar(
                        "SELECT count(*) FROM community_memberships WHERE community = $1 AND org = $2 \
                         AND valid_from <= $3 AND (valid_until IS NULL OR valid_until > $3)",
                    )
                    .bind(community.to_string())
                    .bind(org.to_string())
                    .bind(day)
                    .fetch_one(&self.$pool)
                    .await?;
                    Ok(n > 0)
                }

                async fn create_sharing_group(
                    &self,
                    g: &::vigie_core::SharingGroup,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    // Every reference is checked before anything is written, so that a
                    // refused group leaves nothing behind.
                    for o in ::std::iter::once(&g.owner).chain(&g.members) {
                        if self.org(o).await?.is_none() {
                            return Err(StoreError::Missing { what: "organisation", id: o.clone() });
                        }
                    }
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query("INSERT INTO sharing_groups (id, name, owner) VALUES ($1, $2, $3)")
                        .bind(g.id.clone())
                        .bind(g.name.clone())
                        .bind(g.owner.clone())
                        .execute(&mut *tx)
                        .await;
                    $crate::conflict_or(done, "sharing group", &g.id)?;
                    write_group_members(&mut *tx, &g.id, &g.members).await?;
                    Self::commit_audited(tx, audit).await
                }

                async fn set_sharing_group_members(
                    &self,
                    id: &str,
                    members: &[String],
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    for m in members {
                        if self.org(m).await?.is_none() {
                            return Err(StoreError::Missing { what: "organisation", id: m.clone() });
                        }
                    }
                    let mut tx = self.$pool.begin().await?;
                    write_group_members(&mut *tx, id, members).await?;
                    Self::commit_audited(tx, audit).await
                }

                async fn sharing_group(&self, id: &str) -> Result<Option<::vigie_core::SharingGroup>, StoreError> {
                    let Some(row) = ::sqlx::query("SELECT id, name, owner FROM sharing_groups WHERE id = $1")
                        .bind(id.to_string())
                        .fetch_optional(&self.$pool)
                        .await?
                    else {
                        return Ok(None);
                    };
                    let members: Vec<String> = ::sqlx::query_scalar(
                        "SELECT org FROM sharing_group_members WHERE sharing_group = $1 ORDER BY org",
                    )
                    .bind(id.to_string())
                    .fetch_all(&self.$pool)
                    .await?;
                    Ok(Some(::vigie_core::SharingGroup {
                        id: row.try_get(0)?,
                        name: row.try_get(1)?,
                        owner: row.try_get(2)?,
                        members,
                    }))
                }

                async fn sharing_groups(&self) -> Result<Vec<::vigie_core::SharingGroup>, StoreError> {
                    let ids: Vec<String> = ::sqlx::query_scalar("SELECT id FROM sharing_groups ORDER BY id")
                        .fetch_all(&self.$pool)
                        .await?;
                    let mut out = Vec::with_capacity(ids.len());
                    for id in ids {
                        if let Some(g) = self.sharing_group(&id).await? {
                            out.push(g);
                        }
                    }
                    Ok(out)
                }

                async fn create_session(
                    &self,
                    s: &$crate::Session,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(s.token_hash.clone())
                    .bind(s.user_id.clone())
                    .bind(s.csrf.clone())
                    .bind(ts(&s.created_at))
                    .bind(ts(&s.expires_at))
                    .execute(&mut *tx)
                    .await?;
                    Self::commit_audited(tx, audit).await
                }

                async fn session(&self, token_hash: &[u8]) -> Result<Option<$crate::Session>, StoreError> {
                    let Some(row) = ::sqlx::query(
                        "SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions \
                         WHERE token_hash = $1",
                    )
                    .bind(token_hash.to_vec())
                    .fetch_optional(&self.$pool)
                    .await?
                    else {
                        return Ok(None);
                    };
                    Ok(Some($crate::Session {
                        token_hash: row.try_get(0)?,
                        user_id: row.try_get(1)?,
                        csrf: row.try_get(2)?,
                        created_at: time(&row, 3, "created_at")?,
                        expires_at: time(&row, 4, "expires_at")?,
                    }))
                }

                async fn delete_session(
                    &self,
                    token_hash: &[u8],
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash.to_vec())
                        .execute(&mut *tx)
                        .await?;
                    Self::commit_audited(tx, audit).await
                }

                async fn create_token(
                    &self,
                    t: &$crate::ApiToken,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(&format!(
                        "INSERT INTO api_tokens ({TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(t.id.clone())
                    .bind(t.user_id.clone())
                    .bind(t.name.clone())
                    .bind(t.secret_hash.clone())
                    .bind(t.scope.as_str().to_string())
                    .bind(ts(&t.created_at))
                    .bind(ts(&t.expires_at))
                    .bind(t.revoked_at.as_ref().map(ts))
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "token", &t.id)?;
                    Self::commit_audited(tx, audit).await
                }

                async fn token(&self, id: &str) -> Result<Option<$crate::ApiToken>, StoreError> {
                    let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
                    by_id(&self.$pool, &sql, id, token_from).await
                }

                async fn tokens(&self, user: &str) -> Result<Vec<$crate::ApiToken>, StoreError> {
                    ::sqlx::query(&format!(
                        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id"
                    ))
                    .bind(user.to_string())
                    .fetch_all(&self.$pool)
                    .await?
                    .iter()
                    .map(token_from)
                    .collect()
                }

                async fn revoke_token(
                    &self,
                    id: &str,
                    at: ::chrono::DateTime<::chrono::Utc>,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<bool, StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let done = ::sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    )
                    .bind(ts(&at))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
                    Self::commit_if_changed(tx, done.rows_affected(), audit).await
                }

                async fn imports(&self) -> Result<Vec<$crate::ImportRecord>, StoreError> {
                    let rows = ::sqlx::query(
                        "SELECT id, file, format, file_size, started_at, finished_at, \
                         inserted, updated, unchanged, rejected \
                         FROM import_batches WHERE finished_at IS NOT NULL ORDER BY id",
                    )
                    .fetch_all(&self.$pool)
                    .await?;
                    rows.iter()
                        .map(|r| {
                            let n = |i: usize| -> Result<u64, StoreError> {
                                Ok(r.try_get::<i64, _>(i)?.max(0) as u64)
                            };
                            Ok($crate::ImportRecord {
                                id: r.try_get(0)?,
                                file: r.try_get(1)?,
                                format: r.try_get(2)?,
                                file_size: n(3)?,
                                started_at: r.try_get(4)?,
                                finished_at: r.try_get(5)?,
                                counts: $crate::ImportCounts {
                                    inserted: n(6)?,
                                    updated: n(7)?,
                                    unchanged: n(8)?,
                                },
                                rejected: n(9)?,
                            })
                        })
                        .collect()
                }

                async fn audit(&self, e: &$crate::audit::NewAuditEntry) -> Result<i64, StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let seq = Self::append_audit(&mut *tx, e).await?;
                    tx.commit().await?;
                    Ok(seq)
                }

                async fn audit_entries(
                    &self,
                    org: Option<&str>,
                    after: i64,
                    limit: i64,
                ) -> Result<Vec<$crate::audit::AuditEntry>, StoreError> {
                    let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > "
                    ));
                    qb.push_bind(after);
                    if let Some(o) = org {
                        qb.push(" AND actor_org = ").push_bind(o.to_string());
                    }
                    qb.push(format!(" ORDER BY seq LIMIT {}", limit.max(0)));
                    qb.build()
                        .fetch_all(&self.$pool)
                        .await?
                        .iter()
                        .map(audit_from)
                        .collect()
                }

                async fn record_changes(
                    &self,
                    record_kind: &str,
                    record_id: &str,
                ) -> Result<Vec<$crate::audit::AuditEntry>, StoreError> {
                    let mut qb = ::sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE record_kind = "
                    ));
                    qb.push_bind(record_kind.to_string());
                    qb.push(" AND record_id = ").push_bind(record_id.to_string());
                    qb.push(" AND action IN ('create', 'update', 'audience') ORDER BY seq");
                    qb.build()
                        .fetch_all(&self.$pool)
                        .await?
                        .iter()
                        .map(audit_from)
                        .collect()
                }

                async fn audit_verify(&self) -> Result<$crate::audit::AuditCheck, StoreError> {
                    let mut check = $crate::audit::AuditCheck {
                        entries: 0,
                        problems: Vec::new(),
                        first_broken: None,
                    };
                    let (mut last_seq, mut last_hash) = (0i64, String::new());
                    loop {
                        let page = self.audit_entries(None, last_seq, 5000).await?;
                        if page.is_empty() {
                            break;
                        }
                        check.entries += page.len() as i64;
                        let next = page.last().map(|e| e.seq).unwrap_or(last_seq);
                        let (_, h) = $crate::audit::check_run(&page, last_seq + 1, last_hash, &mut check);
                        last_seq = next;
                        last_hash = h;
                    }
                    let head = ::sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                        .fetch_optional(&self.$pool)
                        .await?;
                    let (head_seq, head_hash): (i64, String) = match head {
                        Some(r) => (r.try_get(0)?, r.try_get(1)?),
                        None => (0, String::new()),
                    };
                    if head_seq != last_seq || head_hash != last_hash {
                        check.first_broken.get_or_insert(last_seq.min(head_seq) + 1);
                        check.problems.push(format!(
                            "the log ends at entry {last_seq} but its head records entry {head_seq}: \
                             entries were removed from the end, or the head was altered"
                        ));
                    }
                    Ok(check)
                }
            }
        };
    };
}
