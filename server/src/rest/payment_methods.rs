//! `/api/v1/payment-methods`: the signed-in user's saved payment methods.

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::{ApiJson, Reading};
use app::backend::services::payment_methods;
use app::backend::AppState;
use app::model::payment_method::{AttachPaymentMethod, PaymentMethod, PaymentMethodList};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, attach))
        .routes(routes!(show, remove))
        .routes(routes!(make_default))
}

/// Saved payment methods, newest first. Full card numbers are never returned.
#[utoipa::path(get, path = "", tag = "billing", security(("bearer" = [])),
    responses((status = 200, description = "The methods.", body = PaymentMethodList)))]
async fn list(Reading { state, identity }: Reading) -> Result<Json<PaymentMethodList>, AppError> {
    Ok(Json(payment_methods::list(&state, &identity).await?))
}

/// Attaches a tokenised payment method (the first one becomes the default). Needs a
/// verified email.
#[utoipa::path(post, path = "", tag = "billing", security(("bearer" = [])),
    request_body = AttachPaymentMethod,
    responses(
        (status = 201, description = "Attached.", body = PaymentMethod),
        (status = 403, description = "Email not verified (`email_not_verified`).", body = ErrorBody),
    ))]
async fn attach(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<AttachPaymentMethod>,
) -> Result<(StatusCode, Json<PaymentMethod>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(payment_methods::attach(&state, &identity, req).await?),
    ))
}

/// One saved method.
#[utoipa::path(get, path = "/{pm_id}", tag = "billing", security(("bearer" = [])),
    params(("pm_id" = Uuid, Path, description = "The payment method.")),
    responses(
        (status = 200, description = "The method.", body = PaymentMethod),
        (status = 404, description = "Not one of yours (`payment_method_not_found`).", body = ErrorBody),
    ))]
async fn show(
    Reading { state, identity }: Reading,
    Path(id): Path<Uuid>,
) -> Result<Json<PaymentMethod>, AppError> {
    Ok(Json(payment_methods::get(&state, &identity, id).await?))
}

/// Removes a method; removing the default makes the newest remaining one the default.
#[utoipa::path(delete, path = "/{pm_id}", tag = "billing", security(("bearer" = [])),
    params(("pm_id" = Uuid, Path, description = "The payment method.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 404, description = "Not one of yours (`payment_method_not_found`).", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    payment_methods::remove(&state, &identity, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a method the default (the one renewals charge).
#[utoipa::path(post, path = "/{pm_id}/default", tag = "billing", security(("bearer" = [])),
    params(("pm_id" = Uuid, Path, description = "The payment method.")),
    responses(
        (status = 200, description = "Now the default.", body = PaymentMethod),
        (status = 404, description = "Not one of yours (`payment_method_not_found`).", body = ErrorBody),
    ))]
async fn make_default(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<PaymentMethod>, AppError> {
    Ok(Json(
        payment_methods::make_default(&state, &identity, id).await?,
    ))
}
