-- Creator announcements. `announcement_tiers` lists the tiers of a `specific_tiers`
-- announcement. A notifying announcement is delivered by a job that walks its audience
-- in membership-id order; `delivery_cursor` is where it got to, so a re-run resumes.
CREATE TABLE announcements (
    id               BLOB PRIMARY KEY NOT NULL,
    creator_id       BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    author_id        BLOB REFERENCES users (id) ON DELETE SET NULL,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    -- all_members, paid_members or specific_tiers.
    visibility       TEXT NOT NULL,
    pinned           BOOLEAN NOT NULL,
    -- A JSON array of channels (push, email); empty when the members are not notified.
    channels         TEXT NOT NULL,
    -- none, queued or sent.
    delivery_status  TEXT NOT NULL,
    delivery_cursor  BLOB,
    recipients       BIGINT NOT NULL,
    push_sent        BIGINT NOT NULL,
    email_sent       BIGINT NOT NULL,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX announcements_creator ON announcements (creator_id, id);

CREATE TABLE announcement_tiers (
    announcement_id  BLOB NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    tier_id          BLOB NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, tier_id)
);
