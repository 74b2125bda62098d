-- Members per creator, word, tier, status and engagement level: the members list's
-- search by one word whose range holds one word (most searches by a name) is counted
-- from a few rows of it instead of every member's index row. Kept by
-- store::member_words with member_words itself.
CREATE TABLE member_word_counts (
    creator_id        UUID NOT NULL,
    word              TEXT COLLATE "C" NOT NULL,
    tier_id           UUID NOT NULL,
    status            TEXT NOT NULL,
    engagement_level  TEXT NOT NULL,
    members           BIGINT NOT NULL,
    PRIMARY KEY (creator_id, word, tier_id, status, engagement_level)
);

INSERT INTO member_word_counts (creator_id, word, tier_id, status, engagement_level, members)
SELECT creator_id, word, tier_id, status, engagement_level, COUNT(*)
FROM member_words
GROUP BY creator_id, word, tier_id, status, engagement_level;
