-- Users per word of user_words (0046) and account status: the admin search of one
-- word whose range holds one word (a name, most often) counts from a row per status
-- instead of reading every index row of the word (`lovelace`: 50,000 rows, 16 ms on
-- PostgreSQL at a million users; `com`: nearly every user). Kept by store::user_words
-- with user_words itself, and by the status trigger, whose function is replaced below
-- to move the counts.
CREATE TABLE user_word_counts (
    word            TEXT COLLATE "C" NOT NULL,
    account_status  TEXT NOT NULL,
    users           BIGINT NOT NULL,
    PRIMARY KEY (word, account_status)
);

INSERT INTO user_word_counts (word, account_status, users)
SELECT word, account_status, COUNT(*) FROM user_words GROUP BY word, account_status;

CREATE OR REPLACE FUNCTION user_words_follow_status() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, -1 FROM user_words WHERE user_id = NEW.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
    UPDATE user_words SET account_status = NEW.status WHERE user_id = NEW.id;
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, 1 FROM user_words WHERE user_id = NEW.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
