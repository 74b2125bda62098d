//! `/api/v1/auth/*`: register, login, refresh, logout.

use app::backend::auth::identity::Identity;
use app::backend::error::AppError;
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
use axum::routing::post;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/verify-email", post(verify_email))
        .route("/verify-email/resend", post(resend_verification))
        .route("/password-reset", post(request_password_reset))
        .route("/password-reset/confirm", post(confirm_password_reset))
}

/// Always 202: whether the account exists is not disclosed.
async fn request_password_reset(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<StatusCode, AppError> {
    password_reset::request(&state, &req.email, client.ip.as_deref()).await?;
    Ok(StatusCode::ACCEPTED)
}

async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> Result<StatusCode, AppError> {
    password_reset::confirm(&state, &req.token, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn verify_email(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<VerifyEmailRequest>,
) -> Result<StatusCode, AppError> {
    email_verification::verify(&state, &req.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn resend_verification(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<StatusCode, AppError> {
    email_verification::resend(&state, &identity).await?;
    Ok(StatusCode::ACCEPTED)
}

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

async fn login(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(auth::login(&state, req, &client).await?))
}

async fn refresh(
    State(state): State<AppState>,
    client: ClientContext,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(auth::refresh(&state, req, &client).await?))
}

async fn logout(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<StatusCode, AppError> {
    auth::logout(&state, &identity, req).await?;
    Ok(StatusCode::NO_CONTENT)
}
