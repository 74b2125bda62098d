//! `/api/v1/users/me`: the signed-in account.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::services::auth::{self, ClientContext};
use app::backend::services::{deletion, profile};
use app::backend::store::users;
use app::backend::AppState;
use app::model::auth::{ChangePassword, TokenResponse};
use app::model::privacy::{DeletionRequest, RequestDeletion};
use app::model::user::{UpdateProfile, User};
use axum::extract::State;
use axum::Json;
use http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, update_me, delete_me))
        .routes(routes!(change_password))
        .routes(routes!(request_deletion, cancel_deletion))
        .merge(super::profiles::router())
        .merge(super::privacy::users_router())
        .merge(super::avatar::router())
        .merge(super::devices::devices_router())
}

/// The signed-in user's account.
#[utoipa::path(get, path = "/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, description = "The account.", body = User)))]
async fn me(Reading { state, identity }: Reading) -> Result<Json<User>, AppError> {
    let user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(Json(user.into_api(&identity.roles)))
}

/// Changes your profile: name, phone, locale, time zone, country, language and which
/// notifications you get. Other fields are refused.
#[utoipa::path(patch, path = "/me", tag = "users", security(("bearer" = [])),
    request_body = UpdateProfile,
    responses(
        (status = 200, description = "The account as it now stands.", body = User),
        (status = 400, description = "A field is invalid or not yours to change (`validation_error`).", body = ErrorBody),
    ))]
async fn update_me(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<UpdateProfile>,
) -> Result<Json<User>, AppError> {
    Ok(Json(profile::update(&state, &identity, req).await?))
}

/// Changes your password. Every session ends, this one included: use the tokens in
/// the answer from now on.
#[utoipa::path(post, path = "/me/password", tag = "users", security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; a fresh session.", body = TokenResponse),
        (status = 400, description = "Wrong current password or a weak new one (`validation_error`).", body = ErrorBody),
        (status = 429, description = "Too many attempts (`rate_limited`).", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    identity: Identity,
    client: ClientContext,
    ApiJson(req): ApiJson<ChangePassword>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(
        auth::change_password(&state, &identity, req, &client).await?,
    ))
}

/// Schedules the deletion of your account in 30 days, confirmed with your password.
/// Active subscriptions end now, without refund. Until the date you may sign in and
/// cancel the request; then your personal data is erased and financial records are
/// kept under a pseudonymous id.
#[utoipa::path(post, path = "/me/deletion-request", tag = "privacy", security(("bearer" = [])),
    request_body = RequestDeletion,
    responses(
        (status = 202, description = "Deletion scheduled.", body = DeletionRequest),
        (status = 400, description = "Wrong password or too long a reason (`validation_error`).", body = ErrorBody),
        (status = 409, description = "Already scheduled (`deletion_already_requested`).", body = ErrorBody),
        (status = 429, description = "Too many password attempts (`rate_limited`).", body = ErrorBody),
    ))]
async fn request_deletion(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<RequestDeletion>,
) -> Result<(StatusCode, Json<DeletionRequest>), AppError> {
    let request = deletion::request(&state, &identity, req).await?;
    Ok((StatusCode::ACCEPTED, Json(request)))
}

/// Starts the deletion of your account: the same as `POST /users/me/deletion-request`.
#[utoipa::path(delete, path = "/me", tag = "privacy", security(("bearer" = [])),
    request_body = RequestDeletion,
    responses(
        (status = 202, description = "Deletion scheduled.", body = DeletionRequest),
        (status = 400, description = "Wrong password or too long a reason (`validation_error`).", body = ErrorBody),
        (status = 409, description = "Already scheduled (`deletion_already_requested`).", body = ErrorBody),
        (status = 429, description = "Too many password attempts (`rate_limited`).", body = ErrorBody),
    ))]
async fn delete_me(
    state: State<AppState>,
    identity: Identity,
    req: ApiJson<RequestDeletion>,
) -> Result<(StatusCode, Json<DeletionRequest>), AppError> {
    request_deletion(state, identity, req).await
}

/// Cancels the pending deletion during the grace period. Audit-logged.
#[utoipa::path(delete, path = "/me/deletion-request", tag = "privacy", security(("bearer" = [])),
    responses(
        (status = 200, description = "Canceled; the account stays.", body = DeletionRequest),
        (status = 404, description = "No pending request (`deletion_request_not_found`).", body = ErrorBody),
    ))]
async fn cancel_deletion(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<DeletionRequest>, AppError> {
    Ok(Json(deletion::cancel(&state, &identity).await?))
}
