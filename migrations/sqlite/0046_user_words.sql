-- The admin console's user search, by a word index like the members list's (0042): one
-- row per user and distinct word of their display name and email
-- (domain::search_terms), carrying the account status the search filters by. A search
-- of a word many users have (`lovelace`: 50,000 of a million) read every match through
-- the FTS5 table and sorted them for each page and again to count them; here a page
-- walks the word's users newest first along the primary key and a count reads the
-- word's rows alone. Kept by store::user_words in the transaction of every write of a
-- user's name or email, and by the trigger below on every write of their status.
CREATE TABLE user_words (
    word            TEXT NOT NULL,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_status  TEXT NOT NULL,
    PRIMARY KEY (word, user_id)
) WITHOUT ROWID;

-- Existing users, split by a throwaway FTS5 table whose tokenizer (letters and digits,
-- lower-cased, accents kept) splits as domain::search_terms does.
CREATE VIRTUAL TABLE temp.user_text USING fts5 (text, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO temp.user_text (rowid, text) SELECT rowid, display_name || ' ' || email FROM users;
CREATE VIRTUAL TABLE temp.user_terms USING fts5vocab (temp, user_text, instance);
INSERT INTO user_words (word, user_id, account_status)
SELECT DISTINCT t.term, u.id, u.status
FROM temp.user_terms t
JOIN users u ON u.rowid = t.doc;
DROP TABLE temp.user_terms;
DROP TABLE temp.user_text;

-- A user's own words: probed for a search's other words, replaced on a rename.
CREATE INDEX user_words_of_user ON user_words (user_id, word);

-- Whoever writes a status (an admin, a verification, an erasure), the words follow it.
CREATE TRIGGER user_words_status AFTER UPDATE OF status ON users
WHEN old.status IS NOT new.status
BEGIN
    UPDATE user_words SET account_status = new.status WHERE user_id = new.id;
END;

-- The full-text index of 0022, replaced by the above.
DROP TRIGGER users_fts_insert;
DROP TRIGGER users_fts_delete;
DROP TRIGGER users_fts_update;
DROP TABLE users_fts;
