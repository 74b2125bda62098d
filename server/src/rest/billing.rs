//! `/api/v1/subscriptions` and `/api/v1/invoices`: the signed-in user's platform
//! subscription and invoices.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::invoices::{self, InvoiceQuery};
use app::backend::services::subscriptions;
use app::backend::AppState;
use app::model::page::Page;
use app::model::subscription::{
    CancelSubscription, ChangePlan, CreateSubscription, Invoice, PlanChangePreview,
    PreviewPlanChange, Subscription,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn subscriptions_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(current, change_plan))
        .routes(routes!(cancel))
        .routes(routes!(pause))
        .routes(routes!(resume))
        .routes(routes!(preview))
}

pub fn invoices_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invoices))
        .routes(routes!(show_invoice))
}

/// Subscribes to a plan: a trial when the plan has `trial_days`, otherwise the first
/// period is charged now. Needs a verified email.
#[utoipa::path(post, path = "", tag = "billing", security(("bearer" = [])),
    request_body = CreateSubscription,
    responses(
        (status = 201, description = "Subscribed.", body = Subscription),
        (status = 400, description = "Card declined (`payment_failed`), coupon refused (`invalid_coupon`) or invalid input.", body = ErrorBody),
        (status = 403, description = "Email not verified (`email_not_verified`).", body = ErrorBody),
        (status = 409, description = "A subscription already exists (`subscription_exists`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CreateSubscription>,
) -> Result<(StatusCode, Json<Subscription>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(subscriptions::create(&state, &identity, req).await?),
    ))
}

/// The current platform subscription with its plan.
#[utoipa::path(get, path = "/me", tag = "billing", security(("bearer" = [])),
    responses(
        (status = 200, description = "The subscription.", body = Subscription),
        (status = 404, description = "None (`subscription_not_found`).", body = ErrorBody),
    ))]
async fn current(Reading { state, identity }: Reading) -> Result<Json<Subscription>, AppError> {
    Ok(Json(subscriptions::current(&state, &identity).await?))
}

/// What changing to `plan_id` would cost if done now; nothing changes.
#[utoipa::path(post, path = "/preview", tag = "billing", security(("bearer" = [])),
    request_body = PreviewPlanChange,
    responses(
        (status = 200, description = "The cost of the change now.", body = PlanChangePreview),
        (status = 400, description = "Coupon refused (`invalid_coupon`), `same_plan`, `incompatible_plan` or invalid input.", body = ErrorBody),
        (status = 404, description = "No subscription (`subscription_not_found`).", body = ErrorBody),
        (status = 409, description = "Payment overdue (`subscription_not_active`).", body = ErrorBody),
    ))]
async fn preview(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<PreviewPlanChange>,
) -> Result<Json<PlanChangePreview>, AppError> {
    Ok(Json(
        subscriptions::preview_change(&state, &identity, req).await?,
    ))
}

/// Changes plan now with server-side proration: an upgrade charges the difference for
/// the rest of the period, a downgrade leaves a credit on the account balance.
#[utoipa::path(patch, path = "/me", tag = "billing", security(("bearer" = [])),
    request_body = ChangePlan,
    responses(
        (status = 200, description = "The subscription on its new plan.", body = Subscription),
        (status = 400, description = "Card declined (`payment_failed`), coupon refused (`invalid_coupon`), `same_plan`, `incompatible_plan` or invalid input.", body = ErrorBody),
        (status = 404, description = "No subscription (`subscription_not_found`).", body = ErrorBody),
        (status = 409, description = "Payment overdue, or changed meanwhile.", body = ErrorBody),
    ))]
async fn change_plan(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<ChangePlan>,
) -> Result<Json<Subscription>, AppError> {
    Ok(Json(
        subscriptions::change_plan(&state, &identity, req).await?,
    ))
}

/// Cancels at the end of the current period, or at once with `immediate` (no refund).
#[utoipa::path(post, path = "/me/cancel", tag = "billing", security(("bearer" = [])),
    request_body = CancelSubscription,
    responses(
        (status = 200, description = "The subscription as it now stands.", body = Subscription),
        (status = 404, description = "None (`subscription_not_found`).", body = ErrorBody),
    ))]
async fn cancel(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<CancelSubscription>,
) -> Result<Json<Subscription>, AppError> {
    Ok(Json(subscriptions::cancel(&state, &identity, req).await?))
}

/// Pauses an active subscription now: no renewals until resumed, and the paid time
/// left in the period is kept for then.
#[utoipa::path(post, path = "/me/pause", tag = "billing", security(("bearer" = [])),
    responses(
        (status = 200, description = "The paused subscription.", body = Subscription),
        (status = 404, description = "None (`subscription_not_found`).", body = ErrorBody),
        (status = 409, description = "Not active, or set to cancel (`subscription_not_active`).", body = ErrorBody),
    ))]
async fn pause(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Subscription>, AppError> {
    Ok(Json(subscriptions::pause(&state, &identity).await?))
}

/// Resumes a paused subscription (the kept paid time runs from now), or undoes a
/// cancellation at period end.
#[utoipa::path(post, path = "/me/resume", tag = "billing", security(("bearer" = [])),
    responses(
        (status = 200, description = "The subscription as it now stands.", body = Subscription),
        (status = 404, description = "None (`subscription_not_found`).", body = ErrorBody),
        (status = 409, description = "Neither paused nor set to cancel (`subscription_not_resumable`).", body = ErrorBody),
    ))]
async fn resume(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Subscription>, AppError> {
    Ok(Json(subscriptions::resume(&state, &identity).await?))
}

/// Your invoices, newest first.
#[utoipa::path(get, path = "", tag = "billing", security(("bearer" = [])),
    params(InvoiceQuery),
    responses((status = 200, description = "One page of invoices.", body = Page<Invoice>)))]
async fn list_invoices(
    Reading { state, identity }: Reading,
    Query(query): Query<InvoiceQuery>,
) -> Result<Json<Page<Invoice>>, AppError> {
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    Ok(Json(
        invoices::list(&state, &identity, query.status, page.parse()?).await?,
    ))
}

/// One invoice with its line items.
#[utoipa::path(get, path = "/{invoice_id}", tag = "billing", security(("bearer" = [])),
    params(("invoice_id" = Uuid, Path, description = "The invoice.")),
    responses(
        (status = 200, description = "The invoice.", body = Invoice),
        (status = 404, description = "Not one of yours (`invoice_not_found`).", body = ErrorBody),
    ))]
async fn show_invoice(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<Invoice>, AppError> {
    Ok(Json(invoices::get(&state, &identity, id).await?))
}
