-- The rollups' day and month keys ('2026-11-08', '2026-11') sort the same byte by byte
-- as in any locale, but PostgreSQL compares text of the database's collation through
-- the locale (strcoll or ICU) at every step of an index range scan and every CASE of a
-- window sum. Compared byte by byte (COLLATE "C", as the word indexes of 0042 are), a
-- 30-day engagement window of the 1,000,000-member creator took 87 µs a run, against
-- 104 µs with the C.UTF-8 collation and 170 µs with en-US (ICU). Every comparison of
-- these columns is with a bound parameter, which takes the column's collation.
ALTER TABLE engagement_days ALTER COLUMN day TYPE TEXT COLLATE "C";
ALTER TABLE member_days ALTER COLUMN day TYPE TEXT COLLATE "C";
ALTER TABLE member_join_days ALTER COLUMN day TYPE TEXT COLLATE "C";
ALTER TABLE member_join_months ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE member_months ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE revenue_days ALTER COLUMN day TYPE TEXT COLLATE "C";
ALTER TABLE revenue_months ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE subscription_days ALTER COLUMN day TYPE TEXT COLLATE "C";
ALTER TABLE tier_revenue_months ALTER COLUMN month TYPE TEXT COLLATE "C";
