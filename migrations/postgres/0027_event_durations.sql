-- How long an interaction lasted, when the sender says (a persona chat's minutes), for
-- the average session length of engagement analytics.
ALTER TABLE engagement_events ADD COLUMN duration_seconds INTEGER;
