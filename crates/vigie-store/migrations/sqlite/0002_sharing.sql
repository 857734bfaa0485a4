-- Organisations, accounts, communities and the audience of every record (docs/sharing.md).

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org           TEXT    NOT NULL REFERENCES organisations (id),
    name          TEXT    NOT NULL,
    roles         TEXT    NOT NULL,
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);
CREATE INDEX users_org ON users (org);

CREATE TABLE communities (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- Membership over [valid_from, valid_until); valid_until NULL is open-ended.
CREATE TABLE community_memberships (
    community   TEXT NOT NULL REFERENCES communities (id),
    org         TEXT NOT NULL REFERENCES organisations (id),
    valid_from  TEXT NOT NULL,
    valid_until TEXT,
    PRIMARY KEY (community, org, valid_from)
);
CREATE INDEX community_memberships_org ON community_memberships (org);

CREATE TABLE sharing_groups (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES organisations (id)
);
CREATE TABLE sharing_group_members (
    sharing_group TEXT NOT NULL REFERENCES sharing_groups (id),
    org           TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (sharing_group, org)
);
CREATE INDEX sharing_group_members_org ON sharing_group_members (org);

-- The rest of every record's audience (owner and marking are already columns of events).
ALTER TABLE events ADD COLUMN creator TEXT;
ALTER TABLE events ADD COLUMN distribution TEXT NOT NULL DEFAULT 'all-communities';
ALTER TABLE events ADD COLUMN distribution_ref TEXT;
-- Reads behind the gate need the audience of every row they consider. These two indexes
-- carry it, so that counts and statistics are answered from an index without touching
-- the (wide) rows: the audience alone, and country-date with what statistics group and
-- sum (and `date_end`, which period filters compare). The second replaces 0001's
-- (country, date_start), whose prefix it keeps.
CREATE INDEX events_audience ON events (marking, distribution, distribution_ref, owner, creator, id);
DROP INDEX events_country_date;
CREATE INDEX events_country_date ON events (
    country, date_start, date_end, admin1, fatalities_best,
    marking, distribution, distribution_ref, owner, creator, id
);

-- Named organisations (distribution `organisations`) or users (`recipients`) of a record.
CREATE TABLE audience_names (
    record_id BLOB NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (record_id, name)
);
CREATE INDEX audience_names_name ON audience_names (name);

CREATE TABLE reports (
    seq              INTEGER PRIMARY KEY,
    id               BLOB    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    country          TEXT,
    admin1           TEXT,
    status           TEXT    NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT
);
CREATE INDEX reports_owner ON reports (owner);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    scope       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log: append-only, each entry hash-chained to the one before. `audit_head`
-- holds the last entry's number and hash, so removing entries from the end shows too.
-- Migrations seed no rows: `vigie db copy` copies every table into an empty one.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT,
    actor_org   TEXT,
    action      TEXT NOT NULL,
    record_kind TEXT,
    record_id   TEXT,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_actor_org ON audit_log (actor_org);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
