//! Every backend's [`crate::Records`], written once. `impl_records!` expands, inside a
//! backend crate, to the trait's implementation for that backend's concrete sqlx types;
//! only the dialect's few differences are passed in. Every read here begins its WHERE
//! clause with the gate, [`crate::gate::push_visible`].
//!
//! The expanding crate must depend on `sqlx`, `futures`, `tokio` (with `rt` and `sync`),
//! `uuid`, `chrono`, `serde_json`, `async-trait` and `vigie-core`.

/// Expands to `impl Records for $store`.
///
/// - `db`, `pool`: the sqlx database type, and the field of `$store` holding its pool;
/// - `month`: an SQL expression giving `date_start`'s `YYYY-MM`;
/// - `no_admin1`: a typed text NULL, for the columns a statistics grouping leaves empty;
/// - `sum`: a function-like SQL template summing as a 64-bit integer, `{}` for the operand.
#[macro_export]
macro_rules! impl_records {
    ($store:ty, db: $db:ty, pool: $pool:ident, month: $month:expr, no_admin1: $null:expr, sum: $sum:expr $(,)?) => {
        const _: () = {
            use ::futures::StreamExt as _;
            use ::sqlx::Row as _;
            use $crate::gate::push_visible;

            type Qb<'a> = ::sqlx::QueryBuilder<'a, $db>;
            $crate::record_helpers!($db);

            fn sum_of(col: &str) -> String {
                $sum.replace("{}", col)
            }

            const REPORT_COLUMNS: &str = "r.id, r.title, r.body, r.country, r.admin1, r.status, \
                 r.version, r.created_at, r.updated_at, r.owner, r.creator, r.marking, \
                 r.distribution, r.distribution_ref";

            async fn report_from_row(
                pool: &::sqlx::Pool<$db>,
                row: &<$db as ::sqlx::Database>::Row,
                viewer: &::vigie_core::Viewer,
            ) -> Result<::vigie_core::Report, $crate::StoreError> {
                let id: ::uuid::Uuid = row.try_get(0)?;
                let status: String = row.try_get(5)?;
                Ok(::vigie_core::Report {
                    id,
                    title: row.try_get(1)?,
                    body: row.try_get(2)?,
                    country: row.try_get(3)?,
                    admin1: row.try_get(4)?,
                    status: status.parse().map_err(|e: ::vigie_core::CheckError| {
                        $crate::StoreError::corrupt("status", e.message)
                    })?,
                    version: row.try_get(6)?,
                    created_at: time_at(row, 7, "created_at")?,
                    updated_at: time_at(row, 8, "updated_at")?,
                    audience: audience_at(pool, row, 9, id, viewer).await?,
                })
            }

            /// `SELECT <event columns>, <audience columns> FROM events r WHERE <gate>`.
            fn visible_events<'a>(viewer: &::vigie_core::Viewer) -> Qb<'a> {
                let columns = $crate::sql::event_column_list("r.");
                visible(&format!("{columns}, {AUDIENCE_COLUMNS}"), "events", viewer)
            }

            async fn one_event(
                pool: &::sqlx::Pool<$db>,
                mut qb: Qb<'_>,
                viewer: &::vigie_core::Viewer,
            ) -> Result<Option<(::vigie_core::Event, ::vigie_core::Audience)>, $crate::StoreError>
            {
                let Some(row) = qb.build().fetch_optional(pool).await? else {
                    return Ok(None);
                };
                let event = $crate::sql::event_from_row(&row, 0)?;
                let n = $crate::sql::EVENT_COLUMNS.len();
                let audience = audience_at(pool, &row, n, event.id, viewer).await?;
                Ok(Some((event, audience)))
            }

            #[::async_trait::async_trait]
            impl $crate::Records for $store {
                fn events<'a>(
                    &'a self,
                    viewer: &'a ::vigie_core::Viewer,
                    filter: &'a $crate::EventFilter,
                ) -> $crate::EventStream<'a> {
                    let (tx, rx) = ::tokio::sync::mpsc::channel::<
                        Result<::vigie_core::Event, $crate::StoreError>,
                    >(256);
                    let pool = self.$pool.clone();
                    let (viewer, filter) = (viewer.clone(), filter.clone());
                    ::tokio::spawn(async move {
                        let mut qb = visible(&$crate::sql::event_column_list("r."), "events", &viewer);
                        $crate::sql::push_event_filter(&mut qb, &filter);
                        $crate::sql::push_event_order_and_page(&mut qb, &filter);
                        let mut rows = qb.build().fetch(&pool);
                        while let Some(row) = rows.next().await {
                            let item = row
                                .map_err($crate::StoreError::from)
                                .and_then(|r| $crate::sql::event_from_row(&r, 0));
                            let failed = item.is_err();
                            if tx.send(item).await.is_err() || failed {
                                break;
                            }
                        }
                    });
                    ::futures::stream::unfold(rx, |mut rx| async move {
                        rx.recv().await.map(|item| (item, rx))
                    })
                    .boxed()
                }

                async fn event_points(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::EventFilter,
                ) -> Result<Vec<$crate::EventPoint>, $crate::StoreError> {
                    let mut qb = Qb::new(
                        "SELECT r.id, r.longitude, r.latitude, r.category, r.fatalities_best, \
                         r.marking, r.date_start FROM events r WHERE ",
                    );
                    push_visible(&mut qb, "r", viewer);
                    qb.push(" AND latitude IS NOT NULL AND longitude IS NOT NULL");
                    $crate::sql::push_event_filter(&mut qb, filter);
                    $crate::sql::push_event_order_and_page(&mut qb, filter);
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::EventPoint {
                                id: r.try_get(0)?,
                                longitude: r.try_get(1)?,
                                latitude: r.try_get(2)?,
                                category: r.try_get(3)?,
                                fatalities: r.try_get(4)?,
                                marking: r.try_get(5)?,
                                date: r.try_get(6)?,
                            })
                        })
                        .collect()
                }

                async fn count_events(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::EventFilter,
                ) -> Result<u64, $crate::StoreError> {
                    let n: i64 = match $crate::rollup::RollupFilter::of(filter) {
                        Some(rollup) => {
                            let mut qb = Qb::new(format!(
                                "SELECT {} FROM {} r WHERE ",
                                sum_of("events"),
                                rollup.count_table()
                            ));
                            push_visible(&mut qb, "r", viewer);
                            rollup.push(&mut qb);
                            qb.build_query_scalar().fetch_one(&self.$pool).await?
                        }
                        None => {
                            let mut qb = visible("count(*)", "events", viewer);
                            $crate::sql::push_event_filter(&mut qb, filter);
                            qb.build_query_scalar().fetch_one(&self.$pool).await?
                        }
                    };
                    Ok(n.max(0) as u64)
                }

                async fn event(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Option<(::vigie_core::Event, ::vigie_core::Audience)>, $crate::StoreError>
                {
                    let mut qb = visible_events(viewer);
                    qb.push(" AND r.id = ").push_bind(id);
                    one_event(&self.$pool, qb, viewer).await
                }

                async fn event_by_source(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    source: ::vigie_core::Source,
                    source_id: &str,
                ) -> Result<Option<(::vigie_core::Event, ::vigie_core::Audience)>, $crate::StoreError>
                {
                    let mut qb = visible_events(viewer);
                    qb.push(" AND r.source = ")
                        .push_bind(source.as_str().to_string());
                    qb.push(" AND r.source_id = ").push_bind(source_id.to_string());
                    one_event(&self.$pool, qb, viewer).await
                }

                async fn event_history(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Vec<$crate::EventVersion>, $crate::StoreError> {
                    let mut qb = Qb::new(format!(
                        "SELECT h.version, h.replaced_at, {} FROM event_history h \
                         WHERE h.id = ",
                        $crate::sql::event_column_list("h.")
                    ));
                    qb.push_bind(id);
                    qb.push(" AND EXISTS (SELECT 1 FROM events r WHERE r.id = h.id AND ");
                    push_visible(&mut qb, "r", viewer);
                    qb.push(") ORDER BY h.version");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::EventVersion {
                                version: r.try_get(0)?,
                                replaced_at: r.try_get(1)?,
                                event: $crate::sql::event_from_row(r, 2)?,
                            })
                        })
                        .collect()
                }

                async fn stats(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    by: $crate::StatsBy,
                    filter: &$crate::EventFilter,
                ) -> Result<Vec<$crate::StatRow>, $crate::StoreError> {
                    use $crate::StatsBy;
                    let rollup = match by {
                        StatsBy::GridMonth => None,
                        _ => $crate::rollup::RollupFilter::of(filter),
                    };
                    // Where the numbers come from: the rollup (a group whose events all
                    // moved away may keep a row, or PostgreSQL deltas, adding up to
                    // nothing) or the events themselves.
                    let (table, month, counted, fatalities, having) = match rollup {
                        Some(_) => (
                            "event_rollup",
                            "start_month".to_string(),
                            sum_of("events"),
                            sum_of("fatalities"),
                            format!(" HAVING {} <> 0", sum_of("events")),
                        ),
                        None => (
                            "events",
                            $month.to_string(),
                            "count(*)".to_string(),
                            sum_of("fatalities_best"),
                            String::new(),
                        ),
                    };
                    // The grouped columns, by name: for the rollup in its key's order, so
                    // that SQLite reads it in order instead of sorting it.
                    let keys: Vec<&str> = match by {
                        StatsBy::CountryMonth => vec!["country", &month],
                        StatsBy::Admin1Month => vec!["country", "admin1", &month],
                        StatsBy::CategoryMonth => vec!["category", &month],
                        StatsBy::Admin1 => vec!["country", "admin1"],
                        StatsBy::GridMonth => vec!["priogrid_gid", &month],
                    };
                    // Shown if grouped, else a typed NULL; the rollup stores unknown text
                    // as '', the events NULL.
                    let shown = |col: &str| match (keys.contains(&col), rollup.is_some()) {
                        (false, _) => $null.to_string(),
                        (true, true) => format!("NULLIF({col}, '')"),
                        (true, false) => col.to_string(),
                    };
                    let group = keys.join(", ");
                    let mut qb = Qb::new(format!(
                        "SELECT {}, {}, {}, {} AS month, {counted}, {fatalities}, {} FROM \
                         {table} r WHERE ",
                        shown("country"),
                        shown("admin1"),
                        shown("category"),
                        if keys.contains(&month.as_str()) { month.as_str() } else { $null },
                        if keys.contains(&"priogrid_gid") {
                            "priogrid_gid"
                        } else {
                            "CAST(NULL AS BIGINT)"
                        },
                    ));
                    push_visible(&mut qb, "r", viewer);
                    match &rollup {
                        Some(r) => r.push(&mut qb),
                        None => $crate::sql::push_event_filter(&mut qb, filter),
                    }
                    if by == StatsBy::GridMonth {
                        qb.push(" AND priogrid_gid IS NOT NULL");
                    }
                    qb.push(format!(" GROUP BY {group}{having} ORDER BY {group}"));
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::StatRow {
                                country: r.try_get(0)?,
                                admin1: r.try_get(1)?,
                                category: r.try_get(2)?,
                                month: r.try_get(3)?,
                                events: r.try_get(4)?,
                                fatalities: r.try_get(5)?,
                                priogrid_gid: r.try_get(6)?,
                            })
                        })
                        .collect()
                }

                async fn top_actors(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::EventFilter,
                    limit: u64,
                ) -> Result<Vec<$crate::ActorRow>, $crate::StoreError> {
                    // Each event counts once for each of its two sides.
                    let mut qb = Qb::new(format!(
                        "SELECT actor, count(*) AS n, {} FROM (SELECT CASE s.side WHEN 1 \
                         THEN r.side_a ELSE r.side_b END AS actor, r.fatalities_best \
                         FROM events r CROSS JOIN (SELECT 1 AS side UNION ALL SELECT 2) s WHERE ",
                        sum_of("fatalities_best")
                    ));
                    push_visible(&mut qb, "r", viewer);
                    $crate::sql::push_event_filter(&mut qb, filter);
                    qb.push(") a WHERE actor IS NOT NULL AND actor <> '' \
                             GROUP BY actor ORDER BY n DESC, actor LIMIT ");
                    qb.push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::ActorRow {
                                actor: r.try_get(0)?,
                                events: r.try_get(1)?,
                                fatalities: r.try_get(2)?,
                            })
                        })
                        .collect()
                }

                async fn grid_cells(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::EventFilter,
                    by_category: bool,
                ) -> Result<Vec<$crate::GridCell>, $crate::StoreError> {
                    let (category, group) = if by_category {
                        ("category", "1, 2")
                    } else {
                        ($null, "1")
                    };
                    let mut qb = Qb::new(format!(
                        "SELECT priogrid_gid, {category}, count(*), {} FROM events r WHERE ",
                        sum_of("fatalities_best")
                    ));
                    push_visible(&mut qb, "r", viewer);
                    qb.push(" AND priogrid_gid IS NOT NULL");
                    $crate::sql::push_event_filter(&mut qb, filter);
                    qb.push(format!(" GROUP BY {group} ORDER BY {group}"));
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::GridCell {
                                priogrid_gid: r.try_get(0)?,
                                category: r.try_get(1)?,
                                events: r.try_get(2)?,
                                fatalities: r.try_get(3)?,
                            })
                        })
                        .collect()
                }

                async fn reports(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::ReportFilter,
                ) -> Result<Vec<::vigie_core::Report>, $crate::StoreError> {
                    let mut qb = visible(REPORT_COLUMNS, "reports", viewer);
                    $crate::sql::push_report_filter(&mut qb, filter);
                    $crate::sql::push_report_order_and_page(&mut qb, filter);
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        out.push(report_from_row(&self.$pool, row, viewer).await?);
                    }
                    Ok(out)
                }

                async fn count_reports(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    filter: &$crate::ReportFilter,
                ) -> Result<u64, $crate::StoreError> {
                    let mut qb = visible("count(*)", "reports", viewer);
                    $crate::sql::push_report_filter(&mut qb, filter);
                    let n: i64 = qb.build_query_scalar().fetch_one(&self.$pool).await?;
                    Ok(n.max(0) as u64)
                }

                async fn report(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Option<::vigie_core::Report>, $crate::StoreError> {
                    let mut qb = visible(REPORT_COLUMNS, "reports", viewer);
                    qb.push(" AND r.id = ").push_bind(id);
                    match qb.build().fetch_optional(&self.$pool).await? {
                        Some(row) => Ok(Some(report_from_row(&self.$pool, &row, viewer).await?)),
                        None => Ok(None),
                    }
                }

                async fn could_read(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    audience: &::vigie_core::Audience,
                ) -> Result<bool, $crate::StoreError> {
                    // The record and its names as the gate reads them, from a CTE that
                    // stands in for the table `audience_names` in this query only.
                    let id = ::uuid::Uuid::nil();
                    let mut qb = Qb::new("WITH audience_names (record_id, name) AS (");
                    let names = audience.distribution.names();
                    if names.is_empty() {
                        qb.push("SELECT ").push_bind(id).push(", ").push_bind(String::new());
                        qb.push(" WHERE 1 = 0");
                    }
                    for (i, name) in names.iter().enumerate() {
                        if i > 0 {
                            qb.push(" UNION ALL ");
                        }
                        qb.push("SELECT ").push_bind(id).push(", ").push_bind(name.clone());
                    }
                    qb.push("), r AS (SELECT ").push_bind(id).push(" AS id, ");
                    qb.push_bind(audience.owner.clone()).push(" AS owner, ");
                    qb.push_bind(audience.creator.clone()).push(" AS creator, ");
                    qb.push_bind(audience.marking.as_str().to_string())
                        .push(" AS marking, ");
                    qb.push_bind(audience.distribution.kind().to_string())
                        .push(" AS distribution, ");
                    qb.push_bind(audience.distribution.reference().map(str::to_string))
                        .push(" AS distribution_ref) SELECT count(*) FROM r WHERE ");
                    push_visible(&mut qb, "r", viewer);
                    let n: i64 = qb.build_query_scalar().fetch_one(&self.$pool).await?;
                    Ok(n > 0)
                }

                async fn create_event(
                    &self,
                    event: &::vigie_core::Event,
                    audience: &::vigie_core::Audience,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let extra = event.extra_json();
                    let mut stored = event.clone();
                    stored.owner = audience.owner.clone();
                    stored.marking = audience.marking;
                    // The hash of what is stored (owner and marking are part of it), so
                    // that writing the same event again is seen as unchanged.
                    let hash = stored.content_hash_with_extra(&extra);
                    let mut tx = self.$pool.begin().await?;
                    let mut qb = Qb::new(format!(
                        "INSERT INTO events ({}, creator, distribution, distribution_ref) VALUES (",
                        $crate::sql::EVENT_COLUMNS.join(", ")
                    ));
                    $crate::sql::push_event_values(&mut qb, &stored, &extra, hash);
                    qb.push(", ").push_bind(audience.creator.clone());
                    qb.push(", ")
                        .push_bind(audience.distribution.kind().to_string());
                    qb.push(", ")
                        .push_bind(audience.distribution.reference().map(str::to_string));
                    qb.push(")");
                    let done = qb.build().execute(&mut *tx).await;
                    $crate::conflict_or(done, "event", &event.id.to_string())?;
                    write_names(&mut tx, event.id, audience).await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn create_report(
                    &self,
                    report: &::vigie_core::Report,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let a = &report.audience;
                    let mut tx = self.$pool.begin().await?;
                    let q = ::sqlx::query(
                        "INSERT INTO reports (id, title, body, country, admin1, status, version, \
                         created_at, updated_at, owner, creator, marking, distribution, \
                         distribution_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                         $12, $13, $14)",
                    )
                    .bind(report.id)
                    .bind(report.title.clone())
                    .bind(report.body.clone())
                    .bind(report.country.clone())
                    .bind(report.admin1.clone())
                    .bind(report.status.as_str().to_string())
                    .bind(report.version)
                    .bind($crate::sql::timestamp(&report.created_at))
                    .bind($crate::sql::timestamp(&report.updated_at));
                    let done = bind_audience(q, a)
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "report", &report.id.to_string())?;
                    write_names(&mut tx, report.id, a).await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn update_report(
                    &self,
                    report: &::vigie_core::Report,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query(
                        "UPDATE reports SET title = $1, body = $2, country = $3, admin1 = $4, \
                         status = $5, version = version + 1, updated_at = $6 WHERE id = $7",
                    )
                    .bind(report.title.clone())
                    .bind(report.body.clone())
                    .bind(report.country.clone())
                    .bind(report.admin1.clone())
                    .bind(report.status.as_str().to_string())
                    .bind($crate::sql::timestamp(&report.updated_at))
                    .bind(report.id)
                    .execute(&mut *tx)
                    .await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn set_audience(
                    &self,
                    kind: $crate::RecordKind,
                    id: ::uuid::Uuid,
                    audience: &::vigie_core::Audience,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    // Every update of an event puts the replaced row in its history under
                    // the row's version (a trigger), so a re-mark makes a new version too.
                    let bump = match kind {
                        $crate::RecordKind::Event => ", version = version + 1",
                        $crate::RecordKind::Report | $crate::RecordKind::Task => "",
                    };
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query(&format!(
                        "UPDATE {} SET marking = $1, distribution = $2, distribution_ref = $3{bump} \
                         WHERE id = $4",
                        kind.table()
                    ))
                    .bind(audience.marking.as_str().to_string())
                    .bind(audience.distribution.kind().to_string())
                    .bind(audience.distribution.reference().map(str::to_string))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    write_names(&mut tx, id, audience).await?;
                    <$store>::commit_audited(tx, audit).await
                }
            }
        };
    };
}

/// The helpers every record kind's SQL needs, for one backend's database type: the audience
/// columns, reading an audience and a timestamp from a row, and writing a record's names.
/// Expanded inside `impl_records!` and `impl_warnings!`.
#[doc(hidden)]
#[macro_export]
macro_rules! record_helpers {
    ($db:ty) => {
        /// Binds the five audience columns (owner, creator, marking, distribution and
        /// its reference), in that order, after the record's own.
        fn bind_audience<'q>(
            q: ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments<'q>>,
            a: &::vigie_core::Audience,
        ) -> ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments<'q>> {
            q.bind(a.owner.clone())
                .bind(a.creator.clone())
                .bind(a.marking.as_str().to_string())
                .bind(a.distribution.kind().to_string())
                .bind(a.distribution.reference().map(str::to_string))
        }

        const AUDIENCE_COLUMNS: &str =
            "r.owner, r.creator, r.marking, r.distribution, r.distribution_ref";

        /// `SELECT <columns> FROM <table> r WHERE <the gate>`: how every read of a record
        /// begins.
        fn visible<'a>(
            columns: &str,
            table: &str,
            viewer: &::vigie_core::Viewer,
        ) -> ::sqlx::QueryBuilder<'a, $db> {
            let mut qb =
                ::sqlx::QueryBuilder::new(format!("SELECT {columns} FROM {table} r WHERE "));
            $crate::gate::push_visible(&mut qb, "r", viewer);
            qb
        }

        /// The audience from the five AUDIENCE_COLUMNS at `at`, plus its stored names.
        async fn audience_at(
            pool: &::sqlx::Pool<$db>,
            row: &<$db as ::sqlx::Database>::Row,
            at: usize,
            id: ::uuid::Uuid,
            viewer: &::vigie_core::Viewer,
        ) -> Result<::vigie_core::Audience, $crate::StoreError> {
            let marking: String = row.try_get(at + 2)?;
            let owner: String = row.try_get(at)?;
            let kind: String = row.try_get(at + 3)?;
            let names = if kind == "organisations" || kind == "recipients" {
                ::sqlx::query_scalar::<_, String>(
                    "SELECT name FROM audience_names WHERE record_id = $1 ORDER BY name",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
            } else {
                Vec::new()
            };
            Ok(::vigie_core::Audience {
                creator: viewer.sees_creator(&owner, row.try_get(at + 1)?),
                owner,
                marking: marking.parse().map_err(|e: ::vigie_core::CheckError| {
                    $crate::StoreError::corrupt("marking", e.message)
                })?,
                distribution: ::vigie_core::Distribution::from_parts(
                    &kind,
                    row.try_get(at + 4)?,
                    names,
                )
                .map_err(|e| $crate::StoreError::corrupt("distribution", e.message))?,
            })
        }

        use $crate::sql::timestamp_at as time_at;

        /// Writes a record's names (named organisations or recipients).
        async fn write_names(
            conn: &mut <$db as ::sqlx::Database>::Connection,
            id: ::uuid::Uuid,
            audience: &::vigie_core::Audience,
        ) -> Result<(), $crate::StoreError> {
            ::sqlx::query("DELETE FROM audience_names WHERE record_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            for name in audience.distribution.names() {
                ::sqlx::query("INSERT INTO audience_names (record_id, name) VALUES ($1, $2)")
                    .bind(id)
                    .bind(name.clone())
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }
    };
}
