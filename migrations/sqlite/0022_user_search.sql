-- Admin user search: full text over email and display name. FTS5 keeps an index of
-- the users table (external content, so nothing is stored twice) in step through
-- triggers. The unicode61 tokenizer splits "ada.lovelace@example.com" into "ada",
-- "lovelace", "example", "com"; queries match word prefixes (see store::user_search).
-- The index is keyed by the users rowid: a migration that rebuilds the users table
-- must end with INSERT INTO users_fts (users_fts) VALUES ('rebuild').
CREATE VIRTUAL TABLE users_fts USING fts5(
    email,
    display_name,
    content = 'users',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER users_fts_insert AFTER INSERT ON users
BEGIN
    INSERT INTO users_fts (rowid, email, display_name) VALUES (new.rowid, new.email, new.display_name);
END;

CREATE TRIGGER users_fts_delete AFTER DELETE ON users
BEGIN
    INSERT INTO users_fts (users_fts, rowid, email, display_name)
        VALUES ('delete', old.rowid, old.email, old.display_name);
END;

CREATE TRIGGER users_fts_update AFTER UPDATE OF email, display_name ON users
BEGIN
    INSERT INTO users_fts (users_fts, rowid, email, display_name)
        VALUES ('delete', old.rowid, old.email, old.display_name);
    INSERT INTO users_fts (rowid, email, display_name) VALUES (new.rowid, new.email, new.display_name);
END;

INSERT INTO users_fts (users_fts) VALUES ('rebuild');

-- The console's filters.
CREATE INDEX users_status ON users (status, id);
CREATE INDEX users_country ON users (country_code, id);
