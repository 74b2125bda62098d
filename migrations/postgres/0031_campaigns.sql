-- A creator's coupons (a campaign's offer) discount that creator's tiers, never plans;
-- `coupon_tiers` narrows one to some tiers (none listed: every tier of the creator).
ALTER TABLE coupons ADD COLUMN creator_id UUID REFERENCES creators (id) ON DELETE CASCADE;

CREATE TABLE coupon_tiers (
    coupon_id  UUID NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    tier_id    UUID NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
    PRIMARY KEY (coupon_id, tier_id)
);

-- Re-engagement campaigns. The audience is counted when the campaign is created; a job
-- sends it at `scheduled_at`, walking the audience in membership-id order
-- (`delivery_cursor`), so a re-run resumes.
CREATE TABLE campaigns (
    id               UUID PRIMARY KEY NOT NULL,
    creator_id       UUID NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    type             TEXT NOT NULL,
    target_segment   TEXT NOT NULL,
    -- JSON: {inactive_days_min, was_paid_subscriber, tier_id}.
    filters          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    cta              TEXT NOT NULL,
    -- JSON of the offer as given; its coupon is `coupon_id`.
    offer            TEXT,
    coupon_id        UUID REFERENCES coupons (id),
    channels         TEXT NOT NULL,
    scheduled_at     TIMESTAMPTZ NOT NULL,
    -- scheduled, sending or sent.
    status           TEXT NOT NULL,
    audience_size    BIGINT NOT NULL,
    sent             BIGINT NOT NULL,
    delivered        BIGINT NOT NULL,
    delivery_cursor  UUID,
    created_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX campaigns_creator ON campaigns (creator_id, id);
