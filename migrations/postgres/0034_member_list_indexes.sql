-- Indexes for the members list at millions of members (found by `server bench`):
-- the list pages newest first by id within a creator, optionally by status, level or
-- tier; each row's lifetime value sums the member's tips; the engagement report
-- counts members by last interaction and by join and leave dates.
CREATE INDEX memberships_creator_page ON memberships (creator_id, id);
CREATE INDEX memberships_creator_status_page ON memberships (creator_id, status, id);
CREATE INDEX memberships_creator_level_page ON memberships (creator_id, engagement_level, id);
CREATE INDEX memberships_tier_page ON memberships (tier_id, id);
CREATE INDEX memberships_creator_joined ON memberships (creator_id, joined_at);
CREATE INDEX memberships_creator_churned ON memberships (creator_id, churned_at);
CREATE INDEX memberships_creator_interaction ON memberships (creator_id, last_interaction_at);
CREATE INDEX tips_membership ON tips (membership_id);
