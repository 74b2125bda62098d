use app::backend::error::AppError;
use app::backend::services::health;
use app::backend::AppState;
use app::model::system::Health;
use axum::extract::State;
use axum::Json;

/// Liveness and readiness: 200 only when the database answers.
#[utoipa::path(get, path = "/health", tag = "system",
    responses((status = 200, description = "The service and its database are up.", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    Ok(Json(health::check(&state.db).await?))
}
