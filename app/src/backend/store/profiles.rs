//! The profiles table (migration 0017).

use crate::backend::db::{Conn, Db, Tx};
use crate::{on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const COLUMNS: &str = "id, user_id, name, avatar_preset_id, is_primary, pin_hash, \
    content_rating_limit, language, is_kids, autoplay_next_episode, pin_failures, \
    pin_locked_until, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub avatar_preset_id: Option<Uuid>,
    pub is_primary: bool,
    pub pin_hash: Option<String>,
    pub content_rating_limit: String,
    pub language: String,
    pub is_kids: bool,
    pub autoplay_next_episode: bool,
    pub pin_failures: i32,
    pub pin_locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Inserts a profile; a second primary profile of one user is silently skipped (the
/// unique index), so creating the primary one is idempotent.
pub async fn insert(tx: &mut Tx, row: &ProfileRow) -> Result<bool, sqlx::Error> {
    let added = on_tx!(tx, conn => sqlx::query(&format!(
        "INSERT INTO profiles ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14) ON CONFLICT DO NOTHING"
    ))
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.name)
    .bind(row.avatar_preset_id)
    .bind(row.is_primary)
    .bind(&row.pin_hash)
    .bind(&row.content_rating_limit)
    .bind(&row.language)
    .bind(row.is_kids)
    .bind(row.autoplay_next_episode)
    .bind(row.pin_failures)
    .bind(row.pin_locked_until)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

/// Writes back every mutable field.
pub async fn update(tx: &mut Tx, row: &ProfileRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE profiles SET name = $2, avatar_preset_id = $3, pin_hash = $4, \
         content_rating_limit = $5, language = $6, is_kids = $7, autoplay_next_episode = $8, \
         pin_failures = $9, pin_locked_until = $10, updated_at = $11 WHERE id = $1",
    )
    .bind(row.id)
    .bind(&row.name)
    .bind(row.avatar_preset_id)
    .bind(&row.pin_hash)
    .bind(&row.content_rating_limit)
    .bind(&row.language)
    .bind(row.is_kids)
    .bind(row.autoplay_next_episode)
    .bind(row.pin_failures)
    .bind(row.pin_locked_until)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list(db: &Db, user_id: Uuid) -> Result<Vec<ProfileRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, ProfileRow>(&format!(
        "SELECT {COLUMNS} FROM profiles WHERE user_id = $1 ORDER BY is_primary DESC, id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await)
}

pub async fn count(tx: &mut Tx, user_id: Uuid) -> Result<i64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await)
}

pub async fn find(
    db: impl Into<Conn<'_>>,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<ProfileRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM profiles WHERE id = $1 AND user_id = $2");
    on_conn!(db.into(), conn => sqlx::query_as::<_, ProfileRow>(&sql)
        .bind(id)
        .bind(user_id)
        .fetch_optional(conn)
        .await)
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM profiles WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
