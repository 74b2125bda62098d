-- Accounts and their platform roles. Ids are UUID v7 (16-byte BLOB here, uuid on
-- PostgreSQL); timestamps are RFC 3339 UTC text as sqlx writes chrono values.
CREATE TABLE users (
    id                  BLOB PRIMARY KEY NOT NULL,
    email               TEXT NOT NULL,
    -- Lower-cased email: the unique key, so "A@x.io" and "a@x.io" are one account.
    email_normalized    TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    email_verified      BOOLEAN NOT NULL DEFAULT FALSE,
    phone               TEXT,
    phone_verified      BOOLEAN NOT NULL DEFAULT FALSE,
    locale              TEXT NOT NULL DEFAULT 'en-US',
    timezone            TEXT NOT NULL DEFAULT 'UTC',
    country_code        TEXT,
    preferred_language  TEXT NOT NULL DEFAULT 'en',
    status              TEXT NOT NULL DEFAULT 'pending_verification',
    mfa_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    terms_accepted_at   TEXT,
    last_login_at       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE INDEX users_created_at ON users (created_at);

CREATE TABLE user_roles (
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE INDEX user_roles_role ON user_roles (role);
