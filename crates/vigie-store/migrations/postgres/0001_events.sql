-- Events from every source, their earlier versions, and the imports that wrote them.
-- The same schema as migrations/sqlite/0001_events.sql, in PostgreSQL's types. Integers are
-- BIGINT throughout (the shared row decoder reads i64). Text that filters compare or
-- statistics sort on is COLLATE "C": bytewise order and ASCII-only lower(), as in SQLite,
-- whatever the database's locale. Kept Citus-friendly where that is cheap: identity columns
-- rather than sequences owned by serials, no cross-table joins in triggers.

CREATE TABLE import_batches (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file        TEXT   NOT NULL,
    format      TEXT   NOT NULL,
    file_size   BIGINT NOT NULL,
    started_at  TEXT   NOT NULL,
    finished_at TEXT,
    inserted    BIGINT NOT NULL DEFAULT 0,
    updated     BIGINT NOT NULL DEFAULT 0,
    unchanged   BIGINT NOT NULL DEFAULT 0,
    rejected    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE events (
    -- Local insertion order. The stable id is `id`; `seq` never leaves this database.
    seq                       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                        UUID             NOT NULL,
    source                    TEXT COLLATE "C" NOT NULL,
    source_id                 TEXT COLLATE "C" NOT NULL,
    source_version            TEXT,
    version                   BIGINT           NOT NULL DEFAULT 1,
    content_hash              BIGINT           NOT NULL,
    date_start                DATE             NOT NULL,
    date_end                  DATE             NOT NULL,
    date_precision            TEXT             NOT NULL,
    latitude                  DOUBLE PRECISION,
    longitude                 DOUBLE PRECISION,
    location_precision        TEXT,
    source_location_precision BIGINT,
    country                   TEXT COLLATE "C",
    gw_id                     BIGINT,
    views_id                  BIGINT,
    admin1                    TEXT COLLATE "C",
    admin2                    TEXT,
    location                  TEXT,
    priogrid_gid              BIGINT,
    category                  TEXT             NOT NULL,
    source_type               TEXT             NOT NULL,
    side_a                    TEXT COLLATE "C",
    side_a_id                 TEXT,
    side_b                    TEXT COLLATE "C",
    side_b_id                 TEXT,
    fatalities_best           BIGINT,
    fatalities_low            BIGINT,
    fatalities_high           BIGINT,
    description               TEXT,
    extra                     TEXT             NOT NULL DEFAULT '{}',
    batch_id                  BIGINT REFERENCES import_batches (id),
    file                      TEXT             NOT NULL,
    line                      BIGINT           NOT NULL,
    owner                     TEXT             NOT NULL,
    marking                   TEXT             NOT NULL
);

-- The upsert's conflict target. `id` is a function of (source, source_id), so this also
-- keeps ids unique; and sources number their rows in order, so it grows at its end.
CREATE UNIQUE INDEX events_source_id ON events (source, source_id);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_country_date ON events (country, date_start);
CREATE INDEX events_date ON events (date_start);

-- Every version an update replaced. Filled by the trigger below, so no write path can
-- forget it.
CREATE TABLE event_history (
    id                        UUID             NOT NULL,
    version                   BIGINT           NOT NULL,
    replaced_at               TEXT             NOT NULL,
    source                    TEXT COLLATE "C" NOT NULL,
    source_id                 TEXT COLLATE "C" NOT NULL,
    source_version            TEXT,
    content_hash              BIGINT           NOT NULL,
    date_start                DATE             NOT NULL,
    date_end                  DATE             NOT NULL,
    date_precision            TEXT             NOT NULL,
    latitude                  DOUBLE PRECISION,
    longitude                 DOUBLE PRECISION,
    location_precision        TEXT,
    source_location_precision BIGINT,
    country                   TEXT COLLATE "C",
    gw_id                     BIGINT,
    views_id                  BIGINT,
    admin1                    TEXT COLLATE "C",
    admin2                    TEXT,
    location                  TEXT,
    priogrid_gid              BIGINT,
    category                  TEXT             NOT NULL,
    source_type               TEXT             NOT NULL,
    side_a                    TEXT COLLATE "C",
    side_a_id                 TEXT,
    side_b                    TEXT COLLATE "C",
    side_b_id                 TEXT,
    fatalities_best           BIGINT,
    fatalities_low            BIGINT,
    fatalities_high           BIGINT,
    description               TEXT,
    extra                     TEXT             NOT NULL,
    batch_id                  BIGINT,
    file                      TEXT             NOT NULL,
    line                      BIGINT           NOT NULL,
    owner                     TEXT             NOT NULL,
    marking                   TEXT             NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE FUNCTION events_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_history (
        id, version, replaced_at, source, source_id, source_version, content_hash,
        date_start, date_end, date_precision, latitude, longitude, location_precision,
        source_location_precision, country, gw_id, views_id, admin1, admin2, location,
        priogrid_gid, category, source_type, side_a, side_a_id, side_b, side_b_id,
        fatalities_best, fatalities_low, fatalities_high, description, extra, batch_id,
        file, line, owner, marking
    ) VALUES (
        OLD.id, OLD.version,
        to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        OLD.source, OLD.source_id,
        OLD.source_version, OLD.content_hash, OLD.date_start, OLD.date_end, OLD.date_precision,
        OLD.latitude, OLD.longitude, OLD.location_precision, OLD.source_location_precision,
        OLD.country, OLD.gw_id, OLD.views_id, OLD.admin1, OLD.admin2, OLD.location,
        OLD.priogrid_gid, OLD.category, OLD.source_type, OLD.side_a, OLD.side_a_id, OLD.side_b,
        OLD.side_b_id, OLD.fatalities_best, OLD.fatalities_low, OLD.fatalities_high,
        OLD.description, OLD.extra, OLD.batch_id, OLD.file, OLD.line, OLD.owner, OLD.marking
    );
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_keep_history BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_keep_history();

-- History rows are never changed or removed.
CREATE FUNCTION event_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_history is append-only';
END;
$$;

CREATE TRIGGER event_history_append_only_update BEFORE UPDATE ON event_history
    FOR EACH ROW EXECUTE FUNCTION event_history_append_only();
CREATE TRIGGER event_history_append_only_delete BEFORE DELETE ON event_history
    FOR EACH ROW EXECUTE FUNCTION event_history_append_only();
-- TRUNCATE bypasses row triggers; refuse it too.
CREATE TRIGGER event_history_append_only_truncate BEFORE TRUNCATE ON event_history
    FOR EACH STATEMENT EXECUTE FUNCTION event_history_append_only();
