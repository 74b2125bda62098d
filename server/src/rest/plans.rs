//! `/api/v1/plans` (public) and `/api/v1/admin/plans` (superadmins).

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::plans::{self, Versioned};
use app::backend::AppState;
use app::model::page::Page;
use app::model::plan::{Plan, PlanInput};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_active))
}

pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_all, create))
        .routes(routes!(show, replace, deactivate))
}

/// The plan as JSON with its `ETag`.
fn with_etag(status: StatusCode, versioned: Versioned) -> Response {
    (
        status,
        [(header::ETAG, versioned.etag)],
        Json(versioned.plan),
    )
        .into_response()
}

/// Active platform plans, for choosing one.
#[utoipa::path(get, path = "", tag = "plans", params(PageQuery),
    responses((status = 200, description = "One page of active plans.", body = Page<Plan>)))]
async fn list_active(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<Plan>>, AppError> {
    Ok(Json(plans::list_active(&state, query.parse()?).await?))
}

/// Every plan, inactive ones included. Superadmin only.
#[utoipa::path(get, path = "", tag = "admin", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "One page of plans.", body = Page<Plan>),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
    ))]
async fn list_all(
    Reading { state, identity }: Reading,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<Plan>>, AppError> {
    Ok(Json(
        plans::list_all(&state, &identity, query.parse()?).await?,
    ))
}

/// Creates a plan. Audit-logged.
#[utoipa::path(post, path = "", tag = "admin", security(("bearer" = [])),
    request_body = PlanInput,
    responses(
        (status = 201, description = "Created; `ETag` names its version.", body = Plan,
            headers(("ETag" = String, description = "The plan's version, for If-Match."))),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Response, AppError> {
    Ok(with_etag(
        StatusCode::CREATED,
        plans::create(&state, &identity, input).await?,
    ))
}

/// One plan, with the `ETag` a later PUT must send back as `If-Match`.
#[utoipa::path(get, path = "/{plan_id}", tag = "admin", security(("bearer" = [])),
    params(("plan_id" = Uuid, Path, description = "The plan.")),
    responses(
        (status = 200, description = "The plan.", body = Plan,
            headers(("ETag" = String, description = "The plan's version, for If-Match."))),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
        (status = 404, description = "No such plan (`plan_not_found`).", body = ErrorBody),
    ))]
async fn show(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    Ok(with_etag(
        StatusCode::OK,
        plans::get(&state, &identity, id).await?,
    ))
}

/// Replaces a plan. Needs `If-Match` with the current `ETag`; changes apply to new
/// subscriptions, existing ones keep their terms until renewal. Audit-logged.
#[utoipa::path(put, path = "/{plan_id}", tag = "admin", security(("bearer" = [])),
    params(
        ("plan_id" = Uuid, Path, description = "The plan."),
        ("If-Match" = String, Header, min_length = 1, description = "The ETag of the version you read."),
    ),
    request_body = PlanInput,
    responses(
        (status = 200, description = "Replaced; `ETag` names the new version.", body = Plan,
            headers(("ETag" = String, description = "The plan's new version."))),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
        (status = 404, description = "No such plan (`plan_not_found`).", body = ErrorBody),
        (status = 412, description = "Changed by someone else since you read it (`precondition_failed`).", body = ErrorBody),
        (status = 428, description = "`If-Match` is missing (`precondition_required`).", body = ErrorBody),
    ))]
async fn replace(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Response, AppError> {
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
    Ok(with_etag(
        StatusCode::OK,
        plans::replace(&state, &identity, id, if_match, input).await?,
    ))
}

/// Deactivates a plan: new subscriptions are refused, existing ones continue.
/// Audit-logged.
#[utoipa::path(delete, path = "/{plan_id}", tag = "admin", security(("bearer" = [])),
    params(("plan_id" = Uuid, Path, description = "The plan.")),
    responses(
        (status = 200, description = "The deactivated plan.", body = Plan,
            headers(("ETag" = String, description = "The plan's new version."))),
        (status = 403, description = "Not a superadmin.", body = ErrorBody),
        (status = 404, description = "No such plan (`plan_not_found`).", body = ErrorBody),
    ))]
async fn deactivate(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    Ok(with_etag(
        StatusCode::OK,
        plans::deactivate(&state, &identity, id).await?,
    ))
}
