//! The refunds table (migration 0014).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, invoice_id, amount_minor, currency, reason, status, notes, \
    provider_refund_id, actor_id, processed_at, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefundRow {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub reason: String,
    pub status: String,
    pub notes: Option<String>,
    pub provider_refund_id: Option<String>,
    pub actor_id: Option<Uuid>,
    pub processed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, row: &RefundRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO refunds ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(row.id)
    .bind(row.invoice_id)
    .bind(row.amount_minor)
    .bind(&row.currency)
    .bind(&row.reason)
    .bind(&row.status)
    .bind(&row.notes)
    .bind(&row.provider_refund_id)
    .bind(row.actor_id)
    .bind(row.processed_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    // Revenue is counted net of refunds from the moment one is made.
    super::months::add_invoice_amount(tx, row.invoice_id, -row.amount_minor, row.created_at)
        .await?;
    Ok(())
}

/// Records the gateway's answer.
pub async fn finish(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    provider_refund_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE refunds SET status = $2, provider_refund_id = $3, processed_at = $4, \
         updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(provider_refund_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// What is refunded or being refunded on an invoice, in minor units.
pub async fn committed_total(tx: &mut Tx, invoice_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM refunds \
         WHERE invoice_id = $1 AND status IN ('pending', 'succeeded')",
    )
    .bind(invoice_id)
    .fetch_one(conn)
    .await)
}

pub async fn for_invoice(db: &Db, invoice_id: Uuid) -> Result<Vec<RefundRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, RefundRow>(&format!(
        "SELECT {COLUMNS} FROM refunds WHERE invoice_id = $1 ORDER BY created_at, id"
    ))
    .bind(invoice_id)
    .fetch_all(pool)
    .await)
}
