-- Nothing to change on SQLite: member_words is WITHOUT ROWID, so its index
-- member_words_search (0042) already ends with the primary key, the membership first.
-- PostgreSQL's index gets the membership as its last ordered column here.
SELECT 1;
