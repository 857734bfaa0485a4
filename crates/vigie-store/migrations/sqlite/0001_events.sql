-- Events from every source, their earlier versions, and the imports that wrote them.

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    file        TEXT    NOT NULL,
    format      TEXT    NOT NULL,
    file_size   INTEGER NOT NULL,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
    -- Local insertion order. The stable id is `id`; `seq` never leaves this database.
    seq                       INTEGER PRIMARY KEY,
    id                        BLOB    NOT NULL,
    source                    TEXT    NOT NULL,
    source_id                 TEXT    NOT NULL,
    source_version            TEXT,
    version                   INTEGER NOT NULL DEFAULT 1,
    content_hash              INTEGER NOT NULL,
    date_start                TEXT    NOT NULL,
    date_end                  TEXT    NOT NULL,
    date_precision            TEXT    NOT NULL,
    latitude                  REAL,
    longitude                 REAL,
    location_precision        TEXT,
    source_location_precision INTEGER,
    country                   TEXT,
    gw_id                     INTEGER,
    views_id                  INTEGER,
    admin1                    TEXT,
    admin2                    TEXT,
    location                  TEXT,
    priogrid_gid              INTEGER,
    category                  TEXT    NOT NULL,
    source_type               TEXT    NOT NULL,
    side_a                    TEXT,
    side_a_id                 TEXT,
    side_b                    TEXT,
    side_b_id                 TEXT,
    fatalities_best           INTEGER,
    fatalities_low            INTEGER,
    fatalities_high           INTEGER,
    description               TEXT,
    extra                     TEXT    NOT NULL DEFAULT '{}',
    batch_id                  INTEGER REFERENCES import_batches (id),
    file                      TEXT    NOT NULL,
    line                      INTEGER NOT NULL,
    owner                     TEXT    NOT NULL,
    marking                   TEXT    NOT NULL
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
    id                        BLOB    NOT NULL,
    version                   INTEGER NOT NULL,
    replaced_at               TEXT    NOT NULL,
    source                    TEXT    NOT NULL,
    source_id                 TEXT    NOT NULL,
    source_version            TEXT,
    content_hash              INTEGER NOT NULL,
    date_start                TEXT    NOT NULL,
    date_end                  TEXT    NOT NULL,
    date_precision            TEXT    NOT NULL,
    latitude                  REAL,
    longitude                 REAL,
    location_precision        TEXT,
    source_location_precision INTEGER,
    country                   TEXT,
    gw_id                     INTEGER,
    views_id                  INTEGER,
    admin1                    TEXT,
    admin2                    TEXT,
    location                  TEXT,
    priogrid_gid              INTEGER,
    category                  TEXT    NOT NULL,
    source_type               TEXT    NOT NULL,
    side_a                    TEXT,
    side_a_id                 TEXT,
    side_b                    TEXT,
    side_b_id                 TEXT,
    fatalities_best           INTEGER,
    fatalities_low            INTEGER,
    fatalities_high           INTEGER,
    description               TEXT,
    extra                     TEXT    NOT NULL,
    batch_id                  INTEGER,
    file                      TEXT    NOT NULL,
    line                      INTEGER NOT NULL,
    owner                     TEXT    NOT NULL,
    marking                   TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TRIGGER events_keep_history BEFORE UPDATE ON events
BEGIN
    INSERT INTO event_history (
        id, version, replaced_at, source, source_id, source_version, content_hash,
        date_start, date_end, date_precision, latitude, longitude, location_precision,
        source_location_precision, country, gw_id, views_id, admin1, admin2, location,
        priogrid_gid, category, source_type, side_a, side_a_id, side_b, side_b_id,
        fatalities_best, fatalities_low, fatalities_high, description, extra, batch_id,
        file, line, owner, marking
    ) VALUES (
        OLD.id, OLD.version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), OLD.source, OLD.source_id,
        OLD.source_version, OLD.content_hash, OLD.date_start, OLD.date_end, OLD.date_precision,
        OLD.latitude, OLD.longitude, OLD.location_precision, OLD.source_location_precision,
        OLD.country, OLD.gw_id, OLD.views_id, OLD.admin1, OLD.admin2, OLD.location,
        OLD.priogrid_gid, OLD.category, OLD.source_type, OLD.side_a, OLD.side_a_id, OLD.side_b,
        OLD.side_b_id, OLD.fatalities_best, OLD.fatalities_low, OLD.fatalities_high,
        OLD.description, OLD.extra, OLD.batch_id, OLD.file, OLD.line, OLD.owner, OLD.marking
    );
END;

-- History rows are never changed or removed.
CREATE TRIGGER event_history_append_only_update BEFORE UPDATE ON event_history
BEGIN
    SELECT RAISE(ABORT, 'event_history is append-only');
END;
CREATE TRIGGER event_history_append_only_delete BEFORE DELETE ON event_history
BEGIN
    SELECT RAISE(ABORT, 'event_history is append-only');
END;
