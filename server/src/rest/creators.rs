//! `/api/v1/creators`: the public directory, creating a creator, and its team.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::{creators, tiers};
use app::backend::AppState;
use app::model::audience::CreatorPage;
use app::model::creator::{AddTeamMember, CreateCreator, Creator, TeamMember};
use app::model::page::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(team, add_member))
        .routes(routes!(remove_member))
}

/// The public creator directory, newest first.
#[utoipa::path(get, path = "", tag = "creators", params(PageQuery),
    responses((status = 200, description = "One page of creators.", body = Page<Creator>)))]
async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<Creator>>, AppError> {
    Ok(Json(creators::list(&state, query.parse()?).await?))
}

/// Creates a creator; the caller becomes its content creator. Needs a verified email.
#[utoipa::path(post, path = "", tag = "creators", security(("bearer" = [])),
    request_body = CreateCreator,
    responses(
        (status = 201, description = "Created.", body = Creator),
        (status = 403, description = "Email not verified (`email_not_verified`).", body = ErrorBody),
        (status = 409, description = "The handle is taken (`handle_taken`).", body = ErrorBody),
    ))]
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

/// One creator's public page: profile, visible tiers (with places left) and tip jars.
#[utoipa::path(get, path = "/{creator_id}", tag = "creators",
    params(("creator_id" = Uuid, Path, description = "The creator.")),
    responses(
        (status = 200, description = "The creator, its visible tiers and its tip jars.", body = CreatorPage),
        (status = 404, description = "No such creator (`creator_not_found`).", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<CreatorPage>, AppError> {
    Ok(Json(tiers::creator_page(&state, id).await?))
}

/// The creator's team (visible to its members only).
#[utoipa::path(get, path = "/{creator_id}/team", tag = "creators", security(("bearer" = [])),
    params(("creator_id" = Uuid, Path, description = "The creator.")),
    responses(
        (status = 200, description = "Team members.", body = Vec<TeamMember>),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn team(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<TeamMember>>, AppError> {
    Ok(Json(creators::team(&state, &identity, id).await?))
}

/// Adds a registered user to the team with a creator-side role.
#[utoipa::path(post, path = "/{creator_id}/team", tag = "creators", security(("bearer" = [])),
    params(("creator_id" = Uuid, Path, description = "The creator.")),
    request_body = AddTeamMember,
    responses(
        (status = 201, description = "Added.", body = TeamMember),
        (status = 403, description = "Your role may not manage the team.", body = ErrorBody),
        (status = 404, description = "No such creator or user.", body = ErrorBody),
        (status = 409, description = "Already on the team (`already_member`).", body = ErrorBody),
    ))]
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

/// Removes someone from the team (never the last content creator).
#[utoipa::path(delete, path = "/{creator_id}/team/{user_id}", tag = "creators",
    security(("bearer" = [])),
    params(
        ("creator_id" = Uuid, Path, description = "The creator."),
        ("user_id" = Uuid, Path, description = "The team member."),
    ),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, description = "Your role may not manage the team.", body = ErrorBody),
        (status = 404, description = "No such creator or team member.", body = ErrorBody),
        (status = 409, description = "The last content creator stays (`last_content_creator`).", body = ErrorBody),
    ))]
async fn remove_member(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, AppError> {
    creators::remove_team_member(&state, &identity, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
