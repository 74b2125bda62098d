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

/// A job to queue: its kind, JSON payload, when it runs, and an optional `dedupe_key`
/// (nothing is queued while another job with that key is still queued).
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: String,
    pub run_at: DateTime<Utc>,
    pub dedupe_key: Option<&'a str>,
}

/// Queues a job; returns whether a row was added (not when its key was taken).
pub async fn enqueue(
    tx: &mut Tx,
    job: NewJob<'_>,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(enqueue_all(tx, &[job], max_attempts, now).await? == 1)
}

/// Queues several jobs in one statement; returns how many rows were added.
pub async fn enqueue_all(
    tx: &mut Tx,
    jobs: &[NewJob<'_>],
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    if jobs.is_empty() {
        return Ok(0);
    }
    // Each row binds its id, kind, payload, run_at and dedupe key; the attempts and
    // the time are shared, after them.
    let shared = jobs.len() * 5;
    let rows: Vec<String> = (0..jobs.len())
        .map(|i| {
            let p = i * 5;
            format!(
                "(${}, ${}, ${}, 'queued', ${}, 0, ${}, ${}, ${})",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                shared + 1,
                p + 5,
                shared + 2
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, dedupe_key, \
         created_at) VALUES {} ON CONFLICT DO NOTHING",
        rows.join(", ")
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql);
        for job in jobs {
            query = query
                .bind(Uuid::now_v7())
                .bind(job.kind)
                .bind(&job.payload)
                .bind(job.run_at)
                .bind(job.dedupe_key);
        }
        query
            .bind(max_attempts)
            .bind(now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })
}

/// Due jobs nobody holds, earliest first: `$1` now, `$3` how many.
const DUE: &str = "SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 \
                   AND (locked_until IS NULL OR locked_until <= $1) ORDER BY run_at LIMIT $3";

/// The claim on SQLite (`$2` the lease's end), the due jobs joined by id.
fn sqlite_claim() -> String {
    format!(
        "UPDATE jobs SET locked_until = $2, attempts = attempts + 1 \
         FROM ({DUE}) AS due WHERE jobs.id = due.id \
         RETURNING jobs.id, payload, attempts, max_attempts, run_at"
    )
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
    let mut tx = db.begin().await?;
    let claimed = match &mut tx {
        Tx::Sqlite(t) => {
            sqlx::query_as::<_, ClaimedJob>(&sqlite_claim())
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

/// Marks the given jobs done in one statement (a batch of renewals). The ids are joined
/// as a list of rows: each is looked up by the primary key, as long as the planner
/// thinks the queue large (`Db::analyze` pins its statistics so).
pub async fn mark_all_done(
    tx: &mut Tx,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = mark_all_done_sql(ids.len());
    on_tx!(tx, conn => {
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        query.bind(now).execute(conn).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// `mark_all_done`'s statement for `n` ids (`$1`…`$n`, then the time as `$n+1`).
fn mark_all_done_sql(n: usize) -> String {
    format!(
        "{} UPDATE jobs SET status = 'done', locked_until = NULL, last_error = NULL, \
         finished_at = ${} FROM finished WHERE jobs.id = finished.column1",
        super::conditions::values_cte("finished", n, 1),
        n + 1
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::db::{plan, scratch_sqlite};

    /// The claim and the batch completion look jobs up by id even when the statistics
    /// were taken while the queue was nearly empty (the bench analyses before it queues
    /// 100,000 renewals, a fresh install before its first renewal day). With the
    /// statistics `ANALYZE` takes, the claim reads the whole queue here in most runs.
    #[tokio::test]
    async fn job_statements_look_jobs_up_by_id_however_small_the_analysed_queue() {
        let (db, pool, dir) = scratch_sqlite().await;
        db.migrate().await.expect("migrates");
        let now = Utc::now();
        let queue = |n: i64| {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
                 INSERT INTO jobs (id, kind, payload, status, run_at, attempts, max_attempts, created_at) \
                 SELECT randomblob(16), 'k', '{{}}', 'queued', printf('%08d', i), 0, 5, 'x' FROM n"
            )
        };
        let queued = sqlx::query(&queue(2)).execute(&pool).await;
        queued.expect("queues 2 jobs");
        db.analyze().await.expect("analyses");
        let queued = sqlx::query(&queue(20_000)).execute(&pool).await;
        queued.expect("queues 20,000 more");
        let claim_sql = format!("EXPLAIN QUERY PLAN {}", sqlite_claim());
        let claim = sqlx::query_as(&claim_sql).bind(now).bind(now).bind(64_i64);
        let claim = plan(&pool, claim).await;
        let done_sql = format!("EXPLAIN QUERY PLAN {}", mark_all_done_sql(64));
        let mut done = sqlx::query_as(&done_sql);
        for _ in 0..64 {
            done = done.bind(Uuid::new_v4());
        }
        let done = plan(&pool, done.bind(now)).await;
        for (name, steps) in [("claim", claim), ("mark_all_done", done)] {
            assert!(
                !steps
                    .lines()
                    .any(|step| step.trim().starts_with("SCAN jobs")),
                "{name} reads every job:\n{steps}"
            );
            assert!(steps.contains("jobs USING"), "{name}:\n{steps}");
        }
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
