//! The notifications and notification_preferences tables (migration 0016).

use crate::backend::db::{Db, Tx};
use crate::backend::pagination::{Direction, PageRequest};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, user_id, type, priority, title, body, read_at, expires_at, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub priority: String,
    pub title: String,
    pub body: String,
    pub read_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, row: &NotificationRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO notifications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.kind)
    .bind(&row.priority)
    .bind(&row.title)
    .bind(&row.body)
    .bind(row.read_at)
    .bind(row.expires_at)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user's (`$2`) notifications still current at `$3`, unread only when `$4`.
const VISIBLE: &str = "user_id = $2 AND (expires_at IS NULL OR expires_at > $3) \
    AND ($4 = FALSE OR read_at IS NULL)";

/// One page, newest first (`limit + 1` rows, see `pagination::into_page`).
pub async fn page(
    db: &Db,
    user_id: Uuid,
    unread_only: bool,
    now: DateTime<Utc>,
    request: PageRequest,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    let (condition, order, anchor) = match request.direction {
        None => ("$5 IS NULL", "DESC", None),
        Some(Direction::After(id)) => ("id < $5", "DESC", Some(id)),
        Some(Direction::Before(id)) => ("id > $5", "ASC", Some(id)),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE {VISIBLE} AND {condition} \
         ORDER BY id {order} LIMIT $1"
    );
    on_db!(db, pool => sqlx::query_as::<_, NotificationRow>(&sql)
        .bind(i64::from(request.limit) + 1)
        .bind(user_id)
        .bind(now)
        .bind(unread_only)
        .bind(anchor)
        .fetch_all(pool)
        .await)
}

pub async fn count(
    db: &Db,
    user_id: Uuid,
    unread_only: bool,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    // $1 is unused so the filter keeps its parameter numbers.
    let sql = format!("SELECT COUNT(*) FROM notifications WHERE $1 = $1 AND {VISIBLE}");
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(&sql)
        .bind(0_i64)
        .bind(user_id)
        .bind(now)
        .bind(unread_only)
        .fetch_one(pool)
        .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The user's display name and how many of their current notifications are unread, in
/// one statement: the site header shows both on every page. `None`: no such user.
pub async fn name_and_unread(
    db: &Db,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(String, u64)>, sqlx::Error> {
    // $1 is unused so the filter keeps its parameter numbers.
    let sql = format!(
        "SELECT u.display_name, (SELECT COUNT(*) FROM notifications WHERE $1 = $1 AND {VISIBLE}) \
         FROM users u WHERE u.id = $2"
    );
    let row: Option<(String, i64)> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(0_i64)
        .bind(user_id)
        .bind(now)
        .bind(true)
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(|(name, unread)| (name, u64::try_from(unread).unwrap_or(0))))
}

/// Marks one of the user's notifications read (at `read_at`) or unread (`None`);
/// returns it, or `None` when the user has no such notification.
pub async fn set_read(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    read_at: Option<DateTime<Utc>>,
) -> Result<Option<NotificationRow>, sqlx::Error> {
    // A notification already read keeps the time it was first read.
    on_db!(db, pool => sqlx::query_as::<_, NotificationRow>(&format!(
        "UPDATE notifications SET read_at = CASE WHEN $3 IS NULL THEN NULL \
         ELSE COALESCE(read_at, $3) END WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(user_id)
    .bind(read_at)
    .fetch_optional(pool)
    .await)
}

/// The user's choices, as (category, enabled); categories not listed are enabled.
pub async fn preferences(db: &Db, user_id: Uuid) -> Result<Vec<(String, bool)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT category, enabled FROM notification_preferences WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

pub async fn enabled(tx: &mut Tx, user_id: Uuid, category: &str) -> Result<bool, sqlx::Error> {
    let stored: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT enabled FROM notification_preferences WHERE user_id = $1 AND category = $2",
    )
    .bind(user_id)
    .bind(category)
    .fetch_optional(conn)
    .await)?;
    Ok(stored.unwrap_or(true))
}

pub async fn set_preference(
    tx: &mut Tx,
    user_id: Uuid,
    category: &str,
    enabled: bool,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, enabled) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = excluded.enabled",
    )
    .bind(user_id)
    .bind(category)
    .bind(enabled)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every notification of the user on record, expired ones included, newest first.
pub async fn all_for_user(db: &Db, user_id: Uuid) -> Result<Vec<NotificationRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, NotificationRow>(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 ORDER BY id DESC"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)
}
