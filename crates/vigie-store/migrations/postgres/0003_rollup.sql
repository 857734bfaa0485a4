-- Derived: events and fatalities per audience and per (country, admin-1, start month, end
-- month, category, source), and events per audience and (country, category, source); the
-- same tables as migrations/sqlite/0003_rollup.sql, read
-- through the same gate. It differs in how it is kept: PostgreSQL's triggers run once per
-- statement and only *append* signed deltas (`merged` false). Appending takes no row lock,
-- so concurrent imports never wait on (or deadlock over) a shared total; readers sum the
-- rows of a key. `vigie_rollup_merge()` folds the deltas into one row per key; the store
-- calls it after every import and copy, one caller at a time. Event counts are INTEGER (a
-- key never holds two billion events) because PostgreSQL sums INTEGER in BIGINT, and
-- BIGINT in NUMERIC, several times slower; fatalities stay BIGINT like the events' own.
CREATE TABLE event_rollup (
    country          TEXT COLLATE "C" NOT NULL,
    admin1           TEXT COLLATE "C" NOT NULL,
    start_month      TEXT COLLATE "C" NOT NULL,
    end_month        TEXT COLLATE "C" NOT NULL,
    category         TEXT             NOT NULL,
    source           TEXT COLLATE "C" NOT NULL,
    marking          TEXT             NOT NULL,
    distribution     TEXT             NOT NULL,
    distribution_ref TEXT             NOT NULL,
    owner            TEXT             NOT NULL,
    creator          TEXT             NOT NULL,
    id               UUID             NOT NULL,
    events           INTEGER          NOT NULL,
    fatalities       BIGINT           NOT NULL,
    merged           BOOLEAN          NOT NULL DEFAULT false
);
CREATE INDEX event_rollup_key ON event_rollup (country, admin1, start_month);
CREATE INDEX event_rollup_pending ON event_rollup (merged) WHERE NOT merged;

-- Coarser still, for totals of lists: events per audience and (country, category, source).
CREATE TABLE event_totals (
    country          TEXT COLLATE "C" NOT NULL,
    category         TEXT             NOT NULL,
    source           TEXT COLLATE "C" NOT NULL,
    marking          TEXT             NOT NULL,
    distribution     TEXT             NOT NULL,
    distribution_ref TEXT             NOT NULL,
    owner            TEXT             NOT NULL,
    creator          TEXT             NOT NULL,
    id               UUID             NOT NULL,
    events           INTEGER          NOT NULL,
    merged           BOOLEAN          NOT NULL DEFAULT false
);
CREATE INDEX event_totals_pending ON event_totals (merged) WHERE NOT merged;

CREATE FUNCTION event_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_rollup (country, admin1, start_month, end_month, category, source,
        marking, distribution, distribution_ref, owner, creator, id, events, fatalities)
    SELECT coalesce(country, ''), coalesce(admin1, ''), to_char(date_start, 'YYYY-MM'),
        to_char(date_end, 'YYYY-MM'), category, source, marking, distribution,
        coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
        CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
             ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
        count(*), coalesce(sum(fatalities_best), 0)::bigint
    FROM new_events
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
    INSERT INTO event_totals (country, category, source, marking, distribution,
        distribution_ref, owner, creator, id, events)
    SELECT coalesce(country, ''), category, source, marking, distribution,
        coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
        CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
             ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
        count(*)
    FROM new_events
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    RETURN NULL;
END $$;

CREATE FUNCTION event_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_rollup (country, admin1, start_month, end_month, category, source,
        marking, distribution, distribution_ref, owner, creator, id, events, fatalities)
    SELECT coalesce(country, ''), coalesce(admin1, ''), to_char(date_start, 'YYYY-MM'),
        to_char(date_end, 'YYYY-MM'), category, source, marking, distribution,
        coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
        CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
             ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
        -count(*), -coalesce(sum(fatalities_best), 0)::bigint
    FROM old_events
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
    INSERT INTO event_totals (country, category, source, marking, distribution,
        distribution_ref, owner, creator, id, events)
    SELECT coalesce(country, ''), category, source, marking, distribution,
        coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
        CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
             ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
        -count(*)
    FROM old_events
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    RETURN NULL;
END $$;

-- An update moves each event whose rolled-up columns changed from its old key to its new
-- one (an import's upsert rewrites every column, most often to the same values).
CREATE FUNCTION event_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changed AS (
        SELECT o.seq FROM old_events o JOIN new_events n ON n.seq = o.seq
        WHERE (o.country, o.admin1, o.date_start, o.date_end, o.category, o.source, o.marking,
               o.distribution, o.distribution_ref, o.owner, o.creator, o.id, o.fatalities_best)
              IS DISTINCT FROM
              (n.country, n.admin1, n.date_start, n.date_end, n.category, n.source, n.marking,
               n.distribution, n.distribution_ref, n.owner, n.creator, n.id, n.fatalities_best)
    ), deltas AS (
        SELECT coalesce(o.country, '') AS country, coalesce(o.admin1, '') AS admin1,
            to_char(o.date_start, 'YYYY-MM') AS start_month,
            to_char(o.date_end, 'YYYY-MM') AS end_month, o.category, o.source, o.marking,
            o.distribution, coalesce(o.distribution_ref, '') AS distribution_ref, o.owner,
            coalesce(o.creator, '') AS creator,
            CASE WHEN o.marking = 'TLP:RED' OR o.distribution = 'organisations' THEN o.id
                 ELSE '00000000-0000-0000-0000-000000000000'::uuid END AS id,
            -1 AS n, -coalesce(o.fatalities_best, 0) AS f
        FROM old_events o JOIN changed USING (seq)
        UNION ALL
        SELECT coalesce(e.country, '') AS country, coalesce(e.admin1, '') AS admin1,
            to_char(e.date_start, 'YYYY-MM') AS start_month,
            to_char(e.date_end, 'YYYY-MM') AS end_month, e.category, e.source, e.marking,
            e.distribution, coalesce(e.distribution_ref, '') AS distribution_ref, e.owner,
            coalesce(e.creator, '') AS creator,
            CASE WHEN e.marking = 'TLP:RED' OR e.distribution = 'organisations' THEN e.id
                 ELSE '00000000-0000-0000-0000-000000000000'::uuid END AS id,
            1, coalesce(e.fatalities_best, 0)
        FROM new_events e JOIN changed USING (seq)
    ), rolled AS (
        INSERT INTO event_rollup (country, admin1, start_month, end_month, category, source,
            marking, distribution, distribution_ref, owner, creator, id, events, fatalities)
        SELECT country, admin1, start_month, end_month, category, source, marking,
            distribution, distribution_ref, owner, creator, id, sum(n)::bigint, sum(f)::bigint
        FROM deltas
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
        HAVING sum(n) <> 0 OR sum(f) <> 0
    )
    INSERT INTO event_totals (country, category, source, marking, distribution,
        distribution_ref, owner, creator, id, events)
    SELECT country, category, source, marking, distribution, distribution_ref, owner,
        creator, id, sum(n)::bigint
    FROM deltas
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    HAVING sum(n) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER event_rollup_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION event_rollup_insert();
CREATE TRIGGER event_rollup_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_events
    FOR EACH STATEMENT EXECUTE FUNCTION event_rollup_delete();
CREATE TRIGGER event_rollup_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION event_rollup_update();

-- Folds the pending deltas into one merged row per key, under a transaction-scoped
-- advisory lock so that two merges never interleave. Deltas appended meanwhile by other
-- transactions stay pending for the next merge; readers sum rows either way.
CREATE FUNCTION vigie_rollup_merge() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7391255400813);
    WITH keys AS (
        SELECT DISTINCT country, admin1, start_month, end_month, category, source, marking,
            distribution, distribution_ref, owner, creator, id
        FROM event_rollup WHERE NOT merged
    ), gone AS (
        DELETE FROM event_rollup r USING keys k
        WHERE (r.country, r.admin1, r.start_month, r.end_month, r.category, r.source,
               r.marking, r.distribution, r.distribution_ref, r.owner, r.creator, r.id)
            = (k.country, k.admin1, k.start_month, k.end_month, k.category, k.source,
               k.marking, k.distribution, k.distribution_ref, k.owner, k.creator, k.id)
        RETURNING r.*
    )
    INSERT INTO event_rollup
    SELECT country, admin1, start_month, end_month, category, source, marking, distribution,
        distribution_ref, owner, creator, id, sum(events)::bigint, sum(fatalities)::bigint, true
    FROM gone
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    HAVING sum(events) <> 0;
    WITH keys AS (
        SELECT DISTINCT country, category, source, marking, distribution, distribution_ref,
            owner, creator, id
        FROM event_totals WHERE NOT merged
    ), gone AS (
        DELETE FROM event_totals r USING keys k
        WHERE (r.country, r.category, r.source, r.marking, r.distribution, r.distribution_ref,
               r.owner, r.creator, r.id)
            = (k.country, k.category, k.source, k.marking, k.distribution, k.distribution_ref,
               k.owner, k.creator, k.id)
        RETURNING r.*
    )
    INSERT INTO event_totals
    SELECT country, category, source, marking, distribution, distribution_ref, owner, creator,
        id, sum(events)::bigint, true
    FROM gone
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    HAVING sum(events) <> 0;
END $$;

-- Rows for the events already stored.
INSERT INTO event_totals
SELECT coalesce(country, ''), category, source, marking, distribution,
    coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
    CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
         ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
    count(*), true
FROM events
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO event_rollup
SELECT coalesce(country, ''), coalesce(admin1, ''), to_char(date_start, 'YYYY-MM'),
    to_char(date_end, 'YYYY-MM'), category, source, marking, distribution,
    coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
    CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
         ELSE '00000000-0000-0000-0000-000000000000'::uuid END,
    count(*), coalesce(sum(fatalities_best), 0)::bigint, true
FROM events
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;

-- Lists are ordered by (date_start, id): with both in the index, a gated first page walks
-- it and stops after a page, instead of sorting every visible event.
DROP INDEX events_date;
CREATE INDEX events_date ON events (date_start, id);
