//! The subscriptions table (migration 0011). A creator's subscription also moves its
//! counts in the revenue rollups (`tier_subscriptions`) in the same transaction.

use super::conditions::{bound_in_order, numbered, values_cte, Arg};
use super::tier_subscriptions::{self, TierSubscription};
use crate::backend::db::{Conn, Db, Tx};
use crate::{bind_all, on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, user_id, product_kind, plan_id, merchant_creator_id, status, \
    price_minor, currency, billing_cycle, auto_renew, billing_anchor, period_index, \
    current_period_start, current_period_end, cancel_at_period_end, canceled_at, \
    cancel_reason, paused_at, trial_start, trial_end, payment_method_id, coupon_id, \
    coupon_through, failed_attempts, next_attempt_at, created_at, updated_at, tier_id";

/// The statuses of a subscription that is still alive.
pub const LIVE: &str = "('trialing', 'active', 'past_due', 'paused')";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    /// `plan` (platform) or `tier` (a creator's).
    pub product_kind: String,
    pub plan_id: Option<Uuid>,
    pub merchant_creator_id: Option<Uuid>,
    /// The creator's tier a `tier` subscription bills.
    pub tier_id: Option<Uuid>,
    pub status: String,
    pub price_minor: i64,
    pub currency: String,
    pub billing_cycle: String,
    pub auto_renew: bool,
    pub billing_anchor: DateTime<Utc>,
    /// Paid periods billed so far (0 during a trial).
    pub period_index: i32,
    pub current_period_start: DateTime<Utc>,
    pub current_period_end: DateTime<Utc>,
    pub cancel_at_period_end: bool,
    pub canceled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub paused_at: Option<DateTime<Utc>>,
    pub trial_start: Option<DateTime<Utc>>,
    pub trial_end: Option<DateTime<Utc>>,
    pub payment_method_id: Option<Uuid>,
    pub coupon_id: Option<Uuid>,
    /// The last period index `coupon_id` discounts (`None`: every period).
    pub coupon_through: Option<i32>,
    pub failed_attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, row: &SubscriptionRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO subscriptions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.product_kind)
    .bind(row.plan_id)
    .bind(row.merchant_creator_id)
    .bind(&row.status)
    .bind(row.price_minor)
    .bind(&row.currency)
    .bind(&row.billing_cycle)
    .bind(row.auto_renew)
    .bind(row.billing_anchor)
    .bind(row.period_index)
    .bind(row.current_period_start)
    .bind(row.current_period_end)
    .bind(row.cancel_at_period_end)
    .bind(row.canceled_at)
    .bind(&row.cancel_reason)
    .bind(row.paused_at)
    .bind(row.trial_start)
    .bind(row.trial_end)
    .bind(row.payment_method_id)
    .bind(row.coupon_id)
    .bind(row.coupon_through)
    .bind(row.failed_attempts)
    .bind(row.next_attempt_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.tier_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    match row.counted() {
        Some(counted) => tier_subscriptions::move_subscription(tx, None, &counted).await,
        None => Ok(()),
    }
}

impl SubscriptionRow {
    /// The subscription as the revenue rollups count it; `None` for a platform plan's.
    fn counted(&self) -> Option<TierSubscription> {
        Some(TierSubscription {
            creator_id: self.merchant_creator_id?,
            currency: self.currency.clone(),
            tier_id: self.tier_id,
            status: self.status.clone(),
            price_minor: self.price_minor,
            billing_cycle: self.billing_cycle.clone(),
            created_at: self.created_at,
            canceled_at: self.canceled_at,
        })
    }
}

/// The fields an update writes back, the key first (`column1` of each VALUES row).
const MUTABLE: [&str; 22] = [
    "id",
    "status",
    "price_minor",
    "currency",
    "billing_cycle",
    "auto_renew",
    "period_index",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "canceled_at",
    "cancel_reason",
    "paused_at",
    "payment_method_id",
    "failed_attempts",
    "next_attempt_at",
    "updated_at",
    "plan_id",
    "billing_anchor",
    "coupon_id",
    "coupon_through",
    "tier_id",
];

/// Subscriptions written back per statement (22 values each).
const ROWS_PER_UPDATE: usize = 200;

/// Writes back every mutable field of `row`.
pub async fn update(tx: &mut Tx, row: &SubscriptionRow) -> Result<(), sqlx::Error> {
    // The counts move from what is stored; only a creator's subscriptions have any.
    let before = match row.counted() {
        Some(_) => find(&mut *tx, row.id).await?.and_then(|b| b.counted()),
        None => None,
    };
    write_back(tx, &[row]).await?;
    match row.counted() {
        Some(counted) => tier_subscriptions::move_subscription(tx, before.as_ref(), &counted).await,
        None => Ok(()),
    }
}

/// Writes back every mutable field of each of `rows`: a platform plan's in one
/// statement per [`ROWS_PER_UPDATE`] (a batch of renewals updates many), a creator's one
/// by one, as its counts move with it.
pub async fn update_all(tx: &mut Tx, rows: &[SubscriptionRow]) -> Result<(), sqlx::Error> {
    let (counted, plain): (Vec<&SubscriptionRow>, Vec<&SubscriptionRow>) =
        rows.iter().partition(|row| row.counted().is_some());
    for row in counted {
        update(tx, row).await?;
    }
    for chunk in plain.chunks(ROWS_PER_UPDATE) {
        write_back(tx, chunk).await?;
    }
    Ok(())
}

/// `write_back`'s statement for `n` rows.
fn write_back_sql(n: usize) -> String {
    let assignments = MUTABLE
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, column)| format!("{column} = v.column{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{} UPDATE subscriptions SET {assignments} FROM v WHERE subscriptions.id = v.column1",
        values_cte("v", n, MUTABLE.len())
    )
}

/// One UPDATE of `rows` from a VALUES list (its columns in [`MUTABLE`] order).
async fn write_back(tx: &mut Tx, rows: &[&SubscriptionRow]) -> Result<(), sqlx::Error> {
    let sql = bound_in_order(tx.kind(), write_back_sql(rows.len()));
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql);
        for row in rows {
            query = query
                .bind(row.id)
                .bind(&row.status)
                .bind(row.price_minor)
                .bind(&row.currency)
                .bind(&row.billing_cycle)
                .bind(row.auto_renew)
                .bind(row.period_index)
                .bind(row.current_period_start)
                .bind(row.current_period_end)
                .bind(row.cancel_at_period_end)
                .bind(row.canceled_at)
                .bind(&row.cancel_reason)
                .bind(row.paused_at)
                .bind(row.payment_method_id)
                .bind(row.failed_attempts)
                .bind(row.next_attempt_at)
                .bind(row.updated_at)
                .bind(row.plan_id)
                .bind(row.billing_anchor)
                .bind(row.coupon_id)
                .bind(row.coupon_through)
                .bind(row.tier_id);
        }
        query.execute(conn).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The user's (`$1`) live platform subscription; shared by the pool and transaction
/// variants.
fn live_plan_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE user_id = $1 AND product_kind = 'plan' \
         AND status IN {LIVE}"
    )
}

/// The user's live platform subscription.
pub async fn live_plan_subscription(
    db: impl Into<Conn<'_>>,
    user_id: Uuid,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    on_conn!(db.into(), pool => sqlx::query_as::<_, SubscriptionRow>(&live_plan_sql())
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

pub async fn find(
    db: impl Into<Conn<'_>>,
    id: Uuid,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE id = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, SubscriptionRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// The given subscriptions, in one query (a batch of renewals); missing ones are absent.
pub async fn find_all(tx: &mut Tx, ids: &[Uuid]) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE id IN ({})",
        numbered(ids.len())
    );
    let args = Arg::ids(ids);
    on_tx!(tx, conn => bind_all!(sqlx::query_as::<_, SubscriptionRow>(&sql), &args)
        .fetch_all(conn)
        .await)
}

/// Whether the user has any live subscription (their default method is then needed).
pub async fn user_has_live(tx: &mut Tx, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, conn => sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subscriptions WHERE user_id = $1 AND status IN {LIVE}"
    ))
    .bind(user_id)
    .fetch_one(conn)
    .await)?;
    Ok(n > 0)
}

/// Every live subscription of the user (platform plan and creator tiers).
pub async fn live_for_user(
    tx: &mut Tx,
    user_id: Uuid,
) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, SubscriptionRow>(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE user_id = $1 AND status IN {LIVE}"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await)
}

/// Every subscription the user ever had, oldest first.
pub async fn all_for_user(db: &Db, user_id: Uuid) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, SubscriptionRow>(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::db::{open_scratch, plan, scratch_sqlite};

    /// A renewal batch's write-back seeks each subscription by id under the statistics
    /// of a large table (the bench's 476,000 subscriptions), where SQLite would rather
    /// scan the whole id index against a Bloom filter of the batch.
    #[tokio::test]
    async fn write_back_seeks_each_subscription_however_large_the_table() {
        let (db, pool, dir) = scratch_sqlite().await;
        db.migrate().await.expect("migrates");
        db.analyze().await.expect("analyses");
        sqlx::query("DELETE FROM sqlite_stat1 WHERE tbl = 'subscriptions'")
            .execute(&pool)
            .await
            .expect("clears the table's statistics");
        for (index, stat) in [
            ("sqlite_autoindex_subscriptions_1", "475986 1"),
            ("subscriptions_user", "475986 2 1"),
            ("subscriptions_tier", "275986 6900"),
        ] {
            sqlx::query(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('subscriptions', $1, $2)",
            )
            .bind(index)
            .bind(stat)
            .execute(&pool)
            .await
            .expect("writes the statistics");
        }
        db.close().await;
        // New connections load the statistics just written.
        let (db, pool) = open_scratch(&dir).await;
        let sql = format!("EXPLAIN QUERY PLAN {}", write_back_sql(64));
        let mut explain = sqlx::query_as(&sql);
        for _ in 0..64 * MUTABLE.len() {
            explain = explain.bind(None::<i64>);
        }
        let steps = plan(&pool, explain).await;
        assert!(
            !steps
                .lines()
                .any(|step| step.trim().starts_with("SCAN subscriptions")),
            "the write-back reads every subscription:\n{steps}"
        );
        assert!(steps.contains("SEARCH subscriptions"), "{steps}");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
