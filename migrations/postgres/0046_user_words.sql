-- The admin console's user search, by a word index like the members list's (0042): one
-- row per user and distinct word of their display name and email
-- (domain::search_terms), carrying the account status the search filters by. A search
-- of a word many users have (`lovelace`: 50,000 of a million) read every match through
-- the GIN index and sorted them for each page and again to count them; here a page
-- walks the word's users newest first along the primary key and a count reads the
-- word's index entries alone. Kept by store::user_words in the transaction of every
-- write of a user's name or email, and by the trigger below on every write of their
-- status. Words compare byte by byte (COLLATE "C"),
-- so a prefix is a range of the index.
CREATE TABLE user_words (
    word            TEXT COLLATE "C" NOT NULL,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_status  TEXT NOT NULL,
    PRIMARY KEY (word, user_id) INCLUDE (account_status)
);

-- Existing users: runs of letters and digits, lower-cased, as domain::search_terms
-- splits them.
INSERT INTO user_words (word, user_id, account_status)
SELECT DISTINCT w.word, u.id, u.status
FROM users u
CROSS JOIN LATERAL regexp_split_to_table(lower(u.display_name || ' ' || u.email), '[^[:alnum:]]+') AS w (word)
WHERE w.word <> '';

-- A user's own words: probed for a search's other words, replaced on a rename.
CREATE INDEX user_words_of_user ON user_words (user_id, word);

-- Whoever writes a status (an admin, a verification, an erasure), the words follow it.
CREATE FUNCTION user_words_follow_status() RETURNS trigger AS $$
BEGIN
    UPDATE user_words SET account_status = NEW.status WHERE user_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER user_words_status AFTER UPDATE OF status ON users
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION user_words_follow_status();

-- The full-text index of 0022, replaced by the above.
DROP INDEX users_search;
