//! `/api/v1/coupons/validate` (signed-in users) and `/api/v1/admin/coupons` (staff).

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::pagination::PageQuery;
use app::backend::services::coupons::{self, CouponQuery};
use app::backend::AppState;
use app::model::coupon::{Coupon, CouponValidation, CreateCoupon, UpdateCoupon, ValidateCoupon};
use app::model::page::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(validate))
}

pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
}

/// Whether you could use a coupon code on a plan now; `error_code` says why not.
#[utoipa::path(post, path = "/validate", tag = "billing", security(("bearer" = [])),
    request_body = ValidateCoupon,
    responses(
        (status = 200, description = "The verdict, with the coupon when the code names one.", body = CouponValidation),
        (status = 400, description = "Unknown plan (`validation_error`).", body = ErrorBody),
    ))]
async fn validate(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<ValidateCoupon>,
) -> Result<Json<CouponValidation>, AppError> {
    Ok(Json(coupons::validate_code(&state, &identity, req).await?))
}

/// Coupons, newest first. Platform staff.
#[utoipa::path(get, path = "", tag = "admin", security(("bearer" = [])),
    params(CouponQuery),
    responses(
        (status = 200, description = "One page of coupons.", body = Page<Coupon>),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
    ))]
async fn list(
    Reading { state, identity }: Reading,
    Query(query): Query<CouponQuery>,
) -> Result<Json<Page<Coupon>>, AppError> {
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    Ok(Json(
        coupons::list(&state, &identity, query.status, page.parse()?).await?,
    ))
}

/// Creates a coupon. Platform staff; audit-logged.
#[utoipa::path(post, path = "", tag = "admin", security(("bearer" = [])),
    request_body = CreateCoupon,
    responses(
        (status = 201, description = "Created.", body = Coupon),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 409, description = "The code is taken (`coupon_code_taken`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(input): ApiJson<CreateCoupon>,
) -> Result<(StatusCode, Json<Coupon>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(coupons::create(&state, &identity, input).await?),
    ))
}

/// One coupon. Platform staff.
#[utoipa::path(get, path = "/{coupon_id}", tag = "admin", security(("bearer" = [])),
    params(("coupon_id" = Uuid, Path, description = "The coupon.")),
    responses(
        (status = 200, description = "The coupon.", body = Coupon),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such coupon (`coupon_not_found`).", body = ErrorBody),
    ))]
async fn show(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<Coupon>, AppError> {
    Ok(Json(coupons::get(&state, &identity, id).await?))
}

/// Changes status, limit, end date or description; code, type and value never
/// change. Platform staff; audit-logged.
#[utoipa::path(patch, path = "/{coupon_id}", tag = "admin", security(("bearer" = [])),
    params(("coupon_id" = Uuid, Path, description = "The coupon.")),
    request_body = UpdateCoupon,
    responses(
        (status = 200, description = "The coupon.", body = Coupon),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such coupon (`coupon_not_found`).", body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    ApiJson(patch): ApiJson<UpdateCoupon>,
) -> Result<Json<Coupon>, AppError> {
    Ok(Json(coupons::update(&state, &identity, id, patch).await?))
}

/// Deletes a coupon nobody has redeemed. Platform staff; audit-logged.
#[utoipa::path(delete, path = "/{coupon_id}", tag = "admin", security(("bearer" = [])),
    params(("coupon_id" = Uuid, Path, description = "The coupon.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such coupon (`coupon_not_found`).", body = ErrorBody),
        (status = 409, description = "Redeemed: disable it instead (`coupon_redeemed`).", body = ErrorBody),
    ))]
async fn delete(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    coupons::delete(&state, &identity, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
