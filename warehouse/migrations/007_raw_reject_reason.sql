-- The reason a scrape was rejected where it was collected (too_large, invalid_json, ...), kept with
-- the raw bytes so that news.raw_scrapes and lake/tables/raw_scrapes are whole copies of the raw
-- stage file: a damaged raw stage file is restored from them (warehouse/repair.py).
ALTER TABLE news.raw_scrapes ADD COLUMN IF NOT EXISTS reject_reason VARCHAR;
ALTER TABLE news.raw_scrapes ADD COLUMN IF NOT EXISTS reject_detail VARCHAR;
