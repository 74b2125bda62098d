//! Throttling on fixed windows kept in the database (shared by every instance). Hits are
//! committed before the limited work runs, so refused and failed attempts count too.

use crate::backend::error::AppError;
use crate::backend::store::throttle;
use crate::backend::AppState;
use chrono::Duration;

/// At most `max` hits on `key` per `window`.
pub struct Limit {
    pub key: String,
    pub max: i64,
    pub window: Duration,
}

/// Counts one hit on every limit; 429 with the longest wait if any is exceeded.
pub async fn check(state: &AppState, limits: &[Limit]) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut wait = None;
    for limit in limits {
        let (hits, started) = throttle::hit(&mut tx, &limit.key, limit.window, now).await?;
        if hits > limit.max {
            let secs = (started + limit.window - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    tx.commit().await?;
    match wait {
        Some(retry_after_secs) => Err(AppError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}
