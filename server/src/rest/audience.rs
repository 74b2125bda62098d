//! The creator Audience API under `/api/v1/audience` (audience document) and joining a
//! tier, `POST /api/v1/memberships`.

use app::backend::auth::identity::Identity;
use app::backend::auth::permissions::CreatorScope;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::engagement_report::{self, EngagementQuery};
use app::backend::services::members::{self, MemberExportQuery, MemberQuery};
use app::backend::services::revenue::RevenueQuery;
use app::backend::services::{engagement, member, memberships, revenue, tiers, tips, webhooks};
use app::backend::AppState;
use app::model::analytics::{EngagementReport, RevenueReport};
use app::model::audience::{
    CreateTier, IngestEvents, IngestResult, JoinTier, MemberDetail, MemberList, Membership,
    MembershipList, Tier, TierList, UpdateMember, UpdateTier,
};
use app::model::page::Page;
use app::model::tip::{CreateTipJar, SendTip, TipJar, TipReceipt};
use app::model::webhook::{CreateWebhook, CreatedWebhook, Webhook, WebhookDelivery};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(export_members))
        .routes(routes!(show_member, update_member))
        .routes(routes!(ingest_events))
        .routes(routes!(revenue))
        .routes(routes!(engagement_report))
        .routes(routes!(list_jars, create_jar))
        .routes(routes!(send_tip))
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(show_webhook, delete_webhook))
        .routes(routes!(webhook_deliveries))
        .routes(routes!(test_webhook))
        .routes(routes!(replay_delivery))
        .routes(routes!(list_tiers, create_tier))
        .routes(routes!(update_tier))
}

pub fn memberships_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_memberships, join))
        .routes(routes!(leave))
}

/// The creator's members, newest first, with the total and engagement segments for the
/// same filters (segments leave the level filter out).
#[utoipa::path(get, path = "/members", tag = "audience", security(("bearer" = [])),
    params(MemberQuery),
    responses(
        (status = 200, description = "One page of members.", body = MemberList),
        (status = 400, description = "A bad filter, or a tier that is not this creator's (`invalid_tier`).", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_members(
    Reading { state, identity }: Reading,
    Query(query): Query<MemberQuery>,
) -> Result<Json<MemberList>, AppError> {
    Ok(Json(members::list(&state, &identity, query).await?))
}

/// One member: tier with benefits, engagement with rank, the latest activity, the paid
/// subscription, preferences, the team's notes and tags.
#[utoipa::path(get, path = "/members/{member_id}", tag = "audience", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "The member (membership id).")),
    responses(
        (status = 200, description = "The member.", body = MemberDetail),
        (status = 404, description = "No such member, or another creator's (`member_not_found`).", body = ErrorBody),
    ))]
async fn show_member(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<MemberDetail>, AppError> {
    Ok(Json(member::get(&state, &identity, id).await?))
}

/// Changes what the creator's team may change: the tier (an override without charge; a
/// paid membership renews at the new tier's price), `paused` / `active` (billing pauses
/// and resumes with the paid time kept), notes and tags. Tier and status changes are
/// audit-logged (`member.updated`).
#[utoipa::path(put, path = "/members/{member_id}", tag = "audience", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "The member (membership id).")),
    request_body = UpdateMember,
    responses(
        (status = 200, description = "The member as saved.", body = MemberDetail),
        (status = 400, description = "Invalid input, or a tier that is not this creator's (`invalid_tier`).", body = ErrorBody),
        (status = 403, description = "Your role may not manage members.", body = ErrorBody),
        (status = 404, description = "No such member, or another creator's (`member_not_found`).", body = ErrorBody),
        (status = 409, description = "The member has left (`member_churned`) or billing cannot pause now (`subscription_not_active`).", body = ErrorBody),
        (status = 422, description = "The tier is full (`tier_limit_reached`).", body = ErrorBody),
    ))]
async fn update_member(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<UpdateMember>,
) -> Result<Json<MemberDetail>, AppError> {
    Ok(Json(member::update(&state, &identity, id, req).await?))
}

/// Records members' interactions (1–500 per call), idempotent by event `id`. Each
/// event weighs: `content_view` 1 + `details.completion` (0–1), `comment` 3, `share` 4,
/// `persona_chat` 2 + `details.duration_minutes` / 10 (at most 3 more). A member's
/// engagement score is `round(100 × raw / (raw + 20))` where `raw` sums the weights of
/// the last 90 days, each halved per 14 days of age; levels: `superfan` ≥ 80,
/// `engaged` ≥ 50, `casual` ≥ 20, `inactive` below. Scores update with each batch and
/// decay daily.
#[utoipa::path(post, path = "/events", tag = "audience", security(("bearer" = [])),
    request_body = IngestEvents,
    responses(
        (status = 200, description = "Recorded.", body = IngestResult),
        (status = 400, description = "Invalid events (each named in `details`), none recorded.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn ingest_events(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<IngestEvents>,
) -> Result<Json<IngestResult>, AppError> {
    Ok(Json(engagement::ingest(&state, &identity, req).await?))
}

/// The creator's tiers with their member counts and monthly revenue.
#[utoipa::path(get, path = "/tiers", tag = "audience", security(("bearer" = [])),
    params(CreatorScope),
    responses(
        (status = 200, description = "The tiers, the free default first.", body = TierList),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_tiers(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
) -> Result<Json<TierList>, AppError> {
    Ok(Json(
        tiers::list(&state, &identity, scope.creator_id).await?,
    ))
}

/// Creates a tier (content creators, managers and tenant admins).
#[utoipa::path(post, path = "/tiers", tag = "audience", security(("bearer" = [])),
    request_body = CreateTier,
    responses(
        (status = 201, description = "Created.", body = Tier),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Your role may not manage tiers.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn create_tier(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateTier>,
) -> Result<(StatusCode, Json<Tier>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(tiers::create(&state, &identity, req).await?),
    ))
}

/// Changes a tier. New prices apply to new members, and to current ones from their next
/// renewal; a lower `limit` stops new joins without removing anyone.
#[utoipa::path(put, path = "/tiers/{tier_id}", tag = "audience", security(("bearer" = [])),
    params(("tier_id" = Uuid, Path, description = "The tier.")),
    request_body = UpdateTier,
    responses(
        (status = 200, description = "The tier as saved.", body = Tier),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Your role may not manage tiers.", body = ErrorBody),
        (status = 404, description = "No such tier, or not yours (`tier_not_found`).", body = ErrorBody),
        (status = 409, description = "A tier with members cannot turn free or paid (`tier_has_members`).", body = ErrorBody),
    ))]
async fn update_tier(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<UpdateTier>,
) -> Result<Json<Tier>, AppError> {
    Ok(Json(tiers::update(&state, &identity, id, req).await?))
}

/// Joins a creator's tier: a free tier at once; a paid one charges the first period
/// (monthly or yearly) and renews like any subscription. Idempotency-Key.
#[utoipa::path(post, path = "", tag = "audience", security(("bearer" = [])),
    request_body = JoinTier,
    responses(
        (status = 201, description = "Joined.", body = Membership),
        (status = 400, description = "No such tier (`invalid_tier`), card declined (`payment_failed`) or invalid input.", body = ErrorBody),
        (status = 403, description = "Email not verified (`email_not_verified`).", body = ErrorBody),
        (status = 409, description = "Already a member (`already_subscribed`).", body = ErrorBody),
        (status = 422, description = "The tier is full (`tier_limit_reached`).", body = ErrorBody),
    ))]
async fn join(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<JoinTier>,
) -> Result<(StatusCode, Json<Membership>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(memberships::join(&state, &identity, req).await?),
    ))
}

/// The creator's webhook endpoints, newest first.
#[utoipa::path(get, path = "/webhooks", tag = "audience", security(("bearer" = [])),
    params(CreatorScope, PageQuery),
    responses(
        (status = 200, description = "One page of endpoints (never their secrets).", body = Page<Webhook>),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_webhooks(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Webhook>>, AppError> {
    Ok(Json(
        webhooks::list(&state, &identity, scope.creator_id, page.parse()?).await?,
    ))
}

/// Registers an endpoint for some event types. The answer carries its `whsec_` secret,
/// shown this once. Deliveries follow the Standard Webhooks spec: headers `webhook-id`,
/// `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
/// `id.timestamp.body` keyed with the base64-decoded secret after `whsec_`); a body
/// `{type, timestamp, data}`; in order per member; retried for about three days, then
/// the endpoint is disabled. URLs resolving to loopback, private, link-local or
/// metadata addresses are refused.
#[utoipa::path(post, path = "/webhooks", tag = "audience", security(("bearer" = [])),
    request_body = CreateWebhook,
    responses(
        (status = 201, description = "Registered; the secret is in this answer only.", body = CreatedWebhook),
        (status = 400, description = "A bad URL, a refused address or an unknown event type.", body = ErrorBody),
        (status = 403, description = "Your role may not manage webhooks.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
        (status = 409, description = "20 endpoints already (`webhook_limit_reached`).", body = ErrorBody),
    ))]
async fn create_webhook(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(webhooks::create(&state, &identity, req).await?),
    ))
}

/// One endpoint (without its secret).
#[utoipa::path(get, path = "/webhooks/{webhook_id}", tag = "audience", security(("bearer" = [])),
    params(("webhook_id" = Uuid, Path, description = "The endpoint.")),
    responses(
        (status = 200, description = "The endpoint.", body = Webhook),
        (status = 404, description = "No such endpoint, or another creator's (`webhook_not_found`).", body = ErrorBody),
    ))]
async fn show_webhook(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<Webhook>, AppError> {
    Ok(Json(webhooks::get(&state, &identity, id).await?))
}

/// Removes an endpoint and its delivery log.
#[utoipa::path(delete, path = "/webhooks/{webhook_id}", tag = "audience", security(("bearer" = [])),
    params(("webhook_id" = Uuid, Path, description = "The endpoint.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, description = "Your role may not manage webhooks.", body = ErrorBody),
        (status = 404, description = "No such endpoint, or another creator's (`webhook_not_found`).", body = ErrorBody),
    ))]
async fn delete_webhook(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    webhooks::delete(&state, &identity, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's delivery log, newest first.
#[utoipa::path(get, path = "/webhooks/{webhook_id}/deliveries", tag = "audience", security(("bearer" = [])),
    params(("webhook_id" = Uuid, Path, description = "The endpoint."), PageQuery),
    responses(
        (status = 200, description = "One page of deliveries.", body = Page<WebhookDelivery>),
        (status = 404, description = "No such endpoint, or another creator's (`webhook_not_found`).", body = ErrorBody),
    ))]
async fn webhook_deliveries(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<WebhookDelivery>>, AppError> {
    Ok(Json(
        webhooks::deliveries(&state, &identity, id, page.parse()?).await?,
    ))
}

/// Sends a `webhook.test` event to this endpoint.
#[utoipa::path(post, path = "/webhooks/{webhook_id}/test", tag = "audience", security(("bearer" = [])),
    params(("webhook_id" = Uuid, Path, description = "The endpoint.")),
    responses(
        (status = 202, description = "Queued; the delivery to follow in the log.", body = WebhookDelivery),
        (status = 403, description = "Your role may not manage webhooks.", body = ErrorBody),
        (status = 404, description = "No such endpoint, or another creator's (`webhook_not_found`).", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled (`webhook_disabled`).", body = ErrorBody),
    ))]
async fn test_webhook(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<(StatusCode, Json<WebhookDelivery>), AppError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(webhooks::send_test(&state, &identity, id).await?),
    ))
}

/// Delivers a past delivery's event again (same `webhook-id`).
#[utoipa::path(post, path = "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", tag = "audience",
    security(("bearer" = [])),
    params(
        ("webhook_id" = Uuid, Path, description = "The endpoint."),
        ("delivery_id" = Uuid, Path, description = "The delivery to replay."),
    ),
    responses(
        (status = 202, description = "Queued as a new delivery.", body = WebhookDelivery),
        (status = 403, description = "Your role may not manage webhooks.", body = ErrorBody),
        (status = 404, description = "No such endpoint or delivery (`webhook_not_found`, `delivery_not_found`).", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled (`webhook_disabled`).", body = ErrorBody),
    ))]
async fn replay_delivery(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, delivery_id)): Path<(Uuid, Uuid)>,
) -> Result<(StatusCode, Json<WebhookDelivery>), AppError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(webhooks::replay(&state, &identity, id, delivery_id).await?),
    ))
}

/// The creator's tip jars with what each has raised.
#[utoipa::path(get, path = "/tips/jars", tag = "audience", security(("bearer" = [])),
    params(CreatorScope),
    responses(
        (status = 200, description = "The jars, newest first.", body = Vec<TipJar>),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn list_jars(
    Reading { state, identity }: Reading,
    Query(scope): Query<CreatorScope>,
) -> Result<Json<Vec<TipJar>>, AppError> {
    Ok(Json(
        tips::list_jars(&state, &identity, scope.creator_id).await?,
    ))
}

/// Opens a tip jar: goal, suggested amounts, rewards by threshold, end date.
#[utoipa::path(post, path = "/tips/jars", tag = "audience", security(("bearer" = [])),
    request_body = CreateTipJar,
    responses(
        (status = 201, description = "Opened.", body = TipJar),
        (status = 400, description = "Invalid input.", body = ErrorBody),
        (status = 403, description = "Your role may not open tip jars.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn create_jar(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateTipJar>,
) -> Result<(StatusCode, Json<TipJar>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(tips::create_jar(&state, &identity, req).await?),
    ))
}

/// A member tips the creator (into a jar, or not): charged now, 10 % platform fee, a
/// paid invoice as receipt, and the jar reward their tips now reach. Idempotency-Key.
#[utoipa::path(post, path = "/tips", tag = "audience", security(("bearer" = [])),
    request_body = SendTip,
    responses(
        (status = 201, description = "Tipped.", body = TipReceipt),
        (status = 400, description = "Card declined (`payment_failed`) or invalid input.", body = ErrorBody),
        (status = 403, description = "Email not verified (`email_not_verified`).", body = ErrorBody),
        (status = 404, description = "Not your membership (`member_not_found`) or no such jar (`jar_not_found`).", body = ErrorBody),
        (status = 409, description = "The jar has closed (`jar_closed`).", body = ErrorBody),
    ))]
async fn send_tip(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<SendTip>,
) -> Result<(StatusCode, Json<TipReceipt>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(tips::send(&state, &identity, req).await?),
    ))
}

/// Revenue over a trailing window (`month` 30 days, `quarter` 90, `year` 365) in the
/// creator's currency. Revenue: tier payments and tips received in the window, less
/// refunds made in it (merchandise and pay-per-view are not sold: 0). MRR: what live
/// tier subscriptions pay per month now (yearly ones count a twelfth, in whole minor
/// units); ARR = 12 × MRR; new / churned MRR: the monthly value of subscriptions started
/// / ended in the window. ARPU: window revenue ÷ current members; ARPPU: ÷ current
/// paying members; LTV: all revenue ever ÷ members who ever paid; churn rate:
/// subscriptions ended in the window ÷ those live at its start; CAC and the LTV/CAC
/// ratio are `null` (no acquisition spend is recorded). Payouts: this calendar month's
/// revenue so far less the 10 % platform fee, paid on the 1st of next month.
#[utoipa::path(get, path = "/revenue", tag = "audience", security(("bearer" = [])),
    params(RevenueQuery),
    responses(
        (status = 200, description = "The report.", body = RevenueReport),
        (status = 400, description = "An unknown period.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn revenue(
    Reading { state, identity }: Reading,
    Query(query): Query<RevenueQuery>,
) -> Result<Json<RevenueReport>, AppError> {
    Ok(Json(revenue::report(&state, &identity, query).await?))
}

/// The caller's memberships with creators, current ones first.
#[utoipa::path(get, path = "", tag = "audience", security(("bearer" = [])),
    responses((status = 200, description = "The memberships.", body = MembershipList)))]
async fn my_memberships(
    Reading { state, identity }: Reading,
) -> Result<Json<MembershipList>, AppError> {
    Ok(Json(memberships::mine(&state, &identity).await?))
}

/// Leaves a creator: a free membership ends now; a paid one at the end of the period
/// already paid (no refund), after which it is `churned`.
#[utoipa::path(post, path = "/{membership_id}/cancel", tag = "audience", security(("bearer" = [])),
    params(("membership_id" = Uuid, Path, description = "One of the caller's memberships.")),
    responses(
        (status = 200, description = "The membership as it now stands.", body = Membership),
        (status = 404, description = "Not one of your memberships (`member_not_found`).", body = ErrorBody),
        (status = 409, description = "It has already ended (`membership_ended`).", body = ErrorBody),
    ))]
async fn leave(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Membership>, AppError> {
    Ok(Json(memberships::cancel(&state, &identity, id).await?))
}

/// Engagement over a trailing window (`day`, `week`, `month` — 30 days, the default —,
/// `year`). Overview: current members (active or paused), those who interacted in the
/// window, memberships begun and ended in it, net growth and growth rate (÷ members at
/// the window's start). Engagement: the current members' average score and the window's
/// interactions by kind. Distribution: current members per level, their share and the
/// window's interactions per member of the level. Trends: interactions against the
/// window before (`n/a` when it had none), retention (members at the window's start who
/// are still members), and the average reported session (persona chats' minutes).
#[utoipa::path(get, path = "/engagement", tag = "audience", security(("bearer" = [])),
    params(EngagementQuery),
    responses(
        (status = 200, description = "The report.", body = EngagementReport),
        (status = 400, description = "An unknown period.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn engagement_report(
    Reading { state, identity }: Reading,
    Query(query): Query<EngagementQuery>,
) -> Result<Json<EngagementReport>, AppError> {
    Ok(Json(
        engagement_report::report(&state, &identity, query).await?,
    ))
}

/// The filtered members list as CSV (same filters as the list; at most 100,000 rows).
#[utoipa::path(get, path = "/members/export", tag = "audience", security(("bearer" = [])),
    params(MemberExportQuery),
    responses(
        (status = 200, description = "CSV: member_id, name, email, tier, status, engagement_level, score, interactions_30d, joined_at, lifetime_value.", content_type = "text/csv", body = String),
        (status = 400, description = "A bad filter, or more than 100,000 matching members.", body = ErrorBody),
        (status = 403, description = "No creator-side role.", body = ErrorBody),
        (status = 404, description = "No such creator, or not yours (`creator_not_found`).", body = ErrorBody),
    ))]
async fn export_members(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<MemberExportQuery>,
) -> Result<impl axum::response::IntoResponse, AppError> {
    let csv = members::export_csv(&state, &identity, query).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"members.csv\"",
            ),
        ],
        csv,
    ))
}
