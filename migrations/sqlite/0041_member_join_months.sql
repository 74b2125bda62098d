-- The join-date rollup of 0040 by month: a filter from long ago summed a row per day,
-- tier, status and level (8,135 rows for the 1,000,000-member creator since January:
-- 39 ms p50 under load at `--scale 1`). Whole months now come from here, the days
-- before the first whole month from `member_join_days`.
CREATE TABLE member_join_months (
    creator_id       BLOB NOT NULL,
    month            TEXT NOT NULL,
    tier_id          BLOB NOT NULL,
    status           TEXT NOT NULL,
    engagement_level TEXT NOT NULL,
    members          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month, tier_id, status, engagement_level)
) WITHOUT ROWID;

INSERT INTO member_join_months (creator_id, month, tier_id, status, engagement_level, members)
SELECT creator_id, substr(day, 1, 7), tier_id, status, engagement_level, SUM(members)
FROM member_join_days GROUP BY creator_id, substr(day, 1, 7), tier_id, status, engagement_level;
