//! `/api/v1/notifications`: the signed-in user's in-app notifications.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::notifications::{self, NotificationQuery};
use app::backend::AppState;
use app::model::notification::{Notification, NotificationPage, UpdateNotification};
use axum::extract::{Path, Query, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark))
}

/// Your notifications, newest first, with how many are unread.
#[utoipa::path(get, path = "", tag = "users", security(("bearer" = [])),
    params(NotificationQuery),
    responses((status = 200, description = "One page of notifications.", body = NotificationPage)))]
async fn list(
    Reading { state, identity }: Reading,
    Query(query): Query<NotificationQuery>,
) -> Result<Json<NotificationPage>, AppError> {
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    Ok(Json(
        notifications::list(&state, &identity, query.unread_only, page.parse()?).await?,
    ))
}

/// Marks a notification read or unread.
#[utoipa::path(patch, path = "/{notif_id}", tag = "users", security(("bearer" = [])),
    params(("notif_id" = Uuid, Path, description = "The notification.")),
    request_body = UpdateNotification,
    responses(
        (status = 200, description = "The notification.", body = Notification),
        (status = 404, description = "Not one of yours (`notification_not_found`).", body = ErrorBody),
    ))]
async fn mark(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<UpdateNotification>,
) -> Result<Json<Notification>, AppError> {
    Ok(Json(
        notifications::mark(&state, &identity, id, req.is_read).await?,
    ))
}
