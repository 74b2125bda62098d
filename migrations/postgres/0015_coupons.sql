-- Coupons. The value's unit depends on the type: hundredths of a percent (percent),
-- minor units of `currency` (fixed_amount) or days (free_trial_days). "expired" is not
-- stored: it is read from valid_until at the time of asking.
CREATE TABLE coupons (
    id                        UUID PRIMARY KEY NOT NULL,
    code                      TEXT NOT NULL UNIQUE,
    description               TEXT,
    discount_type             TEXT NOT NULL,
    discount_value            BIGINT NOT NULL CHECK (discount_value > 0),
    currency                  TEXT,
    duration_periods          INTEGER CHECK (duration_periods > 0),
    max_redemptions           INTEGER CHECK (max_redemptions > 0),
    max_redemptions_per_user  INTEGER NOT NULL CHECK (max_redemptions_per_user > 0),
    redemption_count          INTEGER NOT NULL,
    valid_from                TIMESTAMPTZ NOT NULL,
    valid_until               TIMESTAMPTZ,
    -- active | disabled
    status                    TEXT NOT NULL,
    created_by                UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    -- The limit holds however many redeem at once: the count only grows by a
    -- conditional UPDATE, and this check backs it.
    CHECK (max_redemptions IS NULL OR redemption_count <= max_redemptions)
);

-- The plans a coupon is restricted to (none: every plan).
CREATE TABLE coupon_plans (
    coupon_id  UUID NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    plan_id    UUID NOT NULL REFERENCES plans (id),
    PRIMARY KEY (coupon_id, plan_id)
);

CREATE TABLE coupon_redemptions (
    id               UUID PRIMARY KEY NOT NULL,
    coupon_id        UUID NOT NULL REFERENCES coupons (id),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subscription_id  UUID REFERENCES subscriptions (id),
    redeemed_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX coupon_redemptions_user ON coupon_redemptions (coupon_id, user_id);

-- The last period index the subscription's coupon discounts (NULL: every period).
ALTER TABLE subscriptions ADD COLUMN coupon_through INTEGER;
