-- Stored forecasts and alert rules: records with an audience, read through the gate like
-- every other record (the five audience columns; RED recipients and named organisations
-- in audience_names).
CREATE TABLE forecast_runs (
    seq              INTEGER PRIMARY KEY,
    id               BLOB     NOT NULL UNIQUE,
    level            TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    data_from        TEXT    NOT NULL,
    data_until       TEXT    NOT NULL,
    months           INTEGER    NOT NULL,
    draws            INTEGER    NOT NULL,
    computed_for     TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT
);
CREATE INDEX forecast_runs_level ON forecast_runs (level, created_at);

-- One row per unit and month of a run. 'cumulative' holds the 101 quantiles of the total
-- over months 1..ahead, as a JSON array.
CREATE TABLE forecasts (
    run_id     BLOB     NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
    unit       TEXT    NOT NULL,
    month      TEXT    NOT NULL,
    ahead      INTEGER    NOT NULL,
    mean       REAL   NOT NULL,
    q05        REAL   NOT NULL,
    q50        REAL   NOT NULL,
    q95        REAL   NOT NULL,
    p_any      REAL   NOT NULL,
    p_25       REAL   NOT NULL,
    cumulative TEXT    NOT NULL,
    PRIMARY KEY (run_id, unit, month)
);
CREATE INDEX forecasts_month ON forecasts (run_id, month);

CREATE TABLE alert_rules (
    seq              INTEGER PRIMARY KEY,
    id               BLOB     NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    rule             TEXT    NOT NULL,
    units            TEXT    NOT NULL,
    webhook          TEXT,
    created_at       TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT
);
CREATE INDEX alert_rules_owner ON alert_rules (owner);

-- Which alerts a rule's webhook has received (so each is sent once) and the last attempt.
CREATE TABLE alert_deliveries (
    rule_id      BLOB     NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    alert_id     BLOB     NOT NULL,
    attempts     INTEGER    NOT NULL,
    last_attempt TEXT    NOT NULL,
    last_status  TEXT    NOT NULL,
    delivered    INTEGER    NOT NULL,
    PRIMARY KEY (rule_id, alert_id)
);
