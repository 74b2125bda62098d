-- Daily rollups behind the engagement report (found by `server bench`: counting a
-- million members' events on every request took seconds). Per creator and UTC day
-- ('YYYY-MM-DD'): interactions by type with the session lengths reported; memberships
-- started and ended, those still current by the day they started, and current members
-- by the day of their last interaction. `member_counts` gains the sums of its members'
-- scores and 30-day interactions, for the averages per level. All are kept by the
-- writes that change them (store::engagement_events, store::memberships) in the same
-- transaction, so a report reads a few hundred rows at any number of members.
CREATE TABLE engagement_days (
    creator_id       BLOB NOT NULL,
    day              TEXT NOT NULL,
    type             TEXT NOT NULL,
    events           BIGINT NOT NULL,
    timed_events     BIGINT NOT NULL,
    duration_seconds BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, type)
);

CREATE TABLE member_days (
    creator_id BLOB NOT NULL,
    day        TEXT NOT NULL,
    joined     BIGINT NOT NULL,
    churned    BIGINT NOT NULL,
    staying    BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day)
);

ALTER TABLE member_counts ADD COLUMN score_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE member_counts ADD COLUMN interactions_sum BIGINT NOT NULL DEFAULT 0;

INSERT INTO engagement_days (creator_id, day, type, events, timed_events, duration_seconds)
SELECT creator_id, substr(occurred_at, 1, 10), type, COUNT(*), COUNT(duration_seconds),
       COALESCE(SUM(duration_seconds), 0)
FROM engagement_events GROUP BY creator_id, substr(occurred_at, 1, 10), type;

INSERT INTO member_days (creator_id, day, joined, churned, staying, last_seen)
SELECT creator_id, day, SUM(joined), SUM(churned), SUM(staying), SUM(last_seen) FROM (
    SELECT creator_id, substr(joined_at, 1, 10) AS day, 1 AS joined, 0 AS churned,
           CASE WHEN status <> 'churned' THEN 1 ELSE 0 END AS staying, 0 AS last_seen
    FROM memberships
    UNION ALL
    SELECT creator_id, substr(churned_at, 1, 10), 0, 1, 0, 0 FROM memberships
    WHERE churned_at IS NOT NULL
    UNION ALL
    SELECT creator_id, substr(last_interaction_at, 1, 10), 0, 0, 0, 1 FROM memberships
    WHERE last_interaction_at IS NOT NULL AND status <> 'churned'
) AS changes GROUP BY creator_id, day;

UPDATE member_counts SET
    score_sum = (SELECT COALESCE(SUM(m.engagement_score), 0) FROM memberships m
                 WHERE m.creator_id = member_counts.creator_id AND m.tier_id = member_counts.tier_id
                   AND m.status = member_counts.status
                   AND m.engagement_level = member_counts.engagement_level),
    interactions_sum = (SELECT COALESCE(SUM(m.interactions_30d), 0) FROM memberships m
                 WHERE m.creator_id = member_counts.creator_id AND m.tier_id = member_counts.tier_id
                   AND m.status = member_counts.status
                   AND m.engagement_level = member_counts.engagement_level);
