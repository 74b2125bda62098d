-- The word rollups (0043, 0047) keep no row at 0 from here on: store::member_words
-- and store::user_words delete the rows a write empties, and the status trigger's
-- function, replaced below, does the same. A row at 0 adds nothing to a count, but
-- searches of its word's range read past it, and it makes a range look as if it held
-- more words than it does. Those left by earlier writes go now.
DELETE FROM member_word_counts WHERE members = 0;
DELETE FROM user_word_counts WHERE users = 0;

CREATE OR REPLACE FUNCTION user_words_follow_status() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, -1 FROM user_words WHERE user_id = NEW.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
    DELETE FROM user_word_counts WHERE users = 0 AND (word, account_status) IN
        (SELECT word, account_status FROM user_words WHERE user_id = NEW.id);
    UPDATE user_words SET account_status = NEW.status WHERE user_id = NEW.id;
    INSERT INTO user_word_counts (word, account_status, users)
    SELECT word, account_status, 1 FROM user_words WHERE user_id = NEW.id
    ON CONFLICT (word, account_status) DO UPDATE SET users = user_word_counts.users + excluded.users;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
