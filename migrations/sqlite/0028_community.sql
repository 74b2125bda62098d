-- A creator's community: posts and comments by members and the team, member reports,
-- the moderation queue and the creator's blocked words. `community_contributors` and
-- `community_topics` are rollups kept in each write's transaction, so the community
-- overview reads a few rows instead of scanning every post.
CREATE TABLE community_posts (
    id                 BLOB PRIMARY KEY NOT NULL,
    creator_id         BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    author_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The author's membership; NULL when a team member wrote it.
    membership_id      BLOB REFERENCES memberships (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    -- published, held (auto-moderated, awaiting review) or removed.
    status             TEXT NOT NULL,
    moderation_reason  TEXT,
    comment_count      BIGINT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX community_posts_creator ON community_posts (creator_id, id);
CREATE INDEX community_posts_created ON community_posts (creator_id, created_at);

CREATE TABLE community_comments (
    id                 BLOB PRIMARY KEY NOT NULL,
    post_id            BLOB NOT NULL REFERENCES community_posts (id) ON DELETE CASCADE,
    creator_id         BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    author_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    membership_id      BLOB REFERENCES memberships (id),
    body               TEXT NOT NULL,
    status             TEXT NOT NULL,
    moderation_reason  TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX community_comments_post ON community_comments (post_id, id);
CREATE INDEX community_comments_created ON community_comments (creator_id, created_at);

CREATE TABLE community_reports (
    id           BLOB PRIMARY KEY NOT NULL,
    creator_id   BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    post_id      BLOB NOT NULL REFERENCES community_posts (id) ON DELETE CASCADE,
    comment_id   BLOB REFERENCES community_comments (id) ON DELETE CASCADE,
    -- The post's or comment's id: one report per reporter and target.
    target_id    BLOB NOT NULL,
    -- NULL for the automatic report of a blocked word.
    reporter_id  BLOB REFERENCES users (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    resolution   TEXT,
    note         TEXT,
    resolved_by  BLOB REFERENCES users (id) ON DELETE SET NULL,
    resolved_at  TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (target_id, reporter_id)
);
CREATE INDEX community_reports_queue ON community_reports (creator_id, status, id);
CREATE INDEX community_reports_target ON community_reports (target_id, status);

CREATE TABLE community_blocked_words (
    creator_id  BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    word        TEXT NOT NULL,
    PRIMARY KEY (creator_id, word)
);

CREATE TABLE community_contributors (
    creator_id     BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    membership_id  BLOB NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    contributions  BIGINT NOT NULL,
    PRIMARY KEY (creator_id, membership_id)
);
CREATE INDEX community_contributors_top ON community_contributors (creator_id, contributions);

CREATE TABLE community_topics (
    creator_id  BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    topic       TEXT NOT NULL,
    mentions    BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, topic)
);
