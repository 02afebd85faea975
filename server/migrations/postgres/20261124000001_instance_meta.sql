-- Facts about this Tessera installation that outlive restarts and are shared
-- by every instance on the same database (e.g. when demo data was seeded).
CREATE TABLE instance_meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
