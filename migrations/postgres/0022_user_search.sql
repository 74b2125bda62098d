-- Admin user search: full text over email and display name. Punctuation becomes
-- spaces first so "ada.lovelace@example.com" is the words "ada", "lovelace",
-- "example", "com" (as SQLite's FTS5 tokenizer splits it); queries match word
-- prefixes (see store::user_search). The query repeats this exact expression so the
-- planner uses the index.
CREATE INDEX users_search ON users USING GIN (
    to_tsvector('simple', regexp_replace(email || ' ' || display_name, '[^[:alnum:]]+', ' ', 'g'))
);

-- The console's filters.
CREATE INDEX users_status ON users (status, id);
CREATE INDEX users_country ON users (country_code, id);
