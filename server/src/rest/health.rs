use app::backend::error::AppError;
use app::backend::services::health;
use app::backend::AppState;
use app::model::system::Health;
use axum::extract::State;
use axum::Json;

/// `GET /api/v1/health`: 200 only when the database answers.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    Ok(Json(health::check(&state.db).await?))
}
