//! Hourly housekeeping: forget what can no longer matter, so the tables that every
//! request touches stay small, and keep the query planner's statistics current.

use crate::backend::error::AppError;
use crate::backend::store::{
    data_exports, devices, email_tokens, idempotency, jobs, sessions, throttle,
};
use crate::backend::AppState;
use chrono::Duration;

/// How many rows each purge removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub idempotency_keys: u64,
    pub throttle_windows: u64,
    pub email_tokens: u64,
    pub sessions: u64,
    pub jobs: u64,
    pub export_files: u64,
    pub stream_leases: u64,
}

pub async fn purge_expired(state: &AppState) -> Result<Purged, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let purged = Purged {
        idempotency_keys: idempotency::delete_expired(&mut tx, now).await?,
        // The longest throttle window is one hour; a day leaves a wide margin.
        throttle_windows: throttle::delete_started_before(&mut tx, now - Duration::days(1)).await?,
        email_tokens: email_tokens::delete_expired_before(&mut tx, now - Duration::days(1)).await?,
        // Ended sessions are kept a month for the security page and support questions.
        sessions: sessions::delete_ended_before(&mut tx, now - Duration::days(30)).await?,
        jobs: jobs::delete_done_before(&mut tx, now - Duration::days(7)).await?,
        // A data export's file is dropped when its download link lapses.
        export_files: data_exports::expire(&mut tx, now).await?,
        // A lease matters while it runs; a day later it is history nobody reads.
        stream_leases: devices::delete_leases_before(&mut tx, now - Duration::days(1)).await?,
    };
    tx.commit().await?;
    tracing::info!(?purged, "expired records purged");
    // Queues and rollups grow from nothing after the first start; plans made on the
    // statistics of an empty table scan it whole once it is large.
    state.db.refresh_statistics().await?;
    Ok(purged)
}
