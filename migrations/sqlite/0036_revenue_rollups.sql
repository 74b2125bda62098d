-- The revenue report at a million members (found by `server bench`: it summed every
-- invoice, tip and subscription of the window and collected every payer ever on each
-- request). Per creator, UTC day ('YYYY-MM-DD') and currency: revenue net of refunds,
-- beside the monthly rollup of migration 0032 and kept by the same writes; tier
-- subscriptions started, ended and churned with their monthly value (a yearly price
-- counts a twelfth); per tier and status, the subscribers and their monthly value; and
-- the members who ever paid a creator, with their number. All are kept by the writes
-- that change them (store::months, store::subscriptions) in the same transaction.
-- Every paid invoice asks whether it pays for a tip (store::months); without this index
-- each one read every tip.
CREATE INDEX tips_invoice ON tips (invoice_id);

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

CREATE TABLE creator_payer_counts (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    payers     BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency)
);

CREATE TABLE tier_subscription_counts (
    creator_id    BLOB NOT NULL,
    currency      TEXT NOT NULL,
    tier_id       BLOB NOT NULL,
    status        TEXT NOT NULL,
    subscribers   BIGINT NOT NULL,
    monthly_minor BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency, tier_id, status)
);

CREATE TABLE subscription_days (
    creator_id            BLOB NOT NULL,
    currency              TEXT NOT NULL,
    day                   TEXT NOT NULL,
    started               BIGINT NOT NULL,
    started_monthly_minor BIGINT NOT NULL,
    ended                 BIGINT NOT NULL,
    churned               BIGINT NOT NULL,
    churned_monthly_minor BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency, day)
);

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

INSERT INTO creator_payer_counts (creator_id, currency, payers)
SELECT creator_id, currency, COUNT(*) FROM creator_payers GROUP BY creator_id, currency;

INSERT INTO tier_subscription_counts (creator_id, currency, tier_id, status, subscribers, monthly_minor)
SELECT merchant_creator_id, currency, tier_id, status, COUNT(*),
       SUM(CASE WHEN billing_cycle = 'annual' THEN price_minor / 12 ELSE price_minor END)
FROM subscriptions WHERE merchant_creator_id IS NOT NULL AND tier_id IS NOT NULL
GROUP BY merchant_creator_id, currency, tier_id, status;

INSERT INTO subscription_days (creator_id, currency, day, started, started_monthly_minor,
                               ended, churned, churned_monthly_minor)
SELECT creator_id, currency, day, SUM(started), SUM(started_monthly), SUM(ended), SUM(churned),
       SUM(churned_monthly) FROM (
    SELECT merchant_creator_id AS creator_id, currency, substr(created_at, 1, 10) AS day,
           1 AS started,
           CASE WHEN billing_cycle = 'annual' THEN price_minor / 12 ELSE price_minor END AS started_monthly,
           0 AS ended, 0 AS churned, 0 AS churned_monthly
    FROM subscriptions WHERE merchant_creator_id IS NOT NULL
    UNION ALL
    SELECT merchant_creator_id, currency, substr(canceled_at, 1, 10), 0, 0, 1,
           CASE WHEN status = 'canceled' THEN 1 ELSE 0 END,
           CASE WHEN status <> 'canceled' THEN 0
                WHEN billing_cycle = 'annual' THEN price_minor / 12 ELSE price_minor END
    FROM subscriptions WHERE merchant_creator_id IS NOT NULL AND canceled_at IS NOT NULL
) AS changes GROUP BY creator_id, currency, day;
