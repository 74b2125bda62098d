-- Tip jars and tips. A tip is charged to the tipper's card at once; the platform keeps
-- `fee_minor` (10 %) and the creator receives the rest. Its paid invoice is the receipt.
CREATE TABLE tip_jars (
    id                 BLOB PRIMARY KEY NOT NULL,
    creator_id         BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL,
    currency           TEXT NOT NULL,
    goal_minor         BIGINT,
    -- JSON arrays: amounts in minor units; rewards {threshold_minor, reward, instructions}.
    suggested_amounts  TEXT NOT NULL,
    rewards            TEXT NOT NULL,
    thank_you_message  TEXT NOT NULL,
    end_date           TEXT,
    created_at         TEXT NOT NULL
);

CREATE INDEX tip_jars_creator ON tip_jars (creator_id, id);

CREATE TABLE tips (
    id             BLOB PRIMARY KEY NOT NULL,
    creator_id     BLOB NOT NULL REFERENCES creators (id) ON DELETE CASCADE,
    jar_id         BLOB REFERENCES tip_jars (id) ON DELETE SET NULL,
    membership_id  BLOB NOT NULL REFERENCES memberships (id),
    user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount_minor   BIGINT NOT NULL,
    fee_minor      BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    message        TEXT NOT NULL,
    anonymous      BOOLEAN NOT NULL,
    charge_ref     TEXT NOT NULL,
    invoice_id     BLOB REFERENCES invoices (id),
    created_at     TEXT NOT NULL
);

CREATE INDEX tips_creator ON tips (creator_id, created_at);
CREATE INDEX tips_jar ON tips (jar_id, membership_id);
