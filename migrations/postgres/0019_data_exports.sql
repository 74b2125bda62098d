-- Data exports (GDPR art. 15/20): a job gathers everything about the user into one JSON
-- document, kept here for 24 hours behind a signed download link, then dropped.
CREATE TABLE data_exports (
    id            UUID PRIMARY KEY NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- pending → ready → expired, or pending → failed
    status        TEXT NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ,
    -- When the download link and the file lapse (24 h after completion).
    expires_at    TIMESTAMPTZ,
    content       BYTEA,
    size_bytes    BIGINT
);

-- One pending export per account.
CREATE UNIQUE INDEX data_exports_one_pending ON data_exports (user_id) WHERE status = 'pending';
CREATE INDEX data_exports_user ON data_exports (user_id, id);
