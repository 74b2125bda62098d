//! The counts engagement analytics are made of, over one creator's members and events.

use crate::backend::db::Db;
use crate::on_db;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A window `[from, to)`.
pub type Window = (DateTime<Utc>, DateTime<Utc>);

/// Events in the window by type.
pub async fn events_by_type(
    db: &Db,
    creator: Uuid,
    (from, to): Window,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT type, CAST(COUNT(*) AS BIGINT) FROM engagement_events \
         WHERE creator_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY type",
    )
    .bind(creator)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)
}

/// Events in the window by the current engagement level of their member (current
/// members only).
pub async fn events_by_level(
    db: &Db,
    creator: Uuid,
    (from, to): Window,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT m.engagement_level, CAST(COUNT(*) AS BIGINT) FROM engagement_events e \
         JOIN memberships m ON m.id = e.membership_id WHERE e.creator_id = $1 \
         AND e.occurred_at >= $2 AND e.occurred_at < $3 AND m.status <> 'churned' \
         GROUP BY m.engagement_level",
    )
    .bind(creator)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)
}

/// Current members who interacted in the window.
pub async fn active_members(
    db: &Db,
    creator: Uuid,
    (from, to): Window,
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(COUNT(DISTINCT e.membership_id) AS BIGINT) FROM engagement_events e \
         JOIN memberships m ON m.id = e.membership_id WHERE e.creator_id = $1 \
         AND e.occurred_at >= $2 AND e.occurred_at < $3 AND m.status <> 'churned'",
    )
    .bind(creator)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await)
}

/// Memberships that began, and that ended, in the window.
pub async fn joined_and_churned(
    db: &Db,
    creator: Uuid,
    (from, to): Window,
) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN joined_at >= $2 AND joined_at < $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN churned_at >= $2 AND churned_at < $3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM memberships WHERE creator_id = $1",
    )
    .bind(creator)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await)
}

/// Members at `at` (joined before it, not churned by then), and how many of them are
/// still members now.
pub async fn retained_since(
    db: &Db,
    creator: Uuid,
    at: DateTime<Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN status <> 'churned' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM memberships WHERE creator_id = $1 AND joined_at < $2 \
         AND (churned_at IS NULL OR churned_at >= $2)",
    )
    .bind(creator)
    .bind(at)
    .fetch_one(pool)
    .await)
}

/// The average engagement score of current members (`None` without members).
pub async fn average_score(db: &Db, creator: Uuid) -> Result<Option<f64>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(AVG(engagement_score) AS DOUBLE PRECISION) FROM memberships \
         WHERE creator_id = $1 AND status <> 'churned'",
    )
    .bind(creator)
    .fetch_one(pool)
    .await)
}

/// The average length of the sessions in the window that reported one, in seconds.
pub async fn average_duration(
    db: &Db,
    creator: Uuid,
    (from, to): Window,
) -> Result<Option<f64>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(AVG(duration_seconds) AS DOUBLE PRECISION) FROM engagement_events \
         WHERE creator_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
         AND duration_seconds IS NOT NULL",
    )
    .bind(creator)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await)
}
