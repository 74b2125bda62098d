-- Append-only record of admin and audit-logged actions, written in the same
-- transaction as the change. A trigger refuses every UPDATE and DELETE.
CREATE TABLE audit_log (
    id           UUID PRIMARY KEY,
    actor_id     UUID,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reason       TEXT,
    before       TEXT,
    after        TEXT,
    request_id   TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at);
CREATE INDEX audit_log_action ON audit_log (action, created_at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
