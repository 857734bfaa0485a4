//! Every backend's [`crate::Warnings`], written once, like `impl_records!`: each read of a
//! run, its forecasts or a rule begins its WHERE clause with the gate.

/// Expands to `impl Warnings for $store`.
#[macro_export]
macro_rules! impl_warnings {
    ($store:ty, db: $db:ty, pool: $pool:ident $(,)?) => {
        const _: () = {
            use ::sqlx::Row as _;
            use $crate::gate::push_visible;

            type Qb<'a> = ::sqlx::QueryBuilder<'a, $db>;
            $crate::record_helpers!($db);

            const RUN_COLUMNS: &str = "r.id, r.level, r.model, r.data_from, r.data_until, \
                 r.months, r.draws, r.computed_for, r.created_at, r.owner, r.creator, \
                 r.marking, r.distribution, r.distribution_ref, r.missing_months, r.missing";

            async fn run_from_row(
                pool: &::sqlx::Pool<$db>,
                row: &<$db as ::sqlx::Database>::Row,
                viewer: &::vigie_core::Viewer,
            ) -> Result<::vigie_core::ForecastRun, $crate::StoreError> {
                let id: ::uuid::Uuid = row.try_get(0)?;
                let level: String = row.try_get(1)?;
                let months: i64 = row.try_get(5)?;
                let draws: i64 = row.try_get(6)?;
                let missing_months: i64 = row.try_get(14)?;
                Ok(::vigie_core::ForecastRun {
                    id,
                    level: level.parse().map_err(|e: ::vigie_core::CheckError| $crate::StoreError::corrupt("level", e.message))?,
                    model: row.try_get(2)?,
                    data_from: row.try_get(3)?,
                    data_until: row.try_get(4)?,
                    months: u32::try_from(months).map_err(|e| $crate::StoreError::corrupt("months", e))?,
                    draws: u32::try_from(draws).map_err(|e| $crate::StoreError::corrupt("draws", e))?,
                    computed_for: row.try_get(7)?,
                    created_at: time_at(row, 8, "created_at")?,
                    audience: audience_at(pool, row, 9, id, viewer).await?,
                    missing_months: u32::try_from(missing_months).map_err(|e| $crate::StoreError::corrupt("missing_months", e))?,
                    missing: row.try_get(15)?,
                })
            }

            const RULE_COLUMNS: &str = "r.id, r.name, r.rule, r.units, r.webhook, r.created_at, \
                 r.owner, r.creator, r.marking, r.distribution, r.distribution_ref, r.name_key, r.scope";

            async fn rule_from_row(
                pool: &::sqlx::Pool<$db>,
                row: &<$db as ::sqlx::Database>::Row,
                viewer: &::vigie_core::Viewer,
            ) -> Result<::vigie_core::AlertRule, $crate::StoreError> {
                let id: ::uuid::Uuid = row.try_get(0)?;
                let rule: String = row.try_get(2)?;
                let units: String = row.try_get(3)?;
                let scope: Option<String> = row.try_get(12)?;
                Ok(::vigie_core::AlertRule {
                    id,
                    name: row.try_get(1)?,
                    name_key: row.try_get(11)?,
                    rule: ::serde_json::from_str(&rule).map_err(|e| $crate::StoreError::corrupt("rule", e))?,
                    units: ::serde_json::from_str(&units).map_err(|e| $crate::StoreError::corrupt("units", e))?,
                    scope: scope
                        .map(|s| ::serde_json::from_str(&s))
                        .transpose()
                        .map_err(|e| $crate::StoreError::corrupt("scope", e))?,
                    webhook: row.try_get(4)?,
                    created_at: time_at(row, 5, "created_at")?,
                    audience: audience_at(pool, row, 6, id, viewer).await?,
                })
            }

            const COVERAGE_COLUMNS: &str = "r.id, r.source, r.file, r.import_batch, r.countries, \
                 r.month_from, r.month_until, r.complete, r.basis, r.recorded_at, r.owner, \
                 r.creator, r.marking, r.distribution, r.distribution_ref, r.basis_key";

            async fn coverage_from_row(
                pool: &::sqlx::Pool<$db>,
                row: &<$db as ::sqlx::Database>::Row,
                viewer: &::vigie_core::Viewer,
            ) -> Result<::vigie_core::Coverage, $crate::StoreError> {
                let id: ::uuid::Uuid = row.try_get(0)?;
                let countries: String = row.try_get(4)?;
                let complete: i64 = row.try_get(7)?;
                let source: String = row.try_get(1)?;
                Ok(::vigie_core::Coverage {
                    id,
                    source: source
                        .parse()
                        .map_err(|e: ::vigie_core::CheckError| $crate::StoreError::corrupt("source", e.message))?,
                    file: row.try_get(2)?,
                    import_batch: row.try_get(3)?,
                    countries: ::serde_json::from_str(&countries)
                        .map_err(|e| $crate::StoreError::corrupt("countries", e))?,
                    from: row.try_get(5)?,
                    until: row.try_get(6)?,
                    complete: complete != 0,
                    basis: row.try_get(8)?,
                    basis_key: row.try_get(15)?,
                    recorded_at: time_at(row, 9, "recorded_at")?,
                    audience: audience_at(pool, row, 10, id, viewer).await?,
                })
            }

            #[::async_trait::async_trait]
            impl $crate::Warnings for $store {
                async fn coverage(
                    &self,
                    viewer: &::vigie_core::Viewer,
                ) -> Result<Vec<::vigie_core::Coverage>, $crate::StoreError> {
                    let mut qb = visible(COVERAGE_COLUMNS, "coverage", viewer);
                    qb.push(" ORDER BY r.seq");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        out.push(coverage_from_row(&self.$pool, row, viewer).await?);
                    }
                    Ok(out)
                }

                async fn create_coverage(
                    &self,
                    c: &::vigie_core::Coverage,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let q = ::sqlx::query($crate::warning::INSERT_COVERAGE);
                    let done = bind_audience($crate::warning::bind_coverage(q, c)?, &c.audience)
                        .execute(&mut *tx)
                        .await;
                    $crate::conflict_or(done, "coverage", &c.id.to_string())?;
                    write_names(&mut tx, c.id, &c.audience).await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn forecast_runs(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    level: Option<::vigie_core::Level>,
                ) -> Result<Vec<::vigie_core::ForecastRun>, $crate::StoreError> {
                    let mut qb = visible(RUN_COLUMNS, "forecast_runs", viewer);
                    if let Some(l) = level {
                        qb.push(" AND r.level = ").push_bind(l.as_str().to_string());
                    }
                    qb.push(" ORDER BY r.created_at DESC, r.seq DESC");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        out.push(run_from_row(&self.$pool, row, viewer).await?);
                    }
                    Ok(out)
                }

                async fn forecast_run(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Option<::vigie_core::ForecastRun>, $crate::StoreError> {
                    let mut qb = visible(RUN_COLUMNS, "forecast_runs", viewer);
                    qb.push(" AND r.id = ").push_bind(id);
                    match qb.build().fetch_optional(&self.$pool).await? {
                        Some(row) => Ok(Some(run_from_row(&self.$pool, &row, viewer).await?)),
                        None => Ok(None),
                    }
                }

                async fn forecasts(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    run: ::uuid::Uuid,
                    units: &[String],
                    month: Option<&str>,
                ) -> Result<Vec<::vigie_core::UnitForecast>, $crate::StoreError> {
                    let mut qb = Qb::new(
                        "SELECT f.unit, f.month, f.ahead, f.mean, f.q05, f.q50, f.q95, f.p_any, \
                         f.p_25, f.cumulative FROM forecasts f JOIN forecast_runs r ON r.id = \
                         f.run_id WHERE ",
                    );
                    push_visible(&mut qb, "r", viewer);
                    qb.push(" AND f.run_id = ").push_bind(run);
                    if !units.is_empty() {
                        qb.push(" AND f.unit IN (");
                        let mut list = qb.separated(", ");
                        for u in units {
                            list.push_bind(u.clone());
                        }
                        qb.push(")");
                    }
                    if let Some(m) = month {
                        qb.push(" AND f.month = ").push_bind(m.to_string());
                    }
                    qb.push(" ORDER BY f.unit, f.month");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    rows.iter()
                        .map(|r| {
                            let ahead: i64 = r.try_get(2)?;
                            let cumulative: String = r.try_get(9)?;
                            Ok(::vigie_core::UnitForecast {
                                unit: r.try_get(0)?,
                                month: r.try_get(1)?,
                                ahead: u32::try_from(ahead).map_err(|e| $crate::StoreError::corrupt("ahead", e))?,
                                mean: r.try_get(3)?,
                                q05: r.try_get(4)?,
                                q50: r.try_get(5)?,
                                q95: r.try_get(6)?,
                                p_any: r.try_get(7)?,
                                p_25: r.try_get(8)?,
                                cumulative: ::serde_json::from_str(&cumulative)
                                    .map_err(|e| $crate::StoreError::corrupt("cumulative", e))?,
                            })
                        })
                        .collect()
                }

                async fn create_forecast_run(
                    &self,
                    run: &::vigie_core::ForecastRun,
                    forecasts: &[::vigie_core::UnitForecast],
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let a = &run.audience;
                    let mut tx = self.$pool.begin().await?;
                    let q = ::sqlx::query(
                        "INSERT INTO forecast_runs (id, level, model, data_from, data_until, \
                         months, draws, computed_for, created_at, owner, creator, marking, \
                         distribution, distribution_ref, missing_months, missing) VALUES ($1, \
                         $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                    )
                    .bind(run.id)
                    .bind(run.level.as_str().to_string())
                    .bind(run.model.clone())
                    .bind(run.data_from.clone())
                    .bind(run.data_until.clone())
                    .bind(i64::from(run.months))
                    .bind(i64::from(run.draws))
                    .bind(run.computed_for.clone())
                    .bind($crate::sql::timestamp(&run.created_at));
                    let done = bind_audience(q, a)
                    .bind(i64::from(run.missing_months))
                    .bind(run.missing.clone())
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "forecast run", &run.id.to_string())?;
                    write_names(&mut tx, run.id, a).await?;
                    // Many rows per statement: a country run has ~2,400, a grid run more.
                    for chunk in forecasts.chunks(500) {
                        let mut qb = Qb::new(
                            "INSERT INTO forecasts (run_id, unit, month, ahead, mean, q05, q50, \
                             q95, p_any, p_25, cumulative) ",
                        );
                        qb.push_values(chunk, |mut b, f| {
                            b.push_bind(run.id)
                                .push_bind(f.unit.clone())
                                .push_bind(f.month.clone())
                                .push_bind(i64::from(f.ahead))
                                .push_bind(f.mean)
                                .push_bind(f.q05)
                                .push_bind(f.q50)
                                .push_bind(f.q95)
                                .push_bind(f.p_any)
                                .push_bind(f.p_25)
                                .push_bind(
                                    ::serde_json::to_string(&f.cumulative)
                                        .unwrap_or_else(|_| "[]".into()),
                                );
                        });
                        qb.build().execute(&mut *tx).await?;
                    }
                    <$store>::commit_audited(tx, audit).await
                }

                async fn alert_rules(
                    &self,
                    viewer: &::vigie_core::Viewer,
                ) -> Result<Vec<::vigie_core::AlertRule>, $crate::StoreError> {
                    let mut qb = visible(RULE_COLUMNS, "alert_rules", viewer);
                    qb.push(" ORDER BY r.seq");
                    let rows = qb.build().fetch_all(&self.$pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        out.push(rule_from_row(&self.$pool, row, viewer).await?);
                    }
                    Ok(out)
                }

                async fn alert_rule(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    id: ::uuid::Uuid,
                ) -> Result<Option<::vigie_core::AlertRule>, $crate::StoreError> {
                    let mut qb = visible(RULE_COLUMNS, "alert_rules", viewer);
                    qb.push(" AND r.id = ").push_bind(id);
                    match qb.build().fetch_optional(&self.$pool).await? {
                        Some(row) => Ok(Some(rule_from_row(&self.$pool, &row, viewer).await?)),
                        None => Ok(None),
                    }
                }

                async fn create_alert_rule(
                    &self,
                    rule: &::vigie_core::AlertRule,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let a = &rule.audience;
                    let mut tx = self.$pool.begin().await?;
                    let q = ::sqlx::query(
                        "INSERT INTO alert_rules (id, name, rule, units, webhook, created_at, \
                         owner, creator, marking, distribution, distribution_ref, name_key, scope) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(rule.id)
                    .bind(rule.name.clone())
                    .bind(::serde_json::to_string(&rule.rule).map_err(|e| $crate::StoreError::corrupt("rule", e))?)
                    .bind(::serde_json::to_string(&rule.units).map_err(|e| $crate::StoreError::corrupt("units", e))?)
                    .bind(rule.webhook.clone())
                    .bind($crate::sql::timestamp(&rule.created_at));
                    let done = bind_audience(q, a)
                    .bind(rule.name_key.clone())
                    .bind(
                        rule.scope
                            .as_ref()
                            .map(::serde_json::to_string)
                            .transpose()
                            .map_err(|e| $crate::StoreError::corrupt("scope", e))?,
                    )
                    .execute(&mut *tx)
                    .await;
                    $crate::conflict_or(done, "alert rule", &rule.id.to_string())?;
                    write_names(&mut tx, rule.id, a).await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn delete_alert_rule(
                    &self,
                    id: ::uuid::Uuid,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    for sql in [
                        "DELETE FROM alert_deliveries WHERE rule_id = $1",
                        "DELETE FROM alert_acks WHERE rule_id = $1",
                        "DELETE FROM audience_names WHERE record_id = $1",
                        "DELETE FROM alert_rules WHERE id = $1",
                    ] {
                        ::sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                    }
                    <$store>::commit_audited(tx, audit).await
                }

                async fn delivery(
                    &self,
                    rule: ::uuid::Uuid,
                    alert: ::uuid::Uuid,
                ) -> Result<Option<$crate::Delivery>, $crate::StoreError> {
                    let row = ::sqlx::query(
                        "SELECT attempts, last_status, delivered FROM alert_deliveries \
                         WHERE rule_id = $1 AND alert_id = $2",
                    )
                    .bind(rule)
                    .bind(alert)
                    .fetch_optional(&self.$pool)
                    .await?;
                    row.map(|r| {
                        let delivered: i64 = r.try_get(2)?;
                        Ok($crate::Delivery {
                            attempts: r.try_get(0)?,
                            last_status: r.try_get(1)?,
                            delivered: delivered != 0,
                        })
                    })
                    .transpose()
                }

                async fn note_alerts(
                    &self,
                    reader: &str,
                    alerts: &[(::uuid::Uuid, ::uuid::Uuid)],
                    at: ::chrono::DateTime<::chrono::Utc>,
                ) -> Result<Vec<::chrono::DateTime<::chrono::Utc>>, $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    let mut out = Vec::with_capacity(alerts.len());
                    for (alert, rule) in alerts {
                        ::sqlx::query(
                            "INSERT INTO alert_log (alert_id, reader, rule_id, first_seen) VALUES \
                             ($1, $2, $3, $4) ON CONFLICT (alert_id, reader) DO NOTHING",
                        )
                        .bind(*alert)
                        .bind(reader)
                        .bind(*rule)
                        .bind($crate::sql::timestamp(&at))
                        .execute(&mut *tx)
                        .await?;
                        let first: String = ::sqlx::query_scalar(
                            "SELECT first_seen FROM alert_log WHERE alert_id = $1 AND reader = $2",
                        )
                        .bind(*alert)
                        .bind(reader)
                        .fetch_one(&mut *tx)
                        .await?;
                        out.push($crate::sql::parse_timestamp(&first, "first_seen")?);
                    }
                    tx.commit().await?;
                    Ok(out)
                }

                async fn alerts_first_seen(
                    &self,
                    reader: &str,
                    alerts: &[::uuid::Uuid],
                ) -> Result<Vec<Option<::chrono::DateTime<::chrono::Utc>>>, $crate::StoreError> {
                    let mut out = Vec::with_capacity(alerts.len());
                    for alert in alerts {
                        let first: Option<String> = ::sqlx::query_scalar(
                            "SELECT first_seen FROM alert_log WHERE alert_id = $1 AND reader = $2",
                        )
                        .bind(*alert)
                        .bind(reader)
                        .fetch_optional(&self.$pool)
                        .await?;
                        out.push(
                            first
                                .map(|f| $crate::sql::parse_timestamp(&f, "first_seen"))
                                .transpose()?,
                        );
                    }
                    Ok(out)
                }

                async fn acknowledge_alert(
                    &self,
                    ack: &::vigie_core::AlertAck,
                    audit: Option<&$crate::audit::NewAuditEntry>,
                ) -> Result<(), $crate::StoreError> {
                    let mut tx = self.$pool.begin().await?;
                    ::sqlx::query(
                        "INSERT INTO alert_acks (alert_id, org, rule_id, user_id, at, note) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (alert_id, org) DO UPDATE \
                         SET rule_id = $3, user_id = $4, at = $5, note = $6",
                    )
                    .bind(ack.alert)
                    .bind(ack.org.clone())
                    .bind(ack.rule)
                    .bind(ack.user.clone())
                    .bind($crate::sql::timestamp(&ack.at))
                    .bind(ack.note.clone())
                    .execute(&mut *tx)
                    .await?;
                    <$store>::commit_audited(tx, audit).await
                }

                async fn alert_acks(
                    &self,
                    viewer: &::vigie_core::Viewer,
                    alerts: &[::uuid::Uuid],
                ) -> Result<Vec<::vigie_core::AlertAck>, $crate::StoreError> {
                    let mut out = Vec::new();
                    // In chunks, well under every backend's limit of bound values.
                    for chunk in alerts.chunks(500) {
                        let mut qb: Qb<'_> = ::sqlx::QueryBuilder::new(
                            "SELECT k.alert_id, k.rule_id, k.org, k.user_id, k.at, k.note \
                             FROM alert_acks k JOIN alert_rules r ON r.id = k.rule_id WHERE ",
                        );
                        push_visible(&mut qb, "r", viewer);
                        qb.push(" AND k.alert_id IN (");
                        let mut list = qb.separated(", ");
                        for a in chunk {
                            list.push_bind(*a);
                        }
                        qb.push(")");
                        for row in qb.build().fetch_all(&self.$pool).await? {
                            let at: String = row.try_get(4)?;
                            out.push(::vigie_core::AlertAck {
                                alert: row.try_get(0)?,
                                rule: row.try_get(1)?,
                                org: row.try_get(2)?,
                                user: row.try_get(3)?,
                                at: $crate::sql::parse_timestamp(&at, "at")?,
                                note: row.try_get(5)?,
                            });
                        }
                    }
                    out.sort_by(|a, b| (a.at, &a.org, a.alert).cmp(&(b.at, &b.org, b.alert)));
                    Ok(out)
                }

                async fn record_delivery(
                    &self,
                    rule: ::uuid::Uuid,
                    alert: ::uuid::Uuid,
                    status: &str,
                    delivered: bool,
                ) -> Result<(), $crate::StoreError> {
                    ::sqlx::query(
                        "INSERT INTO alert_deliveries (rule_id, alert_id, attempts, last_attempt, \
                         last_status, delivered) VALUES ($1, $2, 1, $3, $4, $5) \
                         ON CONFLICT (rule_id, alert_id) DO UPDATE SET \
                         attempts = alert_deliveries.attempts + 1, last_attempt = $3, \
                         last_status = $4, delivered = $5",
                    )
                    .bind(rule)
                    .bind(alert)
                    .bind($crate::sql::timestamp(&::chrono::Utc::now()))
                    .bind(status.to_string())
                    .bind(i64::from(delivered))
                    .execute(&self.$pool)
                    .await?;
                    Ok(())
                }
            }
        };
    };
}
