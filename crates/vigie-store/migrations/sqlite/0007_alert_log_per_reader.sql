-- When each alert was first raised, now kept per reader (`Viewer::reader_key`): an
-- alert's id is its rule, unit and month, the same for every reader, and the time one
-- reader's data first raised it must not show to a reader who may not see that data
-- (threat 11). The rows kept so far cannot be given a reader and are dropped: the
-- warning-to-response figures of an alert start again from the next time each reader is
-- shown it.
DROP TABLE alert_log;
CREATE TABLE alert_log (
    alert_id   BLOB NOT NULL,
    reader     TEXT NOT NULL,
    rule_id    BLOB NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (alert_id, reader)
);
