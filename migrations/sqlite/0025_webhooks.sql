-- Creators' webhook endpoints, the outbox of events, and one delivery per event and
-- endpoint. Events are written in the transaction of the change they report; a job
-- delivers each, in order per endpoint and member, retrying with backoff.
CREATE TABLE webhook_endpoints (
    id               BLOB PRIMARY KEY NOT NULL,
    creator_id       BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    url              TEXT NOT NULL,
    -- A JSON array of event types.
    events           TEXT NOT NULL,
    -- `whsec_` + base64 of the signing key; shown once, when the endpoint is created.
    secret           TEXT NOT NULL,
    status           TEXT NOT NULL,
    disabled_reason  TEXT,
    created_by       BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE INDEX webhook_endpoints_creator ON webhook_endpoints (creator_id, id);

CREATE TABLE webhook_events (
    id            BLOB PRIMARY KEY NOT NULL,
    creator_id    BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    -- Deliveries with the same key reach each endpoint in the order they were made.
    ordering_key  TEXT NOT NULL,
    -- The JSON body sent: {type, timestamp, data}.
    payload       TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id                BLOB PRIMARY KEY NOT NULL,
    event_id          BLOB NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    endpoint_id       BLOB NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    ordering_key      TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt_at   TEXT,
    last_attempt_at   TEXT,
    last_status_code  INTEGER,
    last_error        TEXT,
    delivered_at      TEXT,
    created_at        TEXT NOT NULL
);

CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, ordering_key, status, id);
