//! The webhook tables (migration 0025).

use super::conditions::{placeholders, Arg, Conditions};
use crate::backend::db::{Conn, Db, Tx};
use crate::backend::pagination::PageRequest;
use crate::{bind_all, on_conn, on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const ENDPOINT_COLUMNS: &str =
    "id, creator_id, url, events, secret, status, disabled_reason, created_by, created_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EndpointRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub url: String,
    /// A JSON array of event types.
    pub events: String,
    pub secret: String,
    pub status: String,
    pub disabled_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EndpointRow {
    /// The row's values in `ENDPOINT_COLUMNS` order.
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::Id(self.id),
            Arg::Id(self.creator_id),
            Arg::Text(self.url.clone()),
            Arg::Text(self.events.clone()),
            Arg::Text(self.secret.clone()),
            Arg::Text(self.status.clone()),
            Arg::MaybeText(self.disabled_reason.clone()),
            Arg::MaybeId(self.created_by),
            Arg::Time(self.created_at),
            Arg::Time(self.updated_at),
        ]
    }

    pub fn event_list(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

pub async fn insert_endpoint(tx: &mut Tx, row: &EndpointRow) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES ({})",
        placeholders(ENDPOINT_COLUMNS)
    );
    let args = row.args();
    on_tx!(tx, conn => bind_all!(sqlx::query(&sql), &args).execute(conn).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_endpoint(
    db: impl Into<Conn<'_>>,
    id: Uuid,
) -> Result<Option<EndpointRow>, sqlx::Error> {
    let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1");
    on_conn!(db.into(), pool => sqlx::query_as::<_, EndpointRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// One page of a creator's endpoints, newest first (`limit + 1` rows).
pub async fn endpoints_page(
    db: &Db,
    creator_id: Uuid,
    request: PageRequest,
) -> Result<Vec<EndpointRow>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("creator_id = {}", Arg::Id(creator_id));
    let tail = c.newest_first_page("id", request);
    let sql = format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints{}{tail}",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, EndpointRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count_endpoints(db: &Db, creator_id: Uuid) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM webhook_endpoints WHERE creator_id = $1")
        .bind(creator_id)
        .fetch_one(pool)
        .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The creator's enabled endpoints.
pub async fn enabled_endpoints(
    tx: &mut Tx,
    creator_id: Uuid,
) -> Result<Vec<EndpointRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE creator_id = $1 AND status = 'enabled'"
    );
    on_tx!(tx, conn => sqlx::query_as::<_, EndpointRow>(&sql).bind(creator_id).fetch_all(conn).await)
}

pub async fn delete_endpoint(tx: &mut Tx, id: Uuid) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}

pub async fn disable_endpoint(
    tx: &mut Tx,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct EventRow {
    pub id: Uuid,
    pub creator_id: Uuid,
    pub kind: String,
    pub ordering_key: String,
    pub payload: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_event(tx: &mut Tx, row: &EventRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO webhook_events (id, creator_id, type, ordering_key, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.id)
    .bind(row.creator_id)
    .bind(&row.kind)
    .bind(&row.ordering_key)
    .bind(&row.payload)
    .bind(row.created_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

const DELIVERY_COLUMNS: &str = "d.id, d.event_id, d.endpoint_id, d.ordering_key, d.status, \
    d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, \
    d.delivered_at, d.created_at, e.type AS event_type, e.payload";

/// A delivery with what it delivers.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: Uuid,
    pub event_id: Uuid,
    pub endpoint_id: Uuid,
    pub ordering_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub event_type: String,
    pub payload: String,
}

pub async fn insert_delivery(
    tx: &mut Tx,
    id: Uuid,
    event_id: Uuid,
    endpoint_id: Uuid,
    ordering_key: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, ordering_key, status, attempts, \
         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
    )
    .bind(id)
    .bind(event_id)
    .bind(endpoint_id)
    .bind(ordering_key)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_delivery(
    db: impl Into<Conn<'_>>,
    id: Uuid,
) -> Result<Option<DeliveryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.id = $1"
    );
    on_conn!(db.into(), pool => sqlx::query_as::<_, DeliveryRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// The earliest delivery still pending before `delivery` to the same endpoint with the
/// same ordering key: it goes first.
pub async fn pending_before(
    tx: &mut Tx,
    delivery: &DeliveryRow,
) -> Result<Option<DeliveryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.endpoint_id = $1 AND d.ordering_key = $2 AND d.status = 'pending' AND d.id < $3 \
         ORDER BY d.id LIMIT 1"
    );
    on_tx!(tx, conn => sqlx::query_as::<_, DeliveryRow>(&sql)
        .bind(delivery.endpoint_id)
        .bind(&delivery.ordering_key)
        .bind(delivery.id)
        .fetch_optional(conn)
        .await)
}

/// Records an attempt's outcome.
pub async fn record_attempt(tx: &mut Tx, row: &DeliveryRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, \
         last_attempt_at = $5, last_status_code = $6, last_error = $7, delivered_at = $8 WHERE id = $1",
    )
    .bind(row.id)
    .bind(&row.status)
    .bind(row.attempts)
    .bind(row.next_attempt_at)
    .bind(row.last_attempt_at)
    .bind(row.last_status_code)
    .bind(&row.last_error)
    .bind(row.delivered_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One page of an endpoint's deliveries, newest first (`limit + 1` rows).
pub async fn deliveries_page(
    db: &Db,
    endpoint_id: Uuid,
    request: PageRequest,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    let mut c = Conditions::default();
    c.bind("d.endpoint_id = {}", Arg::Id(endpoint_id));
    let tail = c.newest_first_page("d.id", request);
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id{}{tail}",
        c.where_sql()
    );
    on_db!(db, pool => bind_all!(sqlx::query_as::<_, DeliveryRow>(&sql), c.args()).fetch_all(pool).await)
}

pub async fn count_deliveries(db: &Db, endpoint_id: Uuid) -> Result<u64, sqlx::Error> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = $1")
        .bind(endpoint_id)
        .fetch_one(pool)
        .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
