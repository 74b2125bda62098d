-- The members list's word search. One row per membership and distinct word of the
-- member's name and email (domain::search_terms), carrying the filters the list counts
-- by (tier, status, engagement level): a search's total and segments are counted from
-- the index below alone, and a page probes the primary key for each member it walks.
-- Kept by store::member_words in the transaction of every membership write and of
-- every change to a user's name or email.
CREATE TABLE member_words (
    membership_id     BLOB NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    word              TEXT NOT NULL,
    creator_id        BLOB NOT NULL,
    tier_id           BLOB NOT NULL,
    status            TEXT NOT NULL,
    engagement_level  TEXT NOT NULL,
    PRIMARY KEY (membership_id, word)
) WITHOUT ROWID;

-- Existing members, split by a throwaway FTS5 table whose tokenizer (letters and
-- digits, lower-cased, accents kept) splits as domain::search_terms does.
CREATE VIRTUAL TABLE temp.member_text USING fts5 (text, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO temp.member_text (rowid, text) SELECT rowid, display_name || ' ' || email FROM users;
CREATE VIRTUAL TABLE temp.member_terms USING fts5vocab (temp, member_text, instance);
INSERT INTO member_words (membership_id, word, creator_id, tier_id, status, engagement_level)
SELECT DISTINCT m.id, t.term, m.creator_id, m.tier_id, m.status, m.engagement_level
FROM temp.member_terms t
JOIN users u ON u.rowid = t.doc
JOIN memberships m ON m.user_id = u.id;
DROP TABLE temp.member_terms;
DROP TABLE temp.member_text;

CREATE INDEX member_words_search ON member_words (creator_id, word, engagement_level, status, tier_id);
