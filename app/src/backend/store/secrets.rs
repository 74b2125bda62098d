use crate::backend::db::Db;
use crate::on_db;
use chrono::{DateTime, Utc};

/// Returns the secret called `name`, storing `candidate` first if there is none yet.
/// Several instances starting at once all end up with the one that was stored first.
pub async fn get_or_create(
    db: &Db,
    name: &str,
    candidate: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    on_db!(db, pool => sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))?;
    on_db!(db, pool => sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await)
}
