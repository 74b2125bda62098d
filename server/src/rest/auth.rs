//! `/api/v1/auth/*`: register, login, refresh, logout.

use app::backend::auth::identity::Identity;
use app::backend::error::AppError;
use app::backend::extract::ApiJson;
use app::backend::services::auth::{self, ClientContext};
use app::backend::AppState;
use app::model::auth::{LoginRequest, RefreshRequest, RegisterRequest, TokenResponse};
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
