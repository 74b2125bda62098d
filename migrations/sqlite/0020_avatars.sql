-- Avatars, re-encoded on upload (at most 512 px a side, no metadata) and served from
-- here. users.avatar_updated_at versions the avatar_url so caches can keep an image
-- for long: a new upload gets a new URL.
CREATE TABLE avatars (
    user_id       BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL,
    content       BLOB NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN avatar_updated_at TEXT;
