//! `/api/v1/users/me/avatar`: upload (multipart) and serve the account's picture;
//! `/api/v1/audience/members/{id}/avatar`: a member's, for the creator's team.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody, FieldError};
use app::backend::extract::Reading;
use app::backend::services::avatar;
use app::backend::store::avatars::AvatarRow;
use app::backend::AppState;
use app::model::user::User;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderMap, StatusCode};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Merged into `/users`. The body size is limited by the server's upload limit
/// (`middleware::BodyLimits`), not axum's default for extractors.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_avatar, get_avatar))
        .layer(DefaultBodyLimit::disable())
}

/// Merged into `/audience`.
pub fn member_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(member_avatar))
}

/// The multipart form of an avatar upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct AvatarUpload {
    /// JPEG or PNG, at most 5 MB; checked by its content, stored at most 512 px a side
    /// without metadata.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

fn not_multipart() -> AppError {
    AppError::UnsupportedMediaType {
        expected: "multipart/form-data with a `file` field",
    }
}

fn read_error(error: MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest {
            code: "invalid_multipart",
            message: "The multipart body could not be read.".into(),
        }
    }
}

/// Uploads a new avatar. Maximum 5 MB, JPEG or PNG only.
#[utoipa::path(put, path = "/me/avatar", tag = "users", security(("bearer" = [])),
    request_body(content = AvatarUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored; `avatar_url` names it.", body = User),
        (status = 400, description = "No `file` field (`validation_error`) or a damaged image or one over 6000 px a side (`invalid_image`).", body = ErrorBody),
        (status = 413, description = "Over 5 MB (`payload_too_large`).", body = ErrorBody),
        (status = 415, description = "Not a JPEG or PNG image, or not multipart (`unsupported_media_type`).", body = ErrorBody),
    ))]
async fn upload_avatar(
    State(state): State<AppState>,
    identity: Identity,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<User>, AppError> {
    let mut multipart = multipart.map_err(|_| not_multipart())?;
    while let Some(mut field) = multipart.next_field().await.map_err(read_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(read_error)? {
            if bytes.len() + chunk.len() > avatar::MAX_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Json(avatar::upload(&state, &identity, bytes).await?));
    }
    Err(AppError::Validation(vec![FieldError::new(
        "file",
        "is required: a JPEG or PNG image",
    )]))
}

/// Your avatar image. Fetched through `avatar_url` (versioned by `?v=`), it may be
/// cached for a year; otherwise revalidate with `If-None-Match`.
#[utoipa::path(get, path = "/me/avatar", tag = "users", security(("bearer" = [])),
    params(("v" = Option<String>, Query, description = "The version in `avatar_url`.")),
    responses(
        (status = 200, description = "The image, PNG or JPEG as uploaded.",
            content((String = "image/png"), (String = "image/jpeg"))),
        (status = 304, description = "Unchanged since the `If-None-Match` version."),
        (status = 404, description = "No avatar (`avatar_not_found`).", body = ErrorBody),
    ))]
async fn get_avatar(
    Reading { state, identity }: Reading,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    Ok(serve(
        avatar::get(&state, &identity).await?,
        &query,
        &headers,
    ))
}

/// A member's avatar (the member's `avatar_url`), cached like your own.
#[utoipa::path(get, path = "/members/{member_id}/avatar", tag = "audience", security(("bearer" = [])),
    params(
        ("member_id" = Uuid, Path, description = "The member (membership) id."),
        ("v" = Option<String>, Query, description = "The version in `avatar_url`."),
    ),
    responses(
        (status = 200, description = "The image, PNG or JPEG as uploaded.",
            content((String = "image/png"), (String = "image/jpeg"))),
        (status = 304, description = "Unchanged since the `If-None-Match` version."),
        (status = 404, description = "Not a member of your creator (`member_not_found`) or no avatar (`avatar_not_found`).", body = ErrorBody),
    ))]
async fn member_avatar(
    Reading { state, identity }: Reading,
    Path(member_id): Path<Uuid>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let avatar = avatar::of_member(&state, &identity, member_id).await?;
    Ok(serve(avatar, &query, &headers))
}

/// The image with its validators: the URL of the current version (`?v=`) may be kept
/// for a year, any other asks again with `If-None-Match`.
fn serve(avatar: AvatarRow, query: &HashMap<String, String>, headers: &HeaderMap) -> Response {
    let version = avatar.updated_at.timestamp_millis().to_string();
    let etag = format!("\"{version}\"");
    let cache = if query.get("v") == Some(&version) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, cache.to_string()),
    ];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(header::CONTENT_TYPE, avatar.content_type)],
        avatar.content,
    )
        .into_response()
}
