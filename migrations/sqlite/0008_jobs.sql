-- Background work, run by workers inside the server process. A worker claims a due job
-- by taking a lease (locked_until); a worker that dies loses the lease and another
-- picks the job up. Failures are retried with back-off until max_attempts.
CREATE TABLE jobs (
    id            BLOB PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    -- queued → done | failed
    status        TEXT NOT NULL,
    run_at        TEXT NOT NULL,
    locked_until  TEXT,
    attempts      INTEGER NOT NULL,
    max_attempts  INTEGER NOT NULL,
    last_error    TEXT,
    -- At most one queued job per dedupe key (a recurring job is enqueued once).
    dedupe_key    TEXT,
    created_at    TEXT NOT NULL,
    finished_at   TEXT
);

CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE UNIQUE INDEX jobs_queued_dedupe ON jobs (dedupe_key) WHERE status = 'queued';
