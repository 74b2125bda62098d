-- The members list's word search. One row per membership and distinct word of the
-- member's name and email (domain::search_terms), carrying the filters the list counts
-- by (tier, status, engagement level): a search's total and segments are counted from
-- the index below alone, and a page probes the primary key for each member it walks.
-- Kept by store::member_words in the transaction of every membership write and of
-- every change to a user's name or email. Words compare byte by byte (COLLATE "C"), so
-- a prefix is a range of the index.
CREATE TABLE member_words (
    membership_id     UUID NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    word              TEXT COLLATE "C" NOT NULL,
    creator_id        UUID NOT NULL,
    tier_id           UUID NOT NULL,
    status            TEXT NOT NULL,
    engagement_level  TEXT NOT NULL,
    PRIMARY KEY (membership_id, word)
);

-- Existing members: runs of letters and digits, lower-cased, as domain::search_terms
-- splits them.
INSERT INTO member_words (membership_id, word, creator_id, tier_id, status, engagement_level)
SELECT DISTINCT m.id, w.word, m.creator_id, m.tier_id, m.status, m.engagement_level
FROM memberships m
JOIN users u ON u.id = m.user_id
CROSS JOIN LATERAL regexp_split_to_table(lower(u.display_name || ' ' || u.email), '[^[:alnum:]]+') AS w (word)
WHERE w.word <> '';

CREATE INDEX member_words_search ON member_words (creator_id, word, engagement_level, status, tier_id)
    INCLUDE (membership_id);
