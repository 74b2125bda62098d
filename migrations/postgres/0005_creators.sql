-- Creators and their teams. Creator-side roles (content_creator, marketing,
-- brand_manager, manager, tenant_admin) hold only on the creators whose team they are in.
CREATE TABLE creators (
    id          UUID PRIMARY KEY NOT NULL,
    handle      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    created_by  UUID NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE creator_team (
    creator_id  UUID NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (creator_id, user_id)
);

CREATE INDEX creator_team_user ON creator_team (user_id);
