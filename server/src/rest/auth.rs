//! `/api/v1/auth/*`: register, login, refresh, logout, email verification, password reset.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::ApiJson;
use app::backend::services::auth::{self, ClientContext};
use app::backend::services::{email_verification, password_reset};
use app::backend::AppState;
use app::model::auth::{
    LoginRequest, PasswordResetConfirm, PasswordResetRequest, RefreshRequest, RegisterRequest,
    TokenResponse, VerifyEmailRequest,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(request_password_reset))
        .routes(routes!(confirm_password_reset))
}

/// Emails a one-time reset link. Always 202: whether the account exists is not disclosed.
#[utoipa::path(post, path = "/password-reset", tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the account exists, a link is on its way."),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    ))]
async fn request_password_reset(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<StatusCode, AppError> {
    password_reset::request(&state, &req.email, client.ip.as_deref()).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the emailed token; every session of the account ends.
#[utoipa::path(post, path = "/password-reset/confirm", tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is changed."),
        (status = 410, description = "The link expired (`token_expired`).", body = ErrorBody),
    ))]
async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> Result<StatusCode, AppError> {
    password_reset::confirm(&state, &req.token, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms the email address with the emailed token.
#[utoipa::path(post, path = "/verify-email", tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "The address is verified; the account is active."),
        (status = 410, description = "The link expired (`token_expired`).", body = ErrorBody),
    ))]
async fn verify_email(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<VerifyEmailRequest>,
) -> Result<StatusCode, AppError> {
    email_verification::verify(&state, &req.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a fresh verification link (throttled).
#[utoipa::path(post, path = "/verify-email/resend", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 202, description = "A new link is on its way."),
        (status = 409, description = "Already verified (`already_verified`).", body = ErrorBody),
        (status = 429, description = "Sent too often; see `Retry-After`.", body = ErrorBody),
    ))]
async fn resend_verification(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<StatusCode, AppError> {
    email_verification::resend(&state, &identity).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Creates an account (pending verification) and signs it in.
#[utoipa::path(post, path = "/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in.", body = TokenResponse),
        (status = 409, description = "The email is taken (`email_taken`).", body = ErrorBody),
        (status = 429, description = "Too many attempts; see `Retry-After`.", body = ErrorBody),
    ))]
async fn register(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(auth::register(&state, req, &client).await?),
    ))
}

/// Signs in with email and password.
#[utoipa::path(post, path = "/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = TokenResponse),
        (status = 401, description = "Wrong email or password (`invalid_credentials`).", body = ErrorBody),
        (status = 403, description = "The account is suspended (`account_suspended`).", body = ErrorBody),
        (status = 429, description = "Too many attempts; see `Retry-After`.", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(auth::login(&state, req, &client).await?))
}

/// Trades a refresh token for new tokens; the old refresh token stops working.
#[utoipa::path(post, path = "/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens.", body = TokenResponse),
        (status = 401, description = "Unknown, rotated or revoked refresh token.", body = ErrorBody),
        (status = 403, description = "The account is suspended (`account_suspended`).", body = ErrorBody),
        (status = 429, description = "Too many attempts; see `Retry-After`.", body = ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(auth::refresh(&state, req, &client).await?))
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(post, path = "/logout", tag = "auth", security(("bearer" = [])),
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out.")))]
async fn logout(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<StatusCode, AppError> {
    auth::logout(&state, &identity, req).await?;
    Ok(StatusCode::NO_CONTENT)
}
