-- The members list's search index lists the members of each key (creator, word, level,
-- status, tier) in membership order, newest last: a search's page on PostgreSQL takes
-- the newest few of each key and merges them (store::member_words::newest_by_key)
-- instead of walking every member newest first. The membership was an included column,
-- unordered; SQLite's index already ends with it (member_words is WITHOUT ROWID, so the
-- index carries the primary key).
DROP INDEX member_words_search;
CREATE INDEX member_words_search ON member_words (creator_id, word, engagement_level, status, tier_id, membership_id);
