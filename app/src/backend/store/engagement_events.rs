//! The engagement_events table (migration 0024); each new event is also counted in the
//! daily rollup (`days`).

use super::days;
use crate::backend::db::{Db, Tx};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct EventRow {
    pub creator_id: Uuid,
    pub event_id: String,
    pub membership_id: Uuid,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub weight_milli: i64,
    /// How long it lasted, when the sender said.
    pub duration_seconds: Option<i64>,
    pub details: String,
    pub received_at: DateTime<Utc>,
}

/// Records the event unless its id was recorded before; true when it is new.
pub async fn insert_new(tx: &mut Tx, row: &EventRow) -> Result<bool, sqlx::Error> {
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO engagement_events (creator_id, event_id, membership_id, type, occurred_at, \
         weight_milli, details, received_at, duration_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (creator_id, event_id) DO NOTHING",
    )
    .bind(row.creator_id)
    .bind(&row.event_id)
    .bind(row.membership_id)
    .bind(&row.kind)
    .bind(row.occurred_at)
    .bind(row.weight_milli)
    .bind(&row.details)
    .bind(row.received_at)
    .bind(row.duration_seconds)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    if inserted == 1 {
        days::add_event(
            tx,
            row.creator_id,
            row.occurred_at,
            &row.kind,
            row.duration_seconds,
        )
        .await?;
    }
    Ok(inserted == 1)
}

/// When each of the member's events since `since` happened, and its weight.
pub async fn weights_since(
    tx: &mut Tx,
    membership_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, i64)>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_as(
        "SELECT occurred_at, CAST(weight_milli AS BIGINT) FROM engagement_events \
         WHERE membership_id = $1 AND occurred_at >= $2",
    )
    .bind(membership_id)
    .bind(since)
    .fetch_all(conn)
    .await)
}

/// The member's latest interaction, if any.
pub async fn last_at(
    tx: &mut Tx,
    membership_id: Uuid,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT occurred_at FROM engagement_events WHERE membership_id = $1 \
         ORDER BY occurred_at DESC LIMIT 1",
    )
    .bind(membership_id)
    .fetch_optional(conn)
    .await)
}

/// The member's interactions by type, all time.
pub async fn counts_by_type(
    db: &Db,
    membership_id: Uuid,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT type, CAST(COUNT(*) AS BIGINT) FROM engagement_events WHERE membership_id = $1 \
         GROUP BY type",
    )
    .bind(membership_id)
    .fetch_all(pool)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TimelineRow {
    #[sqlx(rename = "type")]
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub details: String,
}

/// The member's latest `limit` interactions, newest first.
pub async fn timeline(
    db: &Db,
    membership_id: Uuid,
    limit: i64,
) -> Result<Vec<TimelineRow>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as::<_, TimelineRow>(
        "SELECT type, occurred_at, details FROM engagement_events WHERE membership_id = $1 \
         ORDER BY occurred_at DESC, event_id DESC LIMIT $2",
    )
    .bind(membership_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
