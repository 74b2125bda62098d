-- Tier subscription revenue per creator, tier and calendar month (UTC), net of refunds:
-- the dashboard's revenue-by-tier history. Kept beside revenue_months by the same
-- writes (store::months) in the same transaction. A payment counts for the tier its
-- subscription was on when it was paid; a refund for the tier it is on when refunded.
CREATE TABLE tier_revenue_months (
    creator_id    UUID NOT NULL,
    month         TEXT NOT NULL,
    currency      TEXT NOT NULL,
    tier_id       UUID NOT NULL,
    amount_minor  BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month, currency, tier_id)
);

INSERT INTO tier_revenue_months (creator_id, month, currency, tier_id, amount_minor)
SELECT creator_id, month, currency, tier_id, SUM(amount) FROM (
    SELECT s.merchant_creator_id AS creator_id, to_char(i.paid_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
           i.currency, s.tier_id, i.amount_paid_minor AS amount
    FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL AND s.tier_id IS NOT NULL AND i.paid_at IS NOT NULL
    UNION ALL
    SELECT s.merchant_creator_id, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), i.currency, s.tier_id, -r.amount_minor
    FROM refunds r JOIN invoices i ON i.id = r.invoice_id JOIN subscriptions s ON s.id = i.subscription_id
    WHERE s.merchant_creator_id IS NOT NULL AND s.tier_id IS NOT NULL
) AS changes GROUP BY creator_id, month, currency, tier_id;
