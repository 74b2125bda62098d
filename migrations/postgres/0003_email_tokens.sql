-- One-time links sent by email (verify the address, reset the password). Only the
-- SHA-256 of the token is stored; a token works once and until it expires.
CREATE TABLE email_tokens (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
