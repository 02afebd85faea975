-- Rollup cells now keep the exact set of their customers while it is small
-- and a HyperLogLog sketch above (issue 21). A sketch cannot be turned back
-- into the set it came from, so the rollups are emptied here and rebuilt
-- from the orders: `tessera serve` starts the rebuild in the background at
-- once when it finds orders and no rollups (`tessera refresh` does it too).
DELETE FROM rollup_daily;
DELETE FROM rollup_monthly;
UPDATE dataset_state SET watermark = 0, rolled_up = 0, version = version + 1
WHERE watermark > 0 OR rolled_up > 0;
