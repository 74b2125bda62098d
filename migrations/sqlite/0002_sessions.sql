-- Sign-in sessions. A session is one refresh-token family: every refresh rotates the
-- token; presenting an already-rotated token revokes the whole session (token theft).
-- Access tokens name their session (sid), so revoking it stops them at once.
CREATE TABLE sessions (
    id              BLOB PRIMARY KEY NOT NULL,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_reason  TEXT,
    user_agent      TEXT,
    client_ip       TEXT
);

CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens are stored as SHA-256 hashes only.
CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    session_id  BLOB NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at   TEXT NOT NULL,
    rotated_at  TEXT
);

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Fixed-window counters for throttling (login, refresh, resends), shared by every
-- server instance because they live in the database.
CREATE TABLE throttle_windows (
    key           TEXT PRIMARY KEY NOT NULL,
    window_start  TEXT NOT NULL,
    hits          BIGINT NOT NULL
);

-- Secrets the server generates for itself on first start (the token signing key), so
-- restarts keep sessions valid and several instances agree.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
