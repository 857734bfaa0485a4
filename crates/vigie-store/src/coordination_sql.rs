//! Every backend's [`crate::Coordination`], written once: each read of a task or of its
//! history begins its WHERE clause with the gate.

/// Expands to `impl Coordination for $store`.
#[macro_export]
macro_rules! impl_coordination {
    ($store:ty, db: $db:ty, pool: $pool:ident $(,)?) => {
        const _: () = {
            use ::sqlx::Row as _;
            use $crate::gate::push_visible;

            type Qb<'a> = ::sqlx::QueryBuilder<'a, $db>;
            $crate::record_helpers!($db);

            fn json<T: $crate::__serde::de::DeserializeOwned>(
                row: &<$db as ::sqlx::Database>::Row,
                i: usize,
                column: &'static str,
            ) -> Result<T, $crate::StoreError> {
                let text: String = row.try_get(i)?;
                ::serde_json::from_str(&text).map_err(|e| $crate::StoreError::corrupt(column, e))
            }

            fn text<T: $crate::__serde::Serialize>(value: &T) -> String {
                ::serde_json::to_string(value).unwrap_or_else(|_| "null".into())
            }

            const TASK_COLUMNS: &str = "r.id, r.title, r.task_type, r.countries, r.regions, \
                 r.effort_days, r.budget, r.deadline, r.priority, r.depends_on, \
                 r.consent_required, r.consent_obtained, r.alert, r.status, r.assignee, \
                 r.declined_by, r.outcome, r.created_at, r.updated_at, r.owner, r.creator, \
                 r.marking, r.distribution, r.distribution_ref";

            async fn task_from_row(
                pool: &::sqlx::Pool<$db>,
                row: &<$db as ::sqlx::Database>::Row,
                viewer: &::vigie_core::Viewer,
            ) -> Result<::vigie_core::Task, $crate::StoreError> {
                let id: ::uuid::Uuid = row.try_get(0)?;
                let task_type: String = row.try_get(2)?;
                let priority: i64 = row.try_get(8)?;
                let required: i64 = row.try_get(10)?;
                let obtained: i64 = row.try_get(11)?;
                let status: String = row.try_get(13)?;
                Ok(::vigie_core::Task {
                    id,
                    title: row.try_get(1)?,
                    task_type: task_type
                        .parse()
                        .map_err(|e: ::vigie_core::CheckError| $crate::StoreError::corrupt("task_type", e.message))?,
                    countries: json(row, 3, "countries")?,
                    regions: json(row, 4, "regions")?,
                    effort_days: row.try_get(5)?,
                    budget: row.try_get(6)?,
                    deadline: row.try_get(7)?,
                    priority: u8::try_from(priority).map_err(|e| $crate::StoreError::corrupt("priority", e))?,
                    depends_on: json(row, 9, "depends_on")?,
                    hidden_dependencies: 0,
                    consent_required: required != 0,
                    consent_obtained: obtained != 0,
                    alert: row.try_get(12)?,
                    status: status
                        .parse()
                        .map_err(|e: ::vigie_core::CheckError| $crate::StoreError::corrupt("status", e.message))?,
                    assignee: row.try_get(14)?,
                    declined_by: json(row, 15, "declined_by")?,
                    outcome: row.try_get(16)?,
                    created_at: time_at(row, 17, "created_at")?,
                    updated_at: time_at(row, 18, "updated_at")?,
                    audience: audience_at(pool, row, 19, id, viewer).await?,
                })
            }

            async fn append_event(
                conn: &mut <$db as ::sqlx::Database>::Connection,
                task: ::uuid::Uuid,
                e: &$crate::TaskEvent,
            ) -> Result<(), $crate::StoreError> {
                ::sqlx::query(
                    "INSERT INTO task_events (task_id, at, actor, actor_org, from_status, \
                     to_status, org, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(task)
                .bind($crate::sql::timestamp(&e.at))
                .bind(e.actor.clone())
                .bind(e.actor_org.clone())
                .bind(e.from_status.map(|s| s.as_str().to_string()))
                .bind(e.to_status.as_str().to_string())
                .bind(e.org.clone())
                .bind(e.note.clone())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Keeps in each task's `depends_on` only the tasks `viewer` may see, and counts
            /// the others in `hidden_dependencies` (one query for all the tasks).
            async fn hide_dependencies(
                pool: &::sqlx::Pool<$db>,
                viewer: &::vigie_core::Viewer,
                tasks: &mut [::vigie_core::Task],
            ) -> Result<(), $crate::StoreError> {
                let mut wanted: Vec<::uuid::Uuid> =
                    tasks.iter().flat_map(|t| t.depends_on.iter().copied()).collect();
                if wanted.is_empty() {
                    return Ok(());
                }
                wanted.sort();
                wanted.dedup();
                let mut seen = ::std::collections::HashSet::new();
                for chunk in wanted.chunks(500) {
                    let mut qb = visible("r.id", "tasks", viewer);
                    qb.push(" AND r.id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                    for row in qb.build().fetch_all(pool).await? {
                        seen.insert(row.try_get::<::uuid::Uuid, _>(0)?);
                    }
                }
                for t in tasks {
                    let before = t.depends_on.len();
                    t.depends_on.retain(|d| seen.contains(d));
                    t.hidden_dependencies = u32::try_from(before - t.depends_on.len()).unwrap_or(u32::MAX);
                }
                Ok(())
            }

            #[::async_trait::async_trait]
            impl $crate::Coordination for $store {
                async fn coordination_profiles(
                    &self,
                ) -> Result<Vec<::vigie_core::CoordinationProfile>, $crate::StoreError> {
                    let rows = ::sqlx::query("SELECT profile FROM coordination_profiles ORDER BY org")
                        .fetch_all(&self.$pool)
                        .await?;
                    rows.iter().map(|r| json(r, 0, "profile")).collect()
                }

                async fn coordination_profile(
                    &self,
                    org: &str,
                ) -> Result<Option<::vigie_core::CoordinationProfile>, $crate::StoreError> {
                    let row = ::sqlx::query("SELECT profile FROM coordination_profiles WHERE org = $1")
                        .bind(org.to_string())
                        .fetch_optional(&self.$pool)
                        .await?;
                    row.map(|r| json(&r, 0, "profile")).transpose()
                }

                async fn set_coordination_profile(
                    &self,
                    profile: &::vigie_core::CoordinationProfile,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query(
                        "INSERT INTO coordination_profiles (org, profile, updated_at) VALUES \
                         ($1, $2, $3) ON CONFLICT (org) DO UPDATE SET profile = $2, updated_at = $3",
                    )
                    .bind(profile.org.clone())
                    .bind(text(profile))
                    .bind($crate::sql::timestamp(&::chrono::Utc::now()))
                    .execute(&mut *tx)
                    .await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn tasks(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::TaskFilter,
                ) -> Result<Vec<::vigie_core::Task>, $crate::StoreError> {
                    let mut qb = visible(TASK_COLUMNS, "tasks", viewer);
                    if let Some(s) = filter.status {
                        qb.push(" AND r.status = ").push_bind(s.as_str().to_string());
                    }
                    if let Some(a) = &filter.assignee {
                        qb.push(" AND r.assignee = ").push_bind(a.clone());
                    }
                    if let Some(a) = filter.alert {
                        qb.push(" AND r.alert = ").push_bind(a);
                    }
                    if let Some(c) = &filter.country {
                        // Country lists are JSON arrays of ISO3 codes: match the quoted code.
                        qb.push(" AND r.countries LIKE ")
                            .push_bind(format!("%\"{}\"%", c.trim().to_ascii_uppercase()));
                    }
                    qb.push(" ORDER BY r.deadline, r.seq");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        out.push(task_from_row(&self.$pool, row, viewer).await?);
                    }
                    hide_dependencies(&self.$pool, viewer, &mut out).await?;
                    Ok(out)
                }

                async fn task(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Option<::vigie_core::Task>, $crate::StoreError> {
                    let mut qb = visible(TASK_COLUMNS, "tasks", viewer);
                    qb.push(" AND r.id = ").push_bind(id);
                    let Some(row) = qb.build().fetch_optional(&self.$pool).await? else {
                        return Ok(None);
                    };
                    let mut tasks = vec![task_from_row(&self.$pool, &row, viewer).await?];
                    hide_dependencies(&self.$pool, viewer, &mut tasks).await?;
                    Ok(tasks.pop())
                }

                async fn create_task(
                    &self,
                    t: &::vigie_core::Task,
                    event: &$crate::TaskEvent,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let a = &t.audience;
                    let mut tx = self.$pool.begin().await?;
                    let q = ::sqlx::query(
                        "INSERT INTO tasks (id, title, task_type, countries, regions, effort_days, \
                         budget, deadline, priority, depends_on, consent_required, \
                         consent_obtained, alert, status, assignee, declined_by, outcome, \
                         created_at, updated_at, owner, creator, marking, distribution, \
                         distribution_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                         $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)",
                    )
                    .bind(t.id)
                    .bind(t.title.clone())
                    .bind(t.task_type.as_str().to_string())
                    .bind(text(&t.countries))
                    .bind(text(&t.regions))
                    .bind(t.effort_days)
                    .bind(t.budget)
                    .bind(t.deadline)
                    .bind(i64::from(t.priority))
                    .bind(text(&t.depends_on))
                    .bind(i64::from(t.consent_required))
                    .bind(i64::from(t.consent_obtained))
                    .bind(t.alert)
                    .bind(t.status.as_str().to_string())
                    .bind(t.assignee.clone())
                    .bind(text(&t.declined_by))
                    .bind(t.outcome.clone())
                    .bind($crate::sql::timestamp(&t.created_at))
                    .bind($crate::sql::timestamp(&t.updated_at));
                    let done = bind_audience(q, a)
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "task", &t.id.to_string())?;
                    write_names(&mut tx, t.id, a).await?;
                    append_event(&mut tx, t.id, event).await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn update_tasks(
                    &self,
                    changes: &[(::vigie_core::Task, $crate::TaskEvent)],
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    for (t, event) in changes {
                        let done = ::sqlx::query(
                            "UPDATE tasks SET title = $1, effort_days = $2, budget = $3, deadline = $4, \
                             priority = $5, consent_required = $6, consent_obtained = $7, \
                             status = $8, assignee = $9, declined_by = $10, outcome = $11, \
                             updated_at = $12, regions = $13 WHERE id = $14",
                        )
                        .bind(t.title.clone())
                        .bind(t.effort_days)
                        .bind(t.budget)
                        .bind(t.deadline)
                        .bind(i64::from(t.priority))
                        .bind(i64::from(t.consent_required))
                        .bind(i64::from(t.consent_obtained))
                        .bind(t.status.as_str().to_string())
                        .bind(t.assignee.clone())
                        .bind(text(&t.declined_by))
                        .bind(t.outcome.clone())
                        .bind($crate::sql::timestamp(&t.updated_at))
                        .bind(text(&t.regions))
                        .bind(t.id)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            return Err($crate::StoreError::Missing { what: "task", id: t.id.to_string() });
                        }
                        append_event(&mut tx, t.id, event).await?;
                    }
                    <$store>::commit_audited(tx, audit).await
                }

                async fn task_events(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Vec<$crate::TaskEvent>, $crate::StoreError> {
                    let mut qb = Qb::new(
                        "SELECT e.at, e.actor, e.actor_org, e.from_status, e.to_status, e.org, \
                         e.note FROM task_events e JOIN tasks r ON r.id = e.task_id WHERE ",
                    );
                    push_visible(&mut qb, "r", viewer);
                    qb.push(" AND e.task_id = ").push_bind(id);
                    qb.push(" ORDER BY e.seq");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let status = |s: String, c: &'static str| {
                        s.parse::<::vigie_core::TaskStatus>()
                            .map_err(|e: ::vigie_core::CheckError| $crate::StoreError::corrupt(c, e.message))
                    };
                    rows.iter()
                        .map(|r| {
                            let from: Option<String> = r.try_get(3)?;
                            Ok($crate::TaskEvent {
                                at: time_at(r, 0, "at")?,
                                actor: r.try_get(1)?,
                                actor_org: r.try_get(2)?,
                                from_status: from.map(|s| status(s, "from_status")).transpose()?,
                                to_status: status(r.try_get(4)?, "to_status")?,
                                org: r.try_get(5)?,
                                note: r.try_get(6)?,
                            })
                        })
                        .collect()
                }
            }
        };
    };
}
