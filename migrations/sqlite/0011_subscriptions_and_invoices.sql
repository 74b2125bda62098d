-- Subscriptions to a product: a platform plan (merchant_creator_id NULL) or, later, a
-- creator's tier. The price and cycle sold are copied in, so a plan edit reaches an
-- existing subscriber only when the subscription takes new terms.
CREATE TABLE subscriptions (
    id                     BLOB PRIMARY KEY NOT NULL,
    user_id                BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_kind           TEXT NOT NULL,
    plan_id                BLOB REFERENCES plans (id),
    merchant_creator_id    BLOB,
    status                 TEXT NOT NULL,
    price_minor            BIGINT NOT NULL,
    currency               TEXT NOT NULL,
    billing_cycle          TEXT NOT NULL,
    auto_renew             BOOLEAN NOT NULL,
    -- Periods are anchor + n cycles (no drift after short months).
    billing_anchor         TEXT NOT NULL,
    period_index           INTEGER NOT NULL,
    current_period_start   TEXT NOT NULL,
    current_period_end     TEXT NOT NULL,
    cancel_at_period_end   BOOLEAN NOT NULL,
    canceled_at            TEXT,
    cancel_reason          TEXT,
    paused_at              TEXT,
    trial_start            TEXT,
    trial_end              TEXT,
    payment_method_id      BLOB REFERENCES payment_methods (id),
    coupon_id              BLOB,
    -- Dunning: failed renewal attempts so far and when the next one is due.
    failed_attempts        INTEGER NOT NULL,
    next_attempt_at        TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);

CREATE INDEX subscriptions_user ON subscriptions (user_id, created_at);
-- One live platform subscription per user.
CREATE UNIQUE INDEX subscriptions_one_live_plan ON subscriptions (user_id)
    WHERE product_kind = 'plan' AND status IN ('trialing', 'active', 'past_due', 'paused');

-- Invoice numbers INV-YYYY-NNNNN are gapless per year: the counter row is incremented
-- in the invoice's own transaction, so a rolled-back invoice gives its number back.
CREATE TABLE invoice_sequences (
    year         INTEGER PRIMARY KEY NOT NULL,
    last_number  BIGINT NOT NULL
);

CREATE TABLE invoices (
    id                 BLOB PRIMARY KEY NOT NULL,
    invoice_number     TEXT NOT NULL UNIQUE,
    user_id            BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subscription_id    BLOB REFERENCES subscriptions (id),
    status             TEXT NOT NULL,
    amount_minor       BIGINT NOT NULL,
    amount_paid_minor  BIGINT NOT NULL,
    discount_minor     BIGINT NOT NULL,
    tax_minor          BIGINT NOT NULL,
    amount_due_minor   BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    description        TEXT NOT NULL,
    period_start       TEXT NOT NULL,
    period_end         TEXT NOT NULL,
    due_date           TEXT NOT NULL,
    paid_at            TEXT,
    -- The gateway's charge id for what paid it.
    charge_ref         TEXT,
    created_at         TEXT NOT NULL
);

CREATE INDEX invoices_user ON invoices (user_id, id);

CREATE TABLE invoice_lines (
    invoice_id        BLOB NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    description       TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    unit_price_minor  BIGINT NOT NULL,
    amount_minor      BIGINT NOT NULL,
    type              TEXT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
