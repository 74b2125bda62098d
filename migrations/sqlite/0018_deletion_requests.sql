-- Account deletion requests. A pending request is erased by a job at
-- scheduled_deletion_at (30 days after the request) unless the user cancels it first.
-- Rows outlive the erasure: they are the record that it happened.
CREATE TABLE deletion_requests (
    id                     BLOB PRIMARY KEY NOT NULL,
    user_id                BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- pending → canceled | completed
    status                 TEXT NOT NULL,
    reason                 TEXT,
    requested_at           TEXT NOT NULL,
    scheduled_deletion_at  TEXT NOT NULL,
    canceled_at            TEXT,
    completed_at           TEXT
);

-- One pending request per account.
CREATE UNIQUE INDEX deletion_requests_one_pending ON deletion_requests (user_id)
    WHERE status = 'pending';
CREATE INDEX deletion_requests_user ON deletion_requests (user_id, requested_at);
