//! Registered devices (up to the plan's `max_devices`) and stream slots (up to
//! `max_concurrent_streams`). A slot is a lease that lapses two minutes after its last
//! heartbeat, so a player that crashes never locks the account out; removing a device
//! signs its session out and frees its slots.

use crate::backend::auth::identity::Identity;
use crate::backend::db::Tx;
use crate::backend::error::{AppError, FieldError};
use crate::backend::services::entitlements;
use crate::backend::store::devices::{self, DeviceRow, LeaseRow};
use crate::backend::store::{profiles, sessions, users};
use crate::backend::AppState;
use crate::model::device::{
    Device, DeviceList, Platform, RegisterDevice, StartStream, StreamLease,
};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

const NAME_MAX: usize = 100;
/// A lease lapses this long after its last heartbeat.
const LEASE_SECS: i64 = 120;
/// Players are told to beat this often: several beats fit in one lease.
const HEARTBEAT_SECS: i64 = 30;

fn device_not_found() -> AppError {
    AppError::NotFound {
        code: "device_not_found",
        message: "Device not found.".into(),
    }
}

fn stream_not_found() -> AppError {
    AppError::NotFound {
        code: "stream_not_found",
        message: "Stream not found.".into(),
    }
}

fn to_api(row: DeviceRow, identity: &Identity) -> Device {
    Device {
        id: row.id,
        current: row.session_id == Some(identity.session_id),
        name: row.name,
        platform: Platform::parse(&row.platform).unwrap_or(Platform::Other),
        registered_at: row.registered_at,
        last_seen_at: row.last_seen_at,
    }
}

fn lease_to_api(row: LeaseRow) -> StreamLease {
    StreamLease {
        id: row.id,
        profile_id: row.profile_id,
        device_id: row.device_id,
        started_at: row.started_at,
        expires_at: row.expires_at,
        heartbeat_interval_seconds: HEARTBEAT_SECS,
    }
}

pub async fn list(state: &AppState, identity: &Identity) -> Result<DeviceList, AppError> {
    let limits = entitlements::read(&state.db, identity.user_id).await?;
    let rows = devices::list(&state.db, identity.user_id).await?;
    Ok(DeviceList {
        data: rows.into_iter().map(|row| to_api(row, identity)).collect(),
        max_devices: limits.max_devices,
    })
}

/// Registers the calling session's device (registering again renames it). Returns the
/// device and whether it is new. 409 `device_limit_reached` when the plan's
/// `max_devices` are taken: remove one first.
pub async fn register(
    state: &AppState,
    identity: &Identity,
    req: RegisterDevice,
) -> Result<(Device, bool), AppError> {
    let name = req.name.trim().to_string();
    // Limits count the text as sent, as the documented maxLength does.
    if name.is_empty() || req.name.chars().count() > NAME_MAX {
        return Err(AppError::Validation(vec![FieldError::new(
            "name",
            "must be between 1 and 100 characters",
        )]));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    users::lock_for_update(&mut tx, identity.user_id).await?;
    let existing = devices::find_by_session(&mut tx, identity.session_id).await?;
    let created = existing.is_none();
    if created {
        let limit = entitlements::for_user(&mut tx, identity.user_id)
            .await?
            .max_devices;
        if devices::count(&mut tx, identity.user_id).await? >= limit {
            return Err(AppError::Conflict {
                code: "device_limit_reached",
                message: format!(
                    "Your plan allows {limit} registered device(s). Remove one to add this one."
                ),
            });
        }
    }
    let row = DeviceRow {
        name,
        platform: req.platform.as_str().into(),
        last_seen_at: now,
        ..existing.unwrap_or(DeviceRow {
            id: Uuid::now_v7(),
            user_id: identity.user_id,
            session_id: Some(identity.session_id),
            name: String::new(),
            platform: String::new(),
            registered_at: now,
            last_seen_at: now,
        })
    };
    devices::upsert(&mut tx, &row).await?;
    tx.commit().await?;
    Ok((to_api(row, identity), created))
}

/// Removes a device: its session is signed out and its streams end.
pub async fn remove(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let device = devices::find(&mut tx, identity.user_id, id)
        .await?
        .ok_or_else(device_not_found)?;
    if let Some(session) = device.session_id {
        sessions::revoke(&mut tx, session, "device_removed", now).await?;
    }
    devices::end_leases(&mut tx, identity.user_id, Some(id), "device_removed", now).await?;
    devices::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Frees every slot and forgets every device of the user (password change, suspension,
/// deletion), in the caller's transaction.
pub async fn revoke_all(
    tx: &mut Tx,
    user_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    devices::end_leases(tx, user_id, None, reason, now).await?;
    devices::delete_all(tx, user_id).await?;
    Ok(())
}

/// Takes a stream slot. 403 `subscription_required` without a plan that streams; 409
/// `stream_limit_reached` when every slot is held by a live lease.
pub async fn start_stream(
    state: &AppState,
    identity: &Identity,
    req: StartStream,
) -> Result<StreamLease, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Serialises concurrent starts of one account, so the count below cannot race.
    users::lock_for_update(&mut tx, identity.user_id).await?;
    if let Some(profile_id) = req.profile_id {
        profiles::find(&mut tx, identity.user_id, profile_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                code: "profile_not_found",
                message: "Profile not found.".into(),
            })?;
    }
    if let Some(device_id) = req.device_id {
        devices::find(&mut tx, identity.user_id, device_id)
            .await?
            .ok_or_else(device_not_found)?;
    }
    let limit = entitlements::for_user(&mut tx, identity.user_id)
        .await?
        .max_concurrent_streams;
    if limit == 0 {
        return Err(AppError::Forbidden {
            code: "subscription_required",
            message: "Streaming needs an active subscription.".into(),
        });
    }
    if devices::open_leases(&mut tx, identity.user_id, now).await? >= limit {
        return Err(AppError::Conflict {
            code: "stream_limit_reached",
            message: format!(
                "Your plan allows {limit} stream(s) at a time. Stop one on another device first."
            ),
        });
    }
    let row = LeaseRow {
        id: Uuid::now_v7(),
        user_id: identity.user_id,
        profile_id: req.profile_id,
        device_id: req.device_id,
        started_at: now,
        heartbeat_at: now,
        expires_at: now + Duration::seconds(LEASE_SECS),
        ended_at: None,
        end_reason: None,
    };
    devices::insert_lease(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(lease_to_api(row))
}

/// Extends a lease by another two minutes. 410 `stream_expired` once it lapsed or was
/// ended (the player must start a new stream, which may find the slots taken).
pub async fn heartbeat(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
) -> Result<StreamLease, AppError> {
    let now = state.clock.now();
    let expires_at = now + Duration::seconds(LEASE_SECS);
    if let Some(row) =
        devices::extend_lease(&state.db, identity.user_id, id, now, expires_at).await?
    {
        return Ok(lease_to_api(row));
    }
    devices::find_lease(&state.db, identity.user_id, id)
        .await?
        .ok_or_else(stream_not_found)?;
    Err(AppError::Gone {
        code: "stream_expired",
        message: "This stream ended or lapsed without heartbeats; start a new one.".into(),
    })
}

/// Releases a slot. Stopping a stream that already ended succeeds.
pub async fn stop_stream(state: &AppState, identity: &Identity, id: Uuid) -> Result<(), AppError> {
    let now = state.clock.now();
    if devices::end_lease(&state.db, identity.user_id, id, now).await? == 0 {
        devices::find_lease(&state.db, identity.user_id, id)
            .await?
            .ok_or_else(stream_not_found)?;
    }
    Ok(())
}
