-- In-app notifications, and which kinds each user wants (a missing row: wanted).
CREATE TABLE notification_preferences (
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- payment | new_content | account_security | marketing
    category  TEXT NOT NULL,
    enabled   BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, category)
);

CREATE TABLE notifications (
    id          UUID PRIMARY KEY NOT NULL,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    priority    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    read_at     TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX notifications_user ON notifications (user_id, id);
-- unread_count on every list: only the unread rows are indexed.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
