-- The dataset version that last wrote each rollup row's sketch, so every
-- instance can keep sketches in memory and know exactly which ones a
-- refresh replaced (rows written before this column existed keep 0).
ALTER TABLE rollup_daily ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_monthly ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rollup_daily_changed ON rollup_daily (changed);
CREATE INDEX rollup_monthly_changed ON rollup_monthly (changed);
