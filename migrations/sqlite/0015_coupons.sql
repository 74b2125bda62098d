-- Coupons. The value's unit depends on the type: hundredths of a percent (percent),
-- minor units of `currency` (fixed_amount) or days (free_trial_days). "expired" is not
-- stored: it is read from valid_until at the time of asking.
CREATE TABLE coupons (
    id                        BLOB PRIMARY KEY NOT NULL,
    code                      TEXT NOT NULL UNIQUE,
    description               TEXT,
    discount_type             TEXT NOT NULL,
    discount_value            BIGINT NOT NULL CHECK (discount_value > 0),
    currency                  TEXT,
    duration_periods          INTEGER CHECK (duration_periods > 0),
    max_redemptions           INTEGER CHECK (max_redemptions > 0),
    max_redemptions_per_user  INTEGER NOT NULL CHECK (max_redemptions_per_user > 0),
    redemption_count          INTEGER NOT NULL,
    valid_from                TEXT NOT NULL,
    valid_until               TEXT,
    -- active | disabled
    status                    TEXT NOT NULL,
    created_by                BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    -- The limit holds however many redeem at once: the count only grows by a
    -- conditional UPDATE, and this check backs it.
    CHECK (max_redemptions IS NULL OR redemption_count <= max_redemptions)
);

-- The plans a coupon is restricted to (none: every plan).
CREATE TABLE coupon_plans (
    coupon_id  BLOB NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    plan_id    BLOB NOT NULL REFERENCES plans (id),
    PRIMARY KEY (coupon_id, plan_id)
);

CREATE TABLE coupon_redemptions (
    id               BLOB PRIMARY KEY NOT NULL,
    coupon_id        BLOB NOT NULL REFERENCES coupons (id),
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subscription_id  BLOB REFERENCES subscriptions (id),
    redeemed_at      TEXT NOT NULL
);

CREATE INDEX coupon_redemptions_user ON coupon_redemptions (coupon_id, user_id);

-- The last period index the subscription's coupon discounts (NULL: every period).
ALTER TABLE subscriptions ADD COLUMN coupon_through INTEGER;
