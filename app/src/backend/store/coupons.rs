//! The coupons, coupon_plans and coupon_redemptions tables (migration 0015).

use super::conditions::{numbered, Arg};
use crate::backend::db::{Conn, Db, Tx};
use crate::backend::pagination::{Direction, PageRequest};
use crate::{bind_all, on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, code, description, discount_type, discount_value, currency, \
    duration_periods, max_redemptions, max_redemptions_per_user, redemption_count, \
    valid_from, valid_until, status, created_by, created_at, updated_at, creator_id";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CouponRow {
    pub id: Uuid,
    pub code: String,
    pub description: Option<String>,
    pub discount_type: String,
    /// Hundredths of a percent, minor units of `currency`, or days (see the migration).
    pub discount_value: i64,
    pub currency: Option<String>,
    pub duration_periods: Option<i32>,
    pub max_redemptions: Option<i32>,
    pub max_redemptions_per_user: i32,
    pub redemption_count: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    /// `active` or `disabled`.
    pub status: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The creator whose tiers it discounts (a campaign's offer); `None`: a platform
    /// coupon, for plans.
    pub creator_id: Option<Uuid>,
}

pub async fn insert(tx: &mut Tx, row: &CouponRow, plan_ids: &[Uuid]) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO coupons ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(row.id)
    .bind(&row.code)
    .bind(&row.description)
    .bind(&row.discount_type)
    .bind(row.discount_value)
    .bind(&row.currency)
    .bind(row.duration_periods)
    .bind(row.max_redemptions)
    .bind(row.max_redemptions_per_user)
    .bind(row.redemption_count)
    .bind(row.valid_from)
    .bind(row.valid_until)
    .bind(&row.status)
    .bind(row.created_by)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.creator_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    for plan_id in plan_ids {
        on_tx!(tx, conn => sqlx::query("INSERT INTO coupon_plans (coupon_id, plan_id) VALUES ($1, $2)")
            .bind(row.id)
            .bind(plan_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Writes back what an admin may change.
pub async fn update(tx: &mut Tx, row: &CouponRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE coupons SET status = $2, max_redemptions = $3, valid_until = $4, \
         description = $5, updated_at = $6 WHERE id = $1",
    )
    .bind(row.id)
    .bind(&row.status)
    .bind(row.max_redemptions)
    .bind(row.valid_until)
    .bind(&row.description)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes a coupon nobody has redeemed; returns whether it did.
pub async fn delete_unredeemed(tx: &mut Tx, id: Uuid) -> Result<bool, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM coupon_plans WHERE coupon_id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    let deleted = on_tx!(tx, conn => sqlx::query(
        "DELETE FROM coupons WHERE id = $1 AND redemption_count = 0 \
         AND NOT EXISTS (SELECT 1 FROM coupon_redemptions WHERE coupon_id = $1)",
    )
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(deleted == 1)
}

pub async fn find(db: impl Into<Conn<'_>>, id: Uuid) -> Result<Option<CouponRow>, sqlx::Error> {
    on_conn!(db.into(), pool => sqlx::query_as::<_, CouponRow>(&format!("SELECT {COLUMNS} FROM coupons WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn find_by_code(tx: &mut Tx, code: &str) -> Result<Option<CouponRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, CouponRow>(&format!("SELECT {COLUMNS} FROM coupons WHERE code = $1"))
        .bind(code)
        .fetch_optional(conn)
        .await)
}

pub async fn plan_ids(db: &Db, coupon_ids: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    if coupon_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT coupon_id, plan_id FROM coupon_plans WHERE coupon_id IN ({}) \
         ORDER BY coupon_id, plan_id",
        numbered(coupon_ids.len())
    );
    let args = Arg::ids(coupon_ids);
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, (Uuid, Uuid)>(&sql), &args)
        .fetch_all(pool)
        .await)
}

pub async fn plan_ids_of(tx: &mut Tx, coupon_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT plan_id FROM coupon_plans WHERE coupon_id = $1 ORDER BY plan_id",
    )
    .bind(coupon_id)
    .fetch_all(conn)
    .await)
}

/// The SQL condition (on `$2` = now, `$3` = status) of a status filter; the stored
/// status is only `active` or `disabled`, expiry is read from `valid_until`.
const STATUS_FILTER: &str = "($3 IS NULL \
    OR ($3 = 'disabled' AND status = 'disabled') \
    OR ($3 = 'expired' AND status = 'active' AND valid_until <= $2) \
    OR ($3 = 'active' AND status = 'active' AND (valid_until IS NULL OR valid_until > $2)))";

/// One page, newest first (`limit + 1` rows, see `pagination::into_page`).
pub async fn page(
    db: &Db,
    status: Option<&str>,
    now: DateTime<Utc>,
    request: PageRequest,
) -> Result<Vec<CouponRow>, sqlx::Error> {
    let (condition, order, anchor) = match request.direction {
        None => ("$4 IS NULL", "DESC", None),
        Some(Direction::After(id)) => ("id < $4", "DESC", Some(id)),
        Some(Direction::Before(id)) => ("id > $4", "ASC", Some(id)),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM coupons WHERE {condition} AND {STATUS_FILTER} \
         ORDER BY id {order} LIMIT $1"
    );
    on_db!(db, pool => sqlx::query_as::<_, CouponRow>(&sql)
        .bind(i64::from(request.limit) + 1)
        .bind(now)
        .bind(status)
        .bind(anchor)
        .fetch_all(pool)
        .await)
}

pub async fn count(db: &Db, status: Option<&str>, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    // $1 is unused so the filter keeps its parameter numbers.
    let sql = format!("SELECT COUNT(*) FROM coupons WHERE $1 = $1 AND {STATUS_FILTER}");
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(&sql)
        .bind(0_i64)
        .bind(now)
        .bind(status)
        .fetch_one(pool)
        .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// How often `user_id` has redeemed the coupon.
pub async fn redemptions_by(
    tx: &mut Tx,
    coupon_id: Uuid,
    user_id: Uuid,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM coupon_redemptions WHERE coupon_id = $1 AND user_id = $2",
    )
    .bind(coupon_id)
    .bind(user_id)
    .fetch_one(conn)
    .await)
}

/// Takes one redemption if any is left (one conditional UPDATE, so concurrent
/// redemptions can never exceed the limit) and records who took it. Returns whether
/// one was left.
pub async fn redeem(
    tx: &mut Tx,
    coupon_id: Uuid,
    user_id: Uuid,
    subscription_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let taken = on_tx!(tx, conn => sqlx::query(
        "UPDATE coupons SET redemption_count = redemption_count + 1 WHERE id = $1 \
         AND (max_redemptions IS NULL OR redemption_count < max_redemptions)",
    )
    .bind(coupon_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    if taken == 0 {
        return Ok(false);
    }
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO coupon_redemptions (id, coupon_id, user_id, subscription_id, redeemed_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(coupon_id)
    .bind(user_id)
    .bind(subscription_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(true)
}

/// Restricts a creator's coupon to some of the creator's tiers.
pub async fn insert_tiers(
    tx: &mut Tx,
    coupon_id: Uuid,
    tier_ids: &[Uuid],
) -> Result<(), sqlx::Error> {
    for tier_id in tier_ids {
        on_tx!(tx, conn => sqlx::query("INSERT INTO coupon_tiers (coupon_id, tier_id) VALUES ($1, $2)")
            .bind(coupon_id)
            .bind(tier_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

pub async fn tier_ids_of(tx: &mut Tx, coupon_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT tier_id FROM coupon_tiers WHERE coupon_id = $1 ORDER BY tier_id",
    )
    .bind(coupon_id)
    .fetch_all(conn)
    .await)
}
