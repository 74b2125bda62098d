-- The revenue report at a million members (found by `server bench`: it summed every
-- invoice and tip of the window and collected every payer ever on each request).
-- Per creator, UTC day ('YYYY-MM-DD') and currency: revenue net of refunds, beside the
-- monthly rollup of migration 0032 and kept by the same writes; and the set of members
-- who ever paid a creator. The subscription sums (MRR by tier, new, churned, live at a
-- date) read the indexes below instead of every subscription of the platform.
CREATE TABLE revenue_days (
    creator_id          BLOB NOT NULL,
    day                 TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subscriptions_minor BIGINT NOT NULL,
    tips_minor          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, currency)
);

CREATE TABLE creator_payers (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    user_id    BLOB NOT NULL,
    PRIMARY KEY (creator_id, currency, user_id)
);

CREATE INDEX subscriptions_merchant_status ON subscriptions
    (merchant_creator_id, currency, status, tier_id, billing_cycle, price_minor);
CREATE INDEX subscriptions_merchant_created ON subscriptions
    (merchant_creator_id, currency, created_at, canceled_at, billing_cycle, price_minor);
CREATE INDEX subscriptions_merchant_canceled ON subscriptions
    (merchant_creator_id, currency, canceled_at, status, billing_cycle, price_minor);

INSERT INTO revenue_days (creator_id, day, currency, subscriptions_minor, tips_minor)
SELECT creator_id, day, currency, SUM(subscriptions), SUM(tips) FROM (
    SELECT s.merchant_creator_id AS creator_id, substr(i.paid_at, 1, 10) AS day, i.currency,
           i.amount_paid_minor AS subscriptions, 0 AS tips
    FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL AND i.paid_at IS NOT NULL
    UNION ALL
    SELECT creator_id, substr(created_at, 1, 10), currency, 0, amount_minor FROM tips
    UNION ALL
    SELECT s.merchant_creator_id, substr(r.created_at, 1, 10), i.currency, -r.amount_minor, 0
    FROM refunds r JOIN invoices i ON i.id = r.invoice_id JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL
    UNION ALL
    SELECT t.creator_id, substr(r.created_at, 1, 10), t.currency, 0, -r.amount_minor
    FROM refunds r JOIN tips t ON t.invoice_id = r.invoice_id
) AS changes GROUP BY creator_id, day, currency;

INSERT INTO creator_payers (creator_id, currency, user_id)
SELECT s.merchant_creator_id, i.currency, s.user_id FROM invoices i
JOIN subscriptions s ON s.id = i.subscription_id
WHERE s.merchant_creator_id IS NOT NULL AND i.amount_paid_minor > 0
UNION
SELECT creator_id, currency, user_id FROM tips;
