//! The deletion_requests table (migration 0018).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str =
    "id, user_id, status, reason, requested_at, scheduled_deletion_at, canceled_at, completed_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeletionRequestRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub scheduled_deletion_at: DateTime<Utc>,
    pub canceled_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Inserts a pending request; `false` when the user already has one (unique index).
pub async fn insert(tx: &mut Tx, row: &DeletionRequestRow) -> Result<bool, sqlx::Error> {
    let added = on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO deletion_requests ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT DO NOTHING"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.status)
    .bind(&row.reason)
    .bind(row.requested_at)
    .bind(row.scheduled_deletion_at)
    .bind(row.canceled_at)
    .bind(row.completed_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

/// The user's pending request.
pub async fn pending(db: &Db, user_id: Uuid) -> Result<Option<DeletionRequestRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, DeletionRequestRow>(&format!(
        "SELECT {COLUMNS} FROM deletion_requests WHERE user_id = $1 AND status = 'pending'"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

pub async fn find(tx: &mut Tx, id: Uuid) -> Result<Option<DeletionRequestRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, DeletionRequestRow>(&format!(
        "SELECT {COLUMNS} FROM deletion_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await)
}

/// Moves a pending request to `status` (`canceled` or `completed`), stamping `at`.
/// Returns the row, or `None` if it was no longer pending (a race with the other
/// outcome: the first one wins).
pub async fn finish(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    at: DateTime<Utc>,
) -> Result<Option<DeletionRequestRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, DeletionRequestRow>(&format!(
        "UPDATE deletion_requests SET status = $2, \
         canceled_at = CASE WHEN $2 = 'canceled' THEN $3 ELSE canceled_at END, \
         completed_at = CASE WHEN $2 = 'completed' THEN $3 ELSE completed_at END \
         WHERE id = $1 AND status = 'pending' RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(status)
    .bind(at)
    .fetch_optional(conn)
    .await)
}
