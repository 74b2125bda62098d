-- A search asking for every tier, status and level walks its word's members newest first
-- (store::member_words::newest_of_word): one seek of creator and word, then the index's
-- order, where member_words_search (0044) has the level, status and tier between them.
CREATE INDEX member_words_newest ON member_words (creator_id, word, membership_id);
