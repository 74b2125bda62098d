//! `/api/v1/admin/invoices/{invoice_id}/refunds`: partial refunds by platform staff.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::services::refunds;
use app::backend::AppState;
use app::model::refund::{CreateRefund, Refund, RefundList};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
}

/// Every refund of an invoice, oldest first. Platform staff.
#[utoipa::path(get, path = "/{invoice_id}/refunds", tag = "admin", security(("bearer" = [])),
    params(("invoice_id" = Uuid, Path, description = "The invoice.")),
    responses(
        (status = 200, description = "The refunds.", body = RefundList),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such invoice (`invoice_not_found`).", body = ErrorBody),
    ))]
async fn list(
    Reading { state, identity }: Reading,
    Path(invoice_id): Path<Uuid>,
) -> Result<Json<RefundList>, AppError> {
    Ok(Json(refunds::list(&state, &identity, invoice_id).await?))
}

/// Refunds part or all of a card-paid invoice (in total never more than was paid).
/// Platform staff; audit-logged with the actor.
#[utoipa::path(post, path = "/{invoice_id}/refunds", tag = "admin", security(("bearer" = [])),
    params(("invoice_id" = Uuid, Path, description = "The invoice.")),
    request_body = CreateRefund,
    responses(
        (status = 201, description = "Refunded.", body = Refund),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
        (status = 404, description = "No such invoice (`invoice_not_found`).", body = ErrorBody),
        (status = 409, description = "Not paid by card (`invoice_not_refundable`), or refused by the provider (`refund_failed`).", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Path(invoice_id): Path<Uuid>,
    ApiJson(req): ApiJson<CreateRefund>,
) -> Result<(StatusCode, Json<Refund>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(refunds::create(&state, &identity, invoice_id, req).await?),
    ))
}
