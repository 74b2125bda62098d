//! Account deletion (GDPR art. 17) with a 30-day grace period: the request cancels the
//! user's subscriptions at once and schedules the erasure; the user may still sign in
//! and call it off until then.

use crate::backend::auth::identity::Identity;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::jobs::{self, Job};
use crate::backend::services::notifications::{self, Kind};
use crate::backend::services::{auth, memberships, subscriptions as subscription_service};
use crate::backend::store::audit::{self, Entry};
use crate::backend::store::deletion_requests::{self, DeletionRequestRow};
use crate::backend::store::{community, devices, subscriptions, users};
use crate::backend::AppState;
use crate::model::privacy::{DeletionRequest, RequestDeletion};
use chrono::Duration;
use uuid::Uuid;

pub const GRACE_DAYS: i64 = 30;
const REASON_MAX: usize = 500;

fn to_api(row: DeletionRequestRow) -> DeletionRequest {
    DeletionRequest {
        id: row.id,
        status: row.status,
        scheduled_deletion_at: row.scheduled_deletion_at,
        requested_at: row.requested_at,
    }
}

fn no_pending_request() -> AppError {
    AppError::NotFound {
        code: "deletion_request_not_found",
        message: "There is no pending deletion request for this account.".into(),
    }
}

/// The pending request, if any (shown on the account page).
pub async fn pending(
    state: &AppState,
    identity: &Identity,
) -> Result<Option<DeletionRequest>, AppError> {
    Ok(deletion_requests::pending(&state.db, identity.user_id)
        .await?
        .map(to_api))
}

/// Schedules the erasure `GRACE_DAYS` ahead, once the password confirms it is the
/// owner asking. Live subscriptions end now, without refund.
pub async fn request(
    state: &AppState,
    identity: &Identity,
    req: RequestDeletion,
) -> Result<DeletionRequest, AppError> {
    // Limits count the text as sent, as the documented maxLength does.
    if req
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > REASON_MAX)
    {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            "must be at most 500 characters",
        )]));
    }
    let reason = req
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    auth::confirm_password(state, identity, "password", &req.password).await?;

    let now = state.clock.now();
    let row = DeletionRequestRow {
        id: Uuid::now_v7(),
        user_id: identity.user_id,
        status: "pending".into(),
        reason,
        requested_at: now,
        scheduled_deletion_at: now + Duration::days(GRACE_DAYS),
        canceled_at: None,
        completed_at: None,
    };
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    if !deletion_requests::insert(&mut tx, &row).await? {
        return Err(AppError::Conflict {
            code: "deletion_already_requested",
            message: "This account is already scheduled for deletion.".into(),
        });
    }
    for mut subscription in subscriptions::live_for_user(&mut tx, identity.user_id).await? {
        subscription_service::end_now(&mut subscription, now);
        subscription.cancel_reason = Some("account deletion requested".into());
        subscriptions::update(&mut tx, &subscription).await?;
    }
    memberships::leave_all(&mut tx, identity.user_id, now).await?;
    // Without a subscription nothing may keep streaming.
    devices::end_leases(&mut tx, identity.user_id, None, "account_deleted", now).await?;
    jobs::enqueue(
        &mut tx,
        &Job::EraseAccount { request_id: row.id },
        row.scheduled_deletion_at,
        now,
    )
    .await?;
    notifications::notify(
        &mut tx,
        identity.user_id,
        Kind::DeletionScheduled,
        "Your account is scheduled for deletion",
        &format!(
            "Your personal data will be erased on {}. Your subscriptions have ended. \
             Until then you can sign in and cancel the deletion from your account page.",
            row.scheduled_deletion_at.format("%Y-%m-%d")
        ),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor_id: Some(identity.user_id),
            action: "user.deletion_requested",
            target_type: "user",
            target_id: identity.user_id.to_string(),
            reason: row.reason.as_deref(),
            before: None,
            after: Some(serde_json::json!({
                "deletion_request_id": row.id,
                "scheduled_deletion_at": row.scheduled_deletion_at,
            })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to_api(row))
}

/// Calls off the pending request during the grace period. Subscriptions that ended
/// stay ended; the user subscribes again if they wish.
pub async fn cancel(state: &AppState, identity: &Identity) -> Result<DeletionRequest, AppError> {
    let now = state.clock.now();
    let pending = deletion_requests::pending(&state.db, identity.user_id)
        .await?
        .ok_or_else(no_pending_request)?;
    let mut tx = state.db.begin().await?;
    let row = deletion_requests::finish(&mut tx, pending.id, "canceled", now)
        .await?
        .ok_or_else(no_pending_request)?;
    notifications::notify(
        &mut tx,
        identity.user_id,
        Kind::DeletionCanceled,
        "Your account will not be deleted",
        "The deletion request was canceled. Your account and its data stay as they are.",
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor_id: Some(identity.user_id),
            action: "user.deletion_canceled",
            target_type: "user",
            target_id: identity.user_id.to_string(),
            reason: None,
            before: Some(serde_json::json!({ "deletion_request_id": row.id, "status": "pending" })),
            after: Some(serde_json::json!({ "deletion_request_id": row.id, "status": "canceled" })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(to_api(row))
}

/// The job at the end of the grace period: erases the account unless the request was
/// canceled meanwhile. Running it twice changes nothing the second time.
pub async fn erase(state: &AppState, request_id: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(request) = deletion_requests::find(&mut tx, request_id).await? else {
        return Ok(());
    };
    if request.status != "pending" || request.scheduled_deletion_at > now {
        return Ok(());
    }
    users::lock_for_update(&mut tx, request.user_id).await?;
    if deletion_requests::finish(&mut tx, request.id, "completed", now)
        .await?
        .is_none()
    {
        return Ok(());
    }
    users::erase(&mut tx, request.user_id, now).await?;
    community::erase_texts_by(&mut tx, request.user_id).await?;
    audit::record(
        &mut tx,
        Entry {
            actor_id: None,
            action: "user.erased",
            target_type: "user",
            target_id: request.user_id.to_string(),
            reason: None,
            before: None,
            after: Some(serde_json::json!({ "deletion_request_id": request.id })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
