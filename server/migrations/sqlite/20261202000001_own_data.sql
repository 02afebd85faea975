-- Issue 19: regions and categories are whatever the data holds. The demo
-- data's codes become the names the UI showed for them, a catalog of every
-- value (with its completed orders) is kept beside the rollups, and CSV
-- imports are recorded.

UPDATE orders SET region = CASE region
    WHEN 'na' THEN 'North America' WHEN 'eu' THEN 'Europe' WHEN 'apac' THEN 'Asia-Pacific'
    WHEN 'latam' THEN 'Latin America' WHEN 'mea' THEN 'Middle East & Africa' END
WHERE region IN ('na', 'eu', 'apac', 'latam', 'mea');
UPDATE customers SET region = CASE region
    WHEN 'na' THEN 'North America' WHEN 'eu' THEN 'Europe' WHEN 'apac' THEN 'Asia-Pacific'
    WHEN 'latam' THEN 'Latin America' WHEN 'mea' THEN 'Middle East & Africa' END
WHERE region IN ('na', 'eu', 'apac', 'latam', 'mea');
UPDATE orders SET category = CASE category
    WHEN 'electronics' THEN 'Electronics' WHEN 'home' THEN 'Home & Kitchen'
    WHEN 'apparel' THEN 'Apparel' WHEN 'sports' THEN 'Sports & Outdoors'
    WHEN 'beauty' THEN 'Beauty' WHEN 'toys' THEN 'Toys & Games' END
WHERE category IN ('electronics', 'home', 'apparel', 'sports', 'beauty', 'toys');

-- The rollups were built from the codes: rebuild them from the orders
-- (`tessera serve` starts it at once when it finds orders and no rollups).
DELETE FROM rollup_daily;
DELETE FROM rollup_monthly;
UPDATE dataset_state SET watermark = 0, rolled_up = 0, version = version + 1
WHERE watermark > 0 OR rolled_up > 0;

-- Every region and category value with its completed orders, rewritten by
-- each refresh from the daily rollup.
CREATE TABLE dimension_values (
    dimension TEXT   NOT NULL CHECK (dimension IN ('region', 'category')),
    value     TEXT   NOT NULL,
    orders    BIGINT NOT NULL,
    PRIMARY KEY (dimension, value)
);

-- CSV imports: what was sent, by whom, and how it went. The file itself is
-- never kept under the client's name (nor after the import).
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL,
    mode            TEXT    NOT NULL CHECK (mode IN ('insert', 'upsert')),
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'rejected', 'failed')),
    rows_read       INTEGER NOT NULL DEFAULT 0,
    inserted        INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    problems        TEXT,                        -- JSON array of the first 100
    more_problems   INTEGER NOT NULL DEFAULT 0,
    message         TEXT,
    job_id          TEXT,
    owner           TEXT    NOT NULL,            -- principal key, e.g. user:3
    owner_name      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,            -- Unix ms
    finished_at     INTEGER,
    dataset_version INTEGER
);
CREATE INDEX imports_owner ON imports (owner, id);

-- The PostgreSQL warehouse source's progress: which source it is (a new
-- one starts over), the last watermark pulled (as text, written in the
-- transaction that loads the rows) and how the last pull went.
CREATE TABLE source_state (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    source         TEXT,
    watermark      TEXT,
    state          TEXT   NOT NULL DEFAULT 'pending',
    last_pull_at   BIGINT,
    last_pull_rows BIGINT NOT NULL DEFAULT 0,
    rows_pulled    BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT
);
INSERT INTO source_state (id) VALUES (1);
