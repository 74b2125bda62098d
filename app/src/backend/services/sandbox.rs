//! The sandbox test clock (like Stripe's test clocks): with `ENCORA_TEST_CLOCK=1`, a
//! superadmin moves the platform clock forward to simulate months in seconds. Off by
//! default, and then the endpoint does not exist.

use crate::backend::auth::identity::Identity;
use crate::backend::auth::permissions::require_superadmin;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::jobs;
use crate::backend::store::audit;
use crate::backend::AppState;
use crate::model::system::SandboxClock;
use chrono::Duration;

/// At most five years per call, so a typo cannot fling the platform into year 9999.
pub const MAX_ADVANCE_SECONDS: i64 = 5 * 366 * 24 * 3600;

pub async fn advance_clock(
    state: &AppState,
    identity: &Identity,
    advance_seconds: i64,
) -> Result<SandboxClock, AppError> {
    if !state.settings.test_clock {
        return Err(AppError::not_found("Resource"));
    }
    require_superadmin(identity, "move the sandbox clock")?;
    if !(1..=MAX_ADVANCE_SECONDS).contains(&advance_seconds) {
        return Err(AppError::Validation(vec![FieldError::new(
            "advance_seconds",
            format!("must be between 1 and {MAX_ADVANCE_SECONDS}"),
        )]));
    }
    let before = state.clock.now();
    state.clock.advance(Duration::seconds(advance_seconds));
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor_id: Some(identity.user_id),
            action: "sandbox_clock.advanced",
            target_type: "sandbox_clock",
            target_id: "platform".into(),
            reason: None,
            before: Some(serde_json::json!({ "now": before })),
            after: Some(serde_json::json!({ "now": now, "advance_seconds": advance_seconds })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(advance_seconds, %now, "sandbox clock moved forward");
    // Like a Stripe test clock: whatever fell due in the skipped time happens now.
    let jobs_run = jobs::run_due(state).await?;
    Ok(SandboxClock { now, jobs_run })
}
