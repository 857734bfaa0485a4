-- Response coordination (docs/coordination.md): each organisation's coordination profile
-- (directory data, like the organisation itself), response tasks (records with an
-- audience, read through the gate) and every change of a task's status (append-only).
CREATE TABLE coordination_profiles (
    org        TEXT PRIMARY KEY REFERENCES organisations (id),
    profile    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE tasks (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               UUID     NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    task_type        TEXT    NOT NULL,
    countries        TEXT    NOT NULL,
    regions          TEXT    NOT NULL,
    effort_days      DOUBLE PRECISION   NOT NULL,
    budget           DOUBLE PRECISION   NOT NULL,
    deadline         DATE   NOT NULL,
    priority         BIGINT    NOT NULL,
    depends_on       TEXT    NOT NULL,
    consent_required BIGINT    NOT NULL,
    consent_obtained BIGINT    NOT NULL,
    alert            UUID,
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
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     UUID     NOT NULL REFERENCES tasks (id),
    at          TEXT    NOT NULL,
    actor       TEXT,
    actor_org   TEXT,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    org         TEXT,
    note        TEXT
);
CREATE INDEX task_events_task ON task_events (task_id, seq);

CREATE FUNCTION vigie_task_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'task_events is append-only';
END;
$$;
CREATE TRIGGER task_events_append_only BEFORE UPDATE OR DELETE ON task_events
    FOR EACH ROW EXECUTE FUNCTION vigie_task_events_append_only();

-- When each alert was first raised (for the warning-to-response figures). Ids only: an
-- alert's content is recomputed for its reader, never stored.
CREATE TABLE alert_log (
    alert_id   UUID  PRIMARY KEY,
    rule_id    UUID  NOT NULL,
    first_seen TEXT NOT NULL
);
