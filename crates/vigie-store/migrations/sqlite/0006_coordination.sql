-- Response coordination (docs/coordination.md): each organisation's coordination profile
-- (directory data, like the organisation itself), response tasks (records with an
-- audience, read through the gate) and every change of a task's status (append-only).
CREATE TABLE coordination_profiles (
    org        TEXT PRIMARY KEY REFERENCES organisations (id),
    profile    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE tasks (
    seq              INTEGER PRIMARY KEY,
    id               BLOB     NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    task_type        TEXT    NOT NULL,
    countries        TEXT    NOT NULL,
    regions          TEXT    NOT NULL,
    effort_days      REAL   NOT NULL,
    budget           REAL   NOT NULL,
    deadline         TEXT   NOT NULL,
    priority         INTEGER    NOT NULL,
    depends_on       TEXT    NOT NULL,
    consent_required INTEGER    NOT NULL,
    consent_obtained INTEGER    NOT NULL,
    alert            BLOB,
    status           TEXT    NOT NULL,
    assignee         TEXT,
    declined_by      TEXT    NOT NULL,
    outcome          TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT
);
CREATE INDEX tasks_status ON tasks (status, deadline);
CREATE INDEX tasks_alert ON tasks (alert);

CREATE TABLE task_events (
    seq         INTEGER PRIMARY KEY,
    task_id     BLOB     NOT NULL REFERENCES tasks (id),
    at          TEXT    NOT NULL,
    actor       TEXT,
    actor_org   TEXT,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    org         TEXT,
    note        TEXT
);
CREATE INDEX task_events_task ON task_events (task_id, seq);

CREATE TRIGGER task_events_append_only_update BEFORE UPDATE ON task_events
BEGIN SELECT RAISE(ABORT, 'task_events is append-only'); END;
CREATE TRIGGER task_events_append_only_delete BEFORE DELETE ON task_events
BEGIN SELECT RAISE(ABORT, 'task_events is append-only'); END;

-- When each alert was first raised (for the warning-to-response figures). Ids only: an
-- alert's content is recomputed for its reader, never stored.
CREATE TABLE alert_log (
    alert_id   BLOB  PRIMARY KEY,
    rule_id    BLOB  NOT NULL,
    first_seen TEXT NOT NULL
);
