//! The audit log: insert only. There is deliberately no update or delete here, and the
//! database refuses them too (triggers in migration 0006).

use super::conditions::{Arg, Conditions};
use crate::backend::db::{Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::{bind_all, on_db, on_tx};
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

/// An entry as stored (`before` and `after` are JSON text).
#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

fn conditions(filter: &AuditFilter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(actor) = filter.actor_id {
        c.bind("actor_id = {}", Arg::Id(actor));
    }
    if let Some(target_type) = &filter.target_type {
        c.bind("target_type = {}", Arg::Text(target_type.clone()));
    }
    if let Some(target_id) = &filter.target_id {
        c.bind("target_id = {}", Arg::Text(target_id.clone()));
    }
    if let Some(action) = &filter.action {
        c.bind("action = {}", Arg::Text(action.clone()));
    }
    if let Some(from) = filter.from {
        c.bind("created_at >= {}", Arg::Time(from));
    }
    if let Some(to) = filter.to {
        c.bind("created_at < {}", Arg::Time(to));
    }
    c
}

const COLUMNS: &str =
    "id, actor_id, action, target_type, target_id, reason, before, after, request_id, created_at";

/// One page of entries, newest first (`limit + 1` rows).
pub async fn page(
    db: &Db,
    filter: &AuditFilter,
    request: PageRequest,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut c = conditions(filter);
    let tail = c.newest_first_page("id", request);
    let sql = format!("SELECT {COLUMNS} FROM audit_log{}{tail}", c.where_sql());
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, AuditRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count(db: &Db, filter: &AuditFilter) -> Result<u64, sqlx::Error> {
    let c = conditions(filter);
    let sql = format!("SELECT COUNT(*) FROM audit_log{}", c.where_sql());
    let n: i64 =
        on_db!(db, pool => bind_all!(sqlx::query_scalar(&sql), c.args()).fetch_one(pool).await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
