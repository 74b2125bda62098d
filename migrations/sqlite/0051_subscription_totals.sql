-- The revenue report's churn rate divides by the subscriptions live when its window
-- began, which was the sum of subscription_days before the window: every day since the
-- creator's first subscription (731 rows, 253 µs a run at full scale, the overview's
-- dearest statement). A creator's totals over every day are kept here instead, written
-- with the days, so the live count at the window's start is the totals less the
-- window's own days.
CREATE TABLE subscription_totals (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    started    BIGINT NOT NULL,
    ended      BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency)
);

INSERT INTO subscription_totals (creator_id, currency, started, ended)
SELECT creator_id, currency, SUM(started), SUM(ended)
FROM subscription_days GROUP BY creator_id, currency;
