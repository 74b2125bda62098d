-- Platform plans. Prices are integer minor units of `currency` (ISO 4217); `version`
-- increases with every change and is the plan's ETag (PUT needs a matching If-Match).
CREATE TABLE plans (
    id                      UUID PRIMARY KEY NOT NULL,
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL,
    price_minor             BIGINT NOT NULL CHECK (price_minor >= 0),
    currency                TEXT NOT NULL,
    billing_cycle           TEXT NOT NULL,
    max_profiles            INTEGER NOT NULL,
    max_concurrent_streams  INTEGER NOT NULL,
    max_devices             INTEGER NOT NULL,
    max_quality             TEXT NOT NULL,
    has_downloads           BOOLEAN NOT NULL,
    allow_download_count    INTEGER,
    has_ads                 BOOLEAN NOT NULL,
    has_hdr                 BOOLEAN NOT NULL,
    has_dolby_atmos         BOOLEAN NOT NULL,
    trial_days              INTEGER NOT NULL,
    is_active               BOOLEAN NOT NULL,
    version                 BIGINT NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);

CREATE INDEX plans_active ON plans (is_active, id);
