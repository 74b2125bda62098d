-- Sub-profiles of an account (Netflix-style). The PIN is stored only as an Argon2 hash;
-- wrong PINs count towards a 15-minute lock.
CREATE TABLE profiles (
    id                     BLOB PRIMARY KEY NOT NULL,
    user_id                BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                   TEXT NOT NULL,
    avatar_preset_id       BLOB,
    is_primary             BOOLEAN NOT NULL,
    pin_hash               TEXT,
    content_rating_limit   TEXT NOT NULL,
    language               TEXT NOT NULL,
    is_kids                BOOLEAN NOT NULL,
    autoplay_next_episode  BOOLEAN NOT NULL,
    pin_failures           INTEGER NOT NULL,
    pin_locked_until       TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);

CREATE INDEX profiles_user ON profiles (user_id, id);
-- One primary profile per account.
CREATE UNIQUE INDEX profiles_one_primary ON profiles (user_id) WHERE is_primary;
