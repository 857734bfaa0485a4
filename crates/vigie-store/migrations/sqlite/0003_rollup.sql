-- Derived: events and fatalities per audience and per (country, admin-1, start month, end
-- month, category, source), and (in event_totals) events per audience and (country,
-- category, source), so that whole-store totals and statistics need not read every event. Kept by the triggers below, so no write path can forget it; never written
-- otherwise, never copied (`vigie db copy` rebuilds it through the same triggers).
--
-- A rollup row carries the audience columns the gate reads (owner, creator, marking,
-- distribution, distribution_ref, id), so reads apply the one gate to it unchanged. `id`
-- is the event's own id where the gate looks up names by id (TLP:RED, named
-- organisations), and sixteen zero bytes elsewhere. Unknown text is '' here (keys are
-- never NULL, so that the upsert finds its row).
CREATE TABLE event_rollup (
    country          TEXT    NOT NULL,
    admin1           TEXT    NOT NULL,
    start_month      TEXT    NOT NULL,
    end_month        TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT    NOT NULL,
    id               BLOB    NOT NULL,
    events           INTEGER NOT NULL,
    fatalities       INTEGER NOT NULL,
    PRIMARY KEY (
        country, admin1, start_month, end_month, category, source,
        marking, distribution, distribution_ref, owner, creator, id
    )
) WITHOUT ROWID;

-- Coarser still, for totals of lists: events per audience and (country, category, source).
-- Hundreds of rows where event_rollup has tens of thousands.
CREATE TABLE event_totals (
    country          TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    marking          TEXT    NOT NULL,
    distribution     TEXT    NOT NULL,
    distribution_ref TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    creator          TEXT    NOT NULL,
    id               BLOB    NOT NULL,
    events           INTEGER NOT NULL,
    PRIMARY KEY (
        country, category, source, marking, distribution, distribution_ref, owner, creator, id
    )
) WITHOUT ROWID;

CREATE TRIGGER event_rollup_insert AFTER INSERT ON events
BEGIN
    INSERT INTO event_rollup VALUES (
        coalesce(NEW.country, ''), coalesce(NEW.admin1, ''), substr(NEW.date_start, 1, 7),
        substr(NEW.date_end, 1, 7), NEW.category, NEW.source, NEW.marking, NEW.distribution,
        coalesce(NEW.distribution_ref, ''), NEW.owner, coalesce(NEW.creator, ''),
        CASE WHEN NEW.marking = 'TLP:RED' OR NEW.distribution = 'organisations'
             THEN NEW.id ELSE zeroblob(16) END,
        1, coalesce(NEW.fatalities_best, 0)
    )
    ON CONFLICT (
        country, admin1, start_month, end_month, category, source,
        marking, distribution, distribution_ref, owner, creator, id
    ) DO UPDATE SET events = events + 1, fatalities = fatalities + excluded.fatalities;
    INSERT INTO event_totals VALUES (
        coalesce(NEW.country, ''), NEW.category, NEW.source, NEW.marking, NEW.distribution,
        coalesce(NEW.distribution_ref, ''), NEW.owner, coalesce(NEW.creator, ''),
        CASE WHEN NEW.marking = 'TLP:RED' OR NEW.distribution = 'organisations'
             THEN NEW.id ELSE zeroblob(16) END,
        1
    )
    ON CONFLICT (
        country, category, source, marking, distribution, distribution_ref, owner, creator, id
    ) DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER event_rollup_delete AFTER DELETE ON events
BEGIN
    UPDATE event_rollup SET events = events - 1,
        fatalities = fatalities - coalesce(OLD.fatalities_best, 0)
    WHERE country = coalesce(OLD.country, '') AND admin1 = coalesce(OLD.admin1, '')
      AND start_month = substr(OLD.date_start, 1, 7) AND end_month = substr(OLD.date_end, 1, 7)
      AND category = OLD.category AND source = OLD.source AND marking = OLD.marking
      AND distribution = OLD.distribution AND distribution_ref = coalesce(OLD.distribution_ref, '')
      AND owner = OLD.owner AND creator = coalesce(OLD.creator, '')
      AND id = CASE WHEN OLD.marking = 'TLP:RED' OR OLD.distribution = 'organisations'
                    THEN OLD.id ELSE zeroblob(16) END;
    DELETE FROM event_rollup WHERE events = 0 AND country = coalesce(OLD.country, '')
      AND admin1 = coalesce(OLD.admin1, '') AND start_month = substr(OLD.date_start, 1, 7);
    UPDATE event_totals SET events = events - 1
    WHERE country = coalesce(OLD.country, '') AND category = OLD.category
      AND source = OLD.source AND marking = OLD.marking AND distribution = OLD.distribution
      AND distribution_ref = coalesce(OLD.distribution_ref, '') AND owner = OLD.owner
      AND creator = coalesce(OLD.creator, '')
      AND id = CASE WHEN OLD.marking = 'TLP:RED' OR OLD.distribution = 'organisations'
                    THEN OLD.id ELSE zeroblob(16) END;
    DELETE FROM event_totals WHERE events = 0 AND country = coalesce(OLD.country, '');
END;

-- An update moves the event from its old row to its new one, when anything rolled up
-- changed (an import's upsert rewrites every column, most often to the same values).
CREATE TRIGGER event_rollup_update AFTER UPDATE ON events
WHEN OLD.country IS NOT NEW.country OR OLD.admin1 IS NOT NEW.admin1
  OR OLD.date_start IS NOT NEW.date_start OR OLD.date_end IS NOT NEW.date_end
  OR OLD.category IS NOT NEW.category OR OLD.source IS NOT NEW.source
  OR OLD.marking IS NOT NEW.marking OR OLD.distribution IS NOT NEW.distribution
  OR OLD.distribution_ref IS NOT NEW.distribution_ref OR OLD.owner IS NOT NEW.owner
  OR OLD.creator IS NOT NEW.creator OR OLD.id IS NOT NEW.id
  OR OLD.fatalities_best IS NOT NEW.fatalities_best
BEGIN
    UPDATE event_rollup SET events = events - 1,
        fatalities = fatalities - coalesce(OLD.fatalities_best, 0)
    WHERE country = coalesce(OLD.country, '') AND admin1 = coalesce(OLD.admin1, '')
      AND start_month = substr(OLD.date_start, 1, 7) AND end_month = substr(OLD.date_end, 1, 7)
      AND category = OLD.category AND source = OLD.source AND marking = OLD.marking
      AND distribution = OLD.distribution AND distribution_ref = coalesce(OLD.distribution_ref, '')
      AND owner = OLD.owner AND creator = coalesce(OLD.creator, '')
      AND id = CASE WHEN OLD.marking = 'TLP:RED' OR OLD.distribution = 'organisations'
                    THEN OLD.id ELSE zeroblob(16) END;
    DELETE FROM event_rollup WHERE events = 0 AND country = coalesce(OLD.country, '')
      AND admin1 = coalesce(OLD.admin1, '') AND start_month = substr(OLD.date_start, 1, 7);
    UPDATE event_totals SET events = events - 1
    WHERE country = coalesce(OLD.country, '') AND category = OLD.category
      AND source = OLD.source AND marking = OLD.marking AND distribution = OLD.distribution
      AND distribution_ref = coalesce(OLD.distribution_ref, '') AND owner = OLD.owner
      AND creator = coalesce(OLD.creator, '')
      AND id = CASE WHEN OLD.marking = 'TLP:RED' OR OLD.distribution = 'organisations'
                    THEN OLD.id ELSE zeroblob(16) END;
    DELETE FROM event_totals WHERE events = 0 AND country = coalesce(OLD.country, '');
    INSERT INTO event_rollup VALUES (
        coalesce(NEW.country, ''), coalesce(NEW.admin1, ''), substr(NEW.date_start, 1, 7),
        substr(NEW.date_end, 1, 7), NEW.category, NEW.source, NEW.marking, NEW.distribution,
        coalesce(NEW.distribution_ref, ''), NEW.owner, coalesce(NEW.creator, ''),
        CASE WHEN NEW.marking = 'TLP:RED' OR NEW.distribution = 'organisations'
             THEN NEW.id ELSE zeroblob(16) END,
        1, coalesce(NEW.fatalities_best, 0)
    )
    ON CONFLICT (
        country, admin1, start_month, end_month, category, source,
        marking, distribution, distribution_ref, owner, creator, id
    ) DO UPDATE SET events = events + 1, fatalities = fatalities + excluded.fatalities;
    INSERT INTO event_totals VALUES (
        coalesce(NEW.country, ''), NEW.category, NEW.source, NEW.marking, NEW.distribution,
        coalesce(NEW.distribution_ref, ''), NEW.owner, coalesce(NEW.creator, ''),
        CASE WHEN NEW.marking = 'TLP:RED' OR NEW.distribution = 'organisations'
             THEN NEW.id ELSE zeroblob(16) END,
        1
    )
    ON CONFLICT (
        country, category, source, marking, distribution, distribution_ref, owner, creator, id
    ) DO UPDATE SET events = events + 1;
END;

-- Rows for the events already stored.
INSERT INTO event_totals
SELECT coalesce(country, ''), category, source, marking, distribution,
       coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
       CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
            ELSE zeroblob(16) END,
       count(*)
FROM events
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO event_rollup
SELECT coalesce(country, ''), coalesce(admin1, ''), substr(date_start, 1, 7),
       substr(date_end, 1, 7), category, source, marking, distribution,
       coalesce(distribution_ref, ''), owner, coalesce(creator, ''),
       CASE WHEN marking = 'TLP:RED' OR distribution = 'organisations' THEN id
            ELSE zeroblob(16) END,
       count(*), coalesce(sum(fatalities_best), 0)
FROM events
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;

-- Lists are ordered by (date_start, id): with both in the index, a gated first page walks
-- it and stops after a page, instead of sorting every visible event.
DROP INDEX events_date;
CREATE INDEX events_date ON events (date_start, id);
