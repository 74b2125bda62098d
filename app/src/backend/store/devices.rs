//! The devices and stream_leases tables (migration 0021).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const DEVICE_COLUMNS: &str = "id, user_id, session_id, name, platform, registered_at, last_seen_at";
const LEASE_COLUMNS: &str =
    "id, user_id, profile_id, device_id, started_at, heartbeat_at, expires_at, ended_at, end_reason";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    pub name: String,
    pub platform: String,
    pub registered_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LeaseRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub profile_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub heartbeat_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

pub async fn list(db: &Db, user_id: Uuid) -> Result<Vec<DeviceRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, DeviceRow>(&format!(
        "SELECT {DEVICE_COLUMNS} FROM devices WHERE user_id = $1 ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

pub async fn count(tx: &mut Tx, user_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar("SELECT COUNT(*) FROM devices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await)
}

pub async fn find(tx: &mut Tx, user_id: Uuid, id: Uuid) -> Result<Option<DeviceRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, DeviceRow>(&format!(
        "SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(conn)
    .await)
}

pub async fn find_by_session(
    tx: &mut Tx,
    session_id: Uuid,
) -> Result<Option<DeviceRow>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as::<_, DeviceRow>(&format!(
        "SELECT {DEVICE_COLUMNS} FROM devices WHERE session_id = $1"
    ))
    .bind(session_id)
    .fetch_optional(conn)
    .await)
}

/// Inserts a device, or renames the one its session registered before.
pub async fn upsert(tx: &mut Tx, row: &DeviceRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, platform = excluded.platform, \
         last_seen_at = excluded.last_seen_at"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(row.session_id)
    .bind(&row.name)
    .bind(&row.platform)
    .bind(row.registered_at)
    .bind(row.last_seen_at)
    .execute(conn)
    .await
    .map(|_| ()))
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM devices WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ()))
}

pub async fn delete_all(tx: &mut Tx, user_id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM devices WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ()))
}

/// Leases not ended and not lapsed at `now`.
pub async fn open_leases(
    tx: &mut Tx,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM stream_leases WHERE user_id = $1 AND ended_at IS NULL \
         AND expires_at > $2",
    )
    .bind(user_id)
    .bind(now)
    .fetch_one(conn)
    .await)
}

pub async fn insert_lease(tx: &mut Tx, row: &LeaseRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO stream_leases ({LEASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(row.profile_id)
    .bind(row.device_id)
    .bind(row.started_at)
    .bind(row.heartbeat_at)
    .bind(row.expires_at)
    .bind(row.ended_at)
    .bind(&row.end_reason)
    .execute(conn)
    .await
    .map(|_| ()))
}

pub async fn find_lease(db: &Db, user_id: Uuid, id: Uuid) -> Result<Option<LeaseRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, LeaseRow>(&format!(
        "SELECT {LEASE_COLUMNS} FROM stream_leases WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// Extends a lease that is still open at `now`; `None` if it ended or lapsed.
pub async fn extend_lease(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Option<LeaseRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, LeaseRow>(&format!(
        "UPDATE stream_leases SET heartbeat_at = $3, expires_at = $4 WHERE id = $1 \
         AND user_id = $2 AND ended_at IS NULL AND expires_at > $3 RETURNING {LEASE_COLUMNS}"
    ))
    .bind(id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .fetch_optional(pool)
    .await)
}

/// Ends open leases of the user, all of them or only those of one device.
pub async fn end_leases(
    tx: &mut Tx,
    user_id: Uuid,
    device_id: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE stream_leases SET ended_at = $3, end_reason = $4 WHERE user_id = $1 \
         AND ended_at IS NULL AND ($2 IS NULL OR device_id = $2)",
    )
    .bind(user_id)
    .bind(device_id)
    .bind(now)
    .bind(reason)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

/// Ends one lease (idempotent: an ended lease stays as it ended).
pub async fn end_lease(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => sqlx::query(
        "UPDATE stream_leases SET ended_at = $3, end_reason = 'stopped' WHERE id = $1 \
         AND user_id = $2 AND ended_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
}

/// Lapsed or ended leases older than `before` are forgotten.
pub async fn delete_leases_before(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "DELETE FROM stream_leases WHERE expires_at < $1 OR ended_at < $1",
    )
    .bind(before)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}
