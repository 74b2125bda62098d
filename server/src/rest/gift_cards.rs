//! `/api/v1/gift-cards` (look up, redeem) and `/api/v1/admin/gift-cards` (generate).

use app::backend::auth::identity::Identity;
use app::backend::error::{AppError, ErrorBody};
use app::backend::extract::ApiJson;
use app::backend::services::gift_cards;
use app::backend::AppState;
use app::model::gift_card::{GenerateGiftCards, GiftCard, GiftCardList, RedeemGiftCard};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(redeem))
        .routes(routes!(lookup))
}

pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(generate))
}

/// Balance and status of a gift card before redeeming it (throttled per user).
#[utoipa::path(get, path = "/{code}", tag = "billing", security(("bearer" = [])),
    params(("code" = String, Path, max_length = 64, description = "The gift card code.")),
    responses(
        (status = 200, description = "The card.", body = GiftCard),
        (status = 404, description = "Unknown code (`gift_card_not_found`).", body = ErrorBody),
        (status = 429, description = "Too many tries; see `Retry-After`.", body = ErrorBody),
    ))]
async fn lookup(
    State(state): State<AppState>,
    identity: Identity,
    Path(code): Path<String>,
) -> Result<Json<GiftCard>, AppError> {
    Ok(Json(gift_cards::lookup(&state, &identity, &code).await?))
}

/// Credits a gift card's value to your account balance (spent by your next invoices).
#[utoipa::path(post, path = "/redeem", tag = "billing", security(("bearer" = [])),
    request_body = RedeemGiftCard,
    responses(
        (status = 200, description = "Redeemed.", body = GiftCard),
        (status = 404, description = "Unknown code (`gift_card_not_found`).", body = ErrorBody),
        (status = 409, description = "Already redeemed or disabled.", body = ErrorBody),
        (status = 410, description = "Expired (`gift_card_expired`).", body = ErrorBody),
        (status = 429, description = "Too many tries; see `Retry-After`.", body = ErrorBody),
    ))]
async fn redeem(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<RedeemGiftCard>,
) -> Result<Json<GiftCard>, AppError> {
    Ok(Json(
        gift_cards::redeem(&state, &identity, &req.code).await?,
    ))
}

/// Generates 1–500 gift cards of one value. The codes are in this answer only.
/// Platform staff; audit-logged.
#[utoipa::path(post, path = "", tag = "admin", security(("bearer" = [])),
    request_body = GenerateGiftCards,
    responses(
        (status = 201, description = "The new cards with their codes.", body = GiftCardList),
        (status = 403, description = "Not platform staff.", body = ErrorBody),
    ))]
async fn generate(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(req): ApiJson<GenerateGiftCards>,
) -> Result<(StatusCode, Json<GiftCardList>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(gift_cards::generate(&state, &identity, req).await?),
    ))
}
