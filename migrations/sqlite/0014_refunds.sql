-- Refunds of paid invoices, partial or whole. A refund is written as `pending` before
-- the gateway is asked, so concurrent refunds of one invoice count each other and can
-- never add up to more than was paid.
CREATE TABLE refunds (
    id                  BLOB PRIMARY KEY NOT NULL,
    invoice_id          BLOB NOT NULL REFERENCES invoices (id),
    amount_minor        BIGINT NOT NULL CHECK (amount_minor > 0),
    currency            TEXT NOT NULL,
    reason              TEXT NOT NULL,
    -- pending → succeeded | failed
    status              TEXT NOT NULL,
    notes               TEXT,
    provider_refund_id  TEXT,
    actor_id            BLOB REFERENCES users (id) ON DELETE SET NULL,
    processed_at        TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE INDEX refunds_invoice ON refunds (invoice_id, created_at);
