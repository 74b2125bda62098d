//! The JSON REST API under `/api/v1`. Handlers are thin: parse, call a service, answer.
//! Each handler carries its OpenAPI description (`#[utoipa::path]`), and routes are
//! registered through `utoipa_axum::routes!`, so a route cannot exist undocumented.

mod admin;
mod announcements;
mod audience;
mod auth;
mod avatar;
mod billing;
mod campaigns;
mod community;
mod coupons;
mod creators;
mod devices;
pub mod docs;
mod gift_cards;
mod health;
mod notifications;
pub mod openapi;
mod payment_methods;
mod plans;
mod privacy;
mod profiles;
mod refunds;
mod users;

use app::backend::error::AppError;
use app::backend::AppState;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The API routes and their OpenAPI document.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(health::health))
        .nest("/auth", auth::router())
        .nest("/users", users::router())
        .nest("/data-exports", privacy::downloads_router())
        .nest("/streams", devices::streams_router())
        .nest("/notifications", notifications::router())
        .nest("/creators", creators::router())
        .nest("/audience/community", community::router())
        .nest("/audience/announcements", announcements::router())
        .nest("/audience/engagement/campaigns", campaigns::router())
        .nest(
            "/audience",
            audience::router().merge(avatar::member_router()),
        )
        .nest("/memberships", audience::memberships_router())
        .nest("/plans", plans::public_router())
        .nest("/payment-methods", payment_methods::router())
        .nest("/subscriptions", billing::subscriptions_router())
        .nest("/invoices", billing::invoices_router())
        .nest("/coupons", coupons::router())
        .nest("/admin/coupons", coupons::admin_router())
        .nest("/gift-cards", gift_cards::router())
        .nest("/admin/gift-cards", gift_cards::admin_router())
        .nest("/admin/invoices", refunds::admin_router())
        .nest("/admin/plans", plans::admin_router())
        .nest("/admin", admin::router())
        .split_for_parts();
    let doc = openapi::finish(doc);
    let router = router
        .merge(docs::router(&doc))
        // Unknown paths and wrong methods answer in the documented error shape,
        // never with an HTML page or an empty body.
        .fallback(|| async { AppError::not_found("Resource") })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed });
    (router, doc)
}
