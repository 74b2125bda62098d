//! The avatars table and `users.avatar_updated_at` (migration 0020).

use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AvatarRow {
    pub user_id: Uuid,
    pub content_type: String,
    pub content: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub updated_at: DateTime<Utc>,
}

/// Stores the user's avatar, replacing any previous one, and versions its URL.
pub async fn put(tx: &mut Tx, row: &AvatarRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO avatars (user_id, content_type, content, width, height, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
         content_type = excluded.content_type, content = excluded.content, \
         width = excluded.width, height = excluded.height, updated_at = excluded.updated_at",
    )
    .bind(row.user_id)
    .bind(&row.content_type)
    .bind(&row.content)
    .bind(row.width)
    .bind(row.height)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|_| ()))?;
    on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET avatar_updated_at = $2, updated_at = $2 WHERE id = $1",
    )
    .bind(row.user_id)
    .bind(row.updated_at)
    .execute(conn)
    .await
    .map(|_| ()))
}

pub async fn find(db: &Db, user_id: Uuid) -> Result<Option<AvatarRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, AvatarRow>(
        "SELECT user_id, content_type, content, width, height, updated_at FROM avatars \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}
