//! `/api/v1/creators`: the public directory, creating a creator, and its team.

use app::backend::auth::identity::Identity;
use app::backend::error::AppError;
use app::backend::extract::ApiJson;
use app::backend::pagination::PageQuery;
use app::backend::services::creators;
use app::backend::AppState;
use app::model::creator::{AddTeamMember, CreateCreator, Creator, TeamMember};
use app::model::page::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/{creator_id}", get(show))
        .route("/{creator_id}/team", get(team).post(add_member))
        .route("/{creator_id}/team/{user_id}", delete(remove_member))
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<Creator>>, AppError> {
    Ok(Json(creators::list(&state, query.parse()?).await?))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateCreator>,
) -> Result<(StatusCode, Json<Creator>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(creators::create(&state, &identity, req).await?),
    ))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Creator>, AppError> {
    Ok(Json(creators::get(&state, id).await?))
}

async fn team(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<TeamMember>>, AppError> {
    Ok(Json(creators::team(&state, &identity, id).await?))
}

async fn add_member(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<AddTeamMember>,
) -> Result<(StatusCode, Json<TeamMember>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(creators::add_team_member(&state, &identity, id, req).await?),
    ))
}

async fn remove_member(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, AppError> {
    creators::remove_team_member(&state, &identity, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
