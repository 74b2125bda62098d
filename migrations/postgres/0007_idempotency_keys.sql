-- Idempotency-Key records: one per (caller, key). The first request claims the key
-- (response_status NULL while it runs); its response is kept for 24 hours so a retry
-- gets the same answer instead of a second charge. A job deletes expired rows.
CREATE TABLE idempotency_keys (
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key              TEXT NOT NULL,
    -- SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint      TEXT NOT NULL,
    response_status  INTEGER,
    response_body    TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
