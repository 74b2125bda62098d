-- Append-only record of admin and audit-logged actions, written in the same
-- transaction as the change. Triggers refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
    id           BLOB PRIMARY KEY NOT NULL,
    actor_id     BLOB,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reason       TEXT,
    before       TEXT,
    after        TEXT,
    request_id   TEXT,
    created_at   TEXT NOT NULL
);

CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at);
CREATE INDEX audit_log_action ON audit_log (action, created_at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log entries are append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log entries are append-only');
END;
