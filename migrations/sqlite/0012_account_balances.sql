-- Account balance per user and currency (credits from downgrades, later gift cards),
-- spent by the next invoices before any card is charged. Every movement is kept.
CREATE TABLE account_balances (
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    currency       TEXT NOT NULL,
    balance_minor  BIGINT NOT NULL CHECK (balance_minor >= 0),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, currency)
);

CREATE TABLE balance_transactions (
    id            BLOB PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    currency      TEXT NOT NULL,
    -- Positive: credit added; negative: credit spent.
    amount_minor  BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    invoice_id    BLOB REFERENCES invoices (id),
    created_at    TEXT NOT NULL
);

CREATE INDEX balance_transactions_user ON balance_transactions (user_id, created_at);
