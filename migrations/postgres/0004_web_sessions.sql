-- Browser sessions use the same sessions table: instead of refresh tokens they hold
-- one opaque cookie token (stored hashed) for their whole life.
ALTER TABLE sessions ADD COLUMN web_token_hash TEXT;

CREATE UNIQUE INDEX sessions_web_token ON sessions (web_token_hash);
