use crate::backend::db::Tx;
use crate::on_tx;
use chrono::{DateTime, Duration, Utc};

/// Counts one hit on `key` in a fixed window of `window` length and returns the hits in
/// the current window and when it started. A window older than `window` restarts at 1.
pub async fn hit(
    tx: &mut Tx,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<(i64, DateTime<Utc>), sqlx::Error> {
    let expired_before = now - window;
    on_tx!(tx, conn => sqlx::query_as::<_, (i64, DateTime<Utc>)>(
        "INSERT INTO throttle_windows (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN throttle_windows.window_start <= $3 THEN 1 \
                       ELSE throttle_windows.hits + 1 END, \
           window_start = CASE WHEN throttle_windows.window_start <= $3 THEN $2 \
                               ELSE throttle_windows.window_start END \
         RETURNING hits, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(expired_before)
    .fetch_one(conn)
    .await)
}

/// Forgets `key` (after a successful login, its failures no longer count).
pub async fn clear(tx: &mut Tx, key: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM throttle_windows WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes back one hit on `key` (a login that succeeded: only failures count against the
/// client's address).
pub async fn refund(tx: &mut Tx, key: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE throttle_windows SET hits = hits - 1 WHERE key = $1 AND hits > 0",
    )
    .bind(key)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Windows that started before `before` count nothing any more.
pub async fn delete_started_before(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM throttle_windows WHERE window_start < $1")
        .bind(before)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
}
