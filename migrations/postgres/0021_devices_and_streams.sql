-- Registered devices, up to the plan's max_devices. A device remembers the session that
-- registered it, so removing the device signs that session out.
CREATE TABLE devices (
    id             UUID PRIMARY KEY NOT NULL,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id     UUID,
    name           TEXT NOT NULL,
    platform       TEXT NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX devices_user ON devices (user_id, id);
-- One device per session: registering again from a session updates its device.
CREATE UNIQUE INDEX devices_session ON devices (session_id) WHERE session_id IS NOT NULL;

-- Stream slots, up to the plan's max_concurrent_streams, held as leases: a lease lapses
-- at expires_at unless a heartbeat extends it, so a crashed player frees its slot.
CREATE TABLE stream_leases (
    id            UUID PRIMARY KEY NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    profile_id    UUID,
    device_id     UUID,
    started_at    TIMESTAMPTZ NOT NULL,
    heartbeat_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ,
    -- stopped | device_removed | password_changed | suspended | account_deleted
    end_reason    TEXT
);

CREATE INDEX stream_leases_open ON stream_leases (user_id, expires_at) WHERE ended_at IS NULL;
