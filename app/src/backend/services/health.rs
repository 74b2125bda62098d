use crate::backend::db::Db;
use crate::model::system::Health;

/// Answers only when the database answers a query.
pub async fn check(db: &Db) -> Result<Health, sqlx::Error> {
    db.ping().await?;
    Ok(Health {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        database: db.kind(),
    })
}
