-- Saved payment methods. Only what the gateway tells about a card is kept (brand,
-- last 4 digits, expiry) plus the gateway's own reference; never a card number.
-- Removal is soft (deleted_at) so invoices keep pointing at what paid them.
CREATE TABLE payment_methods (
    id               BLOB PRIMARY KEY NOT NULL,
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    gateway_ref      TEXT NOT NULL,
    type             TEXT NOT NULL,
    brand            TEXT NOT NULL,
    last4            TEXT NOT NULL,
    exp_month        INTEGER NOT NULL,
    exp_year         INTEGER NOT NULL,
    billing_name     TEXT,
    billing_country  TEXT,
    is_default       BOOLEAN NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);

CREATE INDEX payment_methods_user ON payment_methods (user_id, created_at);
-- At most one default per user among the methods still attached.
CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (user_id)
    WHERE is_default AND deleted_at IS NULL;
