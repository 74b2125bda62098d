//! `/api/v1/admin/*`.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::ApiJson;
use app::backend::services::sandbox;
use app::backend::AppState;
use app::model::system::{AdvanceClock, SandboxClock};
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(advance_clock))
}

/// Moves the sandbox clock forward and runs every job that became due (only with
/// `ENCORA_TEST_CLOCK=1`; superadmins only).
#[utoipa::path(post, path = "/sandbox/clock", tag = "admin", security(("bearer" = [])),
    request_body = AdvanceClock,
    responses(
        (status = 200, description = "The new platform time.", body = SandboxClock),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
        (status = 404, description = "The sandbox clock is off.", body = ErrorBody),
    ))]
async fn advance_clock(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<AdvanceClock>,
) -> Result<Json<SandboxClock>, AppError> {
    Ok(Json(
        sandbox::advance_clock(&state, &identity, req.advance_seconds).await?,
    ))
}
