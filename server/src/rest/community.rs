//! The community endpoints of the Audience API, under `/api/v1/audience/community`.

use app::backend::auth::identity::Identity;
use app::backend::auth::permissions::CreatorScope;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::community::{self, PostQuery};
use app::backend::services::community_overview;
use app::backend::services::moderation::{self, ReportQuery};
use app::backend::AppState;
use app::model::community::{
    BlockedWords, Comment, CommunityOverview, CreateComment, CreatePost, CreateReport, Post,
    Report, ResolveReport,
};
use app::model::page::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(list_posts, create_post))
        .routes(routes!(list_comments, create_comment))
        .routes(routes!(list_reports, create_report))
        .routes(routes!(resolve_report))
        .routes(routes!(blocked_words, set_blocked_words))
}

/// Today's activity (UTC day), the five top contributors (published posts and comments,
/// all time), the ten trending topics of the last 7 days (hashtags and terms of four
/// letters or more, stopwords left out, each counted once per post or comment) and the
/// moderation counts.
#[utoipa::path(get, path = "", tag = "audience", security(("bearer" = [])),
    params(CreatorScope),
    responses(
        (status = 200, description = "The overview.", body = CommunityOverview),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn overview(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
) -> Result<Json<CommunityOverview>, AppError> {
    Ok(Json(
        community_overview::overview(&state, &identity, scope.creator_id).await?,
    ))
}

/// The creator's posts, newest first: published ones for members; any status for the team.
#[utoipa::path(get, path = "/posts", tag = "audience", security(("bearer" = [])),
    params(PostQuery, PageQuery),
    responses(
        (status = 200, description = "One page of posts.", body = Page<Post>),
        (status = 400, description = "A bad status or cursor.", body = ErrorBody),
        (status = 403, description = "Not a member of this creator (`not_a_member`).", body = ErrorBody),
        (status = 404, description = "No such creator (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_posts(
    Reading { state, identity }: Reading,
    Query(query): Query<PostQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Post>>, AppError> {
    Ok(Json(
        community::list_posts(&state, &identity, query, page.parse()?).await?,
    ))
}

/// A member or the team posts. A member's post with one of the creator's blocked words
/// is `held` for review (an automatic report) instead of published.
#[utoipa::path(post, path = "/posts", tag = "audience", security(("bearer" = [])),
    request_body = CreatePost,
    responses(
        (status = 201, description = "Posted (or held).", body = Post),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Not a member of this creator (`not_a_member`).", body = ErrorBody),
        (status = 404, description = "No such creator (`creator_not_found`).", body = ErrorBody),
    ))]
async fn create_post(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreatePost>,
) -> Result<(StatusCode, Json<Post>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(community::create_post(&state, &identity, req).await?),
    ))
}

/// A post's comments, newest first (published ones for members).
#[utoipa::path(get, path = "/posts/{post_id}/comments", tag = "audience", security(("bearer" = [])),
    params(("post_id" = Uuid, Path, description = "The post."), PageQuery),
    responses(
        (status = 200, description = "One page of comments.", body = Page<Comment>),
        (status = 404, description = "No such post, or not visible to you (`post_not_found`).", body = ErrorBody),
    ))]
async fn list_comments(
    Reading { state, identity }: Reading,
    Path(post_id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Comment>>, AppError> {
    Ok(Json(
        community::list_comments(&state, &identity, post_id, page.parse()?).await?,
    ))
}

/// Comments on a published post; blocked words hold a member's comment for review.
#[utoipa::path(post, path = "/posts/{post_id}/comments", tag = "audience", security(("bearer" = [])),
    params(("post_id" = Uuid, Path, description = "The post.")),
    request_body = CreateComment,
    responses(
        (status = 201, description = "Commented (or held).", body = Comment),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 404, description = "No such post, or not visible to you (`post_not_found`).", body = ErrorBody),
        (status = 409, description = "The post is not published (`post_not_published`).", body = ErrorBody),
    ))]
async fn create_comment(
    State(state): State<AppState>,
    identity: Identity,
    Path(post_id): Path<Uuid>,
    ApiJson(req): ApiJson<CreateComment>,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(community::create_comment(&state, &identity, post_id, req).await?),
    ))
}

/// The moderation queue (`status=pending`) and past decisions, newest first.
#[utoipa::path(get, path = "/reports", tag = "audience", security(("bearer" = [])),
    params(ReportQuery, PageQuery),
    responses(
        (status = 200, description = "One page of reports.", body = Page<Report>),
        (status = 400, description = "A bad status or cursor.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_reports(
    Reading { state, identity }: Reading,
    Query(query): Query<ReportQuery>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Report>>, AppError> {
    Ok(Json(
        moderation::list(&state, &identity, query, page.parse()?).await?,
    ))
}

/// A member reports a post, or one of its comments, once.
#[utoipa::path(post, path = "/reports", tag = "audience", security(("bearer" = [])),
    request_body = CreateReport,
    responses(
        (status = 201, description = "Reported.", body = Report),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 404, description = "No such post or comment visible to you (`post_not_found`, `comment_not_found`).", body = ErrorBody),
        (status = 409, description = "You reported it already (`already_reported`).", body = ErrorBody),
    ))]
async fn create_report(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateReport>,
) -> Result<(StatusCode, Json<Report>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(moderation::report(&state, &identity, req).await?),
    ))
}

/// The team removes the reported text or keeps it (publishing a held one); every
/// pending report on it is resolved the same way. Audit-logged.
#[utoipa::path(post, path = "/reports/{report_id}/resolve", tag = "audience", security(("bearer" = [])),
    params(("report_id" = Uuid, Path, description = "The report.")),
    request_body = ResolveReport,
    responses(
        (status = 200, description = "Resolved.", body = Report),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Your role may not moderate.", body = ErrorBody),
        (status = 404, description = "No such report, or not yours (`report_not_found`).", body = ErrorBody),
        (status = 409, description = "Already resolved (`report_resolved`).", body = ErrorBody),
    ))]
async fn resolve_report(
    State(state): State<AppState>,
    identity: Identity,
    Path(report_id): Path<Uuid>,
    ApiJson(req): ApiJson<ResolveReport>,
) -> Result<Json<Report>, AppError> {
    Ok(Json(
        moderation::resolve(&state, &identity, report_id, req).await?,
    ))
}

/// The creator's blocked words.
#[utoipa::path(get, path = "/blocked-words", tag = "audience", security(("bearer" = [])),
    params(CreatorScope),
    responses(
        (status = 200, description = "The list.", body = BlockedWords),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn blocked_words(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
) -> Result<Json<BlockedWords>, AppError> {
    Ok(Json(
        moderation::blocked_words(&state, &identity, scope.creator_id).await?,
    ))
}

/// Replaces the blocked words (single words, any case; at most 500). New posts and
/// comments by members that contain one are held for review.
#[utoipa::path(put, path = "/blocked-words", tag = "audience", security(("bearer" = [])),
    request_body = BlockedWords,
    responses(
        (status = 200, description = "The new list.", body = BlockedWords),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Your role may not moderate.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn set_blocked_words(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<BlockedWords>,
) -> Result<Json<BlockedWords>, AppError> {
    Ok(Json(
        moderation::set_blocked_words(&state, &identity, req).await?,
    ))
}
