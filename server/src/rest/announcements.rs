//! Announcements in the Audience API, under `/api/v1/audience/announcements`.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::announcements::{self, AnnouncementQuery};
use app::backend::AppState;
use app::model::announcement::{Announcement, CreateAnnouncement};
use app::model::page::Page;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

/// Newest first: every announcement for the creator's team (with how far notifying
/// got), those meant for their tier for a member.
#[utoipa::path(get, path = "", tag = "audience", security(("bearer" = [])),
    params(AnnouncementQuery, PageQuery),
    responses(
        (status = 200, description = "One page of announcements.", body = Page<Announcement>),
        (status = 400, description = "A bad cursor or limit.", body = ErrorBody),
        (status = 403, description = "Not a member of this creator (`not_a_member`).", body = ErrorBody),
        (status = 404, description = "No such creator (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list(
    Reading { state, identity }: Reading,
    Query(query): Query<AnnouncementQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Announcement>>, AppError> {
    Ok(Json(
        announcements::list(&state, &identity, query, page.parse()?).await?,
    ))
}

/// Publishes an announcement to `all_members`, `paid_members` or `specific_tiers`
/// (`tier_ids`), optionally pinned. With `notify`, the audience is notified in the
/// background over `notification_channels` (`push`: in-app notifications, the default;
/// `email`), honouring each member's "new content" preference.
#[utoipa::path(post, path = "", tag = "audience", security(("bearer" = [])),
    request_body = CreateAnnouncement,
    responses(
        (status = 201, description = "Published; notifying is `queued` when asked for.", body = Announcement),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateAnnouncement>,
) -> Result<(StatusCode, Json<Announcement>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(announcements::create(&state, &identity, req).await?),
    ))
}
