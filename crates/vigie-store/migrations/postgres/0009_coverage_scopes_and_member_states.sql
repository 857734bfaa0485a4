-- What each import's file covers (source, countries, months) and whether completely: a
-- record with an audience (the five audience columns, names in audience_names), read
-- through the gate like every other, so a reader knows the coverage only of what it may see.
CREATE TABLE coverage (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               UUID    NOT NULL UNIQUE,
    source           TEXT    NOT NULL,
    file             TEXT    NOT NULL,
    import_batch     BIGINT,
    countries        TEXT    NOT NULL, -- a JSON array of ISO3 codes; empty: every country
    month_from       TEXT    NOT NULL,
    month_until      TEXT    NOT NULL,
    complete         BIGINT  NOT NULL,
    basis            TEXT    NOT NULL,
    basis_key        TEXT,
    recorded_at      TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT
);

-- A rule's area (JSON: countries, regions, a community's member states, bordering).
ALTER TABLE alert_rules ADD COLUMN scope TEXT;

-- The member states of a community over [valid_from, valid_until): what a rule scoped to
-- "the member states of ECOWAS" watches on a day.
CREATE TABLE community_states (
    community   TEXT NOT NULL REFERENCES communities (id),
    country     TEXT NOT NULL,
    valid_from  DATE NOT NULL,
    valid_until DATE,
    PRIMARY KEY (community, country, valid_from)
);

-- What a forecast run treated as missing: the months of its history no complete source
-- covers for any of its units (their number, and as ranges `2023-01 – 2023-09`).
ALTER TABLE forecast_runs ADD COLUMN missing_months BIGINT NOT NULL DEFAULT 0;
ALTER TABLE forecast_runs ADD COLUMN missing TEXT NOT NULL DEFAULT '';
