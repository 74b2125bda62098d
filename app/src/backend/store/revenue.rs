//! The subscription figures revenue analytics are made of, each one query over an
//! indexed range of one creator's subscriptions in one currency (migration 0036); the
//! money itself comes from the rollups in `days` and `months`.

use crate::backend::db::Db;
use crate::on_db;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A window `[from, to)`.
pub type Window = (DateTime<Utc>, DateTime<Utc>);

/// A yearly subscription's price counts a twelfth per month.
const MONTHLY_VALUE: &str =
    "CASE WHEN s.billing_cycle = 'annual' THEN s.price_minor / 12 ELSE s.price_minor END";

async fn sum(
    db: &Db,
    sql: &str,
    creator: Uuid,
    currency: &str,
    (from, to): Window,
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql)
        .bind(creator)
        .bind(currency)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await)
}

/// Per tier: live subscriptions and what they pay per month.
pub async fn mrr_by_tier(
    db: &Db,
    creator: Uuid,
    currency: &str,
) -> Result<Vec<(Uuid, i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT s.tier_id, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM({MONTHLY_VALUE}), 0) AS BIGINT) \
         FROM subscriptions s WHERE s.merchant_creator_id = $1 AND s.currency = $2 \
         AND s.tier_id IS NOT NULL AND s.status IN ('active', 'past_due') GROUP BY s.tier_id"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(creator).bind(currency).fetch_all(pool).await)
}

/// The monthly value of tier subscriptions started in the window.
pub async fn new_mrr(
    db: &Db,
    creator: Uuid,
    currency: &str,
    window: Window,
) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({MONTHLY_VALUE}), 0) AS BIGINT) FROM subscriptions s \
         WHERE s.merchant_creator_id = $1 AND s.currency = $2 AND s.created_at >= $3 AND s.created_at < $4"
    );
    sum(db, &sql, creator, currency, window).await
}

/// The monthly value and number of tier subscriptions that ended in the window.
pub async fn churned(
    db: &Db,
    creator: Uuid,
    currency: &str,
    (from, to): Window,
) -> Result<(i64, i64), sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({MONTHLY_VALUE}), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM subscriptions s WHERE s.merchant_creator_id = $1 AND s.currency = $2 \
         AND s.status = 'canceled' AND s.canceled_at >= $3 AND s.canceled_at < $4"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(creator).bind(currency).bind(from).bind(to).fetch_one(pool).await)
}

/// Tier subscriptions live at `at`: started before it and not ended by then.
pub async fn live_at(
    db: &Db,
    creator: Uuid,
    currency: &str,
    at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM subscriptions s WHERE s.merchant_creator_id = $1 \
         AND s.currency = $2 AND s.created_at < $3 AND (s.canceled_at IS NULL OR s.canceled_at >= $3)",
    )
    .bind(creator)
    .bind(currency)
    .bind(at)
    .fetch_one(pool)
    .await)
}
