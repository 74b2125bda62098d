//! The creator_milestones table (migration 0030) and the figures milestones and
//! engagement alerts are checked against.

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Records that the creator reached `threshold` of `kind`; true the first time.
pub async fn record(
    tx: &mut Tx,
    creator_id: Uuid,
    (kind, currency): (&str, &str),
    threshold: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO creator_milestones (creator_id, kind, currency, threshold, reached_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creator_id, kind, currency, threshold) DO NOTHING",
    )
    .bind(creator_id)
    .bind(kind)
    .bind(currency)
    .bind(threshold)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(inserted == 1)
}

/// Current (not churned) members, from the `member_counts` rollup.
pub async fn current_members(tx: &mut Tx, creator_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) FROM member_counts \
         WHERE creator_id = $1 AND status <> 'churned'",
    )
    .bind(creator_id)
    .fetch_one(conn)
    .await)
}

/// Everything members ever paid the creator in `currency` (tier payments and tips),
/// before refunds.
pub async fn gross_revenue(
    tx: &mut Tx,
    creator_id: Uuid,
    currency: &str,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT CAST((SELECT COALESCE(SUM(i.amount_paid_minor), 0) FROM invoices i \
           JOIN subscriptions s ON s.id = i.subscription_id \
           WHERE s.merchant_creator_id = $1 AND i.currency = $2) + \
         (SELECT COALESCE(SUM(amount_minor), 0) FROM tips WHERE creator_id = $1 AND currency = $2) \
         AS BIGINT)",
    )
    .bind(creator_id)
    .bind(currency)
    .fetch_one(conn)
    .await)
}

/// Engagement events of the creator that happened in `[from, to)`.
pub async fn interactions(
    db: &Db,
    creator_id: Uuid,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM engagement_events WHERE creator_id = $1 \
         AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(creator_id)
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await)
}

/// Every creator's id.
pub async fn creator_ids(db: &Db) -> Result<Vec<Uuid>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT id FROM creators ORDER BY id").fetch_all(pool).await)
}
