//! Campaigns in the Audience API, under `/api/v1/audience/engagement/campaigns`.

use app::backend::auth::identity::Identity;
use app::backend::auth::permissions::CreatorScope;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::campaigns;
use app::backend::AppState;
use app::model::campaign::{AudiencePreview, Campaign, CreateCampaign, PreviewAudience};
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
        .routes(routes!(preview))
        .routes(routes!(show))
}

/// The creator's campaigns, newest first, with sent / delivered / redeemed counts.
#[utoipa::path(get, path = "", tag = "audience", security(("bearer" = [])),
    params(CreatorScope, PageQuery),
    responses(
        (status = 200, description = "One page of campaigns.", body = Page<Campaign>),
        (status = 400, description = "A bad cursor or limit.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Campaign>>, AppError> {
    Ok(Json(
        campaigns::list(&state, &identity, scope.creator_id, page.parse()?).await?,
    ))
}

/// Schedules a campaign to a segment of the creator's members, current or former
/// (`all`, `churned`, or an engagement level), narrowed by `filters`
/// (`inactive_days_min`: no interaction, or no join without any, for that many days;
/// `was_paid_subscriber`: ever paid the creator for a tier; `tier_id`). The answer
/// carries the audience size counted now. An `offer` (`discount`, `value` 0.01–1,
/// `duration_months` billing periods, `code` or a generated one) becomes a coupon for
/// the creator's paid tiers (only `tier_id`'s when given), one use per member, valid
/// for 30 days after sending; members give it as `coupon_code` when joining. At
/// `scheduled_at` (default now) a job sends the message over `push` (in-app
/// notification) and/or `email` to members who allow marketing messages.
#[utoipa::path(post, path = "", tag = "audience", security(("bearer" = [])),
    request_body = CreateCampaign,
    responses(
        (status = 201, description = "Scheduled.", body = Campaign),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
        (status = 409, description = "The offer's code is taken (`coupon_code_taken`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateCampaign>,
) -> Result<(StatusCode, Json<Campaign>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(campaigns::create(&state, &identity, req).await?),
    ))
}

/// How many members a campaign to this segment and filters would reach if sent now,
/// without creating anything: the composer shows it before scheduling.
#[utoipa::path(post, path = "/preview", tag = "audience", security(("bearer" = [])),
    request_body = PreviewAudience,
    responses(
        (status = 200, description = "The audience size.", body = AudiencePreview),
        (status = 400, description = "Invalid filters.", body = ErrorBody),
        (status = 403, description = "No creator-side role, or one that may not send campaigns.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn preview(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<PreviewAudience>,
) -> Result<Json<AudiencePreview>, AppError> {
    Ok(Json(campaigns::preview(&state, &identity, req).await?))
}

/// One campaign with its figures.
#[utoipa::path(get, path = "/{campaign_id}", tag = "audience", security(("bearer" = [])),
    params(("campaign_id" = Uuid, Path, description = "The campaign.")),
    responses(
        (status = 200, description = "The campaign.", body = Campaign),
        (status = 404, description = "No such campaign, or not yours (`campaign_not_found`).", body = ErrorBody),
    ))]
async fn show(
    Reading { state, identity }: Reading,
    Path(campaign_id): Path<Uuid>,
) -> Result<Json<Campaign>, AppError> {
    Ok(Json(campaigns::get(&state, &identity, campaign_id).await?))
}
