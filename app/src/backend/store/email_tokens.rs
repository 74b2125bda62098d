use crate::backend::db::Tx;
use crate::on_tx;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user_id: Uuid,
    purpose: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct EmailToken {
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn find(
    tx: &mut Tx,
    token_hash: &str,
    purpose: &str,
) -> Result<Option<EmailToken>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, EmailToken>(
        "SELECT user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(conn)
    .await)
}

/// Marks the token used; false if it already was (a concurrent use won).
pub async fn consume(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, conn => sqlx::query(
        "UPDATE email_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(changed == 1)
}

/// Links that expired before `before` can never be used again.
pub async fn delete_expired_before(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1")
        .bind(before)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}
