//! Privacy: data export (`/users/me/data-export` and its signed download). Account
//! deletion lives with the account in `users.rs`.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::Reading;
use app::backend::services::data_export::{self, DownloadQuery};
use app::backend::AppState;
use app::model::privacy::DataExport;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::Json;
use http::{header, StatusCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Merged into `/users`.
pub fn users_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(latest_export, request_export))
}

/// Nested at `/data-exports`.
pub fn downloads_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download_export))
}

/// Your latest data export. Once `ready`, it carries a signed `download_url` valid for
/// 24 hours.
#[utoipa::path(get, path = "/me/data-export", tag = "privacy", security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest export.", body = DataExport),
        (status = 404, description = "None requested yet (`export_not_found`).", body = ErrorBody),
    ))]
async fn latest_export(Reading { state, identity }: Reading) -> Result<Json<DataExport>, AppError> {
    Ok(Json(data_export::latest(&state, &identity).await?))
}

/// Queues an export of everything stored about you. You are notified, and emailed a
/// download link, when it is ready. One pending export at a time.
#[utoipa::path(post, path = "/me/data-export", tag = "privacy", security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued.", body = DataExport),
        (status = 409, description = "One is being prepared (`export_already_pending`).", body = ErrorBody),
    ))]
async fn request_export(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<(StatusCode, Json<DataExport>), AppError> {
    let export = data_export::request(&state, &identity).await?;
    Ok((StatusCode::ACCEPTED, Json(export)))
}

/// Downloads an export through its signed link (no other authentication: the link is
/// the credential, so keep it private).
#[utoipa::path(get, path = "/{export_id}/download", tag = "privacy",
    params(("export_id" = Uuid, Path), DownloadQuery),
    responses(
        (status = 200, description = "The export, a JSON document.", content_type = "application/json", body = Object),
        (status = 403, description = "Not a link we made for this file (`invalid_download_link`).", body = ErrorBody),
        (status = 410, description = "The link lapsed (`download_link_expired`).", body = ErrorBody),
    ))]
async fn download_export(
    State(state): State<AppState>,
    Path(export_id): Path<Uuid>,
    Query(query): Query<DownloadQuery>,
) -> Result<impl IntoResponse, AppError> {
    let content = data_export::download(&state, export_id, &query.token).await?;
    let disposition = format!("attachment; filename=\"encora-data-export-{export_id}.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        content,
    ))
}
