//! `/api/v1/users/me/profiles`: the account's sub-profiles.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::ApiJson;
use app::backend::services::profiles;
use app::backend::AppState;
use app::model::profile::{Profile, ProfileInput, ProfileList, ProfileToken, VerifyPin};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(verify_pin))
}

/// Your profiles, the primary one first.
#[utoipa::path(get, path = "/me/profiles", tag = "users", security(("bearer" = [])),
    responses((status = 200, description = "The profiles.", body = ProfileList)))]
async fn list(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<ProfileList>, AppError> {
    Ok(Json(profiles::list(&state, &identity).await?))
}

/// Adds a profile, up to your plan's `max_profiles` (1 without a subscription).
#[utoipa::path(post, path = "/me/profiles", tag = "users", security(("bearer" = [])),
    request_body = ProfileInput,
    responses(
        (status = 201, description = "Created.", body = Profile),
        (status = 409, description = "The plan's limit is reached (`profile_limit_reached`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<(StatusCode, Json<Profile>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(profiles::create(&state, &identity, input).await?),
    ))
}

/// One of your profiles.
#[utoipa::path(get, path = "/me/profiles/{profile_id}", tag = "users", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The profile.")),
    responses(
        (status = 200, description = "The profile.", body = Profile),
        (status = 404, description = "Not one of yours (`profile_not_found`).", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Profile>, AppError> {
    Ok(Json(profiles::get(&state, &identity, id).await?))
}

/// Changes a profile; fields left out keep their value and `"pin": null` removes the
/// PIN. A kids profile only takes kids ratings.
#[utoipa::path(patch, path = "/me/profiles/{profile_id}", tag = "users", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The profile.")),
    request_body = ProfileInput,
    responses(
        (status = 200, description = "The profile.", body = Profile),
        (status = 404, description = "Not one of yours (`profile_not_found`).", body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<Profile>, AppError> {
    Ok(Json(profiles::update(&state, &identity, id, input).await?))
}

/// Deletes a profile and its viewing data. The primary profile cannot be deleted.
#[utoipa::path(delete, path = "/me/profiles/{profile_id}", tag = "users", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The profile.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "Not one of yours (`profile_not_found`).", body = ErrorBody),
        (status = 409, description = "The primary profile (`primary_profile`).", body = ErrorBody),
    ))]
async fn delete(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    profiles::delete(&state, &identity, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks a profile's PIN and returns a one-hour profile token. Five wrong PINs lock
/// checking for 15 minutes.
#[utoipa::path(post, path = "/me/profiles/{profile_id}/verify-pin", tag = "users", security(("bearer" = [])),
    params(("profile_id" = Uuid, Path, description = "The profile.")),
    request_body = VerifyPin,
    responses(
        (status = 200, description = "The PIN is right.", body = ProfileToken),
        (status = 400, description = "The profile has no PIN (`pin_not_set`).", body = ErrorBody),
        (status = 403, description = "The PIN is wrong (`invalid_pin`).", body = ErrorBody),
        (status = 404, description = "Not one of yours (`profile_not_found`).", body = ErrorBody),
        (status = 429, description = "Locked after five wrong PINs (`rate_limited`).", body = ErrorBody),
    ))]
async fn verify_pin(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<VerifyPin>,
) -> Result<Json<ProfileToken>, AppError> {
    Ok(Json(
        profiles::verify_pin(&state, &identity, id, &req.pin).await?,
    ))
}
