//! The jobs table (migration 0008): enqueue, claim with a lease, finish.

use crate::backend::db::{Db, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
}

/// Queues a job. With a `dedupe_key`, nothing is queued while another job with that
/// key is still queued; returns whether a row was added.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &str,
    run_at: DateTime<Utc>,
    dedupe_key: Option<&str>,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let added = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, \
         created_at) VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(Uuid::now_v7())
    .bind(kind)
    .bind(payload)
    .bind(run_at)
    .bind(max_attempts)
    .bind(dedupe_key)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

/// Takes a lease until `lease_until` on up to `limit` due jobs that nobody holds. On
/// PostgreSQL concurrent workers skip each other's rows (`SKIP LOCKED`); on SQLite the
/// write transaction already serialises them.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ClaimedJob>, sqlx::Error> {
    const DUE: &str = "SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 \
                       AND (locked_until IS NULL OR locked_until <= $1) ORDER BY run_at LIMIT $3";
    let mut tx = db.begin().await?;
    let claimed = match &mut tx {
        Tx::Sqlite(t) => {
            sqlx::query_as::<_, ClaimedJob>(&format!(
                "UPDATE jobs SET locked_until = $2, attempts = attempts + 1 WHERE id IN ({DUE}) \
                 RETURNING id, payload, attempts, max_attempts, run_at"
            ))
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as::<_, ClaimedJob>(&format!(
                "UPDATE jobs SET locked_until = $2, attempts = attempts + 1 WHERE id IN \
                 ({DUE} FOR UPDATE SKIP LOCKED) RETURNING id, payload, attempts, max_attempts, run_at"
            ))
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
    };
    tx.commit().await?;
    // RETURNING follows the order rows were updated in, not the subquery's: jobs run in
    // the order they fell due (a member's webhook events depend on it).
    let mut claimed = claimed;
    claimed.sort_by_key(|job| (job.run_at, job.id));
    Ok(claimed)
}

pub async fn mark_done(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    mark_all_done(tx, &[id], now).await
}

/// Marks the given jobs done in one statement (a batch of renewals).
pub async fn mark_all_done(
    tx: &mut Tx,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE jobs SET status = 'done', locked_until = NULL, last_error = NULL, \
         finished_at = ${} WHERE id IN ({})",
        ids.len() + 1,
        super::conditions::numbered(ids.len())
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        query.bind(now).execute(conn).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records a failed attempt: the job runs again at `retry_at`, or with `None` it is
/// given up (`failed`).
pub async fn mark_failed(
    tx: &mut Tx,
    id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE jobs SET locked_until = NULL, last_error = $2, \
         status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'queued' END, \
         run_at = COALESCE($3, run_at), \
         finished_at = CASE WHEN $3 IS NULL THEN $4 ELSE NULL END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Finished jobs older than `before` are forgotten (failed ones are kept for a look).
pub async fn delete_done_before(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM jobs WHERE status = 'done' AND finished_at < $1")
        .bind(before)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}
