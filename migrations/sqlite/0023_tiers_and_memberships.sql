-- Creators' tiers and their members. A membership is one user's relation to one
-- creator (it keeps its id when they leave and come back); a paid one points at the
-- tier subscription that bills it.
CREATE TABLE tiers (
    id                   BLOB PRIMARY KEY NOT NULL,
    creator_id           BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    currency             TEXT NOT NULL,
    price_monthly_minor  BIGINT NOT NULL,
    price_yearly_minor   BIGINT NOT NULL,
    -- A JSON array of strings.
    benefits             TEXT NOT NULL,
    member_limit         BIGINT,
    visible              BOOLEAN NOT NULL,
    is_default           BOOLEAN NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

CREATE INDEX tiers_creator ON tiers (creator_id, created_at);
CREATE UNIQUE INDEX tiers_one_default ON tiers (creator_id) WHERE is_default;

-- Every creator has a free default tier.
INSERT INTO tiers (id, creator_id, name, description, currency, price_monthly_minor,
                   price_yearly_minor, benefits, member_limit, visible, is_default,
                   created_at, updated_at)
SELECT randomblob(16), id, 'Free', 'Follow along for free.', 'USD', 0, 0, '[]', NULL, 1, 1,
       created_at, created_at
FROM creators;

CREATE TABLE memberships (
    id                   BLOB PRIMARY KEY NOT NULL,
    creator_id           BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    user_id              BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tier_id              BLOB NOT NULL REFERENCES tiers (id),
    status               TEXT NOT NULL,
    -- NULL on a free tier, else 'monthly' or 'yearly'.
    billing_cycle        TEXT,
    subscription_id      BLOB REFERENCES subscriptions (id),
    engagement_score     INTEGER NOT NULL,
    engagement_level     TEXT NOT NULL,
    interactions_30d     BIGINT NOT NULL,
    last_interaction_at  TEXT,
    notes                TEXT NOT NULL,
    -- A JSON array of strings.
    tags                 TEXT NOT NULL,
    joined_at            TEXT NOT NULL,
    churned_at           TEXT,
    updated_at           TEXT NOT NULL
);

CREATE UNIQUE INDEX memberships_member ON memberships (creator_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX memberships_subscription ON memberships (subscription_id);

-- Members per creator, tier, status and engagement level, kept by every membership
-- write in the same transaction, so totals and segments never count rows.
CREATE TABLE member_counts (
    creator_id        BLOB NOT NULL,
    tier_id           BLOB NOT NULL,
    status            TEXT NOT NULL,
    engagement_level  TEXT NOT NULL,
    members           BIGINT NOT NULL,
    PRIMARY KEY (creator_id, tier_id, status, engagement_level)
);

ALTER TABLE subscriptions ADD COLUMN tier_id BLOB REFERENCES tiers (id);
CREATE INDEX subscriptions_tier ON subscriptions (tier_id) WHERE tier_id IS NOT NULL;
CREATE INDEX invoices_subscription ON invoices (subscription_id);
