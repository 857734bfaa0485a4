-- A rule's name as a key the UI translates (`name_key`), for rules Vigie writes itself (the
-- demo's): a rule its author named keeps that name, in its author's words.
ALTER TABLE alert_rules ADD COLUMN name_key TEXT;

-- Acknowledgements of alerts: an organisation says it has seen an alert and handles it
-- (who, when, an optional note). One per organisation and alert; acknowledging again
-- replaces it. Read only through the alert's rule, behind the gate: whoever may see the
-- rule and gets the alert sees who acknowledged it.
CREATE TABLE alert_acks (
    alert_id BLOB NOT NULL,
    org      TEXT NOT NULL,
    rule_id  BLOB NOT NULL,
    user_id  TEXT,
    at       TEXT NOT NULL,
    note     TEXT,
    PRIMARY KEY (alert_id, org)
);
CREATE INDEX alert_acks_rule ON alert_acks (rule_id);
