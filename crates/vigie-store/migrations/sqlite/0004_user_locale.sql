-- The language each user chose for the web UI ('en' or 'fr'); NULL until they choose.
ALTER TABLE users ADD COLUMN locale TEXT;
