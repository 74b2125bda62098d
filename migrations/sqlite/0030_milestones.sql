-- What a creator has been told about once: member-count and revenue milestones reached
-- (`threshold` in members, or in minor units of `currency`), and engagement alerts
-- (`threshold` is the alert's week, days since 1970-01-01 divided by 7).
CREATE TABLE creator_milestones (
    creator_id  BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    threshold   BIGINT NOT NULL,
    reached_at  TEXT NOT NULL,
    PRIMARY KEY (creator_id, kind, currency, threshold)
);
