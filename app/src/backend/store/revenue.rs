//! The sums revenue analytics are made of, each one query over the stored records of
//! one creator in one currency.

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

/// Tier subscription payments in the window, less refunds made in it.
pub async fn subscriptions(
    db: &Db,
    creator: Uuid,
    currency: &str,
    window: Window,
) -> Result<i64, sqlx::Error> {
    let paid = sum(
        db,
        "SELECT CAST(COALESCE(SUM(i.amount_paid_minor), 0) AS BIGINT) FROM invoices i \
         JOIN subscriptions s ON s.id = i.subscription_id WHERE s.merchant_creator_id = $1 \
         AND i.currency = $2 AND i.paid_at >= $3 AND i.paid_at < $4",
        creator,
        currency,
        window,
    )
    .await?;
    let refunded = sum(
        db,
        "SELECT CAST(COALESCE(SUM(r.amount_minor), 0) AS BIGINT) FROM refunds r \
         JOIN invoices i ON i.id = r.invoice_id JOIN subscriptions s ON s.id = i.subscription_id \
         WHERE s.merchant_creator_id = $1 AND i.currency = $2 AND r.created_at >= $3 AND r.created_at < $4",
        creator,
        currency,
        window,
    )
    .await?;
    Ok(paid - refunded)
}

/// Tips in the window, less refunds of tips made in it.
pub async fn tips(
    db: &Db,
    creator: Uuid,
    currency: &str,
    window: Window,
) -> Result<i64, sqlx::Error> {
    let tipped = sum(
        db,
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM tips WHERE creator_id = $1 \
         AND currency = $2 AND created_at >= $3 AND created_at < $4",
        creator,
        currency,
        window,
    )
    .await?;
    let refunded = sum(
        db,
        "SELECT CAST(COALESCE(SUM(r.amount_minor), 0) AS BIGINT) FROM refunds r \
         JOIN tips t ON t.invoice_id = r.invoice_id WHERE t.creator_id = $1 AND t.currency = $2 \
         AND r.created_at >= $3 AND r.created_at < $4",
        creator,
        currency,
        window,
    )
    .await?;
    Ok(tipped - refunded)
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

/// Members who ever paid this creator (a subscription invoice or a tip).
pub async fn ever_paid(db: &Db, creator: Uuid, currency: &str) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (\
           SELECT s.user_id FROM subscriptions s JOIN invoices i ON i.subscription_id = s.id \
           WHERE s.merchant_creator_id = $1 AND i.currency = $2 AND i.amount_paid_minor > 0 \
           UNION SELECT t.user_id FROM tips t WHERE t.creator_id = $1 AND t.currency = $2) payers",
    )
    .bind(creator)
    .bind(currency)
    .fetch_one(pool)
    .await)
}
