-- The members list's total and segments for a join-date filter: members of a creator by
-- the UTC day they joined, with the tier, status and engagement level the list filters
-- on. A filter from a day's start sums the days since (a few rows per day, whatever the
-- number of members); one from within a day adds that day's later joins counted row by
-- row. Counting every member since the date read 33,000 index entries for 50,000
-- members (86 ms p50 under load at `--scale 0.05`, 1,654 ms at `--scale 1` on SQLite).
CREATE TABLE member_join_days (
    creator_id       UUID NOT NULL,
    day              TEXT NOT NULL,
    tier_id          UUID NOT NULL,
    status           TEXT NOT NULL,
    engagement_level TEXT NOT NULL,
    members          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, tier_id, status, engagement_level)
);

INSERT INTO member_join_days (creator_id, day, tier_id, status, engagement_level, members)
SELECT creator_id, to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), tier_id, status,
       engagement_level, COUNT(*)
FROM memberships
GROUP BY creator_id, to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), tier_id, status,
         engagement_level;

-- Migration 0039's index served only the count this table replaces.
DROP INDEX memberships_creator_level_joined;
