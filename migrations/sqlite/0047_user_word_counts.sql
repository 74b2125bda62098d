-- Users per word of user_words (0046) and account status: the admin search of one
-- word whose range holds one word (a name, most often) counts from a row per status
-- instead of reading every index row of the word (`lovelace`: 50,000 rows, 16 ms on
-- PostgreSQL at a million users; `com`: nearly every user). Kept by store::user_words
-- with user_words itself, and by the status trigger, replaced below to move the counts.
CREATE TABLE user_word_counts (
    word            TEXT NOT NULL,
    account_status  TEXT NOT NULL,
    users           INTEGER NOT NULL,
    PRIMARY KEY (word, account_status)
) WITHOUT ROWID;

INSERT INTO user_word_counts (word, account_status, users)
SELECT word, account_status, COUNT(*) FROM user_words GROUP BY word, account_status;

DROP TRIGGER user_words_status;
CREATE TRIGGER user_words_status AFTER UPDATE OF status ON users
WHEN old.status IS NOT new.status
BEGIN
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, -1 FROM user_words WHERE user_id = new.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
    UPDATE user_words SET account_status = new.status WHERE user_id = new.id;
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, 1 FROM user_words WHERE user_id = new.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
END;
