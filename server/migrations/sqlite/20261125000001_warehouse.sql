-- The orders warehouse and its rollups. Times are Unix seconds (UTC) and
-- money is integer cents, so every sum is exact and the SQL is identical on
-- SQLite and PostgreSQL.

CREATE TABLE customers (
    id           BIGINT PRIMARY KEY,
    region       TEXT   NOT NULL,
    signed_up_at BIGINT NOT NULL
);

-- Orders are append-only: the rollups are built incrementally from a
-- watermark on `id`.
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    ordered_at  BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    region      TEXT   NOT NULL,
    category    TEXT   NOT NULL,
    product     TEXT   NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    unit_price  BIGINT NOT NULL CHECK (unit_price >= 0),
    unit_cost   BIGINT NOT NULL CHECK (unit_cost >= 0),
    discount    BIGINT NOT NULL CHECK (discount >= 0),
    total       BIGINT NOT NULL,
    status      TEXT   NOT NULL CHECK (status IN ('completed', 'returned', 'cancelled'))
);

-- The orders list: keyset pagination by time or by total.
CREATE INDEX orders_by_time ON orders (ordered_at, id);
CREATE INDEX orders_by_total ON orders (total, id);

-- Completed orders per (UTC day, region, category): sums, and a HyperLogLog
-- sketch of the customers.
CREATE TABLE rollup_daily (
    day       BIGINT NOT NULL,
    region    TEXT   NOT NULL,
    category  TEXT   NOT NULL,
    orders    BIGINT NOT NULL,
    quantity  BIGINT NOT NULL,
    revenue   BIGINT NOT NULL,
    cost      BIGINT NOT NULL,
    customers BLOB   NOT NULL,
    PRIMARY KEY (day, region, category)
);

-- Customer sketches per (calendar month, region, category), so that long
-- ranges merge a few month sketches instead of every day's.
CREATE TABLE rollup_monthly (
    month     BIGINT NOT NULL,
    region    TEXT   NOT NULL,
    category  TEXT   NOT NULL,
    customers BLOB   NOT NULL,
    PRIMARY KEY (month, region, category)
);

-- One row: what the rollups hold.
CREATE TABLE dataset_state (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    version         BIGINT NOT NULL,
    watermark       BIGINT NOT NULL,
    rolled_up       BIGINT NOT NULL,
    data_as_of      BIGINT,
    last_refresh_at BIGINT,
    last_refresh_ms BIGINT
);

INSERT INTO dataset_state (id, version, watermark, rolled_up) VALUES (1, 0, 0, 0);
