-- Registered devices, up to the plan's max_devices. A device remembers the session that
-- registered it, so removing the device signs that session out.
CREATE TABLE devices (
    id             BLOB PRIMARY KEY NOT NULL,
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id     BLOB,
    name           TEXT NOT NULL,
    platform       TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL
);

CREATE INDEX devices_user ON devices (user_id, id);
-- One device per session: registering again from a session updates its device.
CREATE UNIQUE INDEX devices_session ON devices (session_id) WHERE session_id IS NOT NULL;

-- Stream slots, up to the plan's max_concurrent_streams, held as leases: a lease lapses
-- at expires_at unless a heartbeat extends it, so a crashed player frees its slot.
CREATE TABLE stream_leases (
    id            BLOB PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    profile_id    BLOB,
    device_id     BLOB,
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    ended_at      TEXT,
    -- stopped | device_removed | password_changed | suspended | account_deleted
    end_reason    TEXT
);

CREATE INDEX stream_leases_open ON stream_leases (user_id, expires_at) WHERE ended_at IS NULL;
