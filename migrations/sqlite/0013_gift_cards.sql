-- Gift cards. The code is shown once, when generated; only its SHA-256 is kept (and
-- its last four characters, to tell cards apart). Redeeming credits the whole value to
-- the redeemer's account balance.
CREATE TABLE gift_cards (
    id               BLOB PRIMARY KEY NOT NULL,
    code_hash        TEXT NOT NULL UNIQUE,
    code_last4       TEXT NOT NULL,
    batch_id         BLOB NOT NULL,
    initial_minor    BIGINT NOT NULL CHECK (initial_minor > 0),
    remaining_minor  BIGINT NOT NULL CHECK (remaining_minor >= 0),
    currency         TEXT NOT NULL,
    -- active → redeemed | disabled
    status           TEXT NOT NULL,
    created_by       BLOB REFERENCES users (id) ON DELETE SET NULL,
    redeemed_by      BLOB REFERENCES users (id) ON DELETE SET NULL,
    redeemed_at      TEXT,
    expires_at       TEXT,
    created_at       TEXT NOT NULL
);

CREATE INDEX gift_cards_batch ON gift_cards (batch_id);
