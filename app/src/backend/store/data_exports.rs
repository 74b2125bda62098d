//! The data_exports table (migration 0019).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Everything but the file itself, which only the download reads.
const COLUMNS: &str = "id, user_id, status, requested_at, completed_at, expires_at, size_bytes";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DataExportRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub size_bytes: Option<i64>,
}

/// Queues a pending export; `false` when one is pending already (unique index).
pub async fn insert_pending(tx: &mut Tx, row: &DataExportRow) -> Result<bool, sqlx::Error> {
    let added = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO data_exports (id, user_id, status, requested_at) VALUES ($1, $2, 'pending', $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(row.id)
    .bind(row.user_id)
    .bind(row.requested_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

/// The user's most recent export.
pub async fn latest(db: &Db, user_id: Uuid) -> Result<Option<DataExportRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, DataExportRow>(&format!(
        "SELECT {COLUMNS} FROM data_exports WHERE user_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<DataExportRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, DataExportRow>(&format!(
        "SELECT {COLUMNS} FROM data_exports WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// The file of a ready export.
pub async fn content(db: &Db, id: Uuid) -> Result<Option<Vec<u8>>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar(
        "SELECT content FROM data_exports WHERE id = $1 AND status = 'ready'"
    )
    .bind(id)
    .fetch_optional(pool)
    .await)
    .map(Option::flatten)
}

/// Stores the file of a pending export; `false` if it was no longer pending.
pub async fn complete(
    tx: &mut Tx,
    id: Uuid,
    content: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE data_exports SET status = 'ready', content = $2, size_bytes = $3, \
         completed_at = $4, expires_at = $5 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(content)
    .bind(content.len() as i64)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Gives up on a pending export (its job ran out of attempts).
pub async fn fail(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE data_exports SET status = 'failed', completed_at = $2 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Drops the files of exports whose link lapsed; the rows stay as history.
pub async fn expire(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE data_exports SET status = 'expired', content = NULL \
         WHERE status = 'ready' AND expires_at <= $1",
    )
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn latest_pending(
    tx: &mut Tx,
    user_id: Uuid,
) -> Result<Option<DataExportRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, DataExportRow>(&format!(
        "SELECT {COLUMNS} FROM data_exports WHERE user_id = $1 AND status = 'pending'"
    ))
    .bind(user_id)
    .fetch_optional(conn)
    .await)
}
