-- Per creator and calendar month (UTC, 'YYYY-MM'): memberships that started and ended
-- in it, and revenue received in it net of refunds, kept by the writes that change
-- them (store::memberships, invoices, tips, refunds) in the same transaction, so the
-- dashboard's twelve-month history reads a dozen rows instead of scanning members and
-- invoices.
CREATE TABLE member_months (
    creator_id BLOB NOT NULL,
    month      TEXT NOT NULL,
    joined     BIGINT NOT NULL,
    churned    BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month)
);

CREATE TABLE revenue_months (
    creator_id          BLOB NOT NULL,
    month               TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subscriptions_minor BIGINT NOT NULL,
    tips_minor          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month, currency)
);

INSERT INTO member_months (creator_id, month, joined, churned)
SELECT creator_id, month, SUM(joined), SUM(churned) FROM (
    SELECT creator_id, substr(joined_at, 1, 7) AS month, 1 AS joined, 0 AS churned FROM memberships
    UNION ALL
    SELECT creator_id, substr(churned_at, 1, 7), 0, 1 FROM memberships WHERE churned_at IS NOT NULL
) AS changes GROUP BY creator_id, month;

INSERT INTO revenue_months (creator_id, month, currency, subscriptions_minor, tips_minor)
SELECT creator_id, month, currency, SUM(subscriptions), SUM(tips) FROM (
    SELECT s.merchant_creator_id AS creator_id, substr(i.paid_at, 1, 7) AS month, i.currency,
           i.amount_paid_minor AS subscriptions, 0 AS tips
    FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL AND i.paid_at IS NOT NULL
    UNION ALL
    SELECT creator_id, substr(created_at, 1, 7), currency, 0, amount_minor FROM tips
    UNION ALL
    SELECT s.merchant_creator_id, substr(r.created_at, 1, 7), i.currency, -r.amount_minor, 0
    FROM refunds r JOIN invoices i ON i.id = r.invoice_id JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL
    UNION ALL
    SELECT t.creator_id, substr(r.created_at, 1, 7), t.currency, 0, -r.amount_minor
    FROM refunds r JOIN tips t ON t.invoice_id = r.invoice_id
) AS changes GROUP BY creator_id, month, currency;
