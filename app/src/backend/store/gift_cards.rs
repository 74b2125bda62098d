//! The gift_cards table (migration 0013).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, code_hash, code_last4, batch_id, initial_minor, remaining_minor, \
    currency, status, created_by, redeemed_by, redeemed_at, expires_at, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GiftCardRow {
    pub id: Uuid,
    pub code_hash: String,
    pub code_last4: String,
    pub batch_id: Uuid,
    pub initial_minor: i64,
    pub remaining_minor: i64,
    pub currency: String,
    pub status: String,
    pub created_by: Option<Uuid>,
    pub redeemed_by: Option<Uuid>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, row: &GiftCardRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO gift_cards ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13)"
    ))
    .bind(row.id)
    .bind(&row.code_hash)
    .bind(&row.code_last4)
    .bind(row.batch_id)
    .bind(row.initial_minor)
    .bind(row.remaining_minor)
    .bind(&row.currency)
    .bind(&row.status)
    .bind(row.created_by)
    .bind(row.redeemed_by)
    .bind(row.redeemed_at)
    .bind(row.expires_at)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_by_hash(db: &Db, code_hash: &str) -> Result<Option<GiftCardRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, GiftCardRow>(&format!(
        "SELECT {COLUMNS} FROM gift_cards WHERE code_hash = $1"
    ))
    .bind(code_hash)
    .fetch_optional(pool)
    .await)
}

/// Marks an active, unexpired card redeemed by `user_id` and returns it; `None` when
/// it is not redeemable (one statement, so two concurrent redemptions cannot both win).
pub async fn redeem(
    tx: &mut Tx,
    code_hash: &str,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<GiftCardRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, GiftCardRow>(&format!(
        "UPDATE gift_cards SET status = 'redeemed', remaining_minor = 0, redeemed_by = $2, \
         redeemed_at = $3 WHERE code_hash = $1 AND status = 'active' \
         AND (expires_at IS NULL OR expires_at > $3) RETURNING {COLUMNS}"
    ))
    .bind(code_hash)
    .bind(user_id)
    .bind(now)
    .fetch_optional(conn)
    .await)
}
