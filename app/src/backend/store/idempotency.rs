//! Stored Idempotency-Key records (see migration 0007).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What is already stored under a key.
#[derive(Debug, sqlx::FromRow)]
pub struct Stored {
    pub fingerprint: String,
    /// `None` while the first request is still running.
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
}

/// Claims `(user_id, key)` for a new request. Returns `None` when the claim is ours,
/// or what an earlier, unexpired request stored under the same key.
pub async fn claim(
    tx: &mut Tx,
    user_id: Uuid,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    abandoned_before: DateTime<Utc>,
) -> Result<Option<Stored>, sqlx::Error> {
    // An expired record no longer counts, nor does a claim whose request never finished
    // (the process died mid-request): the key may be used afresh.
    on_tx!(tx, conn => sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 \
         AND (expires_at <= $3 OR (response_status IS NULL AND created_at <= $4))",
    )
    .bind(user_id)
    .bind(key)
    .bind(now)
    .bind(abandoned_before)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(fingerprint)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    if inserted == 1 {
        return Ok(None);
    }
    on_tx!(tx, conn => sqlx::query_as::<_, Stored>(
        "SELECT fingerprint, response_status, response_body FROM idempotency_keys \
         WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(conn)
    .await)
}

/// Keeps the response of the request that claimed the key.
pub async fn complete(
    db: &Db,
    user_id: Uuid,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query(
        "UPDATE idempotency_keys SET response_status = $3, response_body = $4 \
         WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .bind(i32::from(status))
    .bind(body)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Gives the key back (the request failed on our side and may be retried as new).
pub async fn release(db: &Db, user_id: Uuid, key: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2")
        .bind(user_id)
        .bind(key)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_expired(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}
