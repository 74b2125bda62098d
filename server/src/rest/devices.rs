//! Registered devices (`/users/me/devices`) and stream slots (`/streams`).

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::services::devices;
use app::backend::AppState;
use app::model::device::{Device, DeviceList, RegisterDevice, StartStream, StreamLease};
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Merged into `/users`.
pub fn devices_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_devices, register_device))
        .routes(routes!(remove_device))
}

/// Nested at `/streams`.
pub fn streams_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_stream))
        .routes(routes!(stop_stream))
        .routes(routes!(heartbeat))
}

/// Your registered devices and how many the plan allows.
#[utoipa::path(get, path = "/me/devices", tag = "devices", security(("bearer" = [])),
    responses((status = 200, description = "The devices.", body = DeviceList)))]
async fn list_devices(Reading { state, identity }: Reading) -> Result<Json<DeviceList>, AppError> {
    Ok(Json(devices::list(&state, &identity).await?))
}

/// Registers the device of this session (registering again renames it).
#[utoipa::path(post, path = "/me/devices", tag = "devices", security(("bearer" = [])),
    request_body = RegisterDevice,
    responses(
        (status = 201, description = "Registered.", body = Device),
        (status = 200, description = "Already registered from this session; updated.", body = Device),
        (status = 400, description = "Invalid name (`validation_error`).", body = ErrorBody),
        (status = 409, description = "The plan's `max_devices` are taken (`device_limit_reached`).", body = ErrorBody),
    ))]
async fn register_device(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<RegisterDevice>,
) -> Result<(StatusCode, Json<Device>), AppError> {
    let (device, created) = devices::register(&state, &identity, req).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(device)))
}

/// Removes a device: its session is signed out and its streams stop.
#[utoipa::path(delete, path = "/me/devices/{device_id}", tag = "devices", security(("bearer" = [])),
    params(("device_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed and signed out."),
        (status = 404, description = "Not one of yours (`device_not_found`).", body = ErrorBody),
    ))]
async fn remove_device(
    State(state): State<AppState>,
    identity: Identity,
    Path(device_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    devices::remove(&state, &identity, device_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a stream slot as a lease. Send a heartbeat every `heartbeat_interval_seconds`;
/// without one the slot frees itself about two minutes after the last.
#[utoipa::path(post, path = "", tag = "devices", security(("bearer" = [])),
    request_body = StartStream,
    responses(
        (status = 201, description = "Slot taken.", body = StreamLease),
        (status = 403, description = "No subscription that streams (`subscription_required`).", body = ErrorBody),
        (status = 404, description = "Unknown `profile_id` or `device_id` (`profile_not_found`, `device_not_found`).", body = ErrorBody),
        (status = 409, description = "Every slot is in use (`stream_limit_reached`).", body = ErrorBody),
    ))]
async fn start_stream(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<StartStream>,
) -> Result<(StatusCode, Json<StreamLease>), AppError> {
    let lease = devices::start_stream(&state, &identity, req).await?;
    Ok((StatusCode::CREATED, Json(lease)))
}

/// Keeps a slot for another two minutes.
#[utoipa::path(post, path = "/{stream_id}/heartbeat", tag = "devices", security(("bearer" = [])),
    params(("stream_id" = Uuid, Path)),
    responses(
        (status = 200, description = "Extended.", body = StreamLease),
        (status = 404, description = "Not one of yours (`stream_not_found`).", body = ErrorBody),
        (status = 410, description = "Ended or lapsed (`stream_expired`): start a new one.", body = ErrorBody),
    ))]
async fn heartbeat(
    State(state): State<AppState>,
    identity: Identity,
    Path(stream_id): Path<Uuid>,
) -> Result<Json<StreamLease>, AppError> {
    Ok(Json(
        devices::heartbeat(&state, &identity, stream_id).await?,
    ))
}

/// Releases a slot (stopping a stream that already ended is fine).
#[utoipa::path(delete, path = "/{stream_id}", tag = "devices", security(("bearer" = [])),
    params(("stream_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Released."),
        (status = 404, description = "Not one of yours (`stream_not_found`).", body = ErrorBody),
    ))]
async fn stop_stream(
    State(state): State<AppState>,
    identity: Identity,
    Path(stream_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    devices::stop_stream(&state, &identity, stream_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
