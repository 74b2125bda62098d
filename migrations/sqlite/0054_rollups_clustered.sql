-- The rollups become WITHOUT ROWID tables, stored in the order of their primary keys.
-- As rowid tables, a creator's month of engagement_days was one primary-key index range
-- and then a table page per row: the rows of a day went in for every creator at once, so
-- a creator's 30 days x 6 types sat on about 180 different pages. At --scale 0.05 a
-- dashboard overview read 303 pages past each connection's 512 KiB cache (db.rs), 183 of
-- them engagement_days and 26 revenue_days, and those reads took 12 % of the server's
-- CPU (docs/benchmarks.md, session 46). Clustered, a creator's window is a few adjacent
-- pages, and the overview's pages all stay in the cache.
-- Nothing references these tables, and no trigger reads or writes them.

CREATE TABLE member_counts_clustered (
    creator_id        BLOB NOT NULL,
    tier_id           BLOB NOT NULL,
    status            TEXT NOT NULL,
    engagement_level  TEXT NOT NULL,
    members           BIGINT NOT NULL,
    score_sum         BIGINT NOT NULL DEFAULT 0,
    interactions_sum  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (creator_id, tier_id, status, engagement_level)
) WITHOUT ROWID;
INSERT INTO member_counts_clustered
SELECT creator_id, tier_id, status, engagement_level, members, score_sum, interactions_sum
FROM member_counts;
DROP TABLE member_counts;
ALTER TABLE member_counts_clustered RENAME TO member_counts;

CREATE TABLE member_months_clustered (
    creator_id BLOB NOT NULL,
    month      TEXT NOT NULL,
    joined     BIGINT NOT NULL,
    churned    BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month)
) WITHOUT ROWID;
INSERT INTO member_months_clustered
SELECT creator_id, month, joined, churned FROM member_months;
DROP TABLE member_months;
ALTER TABLE member_months_clustered RENAME TO member_months;

CREATE TABLE member_days_clustered (
    creator_id BLOB NOT NULL,
    day        TEXT NOT NULL,
    joined     BIGINT NOT NULL,
    churned    BIGINT NOT NULL,
    staying    BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day)
) WITHOUT ROWID;
INSERT INTO member_days_clustered
SELECT creator_id, day, joined, churned, staying, last_seen FROM member_days;
DROP TABLE member_days;
ALTER TABLE member_days_clustered RENAME TO member_days;

CREATE TABLE engagement_days_clustered (
    creator_id       BLOB NOT NULL,
    day              TEXT NOT NULL,
    type             TEXT NOT NULL,
    events           BIGINT NOT NULL,
    timed_events     BIGINT NOT NULL,
    duration_seconds BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, type)
) WITHOUT ROWID;
INSERT INTO engagement_days_clustered
SELECT creator_id, day, type, events, timed_events, duration_seconds FROM engagement_days;
DROP TABLE engagement_days;
ALTER TABLE engagement_days_clustered RENAME TO engagement_days;

CREATE TABLE revenue_days_clustered (
    creator_id          BLOB NOT NULL,
    day                 TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subscriptions_minor BIGINT NOT NULL,
    tips_minor          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, day, currency)
) WITHOUT ROWID;
INSERT INTO revenue_days_clustered
SELECT creator_id, day, currency, subscriptions_minor, tips_minor FROM revenue_days;
DROP TABLE revenue_days;
ALTER TABLE revenue_days_clustered RENAME TO revenue_days;

CREATE TABLE revenue_months_clustered (
    creator_id          BLOB NOT NULL,
    month               TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subscriptions_minor BIGINT NOT NULL,
    tips_minor          BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month, currency)
) WITHOUT ROWID;
INSERT INTO revenue_months_clustered
SELECT creator_id, month, currency, subscriptions_minor, tips_minor FROM revenue_months;
DROP TABLE revenue_months;
ALTER TABLE revenue_months_clustered RENAME TO revenue_months;

CREATE TABLE tier_revenue_months_clustered (
    creator_id    BLOB NOT NULL,
    month         TEXT NOT NULL,
    currency      TEXT NOT NULL,
    tier_id       BLOB NOT NULL,
    amount_minor  BIGINT NOT NULL,
    PRIMARY KEY (creator_id, month, currency, tier_id)
) WITHOUT ROWID;
INSERT INTO tier_revenue_months_clustered
SELECT creator_id, month, currency, tier_id, amount_minor FROM tier_revenue_months;
DROP TABLE tier_revenue_months;
ALTER TABLE tier_revenue_months_clustered RENAME TO tier_revenue_months;

CREATE TABLE subscription_days_clustered (
    creator_id            BLOB NOT NULL,
    currency              TEXT NOT NULL,
    day                   TEXT NOT NULL,
    started               BIGINT NOT NULL,
    started_monthly_minor BIGINT NOT NULL,
    ended                 BIGINT NOT NULL,
    churned               BIGINT NOT NULL,
    churned_monthly_minor BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency, day)
) WITHOUT ROWID;
INSERT INTO subscription_days_clustered
SELECT creator_id, currency, day, started, started_monthly_minor, ended, churned,
       churned_monthly_minor
FROM subscription_days;
DROP TABLE subscription_days;
ALTER TABLE subscription_days_clustered RENAME TO subscription_days;

CREATE TABLE subscription_totals_clustered (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    started    BIGINT NOT NULL,
    ended      BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency)
) WITHOUT ROWID;
INSERT INTO subscription_totals_clustered
SELECT creator_id, currency, started, ended FROM subscription_totals;
DROP TABLE subscription_totals;
ALTER TABLE subscription_totals_clustered RENAME TO subscription_totals;

CREATE TABLE tier_subscription_counts_clustered (
    creator_id    BLOB NOT NULL,
    currency      TEXT NOT NULL,
    tier_id       BLOB NOT NULL,
    status        TEXT NOT NULL,
    subscribers   BIGINT NOT NULL,
    monthly_minor BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency, tier_id, status)
) WITHOUT ROWID;
INSERT INTO tier_subscription_counts_clustered
SELECT creator_id, currency, tier_id, status, subscribers, monthly_minor
FROM tier_subscription_counts;
DROP TABLE tier_subscription_counts;
ALTER TABLE tier_subscription_counts_clustered RENAME TO tier_subscription_counts;

CREATE TABLE creator_payers_clustered (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    user_id    BLOB NOT NULL,
    PRIMARY KEY (creator_id, currency, user_id)
) WITHOUT ROWID;
INSERT INTO creator_payers_clustered SELECT creator_id, currency, user_id FROM creator_payers;
DROP TABLE creator_payers;
ALTER TABLE creator_payers_clustered RENAME TO creator_payers;

CREATE TABLE creator_payer_counts_clustered (
    creator_id BLOB NOT NULL,
    currency   TEXT NOT NULL,
    payers     BIGINT NOT NULL,
    PRIMARY KEY (creator_id, currency)
) WITHOUT ROWID;
INSERT INTO creator_payer_counts_clustered
SELECT creator_id, currency, payers FROM creator_payer_counts;
DROP TABLE creator_payer_counts;
ALTER TABLE creator_payer_counts_clustered RENAME TO creator_payer_counts;
