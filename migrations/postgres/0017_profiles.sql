-- Sub-profiles of an account (Netflix-style). The PIN is stored only as an Argon2 hash;
-- wrong PINs count towards a 15-minute lock.
CREATE TABLE profiles (
    id                     UUID PRIMARY KEY NOT NULL,
    user_id                UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                   TEXT NOT NULL,
    avatar_preset_id       UUID,
    is_primary             BOOLEAN NOT NULL,
    pin_hash               TEXT,
    content_rating_limit   TEXT NOT NULL,
    language               TEXT NOT NULL,
    is_kids                BOOLEAN NOT NULL,
    autoplay_next_episode  BOOLEAN NOT NULL,
    pin_failures           INTEGER NOT NULL,
    pin_locked_until       TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);

CREATE INDEX profiles_user ON profiles (user_id, id);
-- One primary profile per account.
CREATE UNIQUE INDEX profiles_one_primary ON profiles (user_id) WHERE is_primary;
