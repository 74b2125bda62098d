-- Members' interactions, as creators' platforms report them. The sender's event id is
-- unique per creator, so a batch sent twice is recorded once. `weight_milli` is the
-- event's weight (services/engagement.rs) in thousandths, fixed when it arrives.
CREATE TABLE engagement_events (
    creator_id     BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    event_id       TEXT NOT NULL,
    membership_id  BLOB NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    type           TEXT NOT NULL,
    occurred_at    TEXT NOT NULL,
    weight_milli   INTEGER NOT NULL,
    -- A JSON object.
    details        TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    PRIMARY KEY (creator_id, event_id)
);

CREATE INDEX engagement_events_member ON engagement_events (membership_id, occurred_at);
CREATE INDEX engagement_events_creator_time ON engagement_events (creator_id, occurred_at);
-- Rank within a creator: members with a higher score.
CREATE INDEX memberships_score ON memberships (creator_id, engagement_score);
