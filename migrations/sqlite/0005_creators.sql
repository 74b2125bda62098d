-- Creators and their teams. Creator-side roles (content_creator, marketing,
-- brand_manager, manager, tenant_admin) hold only on the creators whose team they are in.
CREATE TABLE creators (
    id          BLOB PRIMARY KEY NOT NULL,
    handle      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    created_by  BLOB NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE creator_team (
    creator_id  BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (creator_id, user_id)
);

CREATE INDEX creator_team_user ON creator_team (user_id);
