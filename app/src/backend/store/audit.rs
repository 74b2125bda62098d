//! The audit log: insert only. There is deliberately no update or delete here, and the
//! database refuses them too (triggers in migration 0006).

use crate::backend::db::Tx;
use crate::on_tx;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One audited action. `action` is `<resource>.<past-tense verb>` (`user.suspended`).
pub struct Entry<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub reason: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(tx: &mut Tx, entry: Entry<'_>, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let request_id = crate::backend::request_id::current();
    let before = entry.before.map(|v| v.to_string());
    let after = entry.after.map(|v| v.to_string());
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO audit_log (id, actor_id, action, target_type, target_id, reason, before, after, \
         request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Uuid::now_v7())
    .bind(entry.actor_id)
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(&entry.target_id)
    .bind(entry.reason)
    .bind(&before)
    .bind(&after)
    .bind(&request_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
