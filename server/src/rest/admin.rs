//! `/api/v1/admin/*`.

use app::backend::auth::identity::Identity;
use app::backend::error::AppError;
use app::backend::extract::ApiJson;
use app::backend::services::sandbox;
use app::backend::AppState;
use app::model::system::{AdvanceClock, SandboxClock};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/sandbox/clock", post(advance_clock))
}

async fn advance_clock(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<AdvanceClock>,
) -> Result<Json<SandboxClock>, AppError> {
    Ok(Json(
        sandbox::advance_clock(&state, &identity, req.advance_seconds).await?,
    ))
}
