//! `/api/v1/users/me`: the signed-in account.

use app::backend::auth::identity::Identity;
use app::backend::error::AppError;
use app::backend::store::users;
use app::backend::AppState;
use app::model::user::User;
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// The signed-in user's account.
#[utoipa::path(get, path = "/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, description = "The account.", body = User)))]
async fn me(State(state): State<AppState>, identity: Identity) -> Result<Json<User>, AppError> {
    let user = users::find_by_id(&state.db, identity.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(Json(user.into_api(&identity.roles)))
}
